// SPDX-License-Identifier: Apache-2.0
// AggregateRoot: given past events, when a decision is made, then which events are recorded.
#include "counteraggregate.h"

#include <QTest>

using namespace EventScope;
using EventScope::Test::Counter;

namespace {

DomainEvent incremented(int by)
{
    DomainEvent event;
    event.type = QStringLiteral("CounterIncremented");
    event.payload = { { QStringLiteral("by"), by } };
    return event;
}

} // namespace

class TestAggregateRoot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void newAggregateHasNoVersion()
    {
        Counter counter(QStringLiteral("counter-1"));
        QCOMPARE(counter.id(), QStringLiteral("counter-1"));
        QCOMPARE(counter.aggregateType(), QStringLiteral("Counter"));
        QCOMPARE(counter.version(), NoStreamVersion);
        QCOMPARE(counter.committedVersion(), NoStreamVersion);
        QVERIFY(!counter.hasUncommittedEvents());
    }

    void givenEventsReplayBuildsStateWithoutRecording()
    {
        Counter counter(QStringLiteral("counter-1"));
        counter.replay(incremented(2));
        counter.replay(incremented(5));
        QCOMPARE(counter.value(), 7);
        QCOMPARE(counter.version(), 1);
        QCOMPARE(counter.committedVersion(), 1);
        QVERIFY(counter.uncommittedEvents().isEmpty());
    }

    void whenDecisionSucceedsThenEventIsRaisedAndApplied()
    {
        Counter counter(QStringLiteral("counter-1"));
        counter.replay(incremented(10));
        QCOMPARE(counter.increment(3), QString());
        QCOMPARE(counter.value(), 13);
        QCOMPARE(counter.version(), 1);
        QCOMPARE(counter.committedVersion(), 0);
        QCOMPARE(counter.uncommittedEvents().size(), 1);
        const DomainEvent& raised = counter.uncommittedEvents().first();
        QCOMPARE(raised.type, QStringLiteral("CounterIncremented"));
        QCOMPARE(raised.payload.value(QLatin1String("by")).toInt(), 3);
        QCOMPARE(raised.schemaVersion, Counter::IncrementedVersion);
        QVERIFY(!raised.eventId.isNull());
        QVERIFY(!raised.stored.has_value());
        QCOMPARE(raised.streamVersion(), NoStreamVersion);

        counter.reset();
        QCOMPARE(counter.value(), 0);
        QCOMPARE(counter.uncommittedEvents().size(), 2);
        QVERIFY(counter.uncommittedEvents().at(0).eventId != counter.uncommittedEvents().at(1).eventId);
    }

    void whenInvariantIsViolatedThenNothingIsRecorded_data()
    {
        QTest::addColumn<int>("by");
        QTest::addColumn<QString>("reason");
        QTest::newRow("zero") << 0 << QStringLiteral("step must be positive");
        QTest::newRow("negative") << -4 << QStringLiteral("step must be positive");
        QTest::newRow("over limit") << 95 << QStringLiteral("limit exceeded");
    }
    void whenInvariantIsViolatedThenNothingIsRecorded()
    {
        QFETCH(int, by);
        QFETCH(QString, reason);
        Counter counter(QStringLiteral("counter-1"));
        counter.replay(incremented(10));
        QCOMPARE(counter.increment(by), reason);
        QCOMPARE(counter.value(), 10);
        QCOMPARE(counter.version(), 0);
        QVERIFY(!counter.hasUncommittedEvents());
    }

    void markCommittedKeepsVersion()
    {
        Counter counter(QStringLiteral("counter-1"));
        QVERIFY(counter.increment(1).isEmpty());
        QVERIFY(counter.increment(1).isEmpty());
        counter.markCommitted();
        QVERIFY(!counter.hasUncommittedEvents());
        QCOMPARE(counter.version(), 1);
        QCOMPARE(counter.committedVersion(), 1);
    }

    void snapshotRoundTrip()
    {
        Counter original(QStringLiteral("counter-1"));
        for (int i = 1; i <= 4; ++i)
            original.replay(incremented(i));
        Counter restored(QStringLiteral("counter-1"));
        QVERIFY(restored.restoreSnapshot(original.snapshotState(), original.version()));
        QCOMPARE(restored.version(), 3);
        QCOMPARE(restored.value(), 10);
        QCOMPARE(restored.increments(), 4);
        QCOMPARE(restored.snapshotState(), original.snapshotState());
        restored.replay(incremented(1));
        QCOMPARE(restored.version(), 4);
    }

    void rejectedSnapshotLeavesAggregateNew()
    {
        Counter counter(QStringLiteral("counter-1"));
        QVERIFY(!counter.restoreSnapshot({ { QStringLiteral("value"), QStringLiteral("ten") } }, 7));
        QCOMPARE(counter.version(), NoStreamVersion);
        QCOMPARE(counter.value(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAggregateRoot)
#include "tst_aggregateroot.moc"
