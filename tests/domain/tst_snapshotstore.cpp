// SPDX-License-Identifier: Apache-2.0
// SnapshotStore over both backends (es_snapshots, schema migration 2) and SnapshotPolicy.
#include "counteraggregate.h"
#include "domain/snapshotpolicy.h"
#include "domain/snapshotstore.h"

#include <QSqlQuery>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

Snapshot snapshotAt(const QString& stream, StreamVersion version, int value)
{
    Snapshot snapshot;
    snapshot.streamId = stream;
    snapshot.version = version;
    snapshot.aggregateType = QStringLiteral("Counter");
    snapshot.schemaVersion = 1;
    snapshot.state = { { QStringLiteral("value"), value } };
    return snapshot;
}

} // namespace

class TestSnapshotStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void saveListLatest_data() { addBackendRows(); }
    void saveListLatest()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backendNamed(backend));
        TestStore test(backendNamed(backend));
        auto store = test.open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        SnapshotStore snapshots(store.value());

        auto none = snapshots.latest(QStringLiteral("counter-1"));
        QVERIFY(none.ok());
        QVERIFY(!none->has_value());

        Snapshot first = snapshotAt(QStringLiteral("counter-1"), 4, 40);
        first.takenAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
        QVERIFY(snapshots.save(first).ok());
        QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-1"), 9, 90)).ok());
        QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-2"), 20, 200)).ok());

        auto latest = snapshots.latest(QStringLiteral("counter-1"));
        QVERIFY(latest.ok() && latest->has_value());
        QCOMPARE((*latest)->version, 9);
        QCOMPARE((*latest)->state.value(QLatin1String("value")).toInt(), 90);
        QVERIFY((*latest)->takenAt.isValid());

        auto before = snapshots.latest(QStringLiteral("counter-1"), 8);
        QVERIFY(before.ok() && before->has_value());
        QCOMPARE((*before)->version, 4);
        QCOMPARE((*before)->aggregateType, QStringLiteral("Counter"));
        QCOMPARE((*before)->schemaVersion, 1);
        QCOMPARE((*before)->takenAt, first.takenAt);
        QVERIFY(!snapshots.latest(QStringLiteral("counter-1"), 3)->has_value());

        auto all = snapshots.list(QStringLiteral("counter-1"));
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).version, 9); // newest first
        QCOMPARE(all->at(1).version, 4);

        // Saving the same version again replaces it.
        QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-1"), 9, 91)).ok());
        QCOMPARE(snapshots.list(QStringLiteral("counter-1"))->size(), 2);
        QCOMPARE((*snapshots.latest(QStringLiteral("counter-1")))->state.value(QLatin1String("value")).toInt(), 91);
    }

    void retainKeepsNewest_data() { addBackendRows(); }
    void retainKeepsNewest()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backendNamed(backend));
        TestStore test(backendNamed(backend));
        auto store = test.open();
        QVERIFY(store.ok());
        SnapshotStore snapshots(store.value());
        for (int version : { 2, 5, 8, 11, 14 })
            QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-1"), version, version)).ok());
        QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-2"), 1, 1)).ok());

        auto removed = snapshots.retain(QStringLiteral("counter-1"), 2);
        QVERIFY(removed.ok());
        QCOMPARE(removed.value(), 3);
        auto left = snapshots.list(QStringLiteral("counter-1"));
        QCOMPARE(left->size(), 2);
        QCOMPARE(left->at(0).version, 14);
        QCOMPARE(left->at(1).version, 11);
        QCOMPARE(snapshots.list(QStringLiteral("counter-2"))->size(), 1); // other streams untouched
        QCOMPARE(snapshots.retain(QStringLiteral("counter-1"), -1).error().code(), StoreError::Code::InvalidArgument);
    }

    void migrationTwoCreatesTable_data() { addBackendRows(); }
    void migrationTwoCreatesTable()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backendNamed(backend));
        TestStore test(backendNamed(backend));
        auto store = test.open();
        QVERIFY(store.ok());
        QSqlQuery query(store.value()->threadConnection().value());
        QVERIFY(query.exec(QStringLiteral("SELECT MAX(version) FROM es_schema_migrations")) && query.next());
        QCOMPARE(query.value(0).toInt(), SqlEventStore::currentSchemaVersion());
        QVERIFY(
            query.exec(QStringLiteral("SELECT COUNT(*) FROM es_schema_migrations WHERE version = 2")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM es_snapshots")) && query.next());
        QCOMPARE(query.value(0).toInt(), 0);
    }

    void upgradesStoreFromSchemaOne_data() { addBackendRows(); }
    void upgradesStoreFromSchemaOne()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backendNamed(backend));
        TestStore test(backendNamed(backend));
        {
            // Turn a fresh store into one written before snapshots existed: schema version 1, one event. The
            // reopen then runs every later migration (snapshots, projections).
            auto store = test.open();
            QVERIFY(store.ok());
            QVERIFY(store.value()
                        ->append(QStringLiteral("counter-1"), ExpectedVersion::noStream(),
                            { EventData::create(QStringLiteral("CounterIncremented"), {}) })
                        .ok());
            QSqlQuery query(store.value()->threadConnection().value());
            QVERIFY(query.exec(QStringLiteral("DROP TABLE es_snapshots")));
            QVERIFY(query.exec(QStringLiteral("DROP TABLE es_projections")));
            QVERIFY(query.exec(QStringLiteral("DROP TABLE es_operator_audit")));
            QVERIFY(query.exec(QStringLiteral("DELETE FROM es_schema_migrations WHERE version >= 2")));
        }
        auto reopened = test.open();
        QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().message()));
        QCOMPARE(reopened.value()->eventCount().value(), 1);
        SnapshotStore snapshots(reopened.value());
        QVERIFY(snapshots.save(snapshotAt(QStringLiteral("counter-1"), 0, 1)).ok());
        QCOMPARE(snapshots.list(QStringLiteral("counter-1"))->size(), 1);
        QSqlQuery query(reopened.value()->threadConnection().value());
        QVERIFY(query.exec(QStringLiteral("SELECT MAX(version) FROM es_schema_migrations")) && query.next());
        QCOMPARE(query.value(0).toInt(), SqlEventStore::currentSchemaVersion());
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM es_projections")) && query.next());
        QCOMPARE(query.value(0).toInt(), 0);
    }

    void policyEveryN_data()
    {
        QTest::addColumn<int>("frequency");
        QTest::addColumn<qlonglong>("before");
        QTest::addColumn<qlonglong>("after");
        QTest::addColumn<bool>("snapshot");
        // A stream at version v holds v + 1 events.
        QTest::newRow("new stream, 3 events, every 3") << 3 << -1LL << 2LL << true;
        QTest::newRow("new stream, 2 events, every 3") << 3 << -1LL << 1LL << false;
        QTest::newRow("crosses 6 events") << 3 << 4LL << 6LL << true;
        QTest::newRow("lands on 6 events") << 3 << 4LL << 5LL << true;
        QTest::newRow("from 6 to 8 events") << 3 << 5LL << 7LL << false;
        QTest::newRow("nothing appended") << 3 << 5LL << 5LL << false;
        QTest::newRow("every event") << 1 << 7LL << 8LL << true;
    }
    void policyEveryN()
    {
        QFETCH(int, frequency);
        QFETCH(qlonglong, before);
        QFETCH(qlonglong, after);
        QFETCH(bool, snapshot);
        QCOMPARE(SnapshotPolicy(true, frequency, 3).shouldSnapshot(before, after), snapshot);
        QVERIFY(!SnapshotPolicy(false, frequency, 3).shouldSnapshot(before, after));
    }

    void policyFromConfig()
    {
        AppConfig::Snapshots config;
        config.enabled = true;
        config.frequency = 25;
        config.retain = 4;
        const SnapshotPolicy policy = SnapshotPolicy::fromConfig(config);
        QVERIFY(policy.enabled());
        QCOMPARE(policy.frequency(), 25);
        QCOMPARE(policy.retain(), 4);
        config.enabled = false;
        QVERIFY(!SnapshotPolicy::fromConfig(config).enabled());
        QVERIFY(!SnapshotPolicy(true, 0, 3).enabled()); // a frequency of 0 cannot be honoured
    }
};

QTEST_GUILESS_MAIN(TestSnapshotStore)
#include "tst_snapshotstore.moc"
