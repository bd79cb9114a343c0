// SPDX-License-Identifier: Apache-2.0
#include "projectionscommand.h"

#include "storeoption.h"

#include "cqrs/role.h"
#include "engine/engine.h"
#include "projections/eventtypestatsprojection.h"
#include "projections/projectionmanager.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ProjectionsCommand", text);
}

const QString CommandName = QStringLiteral("projections");
const QStringList Actions { QStringLiteral("list"), QStringLiteral("pause"), QStringLiteral("resume"),
    QStringLiteral("reset"), QStringLiteral("rebuild"), QStringLiteral("cancel-rebuild"), QStringLiteral("retry"),
    QStringLiteral("skip") };

ExitCode exitCodeOf(const ProjectionError& error)
{
    switch (error.code()) {
    case ProjectionError::Code::UnknownProjection:
    case ProjectionError::Code::ReasonRequired:
        return ExitUsage;
    case ProjectionError::Code::NotPermitted:
    case ProjectionError::Code::InvalidState:
    case ProjectionError::Code::RunningElsewhere:
    case ProjectionError::Code::InvalidProjection:
        return ExitRejected;
    case ProjectionError::Code::Store:
        return ExitUnavailable;
    }
    return ExitFailure;
}

QString lagText(const ProjectionStatus& status)
{
    return QString::number(status.lagEvents);
}

} // namespace

QString ProjectionsCommand::usage()
{
    return QStringLiteral("eventscope-cli projections <list|pause|resume|reset|rebuild|cancel-rebuild|retry|skip> "
                          "[NAME] [options]");
}

QString ProjectionsCommand::description()
{
    return tr("Lists the read-model projections of a store as it records them (state, checkpoint, head, lag, "
              "fault, rebuild), or acts on one for an operator: pause and resume (support or developer), retry a "
              "faulted event (support or developer), reset, rebuild into shadow tables, cancel a rebuild, skip a "
              "faulted event (developer). Actions need --actor and --role, and --reason except resume and retry; "
              "they are recorded in the operator audit log. The action is carried out here; the projection's "
              "events are applied by whichever EventScope runs it (the GUI or eventscope-cli serve). On "
              "PostgreSQL, a projection running in another instance can be paused and resumed from here; the "
              "other actions are refused with where it runs.");
}

void ProjectionsCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addPositionalArgument(QStringLiteral("action"), Actions.join(QStringLiteral(", ")));
    parser.addPositionalArgument(QStringLiteral("name"), tr("The projection (all actions but list)."));
    parser.addOption({ QStringLiteral("actor"), tr("Who acts (recorded)."), tr("name") });
    parser.addOption({ QStringLiteral("role"), tr("auditor, support or developer."), tr("role") });
    parser.addOption(
        { QStringLiteral("reason"), tr("Why (recorded; required but for resume and retry)."), tr("text") });
    parser.addOption({ QStringLiteral("json"), tr("list: print a JSON array instead of a table.") });
}

int ProjectionsCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const QStringList arguments = parser.positionalArguments();
    if (arguments.isEmpty() || !Actions.contains(arguments.first()))
        return context.usageError(tr("give an action: %1.").arg(Actions.join(QStringLiteral(", "))), CommandName);
    const QString action = arguments.first();
    const bool list = action == u"list";
    if (list ? arguments.size() != 1 : arguments.size() != 2)
        return context.usageError(
            list ? tr("list takes no projection name.") : tr("%1 needs the name of one projection.").arg(action),
            CommandName);
    OperatorAction operatorAction;
    if (!list) {
        operatorAction.actor = parser.value(QStringLiteral("actor"));
        const auto role = roleFromName(parser.value(QStringLiteral("role")));
        if (operatorAction.actor.trimmed().isEmpty() || !role)
            return context.usageError(
                tr("%1 needs --actor NAME and --role auditor|support|developer (recorded in the audit log).")
                    .arg(action),
                CommandName);
        operatorAction.role = *role;
        operatorAction.reason = parser.value(QStringLiteral("reason"));
    }

    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, list, &exitCode);
    if (!store)
        return exitCode;
    ProjectionManager::Options options;
    options.operationsOnly = true;
    ProjectionManager manager(store, nullptr, options);
    for (const auto& module : Engine::standardModules()) {
        for (const auto& projection : module->projections())
            manager.add(projection);
    }
    manager.add(std::make_shared<EventTypeStatsProjection>());

    if (list) {
        const auto statuses = manager.storedStatuses();
        if (!statuses)
            return context.storeFailure(statuses.error());
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonArray array;
            for (const ProjectionStatus& status : statuses.value())
                array.append(status.toJson());
            context.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
            return ExitOk;
        }
        context.out << QStringLiteral("%1 %2 %3 %4 %5 %6  %7\n")
                           .arg(tr("projection"), -20)
                           .arg(tr("state"), -18)
                           .arg(tr("version"), 8)
                           .arg(tr("checkpoint"), 11)
                           .arg(tr("head"), 11)
                           .arg(tr("lag"), 9)
                           .arg(tr("detail"));
        for (const ProjectionStatus& status : statuses.value()) {
            QString detail;
            if (status.fault)
                detail = tr("faulted at %1 (%2): %3")
                             .arg(status.fault->position)
                             .arg(status.fault->eventType, status.fault->error);
            else if (status.rebuild)
                detail = tr("rebuilding to version %1: %2 of %3")
                             .arg(status.rebuild->version)
                             .arg(status.rebuild->position)
                             .arg(status.head);
            else if (status.state == ProjectionState::RunningElsewhere)
                detail = tr("runs in %1").arg(status.owner);
            else if (status.storedVersion == 0)
                detail = tr("never built");
            context.out << QStringLiteral("%1 %2 %3 %4 %5 %6  %7\n")
                               .arg(status.name, -20)
                               .arg(projectionStateName(status.state), -18)
                               .arg(status.storedVersion == status.version || status.storedVersion == 0
                                       ? QString::number(status.version)
                                       : QStringLiteral("%1→%2").arg(status.storedVersion).arg(status.version),
                                   8)
                               .arg(status.checkpoint, 11)
                               .arg(status.head, 11)
                               .arg(lagText(status), 9)
                               .arg(detail);
        }
        context.out.flush();
        return ExitOk;
    }

    const QString name = arguments.at(1);
    if (!manager.projection(name))
        return context.usageError(
            tr("there is no projection named %1; these are: %2.").arg(name, manager.names().join(QStringLiteral(", "))),
            CommandName);
    manager.start();
    std::optional<ProjectionError> refused;
    if (action == u"pause")
        refused = manager.pause(name, operatorAction);
    else if (action == u"resume")
        refused = manager.resume(name, operatorAction);
    else if (action == u"reset")
        refused = manager.reset(name, operatorAction);
    else if (action == u"rebuild")
        refused = manager.rebuild(name, operatorAction);
    else if (action == u"cancel-rebuild")
        refused = manager.cancelRebuild(name, operatorAction);
    else if (action == u"retry")
        refused = manager.retry(name, operatorAction);
    else if (action == u"skip")
        refused = manager.skip(name, operatorAction);
    manager.stop();
    if (refused)
        return context.failure(refused->message(), exitCodeOf(*refused));
    context.out << tr("%1: %2 done, recorded for %3 (%4).")
                       .arg(name, action, operatorAction.actor, roleName(operatorAction.role))
                << Qt::endl;
    return ExitOk;
}

} // namespace EventScope
