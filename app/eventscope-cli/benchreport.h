// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bench/benchfigure.h"

#include <QJsonObject>
#include <QTextStream>

namespace EventScope {

/// How every `eventscope-cli bench …` suite prints its report: an aligned table, or one JSON object.
class BenchReportPrinter {
public:
    /// The table: \a title, one row per figure, \a ratioNote, then the notes and the environment.
    static void printTable(QTextStream& out, const QString& title, const BenchReport& report, const QString& ratioNote);
    /// {"suite", "backend", "scale", "parameters", "figures": [{name, value, unit, baseline, ratio}], "notes",
    /// "environment", "machine"} plus \a extra; a missing baseline or ratio is null.
    static QJsonObject toJson(const QString& suite, const BenchReport& report, const QString& scale,
        const QJsonObject& parameters, const QJsonObject& extra = {});
};

} // namespace EventScope
