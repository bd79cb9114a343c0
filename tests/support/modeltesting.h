// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storereader.h"

#include <QAbstractItemModel>
#include <QSignalSpy>
#include <QTest>

namespace EventScope::Test {

/// Waits until every request issued so far by \a reader has been answered (answers come in order).
inline bool drain(StoreReader& reader)
{
    QSignalSpy summaries(&reader, &StoreReader::summaryLoaded);
    const quint64 sentinel = reader.loadSummary();
    return QTest::qWaitFor([&] {
        for (const QList<QVariant>& arguments : std::as_const(summaries)) {
            if (arguments.at(0).toULongLong() == sentinel)
                return true;
        }
        return false;
    });
}

/// Calls fetchMore() on a lazy model (with isLoading()) until it is at its end; returns how many batches were
/// inserted, -1 on a time-out.
template <typename Model>
int fetchEverything(Model& model)
{
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    if (!QTest::qWaitFor([&] { return !model.isLoading(); }))
        return -1;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        if (!QTest::qWaitFor([&] { return !model.isLoading(); }))
            return -1;
    }
    return int(inserted.size());
}

} // namespace EventScope::Test
