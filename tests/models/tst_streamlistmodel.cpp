// SPDX-License-Identifier: Apache-2.0
#include "modelroles.h"
#include "modeltesting.h"
#include "streamlistmodel.h"
#include "teststores.h"

#include "eventstore/storereader.h"
#include "explorer/explorerreader.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using EventScope::Test::fetchEverything;
using EventScope::Test::TestStore;

namespace {

bool appendEvents(EventStore& store, const QString& streamId, int count)
{
    QList<EventData> batch;
    for (int i = 0; i < count; ++i)
        batch.append(EventData::create(QStringLiteral("ThingHappened"), QJsonObject { { QStringLiteral("i"), i } }));
    return store.append(streamId, ExpectedVersion::any(), batch).ok();
}

QStringList loadedIds(const StreamListModel& model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, StreamListModel::ColumnStreamId).data().toString());
    return ids;
}

/// Waits until the short reads issued so far by \a reader (listings, stream summaries) have been answered.
bool drainReader(ExplorerReader& reader)
{
    QSignalSpy answered(&reader, &ExplorerReader::positionRangeLoaded);
    const quint64 sentinel = reader.loadPositionRange();
    return QTest::qWaitFor([&] {
        for (const QList<QVariant>& arguments : std::as_const(answered)) {
            if (arguments.at(0).toULongLong() == sentinel)
                return true;
        }
        return false;
    });
}

} // namespace

class TestStreamListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pagesThroughEveryStreamOnce_data();
    void pagesThroughEveryStreamOnce();
    void filters_data();
    void filters();
    void showsColumns();
    void liveAppendRefreshesCounts_data();
    void liveAppendRefreshesCounts();
    void liveNewStreamInsertedInOrder_data();
    void liveNewStreamInsertedInOrder();
    void newStreamBeyondLoadedRangeComesWithNextPage();
    void newFilterDiscardsStaleResults();
    void ordersByLastActivity();
    void liveAppendMovesStreamToTop();
    void filtersByWildcard();

private:
    void seedStreams();

    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<ExplorerReader> m_reader;
    QStringList m_streamIds; // sorted
};

void TestStreamListModel::init()
{
    m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
    auto opened = m_testStore->open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
    m_store = *opened;
    seedStreams();
}

void TestStreamListModel::cleanup()
{
    m_reader.reset();
    m_store.reset();
    m_testStore.reset();
    m_streamIds.clear();
}

void TestStreamListModel::seedStreams()
{
    // Appended out of id order, so that the listing order is the store's doing.
    for (int i = 17; i >= 0; --i) {
        const QString user = QStringLiteral("user-%1").arg(i, 2, 10, QLatin1Char('0'));
        QVERIFY(appendEvents(*m_store, user, 1 + i % 4));
        m_streamIds.append(user);
        if (i % 2 == 0) {
            const QString order = QStringLiteral("order-%1").arg(i, 2, 10, QLatin1Char('0'));
            QVERIFY(appendEvents(*m_store, order, 2));
            m_streamIds.append(order);
        }
    }
    m_streamIds.sort();
}

void TestStreamListModel::pagesThroughEveryStreamOnce_data()
{
    QTest::addColumn<bool>("useFetchMore");
    QTest::newRow("tester fetches more") << true;
    QTest::newRow("tester does not fetch") << false;
}

void TestStreamListModel::pagesThroughEveryStreamOnce()
{
    QFETCH(bool, useFetchMore);
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(useFetchMore);
    model.setBatchSize(4);
    model.reload();

    QVERIFY(fetchEverything(model) > 3);
    QVERIFY(model.isAtEnd());
    QCOMPARE(loadedIds(model), m_streamIds); // each once, in id order
}

void TestStreamListModel::filters_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("category") << QStringLiteral("order-*")
                              << QStringList { QStringLiteral("order-00"), QStringLiteral("order-02"),
                                     QStringLiteral("order-04"), QStringLiteral("order-06"), QStringLiteral("order-08"),
                                     QStringLiteral("order-10"), QStringLiteral("order-12"), QStringLiteral("order-14"),
                                     QStringLiteral("order-16") };
    QTest::newRow("prefix") << QStringLiteral("user-1")
                            << QStringList { QStringLiteral("user-10"), QStringLiteral("user-11"),
                                   QStringLiteral("user-12"), QStringLiteral("user-13"), QStringLiteral("user-14"),
                                   QStringLiteral("user-15"), QStringLiteral("user-16"), QStringLiteral("user-17") };
    QTest::newRow("exact id") << QStringLiteral("user-07") << QStringList { QStringLiteral("user-07") };
    QTest::newRow("nothing") << QStringLiteral("nobody") << QStringList {};
}

