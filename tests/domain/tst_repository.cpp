// SPDX-License-Identifier: Apache-2.0
// Repository over both backends: save/load with upcasting, snapshots every N with retention, stale
// snapshots, time travel, verification of snapshots against events, and optimistic concurrency.
#include "counteraggregate.h"
#include "domain/repository.h"

#include <QSqlQuery>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QString Id = QStringLiteral("counter-1");

std::shared_ptr<const EventTypeRegistry> counterRegistry()
{
    auto registry = std::make_shared<EventTypeRegistry>();
    registry->registerType(QStringLiteral("CounterIncremented"), Counter::IncrementedVersion);
    registry->registerType(QStringLiteral("CounterReset"), 1);
    registry->registerUpcaster(QStringLiteral("CounterIncremented"), 1, [](const QJsonObject& v1) {
        return QJsonObject { { QStringLiteral("by"), v1.value(QLatin1String("amount")) } };
    });
    return registry;
}

Repository::Factory counterFactory()
{
    return [](const QString& id) { return std::make_unique<Counter>(id); };
}

Counter& counterOf(const LoadedAggregate& loaded)
{
    return static_cast<Counter&>(*loaded.aggregate);
}

QString messageOf(const DomainResult<LoadedAggregate>& result)
{
    return result.ok() ? QString() : result.error().message();
}

/// Saves \a count increments of 1..count on \a id, one save each.
bool saveIncrements(Repository& repository, const QString& id, int count)
{
    auto loaded = repository.load(id);
    if (!loaded)
        return false;
    for (int i = 1; i <= count; ++i) {
        if (!counterOf(loaded.value()).increment(i).isEmpty() || !repository.save(*loaded->aggregate).ok())
            return false;
    }
    return true;
}

} // namespace

class TestRepository : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;

    /// Opens a fresh store of the row's backend; false (with a skip or failure reported) when it cannot.
    bool openStore()
    {
        QFETCH(QString, backend);
        m_test = std::make_unique<TestStore>(backendNamed(backend));
        auto store = m_test->open();
        if (!store) {
            QTest::qFail(qPrintable(store.error().message()), __FILE__, __LINE__);
            return false;
        }
        m_store = store.value();
        return true;
    }

