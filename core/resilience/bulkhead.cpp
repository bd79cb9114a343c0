// SPDX-License-Identifier: Apache-2.0
#include "bulkhead.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcBulkhead, "eventscope.core.resilience")

namespace EventScope {

Bulkhead::Bulkhead(AppConfig::Bulkhead settings, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_shared(std::make_shared<Shared>())
{
}

Bulkhead::~Bulkhead() = default;

Bulkhead::Permit Bulkhead::acquire(Rejection* why)
{
    const int capacity = std::max(1, m_settings.maxRequests);
    Rejection rejection = Rejection::None;
    {
        std::unique_lock lock(m_shared->mutex);
        Counters& counters = m_shared->counters;
        const auto hasRoom = [&counters, capacity] { return counters.inUse < capacity; };
        if (!hasRoom() || counters.queued > 0) {
            if (counters.queued >= std::max(0, m_settings.queueSize)) {
                rejection = Rejection::QueueFull;
            } else {
                ++counters.queued;
                const bool got = m_shared->freed.wait_for(lock, m_settings.timeout, hasRoom);
                --counters.queued;
                if (!got)
                    rejection = Rejection::QueueTimeout;
            }
        }
        if (rejection == Rejection::None) {
            ++counters.inUse;
            ++counters.acquired;
        } else {
            ++(rejection == Rejection::QueueFull ? counters.rejectedQueueFull : counters.rejectedQueueTimeout);
        }
    }
    if (why)
        *why = rejection;
    if (rejection != Rejection::None) {
        qCDebug(lcBulkhead).noquote() << "bulkhead" << m_settings.name
                                      << "rejected a call:" << rejectionName(rejection);
        Q_EMIT rejected(rejection);
        return nullptr;
    }
    std::shared_ptr<Shared> shared = m_shared;
    // The deleter releases the slot and deletes nothing: only the permit's lifetime matters.
    return Permit(static_cast<void*>(shared.get()), [shared](void*) {
        {
            const std::lock_guard lock(shared->mutex);
            --shared->counters.inUse;
        }
        shared->freed.notify_one();
    });
}

Bulkhead::Counters Bulkhead::counters() const
{
    const std::lock_guard lock(m_shared->mutex);
    return m_shared->counters;
}

QString Bulkhead::rejectionName(Rejection rejection)
{
    switch (rejection) {
    case Rejection::None:
        return QStringLiteral("none");
    case Rejection::QueueFull:
        return QStringLiteral("queue-full");
    case Rejection::QueueTimeout:
        return QStringLiteral("queue-timeout");
    }
    return QString();
}

} // namespace EventScope
