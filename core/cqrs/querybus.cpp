// SPDX-License-Identifier: Apache-2.0
#include "querybus.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <exception>
#include <mutex>

namespace EventScope {

Q_LOGGING_CATEGORY(lcQueryBus, "eventscope.core.cqrs.query")

QueryResult QueryResult::failure(ErrorCode code, QString message)
{
    QueryResult result;
    result.m_error = Error { code, std::move(message) };
    return result;
}

QString QueryResult::codeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::UnknownQuery:
        return QStringLiteral("unknown-query");
    case ErrorCode::InvalidParameters:
        return QStringLiteral("invalid-parameters");
    case ErrorCode::StoreUnavailable:
        return QStringLiteral("store-unavailable");
    case ErrorCode::HandlerFailed:
        return QStringLiteral("handler-failed");
    }
    return {};
}

bool QueryBus::registerQuery(const QString& type, Handler handler)
{
    if (type.isEmpty() || !handler) {
        qCWarning(lcQueryBus) << "refusing to register a query without a type or handler:" << type;
        return false;
    }
    const std::unique_lock lock(m_mutex);
    if (m_handlers.contains(type)) {
        qCWarning(lcQueryBus) << "query" << type << "already has a handler; one handler per type";
        return false;
    }
    m_handlers.insert(type, std::move(handler));
    return true;
}

bool QueryBus::hasHandler(const QString& type) const
{
    const std::shared_lock lock(m_mutex);
    return m_handlers.contains(type);
}

QStringList QueryBus::queryTypes() const
{
    QStringList types;
    {
        const std::shared_lock lock(m_mutex);
        types = m_handlers.keys();
    }
    types.sort();
    return types;
}

QueryResult QueryBus::execute(const Query& query) const
{
    Handler handler;
    {
        const std::shared_lock lock(m_mutex);
        handler = m_handlers.value(query.type);
    }
    if (!handler) {
        return QueryResult::failure(QueryResult::ErrorCode::UnknownQuery,
            QCoreApplication::translate("EventScope::QueryBus",
                "There is no query called \"%1\". Check its spelling, or list the available queries.")
                .arg(query.type));
    }
    try {
        return handler(query);
    } catch (const std::exception& e) {
        qCWarning(lcQueryBus) << "handler of query" << query.type << "threw:" << e.what();
        return QueryResult::failure(QueryResult::ErrorCode::HandlerFailed,
            QCoreApplication::translate("EventScope::QueryBus", "The query \"%1\" failed: %2. Report this as a bug.")
                .arg(query.type, QString::fromLocal8Bit(e.what())));
    }
}

} // namespace EventScope