void TestStreamListModel::filters()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, expected);
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setBatchSize(3);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(pattern);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.filter(), pattern);
    QVERIFY(fetchEverything(model) >= 0);
    QCOMPARE(loadedIds(model), expected);
    for (const QString& id : std::as_const(expected))
        QVERIFY(StreamFilter { pattern }.matches(id));
}

void TestStreamListModel::showsColumns()
{
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setFilter(QStringLiteral("user-03"));
    QTRY_COMPARE(model.rowCount(), 1);

    QCOMPARE(model.columnCount(), int(StreamListModel::ColumnCount));
    const auto cell = [&model](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
    QCOMPARE(cell(StreamListModel::ColumnStreamId).toString(), QStringLiteral("user-03"));
    QCOMPARE(cell(StreamListModel::ColumnCategory).toString(), QStringLiteral("user"));
    QCOMPARE(cell(StreamListModel::ColumnEvents).toLongLong(), 4); // 1 + 3 % 4
    QCOMPARE(cell(StreamListModel::ColumnLastVersion).toLongLong(), 3);
    QVERIFY(cell(StreamListModel::ColumnLastRecordedAt).toString().endsWith(u'Z'));
    QCOMPARE(cell(0, StreamIdRole).toString(), QStringLiteral("user-03"));
    QCOMPARE(cell(0, EventCountRole).toLongLong(), 4);
    QCOMPARE(cell(0, RecordedAtRole).toDateTime().timeSpec(), Qt::UTC);
    QCOMPARE(model.rowOf(QStringLiteral("user-03")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("user-04")), -1);
}

void TestStreamListModel::liveAppendRefreshesCounts_data()
{
    pagesThroughEveryStreamOnce_data();
}

void TestStreamListModel::liveAppendRefreshesCounts()
{
    QFETCH(bool, useFetchMore);
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(useFetchMore);
    QVERIFY(fetchEverything(model) >= 1);
    const int row = model.rowOf(QStringLiteral("user-05"));
    QVERIFY(row >= 0);
    QCOMPARE(model.stream(row).eventCount, 2);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-05"), 3));
    QTRY_COMPARE(model.index(row, StreamListModel::ColumnEvents).data().toLongLong(), 5);
    QCOMPARE(model.index(row, StreamListModel::ColumnLastVersion).data().toLongLong(), 4);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().at(0).toModelIndex().row(), row);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(reset.size(), 0);
}

void TestStreamListModel::liveNewStreamInsertedInOrder_data()
{
    pagesThroughEveryStreamOnce_data();
}

void TestStreamListModel::liveNewStreamInsertedInOrder()
{
    QFETCH(bool, useFetchMore);
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(useFetchMore);
    model.setFilter(QStringLiteral("user-*"));
    QVERIFY(fetchEverything(model) >= 1);
    QCOMPARE(model.rowCount(), 18);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-05a"), 1)); // between user-05 and user-06
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-99"), 2)); // after the last
    QVERIFY(appendEvents(*m_store, QStringLiteral("order-99"), 1)); // filtered out
    QTRY_COMPARE(model.rowCount(), 20);
    QVERIFY(drainReader(*m_reader));
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 2);

    QStringList expected = m_streamIds.filter(QStringLiteral("user-"));
    expected << QStringLiteral("user-05a") << QStringLiteral("user-99");
    expected.sort();
    QCOMPARE(loadedIds(model), expected);
    QCOMPARE(model.stream(model.rowOf(QStringLiteral("user-99"))).eventCount, 2);
}

void TestStreamListModel::newStreamBeyondLoadedRangeComesWithNextPage()
{
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(false); // only this test decides when the next page comes
    model.setBatchSize(4);
    model.setFilter(QStringLiteral("user-*"));
    QTRY_COMPARE(model.rowCount(), 4); // user-00 … user-03
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(model.canFetchMore({}));

    QSignalSpy appended(m_reader->storeReader(), &StoreReader::appended);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-01b"), 1)); // inside the loaded range: shown now
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-12b"), 1)); // beyond it: comes with its page
    QTRY_COMPARE(model.rowCount(), 5);
    QTRY_VERIFY(!appended.isEmpty());
    QVERIFY(drainReader(*m_reader));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowOf(QStringLiteral("user-01b")), 2);
    QCOMPARE(model.rowOf(QStringLiteral("user-12b")), -1);

    QVERIFY(fetchEverything(model) >= 1);
    QStringList expected = m_streamIds.filter(QStringLiteral("user-"));
    expected << QStringLiteral("user-01b") << QStringLiteral("user-12b");
    expected.sort();
    QCOMPARE(loadedIds(model), expected);
}

