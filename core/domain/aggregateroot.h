// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domainevent.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace EventScope {

/**
 * Base of event-sourced aggregates. State changes only by applying events: decisions (the subclass's
 * command functions) check invariants and call raise(), which applies the new event and queues it as
 * uncommitted until a Repository stores it. Loading replays stored events through the same apply().
 *
 * Not thread-safe; an aggregate instance belongs to one unit of work.
 */
class AggregateRoot {
public:
    explicit AggregateRoot(QString id);
    virtual ~AggregateRoot();

    AggregateRoot(const AggregateRoot&) = delete;
    AggregateRoot& operator=(const AggregateRoot&) = delete;

    /// The stream id of this aggregate.
    const QString& id() const { return m_id; }
    /// Name of the aggregate kind ("Counter", "Order"), stored with snapshots.
    virtual QString aggregateType() const = 0;

    /// Stream version of the last applied event, stored or not; NoStreamVersion for a new aggregate.
    StreamVersion version() const { return m_version; }
    /// Version of the last stored event: version() minus the uncommitted events.
    StreamVersion committedVersion() const { return m_version - m_uncommitted.size(); }

    /// Events raised since the last markCommitted(), oldest first.
    const QList<DomainEvent>& uncommittedEvents() const { return m_uncommitted; }
    bool hasUncommittedEvents() const { return !m_uncommitted.isEmpty(); }
    /// Forgets the uncommitted events after they were stored. version() stays.
    void markCommitted() { m_uncommitted.clear(); }

    /// Applies an event from the stream's history (not queued). Its version becomes version() + 1.
    void replay(const DomainEvent& event);

    /// Version of the layout of snapshotState(). Snapshots written with another version are not used.
    virtual int snapshotSchemaVersion() const { return 1; }
    /// The whole state as JSON, for a snapshot.
    virtual QJsonObject snapshotState() const = 0;
    /**
     * Replaces the state with a snapshot taken at \a version. Returns false, leaving the aggregate as it was
     * constructed, when restoreState() rejects \a state. Only for an aggregate without applied events.
     */
    bool restoreSnapshot(const QJsonObject& state, StreamVersion version);

protected:
    /// Changes the state for \a event. Must not fail and must not check invariants: the event happened.
    virtual void apply(const DomainEvent& event) = 0;
    /// Sets the state from snapshotState() output; returns false when \a state is not usable.
    virtual bool restoreState(const QJsonObject& state) = 0;

    /// Records a decision: applies a new event of \a type and queues it as uncommitted.
    void raise(const QString& type, const QJsonObject& payload, int schemaVersion = 1);

private:
    QString m_id;
    StreamVersion m_version = NoStreamVersion;
    QList<DomainEvent> m_uncommitted;
};

} // namespace EventScope
