// SPDX-License-Identifier: Apache-2.0
#include "librarymodule.h"

#include "book.h"
#include "bookshelfprojection.h"

#include <eventscope/cqrs/commandbus.h>
#include <eventscope/cqrs/querybus.h>
#include <eventscope/engine/aggregatecommandhandler.h>
#include <eventscope/engine/readmodelquery.h>
#include <eventscope/engine/repositoryprovider.h>
#include <eventscope/eventstore/sqleventstore.h>

#include <QSqlQuery>

using namespace EventScope;

namespace Library {

namespace {

FieldDescriptor requiredText(const QString& name, const QString& help)
{
    FieldDescriptor field;
    field.name = name;
    field.type = FieldDescriptor::Type::String;
    field.required = true;
    field.minimum = 1; // characters
    field.maximum = 200;
    field.help = help;
    return field;
}

DomainResult<Done> registered(bool ok, const QString& type)
{
    if (ok)
        return Done {};
    return DomainError(DomainError::Code::InvalidRegistration, QStringLiteral("%1 has a handler already.").arg(type));
}

} // namespace

DomainResult<Done> LibraryModule::registerEvents(EventTypeRegistry& registry)
{
    if (auto result = registry.registerType(QStringLiteral("BookAdded"), 1); !result)
        return result;
    return registry.registerType(QStringLiteral("BookLent"), 1);
}

DomainResult<Done> LibraryModule::registerCommands(CommandBus& commands, RepositoryProvider& repositories)
{
    // One repository per aggregate kind: it loads a Book from its stream (and snapshots) and appends its new events.
    const auto books
        = repositories.repository(QStringLiteral("Book"), [](const QString& id) { return std::make_unique<Book>(id); });

    // The descriptor says what a command takes and who may issue it; the bus validates and authorizes before the
    // handler runs. AggregateCommandHandler loads the book from `book-<aggregateId>`, lets the decision raise events
    // and appends them at the version it loaded (the engine retries a command that lost a race).
    const auto add = [&](const CommandDescriptor& descriptor, AggregateCommandHandler::Decision decide) {
        const AggregateCommandHandler handler(books, QLatin1String(StreamPrefix), std::move(decide));
        return registered(commands.registerCommand(descriptor, handler), descriptor.type);
    };

    auto result
        = add({ QStringLiteral("AddBook"), QStringLiteral("Adds a book to the catalogue."), false, Role::Support,
                  { requiredText(QStringLiteral("title"), QStringLiteral("The book's title.")) } },
            AggregateCommandHandler::on<Book>([](Book& book, const Command& command, const CommandContext&) {
                return book.add(command.fields.value(QLatin1String("title")).toString());
            }));
    if (!result)
        return result;
    return add({ QStringLiteral("LendBook"), QStringLiteral("Lends a book that is on the shelf."), false, Role::Support,
                   { requiredText(QStringLiteral("borrower"), QStringLiteral("Who takes it home.")) } },
        AggregateCommandHandler::on<Book>([](Book& book, const Command& command, const CommandContext&) {
            return book.lend(command.fields.value(QLatin1String("borrower")).toString());
        }));
}

namespace {

/// GetBook {"id"}: one row of the bookshelf read model.
QueryResult getBook(SqlEventStore& store, const Query& query)
{
    ReadModelQuery parameters(query, QStringLiteral("{\"id\": \"<book id>\"}"));
    const QString id = parameters.text(QStringLiteral("id"), ReadModelQuery::Presence::Required);
    if (auto failure = parameters.failure())
        return *failure;

    const QString sql = QStringLiteral("SELECT book_id, title, borrower, times_lent FROM ")
        + ReadModelTable::liveName(QLatin1String(BookshelfProjection::Table)) + QStringLiteral(" WHERE book_id = ?");
    std::optional<QJsonObject> book;
    const auto readRow = [&book](const QSqlQuery& row) {
        const QJsonValue borrower = row.value(2).isNull() ? QJsonValue() : QJsonValue(row.value(2).toString());
        book = QJsonObject { { QStringLiteral("id"), row.value(0).toString() },
            { QStringLiteral("title"), row.value(1).toString() }, { QStringLiteral("borrower"), borrower },
            { QStringLiteral("timesLent"), row.value(3).toLongLong() } };
    };
    if (auto failure = ReadModelQuery::select(store, QLatin1String(BookshelfProjection::Name), sql, { id }, readRow))
        return *failure;
    if (!book)
        return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
            QStringLiteral("There is no book %1 on the bookshelf. Check the id; a book added just now appears once "
                           "the projection has caught up.")
                .arg(id));
    return QJsonValue(*book);
}

} // namespace

DomainResult<Done> LibraryModule::registerQueries(QueryBus& queries, RepositoryProvider& repositories)
{
    // Queries read the read model's table on the calling thread's connection, never the aggregates.
    const std::shared_ptr<SqlEventStore> store = repositories.store();
    const QString type = QStringLiteral("GetBook");
    return registered(
        queries.registerQuery(type, [store](const Query& query) { return getBook(*store, query); }), type);
}

QList<std::shared_ptr<Projection>> LibraryModule::projections() const
{
    return { std::make_shared<BookshelfProjection>() };
}

QHash<QString, QString> LibraryModule::readModelQueries() const
{
    // GetBook's answers get "asOf": the bookshelf's checkpoint, so callers see how fresh they are.
    return { { QStringLiteral("GetBook"), QLatin1String(BookshelfProjection::Name) } };
}

Repository::Factory LibraryModule::aggregateFactory(const QString& streamId) const
{
    if (!streamId.startsWith(QLatin1String(StreamPrefix)))
        return {};
    return [](const QString& id) { return std::make_unique<Book>(id); };
}

} // namespace Library
