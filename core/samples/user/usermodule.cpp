// SPDX-License-Identifier: Apache-2.0
#include "usermodule.h"

#include "cqrs/querybus.h"
#include "engine/aggregatecommandhandler.h"
#include "engine/repositoryprovider.h"
#include "useraggregate.h"

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

DomainResult<Done> UserModule::registerQueries(QueryBus& queries, RepositoryProvider& repositories)
{
    const auto repository = repositories.repository(
        QStringLiteral("User"), [](const QString& id) { return std::make_unique<UserAggregate>(id); });
    const QString type = QStringLiteral("GetUser");
    return registered(
        queries.registerQuery(type,
            [repository](const Query& query) -> QueryResult {
                const QString id = query.parameters.value(QLatin1String("id")).toString();
                if (id.isEmpty())
                    return QueryResult::failure(
                        QueryResult::ErrorCode::InvalidParameters, tr("GetUser needs the user's id: {\"id\": \"…\"}."));
                const auto loaded = repository->load(QLatin1String(StreamPrefix) + id);
                if (!loaded)
                    return QueryResult::failure(QueryResult::ErrorCode::StoreUnavailable, loaded.error().message());
                const auto& user = static_cast<const UserAggregate&>(*loaded->aggregate);
                if (!user.exists())
                    return QueryResult::failure(
                        QueryResult::ErrorCode::InvalidParameters, tr("There is no user %1. Check the id.").arg(id));
                QJsonObject state = user.snapshotState();
                state.insert(QStringLiteral("id"), id);
                state.insert(QStringLiteral("version"), user.version());
                return QJsonValue(state);
            }),
        type);
}

} // namespace EventScope
