// SPDX-License-Identifier: Apache-2.0
// Conformance suite of the event store. Compiled once; CTest runs it for each backend
// (EVENTSCOPE_TEST_BACKEND=sqlite|postgres).
#include "eventstore/allsubscription.h"
#include "eventstore/postgresdialect.h"
#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QJsonArray>
#include <QMutex>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace EventScope;
using EventScope::Test::TestStore;

namespace {

EventData makeEvent(const QString& type, int n = 0)
{
    return EventData::create(type, QJsonObject { { QStringLiteral("n"), n } },
        QJsonObject { { QStringLiteral("actor"), QStringLiteral("tester") } });
}

QList<EventData> makeEvents(int count, const QString& type = QStringLiteral("Happened"))
{
    QList<EventData> list;
    for (int i = 0; i < count; ++i)
        list << makeEvent(type, i);
    return list;
}

/// Runs \a body on \a count QThreads at once and waits for all of them.
void runThreads(int count, const std::function<void(int)>& body)
{
    QList<QThread*> threads;
    for (int i = 0; i < count; ++i)
        threads << QThread::create([body, i] { body(i); });
    for (QThread* thread : threads)
        thread->start();
    for (QThread* thread : threads) {
        thread->wait();
        delete thread;
    }
}

} // namespace

class TestEventStore : public QObject {
    Q_OBJECT

private:
    TestStore::Backend m_backend = TestStore::backendUnderTest();
    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;

    qint64 count()
    {
        auto n = m_store->eventCount();
        return n ? n.value() : -1;
    }

private Q_SLOTS:
    void initTestCase() { qInfo() << "backend under test:" << TestStore::backendName(m_backend); }

    void init()
    {
        EVENTSCOPE_REQUIRE_BACKEND(m_backend);
        m_testStore = std::make_unique<TestStore>(m_backend);
        auto store = m_testStore->open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        m_store = store.value();
    }

    void cleanup()
    {
        m_store.reset();
        m_testStore.reset();
    }

