// SPDX-License-Identifier: Apache-2.0
#include "eventtablemodel.h"
#include "modelroles.h"
#include "modeltesting.h"
#include "teststores.h"

#include "eventstore/storereader.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using EventScope::Test::drain;
using EventScope::Test::fetchEverything;
using EventScope::Test::TestStore;

namespace {

EventData userEvent(const QString& type, int number)
{
    return EventData::create(type, QJsonObject { { QStringLiteral("number"), number } },
        QJsonObject { { QStringLiteral("actor"), QStringLiteral("alice") },
            { QStringLiteral("correlationId"), QStringLiteral("c-%1").arg(number) } });
}

/// Appends \a count events to \a streamId in batches of at most 25, numbered from \a firstNumber.
bool appendEvents(EventStore& store, const QString& streamId, int count, int firstNumber = 0)
{
    for (int done = 0; done < count;) {
        QList<EventData> batch;
        for (int i = 0; i < 25 && done < count; ++i, ++done)
            batch.append(userEvent(QStringLiteral("ThingHappened"), firstNumber + done));
        if (!store.append(streamId, ExpectedVersion::any(), batch)) {
            qWarning() << "append to" << streamId << "failed";
            return false;
        }
    }
    return true;
}

} // namespace

class TestEventTableModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pagesThroughStreamExactlyOnce_data();
    void pagesThroughStreamExactlyOnce();
    void pagesThroughAllInPositionOrder_data();
    void pagesThroughAllInPositionOrder();
    void filtersAllByCategory();
    void showsColumnsAndRoles();
    void liveAppendInsertsRows_data();
    void liveAppendInsertsRows();
    void liveAppendToOtherStreamIsIgnored();
    void newSourceDiscardsStaleResults();
    void clearShowsNothing();

private:
    void attachTester(EventTableModel& model);

    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<StoreReader> m_reader;
};

void TestEventTableModel::init()
{
    m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
    auto opened = m_testStore->open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
    m_store = *opened;
}

void TestEventTableModel::cleanup()
{
    m_reader.reset();
    m_store.reset();
    m_testStore.reset();
}

void TestEventTableModel::attachTester(EventTableModel& model)
{
    QFETCH(bool, useFetchMore);
    auto* tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(useFetchMore);
}

void TestEventTableModel::pagesThroughStreamExactlyOnce_data()
{
    QTest::addColumn<bool>("useFetchMore");
    QTest::newRow("tester fetches more") << true;
    QTest::newRow("tester does not fetch") << false;
}

void TestEventTableModel::pagesThroughStreamExactlyOnce()
{
    // Another stream interleaved, so that versions and positions differ.
    QVERIFY(appendEvents(*m_store, QStringLiteral("order-1"), 20));
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 47));
    QVERIFY(appendEvents(*m_store, QStringLiteral("order-1"), 10, 20));

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    model.setBatchSize(10);
    attachTester(model);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));

    model.showStream(QStringLiteral("user-1"));
    const int batches = fetchEverything(model);
    QVERIFY(batches > 3);
    QCOMPARE(batches, 5);
    QVERIFY(model.isAtEnd());
    QVERIFY(model.lastError().isEmpty());

    QCOMPARE(model.rowCount(), 47);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.event(row).streamId, QStringLiteral("user-1"));
        QCOMPARE(model.event(row).streamVersion, StreamVersion(row));
        QCOMPARE(model.event(row).payloadObject().value(QLatin1String("number")).toInt(), row);
        if (row > 0)
            QVERIFY(model.event(row).position > model.event(row - 1).position);
    }
}

void TestEventTableModel::pagesThroughAllInPositionOrder_data()
{
    pagesThroughStreamExactlyOnce_data();
}

