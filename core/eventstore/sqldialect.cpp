// SPDX-License-Identifier: Apache-2.0
#include "sqldialect.h"

#include "postgresdialect.h"
#include "sqleventstore.h"
#include "sqlitedialect.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace EventScope {

std::unique_ptr<SqlDialect> SqlDialect::create(StoreSettings::Backend backend)
{
    switch (backend) {
    case StoreSettings::Backend::Sqlite:
        return std::make_unique<SqliteDialect>();
    case StoreSettings::Backend::Postgres:
        return std::make_unique<PostgresDialect>();
    }
    return nullptr;
}

StoreError SqlDialect::queryError(const QSqlQuery& query, const QString& what)
{
    const QSqlError error = query.lastError();
    qCWarning(lcEventStore).noquote() << "SQL failed while" << what << "|" << query.lastQuery() << "|" << error.text();
    const auto code = error.type() == QSqlError::ConnectionError ? StoreError::Code::ConnectionFailed
                                                                 : StoreError::Code::QueryFailed;
    return StoreError(code,
        QCoreApplication::translate("EventStore", "The store failed while %1: %2").arg(what, error.text().trimmed()));
}

} // namespace EventScope
