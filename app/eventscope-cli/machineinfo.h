// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>

namespace EventScope {

/// Describes the machine a benchmark ran on, for its JSON report: CPU, cores, memory, OS, Qt.
class MachineInfo {
public:
    static QJsonObject collect();
};

} // namespace EventScope
