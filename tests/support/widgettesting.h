// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers for the suites that drive widgets: pictures for the documentation and dark-mode checks.
// Header-only, so that eventscope_testsupport itself needs no Widgets.

#include <QColor>
#include <QCoreApplication>
#include <QDir>
#include <QPalette>
#include <QPixmap>
#include <QString>
#include <QWidget>

namespace EventScope::Test {

/// A dark palette, to check that colours stay readable in dark mode.
inline QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(45, 45, 48));
    palette.setColor(QPalette::WindowText, QColor(224, 224, 224));
    palette.setColor(QPalette::Base, QColor(30, 30, 30));
    palette.setColor(QPalette::AlternateBase, QColor(40, 40, 40));
    palette.setColor(QPalette::Text, QColor(224, 224, 224));
    palette.setColor(QPalette::Button, QColor(55, 55, 58));
    palette.setColor(QPalette::ButtonText, QColor(224, 224, 224));
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(45, 45, 48));
    palette.setColor(QPalette::ToolTipText, QColor(224, 224, 224));
    return palette;
}

/// A picture of \a widget once its layout has caught up with what was shown or hidden.
inline QPixmap picture(QWidget* widget)
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    return widget->grab();
}

/// The folder EVENTSCOPE_SCREENSHOT_DIR names (created), or empty when pictures are not wanted.
inline QString screenshotDirectory()
{
    const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
    if (!directory.isEmpty())
        QDir().mkpath(directory);
    return directory;
}

/// Saves a picture of \a widget as \a name (".png" added when missing) when EVENTSCOPE_SCREENSHOT_DIR is set;
/// false only when a wanted picture could not be written.
inline bool saveScreenshot(QWidget* widget, QString name)
{
    const QString directory = screenshotDirectory();
    if (directory.isEmpty())
        return true;
    if (!name.endsWith(QLatin1String(".png")))
        name += QStringLiteral(".png");
    const QPixmap shot = picture(widget);
    return !shot.isNull() && shot.save(QDir(directory).filePath(name));
}

} // namespace EventScope::Test
