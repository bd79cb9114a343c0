// SPDX-License-Identifier: Apache-2.0
#include "operatoraction.h"

#include <QJsonDocument>

namespace EventScope {

QJsonObject OperatorAuditEntry::toJson() const
{
    return { { QStringLiteral("id"), id }, { QStringLiteral("at"), at.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("actor"), actor }, { QStringLiteral("role"), role }, { QStringLiteral("action"), action },
        { QStringLiteral("projection"), projection }, { QStringLiteral("reason"), reason },
        { QStringLiteral("detail"), QJsonDocument::fromJson(detail.toUtf8()).object() } };
}

} // namespace EventScope
