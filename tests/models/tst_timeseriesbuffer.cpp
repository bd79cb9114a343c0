// SPDX-License-Identifier: Apache-2.0
// TimeSeriesBuffer: bounded by time span and capacity, decimation keeps the extremes and the point budget, step lines.
#include "timeseriesbuffer.h"

#include <QTest>

#include <algorithm>

using namespace EventScope;

class TestTimeSeriesBuffer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsOnlyTheSpanPlusOnePointBeforeIt()
    {
        TimeSeriesBuffer buffer(1000, 100);
        for (int t = 0; t <= 5000; t += 100)
            buffer.append(t, t / 100);
        // Window [4000, 5000]: 11 points; 4000 sits on the edge, so no older point is needed for the line to start
        // there.
        QCOMPARE(buffer.first().x(), 4000.0);
        QCOMPARE(buffer.last().x(), 5000.0);
        QCOMPARE(buffer.size(), 11);
        buffer.append(5050, 1);
        QCOMPARE(buffer.first().x(), 4000.0); // 4050 has no point: 4000 stays as the one before the window
        QCOMPARE(buffer.size(), 12);
    }

    void isBoundedByItsCapacity()
    {
        TimeSeriesBuffer buffer(1000000, 50);
        for (int t = 0; t < 1000; ++t)
            buffer.append(t, t);
        QCOMPARE(buffer.size(), 50);
        QCOMPARE(buffer.first().x(), 950.0);
        QCOMPARE(buffer.last().x(), 999.0);
    }

    void ignoresPointsGoingBackInTime()
    {
        TimeSeriesBuffer buffer;
        buffer.append(100, 1);
        buffer.append(50, 2);
        QCOMPARE(buffer.size(), 1);
        QCOMPARE(buffer.last().y(), 1.0);
    }

    void decimationKeepsSpikesWithinThePointBudget()
    {
        TimeSeriesBuffer buffer(1000000, 100000);
        for (int t = 0; t < 10000; ++t)
            buffer.append(t, t == 4321 ? 100.0 : (t == 7777 ? -50.0 : 1.0));
        const QList<QPointF> points = buffer.decimated(200);
        QVERIFY(points.size() <= 200);
        QVERIFY(points.size() >= 100);
        const auto byY = [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); };
        QCOMPARE(std::max_element(points.begin(), points.end(), byY)->x(), 4321.0);
        QCOMPARE(std::min_element(points.begin(), points.end(), byY)->x(), 7777.0);
        QVERIFY(std::is_sorted(
            points.begin(), points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
        QCOMPARE(points.constFirst().x(), 0.0);
    }

    void decimationStartsAtTheRequestedTime()
    {
        TimeSeriesBuffer buffer;
        for (int t = 0; t < 100; ++t)
            buffer.append(t * 10, t);
        const QList<QPointF> points = buffer.decimated(1000, 505);
        QCOMPARE(points.constFirst().x(), 500.0); // the point before 505, so the line reaches the edge
        QCOMPARE(points.size(), 50);
        QCOMPARE(buffer.decimated(1000).size(), 100); // under budget: every point
    }

    void steppedHoldsEachValueUntilTheNext()
    {
        const QList<QPointF> steps = TimeSeriesBuffer::stepped({ { 0, 0 }, { 10, 0 }, { 20, 2 }, { 30, 1 } }, 50);
        const QList<QPointF> expected { { 0, 0 }, { 10, 0 }, { 20, 0 }, { 20, 2 }, { 30, 2 }, { 30, 1 }, { 50, 1 } };
        QCOMPARE(steps, expected);
        QVERIFY(TimeSeriesBuffer::stepped({}, 10).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTimeSeriesBuffer)
#include "tst_timeseriesbuffer.moc"