void TestStreamListModel::newFilterDiscardsStaleResults()
{
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setFilter(QStringLiteral("user-*"));
    model.setFilter(QStringLiteral("order-1"));
    QVERIFY(drainReader(*m_reader));
    QCOMPARE(loadedIds(model),
        (QStringList { QStringLiteral("order-10"), QStringLiteral("order-12"), QStringLiteral("order-14"),
            QStringLiteral("order-16") }));
}

void TestStreamListModel::ordersByLastActivity()
{
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    QCOMPARE(model.order(), StreamQuery::Order::LastActivity);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setBatchSize(5);
    model.reload();
    QVERIFY(fetchEverything(model) > 3);

    // The store's own summaries, sorted the documented way: most recent first, then by id descending.
    QList<StreamInfo> infos;
    for (const QString& id : std::as_const(m_streamIds)) {
        auto info = m_store->streamInfo(id);
        QVERIFY(info.ok() && info->has_value());
        infos.append(**info);
    }
    std::sort(infos.begin(), infos.end(), [](const StreamInfo& a, const StreamInfo& b) {
        if (a.lastRecordedAt != b.lastRecordedAt)
            return a.lastRecordedAt > b.lastRecordedAt;
        return a.streamId > b.streamId;
    });
    QStringList expected;
    for (const StreamInfo& info : std::as_const(infos))
        expected.append(info.streamId);
    QCOMPARE(loadedIds(model), expected);
}

void TestStreamListModel::liveAppendMovesStreamToTop()
{
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    QVERIFY(fetchEverything(model) >= 1);
    const int before = model.rowCount();
    QVERIFY(model.rowOf(QStringLiteral("user-10")) > 0);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);

    QTest::qWait(5); // a later millisecond than the seed's appends
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-10"), 2));
    QTRY_COMPARE(model.rowOf(QStringLiteral("user-10")), 0);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(model.index(0, StreamListModel::ColumnEvents).data().toLongLong(), 3 + 2);

    QTest::qWait(5);
    QVERIFY(appendEvents(*m_store, QStringLiteral("zeta-1"), 1)); // a new stream appears at the top
    QTRY_COMPARE(model.rowOf(QStringLiteral("zeta-1")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("user-10")), 1);
    QCOMPARE(model.rowCount(), before + 1);
}

void TestStreamListModel::filtersByWildcard()
{
    // '_' is a wildcard to SQL's LIKE, but a plain character in a stream pattern.
    QVERIFY(appendEvents(*m_store, QStringLiteral("odd_name-1"), 1));
    QVERIFY(appendEvents(*m_store, QStringLiteral("oddxname-1"), 1));
    m_reader = std::make_unique<ExplorerReader>(m_store);
    StreamListModel model(m_reader.get());
    model.setOrder(StreamQuery::Order::Name);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setFilter(QStringLiteral("*-1?"));
    QVERIFY(fetchEverything(model) >= 1);
    QCOMPARE(loadedIds(model),
        (QStringList { QStringLiteral("order-10"), QStringLiteral("order-12"), QStringLiteral("order-14"),
            QStringLiteral("order-16"), QStringLiteral("user-10"), QStringLiteral("user-11"), QStringLiteral("user-12"),
            QStringLiteral("user-13"), QStringLiteral("user-14"), QStringLiteral("user-15"), QStringLiteral("user-16"),
            QStringLiteral("user-17") }));
    model.setFilter(QStringLiteral("odd_name"));
    QVERIFY(fetchEverything(model) >= 0);
    QCOMPARE(loadedIds(model), QStringList { QStringLiteral("odd_name-1") });
    model.setFilter(QStringLiteral("odd?name*"));
    QVERIFY(fetchEverything(model) >= 0);
    QCOMPARE(loadedIds(model), (QStringList { QStringLiteral("odd_name-1"), QStringLiteral("oddxname-1") }));
    model.setFilter(QStringLiteral("odd_name*-2"));
    QVERIFY(fetchEverything(model) >= 0);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestStreamListModel)
#include "tst_streamlistmodel.moc"
