// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/query.h"
#include "cqrs/queryresult.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>
#include <QVariantList>

#include <functional>
#include <optional>

class QSqlQuery;

namespace EventScope {

class SqlEventStore;

/**
 * The parameters of one query that reads a read model, checked one by one, plus running its SELECT.
 *
 * Each accessor returns the parameter (or its default) and remembers the first problem; failure() then gives an
 * InvalidParameters result that names the parameter and shows \a usage, what the query takes. Parameters the
 * handler never asked for are reported as unknown, so that a typo ("afterversion") does not silently return
 * the first page.
 */
class ReadModelQuery {
    Q_DECLARE_TR_FUNCTIONS(ReadModelQuery)
public:
    enum class Presence { Optional, Required };

    /// \a usage: the query's parameters as people should pass them, e.g. `{"id": "<user id>"}`.
    ReadModelQuery(const Query& query, QString usage);

    /// A string parameter; empty when absent and optional.
    QString text(const QString& key, Presence presence = Presence::Optional);
    /// An integral number in [\a minimum, \a maximum]; \a fallback when absent.
    qint64 integer(const QString& key, qint64 fallback, qint64 minimum, qint64 maximum);
    /// A boolean; std::nullopt when absent.
    std::optional<bool> boolean(const QString& key);
    /// A UTC day "YYYY-MM-DD"; empty when absent.
    QString day(const QString& key);
    /// A string parameter that must be one of \a allowed; empty when absent.
    QString oneOf(const QString& key, const QStringList& allowed);

    /// The InvalidParameters result for the first problem (or an unknown parameter), else std::nullopt.
    std::optional<QueryResult> failure() const;

    /**
     * Runs \a sql with \a binds on the calling thread's connection to \a store and calls \a row for each row.
     * On failure (logged with the statement) returns a StoreUnavailable result that names \a readModel and
     * says what to do.
     */
    static std::optional<QueryResult> select(SqlEventStore& store, const QString& readModel, const QString& sql,
        const QVariantList& binds, const std::function<void(const QSqlQuery&)>& row);

    /// \a msecsSinceEpoch as ISO 8601 UTC with milliseconds ("2026-03-01T12:00:00.000Z").
    static QString isoTime(qint64 msecsSinceEpoch);
    /// \a text with LIKE's wildcards and the escape character '\' escaped (use with ESCAPE '\').
    static QString escapeLike(const QString& text);

private:
    void fail(const QString& message);

    const Query& m_query;
    QString m_usage;
    QSet<QString> m_asked;
    QString m_problem;
};

} // namespace EventScope
