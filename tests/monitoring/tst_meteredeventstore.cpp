// SPDX-License-Identifier: Apache-2.0
// MeteredEventStore: what passes through it lands in the standard metrics (appends, durations, errors).
#include "monitoring/meteredeventstore.h"
#include "monitoring/metricsregistry.h"
#include "monitoring/standardmetrics.h"

#include "teststores.h"

#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

class TestMeteredEventStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordsAppendsReadsAndErrors()
    {
        TestStore test(TestStore::Backend::Sqlite);
        auto store = test.open();
        QVERIFY(store.ok());
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        MeteredEventStore metered(store.value(), metrics);
        QSignalSpy appended(&metered, &EventStore::eventsAppended);

        const QList<EventData> events { EventData::create(QStringLiteral("Happened"), {}),
            EventData::create(QStringLiteral("Happened"), {}), EventData::create(QStringLiteral("Happened"), {}) };
        QVERIFY(metered.append(QStringLiteral("thing-1"), ExpectedVersion::noStream(), events).ok());
        QCOMPARE(metrics.eventsAppended.value(), 3.0);
        QCOMPARE(metrics.eventStoreAppendDuration.count(), quint64(1));
        QCOMPARE(appended.count(), 1);

        // The same events again: stored already, so nothing is appended.
        const auto again = metered.append(QStringLiteral("thing-1"), ExpectedVersion::noStream(), events);
        QVERIFY(again.ok() && again->alreadyApplied);
        QCOMPARE(metrics.eventsAppended.value(), 3.0);

        // A conflict is an error of the append operation.
        QVERIFY(!metered
                     .append(QStringLiteral("thing-1"), ExpectedVersion::noStream(),
                         { EventData::create(QStringLiteral("Happened"), {}) })
                     .ok());
        QCOMPARE(metrics.eventStoreErrors.labels({ QStringLiteral("append") }).value(), 1.0);
        QCOMPARE(metrics.eventStoreAppendDuration.count(), quint64(3));

        QCOMPARE(metered.readStream(QStringLiteral("thing-1"), 0, 10)->size(), 3);
        QCOMPARE(metered.readAll(0, 10)->size(), 3);
        QCOMPARE(metrics.eventStoreReadDuration.count(), quint64(2));
        QVERIFY(!metered.readAll(0, 0).ok()); // a page size of 0 is refused
        QCOMPARE(metrics.eventStoreErrors.labels({ QStringLiteral("read_all") }).value(), 1.0);
        QCOMPARE(metered.headPosition().value(), 3);
    }
};

QTEST_GUILESS_MAIN(TestMeteredEventStore)
#include "tst_meteredeventstore.moc"
