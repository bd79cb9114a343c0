// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore.h"
#include "storesettings.h"

#include <QLoggingCategory>

#include <memory>
#include <mutex>

class QMutex;
class QSqlDatabase;
class QTemporaryDir;
class QSqlQuery;

Q_DECLARE_LOGGING_CATEGORY(lcEventStore)

namespace EventScope {

class SqlDialect;
class ConnectionPool;

/**
 * The EventStore over SQL: SQLite (embedded, WAL) or PostgreSQL (shared), chosen by StoreSettings::backend.
 *
 * Threading: thread-safe. Each calling QThread gets its own named QSqlDatabase connection (Qt's rule: a
 * connection belongs to the thread that opened it), opened on first use and closed when the thread
 * finishes or the store is destroyed. Destroy the store only after the threads using it are done with it.
 * Prepared statements are cached per connection and reused. On SQLite appends from one process are
 * queued on a mutex (SQLite has one writer at a time anyway); other processes wait up to busyTimeout.
 *
 * PostgreSQL ordering: see readAll() in the .cpp for the rule that keeps subscribers from skipping an
 * event whose transaction commits after one with a higher position.
 */
class SqlEventStore final : public EventStore {
    Q_OBJECT
public:
    /**
     * Opens (and creates or upgrades, unless read-only) the store described by \a settings on the calling
     * thread. Fails with NotAnEventStore for a database holding something else, SchemaTooNew for a store
     * from a newer EventScope, ConnectionFailed or InvalidArgument for a bad path or DSN; in every failure
     * case nothing in the database is changed.
     */
    static StoreResult<std::shared_ptr<SqlEventStore>> open(const StoreSettings& settings);

    ~SqlEventStore() override;

    StoreResult<AppendResult> append(
        const QString& streamId, ExpectedVersion expected, const QList<EventData>& events) override;
    StoreResult<QList<RecordedEvent>> readStream(const QString& streamId, StreamVersion from, int maxCount,
        ReadDirection direction = ReadDirection::Forward) override;
    StoreResult<QList<RecordedEvent>> readAll(
        GlobalPosition after, int maxCount, const AllFilter& filter = {}) override;
    StoreResult<StreamPage> listStreams(const StreamFilter& filter, const QString& after, int maxCount) override;
    StoreResult<std::optional<StreamInfo>> streamInfo(const QString& streamId) override;
    StoreResult<QList<EventTypeCount>> eventTypes() override;
    StoreResult<GlobalPosition> headPosition() override;
    /**
     * A position to follow $all from (readAll(after), AllSubscription) without missing an event that commits
     * later: headPosition() on SQLite; on PostgreSQL possibly lower, below transactions still running. Reading from
     * it may repeat events a caller has seen already; callers that read up to headPosition() drop those.
     */
    StoreResult<GlobalPosition> commitSafeHead();
    StoreResult<qint64> eventCount() override;

    /**
     * Writes \a events as they were recorded elsewhere (an export): their event ids, types, schema versions,
     * payloads and metadata byte for byte, and times; positions are assigned anew, in the given order. All or
     * nothing. Each event must continue its stream (version = the stream's last version + 1, or 0 for a new
     * stream), else InvalidArgument names the event; an event id stored already is DuplicateEventId.
     */
    StoreResult<qint64> importEvents(const QList<RecordedEvent>& events);

    /// A new recorded time for the event at \a version of \a streamId (redateEvents()).
    struct EventTime {
        QString streamId;
        StreamVersion version = NoStreamVersion;
        QDateTime recordedAt;
    };

    /**
     * Changes when events were recorded: sets each named event's recorded time, and its stream's first and last
     * recorded times to match. For tools that make a history after the fact (DemoSeeder spreads its events over
     * past days); nothing else changes the times of an event log. All or nothing; an event that is not stored is
     * InvalidArgument. Readers that hold the events already keep the old times: nothing is announced.
     */
    StoreResult<qint64> redateEvents(const QList<EventTime>& times);

    const StoreSettings& settings() const { return m_settings; }
    const SqlDialect& dialect() const { return *m_dialect; }
    /// Schema version this build creates and understands.
    static int currentSchemaVersion();

    /// The calling thread's connection to this store (opened on first use). For the store's own helpers
    /// (subscriptions, benchmarks); the UI never uses it.
    StoreResult<QSqlDatabase> threadConnection();

    /**
     * For helpers that run their own statements on threadConnection(): after a statement failed, checks the
     * calling thread's connection and, when it is dead (PostgreSQL restart, network cut), drops it so that the
     * next call connects afresh. Returns true when it was dropped.
     */
    bool dropDeadThreadConnection();

    /**
     * The lock that queues this process's write transactions on a single-writer backend (SQLite), or nullptr
     * where writers run concurrently (PostgreSQL). Helpers that write in their own transactions on
     * threadConnection() hold it from BEGIN to COMMIT, as append() does.
     */
    QMutex* writeMutex() const;

private:
    explicit SqlEventStore(const StoreSettings& settings, std::unique_ptr<SqlDialect> dialect);

    StoreResult<Done> migrate();
    template <typename T>
    StoreResult<T> settle(StoreResult<T> result);
    StoreResult<AppendResult> appendOnce(
        const QString& streamId, ExpectedVersion expected, const QList<EventData>& events);
    StoreResult<QList<RecordedEvent>> readStreamOnce(
        const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction);
    StoreResult<QList<RecordedEvent>> readAllOnce(GlobalPosition after, int maxCount, const AllFilter& filter);
    StoreResult<StreamPage> listStreamsOnce(const StreamFilter& filter, const QString& after, int maxCount);
    StoreResult<std::optional<StreamInfo>> streamInfoOnce(const QString& streamId);
    StoreResult<QList<EventTypeCount>> eventTypesOnce();
    StoreResult<GlobalPosition> headPositionOnce();
    StoreResult<qint64> eventCountOnce();
    StoreError duplicateEventIdError(const QList<EventData>& events, bool* retryable);
    StoreResult<struct StoreConnection*> connection();
    /// Begins a write transaction of its own (import, redate) on this thread's connection. On a single-writer
    /// backend \a lock holds the write mutex from here until the caller commits or gives up. \a beginFailure
    /// (with %1 for the driver's words) says what could not begin.
    StoreResult<QSqlDatabase*> beginBulkWrite(std::unique_lock<QMutex>& lock, const QString& beginFailure);
    StoreResult<QSqlQuery*> statement(const QString& sql);
    std::optional<StoreError> validateAppend(const QString& streamId, const QList<EventData>& events,
        QList<QByteArray>* payloads, QList<QByteArray>* metadata) const;
    StoreError queryError(const QSqlQuery& query, const QString& what) const;

    /// Holds the file of a ":memory:" store. Declared first so that it is destroyed last, after the connections.
    std::unique_ptr<QTemporaryDir> m_scratch;
    StoreSettings m_settings;
    std::unique_ptr<SqlDialect> m_dialect;
    std::shared_ptr<ConnectionPool> m_pool;
};

} // namespace EventScope
