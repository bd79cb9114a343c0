// SPDX-License-Identifier: Apache-2.0
#include "storeprobe.h"

#include "eventstore/sqleventstore.h"

namespace EventScope::Test {

StoreProbe::StoreProbe(StoreSettings settings)
{
    settings.readOnly = true;
    auto opened = SqlEventStore::open(settings);
    if (opened.ok())
        m_store = *opened;
    else
        qWarning("the probe cannot open the store: %s", qPrintable(opened.error().message()));
}

StoreProbe::~StoreProbe() = default;

qint64 StoreProbe::eventCount() const
{
    const auto count = m_store->eventCount();
    return count.ok() ? *count : -1;
}

GlobalPosition StoreProbe::head() const
{
    const auto head = m_store->headPosition();
    return head.ok() ? *head : -1;
}

QList<RecordedEvent> StoreProbe::stream(const QString& streamId) const
{
    const auto events = m_store->readStream(streamId, 0, 100000);
    return events.ok() ? *events : QList<RecordedEvent> {};
}

QList<RecordedEvent> StoreProbe::all() const
{
    const auto events = m_store->readAll(0, 100000);
    return events.ok() ? *events : QList<RecordedEvent> {};
}

} // namespace EventScope::Test
