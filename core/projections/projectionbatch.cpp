// SPDX-License-Identifier: Apache-2.0
#include "projectionbatch.h"

#include "domain/eventtyperegistry.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSqlError>
#include <QSqlQuery>

namespace EventScope {

namespace {

// Connection trouble and lock contention pass; a constraint violation or a type error does not.
bool isTransient(const QSqlError& error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    const QString code = error.nativeErrorCode();
    // SQLite: SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10); PostgreSQL: serialization failure,
    // deadlock, lock timeout, admin shutdown, connection exceptions (class 08).
    return code == QStringLiteral("5") || code == QStringLiteral("6") || code == QStringLiteral("10")
        || code == QStringLiteral("40001") || code == QStringLiteral("40P01") || code == QStringLiteral("55P03")
        || code == QStringLiteral("57P01") || code.startsWith(QStringLiteral("08"));
}

} // namespace

ProjectionBatch::ProjectionBatch(
    QSqlDatabase db, Target target, QHash<QString, QString> tables, std::shared_ptr<const EventTypeRegistry> registry)
    : m_db(std::move(db))
    , m_target(target)
    , m_tables(std::move(tables))
    , m_registry(std::move(registry))
{
}

ProjectionBatch::~ProjectionBatch() = default;

QString ProjectionBatch::table(const QString& name) const
{
    return m_tables.value(name);
}

QString ProjectionBatch::resolve(const QString& sql) const
{
    QString resolved;
    resolved.reserve(sql.size() + 32);
    qsizetype from = 0;
    while (true) {
        const qsizetype open = sql.indexOf(u'{', from);
        const qsizetype close = open < 0 ? -1 : sql.indexOf(u'}', open + 1);
        if (close < 0) {
            resolved += QStringView(sql).mid(from);
            return resolved;
        }
        const QString name = sql.mid(open + 1, close - open - 1);
        const auto it = m_tables.constFind(name);
        resolved += QStringView(sql).mid(from, open - from);
        if (it == m_tables.cend())
            resolved += QStringView(sql).mid(open, close - open + 1); // not a table: left for the database to reject
        else
            resolved += it.value();
        from = close + 1;
    }
}

QSqlQuery* ProjectionBatch::exec(const QString& sql, const QVariantList& binds)
{
    if (m_error)
        return nullptr;
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto query = std::make_unique<QSqlQuery>(m_db);
        query->setForwardOnly(true);
        if (!query->prepare(resolve(sql))) {
            m_transient = isTransient(query->lastError());
            m_error = StoreError(StoreError::Code::QueryFailed,
                tr("A read-model statement is not valid: %1 (%2)")
                    .arg(query->lastError().text().trimmed(), query->lastQuery()));
            return nullptr;
        }
        it = m_statements.emplace(sql, std::move(query)).first;
    }
    QSqlQuery* query = it->second.get();
    for (int i = 0; i < binds.size(); ++i)
        query->bindValue(i, binds.at(i));
    if (!query->exec()) {
        m_transient = isTransient(query->lastError());
        m_error = StoreError(m_transient ? StoreError::Code::ConnectionFailed : StoreError::Code::QueryFailed,
            tr("Writing the read model failed: %1 (%2)").arg(query->lastError().text().trimmed(), query->lastQuery()));
        return nullptr;
    }
    return query;
}

bool ProjectionBatch::execRows(
    const QString& head, const QString& rowTuple, const QString& tail, const QVariantList& values)
{
    const qsizetype perRow = rowTuple.count(u'?');
    if (perRow == 0 || values.size() % perRow != 0) {
        if (!m_error)
            m_error = StoreError(StoreError::Code::InvalidArgument,
                tr("execRows() got %1 values for rows of %2 placeholders.").arg(values.size()).arg(perRow));
        return false;
    }
    qsizetype row = 0;
    const qsizetype rows = values.size() / perRow;
    while (row < rows) {
        qsizetype chunk = 256;
        while (chunk > rows - row)
            chunk /= 4;
        QString sql = head;
        sql.reserve(head.size() + chunk * (rowTuple.size() + 2) + tail.size());
        for (qsizetype i = 0; i < chunk; ++i) {
            if (i > 0)
                sql += u',';
            sql += rowTuple;
        }
        sql += tail;
        if (!exec(sql, values.mid(row * perRow, chunk * perRow)))
            return false;
        row += chunk;
    }
    return true;
}

std::optional<QJsonObject> ProjectionBatch::payload(const RecordedEvent& event)
{
    if (m_registry) {
        auto decoded = m_registry->decodePayload(event);
        if (!decoded) {
            if (!m_error)
                m_error = StoreError(StoreError::Code::InvalidArgument, decoded.error().message());
            return std::nullopt;
        }
        return std::move(decoded).value();
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.payload, &parseError);
    if (!document.isObject()) {
        if (!m_error)
            m_error = StoreError(StoreError::Code::InvalidArgument,
                tr("The payload of event %1 is not a JSON object: %2")
                    .arg(event.position)
                    .arg(parseError.errorString()));
        return std::nullopt;
    }
    return document.object();
}

} // namespace EventScope
