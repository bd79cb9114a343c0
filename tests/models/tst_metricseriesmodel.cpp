// SPDX-License-Identifier: Apache-2.0
// MetricSeriesModel: values, counter rates over a sliding window, histogram quantiles from bucket deltas,
// lines split by a label, a counter reset, the bounded history; and sampling a real MetricsRegistry.
#include "metricseriesmodel.h"

#include "monitoring/monitoringhub.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace EventScope;

namespace {

using Transform = MetricSeriesModel::Transform;

MetricSeriesModel::Selector selector(
    const QString& metric, Transform transform, const QString& splitBy = {}, double q = 0.5, int windowMs = 1000)
{
    MetricSeriesModel::Selector result;
    result.metric = metric;
    result.transform = transform;
    result.splitBy = splitBy;
    result.quantile = q;
    result.window = std::chrono::milliseconds(windowMs);
    return result;
}

MetricSnapshot counter(const QString& name, const QStringList& labelNames,
    const QList<QPair<QStringList, double>>& series, MetricType type = MetricType::Counter)
{
    MetricSnapshot snapshot;
    snapshot.name = name;
    snapshot.type = type;
    snapshot.labelNames = labelNames;
    for (const auto& [labels, value] : series) {
        MetricSeriesSnapshot entry;
        entry.labelValues = labels;
        entry.value = value;
        snapshot.series << entry;
    }
    return snapshot;
}

/// A histogram with bounds 1, 2, 4 and the given cumulative counts (4 values: three bounds and +Inf).
MetricSnapshot histogram(const QString& name, const QList<quint64>& cumulative)
{
    MetricSnapshot snapshot;
    snapshot.name = name;
    snapshot.type = MetricType::Histogram;
    snapshot.bounds = { 1.0, 2.0, 4.0 };
    MetricSeriesSnapshot entry;
    entry.bucketCounts = cumulative;
    entry.count = cumulative.constLast();
    snapshot.series << entry;
    return snapshot;
}

} // namespace

class TestMetricSeriesModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quantileInterpolatesWithinTheBucket_data()
    {
        QTest::addColumn<QList<quint64>>("cumulative");
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("expected");
        // bounds 1, 2, 4
        QTest::newRow("median in the first bucket") << QList<quint64> { 10, 10, 10, 10 } << 0.5 << 0.5;
        QTest::newRow("median in the second") << QList<quint64> { 0, 10, 10, 10 } << 0.5 << 1.5;
        QTest::newRow("p90 across buckets") << QList<quint64> { 5, 5, 10, 10 } << 0.9 << 3.6;
        QTest::newRow("in +Inf: the highest bound") << QList<quint64> { 0, 0, 0, 4 } << 0.99 << 4.0;
        QTest::newRow("p100 at the last bound") << QList<quint64> { 2, 4, 4, 4 } << 1.0 << 2.0;
    }
    void quantileInterpolatesWithinTheBucket()
    {
        QFETCH(QList<quint64>, cumulative);
        QFETCH(double, q);
        QFETCH(double, expected);
        QCOMPARE(MetricSeriesModel::histogramQuantile({ 1.0, 2.0, 4.0 }, cumulative, q), expected);
    }

    void quantileWithoutObservationsIsNaN()
    {
        QVERIFY(std::isnan(MetricSeriesModel::histogramQuantile({ 1.0 }, { 0, 0 }, 0.5)));
        QVERIFY(std::isnan(MetricSeriesModel::histogramQuantile({ 1.0 }, { 3 }, 0.5))); // malformed
    }

    void valuesAreTakenAsTheyAre()
    {
        MetricSeriesModel model;
        model.addSeries(QStringLiteral("lag"), selector(QStringLiteral("lag"), Transform::Value, QStringLiteral("p")));
        QSignalSpy added(&model, &MetricSeriesModel::linesAdded);
        model.ingest(
            1000, { counter(QStringLiteral("lag"), { QStringLiteral("p") }, { { { QStringLiteral("a") }, 5 } }) });
        model.ingest(2000,
            { counter(QStringLiteral("lag"), { QStringLiteral("p") },
                { { { QStringLiteral("a") }, 7 }, { { QStringLiteral("b") }, 1 } }) });
        QCOMPARE(added.count(), 2);
        QCOMPARE(model.lines(QStringLiteral("lag")), (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
        QCOMPARE(model.points(QStringLiteral("lag"), QStringLiteral("a"), 100),
            (QList<QPointF> { { 1000, 5 }, { 2000, 7 } }));
        QCOMPARE(model.points(QStringLiteral("lag"), QStringLiteral("b"), 100), (QList<QPointF> { { 2000, 1 } }));
    }

    void ratesArePerSecondOverTheWindowAndSplitByLabel()
    {
        MetricSeriesModel model;
        // Split by outcome, summing the types.
        model.addSeries(QStringLiteral("commands"),
            selector(QStringLiteral("commands_executed_total"), Transform::Rate, QStringLiteral("outcome"), 0.5, 1000));
        const QStringList labels { QStringLiteral("type"), QStringLiteral("outcome") };
        const auto at = [&](qint64 t, double okA, double okB, double failed) {
            model.ingest(t,
                { counter(QStringLiteral("commands_executed_total"), labels,
                    { { { QStringLiteral("A"), QStringLiteral("ok") }, okA },
                        { { QStringLiteral("B"), QStringLiteral("ok") }, okB },
                        { { QStringLiteral("A"), QStringLiteral("store-unavailable") }, failed } }) });
        };
        at(0, 0, 0, 0);
        QVERIFY(model.points(QStringLiteral("commands"), QStringLiteral("ok"), 100).isEmpty()); // one sample: no rate
        at(500, 5, 5, 1); // 10 ok in 0.5 s
        at(1000, 10, 10, 2); // 20 ok in 1 s
        at(1500, 10, 10, 2); // window [500, 1500]: 10 ok in 1 s
        at(2500, 10, 10, 2); // nothing in the last second
        QCOMPARE(model.points(QStringLiteral("commands"), QStringLiteral("ok"), 100),
            (QList<QPointF> { { 500, 20 }, { 1000, 20 }, { 1500, 10 }, { 2500, 0 } }));
        QCOMPARE(model.points(QStringLiteral("commands"), QStringLiteral("store-unavailable"), 100),
            (QList<QPointF> { { 500, 2 }, { 1000, 2 }, { 1500, 1 }, { 2500, 0 } }));
    }

    void aCounterSeriesThatAppearsLaterStartsFromZero()
    {
        MetricSeriesModel model;
        model.addSeries(QStringLiteral("r"), selector(QStringLiteral("c"), Transform::Rate, QStringLiteral("k")));
        model.ingest(0, { counter(QStringLiteral("c"), { QStringLiteral("k") }, {}) }); // no series yet
        model.ingest(
            500, { counter(QStringLiteral("c"), { QStringLiteral("k") }, { { { QStringLiteral("a") }, 4 } }) });
        QCOMPARE(model.points(QStringLiteral("r"), QStringLiteral("a"), 100), (QList<QPointF> { { 500, 8 } }));
    }

    void aCounterThatGoesDownRestartsItsWindow()
    {
        MetricSeriesModel model;
        model.addSeries(QStringLiteral("r"), selector(QStringLiteral("c"), Transform::Rate, {}, 0.5, 1000));
        model.ingest(0, { counter(QStringLiteral("c"), {}, { { {}, 100 } }) });
        model.ingest(1000, { counter(QStringLiteral("c"), {}, { { {}, 110 } }) });
        model.ingest(2000, { counter(QStringLiteral("c"), {}, { { {}, 3 } }) }); // a new process
        model.ingest(3000, { counter(QStringLiteral("c"), {}, { { {}, 5 } }) });
        QCOMPARE(model.points(QStringLiteral("r"), {}, 100), (QList<QPointF> { { 1000, 10 }, { 3000, 2 } }));
    }

    void quantilesComeFromTheBucketsObservedInTheWindow()
    {
        MetricSeriesModel model;
        model.addSeries(QStringLiteral("p50"), selector(QStringLiteral("latency"), Transform::Quantile, {}, 0.5, 1000));
        model.addSeries(
            QStringLiteral("p99"), selector(QStringLiteral("latency"), Transform::Quantile, {}, 0.99, 1000));
        model.ingest(0, { histogram(QStringLiteral("latency"), { 100, 100, 100, 100 }) }); // old: all under 1
        model.ingest(1000, { histogram(QStringLiteral("latency"), { 100, 110, 110, 110 }) }); // +10 in (1, 2]
        model.ingest(2000, { histogram(QStringLiteral("latency"), { 100, 110, 120, 120 }) }); // +10 in (2, 4]
        model.ingest(3000, { histogram(QStringLiteral("latency"), { 100, 110, 120, 120 }) }); // nothing new
        // At 1000 the window holds 10 observations in (1, 2]: median 1.5, p99 1.99.
        // At 2000 it holds those since 1000 only: 10 in (2, 4]: median 3, p99 3.98. At 3000: none, no point.
        const QList<QPointF> p50 = model.points(QStringLiteral("p50"), {}, 100);
        const QList<QPointF> p99 = model.points(QStringLiteral("p99"), {}, 100);
        QCOMPARE(p50.size(), 2);
        QCOMPARE(p50[0], QPointF(1000, 1.5));
        QCOMPARE(p50[1], QPointF(2000, 3.0));
        QCOMPARE(p99.size(), 2);
        QVERIFY(qFuzzyCompare(p99[0].y(), 1.99));
        QVERIFY(qFuzzyCompare(p99[1].y(), 3.98));
    }

    void historyIsBounded()
    {
        MetricSeriesModel model;
        model.setHistoryLength(std::chrono::seconds(10));
        model.addSeries(QStringLiteral("v"), selector(QStringLiteral("g"), Transform::Value));
        for (int t = 0; t <= 60000; t += 100)
            model.ingest(t, { counter(QStringLiteral("g"), {}, { { {}, double(t) } }, MetricType::Gauge) });
        const TimeSeriesBuffer* buffer = model.buffer(QStringLiteral("v"));
        QVERIFY(buffer);
        QCOMPARE(buffer->size(), 101);
        QCOMPARE(buffer->first().x(), 50000.0);
        QVERIFY(model.points(QStringLiteral("v"), {}, 20).size() <= 20);
    }

    void samplesTheHubOnItsTimer()
    {
        MonitoringHub hub;
        Counter& appended = hub.metrics()->eventsAppended;
        MetricSeriesModel model;
        model.setHub(&hub);
        model.addSeries(
            QStringLiteral("appended"), selector(QStringLiteral("events_appended_total"), Transform::Value));
        model.setSampleInterval(std::chrono::milliseconds(20));
        model.setRunning(true);
        appended.increment(3);
        QTRY_VERIFY(model.samplesTaken() >= 2);
        QTRY_COMPARE(model.buffer(QStringLiteral("appended"))->last().y(), 3.0);
        model.setRunning(false);
        const int taken = model.samplesTaken();
        QTest::qWait(100);
        QCOMPARE(model.samplesTaken(), taken); // paused
    }
};

QTEST_GUILESS_MAIN(TestMetricSeriesModel)
#include "tst_metricseriesmodel.moc"
