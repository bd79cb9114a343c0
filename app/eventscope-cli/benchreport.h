// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bench/benchfigure.h"

#include <QJsonObject>
#include <QTextStream>

#include <functional>

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
    /// Prints \a json (one report from toJson()) indented to \a out and flushes.
    static void printJson(QTextStream& out, const QJsonObject& json);
    /// A progress callback for the benchmarks: prints "[bench] <line>" to \a err.
    static std::function<void(const QString&)> progressTo(QTextStream& err);
};

} // namespace EventScope
