// SPDX-License-Identifier: Apache-2.0
#include "sqlitestatement.h"

#include "sqleventstore.h"
#include "storeconnection.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace EventScope {

namespace {

sqlite3* nativeHandle(StoreConnection& connection)
{
    const QVariant handle = connection.db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

StoreError noHandle()
{
    return StoreError(StoreError::Code::Unsupported,
        QCoreApplication::translate("EventStore", "The QSQLITE driver did not hand out its sqlite3 connection."));
}

} // namespace

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* statement, QString sql)
    : m_db(db)
    , m_statement(statement)
    , m_sql(std::move(sql))
{
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

StoreResult<SqliteStatement*> SqliteStatement::cached(StoreConnection& connection, const QString& sql)
{
    std::shared_ptr<void>& slot = connection.native[sql];
    if (slot)
        return static_cast<SqliteStatement*>(slot.get());
    sqlite3* db = nativeHandle(connection);
    if (!db) {
        connection.native.erase(sql);
        return noHandle();
    }
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr)
        != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        qCWarning(lcEventStore).noquote() << "SQL failed while preparing |" << sql << "|" << message;
        connection.native.erase(sql);
        return StoreError(StoreError::Code::QueryFailed,
            QCoreApplication::translate("EventStore", "The store failed while preparing a statement: %1").arg(message));
    }
    auto* prepared = new SqliteStatement(db, statement, sql);
    slot = std::shared_ptr<void>(prepared, [](void* p) { delete static_cast<SqliteStatement*>(p); });
    return prepared;
}

std::optional<StoreError> SqliteStatement::execute(StoreConnection& connection, const char* sql, const QString& what)
{
    sqlite3* db = nativeHandle(connection);
    if (!db)
        return noHandle();
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK)
        return std::nullopt;
    const QString message = QString::fromUtf8(sqlite3_errmsg(db));
    qCWarning(lcEventStore).noquote() << "SQL failed while" << what << "|" << sql << "|" << message;
    const int code = sqlite3_extended_errcode(db);
    return StoreError((code & 0xff) == SQLITE_BUSY ? StoreError::Code::ConnectionFailed : StoreError::Code::QueryFailed,
        QCoreApplication::translate("EventStore", "The store failed while %1: %2").arg(what, message));
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index, value);
}

void SqliteStatement::bind(int index, QByteArrayView utf8)
{
    sqlite3_bind_text(m_statement, index, utf8.data(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bind(int index, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bind(int index, const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Bool:
        bind(index, value.toLongLong());
        break;
    default:
        if (value.isNull())
            sqlite3_bind_null(m_statement, index);
        else
            bind(index, value.toString());
    }
}

bool SqliteStatement::next()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    m_failed = rc != SQLITE_DONE;
    return false;
}

bool SqliteStatement::run()
{
    while (next()) { }
    return !m_failed;
}

int SqliteStatement::errorCode() const
{
    return sqlite3_extended_errcode(m_db);
}

QString SqliteStatement::errorMessage() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

StoreError SqliteStatement::error(const QString& what) const
{
    qCWarning(lcEventStore).noquote() << "SQL failed while" << what << "|" << m_sql << "|" << errorMessage();
    return StoreError(
        (errorCode() & 0xff) == SQLITE_BUSY ? StoreError::Code::ConnectionFailed : StoreError::Code::QueryFailed,
        QCoreApplication::translate("EventStore", "The store failed while %1: %2").arg(what, errorMessage()));
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_failed = false;
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QByteArrayView SqliteStatement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return QByteArrayView(data, sqlite3_column_bytes(m_statement, column));
}

QString SqliteStatement::string(int column) const
{
    const QByteArrayView utf8 = text(column);
    return QString::fromUtf8(utf8.data(), utf8.size());
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

} // namespace EventScope
