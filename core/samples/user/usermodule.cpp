// SPDX-License-Identifier: Apache-2.0
#include "usermodule.h"

#include "cqrs/querybus.h"
#include "engine/aggregatecommandhandler.h"
#include "engine/readmodelquery.h"
#include "engine/repositoryprovider.h"
#include "projections/readmodeltable.h"
#include "useraggregate.h"
#include "userlistprojection.h"

#include <QJsonArray>
#include <QSqlQuery>

namespace EventScope {

namespace {

FieldDescriptor textField(const QString& name, bool required, qint64 maxLength, const QString& help)
{
    FieldDescriptor field;
    field.name = name;
    field.type = FieldDescriptor::Type::String;
    field.required = required;
    field.minimum = required ? 1 : 0;
    field.maximum = maxLength;
    field.help = help;
    return field;
}

QString text(const Command& command, const char* name)
{
    return command.fields.value(QLatin1String(name)).toString();
}

DomainResult<Done> registered(bool ok, const QString& type)
{
    if (ok)
        return Done {};
    return DomainError(DomainError::Code::InvalidRegistration,
        QCoreApplication::translate("UserModule", "The command or query %1 has a handler already.").arg(type));
}

} // namespace

QJsonObject UserModule::upcastUserCreatedV1(const QJsonObject& payload)
{
    QJsonObject upcasted = payload;
    const QString name = upcasted.take(QStringLiteral("name")).toString().trimmed();
    const auto space = name.lastIndexOf(QLatin1Char(' '));
    upcasted.insert(QStringLiteral("firstName"), space < 0 ? name : name.left(space).trimmed());
    upcasted.insert(QStringLiteral("lastName"), space < 0 ? QString() : name.mid(space + 1));
    return upcasted;
}

DomainResult<Done> UserModule::registerEvents(EventTypeRegistry& registry)
{
    for (const char* type : { "UserRenamed", "UserEmailChanged", "UserDeactivated", "UserReactivated" }) {
        if (auto result = registry.registerType(QLatin1String(type), 1); !result)
            return result;
    }
    const QString created = QStringLiteral("UserCreated");
    if (auto result = registry.registerType(created, UserAggregate::UserCreatedVersion); !result)
        return result;
    return registry.registerUpcaster(created, 1, &UserModule::upcastUserCreatedV1);
}

DomainResult<Done> UserModule::registerCommands(CommandBus& commands, RepositoryProvider& repositories)
{
    const auto repository = repositories.repository(
        QStringLiteral("User"), [](const QString& id) { return std::make_unique<UserAggregate>(id); });
    const QString prefix = QLatin1String(StreamPrefix);
    const auto firstName = textField(QStringLiteral("firstName"), true, 100, tr("Given name."));
    const auto lastName = textField(QStringLiteral("lastName"), true, 100, tr("Family name."));
    const auto email = textField(QStringLiteral("email"), true, 254, tr("E-mail address, like name@example.com."));

    using Handler = AggregateCommandHandler;
    const auto add = [&](CommandDescriptor descriptor, Handler::Decision decide) {
        const QString type = descriptor.type;
        return registered(
            commands.registerCommand(std::move(descriptor), Handler(repository, prefix, std::move(decide))), type);
    };

    auto result = add({ QStringLiteral("CreateUser"), tr("Creates a user with a name and an e-mail address."), false,
                          Role::Developer, { firstName, lastName, email } },
        Handler::on<UserAggregate>([](UserAggregate& user, const Command& c, const CommandContext&) {
            return user.create(text(c, "firstName"), text(c, "lastName"), text(c, "email"));
        }));
    if (result)
        result = add({ QStringLiteral("RenameUser"), tr("Gives an active user a new name."), false, Role::Support,
                         { firstName, lastName } },
            Handler::on<UserAggregate>([](UserAggregate& user, const Command& c, const CommandContext&) {
                return user.rename(text(c, "firstName"), text(c, "lastName"));
            }));
    if (result)
        result = add({ QStringLiteral("ChangeEmail"), tr("Gives an active user a new e-mail address."), false,
                         Role::Support, { email } },
            Handler::on<UserAggregate>([](UserAggregate& user, const Command& c, const CommandContext&) {
                return user.changeEmail(text(c, "email"));
            }));
    if (result)
        result = add({ QStringLiteral("DeactivateUser"),
                         tr("Deactivates a user; the reason is kept in the event (else the command's reason)."), false,
                         Role::Support, { textField(QStringLiteral("reason"), false, 500, tr("Why.")) } },
            Handler::on<UserAggregate>([](UserAggregate& user, const Command& c, const CommandContext& context) {
                const QString reason = text(c, "reason");
                return user.deactivate(reason.isEmpty() ? context.reason : reason);
            }));
    if (result)
        result
            = add({ QStringLiteral("ReactivateUser"), tr("Reactivates a deactivated user."), false, Role::Support, {} },
                Handler::on<UserAggregate>(
                    [](UserAggregate& user, const Command&, const CommandContext&) { return user.reactivate(); }));
    return result;
}

namespace {

const QString UserColumns = QStringLiteral(
    "user_id, first_name, last_name, email, active, deactivation_reason, created_at, updated_at, version, position");

QJsonObject userRow(const QSqlQuery& row)
{
    return { { QStringLiteral("id"), row.value(0).toString() },
        { QStringLiteral("firstName"), row.value(1).toString() },
        { QStringLiteral("lastName"), row.value(2).toString() }, { QStringLiteral("email"), row.value(3).toString() },
        { QStringLiteral("active"), row.value(4).toLongLong() != 0 },
        { QStringLiteral("deactivationReason"),
            row.value(5).isNull() ? QJsonValue() : QJsonValue(row.value(5).toString()) },
        { QStringLiteral("createdAt"), ReadModelQuery::isoTime(row.value(6).toLongLong()) },
        { QStringLiteral("updatedAt"), ReadModelQuery::isoTime(row.value(7).toLongLong()) },
        { QStringLiteral("version"), row.value(8).toLongLong() },
        { QStringLiteral("position"), row.value(9).toLongLong() } };
}

} // namespace

DomainResult<Done> UserModule::registerQueries(QueryBus& queries, RepositoryProvider& repositories)
{
    const std::shared_ptr<SqlEventStore> store = repositories.store();
    const QString table = ReadModelTable::liveName(QLatin1String(UserListProjection::Table));
    const QString readModel = QLatin1String(UserListProjection::Name);

    const QString getUser = QStringLiteral("GetUser");
    auto result = registered(
        queries.registerQuery(getUser,
            [store, table, readModel](const Query& query) -> QueryResult {
                ReadModelQuery parameters(query, QStringLiteral("{\"id\": \"<user id>\"}."));
                const QString id = parameters.text(QStringLiteral("id"), ReadModelQuery::Presence::Required);
                if (auto failure = parameters.failure())
                    return *failure;
                std::optional<QJsonObject> user;
                const QString sql = QStringLiteral("SELECT ") + UserColumns + QStringLiteral(" FROM ") + table
                    + QStringLiteral(" WHERE user_id = ?");
                if (auto failure = ReadModelQuery::select(
                        *store, readModel, sql, { id }, [&user](const QSqlQuery& row) { user = userRow(row); }))
                    return *failure;
                if (!user)
                    return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
                        tr("There is no user %1 (not found in the users read model). Check the id; a user created "
                           "just now appears once the projection has caught up.")
                            .arg(id));
                return QJsonValue(*user);
            }),
        getUser);

