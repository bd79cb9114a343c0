// SPDX-License-Identifier: Apache-2.0
#include "healthcheckresult.h"

namespace EventScope {

QJsonObject HealthCheckResult::toJson() const
{
    return {
        { QStringLiteral("status"), healthStatusName(status) },
        { QStringLiteral("detail"), detail },
        { QStringLiteral("durationMs"), qint64(duration.count()) },
        { QStringLiteral("checkedAt"), checkedAt.toUTC().toString(Qt::ISODateWithMs) },
    };
}

} // namespace EventScope
