// SPDX-License-Identifier: Apache-2.0
// LogModel and LogFilterModel: messages from other threads arrive batched (few insertions, no per-line signals),
// the model keeps its bound by dropping the oldest lines, the filter by level and text, and the listener is
// harmless after the model is gone.
#include "logfiltermodel.h"
#include "logmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace EventScope;
using namespace Qt::StringLiterals;

class TestLogModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void postedLinesAppearBatched();
    void otherThreadsArriveInBatches();
    void boundDropsOldest();
    void filterByLevelAndText_data();
    void filterByLevelAndText();
    void listenerOutlivesModel();
    void lineTextAndRoles();
};

void TestLogModel::postedLinesAppearBatched()
{
    LogModel model(100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy appended(&model, &LogModel::linesAppended);
    for (int i = 0; i < 10; ++i)
        model.post(QtInfoMsg, u"eventscope.test"_s, u"line %1"_s.arg(i));
    QCOMPARE(model.rowCount(), 0); // queued, not yet taken
    QTRY_COMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended.at(0).at(0).toInt(), 10);
    QCOMPARE(model.entry(0).message, u"line 0"_s);
    QCOMPARE(model.entry(9).message, u"line 9"_s);
}

void TestLogModel::otherThreadsArriveInBatches()
{
    LogModel model(100000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const auto listener = model.listener();
    constexpr int threads = 4;
    constexpr int perThread = 5000;
    QList<QThread*> workers;
    for (int t = 0; t < threads; ++t) {
        workers << QThread::create([listener, t] {
            for (int i = 0; i < perThread; ++i)
                listener(QtDebugMsg, u"eventscope.worker"_s, u"worker %1 line %2"_s.arg(t).arg(i));
        });
        workers.constLast()->start();
    }
    for (QThread* worker : std::as_const(workers)) {
        QVERIFY(worker->wait(30000));
        delete worker;
    }
    QTRY_COMPARE(model.rowCount(), threads * perThread);
    // 20,000 lines in a handful of insertions, not one each.
    QVERIFY2(inserted.size() < 100, qPrintable(QString::number(inserted.size())));
    // Each thread's lines keep their order.
    QHash<QString, int> last;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QStringList words = model.entry(row).message.split(u' ');
        const int index = words.at(3).toInt();
        QVERIFY(index > last.value(words.at(1), -1));
        last.insert(words.at(1), index);
    }
}

void TestLogModel::boundDropsOldest()
{
    LogModel model(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 30; ++i)
        model.post(QtInfoMsg, u"c"_s, QString::number(i));
    model.flush();
    QCOMPARE(model.rowCount(), 30);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 30; i < 70; ++i)
        model.post(QtInfoMsg, u"c"_s, QString::number(i));
    model.flush();
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.entry(0).message, u"20"_s);
    QCOMPARE(model.entry(49).message, u"69"_s);
    QCOMPARE(model.droppedLines(), 20);

    // More than the bound in one batch: only the newest are kept.
    for (int i = 70; i < 200; ++i)
        model.post(QtInfoMsg, u"c"_s, QString::number(i));
    model.flush();
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(model.entry(0).message, u"150"_s);
    QCOMPARE(model.droppedLines(), 150);

    model.setMaxLines(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.entry(0).message, u"190"_s);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.droppedLines(), 0);
}

void TestLogModel::filterByLevelAndText_data()
{
    QTest::addColumn<int>("minimumLevel");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected");
    const QStringList all { u"starting"_s, u"config loaded"_s, u"slow append"_s, u"append failed"_s, u"abort"_s };
    QTest::newRow("everything") << int(LogModel::Level::Debug) << QString() << all;
    QTest::newRow("warnings and above") << int(LogModel::Level::Warning) << QString()
                                        << QStringList { u"slow append"_s, u"append failed"_s, u"abort"_s };
    QTest::newRow("text in message, any case")
        << int(LogModel::Level::Debug) << u"APPEND"_s << QStringList { u"slow append"_s, u"append failed"_s };
    QTest::newRow("text in category") << int(LogModel::Level::Debug) << u"core.config"_s
                                      << QStringList { u"config loaded"_s };
    QTest::newRow("level and text") << int(LogModel::Level::Error) << u"append"_s << QStringList { u"append failed"_s };
    QTest::newRow("nothing") << int(LogModel::Level::Critical) << u"append"_s << QStringList();
}

void TestLogModel::filterByLevelAndText()
{
    QFETCH(int, minimumLevel);
    QFETCH(QString, search);
    QFETCH(QStringList, expected);

    LogModel model;
    LogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    model.post(QtDebugMsg, u"eventscope.app"_s, u"starting"_s);
    model.post(QtInfoMsg, u"eventscope.core.config"_s, u"config loaded"_s);
    model.post(QtWarningMsg, u"eventscope.core.eventstore"_s, u"slow append"_s);
    model.post(QtCriticalMsg, u"eventscope.core.eventstore"_s, u"append failed"_s);
    model.post(QtFatalMsg, u"eventscope.app"_s, u"abort"_s);
    model.flush();

    filter.setMinimumLevel(LogModel::Level(minimumLevel));
    filter.setSearchText(search);
    QStringList shown;
    for (int row = 0; row < filter.rowCount(); ++row)
        shown << filter.index(row, LogModel::ColumnMessage).data().toString();
    QCOMPARE(shown, expected);

    // New lines pass the same filter.
    model.post(QtCriticalMsg, u"eventscope.core.eventstore"_s, u"append failed again"_s);
    model.flush();
    const bool passes = minimumLevel <= int(LogModel::Level::Error)
        && (search.isEmpty() || u"append failed again"_s.contains(search, Qt::CaseInsensitive)
            || u"eventscope.core.eventstore"_s.contains(search, Qt::CaseInsensitive));
    QCOMPARE(filter.rowCount(), expected.size() + (passes ? 1 : 0));
}

void TestLogModel::listenerOutlivesModel()
{
    LogModel::Listener listener;
    {
        LogModel model;
        listener = model.listener();
        listener(QtWarningMsg, u"c"_s, u"while alive"_s);
        QTRY_COMPARE(model.rowCount(), 1);
        listener(QtWarningMsg, u"c"_s, u"pending at the end"_s);
    }
    listener(QtWarningMsg, u"c"_s, u"after the model"_s); // must not crash or post to a dead object
    QCoreApplication::processEvents();
}

void TestLogModel::lineTextAndRoles()
{
    LogModel model;
    const QDateTime time(QDate(2026, 11, 26), QTime(18, 30, 1, 234));
    model.post(LogModel::Entry { time, LogModel::Level::Warning, u"eventscope.core.config"_s, u"two\nlines"_s });
    model.flush();
    QCOMPARE(model.lineText(0), u"2026-11-26 18:30:01.234 warning eventscope.core.config: two\nlines"_s);
    const QModelIndex message = model.index(0, LogModel::ColumnMessage);
    QCOMPARE(message.data().toString(), u"two …"_s); // one line per row
    QCOMPARE(message.data(LogModel::MessageRole).toString(), u"two\nlines"_s);
    QCOMPARE(message.data(LogModel::LevelRole).toInt(), int(LogModel::Level::Warning));
    QCOMPARE(model.index(0, LogModel::ColumnLevel).data().toString(), u"warning"_s);
    QCOMPARE(model.index(0, LogModel::ColumnTime).data().toString(), u"18:30:01.234"_s);
}

QTEST_GUILESS_MAIN(TestLogModel)
#include "tst_logmodel.moc"
