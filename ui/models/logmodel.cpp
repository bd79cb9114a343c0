// SPDX-License-Identifier: Apache-2.0
#include "logmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <mutex>

namespace EventScope {

namespace {

constexpr int minimumFlushSpacingMs = 50;

} // namespace

/// The queue between the logging threads and the model; outlives the model so that late messages are harmless.
struct LogModel::Inbox {
    std::mutex mutex;
    LogModel* target = nullptr; ///< null once the model is gone
    QList<Entry> pending;
    int maxPending = 10000;
    qint64 droppedPending = 0;
    bool scheduled = false;

    void post(Entry entry)
    {
        const std::lock_guard lock(mutex);
        if (!target)
            return;
        pending << std::move(entry);
        if (pending.size() > maxPending) {
            const qsizetype excess = pending.size() - maxPending;
            pending.remove(0, excess);
            droppedPending += excess;
        }
        if (!scheduled) {
            scheduled = true;
            // Under the lock: the model's destructor takes it before the model goes, so target is alive here.
            QMetaObject::invokeMethod(target, &LogModel::scheduleFlush, Qt::QueuedConnection);
        }
    }
};

LogModel::LogModel(int maxLines, QObject* parent)
    : QAbstractTableModel(parent)
    , m_inbox(std::make_shared<Inbox>())
    , m_maxLines(std::max(maxLines, 1))
{
    m_inbox->target = this;
    m_inbox->maxPending = m_maxLines;
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogModel::flush);
    m_sinceFlush.start();
}

LogModel::~LogModel()
{
    const std::lock_guard lock(m_inbox->mutex);
    m_inbox->target = nullptr;
    m_inbox->pending.clear();
}

void LogModel::post(Entry entry)
{
    m_inbox->post(std::move(entry));
}

void LogModel::post(QtMsgType type, const QString& category, const QString& message)
{
    m_inbox->post(Entry { QDateTime::currentDateTime(), levelOf(type), category, message });
}

LogModel::Listener LogModel::listener() const
{
    return [inbox = m_inbox](QtMsgType type, const QString& category, const QString& message) {
        inbox->post(Entry { QDateTime::currentDateTime(), levelOf(type), category, message });
    };
}

void LogModel::scheduleFlush()
{
    // Batches: at most one insertion every minimumFlushSpacingMs, however fast messages come.
    const qint64 elapsed = m_sinceFlush.elapsed();
    if (elapsed >= minimumFlushSpacingMs)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start(int(minimumFlushSpacingMs - elapsed));
}

void LogModel::flush()
{
    m_flushTimer.stop();
    QList<Entry> batch;
    {
        const std::lock_guard lock(m_inbox->mutex);
        batch.swap(m_inbox->pending);
        m_dropped += m_inbox->droppedPending;
        m_inbox->droppedPending = 0;
        m_inbox->scheduled = false;
    }
    m_sinceFlush.restart();
    if (batch.isEmpty())
        return;
    if (batch.size() > m_maxLines) {
        const qsizetype excess = batch.size() - m_maxLines;
        batch.remove(0, excess);
        m_dropped += excess;
    }
    // Make room first, so that rowCount never exceeds the bound.
    const qsizetype overflow = m_entries.size() + batch.size() - m_maxLines;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_entries.remove(0, overflow);
        m_dropped += overflow;
        endRemoveRows();
    }
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    m_entries << batch;
    endInsertRows();
    Q_EMIT linesAppended(int(batch.size()));
}

void LogModel::setMaxLines(int lines)
{
    m_maxLines = std::max(lines, 1);
    {
        const std::lock_guard lock(m_inbox->mutex);
        m_inbox->maxPending = m_maxLines;
    }
    trim();
}

void LogModel::trim()
{
    const qsizetype overflow = m_entries.size() - m_maxLines;
    if (overflow <= 0)
        return;
    beginRemoveRows({}, 0, int(overflow) - 1);
    m_entries.remove(0, overflow);
    m_dropped += overflow;
    endRemoveRows();
}

void LogModel::clear()
{
    {
        const std::lock_guard lock(m_inbox->mutex);
        m_inbox->pending.clear();
        m_inbox->droppedPending = 0;
    }
    m_dropped = 0;
    if (m_entries.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_entries.size()) - 1);
    m_entries.clear();
    endRemoveRows();
}

LogModel::Level LogModel::levelOf(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return Level::Debug;
    case QtInfoMsg:
        return Level::Info;
    case QtWarningMsg:
        return Level::Warning;
    case QtCriticalMsg:
        return Level::Error;
    case QtFatalMsg:
        return Level::Critical;
    }
    return Level::Info;
}

QString LogModel::levelName(Level level)
{
    switch (level) {
    case Level::Debug:
        return QStringLiteral("debug");
    case Level::Info:
        return QStringLiteral("info");
    case Level::Warning:
        return QStringLiteral("warning");
    case Level::Error:
        return QStringLiteral("error");
    case Level::Critical:
        return QStringLiteral("critical");
    }
    return QString();
}

QString LogModel::lineText(int row) const
{
    const Entry& line = m_entries.at(row);
    return line.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + u' ' + levelName(line.level) + u' '
        + line.category + u": " + line.message;
}

int LogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& line = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnTime:
            return line.time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case ColumnLevel:
            return levelName(line.level);
        case ColumnCategory:
            return line.category;
        case ColumnMessage: {
            // One line per row (uniform heights); the tooltip and a copy carry the whole text.
            const qsizetype newline = line.message.indexOf(u'\n');
            return newline < 0 ? line.message : line.message.left(newline) + QStringLiteral(" …");
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ColumnTime)
            return line.time.toString(Qt::ISODateWithMs);
        return line.message;
    case Qt::ForegroundRole:
        if (index.column() != ColumnLevel && index.column() != ColumnMessage)
            return {};
        switch (line.level) {
        case Level::Debug:
            return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        case Level::Warning:
            return QBrush(QColor(0xb3, 0x6b, 0x00));
        case Level::Error:
        case Level::Critical:
            return QBrush(QColor(0xc6, 0x28, 0x28));
        case Level::Info:
            return {};
        }
        return {};
    case Qt::FontRole:
        if (line.level >= Level::Error && index.column() == ColumnLevel) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case LevelRole:
        return int(line.level);
    case CategoryRole:
        return line.category;
    case MessageRole:
        return line.message;
    case TimeRole:
        return line.time;
    case LineRole:
        return lineText(index.row());
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColumnTime:
        return tr("Time");
    case ColumnLevel:
        return tr("Level");
    case ColumnCategory:
        return tr("Category");
    case ColumnMessage:
        return tr("Message");
    }
    return {};
}

} // namespace EventScope