private Q_SLOTS:
    void init()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backendNamed(backend));
        QVERIFY(openStore());
    }
    void cleanup()
    {
        m_store.reset();
        m_test.reset();
    }

    void saveAndLoad_data() { addBackendRows(); }
    void saveAndLoad()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy::disabled());
        auto fresh = repository.load(Id);
        QVERIFY2(fresh.ok(), qPrintable(messageOf(fresh)));
        QCOMPARE(fresh->aggregate->version(), NoStreamVersion);
        Counter& counter = counterOf(fresh.value());
        QVERIFY(counter.increment(3).isEmpty());
        QVERIFY(counter.increment(4).isEmpty());
        counter.reset();
        QVERIFY(counter.increment(5).isEmpty());

        auto saved = repository.save(counter, { { QStringLiteral("actor"), QStringLiteral("alice") } });
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message()));
        QCOMPARE(saved->nextExpectedVersion, 3);
        QVERIFY(!counter.hasUncommittedEvents());
        QCOMPARE(counter.committedVersion(), 3);

        auto stored = m_store->readStream(Id, 0, 10);
        QVERIFY(stored.ok());
        QCOMPARE(stored->size(), 4);
        QCOMPARE(stored->at(0).schemaVersion, Counter::IncrementedVersion);
        QCOMPARE(stored->at(2).eventType, QStringLiteral("CounterReset"));
        QCOMPARE(stored->at(3).metadataObject().value(QLatin1String("actor")).toString(), QStringLiteral("alice"));

        auto loaded = repository.load(Id);
        QVERIFY2(loaded.ok(), qPrintable(messageOf(loaded)));
        QCOMPARE(loaded->aggregate->version(), 3);
        QCOMPARE(counterOf(loaded.value()).value(), 5);
        QCOMPARE(counterOf(loaded.value()).increments(), 3);
        QCOMPARE(loaded->report.eventsReplayed, 4);
        QCOMPARE(loaded->report.snapshotVersion, NoStreamVersion);
        QVERIFY(loaded->report.warnings.isEmpty());
    }

    void upcastsStoredEventsOnLoad_data() { addBackendRows(); }
    void upcastsStoredEventsOnLoad()
    {
        // Events written by an older version of the application, in schema version 1.
        const QList<EventData> legacy {
            EventData::create(QStringLiteral("CounterIncremented"), { { QStringLiteral("amount"), 7 } }, {}, 1),
            EventData::create(QStringLiteral("CounterIncremented"), { { QStringLiteral("by"), 2 } }, {}, 2),
            EventData::create(QStringLiteral("CounterIncremented"), { { QStringLiteral("amount"), 1 } }, {}, 1),
        };
        QVERIFY(m_store->append(Id, ExpectedVersion::noStream(), legacy).ok());
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy::disabled());
        auto loaded = repository.load(Id);
        QVERIFY2(loaded.ok(), qPrintable(messageOf(loaded)));
        QCOMPARE(counterOf(loaded.value()).value(), 10);
        QCOMPARE(loaded->report.eventsUpcasted, 2);
        // Reading never rewrites what is stored.
        QCOMPARE(m_store->readStream(Id, 0, 1)->first().payloadObject().value(QLatin1String("amount")).toInt(), 7);

        QVERIFY(m_store
                    ->append(Id, ExpectedVersion::exact(2),
                        { EventData::create(QStringLiteral("CounterIncremented"), {}, {}, 3) })
                    .ok());
        auto tooNew = repository.load(Id);
        QVERIFY(!tooNew.ok());
        QCOMPARE(tooNew.error().code(), DomainError::Code::SchemaVersionTooNew);
    }

    void snapshotsEveryNWithRetention_data() { addBackendRows(); }
    void snapshotsEveryNWithRetention()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy(true, 3, 2));
        QVERIFY(saveIncrements(repository, Id, 10)); // versions 0..9; snapshots at 2, 5, 8; 2 is removed
        auto snapshots = repository.snapshots().list(Id);
        QVERIFY(snapshots.ok());
        QCOMPARE(snapshots->size(), 2);
        QCOMPARE(snapshots->at(0).version, 8);
        QCOMPARE(snapshots->at(1).version, 5);
        QCOMPARE(snapshots->at(0).aggregateType, QStringLiteral("Counter"));
        QCOMPARE(snapshots->at(0).state.value(QLatin1String("value")).toInt(), 45); // 1 + … + 9

        auto loaded = repository.load(Id);
        QVERIFY2(loaded.ok(), qPrintable(messageOf(loaded)));
        QCOMPARE(loaded->report.snapshotVersion, 8);
        QCOMPARE(loaded->report.eventsReplayed, 1);
        QCOMPARE(counterOf(loaded.value()).value(), 55);
        QCOMPARE(loaded->aggregate->version(), 9);

        // One save of several events that crosses a multiple of N snapshots once, at its last event.
        Counter& counter = counterOf(loaded.value());
        counter.reset();
        QVERIFY(counter.increment(1).isEmpty());
        QVERIFY(counter.increment(1).isEmpty());
        QVERIFY(repository.save(counter).ok()); // versions 10..12: 12 + 1 = 13 events crosses 12
        QCOMPARE(repository.snapshots().list(Id)->first().version, 12);
        QCOMPARE(repository.snapshots().list(Id)->size(), 2);
    }

    void staleSnapshotIgnoredAndReported_data() { addBackendRows(); }
    void staleSnapshotIgnoredAndReported()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy(true, 3, 5));
        QVERIFY(saveIncrements(repository, Id, 7)); // snapshots at 2 and 5
        Snapshot stale;
        stale.streamId = Id;
        stale.version = 6;
        stale.aggregateType = QStringLiteral("Counter");
        stale.schemaVersion = 99;
        stale.state = { { QStringLiteral("count"), 1000 } };
        QVERIFY(repository.snapshots().save(stale).ok());

        auto loaded = repository.load(Id);
        QVERIFY2(loaded.ok(), qPrintable(messageOf(loaded)));
        QCOMPARE(loaded->report.warnings.size(), 1);
        QVERIFY2(loaded->report.warnings.first().contains(QLatin1String("version 6")),
            qPrintable(loaded->report.warnings.first()));
        QVERIFY(loaded->report.warnings.first().contains(QLatin1String("schema version 99")));
        QCOMPARE(loaded->report.snapshotVersion, 5);
        QCOMPARE(loaded->report.eventsReplayed, 1);
        QCOMPARE(counterOf(loaded.value()).value(), 28); // 1 + … + 7
    }

    void loadAtNeverUsesLaterSnapshot_data() { addBackendRows(); }
    void loadAtNeverUsesLaterSnapshot()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy(true, 3, 5));
        QVERIFY(saveIncrements(repository, Id, 10)); // snapshots at 2, 5, 8

        auto atFour = repository.loadAt(Id, 4);
        QVERIFY2(atFour.ok(), qPrintable(messageOf(atFour)));
        QCOMPARE(atFour->aggregate->version(), 4);
        QCOMPARE(counterOf(atFour.value()).value(), 15);
        QCOMPARE(atFour->report.snapshotVersion, 2);
        QCOMPARE(atFour->report.eventsReplayed, 2);

        auto atFive = repository.loadAt(Id, 5);
        QVERIFY(atFive.ok());
        QCOMPARE(atFive->report.snapshotVersion, 5);
        QCOMPARE(atFive->report.eventsReplayed, 0);
        QCOMPARE(counterOf(atFive.value()).value(), 21);

        auto atZero = repository.loadAt(Id, 0);
        QVERIFY(atZero.ok());
        QCOMPARE(atZero->report.snapshotVersion, NoStreamVersion);
        QCOMPARE(counterOf(atZero.value()).value(), 1);

        auto beyond = repository.loadAt(Id, 500); // the stream ends at 9
        QVERIFY(beyond.ok());
        QCOMPARE(beyond->aggregate->version(), 9);
        QCOMPARE(repository.loadAt(Id, -1).error().code(), DomainError::Code::InvalidStream);
    }

    void verifyMatchAndMismatch_data() { addBackendRows(); }
    void verifyMatchAndMismatch()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy(true, 3, 5));
        auto none = repository.verify(Id);
        QVERIFY(none.ok());
        QCOMPARE(none->outcome, SnapshotVerification::Outcome::NoSnapshot);

        QVERIFY(saveIncrements(repository, Id, 4)); // snapshot at 2
        auto match = repository.verify(Id);
        QVERIFY2(match.ok(), qPrintable(match.ok() ? QString() : match.error().message()));
        QCOMPARE(match->outcome, SnapshotVerification::Outcome::Match);
        QCOMPARE(match->snapshotVersion, 2);
        QCOMPARE(match->storedState, match->rebuiltState);
        QCOMPARE(match->rebuiltState.value(QLatin1String("value")).toInt(), 6);

        {
            QSqlQuery tamper(m_store->threadConnection().value());
            QVERIFY(tamper.prepare(
                QStringLiteral("UPDATE es_snapshots SET state = ? WHERE stream_id = ? AND version = 2")));
            tamper.addBindValue(QStringLiteral(R"({"value":999,"increments":3})"));
            tamper.addBindValue(Id);
            QVERIFY(tamper.exec());
            QCOMPARE(tamper.numRowsAffected(), 1);
        }
        auto mismatch = repository.verify(Id);
        QVERIFY(mismatch.ok());
        QCOMPARE(mismatch->outcome, SnapshotVerification::Outcome::Mismatch);
        QCOMPARE(mismatch->storedState.value(QLatin1String("value")).toInt(), 999);
        QCOMPARE(mismatch->rebuiltState.value(QLatin1String("value")).toInt(), 6);
        QCOMPARE(mismatch->rebuiltState.value(QLatin1String("increments")).toInt(), 3);
    }

    void saveConflictPassesWrongExpectedVersion_data() { addBackendRows(); }
    void saveConflictPassesWrongExpectedVersion()
    {
        Repository repository(m_store, counterRegistry(), counterFactory(), SnapshotPolicy::disabled());
        QVERIFY(saveIncrements(repository, Id, 2)); // versions 0, 1
        auto first = repository.load(Id);
        auto second = repository.load(Id);
        QVERIFY(first.ok() && second.ok());
        QVERIFY(counterOf(first.value()).increment(1).isEmpty());
        QVERIFY(repository.save(*first->aggregate).ok());

        Counter& late = counterOf(second.value());
        QVERIFY(late.increment(2).isEmpty());
        auto conflict = repository.save(late);
        QVERIFY(!conflict.ok());
        QCOMPARE(conflict.error().code(), StoreError::Code::WrongExpectedVersion);
        QVERIFY(conflict.error().wrongExpectedVersion().has_value());
        QCOMPARE(conflict.error().wrongExpectedVersion()->expected, ExpectedVersion::exact(1));
        QCOMPARE(conflict.error().wrongExpectedVersion()->actual, 2);
        QCOMPARE(late.uncommittedEvents().size(), 1); // kept for the caller to retry after reloading

        // A new aggregate for an id that exists already expects "no stream".
        Counter duplicate(Id);
        QVERIFY(duplicate.increment(1).isEmpty());
        auto exists = repository.save(duplicate);
        QVERIFY(!exists.ok());
        QCOMPARE(exists.error().wrongExpectedVersion()->expected, ExpectedVersion::noStream());
        QCOMPARE(exists.error().wrongExpectedVersion()->actual, 2);
        QCOMPARE(m_store->readStream(Id, 0, 10)->size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestRepository)
#include "tst_repository.moc"
