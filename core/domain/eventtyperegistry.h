// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domainevent.h"
#include "domainresult.h"
#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>

namespace EventScope {

/// Transforms the payload of an event from schema version n to n + 1. Must be a pure function.
using Upcaster = std::function<QJsonObject(const QJsonObject& payload)>;

/**
 * The event types an application knows, each with its current schema version, and the upcasters that
 * bring stored payloads of older versions up to date (v1 → v2 → v3, one step at a time, on read). The
 * stored event is never rewritten: decode() returns the stored RecordedEvent next to the upcasted payload.
 *
 * Set up once, then share it read-only (const functions are safe to call from any thread).
 */
class EventTypeRegistry {
    Q_DECLARE_TR_FUNCTIONS(EventTypeRegistry)
public:
    /// Registers \a type with \a currentVersion (>= 1). Fails for a bad name, a version < 1, or a type
    /// registered already with another version.
    DomainResult<Done> registerType(const QString& type, int currentVersion);
    /// Registers the upcaster of \a type from \a fromVersion to fromVersion + 1. The type must be registered
    /// and fromVersion must lie in [1, current version); one upcaster per step.
    DomainResult<Done> registerUpcaster(const QString& type, int fromVersion, Upcaster upcaster);

    /// Checks every registered type has an upcaster for each step from version 1 to its current version.
    /// The error (MissingUpcaster) names every gap.
    DomainResult<Done> validate() const;

    bool isKnown(const QString& type) const { return m_types.contains(type); }
    /// The current schema version of \a type, or 0 when it is not registered.
    int currentVersion(const QString& type) const;
    QStringList types() const;

    /**
     * The domain form of \a stored: payload upcasted to the type's current version, stored form kept.
     * Unknown types decode to their raw JSON with known = false. A schema version newer than the
     * registered one is SchemaVersionTooNew; a missing step is MissingUpcaster.
     */
    DomainResult<DomainEvent> decode(const RecordedEvent& stored) const;

    /// Only the payload of \a stored, upcasted like decode() does (no metadata parsed, no copy of the event):
    /// for projections, which read millions of events.
    DomainResult<QJsonObject> decodePayload(const RecordedEvent& stored) const;

private:
    struct TypeInfo {
        int currentVersion = 1;
        std::map<int, Upcaster> upcasters; ///< by fromVersion
    };
    QHash<QString, TypeInfo> m_types;
};

} // namespace EventScope
