// SPDX-License-Identifier: Apache-2.0
#include "eventtyperegistry.h"

#include "eventstore/streamid.h"

#include <algorithm>

namespace EventScope {

DomainResult<Done> EventTypeRegistry::registerType(const QString& type, int currentVersion)
{
    const QString problem = StreamId::validateEventType(type);
    if (!problem.isEmpty())
        return DomainError(DomainError::Code::InvalidRegistration, problem);
    if (currentVersion < 1)
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("Event type '%1' cannot have schema version %2: versions start at 1.").arg(type).arg(currentVersion));
    const auto existing = m_types.constFind(type);
    if (existing != m_types.constEnd() && existing->currentVersion != currentVersion)
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("Event type '%1' is registered already with schema version %2; register each type once.")
                .arg(type)
                .arg(existing->currentVersion));
    m_types[type].currentVersion = currentVersion;
    return Done {};
}

DomainResult<Done> EventTypeRegistry::registerUpcaster(const QString& type, int fromVersion, Upcaster upcaster)
{
    const auto info = m_types.find(type);
    if (info == m_types.end())
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("Cannot add an upcaster for '%1': the event type is not registered. Register the type first.")
                .arg(type));
    if (fromVersion < 1 || fromVersion >= info->currentVersion)
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("An upcaster of '%1' from version %2 makes no sense: the current version is %3, so upcasters go "
               "from 1 to %4.")
                .arg(type)
                .arg(fromVersion)
                .arg(info->currentVersion)
                .arg(info->currentVersion - 1));
    if (!upcaster)
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("The upcaster of '%1' from version %2 is empty.").arg(type).arg(fromVersion));
    if (info->upcasters.count(fromVersion))
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("'%1' has an upcaster from version %2 already; register one per step.").arg(type).arg(fromVersion));
    info->upcasters.emplace(fromVersion, std::move(upcaster));
    return Done {};
}

DomainResult<Done> EventTypeRegistry::validate() const
{
    QStringList gaps;
    for (auto it = m_types.constBegin(); it != m_types.constEnd(); ++it) {
        for (int from = 1; from < it->currentVersion; ++from) {
            if (!it->upcasters.count(from))
                gaps.append(tr("'%1' v%2 → v%3").arg(it.key()).arg(from).arg(from + 1));
        }
    }
    if (gaps.isEmpty())
        return Done {};
    gaps.sort();
    return DomainError(DomainError::Code::MissingUpcaster,
        tr("Upcasters are missing for %1. Register them, or stored events of those versions cannot be read.")
            .arg(gaps.join(QStringLiteral(", "))));
}

int EventTypeRegistry::currentVersion(const QString& type) const
{
    const auto it = m_types.constFind(type);
    return it == m_types.constEnd() ? 0 : it->currentVersion;
}

QStringList EventTypeRegistry::types() const
{
    QStringList names = m_types.keys();
    names.sort();
    return names;
}

DomainResult<DomainEvent> EventTypeRegistry::decode(const RecordedEvent& stored) const
{
    auto payload = decodePayload(stored);
    if (!payload)
        return payload.error();
    DomainEvent event;
    event.eventId = stored.eventId;
    event.type = stored.eventType;
    const auto info = m_types.constFind(stored.eventType);
    event.known = info != m_types.constEnd();
    event.schemaVersion = event.known ? info->currentVersion : stored.schemaVersion;
    event.payload = std::move(payload).value();
    event.metadata = stored.metadataObject();
    event.stored = stored;
    return event;
}

DomainResult<QJsonObject> EventTypeRegistry::decodePayload(const RecordedEvent& stored) const
{
    QJsonObject payload = stored.payloadObject();
    const auto info = m_types.constFind(stored.eventType);
    if (info == m_types.constEnd())
        return payload;
    if (stored.schemaVersion > info->currentVersion)
        return DomainError(DomainError::Code::SchemaVersionTooNew,
            tr("Event %1 of stream '%2' (version %3) is '%4' schema version %5, but this build knows that type "
               "only up to version %6. Update the application, or register the newer version.")
                .arg(stored.position)
                .arg(stored.streamId)
                .arg(stored.streamVersion)
                .arg(stored.eventType)
                .arg(stored.schemaVersion)
                .arg(info->currentVersion));
    for (int from = std::max(1, stored.schemaVersion); from < info->currentVersion; ++from) {
        const auto step = info->upcasters.find(from);
        if (step == info->upcasters.end())
            return DomainError(DomainError::Code::MissingUpcaster,
                tr("Event %1 of stream '%2' cannot be upcasted: '%3' has no upcaster from version %4 to %5. "
                   "Register it.")
                    .arg(stored.position)
                    .arg(stored.streamId)
                    .arg(stored.eventType)
                    .arg(from)
                    .arg(from + 1));
        payload = step->second(payload);
    }
    return payload;
}

} // namespace EventScope
