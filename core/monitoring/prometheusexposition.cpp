// SPDX-License-Identifier: Apache-2.0
#include "prometheusexposition.h"

#include "metricsregistry.h"

#include <charconv>
#include <cmath>

namespace EventScope {

namespace {

/// `{a="x",b="y"}`, with \a extraName="…" appended when given; empty when there are no labels at all.
QString labelSet(
    const QStringList& names, const QStringList& values, const QString& extraName = {}, const QString& extraValue = {})
{
    if (names.isEmpty() && extraName.isEmpty())
        return {};
    QString text = QStringLiteral("{");
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            text += u',';
        text += names.at(i) % QLatin1String("=\"") % PrometheusExposition::escapeLabelValue(values.value(i)) % u'"';
    }
    if (!extraName.isEmpty()) {
        if (!names.isEmpty())
            text += u',';
        text += extraName % QLatin1String("=\"") % extraValue % u'"';
    }
    text += u'}';
    return text;
}

} // namespace

QByteArray PrometheusExposition::contentType()
{
    return QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

QString PrometheusExposition::escapeLabelValue(const QString& value)
{
    QString escaped;
    escaped.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            escaped += QLatin1String("\\\\");
        else if (c == u'"')
            escaped += QLatin1String("\\\"");
        else if (c == u'\n')
            escaped += QLatin1String("\\n");
        else
            escaped += c;
    }
    return escaped;
}

QString PrometheusExposition::escapeHelp(const QString& help)
{
    QString escaped;
    escaped.reserve(help.size());
    for (const QChar c : help) {
        if (c == u'\\')
            escaped += QLatin1String("\\\\");
        else if (c == u'\n')
            escaped += QLatin1String("\\n");
        else
            escaped += c;
    }
    return escaped;
}

QString PrometheusExposition::formatValue(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return QString::fromLatin1(buffer, result.ptr - buffer);
}

QByteArray PrometheusExposition::render(const QList<MetricSnapshot>& metrics)
{
    QString text;
    for (const MetricSnapshot& metric : metrics) {
        text += QLatin1String("# HELP ") % metric.name % u' ' % escapeHelp(metric.help) % u'\n';
        text += QLatin1String("# TYPE ") % metric.name % u' ' % metricTypeName(metric.type) % u'\n';
        for (const MetricSeriesSnapshot& series : metric.series) {
            if (metric.type != MetricType::Histogram) {
                text += metric.name % labelSet(metric.labelNames, series.labelValues) % u' ' % formatValue(series.value)
                    % u'\n';
                continue;
            }
            for (qsizetype i = 0; i < series.bucketCounts.size(); ++i) {
                const QString le = i < metric.bounds.size() ? formatValue(metric.bounds.at(i)) : QStringLiteral("+Inf");
                text += metric.name % QLatin1String("_bucket")
                    % labelSet(metric.labelNames, series.labelValues, QStringLiteral("le"), le) % u' '
                    % QString::number(series.bucketCounts.at(i)) % u'\n';
            }
            const QString labels = labelSet(metric.labelNames, series.labelValues);
            text += metric.name % QLatin1String("_sum") % labels % u' ' % formatValue(series.sum) % u'\n';
            text += metric.name % QLatin1String("_count") % labels % u' ' % QString::number(series.count) % u'\n';
        }
    }
    return text.toUtf8();
}

QByteArray PrometheusExposition::render(const MetricsRegistry& registry)
{
    return render(registry.snapshot());
}

} // namespace EventScope
