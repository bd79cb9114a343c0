// SPDX-License-Identifier: Apache-2.0
#include "storelocation.h"

#include <QRegularExpression>

namespace EventScope {

bool isPostgresLocation(const QString& location)
{
    const QString trimmed = location.trimmed();
    if (trimmed.startsWith(QStringLiteral("postgres://")) || trimmed.startsWith(QStringLiteral("postgresql://")))
        return true;
    // A file may well be called "notes=old.db"; a connection string starts with one of libpq's keywords.
    static const QRegularExpression firstKey(QStringLiteral(
        "^(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|connect_timeout|application_name|"
        "options|target_session_attrs|gssencmode)\\s*="));
    return firstKey.match(trimmed).hasMatch();
}

StoreSettings storeSettingsFromLocation(const QString& location, StoreSettings base)
{
    if (isPostgresLocation(location)) {
        base.backend = StoreSettings::Backend::Postgres;
        base.connection = location.trimmed();
    } else {
        base.backend = StoreSettings::Backend::Sqlite;
        base.connection = location;
    }
    return base;
}

} // namespace EventScope
