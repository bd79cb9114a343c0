// SPDX-License-Identifier: Apache-2.0
#include "logbridge.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <spdlog/logger.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace EventScope {

namespace {

Q_LOGGING_CATEGORY(lcLogging, "eventscope.app.logging")

struct BridgeState {
    std::mutex mutex;
    std::shared_ptr<spdlog::logger> logger;
    std::shared_ptr<const LogBridge::Listener> listener;
    QString logFilePath;
    QtMessageHandler previousHandler = nullptr;
    bool handlerInstalled = false;
};

// Never destroyed: Qt may still log from other threads or static destructors while the process exits.
BridgeState& bridgeState()
{
    static auto* state = new BridgeState;
    return *state;
}

std::optional<spdlog::level::level_enum> levelFromName(const QString& name)
{
    using namespace spdlog::level;
    const QString lowered = name.trimmed().toLower();
    if (lowered == u"trace")
        return trace;
    if (lowered == u"debug")
        return debug;
    if (lowered == u"info")
        return info;
    if (lowered == u"warn" || lowered == u"warning")
        return warn;
    if (lowered == u"error")
        return err;
    if (lowered == u"critical")
        return critical;
    if (lowered == u"off")
        return off;
    return std::nullopt;
}

spdlog::level::level_enum levelFor(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return spdlog::level::debug;
    case QtInfoMsg:
        return spdlog::level::info;
    case QtWarningMsg:
        return spdlog::level::warn;
    case QtCriticalMsg:
        return spdlog::level::err;
    case QtFatalMsg:
        return spdlog::level::critical;
    }
    return spdlog::level::info;
}

QByteArray formatLine(const QMessageLogContext& context, const QString& message)
{
    QByteArray line;
    if (context.category && std::strcmp(context.category, "default") != 0) {
        line += context.category;
        line += ": ";
    }
    line += message.toUtf8();
    if (context.file) {
        const char* file = std::strrchr(context.file, '/');
        line += " (";
        line += file ? file + 1 : context.file;
        line += ':';
        line += QByteArray::number(context.line);
        line += ')';
    }
    return line;
}

void messageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    BridgeState& state = bridgeState();
    std::shared_ptr<spdlog::logger> logger;
    std::shared_ptr<const LogBridge::Listener> listener;
    {
        std::lock_guard lock(state.mutex);
        logger = state.logger;
        listener = state.listener;
    }

    const auto level = levelFor(type);
    if (logger) {
        if (!logger->should_log(level))
            return;
        const QByteArray line = formatLine(context, message);
        logger->log(level, spdlog::string_view_t(line.constData(), size_t(line.size())));
        if (type == QtFatalMsg)
            logger->flush(); // Qt aborts right after the handler returns
    } else {
        // Racing with shutdown(): do not lose the message.
        const QByteArray line = formatLine(context, message) + '\n';
        std::fputs(line.constData(), stderr);
    }

    // Qt does not re-enter a message handler: what the listener logs goes to Qt's default output.
    if (listener)
        (*listener)(type, QString::fromUtf8(context.category ? context.category : "default"), message);
}

} // namespace

void LogBridge::install(const LogOptions& options)
{
    QString problem;
    const auto level = levelFromName(options.level);
    if (!level) {
        problem = QStringLiteral("Unknown log level \"%1\"; logging at info. Use one of trace, debug, info, warn, "
                                 "error, critical, off.")
                      .arg(options.level);
    }

    QString name = options.appName;
    if (name.isEmpty())
        name = QCoreApplication::applicationName();
    if (name.isEmpty())
        name = QStringLiteral("eventscope");

    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());

    QString filePath;
    if (options.toFile) {
        QString directory = options.directory;
        if (directory.isEmpty())
            directory = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/logs";
        if (!QDir().mkpath(directory)) {
            problem = QStringLiteral("Cannot create the log folder %1; logging to the console only. Check that "
                                     "the folder is writable, or turn file logging off (logging.file: false).")
                          .arg(QDir::toNativeSeparators(directory));
        } else {
            filePath = QDir(directory).filePath(name + u".log");
            try {
                sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                    QFile::encodeName(filePath).toStdString(), size_t(std::max<qint64>(options.maxFileSize, 1)),
                    size_t(std::clamp(options.maxFiles, 0, 1000))));
            } catch (const std::exception& exception) {
                problem = QStringLiteral("Cannot write the log file %1 (%2); logging to the console only. Check "
                                         "that the folder is writable, or turn file logging off (logging.file: "
                                         "false).")
                              .arg(QDir::toNativeSeparators(filePath), QString::fromLocal8Bit(exception.what()));
                filePath.clear();
            }
        }
    }

    auto logger = std::make_shared<spdlog::logger>(name.toStdString(), sinks.begin(), sinks.end());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-8l%$ [%t] %v");
    logger->set_level(level.value_or(spdlog::level::info));
    // Flush often enough that a crash leaves the lines before it on disk, without syncing debug floods.
    logger->flush_on(spdlog::level::info);

    std::shared_ptr<spdlog::logger> previous;
    {
        BridgeState& state = bridgeState();
        std::lock_guard lock(state.mutex);
        previous = std::exchange(state.logger, logger);
        state.logFilePath = filePath;
        if (!state.handlerInstalled) {
            state.previousHandler = qInstallMessageHandler(messageHandler);
            state.handlerInstalled = true;
        }
    }
    if (previous)
        previous->flush();

    if (!problem.isEmpty())
        qCWarning(lcLogging).noquote() << problem;
}

void LogBridge::setListener(Listener listener)
{
    BridgeState& state = bridgeState();
    auto shared = listener ? std::make_shared<const Listener>(std::move(listener)) : nullptr;
    std::lock_guard lock(state.mutex);
    state.listener = std::move(shared);
}

bool LogBridge::isValidLevel(const QString& level)
{
    return levelFromName(level).has_value();
}

QString LogBridge::logFilePath()
{
    BridgeState& state = bridgeState();
    std::lock_guard lock(state.mutex);
    return state.logFilePath;
}

void LogBridge::shutdown()
{
    BridgeState& state = bridgeState();
    std::shared_ptr<spdlog::logger> logger;
    {
        std::lock_guard lock(state.mutex);
        if (state.handlerInstalled) {
            qInstallMessageHandler(state.previousHandler);
            state.handlerInstalled = false;
            state.previousHandler = nullptr;
        }
        logger = std::exchange(state.logger, nullptr);
        state.listener.reset();
        state.logFilePath.clear();
    }
    if (logger)
        logger->flush();
}

} // namespace EventScope
