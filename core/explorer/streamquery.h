// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/streaminfo.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace EventScope {

/**
 * Which streams the streams pane lists, and in which order. The pattern is a prefix ("user-4"), a category
 * ("user-*"), or a wildcard pattern where '*' matches any run of characters and '?' one character
 * ("acc*-00?"); a pattern without wildcards is a prefix. Matching is case-sensitive, as stream ids are.
 */
struct StreamQuery {
    enum class Order {
        LastActivity, ///< most recently appended first, then by id descending
        Name, ///< by id ascending
    };

    QString pattern;
    Order order = Order::LastActivity;

    /// Whether \a streamId matches the pattern (the same rule as the database's).
    bool matches(const QString& streamId) const;
};

/// Where a stream listing page ends, to ask for the next one; isNull() before the first page.
struct StreamCursor {
    QString streamId;
    QDateTime lastRecordedAt; ///< for Order::LastActivity
    bool isNull() const { return streamId.isEmpty(); }
};

/// A page of streams in a StreamQuery's order.
struct StreamListing {
    QList<StreamInfo> streams;
    StreamCursor next; ///< null when this was the last page
};

} // namespace EventScope
