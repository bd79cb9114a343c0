// SPDX-License-Identifier: Apache-2.0
#include "metricseriesmodel.h"

#include "monitoring/monitoringhub.h"

#include <QDateTime>

#include <cmath>
#include <limits>

namespace EventScope {

MetricSeriesModel::MetricSeriesModel(QObject* parent)
    : QObject(parent)
{
    m_timer.setInterval(100);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &MetricSeriesModel::sampleNow);
}

MetricSeriesModel::~MetricSeriesModel() = default;

void MetricSeriesModel::setHub(MonitoringHub* hub)
{
    m_hub = hub;
}

void MetricSeriesModel::addSeries(const QString& id, const Selector& selector)
{
    if (!m_series.contains(id))
        m_order << id;
    Series series;
    series.selector = selector;
    m_series.insert(id, series);
}

MetricSeriesModel::Selector MetricSeriesModel::selector(const QString& id) const
{
    return m_series.value(id).selector;
}

QStringList MetricSeriesModel::lines(const QString& id) const
{
    const auto it = m_series.constFind(id);
    return it == m_series.constEnd() ? QStringList {} : it->lineOrder;
}

const TimeSeriesBuffer* MetricSeriesModel::buffer(const QString& id, const QString& line) const
{
    const auto it = m_series.constFind(id);
    if (it == m_series.constEnd())
        return nullptr;
    const auto found = it->lines.find(line);
    return found == it->lines.end() ? nullptr : &found->second.buffer;
}

QList<QPointF> MetricSeriesModel::points(const QString& id, const QString& line, int maxPoints, qint64 fromMs) const
{
    const TimeSeriesBuffer* lineBuffer = buffer(id, line);
    return lineBuffer ? lineBuffer->decimated(maxPoints, fromMs) : QList<QPointF> {};
}

void MetricSeriesModel::setHistoryLength(std::chrono::milliseconds length)
{
    m_history = std::max(length, std::chrono::milliseconds(1000));
    for (Series& series : m_series)
        for (auto& [name, line] : series.lines)
            line.buffer.setSpan(m_history.count());
}

void MetricSeriesModel::setSampleInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(std::max(interval, std::chrono::milliseconds(10)));
}

void MetricSeriesModel::setRunning(bool running)
{
    if (running && !m_timer.isActive()) {
        m_timer.start();
        sampleNow(); // the baseline for the first rates
    } else if (!running)
        m_timer.stop();
}

void MetricSeriesModel::clear()
{
    for (Series& series : m_series) {
        series.lines.clear();
        series.lineOrder.clear();
    }
    m_lastSample = 0;
    m_samples = 0;
}

void MetricSeriesModel::sampleNow()
{
    if (!m_hub)
        return;
    m_hub->sample();
    ingest(QDateTime::currentMSecsSinceEpoch(), m_hub->registry().snapshot());
}

void MetricSeriesModel::ingest(qint64 timeMs, const QList<MetricSnapshot>& snapshot)
{
    QHash<QString, const MetricSnapshot*> byName;
    for (const MetricSnapshot& metric : snapshot)
        byName.insert(metric.name, &metric);
    for (const QString& id : std::as_const(m_order)) {
        Series& series = m_series[id];
        if (const MetricSnapshot* metric = byName.value(series.selector.metric))
            ingest(series, id, timeMs, *metric);
    }
    m_lastSample = timeMs;
    ++m_samples;
    Q_EMIT sampled();
}

