// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storeresult.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <utility>

namespace EventScope {

/**
 * The parts of a PostgreSQL connection string, as a connection form shows them: host, port, database, user,
 * password, sslmode, and any other libpq keywords kept as they were.
 *
 * parse() reads both forms StoreSettings::connection accepts: a URL (postgres://user:password@host:port/db?…)
 * and a libpq key/value string (host=… dbname=… with values in single quotes where they hold spaces, and
 * backslash escapes, as libpq reads them). toConnectionString() writes the key/value form, quoting values by
 * libpq's rules, so that what a person typed reaches the server unchanged.
 */
struct PostgresConnection {
    Q_DECLARE_TR_FUNCTIONS(PostgresConnection)
public:
    static constexpr int DefaultPort = 5432;

    QString host; ///< a host name, an address, or a Unix socket folder; empty: libpq's default socket
    int port = DefaultPort;
    QString database;
    QString user;
    QString password;
    QString sslMode; ///< disable, allow, prefer, require, verify-ca or verify-full; empty: libpq's default (prefer)
    QList<std::pair<QString, QString>> otherOptions; ///< further libpq keywords, in the order given

    /// Fails with InvalidArgument (saying what is wrong) for text that is neither a URL nor key/value pairs.
    static StoreResult<PostgresConnection> parse(const QString& connection);

    /// The libpq key/value string, password included when set.
    QString toConnectionString() const;

    /// \a value as libpq reads it after `key=`: unchanged when it needs no quoting, else in single quotes with
    /// single quotes and backslashes escaped by a backslash.
    static QString quoteValue(const QString& value);

    /// \a connection without its password (URL or key/value; written back as key/value). Text that cannot be
    /// parsed comes back empty: it might hold a password in a place we do not recognise.
    static QString withoutPassword(const QString& connection);

    bool operator==(const PostgresConnection&) const = default;
};

} // namespace EventScope
