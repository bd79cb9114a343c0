// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <eventscope/engine/domainmodule.h>

namespace Library {

/**
 * The library domain, plugged into the EventScope engine in one place:
 * - events BookAdded and BookLent (schema version 1);
 * - commands AddBook {title} and LendBook {borrower}, for support staff and up; Command::aggregateId is the
 *   book id, the stream is `book-<id>`;
 * - the projection BookshelfProjection ("bookshelf") and the query that reads it:
 *   GetBook {"id"} → {id, title, borrower (null when on the shelf), timesLent, asOf}.
 */
class LibraryModule final : public EventScope::DomainModule {
public:
    static constexpr auto StreamPrefix = "book-";

    QString name() const override { return QStringLiteral("library"); }
    EventScope::DomainResult<EventScope::Done> registerEvents(EventScope::EventTypeRegistry& registry) override;
    EventScope::DomainResult<EventScope::Done> registerCommands(
        EventScope::CommandBus& commands, EventScope::RepositoryProvider& repositories) override;
    EventScope::DomainResult<EventScope::Done> registerQueries(
        EventScope::QueryBus& queries, EventScope::RepositoryProvider& repositories) override;
    QList<std::shared_ptr<EventScope::Projection>> projections() const override;
    QHash<QString, QString> readModelQueries() const override;
    EventScope::Repository::Factory aggregateFactory(const QString& streamId) const override;
};

} // namespace Library
