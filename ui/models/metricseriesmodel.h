// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "monitoring/metricsnapshot.h"
#include "timeseriesbuffer.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <deque>
#include <map>

namespace EventScope {

class MonitoringHub;

/**
 * Chart lines over the metrics registry: on a timer it samples the MonitoringHub (hub.sample(), then
 * registry().snapshot(): in-memory copies under short locks, cheap enough for the GUI thread) and turns the
 * snapshot into lines kept in bounded TimeSeriesBuffers (the last historyLength(), 10 minutes by default).
 *
 * A line set is registered with addSeries(id, Selector): the metric, what to compute (its value; for counters
 * the rate per second over a sliding window; for histograms a quantile of the observations in a sliding window,
 * from the differences of the cumulative buckets, interpolated within the bucket as Prometheus's
 * histogram_quantile() does), and optionally a label to split by: one line per value of that label, the series
 * of other label values summed. Lines appear as their label values appear (linesAdded()).
 *
 * A rate needs two samples and a quantile observations in its window: until then (or while nothing is
 * observed) no point is added. A counter that goes down (a new registry) restarts the rate's window.
 *
 * ingest() is the whole computation and takes the time explicitly, so tests drive it without a timer.
 */
class MetricSeriesModel : public QObject {
    Q_OBJECT
public:
    enum class Transform {
        Value, ///< the gauge's or counter's value
        Rate, ///< counters: increase per second over Selector::window
        Quantile, ///< histograms: Selector::quantile of the observations in Selector::window
    };

    struct Selector {
        QString metric;
        Transform transform = Transform::Value;
        /// A label name: one line per value; empty: one line, every series summed.
        QString splitBy;
        double quantile = 0.5;
        std::chrono::milliseconds window = std::chrono::seconds(5);
    };

    explicit MetricSeriesModel(QObject* parent = nullptr);
    ~MetricSeriesModel() override;

    /// Samples \a hub on the timer (not owned; may be null: nothing is sampled).
    void setHub(MonitoringHub* hub);
    MonitoringHub* hub() const { return m_hub; }

    void addSeries(const QString& id, const Selector& selector);
    QStringList seriesIds() const { return m_order; }
    Selector selector(const QString& id) const;
    /// The lines of \a id: label values of Selector::splitBy, in order of appearance ({""} when not split).
    QStringList lines(const QString& id) const;
    /// The buffer of one line, or nullptr.
    const TimeSeriesBuffer* buffer(const QString& id, const QString& line = {}) const;
    /// One line's points from \a fromMs on, thinned to at most \a maxPoints.
    QList<QPointF> points(const QString& id, const QString& line, int maxPoints, qint64 fromMs = 0) const;

    /// Feeds one snapshot taken at \a timeMs (ms since the epoch): what the timer does with the registry.
    void ingest(qint64 timeMs, const QList<MetricSnapshot>& snapshot);
    /// Samples the hub now (what the timer does).
    void sampleNow();
    qint64 lastSampleTime() const { return m_lastSample; }
    int samplesTaken() const { return m_samples; }

    void setHistoryLength(std::chrono::milliseconds length);
    std::chrono::milliseconds historyLength() const { return m_history; }

    /// Sampling period while running; the charts' pane slows it down while hidden.
    void setSampleInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds sampleInterval() const { return std::chrono::milliseconds(m_timer.interval()); }
    void setRunning(bool running);
    bool isRunning() const { return m_timer.isActive(); }

    /// Forgets every point (the selectors stay).
    void clear();

    /**
     * The \a q quantile (0…1) of the observations counted in \a cumulative (one cumulative count per bound
     * of \a bounds, then +Inf), by linear interpolation within the bucket that holds it, the first bucket
     * starting at 0. In the +Inf bucket it is the highest finite bound. NaN without observations.
     */
    static double histogramQuantile(const QList<double>& bounds, const QList<quint64>& cumulative, double q);

Q_SIGNALS:
    /// A snapshot was ingested.
    void sampled();
    /// \a id got new lines (label values seen for the first time).
    void linesAdded(const QString& id);

private:
    struct Reading {
        qint64 time = 0;
        double value = 0;
        QList<quint64> buckets;
    };
    struct Line {
        TimeSeriesBuffer buffer;
        std::deque<Reading> window;
    };
    struct Series {
        Selector selector;
        QList<double> bounds; ///< histograms
        QStringList lineOrder;
        std::map<QString, Line> lines;
    };

    void ingest(Series& series, const QString& id, qint64 timeMs, const MetricSnapshot& metric);
    void addPoint(Series& series, Line& line, qint64 timeMs, Reading reading);

    MonitoringHub* m_hub = nullptr;
    QStringList m_order;
    QHash<QString, Series> m_series;
    std::chrono::milliseconds m_history = std::chrono::minutes(10);
    QTimer m_timer;
    qint64 m_lastSample = 0;
    int m_samples = 0;
};

} // namespace EventScope
