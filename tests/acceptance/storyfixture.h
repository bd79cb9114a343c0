// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every acceptance story needs: the demo store (seeded once per run, copied for each story), the real
// main window opened on it in a role, Given/When/Then steps that say what happens (and, with
// EVENTSCOPE_SCREENSHOT_DIR set, save a picture of the window at each step), and widgets found by name.

#include "cqrs/role.h"
#include "eventstore/storesettings.h"

#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <memory>

namespace EventScope {
class MainWindow;
}

namespace EventScope::Test {

class StoryFixture {
public:
    StoryFixture();
    ~StoryFixture();

    /// Seeds the demo store once for the whole run (call from initTestCase; false with a QTest failure message).
    bool seedDemo();
    /// Copies the seeded demo store for one story (call from init). Its settings are store().
    bool copyDemo();
    /// The story's own store (a file in a temporary directory).
    const StoreSettings& store() const { return m_store; }

    /// The main window, shown, on the story's store in \a role (read-only for the auditor, as the connection
    /// dialog does), with its streams and first events loaded; null (and a warning) when it did not load.
    MainWindow* openWindow(Role role);
    MainWindow* window() const { return m_window.get(); }
    /// Closes the window (its engine, readers and store connections go with it).
    void closeWindow();

    /// Starts a story: \a name names its pictures.
    void story(const QString& name);
    /// One step of the story: printed, and pictured when EVENTSCOPE_SCREENSHOT_DIR is set.
    void given(const QString& text) { step(QStringLiteral("Given"), text); }
    void when(const QString& text) { step(QStringLiteral("When"), text); }
    void then(const QString& text) { step(QStringLiteral("Then"), text); }
    void also(const QString& text) { step(QStringLiteral("And"), text); }

    /// The window's child named \a name (a warning names it when missing).
    template <typename T>
    T* child(const char* name) const
    {
        if (!m_window)
            return nullptr;
        T* widget = static_cast<QWidget*>(windowWidget())->findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qWarning("no child named %s", name);
        return widget;
    }

private:
    QWidget* windowWidget() const;
    void step(const QString& keyword, const QString& text);

    QTemporaryDir m_demoDir;
    StoreSettings m_demo;
    std::unique_ptr<QTemporaryDir> m_storyDir;
    StoreSettings m_store;
    std::unique_ptr<MainWindow> m_window;
    QString m_story;
    int m_step = 0;
};

} // namespace EventScope::Test
