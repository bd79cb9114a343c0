// SPDX-License-Identifier: Apache-2.0
#include "eventbus.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>
#include <exception>

namespace EventScope {

Q_LOGGING_CATEGORY(lcEventBus, "eventscope.core.cqrs.eventbus")

EventBus::EventBus(QObject* parent)
    : EventBus(DefaultMaxKeptFailures, parent)
{
}

EventBus::EventBus(int maxKeptFailures, QObject* parent)
    : QObject(parent)
    , m_maxKeptFailures(std::max(1, maxKeptFailures))
{
    qRegisterMetaType<EventScope::EventHandlerFailure>();
}

EventBus::~EventBus() = default;

EventBus::SubscriptionId EventBus::subscribe(const QString& handlerName, const QString& eventType, Handler handler)
{
    if (!handler)
        return 0;
    const std::lock_guard lock(m_mutex);
    const SubscriptionId id = m_nextId++;
    m_subscriptions.append(Subscription { id, handlerName, eventType, std::move(handler) });
    return id;
}

EventBus::SubscriptionId EventBus::subscribeToAll(const QString& handlerName, Handler handler)
{
    return subscribe(handlerName, QString(), std::move(handler));
}

bool EventBus::unsubscribe(SubscriptionId id)
{
    const std::lock_guard lock(m_mutex);
    return m_subscriptions.removeIf([id](const Subscription& s) { return s.id == id; }) > 0;
}

int EventBus::subscriberCount() const
{
    const std::lock_guard lock(m_mutex);
    return int(m_subscriptions.size());
}

void EventBus::publish(const RecordedEvent& event)
{
    publish(QList<RecordedEvent> { event });
}

void EventBus::publish(const QList<RecordedEvent>& events)
{
    // A copy, so that handlers run without the lock and may (un)subscribe.
    QList<Subscription> subscriptions;
    {
        const std::lock_guard lock(m_mutex);
        subscriptions = m_subscriptions;
    }
    for (const RecordedEvent& event : events) {
        for (const Subscription& subscription : std::as_const(subscriptions)) {
            if (!subscription.eventType.isEmpty() && subscription.eventType != event.eventType)
                continue;
            std::optional<QString> error;
            try {
                error = subscription.handler(event);
            } catch (const std::exception& e) {
                error = QString::fromLocal8Bit(e.what());
            } catch (...) {
                error = QCoreApplication::translate("EventScope::EventBus", "The handler threw an unknown exception.");
            }
            if (error)
                recordFailure(event, subscription.handlerName, *error);
        }
    }
}

void EventBus::recordFailure(const RecordedEvent& event, const QString& handlerName, const QString& error)
{
    const EventHandlerFailure failure { event.position, event.streamId, event.eventType, event.eventId, handlerName,
        error, QDateTime::currentDateTimeUtc() };
    qCWarning(lcEventBus) << "handler" << handlerName << "failed on" << event.eventType << "at position"
                          << event.position << ":" << error;
    {
        const std::lock_guard lock(m_mutex);
        m_failures.append(failure);
        while (m_failures.size() > m_maxKeptFailures)
            m_failures.removeFirst();
        ++m_failureCount;
    }
    Q_EMIT handlerFailed(failure);
}

QList<EventHandlerFailure> EventBus::recentFailures() const
{
    const std::lock_guard lock(m_mutex);
    return m_failures;
}

void EventBus::clearFailures()
{
    const std::lock_guard lock(m_mutex);
    m_failures.clear();
    m_failureCount = 0;
}

} // namespace EventScope
