// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "readmodeltable.h"

#include "eventstore/recordedevent.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace EventScope {

class ProjectionBatch;

/**
 * A read model built from events: a name, a version, the event types it handles, its tables, and how each
 * event changes them. The ProjectionManager feeds it events in $all order in batches; each batch's changes
 * and the checkpoint after it are committed in one transaction.
 *
 * For every batch the manager calls apply() for each handled event in order, then flush() once; when
 * anything fails it rolls the transaction back and calls discard(). A projection may therefore collect
 * changes in memory during apply() and write them coalesced in flush() (one upsert per row and batch instead
 * of one per event). apply() and flush() must depend only on the events and the read model's tables: a
 * rebuild replays the same events and must arrive at the same tables.
 *
 * Bump version() whenever the tables or what apply() writes change: the manager then rebuilds the read model
 * into shadow tables while the old one keeps serving, and swaps them when the rebuild has caught up.
 *
 * Threading: one instance is used by one runner thread at a time; queries read the tables, never the object.
 */
class Projection {
public:
    virtual ~Projection();

    /// Lower-case identifier, unique in the manager ("users", "account_balances").
    virtual QString name() const = 0;
    /// The version of the read model's shape and rules; a change triggers a shadow rebuild.
    virtual int version() const = 0;
    /// One line for operators: what the read model answers.
    virtual QString description() const = 0;
    /// Event types the projection handles; empty means every event.
    virtual QStringList eventTypes() const = 0;
    virtual QList<ReadModelTable> tables() const = 0;

    /**
     * Applies \a event. Returns an empty string when it was applied, or a message for operators saying why
     * it cannot be (the projection then stops on this event, faulted, until an operator retries or skips it).
     * Throwing a std::exception has the same effect. A failed batch.exec() faults it too.
     */
    virtual QString apply(const RecordedEvent& event, ProjectionBatch& batch) = 0;
    /// Writes what apply() collected for this batch. Same error convention as apply().
    virtual QString flush(ProjectionBatch& batch);
    /// Forgets what apply() collected: the batch was rolled back.
    virtual void discard();
};

} // namespace EventScope