    void appendAndReadBackEveryField()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-2);
        EventData data = EventData::create(QStringLiteral("UserCreated"),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("Ada Lovelace") }, { QStringLiteral("age"), 36 },
                { QStringLiteral("tags"), QJsonArray { QStringLiteral("a"), QStringLiteral("ü€") } },
                { QStringLiteral("tricky"),
                    QStringLiteral("quote ' double \" backslash \\ newline \n tab \t $1 ? :x") } },
            QJsonObject { { QStringLiteral("correlationId"), QStringLiteral("c-1") },
                { QStringLiteral("causationId"), QStringLiteral("c-0") },
                { QStringLiteral("actor"), QStringLiteral("ada") },
                { QStringLiteral("reason"), QStringLiteral("test") }, { QStringLiteral("extra"), 42 } },
            2);
        auto result = m_store->append(QStringLiteral("user-1"), ExpectedVersion::noStream(), { data });
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
        QCOMPARE(result->nextExpectedVersion, 0);
        QVERIFY(result->firstPosition > 0);
        QCOMPARE(result->firstPosition, result->lastPosition);
        QVERIFY(!result->alreadyApplied);

        auto read = m_store->readStream(QStringLiteral("user-1"), 0, 10);
        QVERIFY(read.ok());
        QCOMPARE(read->size(), 1);
        const RecordedEvent& e = read->first();
        QCOMPARE(e.position, result->firstPosition);
        QCOMPARE(e.streamId, QStringLiteral("user-1"));
        QCOMPARE(e.streamVersion, 0);
        QCOMPARE(e.eventId, data.eventId);
        QCOMPARE(e.eventType, QStringLiteral("UserCreated"));
        QCOMPARE(e.schemaVersion, 2);
        QCOMPARE(e.payloadObject(), data.payload);
        QCOMPARE(e.metadataObject(), data.metadata);
        QCOMPARE(e.recordedAt.timeSpec(), Qt::UTC);
        QVERIFY2(e.recordedAt >= before && e.recordedAt <= QDateTime::currentDateTimeUtc().addSecs(2),
            qPrintable(e.recordedAt.toString(Qt::ISODateWithMs)));

        auto all = m_store->readAll(0, 10);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 1);
        QCOMPARE(all->first().eventId, data.eventId);
        QCOMPARE(m_store->headPosition().value(), e.position);
    }

    void expectedVersion_data()
    {
        QTest::addColumn<int>("existing"); // events already in the stream
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("version");
        QTest::addColumn<bool>("accepted");
        using K = ExpectedVersion::Kind;
        QTest::newRow("any on missing") << 0 << int(K::Any) << qint64(0) << true;
        QTest::newRow("any on existing") << 3 << int(K::Any) << qint64(0) << true;
        QTest::newRow("no stream on missing") << 0 << int(K::NoStream) << qint64(0) << true;
        QTest::newRow("no stream on existing") << 1 << int(K::NoStream) << qint64(0) << false;
        QTest::newRow("exists on missing") << 0 << int(K::StreamExists) << qint64(0) << false;
        QTest::newRow("exists on existing") << 2 << int(K::StreamExists) << qint64(0) << true;
        QTest::newRow("exact matching") << 3 << int(K::Exact) << qint64(2) << true;
        QTest::newRow("exact behind") << 3 << int(K::Exact) << qint64(1) << false;
        QTest::newRow("exact ahead") << 3 << int(K::Exact) << qint64(5) << false;
        QTest::newRow("exact 0 on missing") << 0 << int(K::Exact) << qint64(0) << false;
        QTest::newRow("exact -1 on missing") << 0 << int(K::Exact) << qint64(-1) << true;
    }

    void expectedVersion()
    {
        QFETCH(int, existing);
        QFETCH(int, kind);
        QFETCH(qint64, version);
        QFETCH(bool, accepted);
        const QString stream = QStringLiteral("order-7");
        if (existing > 0)
            QVERIFY(m_store->append(stream, ExpectedVersion::noStream(), makeEvents(existing)).ok());
        const qint64 before = count();
        ExpectedVersion expected = ExpectedVersion::any();
        switch (ExpectedVersion::Kind(kind)) {
        case ExpectedVersion::Kind::Any:
            break;
        case ExpectedVersion::Kind::NoStream:
            expected = ExpectedVersion::noStream();
            break;
        case ExpectedVersion::Kind::StreamExists:
            expected = ExpectedVersion::streamExists();
            break;
        case ExpectedVersion::Kind::Exact:
            expected = ExpectedVersion::exact(version);
            break;
        }
        auto result = m_store->append(stream, expected, makeEvents(2));
        QCOMPARE(result.ok(), accepted);
        if (accepted) {
            QCOMPARE(result->nextExpectedVersion, existing + 1);
            QCOMPARE(count(), before + 2);
        } else {
            QCOMPARE(result.error().code(), StoreError::Code::WrongExpectedVersion);
            QVERIFY(result.error().wrongExpectedVersion().has_value());
            QCOMPARE(result.error().wrongExpectedVersion()->actual, existing - 1);
            QVERIFY(result.error().wrongExpectedVersion()->expected == expected);
            QVERIFY(result.error().message().contains(stream));
            QCOMPARE(count(), before); // nothing written
        }
    }

    void idempotentReappend()
    {
        const QList<EventData> batch = makeEvents(3);
        auto first = m_store->append(QStringLiteral("cart-1"), ExpectedVersion::noStream(), batch);
        QVERIFY(first.ok());
        QVERIFY(m_store->append(QStringLiteral("cart-1"), ExpectedVersion::exact(2), makeEvents(1)).ok());

        // Same ids, same place, same expectation: succeeds, writes nothing.
        auto again = m_store->append(QStringLiteral("cart-1"), ExpectedVersion::noStream(), batch);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message()));
        QVERIFY(again->alreadyApplied);
        QCOMPARE(again->nextExpectedVersion, 2);
        QCOMPARE(again->firstPosition, first->firstPosition);
        QCOMPARE(again->lastPosition, first->lastPosition);
        auto any = m_store->append(QStringLiteral("cart-1"), ExpectedVersion::any(), batch);
        QVERIFY(any.ok() && any->alreadyApplied);
        QCOMPARE(count(), 4);

        // Same ids elsewhere: an error, nothing written.
        auto elsewhere = m_store->append(QStringLiteral("cart-2"), ExpectedVersion::any(), batch);
        QVERIFY(!elsewhere.ok());
        QCOMPARE(elsewhere.error().code(), StoreError::Code::DuplicateEventId);
        // A later event reusing an id: an error, nothing written (not even the new first event).
        QList<EventData> mixed = makeEvents(1);
        mixed << batch.at(1);
        auto reuse = m_store->append(QStringLiteral("cart-1"), ExpectedVersion::any(), mixed);
        QVERIFY(!reuse.ok());
        QCOMPARE(reuse.error().code(), StoreError::Code::DuplicateEventId);
        QVERIFY(reuse.error().message().contains(batch.at(1).eventId.toString(QUuid::WithoutBraces)));
        // A prefix of the batch at the right place but followed by new events is not a repeat.
        QList<EventData> extended = batch;
        extended << makeEvent(QStringLiteral("Extra"));
        auto longer = m_store->append(QStringLiteral("cart-1"), ExpectedVersion::noStream(), extended);
        QVERIFY(!longer.ok());
        QCOMPARE(count(), 4);
    }

    void manyEventsInOneAppend()
    {
        auto result = m_store->append(QStringLiteral("bulk-1"), ExpectedVersion::noStream(), makeEvents(250));
        QVERIFY(result.ok());
        QCOMPARE(result->nextExpectedVersion, 249);
        auto read = m_store->readStream(QStringLiteral("bulk-1"), 0, 1000);
        QVERIFY(read.ok());
        QCOMPARE(read->size(), 250);
        for (int i = 0; i < 250; ++i) {
            QCOMPARE(read->at(i).streamVersion, i);
            QCOMPARE(read->at(i).payloadObject().value(QStringLiteral("n")).toInt(), i);
            if (i > 0)
                QVERIFY(read->at(i).position > read->at(i - 1).position);
        }
        QCOMPARE(read->first().position, result->firstPosition);
        QCOMPARE(read->last().position, result->lastPosition);
    }

    void rejectsInvalidInput_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("payloadBytes");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty stream") << QString() << QStringLiteral("T") << 10 << QStringLiteral("empty");
        QTest::newRow("long stream") << QString(201, u'a') << QStringLiteral("T") << 10 << QStringLiteral("201");
        QTest::newRow("space in stream") << QStringLiteral("user 1") << QStringLiteral("T") << 10
                                         << QStringLiteral("' '");
        QTest::newRow("quote in stream") << QStringLiteral("user'1") << QStringLiteral("T") << 10
                                         << QStringLiteral("'''");
        QTest::newRow("reserved stream") << QStringLiteral("$all") << QStringLiteral("T") << 10
                                         << QStringLiteral("reserved");
        QTest::newRow("empty type") << QStringLiteral("s-1") << QString() << 10 << QStringLiteral("no type");
        QTest::newRow("type with digit first")
            << QStringLiteral("s-1") << QStringLiteral("1Type") << 10 << QStringLiteral("letter");
        QTest::newRow("type with space") << QStringLiteral("s-1") << QStringLiteral("Type X") << 10
                                         << QStringLiteral("' '");
        QTest::newRow("payload too big") << QStringLiteral("s-1") << QStringLiteral("T") << 2 * 1024 * 1024
                                         << QStringLiteral("max_payload_bytes");
    }

    void rejectsInvalidInput()
    {
        QFETCH(QString, stream);
        QFETCH(QString, type);
        QFETCH(int, payloadBytes);
        QFETCH(QString, messagePart);
        EventData data = EventData::create(type, { { QStringLiteral("blob"), QString(payloadBytes, u'x') } });
        auto result = m_store->append(stream, ExpectedVersion::any(), { makeEvent(QStringLiteral("Fine")), data });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), StoreError::Code::InvalidArgument);
        QVERIFY2(result.error().message().contains(messagePart), qPrintable(result.error().message()));
        QCOMPARE(count(), 0);
    }

    void rejectsDuplicateIdsWithinOneAppend()
    {
        EventData a = makeEvent(QStringLiteral("A"));
        auto result = m_store->append(QStringLiteral("s-1"), ExpectedVersion::any(), { a, a });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), StoreError::Code::InvalidArgument);
        QCOMPARE(count(), 0);
    }

    void payloadLimitIsConfigurable()
    {
        StoreSettings settings = m_testStore->settings();
        settings.maxPayloadBytes = 64;
        auto small = SqlEventStore::open(settings);
        QVERIFY(small.ok());
        EventData big = EventData::create(QStringLiteral("T"), { { QStringLiteral("x"), QString(100, u'x') } });
        QCOMPARE(small.value()->append(QStringLiteral("s-1"), ExpectedVersion::any(), { big }).error().code(),
            StoreError::Code::InvalidArgument);
        QVERIFY(small.value()
                    ->append(QStringLiteral("s-1"), ExpectedVersion::any(), { makeEvent(QStringLiteral("T")) })
                    .ok());
    }

    void readStreamPagesBothWays()
    {
        QVERIFY(m_store->append(QStringLiteral("s-1"), ExpectedVersion::noStream(), makeEvents(25)).ok());
        QVERIFY(m_store->append(QStringLiteral("s-2"), ExpectedVersion::noStream(), makeEvents(5)).ok());
        QList<qint64> forward;
        for (StreamVersion from = 0;;) {
            auto page = m_store->readStream(QStringLiteral("s-1"), from, 7);
            QVERIFY(page.ok());
            for (const RecordedEvent& e : page.value())
                forward << e.streamVersion;
            if (page->size() < 7)
                break;
            from = page->last().streamVersion + 1;
        }
        QList<qint64> expected;
        for (int i = 0; i < 25; ++i)
            expected << i;
        QCOMPARE(forward, expected);

        QList<qint64> backward;
        for (StreamVersion from = NoStreamVersion;;) {
            auto page = m_store->readStream(QStringLiteral("s-1"), from, 6, ReadDirection::Backward);
            QVERIFY(page.ok());
            for (const RecordedEvent& e : page.value())
                backward << e.streamVersion;
            if (page->size() < 6 || page->last().streamVersion == 0)
                break;
            from = page->last().streamVersion - 1;
        }
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(backward, expected);
        QVERIFY(m_store->readStream(QStringLiteral("missing-1"), 0, 10)->isEmpty());
        QCOMPARE(m_store->readStream(QStringLiteral("s-1"), 0, 0).error().code(), StoreError::Code::InvalidArgument);
    }

    void readAllWithKeysetAndFilters()
    {
        QVERIFY(m_store
                    ->append(QStringLiteral("user-1"), ExpectedVersion::noStream(),
                        makeEvents(3, QStringLiteral("UserCreated")))
                    .ok());
        QVERIFY(m_store
                    ->append(QStringLiteral("account-1"), ExpectedVersion::noStream(),
                        makeEvents(4, QStringLiteral("Deposited")))
                    .ok());
        QVERIFY(m_store
                    ->append(QStringLiteral("user-2"), ExpectedVersion::noStream(),
                        makeEvents(2, QStringLiteral("UserRenamed")))
                    .ok());
        QVERIFY(m_store
                    ->append(QStringLiteral("account-1"), ExpectedVersion::exact(3),
                        makeEvents(1, QStringLiteral("UserRenamed")))
                    .ok());

        QList<RecordedEvent> all;
        for (GlobalPosition after = 0;;) {
            auto page = m_store->readAll(after, 4);
            QVERIFY(page.ok());
            all += page.value();
            if (page->size() < 4)
                break;
            after = page->last().position;
        }
        QCOMPARE(all.size(), 10);
        for (qsizetype i = 1; i < all.size(); ++i)
            QVERIFY(all.at(i).position > all.at(i - 1).position);

        // Starting in the middle continues after that event.
        auto rest = m_store->readAll(all.at(4).position, 100);
        QVERIFY(rest.ok());
        QCOMPARE(rest->size(), 5);
        QCOMPARE(rest->first().eventId, all.at(5).eventId);

        AllFilter byType;
        byType.eventTypes = { QStringLiteral("UserRenamed") };
        auto renamed = m_store->readAll(0, 100, byType);
        QVERIFY(renamed.ok());
        QCOMPARE(renamed->size(), 3);
        AllFilter byCategory;
        byCategory.categories = { QStringLiteral("user") };
        auto users = m_store->readAll(0, 100, byCategory);
        QCOMPARE(users->size(), 5);
        for (const RecordedEvent& e : users.value())
            QVERIFY(e.streamId.startsWith(QStringLiteral("user-")));
        AllFilter both;
        both.eventTypes = { QStringLiteral("UserRenamed") };
        both.categories = { QStringLiteral("account"), QStringLiteral("nothing") };
        auto accountRenames = m_store->readAll(0, 100, both);
        QCOMPARE(accountRenames->size(), 1);
        QCOMPARE(accountRenames->first().streamId, QStringLiteral("account-1"));
        // Filtered paging: continue after a filtered event.
        auto afterFirstRename = m_store->readAll(renamed->first().position, 100, byType);
        QCOMPARE(afterFirstRename->size(), 2);
    }

    void categoryFilterMatchesWholeCategoriesOnly()
    {
        for (const QString& stream : { QStringLiteral("user-1"), QStringLiteral("user"), QStringLiteral("userland"),
                 QStringLiteral("users-1"), QStringLiteral("user-2-b"), QStringLiteral("account-1") })
            QVERIFY(m_store->append(stream, ExpectedVersion::any(), makeEvents(1)).ok());
        AllFilter users;
        users.categories = { QStringLiteral("user") };
        QStringList streams;
        for (const RecordedEvent& e : m_store->readAll(0, 100, users).value())
            streams << e.streamId;
        QCOMPARE(
            streams, (QStringList { QStringLiteral("user-1"), QStringLiteral("user"), QStringLiteral("user-2-b") }));
    }

    void listStreamsPagedAndFiltered()
    {
        for (int i = 0; i < 12; ++i)
            QVERIFY(m_store
                        ->append(QStringLiteral("user-%1").arg(i, 2, 10, QLatin1Char('0')), ExpectedVersion::noStream(),
                            makeEvents(i + 1))
                        .ok());
        for (int i = 0; i < 3; ++i)
            QVERIFY(
                m_store->append(QStringLiteral("account-%1").arg(i), ExpectedVersion::noStream(), makeEvents(1)).ok());
        QVERIFY(m_store->append(QStringLiteral("userland"), ExpectedVersion::noStream(), makeEvents(1)).ok());

        QStringList ids;
        QString after;
        int pages = 0;
        do {
            auto page = m_store->listStreams({}, after, 5);
            QVERIFY(page.ok());
            for (const StreamInfo& info : page->streams)
                ids << info.streamId;
            after = page->nextAfter;
            ++pages;
        } while (!after.isEmpty());
        QCOMPARE(ids.size(), 16);
        QCOMPARE(pages, 4);
        QStringList sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(ids, sorted);

        auto category = m_store->listStreams({ QStringLiteral("user-*") }, {}, 100);
        QVERIFY(category.ok());
        QCOMPARE(category->streams.size(), 12); // not "userland"
        QCOMPARE(category->streams.at(3).streamId, QStringLiteral("user-03"));
        QCOMPARE(category->streams.at(3).eventCount, 4);
        QCOMPARE(category->streams.at(3).lastVersion, 3);
        QCOMPARE(category->streams.at(3).category, QStringLiteral("user"));
        QVERIFY(category->streams.at(3).firstRecordedAt.isValid());
        QVERIFY(category->streams.at(3).lastRecordedAt >= category->streams.at(3).firstRecordedAt);

        auto prefix = m_store->listStreams({ QStringLiteral("user-1") }, {}, 100);
        QCOMPARE(prefix->streams.size(), 2); // user-10, user-11
        auto prefixPage = m_store->listStreams({ QStringLiteral("user") }, QStringLiteral("user-10"), 100);
        QCOMPARE(prefixPage->streams.size(), 2); // user-11, userland
        QCOMPARE(prefixPage->streams.last().streamId, QStringLiteral("userland"));
    }

    void streamInfoTypesAndHead()
    {
        QCOMPARE(m_store->headPosition().value(), 0);
        QVERIFY(!m_store->streamInfo(QStringLiteral("nope-1")).value().has_value());
        QVERIFY(
            m_store->append(QStringLiteral("user-1"), ExpectedVersion::noStream(), makeEvents(2, QStringLiteral("A")))
                .ok());
        auto last
            = m_store->append(QStringLiteral("user-1"), ExpectedVersion::exact(1), makeEvents(3, QStringLiteral("B")));
        auto info = m_store->streamInfo(QStringLiteral("user-1"));
        QVERIFY(info.ok() && info->has_value());
        QCOMPARE(info->value().lastVersion, 4);
        QCOMPARE(info->value().eventCount, 5);
        auto types = m_store->eventTypes();
        QVERIFY(types.ok());
        QCOMPARE(types->size(), 2);
        QCOMPARE(types->at(0).eventType, QStringLiteral("A"));
        QCOMPARE(types->at(0).count, 2);
        QCOMPARE(types->at(1).count, 3);
        QCOMPARE(m_store->headPosition().value(), last->lastPosition);
    }

    void emitsEventsAppended()
    {
        QSignalSpy spy(m_store.get(), &EventStore::eventsAppended);
        auto result = m_store->append(QStringLiteral("s-1"), ExpectedVersion::any(), makeEvents(2));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.first().at(0).toString(), QStringLiteral("s-1"));
        QCOMPARE(spy.first().at(1).value<GlobalPosition>(), result->lastPosition);
        QVERIFY(!m_store->append(QStringLiteral("s-1"), ExpectedVersion::noStream(), makeEvents(1)).ok());
        QCOMPARE(spy.size(), 1); // not on failure
    }

    void concurrentExactAppendsToOneStream()
    {
        // 4 threads race for the versions of one stream: each version has exactly one winner, and every
        // event a thread was told it wrote is stored exactly once.
        constexpr int Threads = 4;
        constexpr int PerThread = 40;
        const QString stream = QStringLiteral("contended-1");
        QMutex mutex;
        QList<QUuid> written;
        QList<StreamVersion> wonVersions;
        std::atomic<int> conflicts { 0 };
        std::atomic<int> failures { 0 };
        runThreads(Threads, [&](int) {
            int done = 0;
            while (done < PerThread) {
                auto last = m_store->readStream(stream, NoStreamVersion, 1, ReadDirection::Backward);
                if (!last) {
                    ++failures;
                    return;
                }
                const StreamVersion version = last->isEmpty() ? NoStreamVersion : last->first().streamVersion;
                const EventData data = makeEvent(QStringLiteral("Raced"), done);
                auto result = m_store->append(stream, ExpectedVersion::exact(version), { data });
                if (result) {
                    QMutexLocker lock(&mutex);
                    written << data.eventId;
                    wonVersions << result->nextExpectedVersion;
                    ++done;
                } else if (result.error().code() == StoreError::Code::WrongExpectedVersion) {
                    ++conflicts;
                } else {
                    qWarning() << result.error().message();
                    ++failures;
                    return;
                }
            }
        });
        QCOMPARE(failures.load(), 0);
        qInfo() << "conflicts resolved by retry:" << conflicts.load();
        auto read = m_store->readStream(stream, 0, 10000);
        QVERIFY(read.ok());
        QCOMPARE(read->size(), Threads * PerThread);
        QSet<QUuid> stored;
        for (int i = 0; i < read->size(); ++i) {
            QCOMPARE(read->at(i).streamVersion, i);
            stored.insert(read->at(i).eventId);
        }
        QCOMPARE(stored.size(), Threads * PerThread);
        QCOMPARE(stored, QSet<QUuid>(written.cbegin(), written.cend()));
        std::sort(wonVersions.begin(), wonVersions.end());
        for (int i = 0; i < wonVersions.size(); ++i)
            QCOMPARE(wonVersions.at(i), i); // one winner per version
    }

    void concurrentAppendsToNewStreamWithAny()
    {
        // Any on a stream that does not exist yet: racing writers all succeed, none is lost.
        constexpr int Threads = 4;
        runThreads(Threads, [&](int t) {
            for (int i = 0; i < 10; ++i) {
                auto r = m_store->append(QStringLiteral("fresh-%1").arg(i), ExpectedVersion::any(), makeEvents(2));
                if (!r)
                    qWarning() << "thread" << t << r.error().message();
            }
        });
        for (int i = 0; i < 10; ++i) {
            auto read = m_store->readStream(QStringLiteral("fresh-%1").arg(i), 0, 100);
            QCOMPARE(read->size(), Threads * 2);
        }
    }

    void connectionsArePerThreadAndClosedWithTheThread()
    {
        const QStringList before = QSqlDatabase::connectionNames();
        QStringList during;
        QThread* thread = QThread::create([&] {
            QVERIFY(m_store->append(QStringLiteral("t-1"), ExpectedVersion::any(), makeEvents(1)).ok());
            during = QSqlDatabase::connectionNames();
        });
        thread->start();
        thread->wait();
        delete thread;
        QCOMPARE(during.size(), before.size() + 1);
        QTRY_COMPARE(QSqlDatabase::connectionNames().size(), before.size());
    }

    void subscriptionHandsOverFromCatchUpToLive()
    {
        constexpr int Initial = 1200;
        constexpr int Writers = 4;
        constexpr int PerWriter = 30;
        for (int i = 0; i < Initial / 100; ++i)
            QVERIFY(
                m_store->append(QStringLiteral("seed-%1").arg(i), ExpectedVersion::noStream(), makeEvents(100)).ok());

        QMutex mutex;
        QList<RecordedEvent> delivered;
        AllSubscription::Options options;
        options.batchSize = 250;
        AllSubscription subscription(m_store, options, [&](const QList<RecordedEvent>& batch) {
            QMutexLocker lock(&mutex);
            delivered += batch;
        });
        QSignalSpy caughtUp(&subscription, &AllSubscription::caughtUp);
        subscription.start();

        // Writers append while the subscription is still catching up and after it went live.
        runThreads(Writers, [&](int w) {
            for (int i = 0; i < PerWriter; ++i) {
                auto r
                    = m_store->append(QStringLiteral("live-%1").arg(w), ExpectedVersion::any(), makeEvents(i % 3 + 1));
                if (!r)
                    qWarning() << r.error().message();
            }
        });
        const qint64 total = count();
        int perWriter = 0;
        for (int i = 0; i < PerWriter; ++i)
            perWriter += i % 3 + 1;
        QCOMPARE(total, Initial + Writers * perWriter);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp.size() == 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            QMutexLocker lock(&mutex);
            return delivered.size() >= total;
        }()),
            20000);
        subscription.stop();

        QList<RecordedEvent> expected;
        for (GlobalPosition after = 0;;) {
            auto page = m_store->readAll(after, 1000);
            QVERIFY(page.ok());
            expected += page.value();
            if (page->size() < 1000)
                break;
            after = page->last().position;
        }
        QCOMPARE(delivered.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(delivered.at(i).eventId, expected.at(i).eventId);
        QCOMPARE(subscription.position(), expected.last().position);
    }

    void subscriptionSeesAppendsOfAnotherStoreObject()
    {
        // Another store object has its own connections and does not signal ours: like another process.
        // SQLite must notice through PRAGMA data_version, PostgreSQL through LISTEN/NOTIFY; the safety poll
        // on PostgreSQL is pushed far out so only NOTIFY can deliver within the timeout.
        StoreSettings settings = m_testStore->settings();
        settings.pollInterval = std::chrono::milliseconds(m_backend == TestStore::Backend::Postgres ? 60000 : 50);
        auto reader = SqlEventStore::open(settings);
        QVERIFY(reader.ok());
        QAtomicInt seen = 0;
        AllSubscription subscription(
            reader.value(), {}, [&](const QList<RecordedEvent>& batch) { seen += int(batch.size()); });
        QSignalSpy caughtUp(&subscription, &AllSubscription::caughtUp);
        subscription.start();
        QVERIFY(caughtUp.wait(10000));
        QVERIFY(m_store->append(QStringLiteral("other-1"), ExpectedVersion::any(), makeEvents(3)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(seen.loadRelaxed(), 3, 10000);
    }

    void postgresDeliversLateCommitsWithLowerPositions()
    {
        // T2 takes a lower position than T1 but commits after it. A reader must not deliver T1's event and
        // then skip T2's (the bug of ordering $all by position alone).
        if (m_backend != TestStore::Backend::Postgres)
            QSKIP("PostgreSQL commit-order rule; SQLite has one writer, so positions are in commit order");
        const StoreSettings s = m_testStore->settings();
        auto connect = [&](const QString& name) { return TestStore::openRawPostgres(name, s); };
        auto insert = [&](QSqlDatabase& db, const QString& stream) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO es_events (stream_id, stream_version, event_id, event_type, "
                                     "schema_version, payload, metadata) VALUES (?, 0, CAST(? AS uuid), "
                                     "'Raced', 1, CAST('{}' AS json), CAST('{}' AS json)) RETURNING global_position"));
            q.addBindValue(stream);
            q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
            if (!q.exec() || !q.next())
                qWarning() << q.lastError().text();
            return q.value(0).toLongLong();
        };
        {
            QSqlDatabase t1 = connect(QStringLiteral("race-t1"));
            QSqlDatabase t2 = connect(QStringLiteral("race-t2"));
            QVERIFY(t1.isOpen() && t2.isOpen());
            QVERIFY(t1.transaction());
            QVERIFY(t2.transaction());
            QSqlQuery xid1(t1);
            QVERIFY(xid1.exec(QStringLiteral("SELECT pg_current_xact_id()"))); // T1 gets the older transaction id
            QSqlQuery xid2(t2);
            QVERIFY(xid2.exec(QStringLiteral("SELECT pg_current_xact_id()")));
            const qint64 p2 = insert(t2, QStringLiteral("race-2")); // T2 takes the lower position …
            const qint64 p1 = insert(t1, QStringLiteral("race-1"));
            QVERIFY(p2 < p1);
            QVERIFY(t1.commit()); // … but T1 commits first.

            // Transactions of other tests on this server also hold $all back for a moment: wait for them.
            // T2 stays open, so T1's event (higher position) may show, T2's must not.
            QList<RecordedEvent> first;
            QTRY_VERIFY_WITH_TIMEOUT((first = m_store->readAll(0, 100).value()).size() >= 1, 20000);
            QCOMPARE(first.size(), 1);
            QCOMPARE(first.first().position, p1);

            QVERIFY(t2.commit());
            QList<RecordedEvent> next;
            QTRY_VERIFY_WITH_TIMEOUT((next = m_store->readAll(first.last().position, 100).value()).size() >= 1, 20000);
            QCOMPARE(next.size(), 1);
            QCOMPARE(next.first().position, p2); // delivered after p1, not skipped
        }
        QSqlDatabase::removeDatabase(QStringLiteral("race-t1"));
        QSqlDatabase::removeDatabase(QStringLiteral("race-t2"));
    }

    void postgresNotifiedEventsHeldBackAreDeliveredWhenReleased()
    {
        // A NOTIFY wakes the subscription while an unrelated older transaction still holds $all back, so the
        // read finds nothing; when that transaction ends no NOTIFY follows. The subscription must look again
        // by itself, well before its (here: one minute) safety poll.
        if (m_backend != TestStore::Backend::Postgres)
            QSKIP("the held-back horizon is PostgreSQL's");
        StoreSettings settings = m_testStore->settings();
        settings.pollInterval = std::chrono::milliseconds(60000);
        auto reader = SqlEventStore::open(settings);
        QVERIFY(reader.ok());
        QAtomicInt seen = 0;
        AllSubscription subscription(
            reader.value(), {}, [&](const QList<RecordedEvent>& batch) { seen += int(batch.size()); });
        QSignalSpy caughtUp(&subscription, &AllSubscription::caughtUp);
        subscription.start();
        QVERIFY(caughtUp.wait(10000));
        {
            QSqlDatabase blocker = TestStore::openRawPostgres(QStringLiteral("blocker"), settings);
            QVERIFY(blocker.transaction());
            QSqlQuery xid(blocker);
            QVERIFY(xid.exec(QStringLiteral("SELECT pg_current_xact_id()"))); // an open transaction with an id
            QVERIFY(m_store->append(QStringLiteral("held-1"), ExpectedVersion::any(), makeEvents(2)).ok());
            QTest::qWait(300); // the NOTIFY arrives; the events are held back
            QCOMPARE(seen.loadRelaxed(), 0);
            QVERIFY(blocker.rollback());
        }
        QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
        QTRY_COMPARE_WITH_TIMEOUT(seen.loadRelaxed(), 2, 5000);
    }

    void postgresRecoversFromALostConnection()
    {
        if (m_backend != TestStore::Backend::Postgres)
            QSKIP("PostgreSQL connections can be lost; SQLite's cannot");
        QVERIFY(m_store->append(QStringLiteral("r-1"), ExpectedVersion::noStream(), makeEvents(1)).ok());
        QAtomicInt seen = 0;
        AllSubscription subscription(
            m_store, {}, [&](const QList<RecordedEvent>& batch) { seen += int(batch.size()); });
        QSignalSpy caughtUp(&subscription, &AllSubscription::caughtUp);
        subscription.start();
        QVERIFY(caughtUp.wait(10000));
        QCOMPARE(seen.loadRelaxed(), 1);

        // An administrator (or a server restart) ends every EventScope connection of this store.
        {
            QSqlDatabase admin = TestStore::openRawPostgres(QStringLiteral("admin"), m_testStore->settings());
            QSqlQuery kill(admin);
            QVERIFY(kill.exec(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                             "WHERE application_name = 'eventscope' AND pid <> pg_backend_pid()")));
            QVERIFY(kill.next());
            QVERIFY(kill.value(0).toInt() >= 2); // ours and the subscription's
        }
        QSqlDatabase::removeDatabase(QStringLiteral("admin"));

        // The first call may report the loss; the store reconnects and nothing is lost or doubled.
        auto first = m_store->append(QStringLiteral("r-1"), ExpectedVersion::exact(0), makeEvents(1));
        if (!first) {
            QCOMPARE(first.error().code(), StoreError::Code::ConnectionFailed);
            QVERIFY(first.error().message().contains(QStringLiteral("reconnect")));
            first = m_store->append(QStringLiteral("r-1"), ExpectedVersion::exact(0), makeEvents(1));
        }
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message()));
        QCOMPARE(m_store->readStream(QStringLiteral("r-1"), 0, 10)->size(), 2);
        // The subscription reconnected too, and listens again.
        QTRY_COMPARE_WITH_TIMEOUT(seen.loadRelaxed(), 2, 20000);
        QVERIFY(m_store->append(QStringLiteral("r-2"), ExpectedVersion::any(), makeEvents(3)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(seen.loadRelaxed(), 5, 20000);
    }

    void postgresHidesEventsBehindAnOpenTransaction()
    {
        if (m_backend != TestStore::Backend::Postgres)
            QSKIP("PostgreSQL commit-order rule");
        QVERIFY(m_store->append(QStringLiteral("a-1"), ExpectedVersion::any(), makeEvents(1)).ok());
        std::atomic<bool> holding { false };
        std::atomic<bool> release { false };
        // A writer thread holds an append transaction open (via a raw insert) while we append after it.
        QThread* holder = QThread::create([&] {
            auto db = m_store->threadConnection();
            QSqlDatabase conn = db.value();
            conn.transaction();
            QSqlQuery q(conn);
            q.exec(QStringLiteral("SELECT pg_current_xact_id()"));
            holding = true;
            while (!release)
                QThread::msleep(5);
            conn.rollback();
        });
        holder->start();
        QTRY_VERIFY(holding.load());
        QVERIFY(m_store->append(QStringLiteral("a-2"), ExpectedVersion::any(), makeEvents(1)).ok());
        // The second event committed, but an older transaction is still open: $all holds it back. (Other
        // tests' transactions on this server may hold back the first one for a moment too.)
        QTRY_VERIFY_WITH_TIMEOUT(m_store->readAll(0, 100)->size() >= 1, 20000);
        QTest::qWait(200);
        QCOMPARE(m_store->readAll(0, 100)->size(), 1);
        release = true;
        holder->wait();
        delete holder;
        QTRY_COMPARE_WITH_TIMEOUT(m_store->readAll(0, 100)->size(), 2, 20000);
    }

    void importKeepsEventsByteForByte()
    {
        // Payload with keys out of order, unicode and a float: what an export carries must come back unchanged.
        QVERIFY(m_store->append(QStringLiteral("order-1"), ExpectedVersion::noStream(), makeEvents(3)).ok());
        QVERIFY(m_store
                    ->append(QStringLiteral("user-1"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("Named"),
                            { { QStringLiteral("z"), 1.5 }, { QStringLiteral("a"), QStringLiteral("Zoë ✓") } },
                            { { QStringLiteral("actor"), QStringLiteral("ann") } }) })
                    .ok());
        QVERIFY(m_store->append(QStringLiteral("order-1"), ExpectedVersion::exact(2), makeEvents(1)).ok());
        const auto original = m_store->readAll(0, 100);
        QVERIFY(original.ok());

        TestStore other(m_backend);
        auto target = other.open();
        QVERIFY(target.ok());
        QSignalSpy appended(target.value().get(), &EventStore::eventsAppended);
        const auto imported = target.value()->importEvents(original.value());
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message()));
        QCOMPARE(imported.value(), original->size());
        QCOMPARE(appended.count(), 1);
        const auto copy = target.value()->readAll(0, 100);
        QVERIFY(copy.ok());
        QCOMPARE(copy->size(), original->size());
        for (int i = 0; i < copy->size(); ++i) {
            const RecordedEvent& a = original->at(i);
            const RecordedEvent& b = copy->at(i);
            QCOMPARE(b.streamId, a.streamId);
            QCOMPARE(b.streamVersion, a.streamVersion);
            QCOMPARE(b.eventId, a.eventId);
            QCOMPARE(b.eventType, a.eventType);
            QCOMPARE(b.schemaVersion, a.schemaVersion);
            QCOMPARE(b.payload, a.payload);
            QCOMPARE(b.metadata, a.metadata);
            QCOMPARE(b.recordedAt.toMSecsSinceEpoch(), a.recordedAt.toMSecsSinceEpoch());
        }
        const auto info = target.value()->streamInfo(QStringLiteral("order-1"));
        QVERIFY(info.ok() && info.value());
        QCOMPARE(info.value()->lastVersion, 3);
        // Appends continue the imported streams.
        QVERIFY(target.value()->append(QStringLiteral("order-1"), ExpectedVersion::exact(3), makeEvents(1)).ok());
    }

    void importWritesNothingWhenAnEventDoesNotFit()
    {
        QVERIFY(m_store->append(QStringLiteral("order-1"), ExpectedVersion::noStream(), makeEvents(2)).ok());
        const auto events = m_store->readAll(0, 10).value();
        // The store holds these already: duplicate ids, nothing written.
        const auto duplicate = m_store->importEvents(
            { RecordedEvent { 0, QStringLiteral("order-2"), 0, events.at(0).eventId, QStringLiteral("Happened"), 1,
                QByteArrayLiteral("{}"), QByteArrayLiteral("{}"), QDateTime::currentDateTimeUtc() } });
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().code(), StoreError::Code::DuplicateEventId);
        // A gap: the first event fits, the second does not; neither is written.
        RecordedEvent fits { 0, QStringLiteral("order-1"), 2, QUuid::createUuid(), QStringLiteral("Happened"), 1,
            QByteArrayLiteral("{}"), QByteArrayLiteral("{}"), QDateTime::currentDateTimeUtc() };
        RecordedEvent gap = fits;
        gap.eventId = QUuid::createUuid();
        gap.streamVersion = 4;
        const auto refused = m_store->importEvents({ fits, gap });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), StoreError::Code::InvalidArgument);
        QVERIFY2(
            refused.error().message().contains(QStringLiteral("version 4")), qPrintable(refused.error().message()));
        QCOMPARE(count(), 2);
        QCOMPARE(m_store->streamInfo(QStringLiteral("order-1")).value()->lastVersion, 1);
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
