// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storeerror.h"
#include "storesettings.h"

#include <QCoreApplication>
#include <QString>

namespace EventScope {

/**
 * Why a store could not be opened, in words for the person who tried: a short title, what happened, and the
 * next step. Built from the StoreError SqlEventStore::open() returned, including the PostgreSQL driver's own
 * messages (refused connections, failed passwords, missing databases, SSL), which it recognises by their text.
 */
struct StoreDiagnosis {
    Q_DECLARE_TR_FUNCTIONS(StoreDiagnosis)
public:
    enum class Problem {
        None,
        FileMissing, ///< no SQLite file at the path (or its folder is missing)
        NotAFile, ///< the path is a folder
        Unreadable, ///< the file exists but cannot be opened (permissions, locked, read-only medium)
        InvalidConnection, ///< the connection string or path cannot be used as given
        HostUnknown, ///< the host name does not resolve
        HostUnreachable, ///< nothing answers at host:port (refused, timed out, no route)
        AuthenticationFailed, ///< wrong password, no password, unknown user, or pg_hba.conf refuses the client
        DatabaseMissing, ///< the server has no database of that name
        PermissionDenied, ///< the user may connect but not use or create the store's schema
        SslFailed, ///< SSL required but unavailable, or the certificate check failed
        NotAnEventStore, ///< the database holds something else
        EmptyDatabase, ///< no store there yet, and this open may not create one (read-only)
        SchemaTooNew, ///< written by a newer EventScope
        ReadOnlyNeedsMigration, ///< an older store that must be upgraded, opened read-only
        Unsupported, ///< Qt driver missing, server too old, file system without WAL
        Other,
    };

    Problem problem = Problem::None;
    QString title; ///< a few words: "Cannot reach the server"
    QString explanation; ///< what happened, naming the file, host or database
    QString nextStep; ///< what to do about it
    QString detail; ///< the store's own message, for a "details" line and bug reports

    /// Explains \a error, which SqlEventStore::open(\a settings) returned.
    static StoreDiagnosis diagnose(const StoreSettings& settings, const StoreError& error);

    /// Title, explanation and next step as one paragraph each, for plain-text places (stderr, logs).
    QString toText() const;
};

} // namespace EventScope
