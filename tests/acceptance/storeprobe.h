// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"
#include "eventstore/storesettings.h"

#include <QList>
#include <QString>

#include <memory>

namespace EventScope {
class SqlEventStore;
}

namespace EventScope::Test {

/// A second, read-only connection to a story's store: what was really written, as another program sees it. Reads
/// that fail give -1 or nothing, so that the story's checks say what differs.
class StoreProbe {
public:
    explicit StoreProbe(StoreSettings settings);
    ~StoreProbe();

    bool isOpen() const { return m_store != nullptr; }
    qint64 eventCount() const;
    GlobalPosition head() const;
    /// The events of \a streamId, oldest first.
    QList<RecordedEvent> stream(const QString& streamId) const;
    /// Every event in $all, oldest first.
    QList<RecordedEvent> all() const;

private:
    std::shared_ptr<SqlEventStore> m_store;
};

} // namespace EventScope::Test
