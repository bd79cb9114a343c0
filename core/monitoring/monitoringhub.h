// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuitbreakerreading.h"
#include "healthreport.h"
#include "metricsregistry.h"
#include "standardmetrics.h"

#include "config/appconfig.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <memory>
#include <mutex>
#include <optional>

namespace EventScope {

class Engine;
class HealthRegistry;

/**
 * The monitoring of one process around its Engine: the MetricsRegistry with the StandardMetrics, the samplers
 * that copy the engine's own statistics into them, and the health checks that `/health` and the GUI's health
 * lights report. What `eventscope-cli serve` serves and what the GUI's charts draw come from here, so they agree.
 *
 * Order of construction: the hub first, then the Engine with Engine::Options::metrics = hub.metrics() (the
 * engine's metered store records into it, so the hub must outlive every engine made with it), then attach().
 * attach() registers for that engine: commands_executed_total (from the command bus's CommandMetrics),
 * events_handled_total (an EventBus subscription), projection lag and processed events, the resilience
 * pipeline's breaker state, bulkhead, retries and timeouts; and the health checks "eventstore" (the database),
 * "storeaccess" (the store as the domain sees it, through resilience and chaos), "projections" and
 * "resilience". Attaching another engine replaces the previous attachment; the metric series go on (counters
 * stay monotonic), so charts keep their history across reconnects.
 *
 * sample() brings the sampled metrics up to date: call it before reading the registry (charts do on every
 * tick; it only reads in-memory counters under short locks, so the GUI thread may call it). The health
 * functions block until the checks answer or time out: call them on a worker thread. Thread-safe.
 */
class MonitoringHub {
public:
    explicit MonitoringHub(AppConfig::Monitoring settings = {});
    ~MonitoringHub();
    MonitoringHub(const MonitoringHub&) = delete;
    MonitoringHub& operator=(const MonitoringHub&) = delete;

    MetricsRegistry& registry() { return m_registry; }
    const MetricsRegistry& registry() const { return m_registry; }
    /// For Engine::Options::metrics.
    StandardMetrics* metrics() { return &m_metrics; }
    const AppConfig::Monitoring& settings() const { return m_settings; }

    /// Monitors \a engine and keeps it alive until detach() or the next attach() (and while a health run
    /// started before still uses it).
    void attach(std::shared_ptr<Engine> engine);
    /// Monitors \a engine, which the caller keeps alive until after detach() (or the hub's end).
    void attach(Engine& engine);
    /// Stops monitoring the attached engine; waits for its health checks still running.
    void detach();
    bool isAttached() const;

    /// Copies the attached engine's statistics into the standard metrics; nothing when none is attached.
    void sample();
    /// The attached engine's circuit breakers as monitoring reports them (empty when none is attached).
    QList<CircuitBreakerReading> breakers() const;

    /// Names of the health checks (empty when no engine is attached).
    QStringList healthCheckNames() const;
    /// Runs every health check (blocking, see HealthRegistry); with no engine attached, a report that is down
    /// with the single check "engine" saying so.
    HealthReport runHealthChecks();
    /// Runs the check \a name alone; std::nullopt when there is no such check.
    std::optional<HealthReport> runHealthCheck(const QString& name);
    /// The attached engine's health registry, for MonitoringServer and for running checks on a worker thread;
    /// null when none is attached. Its checks use the engine: a caller that keeps it past detach() keeps the
    /// engine alive too (hold the engine's shared_ptr).
    std::shared_ptr<HealthRegistry> healthRegistry() const;

    /// sample(), then the whole registry in the Prometheus text format.
    QByteArray renderPrometheus();

private:
    struct Attachment;
    void attach(std::shared_ptr<Engine> owner, Engine& engine);
    std::shared_ptr<Attachment> current() const;

    const AppConfig::Monitoring m_settings;
    MetricsRegistry m_registry;
    StandardMetrics m_metrics;
    mutable std::mutex m_mutex;
    std::shared_ptr<Attachment> m_attachment;
};

} // namespace EventScope
