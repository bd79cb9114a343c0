// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storesettings.h"

#include <QString>

#include <chrono>

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

    /// `eventstore:` the backend and its tuning. `connection` defaults to "eventscope.db", a SQLite file
    /// relative to the working directory.
    StoreSettings eventStore = defaultStoreSettings();
    Snapshots snapshots;
    Projections projections;
    Resilience resilience;
    Monitoring monitoring;
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
