// SPDX-License-Identifier: Apache-2.0
#include "storediagnosis.h"

#include "postgresconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace EventScope {

namespace {

using Problem = StoreDiagnosis::Problem;

bool mentions(const QString& message, std::initializer_list<const char*> fragments)
{
    for (const char* fragment : fragments) {
        if (message.contains(QLatin1String(fragment), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

/// The first capture of \a pattern in \a message, or empty.
QString captured(const QString& message, const QString& pattern)
{
    const QRegularExpressionMatch match = QRegularExpression(pattern).match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

StoreDiagnosis make(Problem problem, QString title, QString explanation, QString nextStep)
{
    StoreDiagnosis diagnosis;
    diagnosis.problem = problem;
    diagnosis.title = std::move(title);
    diagnosis.explanation = std::move(explanation);
    diagnosis.nextStep = std::move(nextStep);
    return diagnosis;
}

/// Where a PostgreSQL store lives, for messages: "db.example:5432", "database events", "user me".
struct PostgresTarget {
    QString server;
    QString database;
    QString user;
    QString sslMode;
};

PostgresTarget postgresTarget(const StoreSettings& settings)
{
    PostgresTarget target;
    const auto parsed = PostgresConnection::parse(settings.connection);
    if (!parsed)
        return target;
    const QString host = parsed->host.isEmpty() ? StoreDiagnosis::tr("the local socket") : parsed->host;
    target.server = host + u':' + QString::number(parsed->port);
    target.database = parsed->database;
    target.user = parsed->user;
    target.sslMode = parsed->sslMode;
    return target;
}

StoreDiagnosis diagnoseSqlite(const StoreSettings& settings, const StoreError& error)
{
    const QString path = QDir::toNativeSeparators(settings.connection);
    const QString& message = error.message();
    switch (error.code()) {
    case StoreError::Code::NotAnEventStore:
        if (mentions(message, { "database is empty" }))
            return make(Problem::EmptyDatabase, StoreDiagnosis::tr("No store in this file yet"),
                StoreDiagnosis::tr("'%1' is an empty database, and a read-only session does not create a store.")
                    .arg(path),
                StoreDiagnosis::tr("Open it without read-only to create a store there, or choose another file."));
        if (mentions(message, { "damaged EventScope schema table" }))
            return make(Problem::NotAnEventStore, StoreDiagnosis::tr("Damaged store"),
                StoreDiagnosis::tr("'%1' is an EventScope store whose schema table cannot be read. Nothing was "
                                   "changed.")
                    .arg(path),
                StoreDiagnosis::tr("Restore the file from a backup, or export what can still be read with "
                                   "eventscope-cli export."));
        if (mentions(message, { "not an SQLite database" }))
            return make(Problem::NotAnEventStore, StoreDiagnosis::tr("Not an EventScope store"),
                StoreDiagnosis::tr("'%1' is not an SQLite database, so it cannot be an EventScope store. Nothing "
                                   "was changed.")
                    .arg(path),
                StoreDiagnosis::tr("Choose another file, or use New… to create a new store."));
        return make(Problem::NotAnEventStore, StoreDiagnosis::tr("Not an EventScope store"),
            StoreDiagnosis::tr("'%1' is an SQLite database of another application: it holds tables (%2) that are not "
                               "an EventScope store. Nothing was changed.")
                .arg(path, captured(message, QStringLiteral("other tables \\(([^)]*)\\)"))),
            StoreDiagnosis::tr("Choose another file, or use New… to create a new store."));
    case StoreError::Code::InvalidArgument:
        if (mentions(message, { "is a directory" }))
            return make(Problem::NotAFile, StoreDiagnosis::tr("This is a folder"),
                StoreDiagnosis::tr("'%1' is a folder, not a store file.").arg(path),
                StoreDiagnosis::tr("Choose a store file inside it, or give a new file name to create a store."));
        return make(Problem::InvalidConnection, StoreDiagnosis::tr("No store file given"), message,
            StoreDiagnosis::tr("Choose a store file, or give a new file name to create a store."));
    case StoreError::Code::ConnectionFailed:
    case StoreError::Code::QueryFailed:
        if (mentions(message, { "There is no store at" }))
            return make(Problem::FileMissing, StoreDiagnosis::tr("No store at this path"),
                StoreDiagnosis::tr("There is no file '%1'.").arg(path),
                StoreDiagnosis::tr("Check the path, choose another file, or use New… to create a new store there."));
        if (mentions(message, { "does not exist" }))
            return make(Problem::FileMissing, StoreDiagnosis::tr("The folder does not exist"),
                StoreDiagnosis::tr("The folder '%1' does not exist, so no store can be created in it.")
                    .arg(QDir::toNativeSeparators(QFileInfo(settings.connection).absolutePath())),
                StoreDiagnosis::tr("Create the folder first, or choose another place for the store."));
        if (mentions(message,
                { "unable to open", "permission denied", "readonly database", "read-only database", "locked",
                    "disk I/O error", "access" }))
            return make(Problem::Unreadable, StoreDiagnosis::tr("Cannot open the file"),
                StoreDiagnosis::tr("'%1' exists but could not be opened.").arg(path),
                StoreDiagnosis::tr("Check that you may read the file and its folder (and write them, unless you "
                                   "open it read-only), and that no other program holds the file locked."));
        break;
    default:
        break;
    }
    return {};
}

StoreDiagnosis diagnosePostgres(const StoreSettings& settings, const StoreError& error)
{
    const PostgresTarget target = postgresTarget(settings);
    const QString& message = error.message();
    if (error.code() == StoreError::Code::InvalidArgument)
        return make(Problem::InvalidConnection, StoreDiagnosis::tr("Connection settings not valid"), message,
            StoreDiagnosis::tr("Correct the connection settings and try again."));
    if (error.code() == StoreError::Code::NotAnEventStore) {
        if (mentions(message, { "database is empty" }))
            return make(Problem::EmptyDatabase, StoreDiagnosis::tr("No store here yet"),
                StoreDiagnosis::tr("The schema '%1' of database '%2' holds no EventScope store, and a read-only "
                                   "session does not create one.")
                    .arg(settings.postgresSchema, target.database),
                StoreDiagnosis::tr("Open it without read-only to create a store, or choose the schema or database "
                                   "that holds your store."));
        return make(Problem::NotAnEventStore, StoreDiagnosis::tr("Not an EventScope store"),
            StoreDiagnosis::tr("The schema '%1' of database '%2' holds tables of another application. Nothing was "
                               "changed.")
                .arg(settings.postgresSchema, target.database),
            StoreDiagnosis::tr("Choose another schema (EventScope creates its own when it is missing) or another "
                               "database."));
    }
    if (error.code() != StoreError::Code::ConnectionFailed && error.code() != StoreError::Code::QueryFailed)
        return {};

    // The server's and libpq's own words (English unless lc_messages says otherwise), inside the store's message.
    const QString missingDatabase = captured(message, QStringLiteral("database \"([^\"]+)\" does not exist"));
    if (!missingDatabase.isEmpty())
        return make(Problem::DatabaseMissing, StoreDiagnosis::tr("No such database"),
            StoreDiagnosis::tr("The server %1 has no database '%2'.").arg(target.server, missingDatabase),
            StoreDiagnosis::tr("Check the database name, or create the database (createdb %1) and connect again.")
                .arg(missingDatabase));
    const QString missingRole = captured(message, QStringLiteral("role \"([^\"]+)\" does not exist"));
    if (!missingRole.isEmpty())
        return make(Problem::AuthenticationFailed, StoreDiagnosis::tr("Unknown user"),
            StoreDiagnosis::tr("The server %1 has no user '%2'.").arg(target.server, missingRole),
            StoreDiagnosis::tr("Check the user name, or ask the database administrator to create that user."));
    if (mentions(message, { "password authentication failed", "authentication failed" }))
        return make(Problem::AuthenticationFailed, StoreDiagnosis::tr("Wrong user name or password"),
            StoreDiagnosis::tr("The server %1 refused the password of user '%2'.").arg(target.server, target.user),
            StoreDiagnosis::tr("Re-enter the password (EventScope never stores it), and check the user name."));
    if (mentions(message, { "no password supplied", "fe_sendauth" }))
        return make(Problem::AuthenticationFailed, StoreDiagnosis::tr("Password needed"),
            StoreDiagnosis::tr("The server %1 asks user '%2' for a password, and none was given.")
                .arg(target.server, target.user),
            StoreDiagnosis::tr("Enter the password (EventScope never stores it), or set up a ~/.pgpass file."));
    if (mentions(message, { "pg_hba.conf" }))
        return make(Problem::AuthenticationFailed, StoreDiagnosis::tr("The server does not let this user in"),
            StoreDiagnosis::tr("The server %1 has no rule (pg_hba.conf) that lets user '%2' connect to database "
                               "'%3' from this computer with this SSL mode.")
                .arg(target.server, target.user, target.database),
            StoreDiagnosis::tr("Ask the database administrator to allow it, or try another SSL mode."));
    if (mentions(message, { "SSL", "certificate" }))
        return make(Problem::SslFailed, StoreDiagnosis::tr("Secure connection failed"),
            mentions(message, { "does not support SSL" })
                ? StoreDiagnosis::tr("The server %1 does not offer SSL, and SSL mode '%2' requires it.")
                      .arg(target.server, target.sslMode)
                : StoreDiagnosis::tr("The SSL connection to %1 failed (SSL mode '%2').")
                      .arg(target.server, target.sslMode.isEmpty() ? QStringLiteral("prefer") : target.sslMode),
            StoreDiagnosis::tr("Choose another SSL mode (\"prefer\" uses SSL when the server offers it), or, for "
                               "verify-ca and verify-full, install the server's CA certificate as ~/.postgresql/"
                               "root.crt."));
    if (mentions(message, { "could not translate host name", "Name or service not known", "nodename nor servname" }))
        return make(Problem::HostUnknown, StoreDiagnosis::tr("Unknown host"),
            StoreDiagnosis::tr("The host name in %1 cannot be found.").arg(target.server),
            StoreDiagnosis::tr("Check the spelling of the host name, or give its IP address."));
    if (mentions(message,
            { "Connection refused", "could not connect to server", "timeout expired", "timed out", "No route to host",
                "Network is unreachable", "accepting TCP/IP connections", "server closed the connection" }))
        return make(Problem::HostUnreachable, StoreDiagnosis::tr("Cannot reach the server"),
            StoreDiagnosis::tr("No PostgreSQL server answered at %1.").arg(target.server),
            StoreDiagnosis::tr("Check the host and port, that the server is running, and that PostgreSQL accepts TCP "
                               "connections from this computer (listen_addresses, firewall)."));
    if (mentions(message, { "permission denied" }))
        return make(Problem::PermissionDenied, StoreDiagnosis::tr("Not allowed"),
            StoreDiagnosis::tr("User '%1' may not use the schema '%2' of database '%3' as EventScope needs to.")
                .arg(target.user, settings.postgresSchema, target.database),
            StoreDiagnosis::tr("Open the store read-only, or ask the database administrator for the rights to "
                               "create and use that schema."));
    return {};
}

} // namespace

StoreDiagnosis StoreDiagnosis::diagnose(const StoreSettings& settings, const StoreError& error)
{
    const QString& message = error.message();
    StoreDiagnosis diagnosis;
    switch (error.code()) {
    case StoreError::Code::SchemaTooNew: {
        const QString stored = captured(message, QStringLiteral("schema version (\\d+)"));
        if (mentions(message, { "restored from another PostgreSQL server" }))
            diagnosis = make(Problem::ReadOnlyNeedsMigration, tr("The restored store needs a repair"),
                tr("This store was restored from another PostgreSQL server, and the transaction ids of its events "
                   "are ahead of this server's: until they are repaired, nothing that reads all events in commit "
                   "order (projections, subscriptions, the events list) sees them. The repair writes to the store, "
                   "which a read-only session does not do."),
                tr("Open it once without read-only (as support or developer): EventScope renumbers the transaction "
                   "ids and keeps the order of the events. Then open it read-only again."));
        else if (mentions(message, { "needs an upgrade" }))
            diagnosis = make(Problem::ReadOnlyNeedsMigration, tr("The store needs an upgrade"),
                tr("This store uses schema version %1; this EventScope reads version %2. The upgrade writes to the "
                   "store, which a read-only session does not do.")
                    .arg(stored, captured(message, QStringLiteral("upgrade to (\\d+)"))),
                tr("Open it once without read-only (as support or developer) to upgrade it. Older EventScope "
                   "versions cannot open it afterwards."));
        else
            diagnosis = make(Problem::SchemaTooNew, tr("Store from a newer EventScope"),
                tr("This store uses schema version %1; this EventScope reads versions up to %2. Nothing was "
                   "changed.")
                    .arg(stored, captured(message, QStringLiteral("up to (\\d+)"))),
                tr("Update EventScope to the version that wrote this store (or newer), then open it again."));
        break;
    }
    case StoreError::Code::Unsupported:
        if (mentions(message, { "driver" }))
            diagnosis = make(Problem::Unsupported, tr("Database driver missing"), message,
                tr("Install the Qt SQL driver package named above, then start EventScope again."));
        else if (mentions(message, { "PostgreSQL 13" }))
            diagnosis = make(Problem::Unsupported, tr("PostgreSQL server too old"), message,
                tr("Use a PostgreSQL 13 or newer server for the store."));
        else
            diagnosis = make(Problem::Unsupported, tr("Not supported here"), message,
                tr("Put the store on a local disk, or choose another store."));
        break;
    default:
        diagnosis = settings.backend == StoreSettings::Backend::Sqlite ? diagnoseSqlite(settings, error)
                                                                       : diagnosePostgres(settings, error);
        break;
    }
    if (diagnosis.problem == Problem::None)
        diagnosis = make(Problem::Other, tr("Could not open the store"), message,
            tr("Check the connection settings; the details say what the database reported."));
    diagnosis.detail = message;
    return diagnosis;
}

QString StoreDiagnosis::toText() const
{
    if (problem == Problem::None)
        return {};
    return title + u'\n' + explanation + u'\n' + nextStep;
}

} // namespace EventScope
