// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>

namespace EventScope {

/// A question to a read model: its type selects the handler, its parameters are the handler's to interpret.
struct Query {
    QString type;
    QJsonObject parameters;
};

} // namespace EventScope
