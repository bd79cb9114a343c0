// SPDX-License-Identifier: Apache-2.0
#include "userlistprojection.h"

#include "projections/projectionbatch.h"
#include "usermodule.h"

#include <QJsonObject>

namespace EventScope {

namespace {

const QString FirstName = QStringLiteral("firstName");
const QString LastName = QStringLiteral("lastName");
const QString Email = QStringLiteral("email");
const QString Reason = QStringLiteral("reason");

enum class Need { NonEmpty, Present };

/// The string field \a key of \a payload, or std::nullopt when it is missing, not a string, or empty though needed.
std::optional<QString> text(const QJsonObject& payload, const QString& key, Need need = Need::NonEmpty)
{
    const QJsonValue value = payload.value(key);
    if (!value.isString())
        return std::nullopt;
    QString string = value.toString();
    if (need == Need::NonEmpty && string.trimmed().isEmpty())
        return std::nullopt;
    return string;
}

} // namespace

QString UserListProjection::description() const
{
    return tr("Users with their names, e-mail addresses and whether they are active.");
}

QStringList UserListProjection::eventTypes() const
{
    return { QStringLiteral("UserCreated"), QStringLiteral("UserRenamed"), QStringLiteral("UserEmailChanged"),
        QStringLiteral("UserDeactivated"), QStringLiteral("UserReactivated") };
}

QList<ReadModelTable> UserListProjection::tables() const
{
    ReadModelTable users;
    users.name = QLatin1String(Table);
    users.columns = { QStringLiteral("user_id TEXT NOT NULL"), QStringLiteral("first_name TEXT NOT NULL"),
        QStringLiteral("last_name TEXT NOT NULL"), QStringLiteral("email TEXT NOT NULL"),
        QStringLiteral("email_lower TEXT NOT NULL"), QStringLiteral("active INTEGER NOT NULL"),
        QStringLiteral("deactivation_reason TEXT"), QStringLiteral("created_at BIGINT NOT NULL"),
        QStringLiteral("updated_at BIGINT NOT NULL"), QStringLiteral("version BIGINT NOT NULL"),
        QStringLiteral("position BIGINT NOT NULL") };
    users.primaryKey = { QStringLiteral("user_id") };
    users.indexes = { { QStringLiteral("email_lower") } };
    return { users };
}

QString UserListProjection::userId(const QString& streamId)
{
    const QLatin1String prefix(UserModule::StreamPrefix);
    return streamId.startsWith(prefix) ? streamId.mid(prefix.size()) : streamId;
}

QString UserListProjection::apply(const RecordedEvent& event, ProjectionBatch& batch)
{
    const auto payload = batch.payload(event);
    if (!payload)
        return batch.error() ? batch.error()->message()
                             : tr("The payload of event %1 cannot be read.").arg(event.position);

    const auto missing = [&event](const QString& field, const QString& what) {
        return tr("%1 at position %2 (stream %3) has no %4 (payload field \"%5\"), which the users read model "
                  "needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.")
            .arg(event.eventType)
            .arg(event.position)
            .arg(event.streamId, what, field);
    };

    const QString id = userId(event.streamId);
    const qint64 at = event.recordedAt.toMSecsSinceEpoch();
    const QString& type = event.eventType;
    QSqlQuery* done = nullptr;

    if (type == QLatin1String("UserCreated")) {
        const auto firstName = text(*payload, FirstName);
        if (!firstName)
            return missing(FirstName, tr("first name"));
        const auto lastName = text(*payload, LastName, Need::Present);
        if (!lastName)
            return missing(LastName, tr("last name"));
        const auto email = text(*payload, Email);
        if (!email)
            return missing(Email, tr("e-mail address"));
        done = batch.exec(QStringLiteral("INSERT INTO {users} (user_id, first_name, last_name, email, email_lower, "
                                         "active, deactivation_reason, created_at, updated_at, version, position) "
                                         "VALUES (?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?) "
                                         "ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name, "
                                         "last_name = excluded.last_name, email = excluded.email, "
                                         "email_lower = excluded.email_lower, active = 1, deactivation_reason = NULL, "
                                         "created_at = excluded.created_at, updated_at = excluded.updated_at, "
                                         "version = excluded.version, position = excluded.position"),
            { id, *firstName, *lastName, *email, email->toLower(), at, at, event.streamVersion, event.position });
    } else if (type == QLatin1String("UserRenamed")) {
        const auto firstName = text(*payload, FirstName);
        if (!firstName)
            return missing(FirstName, tr("first name"));
        const auto lastName = text(*payload, LastName, Need::Present);
        if (!lastName)
            return missing(LastName, tr("last name"));
        done = batch.exec(QStringLiteral("UPDATE {users} SET first_name = ?, last_name = ?, updated_at = ?, "
                                         "version = ?, position = ? WHERE user_id = ?"),
            { *firstName, *lastName, at, event.streamVersion, event.position, id });
    } else if (type == QLatin1String("UserEmailChanged")) {
        const auto email = text(*payload, Email);
        if (!email)
            return missing(Email, tr("e-mail address"));
        done = batch.exec(QStringLiteral("UPDATE {users} SET email = ?, email_lower = ?, updated_at = ?, "
                                         "version = ?, position = ? WHERE user_id = ?"),
            { *email, email->toLower(), at, event.streamVersion, event.position, id });
    } else if (type == QLatin1String("UserDeactivated")) {
        done = batch.exec(QStringLiteral("UPDATE {users} SET active = 0, deactivation_reason = ?, updated_at = ?, "
                                         "version = ?, position = ? WHERE user_id = ?"),
            { payload->value(Reason).toString(), at, event.streamVersion, event.position, id });
    } else if (type == QLatin1String("UserReactivated")) {
        done = batch.exec(QStringLiteral("UPDATE {users} SET active = 1, deactivation_reason = NULL, updated_at = ?, "
                                         "version = ?, position = ? WHERE user_id = ?"),
            { at, event.streamVersion, event.position, id });
    } else {
        return {}; // not ours (the manager only sends eventTypes(), but an unknown type changes nothing)
    }
    if (!done)
        return batch.error() ? batch.error()->message() : tr("Writing the users read model failed.");
    return {};
}

} // namespace EventScope
