// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace EventScope {

/// A request to change one aggregate. Its fields are checked against the command type's CommandDescriptor.
/// Who issues it and why travels beside it in a CommandContext.
struct Command {
    /// Unique per command; the default causation id of the events it causes.
    QUuid id = QUuid::createUuid();
    QString type;
    QString aggregateId;
    QJsonObject fields;
};

} // namespace EventScope
