// SPDX-License-Identifier: Apache-2.0
#include "auditmetadatamiddleware.h"

#include "eventstore/eventdata.h"

#include <QSysInfo>
#include <QUuid>

namespace EventScope {

AuditMetadataMiddleware::AuditMetadataMiddleware()
    : AuditMetadataMiddleware(QStringLiteral(EVENTSCOPE_VERSION), QSysInfo::machineHostName())
{
}

AuditMetadataMiddleware::AuditMetadataMiddleware(QString appVersion, QString hostName)
    : m_appVersion(std::move(appVersion))
    , m_hostName(std::move(hostName))
{
}

DispatchResult AuditMetadataMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor&, const CommandNext& next)
{
    // Time-ordered (UUIDv7, like event ids): new ids land at the end of the correlation index instead of at random
    // places, which keeps appends fast on a store with millions of events.
    if (context.correlationId.isEmpty())
        context.correlationId = EventData::newEventId().toString(QUuid::WithoutBraces);
    if (context.causationId.isEmpty())
        context.causationId = command.id.toString(QUuid::WithoutBraces);
    context.appVersion = m_appVersion;
    context.hostName = m_hostName;
    return next(command, context);
}

} // namespace EventScope
