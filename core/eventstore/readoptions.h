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

/// Filters for listing streams.
struct StreamFilter {
    /// Either a prefix ("user-4") or a category pattern ("user-*"); empty lists every stream.
    QString pattern;
};

/// A page of stream listing, and the key to ask for the next page with.
struct StreamPage {
    QList<StreamInfo> streams;
    QString nextAfter; ///< stream id to pass as "after" for the next page; empty when this was the last page
};

} // namespace EventScope
