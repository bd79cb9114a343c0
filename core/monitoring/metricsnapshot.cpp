// SPDX-License-Identifier: Apache-2.0
#include "metricsnapshot.h"

namespace EventScope {

QString metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return QStringLiteral("counter");
    case MetricType::Gauge:
        return QStringLiteral("gauge");
    case MetricType::Histogram:
        return QStringLiteral("histogram");
    }
    return QStringLiteral("untyped");
}

const MetricSeriesSnapshot* MetricSnapshot::find(const QStringList& labelValues) const
{
    for (const MetricSeriesSnapshot& entry : series) {
        if (entry.labelValues == labelValues)
            return &entry;
    }
    return nullptr;
}

} // namespace EventScope
