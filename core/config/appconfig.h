// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"
#include "eventstore/storesettings.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace EventScope {

/**
 * The whole typed configuration of EventScope, as read from a YAML file by ConfigLoader.
 *
 * Every member starts at the value documented in resources/config.example.yaml, so a default-constructed
 * AppConfig (or ConfigLoader::defaults()) is what an empty configuration file yields. Durations are held in
 * milliseconds. The sections are plain values: copy them into the parts of the engine they configure.
 */
struct AppConfig {
    using Duration = std::chrono::milliseconds;

    /// `snapshots:` when and how aggregates are snapshotted.
    struct Snapshots {
        bool enabled = true;
        /// Take a snapshot every `frequency` events of one aggregate (> 0).
        int frequency = 10;
        /// How often old snapshots are removed.
        Duration cleanupInterval = std::chrono::hours(24);
        /// How many snapshots to keep per aggregate when cleaning up (> 0).
        int retain = 3;

        bool operator==(const Snapshots&) const = default;
    };

    /// `gui:` settings of the desktop explorer.
    struct Gui {
        /// The role every operator of this installation has; none: chosen when connecting.
        std::optional<Role> role;

        bool operator==(const Gui&) const = default;
    };

    /// `projections:` how the ProjectionManager runs the read models.
    struct Projections {
        /// Events per batch: one transaction with the read-model changes and the checkpoint (1 to 100000).
        int batchSize = 2000;
        /// How often a live projection looks for appends of other processes (at least 10ms).
        Duration pollInterval = std::chrono::milliseconds(250);

        bool operator==(const Projections&) const = default;
    };

    /// `resilience.circuit_breaker:`
    struct CircuitBreaker {
        QString name = QStringLiteral("default");
        /// Share of failed calls, in [0, 1], that opens the breaker once `requestVolume` calls were seen.
        double failureRatio = 0.5;
        int requestVolume = 20;
        /// How long the breaker stays open before it lets trial calls through.
        Duration sleepWindow = std::chrono::seconds(30);
        /// Successful trial calls needed to close the breaker again.
        int successThreshold = 5;

        bool operator==(const CircuitBreaker&) const = default;
    };

    /// `resilience.retry:` exponential backoff between attempts.
    struct Retry {
        /// Attempts in total, the first one included (>= 1).
        int maxAttempts = 3;
        Duration initialDelay = std::chrono::milliseconds(100);
        /// Upper bound of one delay; never below initialDelay.
        Duration maxDelay = std::chrono::seconds(5);
        /// Each delay is the previous one times this factor (>= 1).
        double backoffFactor = 2.0;
        /// Randomise each delay so that many clients do not retry in lockstep.
        bool jitter = true;

        bool operator==(const Retry&) const = default;
    };

    /// `resilience.bulkhead:` limits concurrent calls.
    struct Bulkhead {
        QString name = QStringLiteral("default");
        /// Calls allowed to run at once (> 0).
        int maxRequests = 10;
        /// Calls allowed to wait for a free slot (>= 0); more are rejected at once.
        int queueSize = 20;
        /// How long a queued call waits for a slot before it is rejected.
        Duration timeout = std::chrono::seconds(30);

        bool operator==(const Bulkhead&) const = default;
    };

    /// `resilience.timeout:`
    struct Timeout {
        Duration duration = std::chrono::seconds(30);

        bool operator==(const Timeout&) const = default;
    };

    /// `resilience:`
    struct Resilience {
        CircuitBreaker circuitBreaker;
        Retry retry;
        Bulkhead bulkhead;
        Timeout timeout;

        bool operator==(const Resilience&) const = default;
    };

    /// `monitoring.metrics:`
    struct Metrics {
        enum class Provider { InMemory, Prometheus };

        /// InMemory keeps metrics for the application's own charts; Prometheus also serves them over HTTP.
        Provider provider = Provider::InMemory;
        /// How often gauges are sampled and charts refreshed.
        Duration interval = std::chrono::seconds(30);
        /// Where `eventscope-cli serve` listens: "host:port", or ":port" for 127.0.0.1 only (write 0.0.0.0 to
        /// listen on every interface).
        QString prometheusListenAddress = QStringLiteral(":9090");
        /// HTTP path of the Prometheus exposition; starts with '/'.
        QString prometheusPath = QStringLiteral("/metrics");

