// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metricsnapshot.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace EventScope {

class MetricsRegistry;

/**
 * Writes metrics in the Prometheus text exposition format, version 0.0.4: per family a `# HELP` and a
 * `# TYPE` line, then one line per series; histograms as cumulative `_bucket{le="…"}` lines ending in
 * `le="+Inf"`, then `_sum` and `_count`. Label values escape backslash, double quote and newline; HELP text
 * escapes backslash and newline. Values are written in the shortest form that reads back exactly.
 */
class PrometheusExposition {
public:
    /// The Content-Type to serve the text with.
    static QByteArray contentType();

    static QByteArray render(const QList<MetricSnapshot>& metrics);
    static QByteArray render(const MetricsRegistry& registry);

    static QString escapeLabelValue(const QString& value);
    static QString escapeHelp(const QString& help);
    /// "+Inf", "-Inf", "NaN", or the shortest decimal that parses back to \a value.
    static QString formatValue(double value);
};

} // namespace EventScope
