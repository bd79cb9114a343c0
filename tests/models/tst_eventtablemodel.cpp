// SPDX-License-Identifier: Apache-2.0
#include "eventtablemodel.h"
#include "modelroles.h"
#include "teststores.h"

#include "eventstore/sqleventstore.h"
#include "explorer/explorerreader.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using EventScope::Test::TestStore;

namespace {

/// Events with varied types, actors and times: event i of the store is recorded at base + i minutes.
QList<RecordedEvent> makeEvents(int count, const QDateTime& base)
{
    QList<RecordedEvent> events;
    QHash<QString, StreamVersion> versions;
    for (int i = 0; i < count; ++i) {
        RecordedEvent event;
        event.streamId
            = QStringLiteral("%1-%2").arg(i % 3 == 0 ? QStringLiteral("user") : QStringLiteral("account")).arg(i % 7);
        event.streamVersion = versions.value(event.streamId, -1) + 1;
        versions.insert(event.streamId, event.streamVersion);
        event.eventId = QUuid::createUuid();
        event.eventType = i % 4 == 0 ? QStringLiteral("Opened") : QStringLiteral("Moved");
        event.schemaVersion = 1;
        event.payload = QStringLiteral(R"({"n":%1})").arg(i).toUtf8();
        event.metadata = QStringLiteral(R"({"actor":"%1","correlationId":"%2"})")
                             .arg(i % 5 == 0 ? QStringLiteral("alice") : QStringLiteral("bob"),
                                 QUuid::createUuid().toString(QUuid::WithoutBraces))
                             .toUtf8();
        event.recordedAt = base.addSecs(60 * i);
        events.append(event);
    }
    return events;
}

EventData freshEvent(const QString& type, const QString& actor)
{
    return EventData::create(
        type, QJsonObject { { QStringLiteral("fresh"), true } }, QJsonObject { { QStringLiteral("actor"), actor } });
}

/// Positions of the model's rows, top to bottom.
QList<GlobalPosition> positions(const EventTableModel& model)
{
    QList<GlobalPosition> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.positionAt(row));
    return result;
}

bool waitIdle(EventTableModel& model)
{
    return QTest::qWaitFor([&] { return !model.isLoading(); }, 20000);
}

/// Loads the whole window: pages below with fetchMore(), pages above with fetchTop().
bool loadEverything(EventTableModel& model)
{
    if (!waitIdle(model))
        return false;
    for (int guard = 0; guard < 10000; ++guard) {
        if (model.canFetchMore({}))
            model.fetchMore({});
        else if (model.canFetchTop())
            model.fetchTop();
        else
            return model.isTopComplete() && model.isBottomComplete();
        if (!waitIdle(model))
            return false;
    }
    return false;
}

} // namespace

class TestEventTableModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void init();
    void cleanup();

    void pagesNewestFirstExactlyOnce();
    void pagesOldestFirst();
    void showsOneStream();
    void filtersLikeTheQuery();
    void jumpsToPositionAndGrowsBothWays();
    void jumpsToNewestOldestAndTime();
    void columnsAndRoles();
    void liveTailInsertsAtTopKeepingSelection();
    void liveTailOffMarksTopIncomplete();
    void invalidQueryReportsError();
    void packsRowsSmall();

private:
    void attachTester(EventTableModel& model, bool useFetchMore = true);
    EventTableModel& makeModel(int pageSize);

    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<ExplorerReader> m_reader;
    std::unique_ptr<EventTableModel> m_model;
    QList<RecordedEvent> m_events; // as stored, positions filled in
    QDateTime m_base;
};

void TestEventTableModel::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

void TestEventTableModel::init()
{
    QFETCH_GLOBAL(QString, backend);
    const auto kind = backend == QLatin1String("postgres") ? TestStore::Backend::Postgres : TestStore::Backend::Sqlite;
    EVENTSCOPE_REQUIRE_BACKEND(kind);
    m_testStore = std::make_unique<TestStore>(kind);
    auto opened = m_testStore->open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
    m_store = *opened;
    m_base = QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);
    QList<RecordedEvent> events = makeEvents(137, m_base);
    auto imported = m_store->importEvents(events);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message()));
    // $all on PostgreSQL holds back events while other transactions on the server are open: wait for them.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto stored = m_store->readAll(0, 1000);
            m_events = stored ? *stored : QList<RecordedEvent>();
            return m_events.size() == 137;
        }(),
        20000);
    m_reader = std::make_unique<ExplorerReader>(m_store);
}

