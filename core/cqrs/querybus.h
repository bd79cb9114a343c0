// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "query.h"
#include "queryresult.h"

#include <QHash>
#include <QStringList>

#include <functional>
#include <shared_mutex>

namespace EventScope {

/**
 * Routes each query to the one handler registered for its type. execute() is synchronous (run it on a
 * worker thread) and may be called from many threads at once; register handlers before use. A handler that
 * throws a std::exception yields QueryResult::ErrorCode::HandlerFailed: no exception leaves execute().
 */
class QueryBus {
public:
    using Handler = std::function<QueryResult(const Query&)>;

    /// Returns false (and logs why) when \a type is empty, \a handler is empty or the type already has a handler.
    [[nodiscard]] bool registerQuery(const QString& type, Handler handler);
    bool hasHandler(const QString& type) const;
    /// Registered query types, sorted.
    QStringList queryTypes() const;

    QueryResult execute(const Query& query) const;

private:
    mutable std::shared_mutex m_mutex;
    QHash<QString, Handler> m_handlers;
};

} // namespace EventScope
