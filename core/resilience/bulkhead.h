// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace EventScope {

/**
 * Limits how many calls run at once: `maxRequests` run, up to `queueSize` more wait for a slot for at most
 * `timeout`, and the rest are rejected at once. Every rejection is counted and signalled.
 *
 * acquire() returns a permit that holds a slot until its last copy is destroyed; a call that outlives its
 * caller (see TimeoutPolicy) keeps its copy, so the limit bounds the work really running, not just the
 * callers still waiting. Waiting callers are woken in no particular order. Thread-safe.
 */
class Bulkhead : public QObject {
    Q_OBJECT
public:
    enum class Rejection { None, QueueFull, QueueTimeout };
    Q_ENUM(Rejection)

    using Permit = std::shared_ptr<void>;

    struct Counters {
        int inUse = 0;
        int queued = 0;
        qint64 acquired = 0;
        qint64 rejectedQueueFull = 0;
        qint64 rejectedQueueTimeout = 0;
    };

    explicit Bulkhead(AppConfig::Bulkhead settings, QObject* parent = nullptr);
    ~Bulkhead() override;

    const QString& name() const { return m_settings.name; }
    const AppConfig::Bulkhead& settings() const { return m_settings; }

    /// A permit, or null with \a why set when the call is rejected. May block up to settings().timeout.
    Permit acquire(Rejection* why = nullptr);

    Counters counters() const;

    static QString rejectionName(Rejection rejection);

Q_SIGNALS:
    /// A call was turned away (from the rejected caller's thread).
    void rejected(EventScope::Bulkhead::Rejection why);

private:
    const AppConfig::Bulkhead m_settings;
    // Shared with the permits, so that a permit outliving the Bulkhead does not touch freed memory.
    struct Shared {
        std::mutex mutex;
        std::condition_variable freed;
        Counters counters;
    };
    std::shared_ptr<Shared> m_shared;
};

} // namespace EventScope
