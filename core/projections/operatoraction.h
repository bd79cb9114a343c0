// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace EventScope {

/// Who asks for an operation on a projection, in which role, and why. Recorded in the operator audit log.
struct OperatorAction {
    QString actor;
    Role role = Role::Auditor;
    QString reason;
};

/// One row of the operator audit log.
struct OperatorAuditEntry {
    qint64 id = 0;
    QDateTime at;
    QString actor;
    QString role;
    QString action; ///< "pause", "resume", "reset", "rebuild", "cancel-rebuild", "retry", "skip"
    QString projection;
    QString reason;
    QString detail; ///< JSON object text (e.g. the skipped event)

    QJsonObject toJson() const;
};

} // namespace EventScope
