// SPDX-License-Identifier: Apache-2.0
#include "commandcontext.h"

namespace EventScope {

QJsonObject CommandContext::eventMetadata() const
{
    QJsonObject metadata;
    const auto put = [&metadata](const QString& key, const QString& value) {
        if (!value.isEmpty())
            metadata.insert(key, value);
    };
    put(QStringLiteral("actor"), actor);
    put(QStringLiteral("role"), roleName(role));
    put(QStringLiteral("reason"), reason);
    put(QStringLiteral("ticket"), ticket);
    put(QStringLiteral("correlationId"), correlationId);
    put(QStringLiteral("causationId"), causationId);
    put(QStringLiteral("appVersion"), appVersion);
    put(QStringLiteral("host"), hostName);
    return metadata;
}

} // namespace EventScope
