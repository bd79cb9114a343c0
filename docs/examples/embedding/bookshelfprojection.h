// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <eventscope/projections/projection.h>

namespace Library {

/**
 * The read model "bookshelf": one row per book in table `books` (in the store's database as `rm_books`), with
 * its title, who has it now (NULL when nobody), how often it was lent and the $all position of the last event
 * applied. The engine's ProjectionManager feeds it BookAdded and BookLent events in order, in batches, and
 * commits each batch's rows together with its checkpoint.
 */
class BookshelfProjection final : public EventScope::Projection {
public:
    static constexpr auto Name = "bookshelf";
    static constexpr auto Table = "books";

    QString name() const override { return QLatin1String(Name); }
    int version() const override { return 1; }
    QString description() const override { return QStringLiteral("Books, who has them and how often they were lent."); }
    QStringList eventTypes() const override;
    QList<EventScope::ReadModelTable> tables() const override;

    QString apply(const EventScope::RecordedEvent& event, EventScope::ProjectionBatch& batch) override;
};

} // namespace Library