void TestEventTableModel::pagesThroughAllInPositionOrder()
{
    for (int round = 0; round < 5; ++round) {
        QVERIFY(appendEvents(*m_store, QStringLiteral("user-%1").arg(round), 9, round * 100));
        QVERIFY(appendEvents(*m_store, QStringLiteral("order-%1").arg(round), 4, round * 100));
    }
    const auto expected = m_store->readAll(0, 1000);
    QVERIFY(expected.ok());
    QCOMPARE(expected->size(), 65);

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    model.setBatchSize(16);
    attachTester(model);
    model.showAll();
    QCOMPARE(model.source(), EventTableModel::Source::All);
    QVERIFY(fetchEverything(model) > 3);

    QCOMPARE(model.rowCount(), int(expected->size()));
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.event(row).position, expected->at(row).position);
        QCOMPARE(model.event(row).eventId, expected->at(row).eventId);
    }
}

void TestEventTableModel::filtersAllByCategory()
{
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 3));
    QVERIFY(appendEvents(*m_store, QStringLiteral("order-1"), 5));
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-2"), 4));

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.setBatchSize(2);
    AllFilter filter;
    filter.categories = QStringList { QStringLiteral("user") };
    model.showAll(filter);
    QVERIFY(fetchEverything(model) >= 1);
    QCOMPARE(model.rowCount(), 7);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.event(row).streamId.startsWith(QLatin1String("user-")));
}

void TestEventTableModel::showsColumnsAndRoles()
{
    EventData data = EventData::create(QStringLiteral("UserRenamed"),
        QJsonObject { { QStringLiteral("firstName"), QStringLiteral("Ada") } },
        QJsonObject { { QStringLiteral("actor"), QStringLiteral("support:bob") } }, 2);
    QVERIFY(m_store->append(QStringLiteral("user-7"), ExpectedVersion::noStream(), { data }).ok());

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.showStream(QStringLiteral("user-7"));
    QTRY_COMPARE(model.rowCount(), 1);

    QCOMPARE(model.columnCount(), int(EventTableModel::ColumnCount));
    QCOMPARE(model.headerData(EventTableModel::ColumnType, Qt::Horizontal).toString(), QStringLiteral("Type"));
    const auto cell = [&model](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
    QVERIFY(cell(EventTableModel::ColumnPosition).toLongLong() > 0);
    QCOMPARE(cell(EventTableModel::ColumnStream).toString(), QStringLiteral("user-7"));
    QCOMPARE(cell(EventTableModel::ColumnVersion).toLongLong(), 0);
    QCOMPARE(cell(EventTableModel::ColumnType).toString(), QStringLiteral("UserRenamed"));
    QCOMPARE(cell(EventTableModel::ColumnSchemaVersion).toInt(), 2);
    QCOMPARE(cell(EventTableModel::ColumnActor).toString(), QStringLiteral("support:bob"));
    QCOMPARE(cell(EventTableModel::ColumnEventId).toString(), data.eventId.toString(QUuid::WithoutBraces));

    // UTC, ISO 8601 with milliseconds: 2024-05-01T12:34:56.789Z
    const QString recordedAt = cell(EventTableModel::ColumnRecordedAt).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                 .match(recordedAt)
                 .hasMatch(),
        qPrintable(recordedAt));
    const QDateTime at = cell(0, RecordedAtRole).toDateTime();
    QCOMPARE(at.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 600);

    QCOMPARE(cell(EventTableModel::ColumnStream, EventTypeRole).toString(), QStringLiteral("UserRenamed"));
    QCOMPARE(cell(0, StreamIdRole).toString(), QStringLiteral("user-7"));
    QCOMPARE(cell(0, EventIdRole).toUuid(), data.eventId);
    QCOMPARE(cell(0, PositionRole).toLongLong(), cell(EventTableModel::ColumnPosition).toLongLong());
    QCOMPARE(cell(0, CategoryRole).toString(), QStringLiteral("user"));
    const QString payload = cell(0, PayloadJsonRole).toString();
    QVERIFY2(payload.contains(QLatin1String("\n")), qPrintable(payload)); // indented, for reading
    QCOMPARE(QJsonDocument::fromJson(payload.toUtf8()).object(), data.payload);
    QCOMPARE(
        QJsonDocument::fromJson(cell(0, MetadataJsonRole).toString().toUtf8()).object().value(QLatin1String("actor")),
        QJsonValue(QStringLiteral("support:bob")));
    QCOMPARE(cell(0, RecordedEventRole).value<RecordedEvent>().eventId, data.eventId);
}

