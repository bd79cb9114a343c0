// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "recordedevent.h"
#include "streaminfo.h"

#include <QString>
#include <QStringList>

namespace EventScope {

enum class ReadDirection { Forward, Backward };

/// Filters for reading $all. Empty lists mean "everything".
struct AllFilter {
    QStringList eventTypes; ///< exact type names
    QStringList categories; ///< stream categories ("user" matches "user-1", "user-2" …)

    bool isEmpty() const { return eventTypes.isEmpty() && categories.isEmpty(); }
};

/// Filters for listing streams: the one rule the store's query and the UI's live updates share.
struct StreamFilter {
    /// A prefix ("user-4"), optionally ending in '*' ("user-4*"); "user-*" is therefore the category "user"
    /// (a category is the part of an id before its first '-'). Empty lists every stream.
    QString pattern;

    /// The prefix the pattern selects ("user-*" → "user-").
    QString prefix() const;
    bool matches(const QString& streamId) const { return streamId.startsWith(prefix()); }
};

/// A page of stream listing, and the key to ask for the next page with.
struct StreamPage {
    QList<StreamInfo> streams;
    QString nextAfter; ///< stream id to pass as "after" for the next page; empty when this was the last page
};

} // namespace EventScope
