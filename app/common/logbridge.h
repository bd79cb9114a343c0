// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "logoptions.h"

#include <QString>
#include <QtGlobal>

#include <functional>

namespace EventScope {

/**
 * Routes Qt's logging (qDebug, qCWarning(category), …) into spdlog: a coloured stderr sink and, unless
 * disabled, a size-rotated log file. core logs only through QLoggingCategory, so QT_LOGGING_RULES still
 * filters by category before a message reaches the bridge; the bridge then filters by level.
 *
 * Each line carries the time, level, thread, category and, where Qt recorded it (debug builds), file:line.
 * If the log file cannot be created the bridge logs to the console only and says so in a warning.
 *
 * Thread-safe: messages may come from any thread, and install()/setListener()/shutdown() may be called
 * while other threads log.
 */
class LogBridge {
public:
    /// Receives every message that passes the level, on the thread that logged it.
    using Listener = std::function<void(QtMsgType type, const QString& category, const QString& message)>;

    LogBridge() = delete;

    /// Sets up the sinks and installs the Qt message handler. Calling it again replaces the sinks and level.
    static void install(const LogOptions& options);
    /**
     * Also hands each message to @p listener (pass an empty function to remove it), for example a log pane,
     * which must queue the message to its own thread. What the listener itself logs goes to Qt's default
     * output (Qt does not re-enter a message handler), not to the sinks or the listener.
     */
    static void setListener(Listener listener);
    /// True for the level names install() understands (case-insensitive).
    static bool isValidLevel(const QString& level);
    /// The current log file, or an empty string when logging to the console only.
    static QString logFilePath();
    /// Flushes the sinks and gives Qt back its previous message handler.
    static void shutdown();
};

} // namespace EventScope
