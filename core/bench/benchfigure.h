// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
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

/// What one benchmark suite measured, with how it was measured and on what.
struct BenchReport {
    QString backend;
    QList<BenchFigure> figures;
    /// How the numbers were obtained and what to keep in mind reading them.
    QStringList notes;
    /// Backend version and settings that matter for the numbers ("sqlite.version" → "3.40.1", …).
    QMap<QString, QString> environment;
};

} // namespace EventScope
