// SPDX-License-Identifier: Apache-2.0
#include "readmodelquery.h"

#include "eventstore/sqleventstore.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcReadModelQuery, "eventscope.core.queries")

namespace EventScope {

ReadModelQuery::ReadModelQuery(const Query& query, QString usage)
    : m_query(query)
    , m_usage(std::move(usage))
{
}

void ReadModelQuery::fail(const QString& message)
{
    if (m_problem.isEmpty())
        m_problem = message;
}

QString ReadModelQuery::text(const QString& key, Presence presence)
{
    m_asked.insert(key);
    const QJsonValue value = m_query.parameters.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (presence == Presence::Required)
            fail(tr("%1 needs \"%2\".").arg(m_query.type, key));
        return {};
    }
    if (!value.isString()) {
        fail(tr("\"%1\" of %2 must be a string.").arg(key, m_query.type));
        return {};
    }
    const QString string = value.toString();
    if (presence == Presence::Required && string.trimmed().isEmpty())
        fail(tr("\"%1\" of %2 must not be empty.").arg(key, m_query.type));
    return string;
}

qint64 ReadModelQuery::integer(const QString& key, qint64 fallback, qint64 minimum, qint64 maximum)
{
    m_asked.insert(key);
    const QJsonValue value = m_query.parameters.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::floor(number) != number || number < double(minimum) || number > double(maximum)) {
        fail(tr("\"%1\" of %2 must be a whole number from %3 to %4.").arg(key, m_query.type).arg(minimum).arg(maximum));
        return fallback;
    }
    return value.toInteger(qint64(number));
}

std::optional<bool> ReadModelQuery::boolean(const QString& key)
{
    m_asked.insert(key);
    const QJsonValue value = m_query.parameters.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isBool()) {
        fail(tr("\"%1\" of %2 must be true or false.").arg(key, m_query.type));
        return std::nullopt;
    }
    return value.toBool();
}

QString ReadModelQuery::day(const QString& key)
{
    const QString string = text(key);
    if (string.isEmpty())
        return {};
    const QDate date = QDate::fromString(string, Qt::ISODate);
    if (!date.isValid() || string.size() != 10) {
        fail(tr("\"%1\" of %2 must be a day like 2026-03-01, not \"%3\".").arg(key, m_query.type, string));
        return {};
    }
    return string;
}

QString ReadModelQuery::oneOf(const QString& key, const QStringList& allowed)
{
    const QString string = text(key);
    if (!string.isEmpty() && !allowed.contains(string)) {
        fail(tr("\"%1\" of %2 must be one of %3, not \"%4\".")
                 .arg(key, m_query.type, allowed.join(QStringLiteral(", ")), string));
        return {};
    }
    return string;
}

std::optional<QueryResult> ReadModelQuery::failure() const
{
    QString problem = m_problem;
    if (problem.isEmpty()) {
        QStringList unknown;
        for (auto it = m_query.parameters.begin(); it != m_query.parameters.end(); ++it) {
            if (!m_asked.contains(it.key()))
                unknown.append(it.key());
        }
        if (!unknown.isEmpty())
            problem
                = tr("%1 does not know the parameter(s) %2.")
                      .arg(m_query.type, QLatin1Char('"') + unknown.join(QStringLiteral("\", \"")) + QLatin1Char('"'));
    }
    if (problem.isEmpty())
        return std::nullopt;
    return QueryResult::failure(
        QueryResult::ErrorCode::InvalidParameters, problem + QLatin1Char(' ') + tr("Pass %1").arg(m_usage));
}

std::optional<QueryResult> ReadModelQuery::select(SqlEventStore& store, const QString& readModel, const QString& sql,
    const QVariantList& binds, const std::function<void(const QSqlQuery&)>& row)
{
    const auto unavailable = [&readModel](const QString& why) {
        return QueryResult::failure(QueryResult::ErrorCode::StoreUnavailable,
            tr("The %1 read model cannot be read: %2. If it was never built, start the projections and let it catch "
               "up; else check the connection to the event store.")
                .arg(readModel, why));
    };
    auto db = store.threadConnection();
    if (!db)
        return unavailable(db.error().message());
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    bool ok = query.prepare(sql);
    if (ok) {
        for (int i = 0; i < binds.size(); ++i)
            query.bindValue(i, binds.at(i));
        ok = query.exec();
    }
    if (!ok) {
        qCWarning(lcReadModelQuery) << "Query on the read model" << readModel << "failed:" << sql
                                    << query.lastError().text();
        return unavailable(query.lastError().text().trimmed());
    }
    while (query.next())
        row(query);
    return std::nullopt;
}

QString ReadModelQuery::isoTime(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString ReadModelQuery::escapeLike(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped += u'\\';
        escaped += c;
    }
    return escaped;
}

} // namespace EventScope