void TestEventTableModel::cleanup()
{
    m_model.reset();
    m_reader.reset();
    m_store.reset();
    m_testStore.reset();
}

void TestEventTableModel::attachTester(EventTableModel& model, bool useFetchMore)
{
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(useFetchMore);
}

EventTableModel& TestEventTableModel::makeModel(int pageSize)
{
    m_model = std::make_unique<EventTableModel>(m_reader.get());
    m_model->setPageSize(pageSize);
    return *m_model;
}

void TestEventTableModel::pagesNewestFirstExactlyOnce()
{
    EventTableModel& model = makeModel(20);
    attachTester(model, false);
    QCOMPARE(model.rowCount(), 0);
    model.setQuery({});
    QVERIFY(waitIdle(model));
    QCOMPARE(model.rowCount(), 20);
    QVERIFY(model.isTopComplete());
    QVERIFY(!model.isBottomComplete());
    QVERIFY(!model.canFetchTop());
    QVERIFY(loadEverything(model));

    QList<GlobalPosition> expected;
    for (auto it = m_events.crbegin(); it != m_events.crend(); ++it)
        expected.append(it->position);
    QCOMPARE(positions(model), expected);
    QVERIFY(model.lastError().isEmpty());
}

void TestEventTableModel::pagesOldestFirst()
{
    EventTableModel& model = makeModel(25);
    attachTester(model);
    model.setOrder(EventTableModel::Order::OldestFirst);
    model.setQuery({});
    QVERIFY(loadEverything(model));
    QList<GlobalPosition> expected;
    for (const RecordedEvent& event : std::as_const(m_events))
        expected.append(event.position);
    QCOMPARE(positions(model), expected);
}

void TestEventTableModel::showsOneStream()
{
    EventTableModel& model = makeModel(4);
    attachTester(model);
    EventQuery query;
    query.streamId = QStringLiteral("account-1");
    model.setQuery(query);
    QVERIFY(loadEverything(model));
    QList<GlobalPosition> expected;
    for (auto it = m_events.crbegin(); it != m_events.crend(); ++it) {
        if (it->streamId == query.streamId)
            expected.append(it->position);
    }
    QVERIFY(expected.size() > 8);
    QCOMPARE(positions(model), expected);
    // Versions count down from the stream's last.
    QCOMPARE(model.index(0, EventTableModel::ColumnVersion).data().toLongLong(), expected.size() - 1);
}

void TestEventTableModel::filtersLikeTheQuery()
{
    EventTableModel& model = makeModel(7);
    attachTester(model);
    EventQuery query;
    query.eventTypes = { QStringLiteral("Opened") };
    query.actor = QStringLiteral("alice");
    query.from = m_base.addSecs(60 * 10);
    model.setQuery(query);
    QVERIFY(loadEverything(model));
    QList<GlobalPosition> expected;
    for (auto it = m_events.crbegin(); it != m_events.crend(); ++it) {
        if (query.matches(*it))
            expected.append(it->position);
    }
    QVERIFY(!expected.isEmpty());
    QCOMPARE(positions(model), expected);
}

void TestEventTableModel::jumpsToPositionAndGrowsBothWays()
{
    EventTableModel& model = makeModel(10);
    attachTester(model, false); // the tester would fetch more pages
    model.setQuery({});
    QVERIFY(waitIdle(model));

    const GlobalPosition target = m_events.at(60).position;
    QSignalSpy anchored(&model, &EventTableModel::anchorLoaded);
    model.jumpToPosition(target);
    QVERIFY(anchored.wait(10000));
    QCOMPARE(model.positionAt(anchored.constFirst().constFirst().toInt()), target);
    QVERIFY(waitIdle(model));
    // The page above came too, so the anchor is not at the window's edge, and it still points at the target.
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(model.anchorRow(), 10);
    QCOMPARE(model.positionAt(model.anchorRow()), target);
    QVERIFY(!model.isTopComplete());
    QVERIFY(!model.isBottomComplete());

    QVERIFY(loadEverything(model));
    QCOMPARE(model.rowCount(), m_events.size());
    QCOMPARE(model.positionAt(model.anchorRow()), target);
    const QList<GlobalPosition> loaded = positions(model);
    QVERIFY(std::is_sorted(loaded.crbegin(), loaded.crend()));

    // A position that is no event (between two, or past the head) anchors at the nearest older event.
    model.jumpToPosition(m_events.constLast().position + 1000);
    QVERIFY(waitIdle(model));
    QCOMPARE(model.positionAt(model.anchorRow()), m_events.constLast().position);
}

