// SPDX-License-Identifier: Apache-2.0
#include "monitoringhub.h"

#include "commandmetricsexporter.h"
#include "eventbusmetricsrecorder.h"
#include "eventstorehealthcheck.h"
#include "healthregistry.h"
#include "projectionhealthcheck.h"
#include "projectionmetricssampler.h"
#include "prometheusexposition.h"
#include "resiliencehealthcheck.h"
#include "resiliencemonitor.h"
#include "storeaccesshealthcheck.h"

#include "engine/engine.h"

#include <QCoreApplication>

namespace EventScope {

/// Everything that watches one engine. Members go in reverse order: the health registry first (it waits for
/// its checks), the engine, if owned, last.
struct MonitoringHub::Attachment {
    Attachment(
        std::shared_ptr<Engine> owner, Engine& engine, StandardMetrics& metrics, const AppConfig::Monitoring& settings)
        : owner(std::move(owner))
        , commandMetrics(engine.metrics(), metrics)
        , eventMetrics(engine.eventBus(), metrics)
        , projectionMetrics(engine.projections(), metrics)
        , resilience(std::make_shared<ResilienceMonitor>(engine.resilience(), metrics))
        , health(std::make_shared<HealthRegistry>(settings.health.timeout))
    {
        health->add(std::make_shared<EventStoreHealthCheck>(engine.store()));
        health->add(std::make_shared<StoreAccessHealthCheck>(engine.eventStore()));
        health->add(ProjectionHealthCheck::forManager(engine.projections(), {}));
        // Shared with the check: a caller holding healthRegistry() may run it after this attachment is gone.
        health->add(std::make_shared<ResilienceHealthCheck>([monitor = resilience] { return monitor->breakers(); }));
    }

    void sample()
    {
        commandMetrics.sample();
        projectionMetrics.sample();
        resilience->sample();
    }

    std::shared_ptr<Engine> owner;
    CommandMetricsExporter commandMetrics;
    EventBusMetricsRecorder eventMetrics;
    ProjectionMetricsSampler projectionMetrics;
    std::shared_ptr<ResilienceMonitor> resilience;
    std::shared_ptr<HealthRegistry> health;
};

MonitoringHub::MonitoringHub(AppConfig::Monitoring settings)
    : m_settings(std::move(settings))
    , m_metrics(m_registry)
{
}

MonitoringHub::~MonitoringHub()
{
    detach();
}

void MonitoringHub::attach(std::shared_ptr<Engine> engine)
{
    if (!engine) {
        detach();
        return;
    }
    Engine& reference = *engine;
    attach(std::move(engine), reference);
}

void MonitoringHub::attach(Engine& engine)
{
    attach(nullptr, engine);
}

void MonitoringHub::attach(std::shared_ptr<Engine> owner, Engine& engine)
{
    // The previous attachment goes first, so that its event-bus subscription and checks end before the new ones.
    detach();
    auto attachment = std::make_shared<Attachment>(std::move(owner), engine, m_metrics, m_settings);
    attachment->sample();
    const std::lock_guard lock(m_mutex);
    m_attachment = std::move(attachment);
}

void MonitoringHub::detach()
{
    std::shared_ptr<Attachment> previous;
    {
        const std::lock_guard lock(m_mutex);
        previous = std::move(m_attachment);
    }
    if (previous)
        previous->sample(); // the last counts of that engine still reach the counters
    // Destroyed here unless a health run or sample on another thread still holds it (it then goes there).
}

bool MonitoringHub::isAttached() const
{
    return current() != nullptr;
}

std::shared_ptr<MonitoringHub::Attachment> MonitoringHub::current() const
{
    const std::lock_guard lock(m_mutex);
    return m_attachment;
}

void MonitoringHub::sample()
{
    if (const auto attachment = current())
        attachment->sample();
}

QList<CircuitBreakerReading> MonitoringHub::breakers() const
{
    const auto attachment = current();
    return attachment ? attachment->resilience->breakers() : QList<CircuitBreakerReading> {};
}

QStringList MonitoringHub::healthCheckNames() const
{
    const auto attachment = current();
    return attachment ? attachment->health->names() : QStringList {};
}

HealthReport MonitoringHub::runHealthChecks()
{
    if (const auto attachment = current())
        return attachment->health->runAll();
    HealthReport report;
    report.status = HealthStatus::Down;
    report.time = QDateTime::currentDateTimeUtc();
    HealthCheckResult result = HealthCheckResult::down(QCoreApplication::translate(
        "MonitoringHub", "No event store is open, so nothing can be checked. Connect to a store first."));
    result.checkedAt = report.time;
    report.checks.emplace(QStringLiteral("engine"), result);
    return report;
}

std::optional<HealthReport> MonitoringHub::runHealthCheck(const QString& name)
{
    const auto attachment = current();
    if (!attachment)
        return std::nullopt;
    return attachment->health->run(name);
}

std::shared_ptr<HealthRegistry> MonitoringHub::healthRegistry() const
{
    const auto attachment = current();
    return attachment ? attachment->health : nullptr;
}

QByteArray MonitoringHub::renderPrometheus()
{
    sample();
    return PrometheusExposition::render(m_registry);
}

} // namespace EventScope
