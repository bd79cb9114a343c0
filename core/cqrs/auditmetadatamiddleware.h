// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmiddleware.h"

namespace EventScope {

/**
 * Completes the context's audit data before the handler runs, so that CommandContext::eventMetadata()
 * is complete: generates a correlation id when there is none, sets the causation id to the command's id
 * when there is none, and stamps the application version and host name. Actor, role and reason are the
 * caller's (already checked by the middleware before this one).
 */
class AuditMetadataMiddleware final : public CommandMiddleware {
public:
    /// Stamps EVENTSCOPE_VERSION and this machine's host name.
    AuditMetadataMiddleware();
    AuditMetadataMiddleware(QString appVersion, QString hostName);

    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;

private:
    const QString m_appVersion;
    const QString m_hostName;
};

} // namespace EventScope