void TestEventTableModel::jumpsToNewestOldestAndTime()
{
    EventTableModel& model = makeModel(15);
    attachTester(model);
    model.setQuery({});
    QVERIFY(waitIdle(model));

    model.jumpToOldest();
    QVERIFY(waitIdle(model));
    QCOMPARE(model.positionAt(model.anchorRow()), m_events.constFirst().position);
    QCOMPARE(model.anchorRow(), model.rowCount() - 1); // newest first: the oldest is at the bottom
    QVERIFY(model.isBottomComplete());
    QVERIFY(!model.isTopComplete());

    model.jumpToNewest();
    QVERIFY(waitIdle(model));
    QCOMPARE(model.anchorRow(), 0);
    QCOMPARE(model.positionAt(0), m_events.constLast().position);

    // Event i was recorded at base + i minutes: 30.5 minutes in, the first event at or after it is event 31.
    model.jumpToTime(m_base.addSecs(30 * 60 + 30));
    QVERIFY(waitIdle(model));
    QCOMPARE(model.positionAt(model.anchorRow()), m_events.at(31).position);
    // After the last event: the newest.
    model.jumpToTime(m_base.addDays(30));
    QVERIFY(waitIdle(model));
    QCOMPARE(model.positionAt(model.anchorRow()), m_events.constLast().position);

    // With a filter: the first matching event at or after the time, not the nearest matching one before it (that
    // was the anchor when the window was read down from the time's position).
    EventQuery opened;
    opened.eventTypes = { QStringLiteral("Opened") }; // every 4th event: 0, 4, 8 … 28, 32 …
    model.setQuery(opened);
    QVERIFY(waitIdle(model));
    model.jumpToTime(m_base.addSecs(30 * 60 + 30));
    QVERIFY(waitIdle(model));
    QCOMPARE(model.positionAt(model.anchorRow()), m_events.at(32).position);
}

