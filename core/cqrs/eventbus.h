// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventhandlerfailure.h"
#include "eventstore/recordedevent.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>

namespace EventScope {

/**
 * In-process publish/subscribe of events after they were appended.
 *
 * publish() calls every matching subscriber synchronously, on the publisher's thread, in subscription
 * order. A subscriber fails by returning an error message or by throwing a std::exception; the failure is
 * caught here, counted, kept in a bounded list of recent failures and reported by handlerFailed(), and never
 * reaches the publisher or keeps other subscribers from the event. subscribe(), unsubscribe() and publish()
 * are thread-safe; a subscriber may subscribe or unsubscribe from inside its handler.
 */
class EventBus : public QObject {
    Q_OBJECT
public:
    /// Returns std::nullopt when the event was handled, else what went wrong.
    using Handler = std::function<std::optional<QString>(const RecordedEvent&)>;
    using SubscriptionId = quint64;

    static constexpr int DefaultMaxKeptFailures = 200;

    explicit EventBus(QObject* parent = nullptr);
    /// Keeps the newest \a maxKeptFailures failures (at least 1).
    explicit EventBus(int maxKeptFailures, QObject* parent = nullptr);
    ~EventBus() override;

    /// Subscribes \a handler, called \a handlerName in failure reports, to events of type \a eventType
    /// (every event when empty). Returns the id to unsubscribe with.
    SubscriptionId subscribe(const QString& handlerName, const QString& eventType, Handler handler);
    SubscriptionId subscribeToAll(const QString& handlerName, Handler handler);
    /// Returns false when \a id is not subscribed (any more).
    bool unsubscribe(SubscriptionId id);
    int subscriberCount() const;

    /// Hands \a events, in order, to their subscribers. Never fails.
    void publish(const QList<RecordedEvent>& events);
    void publish(const RecordedEvent& event);

    /// Failures since construction (or clearFailures()), including those no longer kept.
    qint64 failureCount() const { return m_failureCount.load(); }
    /// The newest failures, oldest first, at most maxKeptFailures().
    QList<EventHandlerFailure> recentFailures() const;
    int maxKeptFailures() const { return m_maxKeptFailures; }
    void clearFailures();

Q_SIGNALS:
    /// A subscriber failed; emitted on the publisher's thread (connect queued to reach the GUI thread).
    void handlerFailed(const EventScope::EventHandlerFailure& failure);

private:
    struct Subscription {
        SubscriptionId id;
        QString handlerName;
        QString eventType;
        Handler handler;
    };

    void recordFailure(const RecordedEvent& event, const QString& handlerName, const QString& error);

    const int m_maxKeptFailures;
    mutable std::mutex m_mutex;
    QList<Subscription> m_subscriptions;
    SubscriptionId m_nextId = 1;
    QList<EventHandlerFailure> m_failures;
    std::atomic<qint64> m_failureCount { 0 };
};

} // namespace EventScope