    const QString listUsers = QStringLiteral("ListUsers");
    if (result)
        result = registered(
            queries.registerQuery(listUsers,
                [store, table, readModel](const Query& query) -> QueryResult {
                    ReadModelQuery parameters(query,
                        QStringLiteral("{\"limit\": 1…500 (50), \"after\": \"<nextAfter of the previous page>\", "
                                       "\"email\": \"<whole address, any case>\", \"emailContains\": \"<part of an "
                                       "address, any case>\", \"active\": true|false}, each optional."));
                    const qint64 limit = parameters.integer(QStringLiteral("limit"), 50, 1, 500);
                    const QString after = parameters.text(QStringLiteral("after"));
                    const QString email = parameters.text(QStringLiteral("email"));
                    const QString emailContains = parameters.text(QStringLiteral("emailContains"));
                    const auto active = parameters.boolean(QStringLiteral("active"));
                    if (auto failure = parameters.failure())
                        return *failure;

                    QStringList where;
                    QVariantList binds;
                    if (!after.isEmpty()) {
                        where.append(QStringLiteral("user_id > ?"));
                        binds.append(after);
                    }
                    if (!email.isEmpty()) {
                        where.append(QStringLiteral("email_lower = ?"));
                        binds.append(email.trimmed().toLower());
                    }
                    if (!emailContains.isEmpty()) {
                        where.append(QStringLiteral("email_lower LIKE ? ESCAPE '\\'"));
                        binds.append(QString(QLatin1Char('%')
                            + ReadModelQuery::escapeLike(emailContains.trimmed().toLower()) + QLatin1Char('%')));
                    }
                    if (active) {
                        where.append(QStringLiteral("active = ?"));
                        binds.append(*active ? 1 : 0);
                    }
                    binds.append(limit + 1);
                    const QString sql = QStringLiteral("SELECT ") + UserColumns + QStringLiteral(" FROM ") + table
                        + (where.isEmpty() ? QString()
                                           : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND ")))
                        + QStringLiteral(" ORDER BY user_id LIMIT ?");
                    QJsonArray users;
                    if (auto failure = ReadModelQuery::select(*store, readModel, sql, binds,
                            [&users](const QSqlQuery& row) { users.append(userRow(row)); }))
                        return *failure;
                    QJsonValue nextAfter;
                    if (users.size() > limit) {
                        users.removeLast();
                        nextAfter = users.last().toObject().value(QLatin1String("id"));
                    }
                    return QJsonValue(
                        QJsonObject { { QStringLiteral("users"), users }, { QStringLiteral("nextAfter"), nextAfter } });
                }),
            listUsers);
    return result;
}

QList<std::shared_ptr<Projection>> UserModule::projections() const
{
    return { std::make_shared<UserListProjection>() };
}

QHash<QString, QString> UserModule::readModelQueries() const
{
    const QString users = QLatin1String(UserListProjection::Name);
    return { { QStringLiteral("GetUser"), users }, { QStringLiteral("ListUsers"), users } };
}

Repository::Factory UserModule::aggregateFactory(const QString& streamId) const
{
    if (!streamId.startsWith(QLatin1String(StreamPrefix)))
        return {};
    return [](const QString& id) { return std::make_unique<UserAggregate>(id); };
}

} // namespace EventScope
