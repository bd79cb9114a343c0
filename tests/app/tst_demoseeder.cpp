// SPDX-License-Identifier: Apache-2.0
#include "demostorecheck.h"

#include "config/appconfig.h"
#include "domain/snapshotstore.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "samples/demoseeder.h"
#include "samples/user/useraggregate.h"

#include <QDateTime>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace EventScope;

class TestDemoSeeder : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<SqlEventStore> openStore(const QString& name)
    {
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Sqlite;
        settings.connection = m_dir.filePath(name);
        settings.sqliteSynchronous = StoreSettings::SqliteSync::Normal;
        auto store = SqlEventStore::open(settings);
        if (!store) {
            qWarning().noquote() << store.error().message();
            return {};
        }
        return store.value();
    }

    static bool legacy(const RecordedEvent& e)
    {
        return e.eventType == QStringLiteral("UserCreated") && e.schemaVersion == 1;
    }

    /**
     * Every event of $all, in order, as comparable text. Left out: recorded_at and positions, and the ids
     * of events written by commands (the domain layer draws them at random; the legacy version 1 events
     * keep theirs).
     */
    static QStringList history(EventStore& store)
    {
        QStringList lines;
        GlobalPosition after = 0;
        while (true) {
            const auto page = store.readAll(after, 1000);
            if (!page || page->isEmpty())
                return lines;
            for (const RecordedEvent& e : page.value()) {
                lines << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                             .arg(e.streamId)
                             .arg(e.streamVersion)
                             .arg(legacy(e) ? e.eventId.toString() : QString(), e.eventType)
                             .arg(e.schemaVersion)
                             .arg(QString::fromUtf8(e.payload), QString::fromUtf8(e.metadata));
            }
            after = page->last().position;
        }
    }

    /// Every event of $all, in order.
    static QList<RecordedEvent> events(EventStore& store)
    {
        QList<RecordedEvent> all;
        GlobalPosition after = 0;
        while (true) {
            const auto page = store.readAll(after, 1000);
            if (!page || page->isEmpty())
                return all;
            all.append(page.value());
            after = page->last().position;
        }
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writesTheRequestedHistory()
    {
        auto store = openStore(QStringLiteral("default.sqlite"));
        QVERIFY(store);
        const DemoSeeder::Options options; // 120 users, 80 accounts, 3000 events
        const auto summary = DemoSeeder::seed(*store, options);
        QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().message()));

        QCOMPARE(summary->events, 3000);
        QCOMPARE(summary->userStreams, options.users);
        QCOMPARE(summary->accountStreams, options.accounts);
        QCOMPARE(summary->streams, options.users + options.accounts);
        // Every command (and every legacy append) writes one event.
        QCOMPARE(summary->appends, 3000);
        QCOMPARE(summary->alreadyPresent, 0);
        QCOMPARE(store->eventCount().value(), 3000);

        const DemoStoreCheck::Result check = DemoStoreCheck::check(*store);
        QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.mid(0, 10).join(u'\n')));
        QCOMPARE(check.events, 3000);
        QCOMPARE(check.userStreams, options.users);
        QCOMPARE(check.accountStreams, options.accounts);
        QVERIFY(check.lowestBalance >= 0);
        QVERIFY(check.correctiveEvents > 0);

        // A believable store has every kind of event, and both schema versions of UserCreated.
        const auto types = store->eventTypes();
        QVERIFY(types.ok());
        QHash<QString, qint64> counts;
        for (const EventTypeCount& type : types.value())
            counts.insert(type.eventType, type.count);
        for (const char* type : { "UserCreated", "UserRenamed", "UserEmailChanged", "UserDeactivated",
                 "UserReactivated", "AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "AccountFrozen",
                 "AccountUnfrozen", "TransactionReversed", "BalanceCorrected" })
            QVERIFY2(counts.value(QLatin1String(type)) > 0, type);
        QCOMPARE(counts.value(QStringLiteral("UserCreated")), options.users);
        QCOMPARE(counts.value(QStringLiteral("AccountOpened")), options.accounts);

        int v1 = 0;
        int v2 = 0;
        GlobalPosition after = 0;
        AllFilter created;
        created.eventTypes << QStringLiteral("UserCreated");
        while (true) {
            const auto page = store->readAll(after, 500, created);
            QVERIFY(page.ok());
            if (page->isEmpty())
                break;
            for (const RecordedEvent& e : page.value())
                (e.schemaVersion == 1 ? v1 : v2)++;
            after = page->last().position;
        }
        QVERIFY(v1 > 0);
        QVERIFY(v2 > 0);
        QCOMPARE(v1, options.users * 2 / 5);

        // Through the domains: the registry reads the legacy events as version 2, and the users they
        // created load as aggregates; busy aggregates have snapshots taken every 10 events.
        auto engine = Engine::create(AppConfig {}, store);
        QVERIFY2(engine.ok(), engine.ok() ? "" : qPrintable(engine.error().message()));
        const auto users = engine.value()->repositories().repository(
            QStringLiteral("User"), [](const QString& id) { return std::make_unique<UserAggregate>(id); });
        const auto legacy = store->readAll(0, 2000, created);
        QVERIFY(legacy.ok());
        int upcast = 0;
        for (const RecordedEvent& e : legacy.value()) {
            const auto decoded = engine.value()->registry().decode(e);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : qPrintable(decoded.error().message()));
            QCOMPARE(decoded->schemaVersion, 2);
            QVERIFY(!decoded->payload.value(QStringLiteral("firstName")).toString().isEmpty());
            QVERIFY(!decoded->payload.value(QStringLiteral("lastName")).toString().isEmpty());
            QVERIFY(!decoded->payload.contains(QStringLiteral("name")));
            if (e.schemaVersion == 1) {
                ++upcast;
                const auto user = users->load(e.streamId);
                QVERIFY2(user.ok(), qPrintable(e.streamId));
                QVERIFY2(static_cast<const UserAggregate&>(*user->aggregate).exists(), qPrintable(e.streamId));
            }
        }
        QCOMPARE(upcast, v1);

        SnapshotStore snapshots(store);
        int withSnapshots = 0;
        QString after2;
        do {
            const auto page = store->listStreams({}, after2, 200);
            QVERIFY(page.ok());
            for (const StreamInfo& info : page->streams) {
                const auto list = snapshots.list(info.streamId);
                QVERIFY(list.ok());
                for (const Snapshot& snapshot : list.value())
                    QVERIFY2((snapshot.version + 1) % 10 == 0, qPrintable(info.streamId));
                if (!list->isEmpty())
                    ++withSnapshots;
                QVERIFY2(list->isEmpty() == (info.lastVersion < 9), qPrintable(info.streamId));
            }
            after2 = page->nextAfter;
        } while (!after2.isEmpty());
        QVERIFY(withSnapshots > 0);
    }

    void isDeterministicForASeed()
    {
        DemoSeeder::Options options;
        options.users = 30;
        options.accounts = 20;
        options.targetEvents = 600;
        options.seed = 7;
        auto first = openStore(QStringLiteral("seed7-a.sqlite"));
        auto second = openStore(QStringLiteral("seed7-b.sqlite"));
        auto other = openStore(QStringLiteral("seed8.sqlite"));
        QVERIFY(first && second && other);
        QVERIFY(DemoSeeder::seed(*first, options).ok());
        QVERIFY(DemoSeeder::seed(*second, options).ok());
        options.seed = 8;
        QVERIFY(DemoSeeder::seed(*other, options).ok());

        const QStringList a = history(*first);
        const QStringList b = history(*second);
        const QStringList c = history(*other);
        QCOMPARE(a.size(), 600);
        QCOMPARE(a, b);
        QCOMPARE(c.size(), 600);
        QVERIFY(a.first() != c.first());
        QVERIFY(DemoStoreCheck::check(*other).problems.isEmpty());
    }

    void writesExactlyTheTarget_data()
    {
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("accounts");
        QTest::addColumn<int>("target");
        QTest::newRow("one event") << 5 << 5 << 1;
        QTest::newRow("fewer events than creations") << 50 << 40 << 37;
        QTest::newRow("users only") << 10 << 0 << 200;
        QTest::newRow("one busy account") << 1 << 1 << 1500;
    }

    void writesExactlyTheTarget()
    {
        QFETCH(int, users);
        QFETCH(int, accounts);
        QFETCH(int, target);
        auto store = openStore(QStringLiteral("target-%1-%2-%3.sqlite").arg(users).arg(accounts).arg(target));
        QVERIFY(store);
        const auto summary = DemoSeeder::seed(*store, { users, accounts, target, 99 });
        QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().message()));
        QCOMPARE(summary->events, target);
        QCOMPARE(store->eventCount().value(), target);
        QVERIFY(summary->userStreams <= users);
        QVERIFY(summary->accountStreams <= accounts);
        // Users and accounts are created interleaved, so even a short history has both.
        if (accounts > 0 && target >= 10)
            QVERIFY(summary->accountStreams > 0);
        const DemoStoreCheck::Result check = DemoStoreCheck::check(*store);
        QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.mid(0, 10).join(u'\n')));
        QCOMPARE(check.userStreams + check.accountStreams, summary->streams);
    }

    void rejectsOptionsOutOfRange()
    {
        auto store = openStore(QStringLiteral("invalid.sqlite"));
        QVERIFY(store);
        for (const DemoSeeder::Options& options :
            { DemoSeeder::Options { 0, 1, 10, 1 }, DemoSeeder::Options { 1, -1, 10, 1 },
                DemoSeeder::Options { 1, 1, 0, 1 }, DemoSeeder::Options { 1, 1, 10, 1, -1 },
                DemoSeeder::Options { 1, 1, 10, 1, DemoSeeder::MaxHistoryDays + 1 } }) {
            const auto summary = DemoSeeder::seed(*store, options);
            QVERIFY(!summary.ok());
            QCOMPARE(summary.error().code(), StoreError::Code::InvalidArgument);
            QVERIFY(!summary.error().message().isEmpty());
        }
        QCOMPARE(store->eventCount().value(), 0);
    }

    void spreadsTheHistoryOverTheLastDays_data()
    {
        QTest::addColumn<int>("days");
        QTest::newRow("90 days (the default)") << DemoSeeder::Options().historyDays;
        QTest::newRow("a week") << 7;
        QTest::newRow("a year") << 365;
    }

    void spreadsTheHistoryOverTheLastDays()
    {
        QFETCH(int, days);
        QCOMPARE(DemoSeeder::Options().historyDays, 90);
        auto store = openStore(QStringLiteral("days-%1.sqlite").arg(days));
        QVERIFY(store);
        DemoSeeder::Options options { 30, 20, 600, 11 };
        options.historyDays = days;
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const auto summary = DemoSeeder::seed(*store, options);
        const QDateTime after = QDateTime::currentDateTimeUtc();
        QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().message()));

        const QList<RecordedEvent> all = events(*store);
        QCOMPARE(all.size(), 600);
        // From the end of the seeding back `days` days, to the end of the seeding; never later.
        QVERIFY2(all.first().recordedAt >= before.addDays(-days) && all.first().recordedAt <= after.addDays(-days),
            qPrintable(all.first().recordedAt.toString(Qt::ISODateWithMs)));
        QVERIFY2(all.last().recordedAt >= before && all.last().recordedAt <= after,
            qPrintable(all.last().recordedAt.toString(Qt::ISODateWithMs)));
        QSet<QDate> activeDays;
        int workingHours = 0;
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QDateTime at = all.at(i).recordedAt.toUTC();
            QVERIFY(at <= after);
            if (i > 0)
                QVERIFY2(all.at(i - 1).recordedAt <= at,
                    qPrintable(QStringLiteral("%1 at %2 after %3")
                                   .arg(i)
                                   .arg(at.toString(Qt::ISODateWithMs),
                                       all.at(i - 1).recordedAt.toString(Qt::ISODateWithMs))));
            activeDays.insert(at.date());
            if (at.date().dayOfWeek() < Qt::Saturday && at.time().hour() >= 8 && at.time().hour() < 18)
                ++workingHours;
        }
        // Spread out, not bunched: most days have events, and most events happen in working hours (UTC).
        QVERIFY2(activeDays.size() >= std::min(days, 600) * 6 / 10, qPrintable(QString::number(activeDays.size())));
        QVERIFY2(workingHours > all.size() / 2, qPrintable(QString::number(workingHours)));

        // The streams' first and last times follow their events.
        for (const QString& streamId : { all.first().streamId, all.last().streamId }) {
            const auto info = store->streamInfo(streamId);
            QVERIFY(info.ok() && info.value());
            const auto stream = store->readStream(streamId, 0, 10000);
            QVERIFY(stream.ok() && !stream->isEmpty());
            QCOMPARE(info.value()->firstRecordedAt, stream->constFirst().recordedAt);
            QCOMPARE(info.value()->lastRecordedAt, stream->constLast().recordedAt);
        }

        // Seeding again writes nothing, times included.
        const auto again = DemoSeeder::seed(*store, options);
        QVERIFY(again.ok());
        QCOMPARE(again->events, 0);
        const QList<RecordedEvent> unchanged = events(*store);
        QCOMPARE(unchanged.size(), all.size());
        for (qsizetype i = 0; i < all.size(); ++i)
            QCOMPARE(unchanged.at(i).recordedAt, all.at(i).recordedAt);
    }

    void zeroDaysKeepsTheAppendTimes()
    {
        auto store = openStore(QStringLiteral("days-0.sqlite"));
        QVERIFY(store);
        DemoSeeder::Options options { 10, 5, 120, 5 };
        options.historyDays = 0;
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        QVERIFY(DemoSeeder::seed(*store, options).ok());
        const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1);
        const QList<RecordedEvent> all = events(*store);
        QCOMPARE(all.size(), 120);
        for (const RecordedEvent& event : all)
            QVERIFY(event.recordedAt >= before && event.recordedAt <= after);
    }

    void seedingTwiceNeverMixesHistories()
    {
        auto store = openStore(QStringLiteral("twice.sqlite"));
        QVERIFY(store);
        const DemoSeeder::Options options { 10, 5, 100, 3 };
        const auto first = DemoSeeder::seed(*store, options);
        QVERIFY(first.ok());
        QCOMPARE(first->events, 100);
        QCOMPARE(first->alreadyPresent, 0);

        // The same options again: every event is recognised by its correlation id, nothing is written.
        const auto again = DemoSeeder::seed(*store, options);
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().message()));
        QCOMPARE(again->events, 0);
        QCOMPARE(again->alreadyPresent, 100);
        QCOMPARE(store->eventCount().value(), 100);

        // The same seed with other sizes diverges from the stored history: the store refuses to mix them.
        const auto diverging = DemoSeeder::seed(*store, { 10, 5, 400, 3 });
        QVERIFY(!diverging.ok());
        QCOMPARE(diverging.error().code(), StoreError::Code::WrongExpectedVersion);
        QVERIFY(DemoStoreCheck::check(*store).problems.isEmpty());
        const qint64 afterConflict = store->eventCount().value();

        // Another seed writes other streams, next to the first ones.
        QVERIFY(DemoSeeder::seed(*store, { 10, 5, 100, 4 }).ok());
        QCOMPARE(store->eventCount().value(), afterConflict + 100);
        QVERIFY(DemoStoreCheck::check(*store).problems.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDemoSeeder)
#include "tst_demoseeder.moc"
