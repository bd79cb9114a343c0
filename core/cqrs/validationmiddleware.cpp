// SPDX-License-Identifier: Apache-2.0
#include "validationmiddleware.h"

#include <QCoreApplication>

namespace EventScope {

QMap<QString, QString> ValidationMiddleware::validate(
    const Command& command, const CommandContext& context, const CommandDescriptor& descriptor)
{
    QMap<QString, QString> problems;
    for (const FieldDescriptor& field : descriptor.fields) {
        const QString problem = field.validate(command.fields.value(field.name));
        if (!problem.isEmpty())
            problems.insert(field.name, problem);
    }
    for (auto it = command.fields.constBegin(); it != command.fields.constEnd(); ++it) {
        if (!descriptor.field(it.key())) {
            problems.insert(it.key(),
                QCoreApplication::translate(
                    "EventScope::ValidationMiddleware", "\"%1\" has no field of this name; remove it.")
                    .arg(descriptor.type));
        }
    }
    if (descriptor.corrective && context.reason.trimmed().isEmpty()) {
        problems.insert(QStringLiteral("reason"),
            QCoreApplication::translate("EventScope::ValidationMiddleware",
                "A corrective command needs a reason: say why the data must change."));
    }
    return problems;
}

DispatchResult ValidationMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor& descriptor, const CommandNext& next)
{
    QMap<QString, QString> problems = validate(command, context, descriptor);
    if (!problems.isEmpty())
        return DispatchResult::failure(CommandError::validation(std::move(problems)));
    return next(command, context);
}

} // namespace EventScope
