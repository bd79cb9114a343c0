// SPDX-License-Identifier: Apache-2.0
#include "dispatchcommand.h"

#include "storeoption.h"

#include "engine/engine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DispatchCommand", text);
}

const QString CommandName = QStringLiteral("dispatch");

ExitCode exitCodeOf(const CommandError& error)
{
    switch (error.code()) {
    case CommandError::Code::Validation:
    case CommandError::Code::Unauthorized:
    case CommandError::Code::Conflict:
    case CommandError::Code::DomainRuleViolated:
        return ExitRejected;
    case CommandError::Code::UnknownCommand:
        return ExitUsage;
    case CommandError::Code::StoreUnavailable:
        return ExitUnavailable;
    case CommandError::Code::HandlerFailed:
        return ExitFailure;
    }
    return ExitFailure;
}

} // namespace

QString DispatchCommand::usage()
{
    return QStringLiteral("eventscope-cli dispatch TYPE --aggregate ID [--field NAME=VALUE …] --actor NAME --role "
                          "ROLE [--reason TEXT] [--dry-run]");
}

QString DispatchCommand::description()
{
    return tr("Issues one command through the engine, the scripted twin of the GUI's command console: the same "
              "validation, roles, audit metadata (actor, role, reason, ticket) and optimistic concurrency. Field "
              "values are typed as a person would (\"12.34\" for a decimal amount, true/false); --dry-run shows the "
              "events that would be written without writing them. Prints one JSON object: the new version and "
              "events, or the error with every field's problem. Exit status 2 when the command is refused "
              "(validation, role, conflict, a domain rule); 1 for an unknown command type.");
}

void DispatchCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addPositionalArgument(QStringLiteral("type"), tr("The command type, e.g. Deposit."));
    parser.addOption({ QStringLiteral("aggregate"), tr("The aggregate's id (required)."), tr("id") });
    parser.addOption({ QStringLiteral("field"), tr("A field of the command (repeatable)."), tr("name=value") });
    parser.addOption({ QStringLiteral("actor"), tr("Who issues it (recorded in the events' metadata)."), tr("name") });
    parser.addOption({ QStringLiteral("role"), tr("auditor, support or developer."), tr("role") });
    parser.addOption({ QStringLiteral("reason"), tr("Why (required for corrective commands)."), tr("text") });
    parser.addOption({ QStringLiteral("ticket"), tr("A ticket reference, kept in the metadata."), tr("ref") });
    parser.addOption({ QStringLiteral("dry-run"), tr("Show the events without writing them.") });
}

int DispatchCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const QStringList arguments = parser.positionalArguments();
    if (arguments.size() != 1)
        return context.usageError(tr("give exactly one command type, e.g. 'dispatch Deposit'."), CommandName);
    const QString aggregate = parser.value(QStringLiteral("aggregate"));
    if (aggregate.isEmpty())
        return context.usageError(tr("--aggregate ID is required."), CommandName);
    const auto role = roleFromName(parser.value(QStringLiteral("role")));
    if (parser.value(QStringLiteral("actor")).trimmed().isEmpty() || !role)
        return context.usageError(
            tr("--actor NAME and --role auditor|support|developer are required (they go into the audit metadata)."),
            CommandName);

    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, false, &exitCode);
    if (!store)
        return exitCode;
    auto created = Engine::create(context.config, store);
    if (!created)
        return context.failure(created.error().message());
    Engine& engine = *created.value();

    Command command;
    command.type = arguments.first();
    command.aggregateId = aggregate;
    const auto descriptor = engine.commandBus().descriptor(command.type);
    if (!descriptor) {
        QStringList types;
        for (const CommandDescriptor& known : engine.commandBus().descriptors())
            types << known.type;
        return context.usageError(
            tr("there is no command %1; these are: %2.").arg(command.type, types.join(QStringLiteral(", "))),
            CommandName);
    }
    for (const QString& field : parser.values(QStringLiteral("field"))) {
        const qsizetype equals = field.indexOf(u'=');
        if (equals <= 0)
            return context.usageError(tr("--field takes NAME=VALUE, not '%1'.").arg(field), CommandName);
        const QString name = field.left(equals);
        const QString text = field.mid(equals + 1);
        const auto it = std::find_if(descriptor->fields.cbegin(), descriptor->fields.cend(),
            [&name](const FieldDescriptor& f) { return f.name == name; });
        if (it == descriptor->fields.cend()) {
            QStringList names;
            for (const FieldDescriptor& f : descriptor->fields)
                names << f.name;
            return context.usageError(
                tr("%1 has no field %2; its fields are: %3.").arg(command.type, name, names.join(QStringLiteral(", "))),
                CommandName);
        }
        QString error;
        const QJsonValue value = it->parseText(text, &error);
        // An unreadable value is reported with the others by the validation below.
        command.fields.insert(name, value.isUndefined() ? QJsonValue(text) : value);
    }

    CommandContext commandContext;
    commandContext.actor = parser.value(QStringLiteral("actor")).trimmed();
    commandContext.role = *role;
    commandContext.reason = parser.value(QStringLiteral("reason"));
    commandContext.dryRun = parser.isSet(QStringLiteral("dry-run"));
    if (parser.isSet(QStringLiteral("ticket")))
        commandContext.ticket = parser.value(QStringLiteral("ticket"));

    const DispatchResult result = engine.dispatch(command, commandContext);
    QJsonObject json { { QStringLiteral("command"), command.type }, { QStringLiteral("aggregateId"), aggregate },
        { QStringLiteral("dryRun"), commandContext.dryRun }, { QStringLiteral("ok"), result.ok() } };
    if (result.ok()) {
        QJsonArray events;
        for (const EventData& event : result.events)
            events.append(QJsonObject { { QStringLiteral("type"), event.eventType },
                { QStringLiteral("eventId"), event.eventId.toString(QUuid::WithoutBraces) },
                { QStringLiteral("payload"), event.payload }, { QStringLiteral("metadata"), event.metadata } });
        json.insert(QStringLiteral("newVersion"), result.newVersion);
        json.insert(QStringLiteral("events"), events);
        if (result.state)
            json.insert(QStringLiteral("state"), *result.state);
        context.out << QJsonDocument(json).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    const CommandError& error = *result.error;
    QJsonObject fieldErrors;
    for (auto it = error.fieldErrors().cbegin(); it != error.fieldErrors().cend(); ++it)
        fieldErrors.insert(it.key(), it.value());
    json.insert(QStringLiteral("error"),
        QJsonObject { { QStringLiteral("code"), CommandError::codeName(error.code()) },
            { QStringLiteral("message"), error.message() }, { QStringLiteral("fieldErrors"), fieldErrors } });
    context.out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    return context.failure(error.message(), exitCodeOf(error));
}

} // namespace EventScope
