// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace EventScope {

/// A condition on one value inside an event's payload: the value at a JSON path equals or contains a text.
struct PayloadCondition {
    enum class Match { Equals, Contains };

    /// Dotted path of object keys, e.g. "email" or "address.city"; keys of letters, digits, '_' and '-'.
    QString path;
    Match match = Match::Equals;
    /// Compared with the value's text: a string as it is, a number or boolean as JSON writes it.
    QString value;

    bool isEmpty() const { return path.isEmpty(); }
    friend bool operator==(const PayloadCondition&, const PayloadCondition&) = default;
};

/**
 * What an explorer search selects: one stream or $all, narrowed by event types, stream categories, a time
 * range, the actor and correlation id in the metadata, and a condition on the payload. Every condition that
 * is set must hold. The same rules are applied by the database (EventSearch) and in memory (matches(), used
 * for live tail and as the tests' reference), so both must agree.
 */
struct EventQuery {
    Q_DECLARE_TR_FUNCTIONS(EventQuery)
public:
    QString streamId; ///< one stream; empty: every stream
    QStringList eventTypes; ///< exact type names; empty: all
    QStringList categories; ///< stream categories ("user" selects "user-1" …); empty: all
    QDateTime from; ///< recorded at or after (UTC); invalid: no lower bound
    QDateTime until; ///< recorded before (UTC); invalid: no upper bound
    QString actor; ///< metadata "actor" equals
    QString correlationId; ///< metadata "correlationId" equals
    PayloadCondition payload;

    /// True when nothing restricts the events (every event of the store, or of the stream).
    bool isEmpty() const;
    /// True when a condition needs the payload or metadata read (slow on big stores: run with a time limit).
    bool isContentQuery() const;
    /// An error message for people when the query cannot run (bad payload path, from after until, …).
    std::optional<QString> validate() const;
    /// Whether \a event satisfies every condition.
    bool matches(const RecordedEvent& event) const;
    /// One line for people: "stream user-4, types UserCreated, since 2026-01-01 …"; "all events" when empty.
    QString describe() const;

    /// For saved searches and export headers; fromJson(toJson()) == *this.
    QJsonObject toJson() const;
    static EventQuery fromJson(const QJsonObject& object);

    friend bool operator==(const EventQuery&, const EventQuery&) = default;
};

} // namespace EventScope
