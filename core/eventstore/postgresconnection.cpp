// SPDX-License-Identifier: Apache-2.0
#include "postgresconnection.h"

#include <QUrl>
#include <QUrlQuery>

namespace EventScope {

namespace {

StoreError invalid(const QString& why)
{
    return StoreError(StoreError::Code::InvalidArgument,
        PostgresConnection::tr("The PostgreSQL connection string is not valid: %1. Use a URL such as "
                               "postgres://user@localhost:5432/events or key=value pairs such as "
                               "\"host=localhost port=5432 dbname=events user=me\".")
            .arg(why));
}

/// Files \a value under \a key; false when the key's value is unusable (a port that is no port).
bool assign(PostgresConnection& connection, const QString& key, const QString& value)
{
    if (key == u"host" || key == u"hostaddr")
        connection.host = value;
    else if (key == u"port") {
        bool ok = false;
        const int port = value.toInt(&ok);
        if (!ok || port <= 0 || port > 65535)
            return false;
        connection.port = port;
    } else if (key == u"dbname")
        connection.database = value;
    else if (key == u"user")
        connection.user = value;
    else if (key == u"password")
        connection.password = value;
    else if (key == u"sslmode")
        connection.sslMode = value;
    else
        connection.otherOptions.append({ key, value });
    return true;
}

StoreResult<PostgresConnection> parseUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(url.errorString());
    PostgresConnection connection;
    connection.host = url.host();
    connection.port = url.port(PostgresConnection::DefaultPort);
    connection.user = url.userName(QUrl::FullyDecoded);
    connection.password = url.password(QUrl::FullyDecoded);
    connection.database = url.path(QUrl::FullyDecoded).mid(1);
    if (connection.database.contains(u'/'))
        return invalid(PostgresConnection::tr("the database name '%1' contains '/'").arg(connection.database));
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!assign(connection, key, value))
            return invalid(PostgresConnection::tr("port '%1' is not a number between 1 and 65535").arg(value));
    }
    return connection;
}

// libpq's conninfo rules: `key = value` pairs separated by white space; a value is either a run of
// non-space characters or a single-quoted string; in both a backslash takes the next character literally.
StoreResult<PostgresConnection> parseKeyValue(const QString& text)
{
    PostgresConnection connection;
    qsizetype i = 0;
    const qsizetype n = text.size();
    const auto skipSpace = [&] {
        while (i < n && text.at(i).isSpace())
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= n)
            break;
        const qsizetype keyStart = i;
        while (i < n && text.at(i) != u'=' && !text.at(i).isSpace())
            ++i;
        const QString key = text.mid(keyStart, i - keyStart);
        skipSpace();
        if (i >= n || text.at(i) != u'=')
            return invalid(PostgresConnection::tr("'%1' is not followed by '='").arg(key));
        if (key.isEmpty())
            return invalid(PostgresConnection::tr("a value has no key before its '='"));
        ++i;
        skipSpace();
        QString value;
        if (i < n && text.at(i) == u'\'') {
            ++i;
            bool closed = false;
            while (i < n) {
                const QChar c = text.at(i++);
                if (c == u'\\' && i < n)
                    value += text.at(i++);
                else if (c == u'\'') {
                    closed = true;
                    break;
                } else
                    value += c;
            }
            if (!closed)
                return invalid(PostgresConnection::tr("the quoted value of '%1' has no closing quote").arg(key));
        } else {
            while (i < n && !text.at(i).isSpace()) {
                const QChar c = text.at(i++);
                if (c == u'\\' && i < n)
                    value += text.at(i++);
                else
                    value += c;
            }
        }
        if (!assign(connection, key, value))
            return invalid(PostgresConnection::tr("port '%1' is not a number between 1 and 65535").arg(value));
    }
    return connection;
}

} // namespace

StoreResult<PostgresConnection> PostgresConnection::parse(const QString& connection)
{
    const QString trimmed = connection.trimmed();
    if (trimmed.isEmpty())
        return invalid(tr("it is empty"));
    if (trimmed.startsWith(QStringLiteral("postgres://")) || trimmed.startsWith(QStringLiteral("postgresql://")))
        return parseUrl(trimmed);
    if (trimmed.contains(u'='))
        return parseKeyValue(trimmed);
    return invalid(tr("it is neither a postgres:// URL nor key=value pairs"));
}

QString PostgresConnection::quoteValue(const QString& value)
{
    const bool plain = !value.isEmpty()
        && std::none_of(value.cbegin(), value.cend(), [](QChar c) { return c.isSpace() || c == u'\'' || c == u'\\'; });
    if (plain)
        return value;
    QString quoted;
    quoted.reserve(value.size() + 4);
    quoted += u'\'';
    for (const QChar c : value) {
        if (c == u'\'' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted += u'\'';
    return quoted;
}

QString PostgresConnection::toConnectionString() const
{
    QStringList pairs;
    const auto add = [&](const QString& key, const QString& value) { pairs << key + u'=' + quoteValue(value); };
    if (!host.isEmpty())
        add(QStringLiteral("host"), host);
    if (port > 0)
        add(QStringLiteral("port"), QString::number(port));
    if (!database.isEmpty())
        add(QStringLiteral("dbname"), database);
    if (!user.isEmpty())
        add(QStringLiteral("user"), user);
    if (!password.isEmpty())
        add(QStringLiteral("password"), password);
    if (!sslMode.isEmpty())
        add(QStringLiteral("sslmode"), sslMode);
    for (const auto& [key, value] : otherOptions)
        add(key, value);
    return pairs.join(u' ');
}

QString PostgresConnection::withoutPassword(const QString& connection)
{
    auto parsed = parse(connection);
    if (!parsed)
        return {};
    parsed->password.clear();
    return parsed->toConnectionString();
}

} // namespace EventScope
