// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a person does with the window in more than one story, as small steps: click a row or a tab, pick a menu
// entry, find the confirmation that popped up. Checks inside a step fail the running story (QTest), as if they
// stood in it.

#include <QApplication>
#include <QDialog>
#include <QModelIndex>
#include <QString>
#include <QWidget>

class QAbstractItemView;
class QAction;
class QMainWindow;
class QTabWidget;

namespace EventScope::Test {

/// Clicks the centre of \a index in \a view, scrolling it into view first.
void clickIndex(QAbstractItemView* view, const QModelIndex& index);

/// Clicks the tab showing \a page of \a tabs (and checks that it became the current one).
void clickTab(QTabWidget* tabs, QWidget* page);
/// Clicks the tab of \a tabs labelled \a label ('&' ignored; checks that it became the current one).
void clickTab(QTabWidget* tabs, const QString& label);

/// The action \a text of the menu \a menu in \a window's menu bar ('&' ignored), as a person picks it; with a
/// \a shortcut, only the entry that shows that shortcut. Null (and a warning) when there is none.
QAction* menuAction(QMainWindow* window, const QString& menu, const QString& text, const QString& shortcut = {});

/// The visible dialog named \a name of type \a T over \a window (the active modal one first, if the platform says
/// so), or null: a confirmation as it pops up.
template <typename T = QDialog>
T* visibleDialog(QWidget* window, const QString& name)
{
    if (auto* modal = qobject_cast<T*>(QApplication::activeModalWidget());
        modal && modal->objectName() == name && modal->isVisible())
        return modal;
    for (T* dialog : window->findChildren<T*>(name)) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

} // namespace EventScope::Test
