// SPDX-License-Identifier: Apache-2.0
// The log pane drives its real widgets: the level box and the search field filter, Ctrl+C copies the selected
// lines, new lines follow the end until the user scrolls up. With EVENTSCOPE_SCREENSHOT_DIR set, saves a screenshot.
#include "logfiltermodel.h"
#include "logmodel.h"
#include "logpane.h"

#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QGuiApplication>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTest>

using namespace EventScope;
using namespace Qt::StringLiterals;

class TestLogPane : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void filterCopyAndFollow();
};

void TestLogPane::filterCopyAndFollow()
{
    LogModel model(10000);
    LogPane pane(&model);
    pane.resize(900, 400);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));

    const auto listener = model.listener();
    for (int i = 0; i < 300; ++i) {
        listener(QtDebugMsg, u"eventscope.core.projections"_s, u"applied batch %1 (2000 events)"_s.arg(i));
        if (i % 50 == 0)
            listener(QtWarningMsg, u"eventscope.core.eventstore"_s, u"append took %1 ms"_s.arg(800 + i));
    }
    listener(QtInfoMsg, u"eventscope.app"_s, u"connected to postgres://localhost/events as support"_s);
    listener(QtCriticalMsg, u"eventscope.core.resilience"_s, u"circuit breaker default opened after 11 failures"_s);
    QTRY_COMPARE(model.rowCount(), 308);
    QTableView* view = pane.findChild<QTableView*>(u"logView"_s);
    QVERIFY(view);
    // Following: the last line is in view.
    QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    QVERIFY(pane.isFollowing());

    // Warnings and above.
    auto* level = pane.findChild<QComboBox*>(u"logLevelFilter"_s);
    level->setFocus();
    level->setCurrentIndex(2);
    QTRY_COMPARE(pane.filterModel()->rowCount(), 7);

    // Search narrows further.
    auto* search = pane.findChild<QLineEdit*>(u"logSearch"_s);
    QTest::keyClicks(search, u"APPEND"_s);
    QTRY_COMPARE(pane.filterModel()->rowCount(), 6);
    search->clear();
    QTRY_COMPARE(pane.filterModel()->rowCount(), 7);

    // Copy two selected lines with Ctrl+C.
    view->setFocus();
    view->selectionModel()->clearSelection();
    view->selectRow(0);
    view->selectionModel()->select(
        pane.filterModel()->index(6, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(view, QKeySequence::Copy);
    const QStringList copied = QGuiApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(copied.size(), 2);
    QVERIFY2(
        copied.at(0).contains(u" warning eventscope.core.eventstore: append took 800 ms"_s), qPrintable(copied.at(0)));
    QVERIFY2(copied.at(1).contains(u" error eventscope.core.resilience: circuit breaker default opened"_s),
        qPrintable(copied.at(1)));

    // Everything again; the user scrolls up: new lines no longer move the view.
    level->setCurrentIndex(0);
    QTRY_COMPARE(pane.filterModel()->rowCount(), 308);
    QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    view->verticalScrollBar()->setValue(10);
    QVERIFY(!pane.isFollowing());
    listener(QtInfoMsg, u"eventscope.app"_s, u"one more"_s);
    QTRY_COMPARE(model.rowCount(), 309);
    QCOMPARE(view->verticalScrollBar()->value(), 10);
    // Back at the end: follows again.
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
    QVERIFY(pane.isFollowing());
    listener(QtInfoMsg, u"eventscope.app"_s, u"and another"_s);
    QTRY_COMPARE(model.rowCount(), 310);
    QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());

    const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        level->setCurrentIndex(1);
        QTRY_COMPARE(pane.filterModel()->rowCount(), 10);
        QCoreApplication::processEvents(); // the count label's new width
        QVERIFY(QDir().mkpath(directory));
        QVERIFY(pane.grab().save(QDir(directory).filePath(u"logpane.png"_s)));
    }
}

QTEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
