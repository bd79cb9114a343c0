// SPDX-License-Identifier: Apache-2.0
#include "aggregateroot.h"

#include "eventstore/eventdata.h"

namespace EventScope {

AggregateRoot::AggregateRoot(QString id)
    : m_id(std::move(id))
{
}

AggregateRoot::~AggregateRoot() = default;

void AggregateRoot::replay(const DomainEvent& event)
{
    apply(event);
    ++m_version;
}

bool AggregateRoot::restoreSnapshot(const QJsonObject& state, StreamVersion version)
{
    Q_ASSERT(m_version == NoStreamVersion && m_uncommitted.isEmpty());
    if (!restoreState(state))
        return false;
    m_version = version;
    return true;
}

void AggregateRoot::raise(const QString& type, const QJsonObject& payload, int schemaVersion)
{
    DomainEvent event;
    event.eventId = EventData::newEventId();
    event.type = type;
    event.schemaVersion = schemaVersion;
    event.payload = payload;
    apply(event);
    ++m_version;
    m_uncommitted.append(std::move(event));
}

} // namespace EventScope
