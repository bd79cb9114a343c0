// SPDX-License-Identifier: Apache-2.0
#include "healthreport.h"

#include <QJsonDocument>

namespace EventScope {

QJsonObject HealthReport::toJson() const
{
    QJsonObject components;
    for (const auto& [name, result] : checks)
        components.insert(name, result.toJson());
    return {
        { QStringLiteral("status"), healthStatusName(status) },
        { QStringLiteral("checks"), components },
        { QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs) },
    };
}

QByteArray HealthReport::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

} // namespace EventScope