void TestEventTableModel::columnsAndRoles()
{
    EventTableModel& model = makeModel(50);
    attachTester(model);
    model.setQuery({});
    QVERIFY(waitIdle(model));
    const RecordedEvent& newest = m_events.constLast();
    const QJsonObject metadata = newest.metadataObject();
    QCOMPARE(model.index(0, EventTableModel::ColumnPosition).data().toLongLong(), newest.position);
    QCOMPARE(model.index(0, EventTableModel::ColumnStream).data().toString(), newest.streamId);
    QCOMPARE(model.index(0, EventTableModel::ColumnVersion).data().toLongLong(), newest.streamVersion);
    QCOMPARE(model.index(0, EventTableModel::ColumnType).data().toString(), newest.eventType + QStringLiteral(" · v1"));
    QCOMPARE(model.index(0, EventTableModel::ColumnRecordedAt).data().toString(),
        newest.recordedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz'Z'")));
    QCOMPARE(model.index(0, EventTableModel::ColumnActor).data().toString(), metadata.value(u"actor").toString());
    QCOMPARE(model.index(0, EventTableModel::ColumnCorrelationId).data().toString(),
        metadata.value(u"correlationId").toString());
    QCOMPARE(model.index(0, 0).data(RecordedAtRole).toDateTime(), newest.recordedAt);
    QCOMPARE(model.index(0, 0).data(EventTypeRole).toString(), newest.eventType);
    QCOMPARE(model.summary(0).correlationId, metadata.value(u"correlationId").toString());
    QCOMPARE(model.rowOfPosition(newest.position), 0);
    QCOMPARE(model.rowOfPosition(newest.position + 1), -1);
    QCOMPARE(model.headerData(EventTableModel::ColumnCorrelationId, Qt::Horizontal).toString(),
        QStringLiteral("Correlation id"));
}

void TestEventTableModel::liveTailInsertsAtTopKeepingSelection()
{
    EventTableModel& model = makeModel(30);
    attachTester(model);
    EventQuery query;
    query.eventTypes = { QStringLiteral("Fresh"), QStringLiteral("Opened") };
    model.setQuery(query);
    QVERIFY(waitIdle(model));
    const int before = model.rowCount();
    QVERIFY(before > 10);
    const QPersistentModelIndex selected(model.index(5, 0));
    const GlobalPosition selectedPosition = model.positionAt(5);

    // A second connection (as another process would) appends a matching and a non-matching event.
    auto other = m_testStore->open();
    QVERIFY(other.ok());
    QVERIFY((*other)
                ->append(QStringLiteral("user-99"), ExpectedVersion::any(),
                    { freshEvent(QStringLiteral("Fresh"), QStringLiteral("carol")),
                        freshEvent(QStringLiteral("Moved"), QStringLiteral("carol")),
                        freshEvent(QStringLiteral("Fresh"), QStringLiteral("dave")) })
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), before + 2, 10000);
    QCOMPARE(model.index(0, 0).data(StreamIdRole).toString(), QStringLiteral("user-99"));
    QCOMPARE(model.index(0, 0).data(ActorRole).toString(), QStringLiteral("dave"));
    QCOMPARE(model.index(1, 0).data(ActorRole).toString(), QStringLiteral("carol"));
    QVERIFY(selected.isValid());
    QCOMPARE(selected.row(), 7);
    QCOMPARE(selected.data(PositionRole).toLongLong(), selectedPosition);
}

void TestEventTableModel::liveTailOffMarksTopIncomplete()
{
    EventTableModel& model = makeModel(30);
    attachTester(model, false);
    model.setLiveTail(false);
    model.setQuery({});
    QVERIFY(waitIdle(model));
    const int before = model.rowCount();
    QVERIFY(m_store
                ->append(QStringLiteral("user-1"), ExpectedVersion::any(),
                    { freshEvent(QStringLiteral("Fresh"), QStringLiteral("erin")) })
                .ok());
    QTRY_VERIFY_WITH_TIMEOUT(model.canFetchTop(), 10000);
    QCOMPARE(model.rowCount(), before);
    model.fetchTop();
    QVERIFY(waitIdle(model));
    QCOMPARE(model.rowCount(), before + 1);
    QCOMPARE(model.index(0, 0).data(ActorRole).toString(), QStringLiteral("erin"));

    // On again: appends show up at once.
    model.setLiveTail(true);
    QVERIFY(m_store
                ->append(QStringLiteral("user-1"), ExpectedVersion::any(),
                    { freshEvent(QStringLiteral("Fresh"), QStringLiteral("frank")) })
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), before + 2, 10000);
    QCOMPARE(model.index(0, 0).data(ActorRole).toString(), QStringLiteral("frank"));
}

void TestEventTableModel::invalidQueryReportsError()
{
    EventTableModel& model = makeModel(30);
    attachTester(model);
    QSignalSpy errors(&model, &EventTableModel::errorOccurred);
    EventQuery query;
    query.payload.path = QStringLiteral("bad path!");
    query.payload.value = QStringLiteral("x");
    model.setQuery(query);
    QCOMPARE(errors.size(), 1);
    QVERIFY(!model.lastError().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(!model.isLoading());
}

void TestEventTableModel::packsRowsSmall()
{
    // The memory target (a million rows under 150 MB) rests on this; the benchmark measures the whole.
    EventTableModel& model = makeModel(200);
    model.setQuery({});
    QVERIFY(loadEverything(model));
    QVERIFY2(model.approximateMemory() < 137 * 100 + 64 * 1024, qPrintable(QString::number(model.approximateMemory())));
}

QTEST_MAIN(TestEventTableModel)
#include "tst_eventtablemodel.moc"
