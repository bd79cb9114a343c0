// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace EventScope {

/**
 * Rules for stream ids and event type names.
 *
 * A stream id is 1–200 characters from [A-Za-z0-9] and "-_.:@$". Its category is the part before the first
 * '-' ("user-42" → "user"); an id without '-' is its own category. Ids starting with '$' are reserved for
 * the store ("$all"). Event type names are 1–200 characters from [A-Za-z0-9] and "_.:-", starting with a letter.
 */
class StreamId {
public:
    static constexpr int MaxLength = 200;

    /// Empty when \a id is acceptable, else a message saying what is wrong with it and what is allowed.
    static QString validate(const QString& id);
    static QString validateEventType(const QString& type);
    static QString category(const QString& id);

    /// Reserved name of the stream of every event in the store.
    static QString all() { return QStringLiteral("$all"); }
};

} // namespace EventScope
