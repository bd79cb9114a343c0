// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"

#include <QString>

namespace EventScope {

/// Where and how much LogBridge logs. Usually built from the `logging:` section with fromConfig().
struct LogOptions {
    /// Names the log file (<appName>.log); empty: QCoreApplication::applicationName().
    QString appName;
    /// trace, debug, info, warn (or warning), error, critical or off; see LogBridge::isValidLevel().
    QString level = QStringLiteral("info");
    /// Also write rotating log files, not only to stderr.
    bool toFile = true;
    /// Folder of the log files; empty: QStandardPaths::AppLocalDataLocation + "/logs".
    QString directory;
    qint64 maxFileSize = 5 * 1024 * 1024;
    /// Rotated files kept besides the current one.
    int maxFiles = 3;

    static LogOptions fromConfig(const AppConfig::Logging& logging, const QString& appName)
    {
        LogOptions options;
        options.appName = appName;
        options.level = logging.level;
        options.toFile = logging.toFile;
        options.maxFileSize = logging.maxFileSize;
        options.maxFiles = logging.maxFiles;
        return options;
    }
};

} // namespace EventScope
