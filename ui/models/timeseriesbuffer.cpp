// SPDX-License-Identifier: Apache-2.0
#include "timeseriesbuffer.h"

#include <algorithm>

namespace EventScope {

TimeSeriesBuffer::TimeSeriesBuffer(qint64 spanMs, int capacity)
    : m_span(std::max<qint64>(spanMs, 1))
    , m_capacity(std::max(capacity, 2))
{
}

void TimeSeriesBuffer::setSpan(qint64 spanMs)
{
    m_span = std::max<qint64>(spanMs, 1);
}

void TimeSeriesBuffer::append(qint64 timeMs, double value)
{
    const double x = double(timeMs);
    if (!m_points.empty() && x < m_points.back().x())
        return;
    m_points.emplace_back(x, value);
    const double oldest = x - double(m_span);
    // Keep one point at or before the window's start: the line then reaches the left edge.
    while (m_points.size() >= 2 && m_points[1].x() <= oldest)
        m_points.pop_front();
    while (int(m_points.size()) > m_capacity)
        m_points.pop_front();
}

QList<QPointF> TimeSeriesBuffer::points() const
{
    return QList<QPointF>(m_points.begin(), m_points.end());
}

QList<QPointF> TimeSeriesBuffer::decimated(int maxPoints, qint64 fromMs) const
{
    maxPoints = std::max(maxPoints, 2);
    auto begin = std::lower_bound(
        m_points.begin(), m_points.end(), double(fromMs), [](const QPointF& point, double x) { return point.x() < x; });
    if (begin != m_points.begin())
        --begin;
    const auto count = std::distance(begin, m_points.end());
    if (count <= maxPoints)
        return QList<QPointF>(begin, m_points.end());

    QList<QPointF> result;
    result.reserve(maxPoints);
    const int buckets = maxPoints / 2;
    const double start = begin->x();
    const double width = (m_points.back().x() - start) / buckets;
    auto it = begin;
    for (int bucket = 0; bucket < buckets && it != m_points.end(); ++bucket) {
        const bool lastBucket = bucket == buckets - 1;
        const double end = start + width * (bucket + 1);
        if (!lastBucket && it->x() >= end)
            continue; // nothing in this bucket
        auto low = it;
        auto high = it;
        for (; it != m_points.end() && (lastBucket || it->x() < end); ++it) {
            if (it->y() < low->y())
                low = it;
            if (it->y() > high->y())
                high = it;
        }
        if (low == high) {
            result << *low;
        } else if (low->x() <= high->x()) {
            result << *low << *high;
        } else {
            result << *high << *low;
        }
    }
    return result;
}

QList<QPointF> TimeSeriesBuffer::stepped(const QList<QPointF>& points, qint64 untilMs)
{
    QList<QPointF> result;
    if (points.isEmpty())
        return result;
    result.reserve(points.size() * 2 + 1);
    result << points.constFirst();
    for (qsizetype i = 1; i < points.size(); ++i) {
        if (points[i].y() != points[i - 1].y())
            result << QPointF(points[i].x(), points[i - 1].y());
        result << points[i];
    }
    if (double(untilMs) > result.constLast().x())
        result << QPointF(double(untilMs), result.constLast().y());
    return result;
}

} // namespace EventScope
