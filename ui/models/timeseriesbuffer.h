// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPointF>

#include <deque>

namespace EventScope {

/**
 * The recent history of one chart line: points (x = time in ms since the epoch, y = value) in time order,
 * bounded by a time span and a point count, and read back decimated for drawing.
 *
 * append() drops points older than the span (keeping the newest of them, so that a line still starts at the
 * left edge of the window) and the oldest points beyond the capacity. decimated() thins the points to at most
 * maxPoints by keeping, per time bucket, the lowest and the highest value in the order they occurred, so
 * spikes survive (a one-sample breaker opening stays visible at any zoom).
 */
class TimeSeriesBuffer {
public:
    /// \a spanMs: how far back points are kept; \a capacity: at most this many points (>= 2).
    explicit TimeSeriesBuffer(qint64 spanMs = 10 * 60 * 1000, int capacity = 20000);

    /// Adds a point; one older than the newest is ignored (time only goes forward).
    void append(qint64 timeMs, double value);
    void clear() { m_points.clear(); }
    void setSpan(qint64 spanMs);

    qint64 span() const { return m_span; }
    int capacity() const { return m_capacity; }
    int size() const { return int(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    QPointF first() const { return m_points.front(); }
    QPointF last() const { return m_points.back(); }

    /// Every point kept, oldest first.
    QList<QPointF> points() const;
    /// The points from \a fromMs on (with the one before, if any), thinned to at most \a maxPoints (>= 2).
    QList<QPointF> decimated(int maxPoints, qint64 fromMs = 0) const;

    /// \a points as a step line: each value holds until the next point, the last one until \a untilMs.
    static QList<QPointF> stepped(const QList<QPointF>& points, qint64 untilMs);

private:
    qint64 m_span;
    int m_capacity;
    std::deque<QPointF> m_points;
};

} // namespace EventScope
