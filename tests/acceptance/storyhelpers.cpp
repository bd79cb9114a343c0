// SPDX-License-Identifier: Apache-2.0
#include "storyhelpers.h"

#include <QAbstractItemView>
#include <QAction>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

namespace EventScope::Test {

namespace {

void clickTabAt(QTabWidget* tabs, int index)
{
    QTabBar* bar = tabs->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
    QCOMPARE(tabs->currentIndex(), index);
}

} // namespace

void clickIndex(QAbstractItemView* view, const QModelIndex& index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

void clickTab(QTabWidget* tabs, QWidget* page)
{
    const int index = tabs->indexOf(page);
    QVERIFY(index >= 0);
    clickTabAt(tabs, index);
}

void clickTab(QTabWidget* tabs, const QString& label)
{
    int index = 0;
    while (index < tabs->count() && tabs->tabText(index).remove(u'&') != label)
        ++index;
    QVERIFY2(index < tabs->count(), qPrintable(QStringLiteral("no tab %1").arg(label)));
    clickTabAt(tabs, index);
}

QAction* menuAction(QMainWindow* window, const QString& menu, const QString& text, const QString& shortcut)
{
    for (QAction* entry : window->menuBar()->actions()) {
        if (!entry->menu() || entry->text().remove(u'&') != menu)
            continue;
        for (QAction* action : entry->menu()->actions()) {
            if (action->text().remove(u'&') == text
                && (shortcut.isEmpty() || action->shortcut() == QKeySequence(shortcut)))
                return action;
        }
    }
    qWarning("no action %s%s in the menu %s", qPrintable(text),
        shortcut.isEmpty() ? "" : qPrintable(QStringLiteral(" (%1)").arg(shortcut)), qPrintable(menu));
    return nullptr;
}

} // namespace EventScope::Test
