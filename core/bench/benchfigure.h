// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QtNumeric>

namespace EventScope {

/**
 * One measured number of a benchmark, optionally set against a baseline measured the same way (for the event
 * store: the same rows written or read with plain SQL). `ratio` is value / baseline; both are NaN when there
 * is no baseline.
 */
struct BenchFigure {
    QString name;
    double value = 0;
    QString unit;
    double baseline = qQNaN();
    double ratio = qQNaN();

    bool hasBaseline() const { return !qIsNaN(baseline); }

    /// A figure with a baseline; the ratio is left NaN when the baseline is not a positive finite number.
    static BenchFigure compared(QString name, double value, QString unit, double baseline)
    {
        BenchFigure figure { std::move(name), value, std::move(unit), baseline, qQNaN() };
        if (qIsFinite(baseline) && baseline > 0)
            figure.ratio = value / baseline;
        return figure;
    }
    static BenchFigure single(QString name, double value, QString unit)
    {
        return BenchFigure { std::move(name), value, std::move(unit), qQNaN(), qQNaN() };
    }
};

} // namespace EventScope