void MetricSeriesModel::ingest(Series& series, const QString& id, qint64 timeMs, const MetricSnapshot& metric)
{
    const qsizetype labelIndex
        = series.selector.splitBy.isEmpty() ? -1 : metric.labelNames.indexOf(series.selector.splitBy);
    if (!series.selector.splitBy.isEmpty() && labelIndex < 0)
        return; // the metric has no such label: nothing to split by
    series.bounds = metric.bounds;
    std::map<QString, Reading> readings;
    for (const MetricSeriesSnapshot& entry : metric.series) {
        const QString line = labelIndex < 0 ? QString() : entry.labelValues.value(labelIndex);
        Reading& reading = readings[line];
        reading.time = timeMs;
        if (metric.type == MetricType::Histogram) {
            if (reading.buckets.isEmpty())
                reading.buckets.fill(0, entry.bucketCounts.size());
            for (qsizetype i = 0; i < entry.bucketCounts.size() && i < reading.buckets.size(); ++i)
                reading.buckets[i] += entry.bucketCounts[i];
            reading.value += double(entry.count);
        } else {
            reading.value += entry.value;
        }
    }
    bool added = false;
    for (auto& [name, reading] : readings) {
        auto it = series.lines.find(name);
        if (it == series.lines.end()) {
            Line line { TimeSeriesBuffer(m_history.count()), {} };
            // A series missing from the previous sample was zero then (counters start at zero when first
            // used): that is the baseline of its first rate, so a burst right after start-up is not lost.
            if (m_samples > 0 && m_lastSample < timeMs && metric.type != MetricType::Gauge)
                line.window.push_back({ m_lastSample, 0.0, QList<quint64>(reading.buckets.size(), 0) });
            it = series.lines.emplace(name, std::move(line)).first;
            series.lineOrder << name;
            added = true;
        }
        addPoint(series, it->second, timeMs, std::move(reading));
    }
    if (added)
        Q_EMIT linesAdded(id);
}

void MetricSeriesModel::addPoint(Series& series, Line& line, qint64 timeMs, Reading reading)
{
    const Selector& selector = series.selector;
    if (selector.transform == Transform::Value) {
        line.buffer.append(timeMs, reading.value);
        return;
    }
    // A counter that went down belongs to a new registry or process: its window starts again.
    if (!line.window.empty() && reading.value < line.window.back().value)
        line.window.clear();
    line.window.push_back(reading);
    const qint64 windowStart = timeMs - selector.window.count();
    // Keep the newest reading at or before the window's start as the baseline of the differences.
    while (line.window.size() >= 2 && line.window[1].time <= windowStart)
        line.window.pop_front();
    const Reading& base = line.window.front();
    if (line.window.size() < 2 || timeMs <= base.time)
        return;

    if (selector.transform == Transform::Rate) {
        line.buffer.append(timeMs, (reading.value - base.value) * 1000.0 / double(timeMs - base.time));
        return;
    }
    QList<quint64> delta = reading.buckets;
    for (qsizetype i = 0; i < delta.size() && i < base.buckets.size(); ++i)
        delta[i] -= std::min(delta[i], base.buckets[i]);
    const double value = histogramQuantile(series.bounds, delta, selector.quantile);
    if (!std::isnan(value))
        line.buffer.append(timeMs, value);
}

double MetricSeriesModel::histogramQuantile(const QList<double>& bounds, const QList<quint64>& cumulative, double q)
{
    if (cumulative.isEmpty() || cumulative.size() != bounds.size() + 1 || cumulative.constLast() == 0)
        return std::numeric_limits<double>::quiet_NaN();
    q = std::clamp(q, 0.0, 1.0);
    const double total = double(cumulative.constLast());
    const double rank = q * total;
    qsizetype bucket = 0;
    while (bucket < cumulative.size() - 1 && double(cumulative[bucket]) < rank)
        ++bucket;
    if (bucket == bounds.size()) // +Inf: the highest bound we know
        return bounds.isEmpty() ? std::numeric_limits<double>::quiet_NaN() : bounds.constLast();
    const double upper = bounds[bucket];
    const double lower = bucket == 0 ? std::min(0.0, upper) : bounds[bucket - 1];
    const double below = bucket == 0 ? 0.0 : double(cumulative[bucket - 1]);
    const double inBucket = double(cumulative[bucket]) - below;
    if (inBucket <= 0)
        return upper;
    return lower + (upper - lower) * (rank - below) / inBucket;
}

} // namespace EventScope
