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
    /// Either a prefix ("user-4", or "user-4*") or a category pattern ("user-*"); empty lists every stream.
    QString pattern;

    /// The category a "name-*" pattern selects ("user-*" → "user"); empty for a prefix pattern.
    QString category() const;
    /// The prefix a prefix pattern selects ("user-4*" → "user-4"); empty for a category pattern.
    QString prefix() const;
    bool matches(const QString& streamId) const;
};

/// A page of stream listing, and the key to ask for the next page with.
struct StreamPage {
    QList<StreamInfo> streams;
    QString nextAfter; ///< stream id to pass as "after" for the next page; empty when this was the last page
};

} // namespace EventScope
