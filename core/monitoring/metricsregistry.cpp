// SPDX-License-Identifier: Apache-2.0
#include "metricsregistry.h"

#include <cmath>

namespace EventScope {

namespace {

bool isNameStart(QChar c, bool allowColon)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || (allowColon && c == u':');
}

bool isNameChar(QChar c, bool allowColon)
{
    return isNameStart(c, allowColon) || (c >= u'0' && c <= u'9');
}

QString nameError(const QString& name, bool allowColon, const QString& what)
{
    if (name.isEmpty())
        return QStringLiteral("The %1 is empty; give it a name such as \"events_appended_total\".").arg(what);
    if (!isNameStart(name.front(), allowColon)) {
        return QStringLiteral("The %1 \"%2\" must start with a letter or '_'%3.")
            .arg(what, name, allowColon ? QStringLiteral(" or ':'") : QString());
    }
    for (const QChar c : name) {
        if (!isNameChar(c, allowColon)) {
            return QStringLiteral("The %1 \"%2\" contains '%3'; use only letters, digits and '_'%4.")
                .arg(what, name, c, allowColon ? QStringLiteral(" or ':'") : QString());
        }
    }
    return {};
}

[[noreturn]] void reject(const QString& message)
{
    throw std::invalid_argument(message.toStdString());
}

template <typename Series>
const char* typeName()
{
    if constexpr (std::is_same_v<Series, Counter>)
        return "counter";
    else if constexpr (std::is_same_v<Series, Gauge>)
        return "gauge";
    else
        return "histogram";
}

} // namespace

QString MetricsRegistry::metricNameError(const QString& name)
{
    return nameError(name, true, QStringLiteral("metric name"));
}

QString MetricsRegistry::labelNameError(const QString& name)
{
    QString error = nameError(name, false, QStringLiteral("label name"));
    if (error.isEmpty() && name.startsWith(QLatin1String("__")))
        error = QStringLiteral("The label name \"%1\" starts with \"__\", which Prometheus reserves.").arg(name);
    return error;
}

template <typename Series>
MetricFamily<Series>& MetricsRegistry::add(
    const QString& name, const QString& help, const QStringList& labelNames, const QList<double>& bounds)
{
    if (const QString error = metricNameError(name); !error.isEmpty())
        reject(error);
    for (qsizetype i = 0; i < labelNames.size(); ++i) {
        const QString& label = labelNames.at(i);
        if (const QString error = labelNameError(label); !error.isEmpty())
            reject(QStringLiteral("Metric %1: %2").arg(name, error));
        if (std::is_same_v<Series, Histogram> && label == QLatin1String("le"))
            reject(QStringLiteral("Histogram %1 may not have a label \"le\": the buckets use it.").arg(name));
        if (labelNames.indexOf(label) != i)
            reject(QStringLiteral("Metric %1 names the label \"%2\" twice.").arg(name, label));
    }
    if constexpr (std::is_same_v<Series, Histogram>) {
        for (qsizetype i = 0; i < bounds.size(); ++i) {
            if (!std::isfinite(bounds.at(i)) || (i > 0 && bounds.at(i) <= bounds.at(i - 1))) {
                reject(
                    QStringLiteral("Histogram %1 needs finite bucket bounds in ascending order, each once.").arg(name));
            }
        }
    }

    const std::lock_guard lock(m_mutex);
    auto it = m_families.find(name);
    if (it == m_families.end()) {
        auto family = std::make_unique<MetricFamily<Series>>(name, help, labelNames, bounds);
        auto& result = *family;
        m_families.emplace(name, std::move(family));
        return result;
    }
    auto* existing = std::get_if<std::unique_ptr<MetricFamily<Series>>>(&it->second);
    if (!existing) {
        reject(QStringLiteral("Metric %1 is registered already with another type; it cannot also be a %2.")
                   .arg(name, QLatin1String(typeName<Series>())));
    }
    if ((*existing)->labelNames() != labelNames || (*existing)->bounds() != bounds) {
        reject(QStringLiteral("Metric %1 is registered already with the labels (%2)%3; register it the same way "
                              "everywhere.")
                   .arg(name, (*existing)->labelNames().join(QLatin1String(", ")),
                       std::is_same_v<Series, Histogram> ? QStringLiteral(" and other buckets") : QString()));
    }
    return **existing;
}

CounterFamily& MetricsRegistry::counter(const QString& name, const QString& help, const QStringList& labelNames)
{
    return add<Counter>(name, help, labelNames, {});
}

GaugeFamily& MetricsRegistry::gauge(const QString& name, const QString& help, const QStringList& labelNames)
{
    return add<Gauge>(name, help, labelNames, {});
}

HistogramFamily& MetricsRegistry::histogram(
    const QString& name, const QString& help, const QStringList& labelNames, QList<double> bounds)
{
    if (bounds.isEmpty())
        bounds = Histogram::defaultLatencyBounds();
    return add<Histogram>(name, help, labelNames, bounds);
}

MetricSnapshot MetricsRegistry::snapshotOf(const Family& family)
{
    return std::visit([](const auto& f) { return f->snapshot(); }, family);
}

QList<MetricSnapshot> MetricsRegistry::snapshot() const
{
    const std::lock_guard lock(m_mutex);
    QList<MetricSnapshot> result;
    result.reserve(qsizetype(m_families.size()));
    for (const auto& [name, family] : m_families)
        result << snapshotOf(family);
    return result;
}

std::optional<MetricSnapshot> MetricsRegistry::snapshot(const QString& name) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_families.find(name);
    if (it == m_families.end())
        return std::nullopt;
    return snapshotOf(it->second);
}

QStringList MetricsRegistry::names() const
{
    const std::lock_guard lock(m_mutex);
    QStringList result;
    for (const auto& entry : m_families)
        result << entry.first;
    return result;
}

} // namespace EventScope
