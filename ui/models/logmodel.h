// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace EventScope {

/**
 * The application's log messages for the log pane: a bounded table (oldest lines dropped first) of time, level,
 * category and message.
 *
 * Messages may come from any thread: post() and listener() only queue them; the model takes the queue on its own
 * thread in batches (at most about 20 per second, one row insertion each), so a thread logging in a tight loop
 * costs one queued call per batch, not a signal per line. Hand listener() to LogBridge::setListener() to receive
 * everything the application logs.
 */
class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Ordered: a filter shows a level and those above it. Qt has no trace level; qDebug() is Debug.
    enum class Level { Debug, Info, Warning, Error, Critical };
    Q_ENUM(Level)

    enum Column { ColumnTime, ColumnLevel, ColumnCategory, ColumnMessage, ColumnCount };
    enum Role {
        LevelRole = Qt::UserRole + 1, ///< int(Level)
        CategoryRole,
        MessageRole,
        TimeRole, ///< QDateTime (local time)
        LineRole, ///< the whole line as copied: "time level category: message"
    };

    struct Entry {
        QDateTime time;
        Level level = Level::Info;
        QString category;
        QString message;
    };

    using Listener = std::function<void(QtMsgType type, const QString& category, const QString& message)>;

    explicit LogModel(int maxLines = 10000, QObject* parent = nullptr);
    ~LogModel() override;

    /// Queues \a entry; thread-safe.
    void post(Entry entry);
    /// Queues a message logged now; thread-safe.
    void post(QtMsgType type, const QString& category, const QString& message);
    /// A function that posts to this model, for LogBridge::setListener(). Safe to call from any thread, also
    /// after the model is gone (it then does nothing).
    Listener listener() const;

    /// Takes the queued messages now (the model does this by itself shortly after they arrive).
    void flush();

    int maxLines() const { return m_maxLines; }
    /// Drops the oldest lines when there are more than \a lines (at least 1).
    void setMaxLines(int lines);
    /// Lines dropped because the model was full, since the start or clear().
    qint64 droppedLines() const { return m_dropped; }
    void clear();

    const Entry& entry(int row) const { return m_entries.at(row); }
    /// "2026-11-26 18:00:01.123 warning eventscope.core.config: message"
    QString lineText(int row) const;

    static Level levelOf(QtMsgType type);
    /// "debug", "info", "warning", "error", "critical".
    static QString levelName(Level level);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// \a count lines were appended at the end (after the rows were inserted).
    void linesAppended(int count);

public:
    struct Inbox;

private:
    void scheduleFlush();
    void trim();

    std::shared_ptr<Inbox> m_inbox;
    QList<Entry> m_entries;
    int m_maxLines;
    qint64 m_dropped = 0;
    QTimer m_flushTimer;
    QElapsedTimer m_sinceFlush;
};

} // namespace EventScope
