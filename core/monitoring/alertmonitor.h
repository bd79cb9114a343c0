// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuitbreakerreading.h"
#include "config/appconfig.h"
#include "healthcheck.h"
#include "metricsnapshot.h"

#include "projections/projectionstatus.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace EventScope {

class MetricsRegistry;

/**
 * Real-time alerting: evaluates the thresholds of the `alerts:` section (AppConfig::Alerts) against the engine's
 * metrics, keeps the alerts that are active and a bounded history of raised and cleared ones, and says so with
 * alertRaised() / alertCleared().
 *
 * What is watched, each an alert of its own (Alert::id):
 * - `projection-lag:<projection>`: lag in events or in time at or above AppConfig::ProjectionLagAlert (warning);
 * - `circuit-breaker:<name>`: a breaker open for at least AppConfig::CircuitBreakerAlert::openFor (critical);
 *   it clears once the breaker is closed again (half-open is still trying);
 * - `command-errors`: the share of commands over the window whose outcome counts as an error, from
 *   `commands_executed_total{type,outcome}` (critical);
 * - `store-latency:<append|read>`: the p95 or p99 of `eventstore_append_duration_seconds` /
 *   `eventstore_read_duration_seconds` over the window, interpolated in the histogram's buckets (warning).
 *
 * An alert is raised when its value reaches the threshold, and cleared only when it falls below threshold ×
 * (1 − AppConfig::Alerts::hysteresis). Windowed values compare the newest sample with the one taken a window
 * earlier; until a full window has passed the oldest sample is used, so the first evaluation only sets the
 * baseline. Sources that are not set are not evaluated.
 *
 * Threading: the sources are read on the thread that calls evaluate() (the monitor's own timer after start(),
 * in the thread the monitor lives in). They must be cheap and thread-safe — ProjectionManager::statuses(),
 * MetricsRegistry::snapshot() and the resilience pipeline's breaker state are. evaluate(), activeAlerts(),
 * history() and the health check are thread-safe; the signals are emitted on the thread that evaluated,
 * after the monitor's lock is released (connect queued from other threads' objects).
 */
class AlertMonitor : public QObject {
    Q_OBJECT
public:
    enum class Severity { Warning, Critical };
    Q_ENUM(Severity)

    enum class Kind { ProjectionLag, CircuitBreakerOpen, CommandErrors, StoreLatency };
    Q_ENUM(Kind)

    /// One alert as operators see it.
    struct Alert {
        /// Stable key, such as "projection-lag:accounts" or "store-latency:append".
        QString id;
        Kind kind = Kind::ProjectionLag;
        Severity severity = Severity::Warning;
        /// What it is about: the projection, breaker or store operation; empty for command errors.
        QString subject;
        /// One or two sentences: what is wrong and what to do. Updated while the alert is active.
        QString message;
        /// The value that was compared and its threshold, in the unit of the kind (events, ms, share).
        double value = 0;
        double threshold = 0;
        QDateTime raisedAt; ///< UTC
        QDateTime updatedAt; ///< UTC, the last evaluation that saw it active
        QDateTime clearedAt; ///< UTC; set in the history once cleared

        bool isActive() const { return !clearedAt.isValid(); }
    };

    /// A history entry: the alert as it was when raised (Raised) or when it cleared (Cleared).
    struct Transition {
        enum class Change { Raised, Cleared };
        Change change = Change::Raised;
        QDateTime at; ///< UTC
        Alert alert;
    };

    /// Where the values come from. Unset members are not evaluated.
    struct Sources {
        /// Commands by outcome and the store latency histograms (StandardMetrics' families).
        const MetricsRegistry* metrics = nullptr;
        std::function<QList<ProjectionStatus>()> projections;
        std::function<QList<CircuitBreakerReading>()> breakers;
        /// Called at the start of each evaluation: copy sampled values into \a metrics (CommandMetricsExporter,
        /// ProjectionMetricsSampler …) where nobody else does it on a timer.
        std::function<void()> sample;
        /// Current time (UTC); tests give a fake clock. Default: QDateTime::currentDateTimeUtc().
        std::function<QDateTime()> clock;
    };

    AlertMonitor(AppConfig::Alerts settings, Sources sources, QObject* parent = nullptr);
    ~AlertMonitor() override;

    const AppConfig::Alerts& settings() const { return m_settings; }

    /// Evaluates every AppConfig::Alerts::evaluationInterval on this object's thread (nothing when disabled).
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    /// Evaluates all thresholds now: raises and clears alerts and emits the signals. Thread-safe.
    void evaluate();

    /// The active alerts, critical first, then oldest first.
    QList<Alert> activeAlerts() const;
    /// Raised and cleared alerts, oldest first, at most AppConfig::Alerts::historySize.
    QList<Transition> history() const;

    /**
     * A health check named "alerts": up while no alert is active, degraded while any is, with the alerts listed
     * in the detail. It shares the monitor's state and may outlive the monitor (it then reports what was active
     * last).
     */
    std::shared_ptr<HealthCheck> healthCheck() const;

    /// "warning", "critical".
    static QString severityName(Severity severity);

Q_SIGNALS:
    void alertRaised(const EventScope::AlertMonitor::Alert& alert);
    /// \a alert carries clearedAt.
    void alertCleared(const EventScope::AlertMonitor::Alert& alert);
    /// An active alert's value or message changed.
    void alertUpdated(const EventScope::AlertMonitor::Alert& alert);

public:
    struct State;

private:
    /// What one evaluation found for one alert id.
    struct Finding {
        QString id;
        Kind kind;
        Severity severity;
        QString subject;
        QString message;
        double value;
        double threshold;
        bool above; ///< at or above the threshold
        bool belowClear; ///< below the clearing level
    };
    struct Sample;

    QList<Finding> findProjectionLag(const QList<ProjectionStatus>& statuses) const;
    QList<Finding> findBreakers(const QList<CircuitBreakerReading>& breakers, const QDateTime& now) const;
    QList<Finding> findCommandErrors(const Sample& latest) const;
    QList<Finding> findStoreLatency(const Sample& latest) const;
    const Sample* baseline(const QDateTime& now, std::chrono::milliseconds window) const;
    std::shared_ptr<const Sample> takeSample(const QDateTime& now) const;
    double clearLevel(double threshold) const { return threshold * (1.0 - m_settings.hysteresis); }

    const AppConfig::Alerts m_settings;
    const Sources m_sources;
    QTimer m_timer;
    std::shared_ptr<State> m_state;
    /// Serialises evaluations; guards m_samples.
    std::mutex m_evaluating;
    /// Metric samples for the windows, oldest first.
    QList<std::shared_ptr<const Sample>> m_samples;
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::AlertMonitor::Alert)