        bool operator==(const Metrics&) const = default;
    };

    /// `monitoring.health:`
    struct Health {
        Duration checkInterval = std::chrono::seconds(15);
        /// How long one health check may take before it counts as failed.
        Duration timeout = std::chrono::seconds(5);

        bool operator==(const Health&) const = default;
    };

    /// `monitoring:`
    struct Monitoring {
        Metrics metrics;
        Health health;

        bool operator==(const Monitoring&) const = default;
    };

    /// `logging:` read by the applications, which install the log sinks.
    struct Logging {
        /// One of trace, debug, info, warn, error, critical, off (lower case; "warning" is read as "warn").
        QString level = QStringLiteral("info");
        /// Also write rotating log files, not only to the console.
        bool toFile = true;
        qint64 maxFileSize = 5 * 1024 * 1024;
        /// Rotated files kept besides the current one.
        int maxFiles = 3;

        bool operator==(const Logging&) const = default;
    };

    /// `alerts.projection_lag:` a projection is this far behind. 0 turns a threshold off.
    struct ProjectionLagAlert {
        /// $all positions not yet applied.
        int events = 10000;
        /// Age of the oldest event not yet applied.
        Duration time = std::chrono::minutes(5);

        bool operator==(const ProjectionLagAlert&) const = default;
    };

    /// `alerts.circuit_breaker:` a circuit breaker is open.
    struct CircuitBreakerAlert {
        bool open = true;
        /// Only once it has been open this long (0: at once).
        Duration openFor = Duration(0);

        bool operator==(const CircuitBreakerAlert&) const = default;
    };

    /// `alerts.command_errors:` share of failed commands over a sliding window.
    struct CommandErrorAlert {
        /// Share in [0, 1] of the commands in the window whose outcome is one of `outcomes` (0: off).
        double ratio = 0.1;
        Duration window = std::chrono::minutes(5);
        /// Fewer commands in the window never raise this alert (one failure of two is no trend).
        int minCommands = 20;
        /// The outcomes that count as errors (CommandError code names): by default the system's failures, not
        /// the operators' (validation, conflict, unauthorized, domain-rule-violated are answers, not faults).
        QStringList outcomes = { QStringLiteral("store-unavailable"), QStringLiteral("handler-failed") };

        bool operator==(const CommandErrorAlert&) const = default;
    };

    /// `alerts.store_latency:` event-store call latency percentiles (append and read) over a sliding window.
    struct StoreLatencyAlert {
        /// 0 turns a percentile off.
        Duration p95 = std::chrono::milliseconds(500);
        Duration p99 = std::chrono::seconds(2);
        Duration window = std::chrono::minutes(5);
        /// Fewer calls in the window never raise this alert.
        int minCalls = 20;

        bool operator==(const StoreLatencyAlert&) const = default;
    };

    /// `alerts:` thresholds that raise alerts (status bar, desktop notification, `/health`).
    struct Alerts {
        bool enabled = true;
        /// How often the thresholds are evaluated.
        Duration evaluationInterval = std::chrono::seconds(10);
        /// An active alert clears only once its value is below threshold × (1 − hysteresis), in [0, 1), so that a
        /// value hovering at the threshold does not raise and clear it again and again.
        double hysteresis = 0.2;
        /// Raised and cleared alerts kept in the history (1 to 100000).
        int historySize = 500;
        ProjectionLagAlert projectionLag;
        CircuitBreakerAlert circuitBreaker;
        CommandErrorAlert commandErrors;
        StoreLatencyAlert storeLatency;

        bool operator==(const Alerts&) const = default;
    };

    /// `eventstore:` the backend and its tuning. `connection` defaults to "eventscope.db", a SQLite file
    /// relative to the working directory.
    StoreSettings eventStore = defaultStoreSettings();
    Snapshots snapshots;
    Projections projections;
    Resilience resilience;
    Monitoring monitoring;
    Alerts alerts;
    Gui gui;
    Logging logging;

    /// The StoreSettings used when the configuration has no `eventstore:` section.
    static StoreSettings defaultStoreSettings()
    {
        StoreSettings settings;
        settings.connection = QStringLiteral("eventscope.db");
        return settings;
    }
};

} // namespace EventScope
