// SPDX-License-Identifier: Apache-2.0
#include "bookshelfprojection.h"

#include "librarymodule.h"

#include <eventscope/projections/projectionbatch.h>

#include <QJsonObject>

namespace Library {

QStringList BookshelfProjection::eventTypes() const
{
    return { QStringLiteral("BookAdded"), QStringLiteral("BookLent") };
}

QList<EventScope::ReadModelTable> BookshelfProjection::tables() const
{
    EventScope::ReadModelTable books;
    books.name = QLatin1String(Table);
    books.columns = { QStringLiteral("book_id TEXT NOT NULL"), QStringLiteral("title TEXT NOT NULL"),
        QStringLiteral("borrower TEXT"), QStringLiteral("times_lent BIGINT NOT NULL"),
        QStringLiteral("position BIGINT NOT NULL") };
    books.primaryKey = { QStringLiteral("book_id") };
    return { books };
}

QString BookshelfProjection::apply(const EventScope::RecordedEvent& event, EventScope::ProjectionBatch& batch)
{
    // The payload as the domain sees it (upcasted, had we registered upcasters).
    const auto payload = batch.payload(event);
    if (!payload)
        return batch.error()->message();
    const QString bookId = event.streamId.mid(QLatin1String(LibraryModule::StreamPrefix).size());

    // `{books}` stands for the physical table: the live one, or its shadow copy while the read model is rebuilt.
    QSqlQuery* done = nullptr;
    if (event.eventType == QLatin1String("BookAdded")) {
        done = batch.exec(QStringLiteral("INSERT INTO {books} (book_id, title, borrower, times_lent, position) "
                                         "VALUES (?, ?, NULL, 0, ?)"),
            { bookId, payload->value(QLatin1String("title")).toString(), event.position });
    } else if (event.eventType == QLatin1String("BookLent")) {
        done = batch.exec(QStringLiteral("UPDATE {books} SET borrower = ?, times_lent = times_lent + 1, position = ? "
                                         "WHERE book_id = ?"),
            { payload->value(QLatin1String("borrower")).toString(), event.position, bookId });
    } else {
        return {}; // not ours
    }
    // A non-empty message stops the projection on this event ("faulted") until an operator retries or skips it.
    return done ? QString() : batch.error()->message();
}

} // namespace Library