void TestEventTableModel::liveAppendInsertsRows_data()
{
    QTest::addColumn<bool>("useFetchMore");
    QTest::addColumn<bool>("all");
    QTest::newRow("stream, tester fetches more") << true << false;
    QTest::newRow("stream, tester does not fetch") << false << false;
    QTest::newRow("$all, tester fetches more") << true << true;
    QTest::newRow("$all, tester does not fetch") << false << true;
}

void TestEventTableModel::liveAppendInsertsRows()
{
    QFETCH(bool, all);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 12));

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    model.setBatchSize(5);
    attachTester(model);
    if (all)
        model.showAll();
    else
        model.showStream(QStringLiteral("user-1"));
    QVERIFY(fetchEverything(model) >= 3);
    QCOMPARE(model.rowCount(), 12);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 3, 12));
    QTRY_COMPARE(model.rowCount(), 15);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(reset.size(), 0);
    QVERIFY(inserted.size() >= 1);
    QCOMPARE(inserted.first().at(1).toInt(), 12); // appended below the rows already shown
    QCOMPARE(inserted.last().at(2).toInt(), 14);
    for (int row = 0; row < 15; ++row)
        QCOMPARE(model.event(row).streamVersion, StreamVersion(row));

    // More than a batch at once: one batch comes live, the rest is there for fetchMore() (a view at the bottom
    // asks for it), so that a burst of appends never loads more than a view shows.
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 11, 15));
    QTRY_VERIFY(model.rowCount() >= 20);
    QVERIFY(fetchEverything(model) >= 0);
    QCOMPARE(model.rowCount(), 26);
    QCOMPARE(reset.size(), 0);
    for (int row = 0; row < 26; ++row)
        QCOMPARE(model.event(row).payloadObject().value(QLatin1String("number")).toInt(), row);
}

void TestEventTableModel::liveAppendToOtherStreamIsIgnored()
{
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 3));
    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.showStream(QStringLiteral("user-1"));
    QTRY_COMPARE(model.rowCount(), 3);
    QTRY_VERIFY(model.isAtEnd());

    QSignalSpy appended(m_reader.get(), &StoreReader::appended);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-2"), 2));
    QTRY_VERIFY(!appended.isEmpty());
    QVERIFY(appended.last().at(0).toStringList().contains(QStringLiteral("user-2")));
    QVERIFY(drain(*m_reader));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(model.rowCount(), 3);
}

void TestEventTableModel::newSourceDiscardsStaleResults()
{
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 30));
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-2"), 4));

    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    model.setBatchSize(10);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // The answers to the first two requests are still in flight when the source changes again.
    model.showStream(QStringLiteral("user-1"));
    model.showAll();
    model.showStream(QStringLiteral("user-2"));
    QCOMPARE(reset.size(), 3);
    QVERIFY(drain(*m_reader));

    QCOMPARE(reset.size(), 3);
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(model.isAtEnd());
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.event(row).streamId, QStringLiteral("user-2"));
}

void TestEventTableModel::clearShowsNothing()
{
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 3));
    m_reader = std::make_unique<StoreReader>(m_store);
    EventTableModel model(m_reader.get());
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    model.showAll();
    QTRY_COMPARE(model.rowCount(), 3);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.source(), EventTableModel::Source::None);
    QVERIFY(!model.canFetchMore({}));
    QSignalSpy appended(m_reader.get(), &StoreReader::appended);
    QVERIFY(appendEvents(*m_store, QStringLiteral("user-1"), 1));
    QTRY_VERIFY(!appended.isEmpty());
    QVERIFY(drain(*m_reader));
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestEventTableModel)
#include "tst_eventtablemodel.moc"
