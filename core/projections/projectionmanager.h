// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "operatoraction.h"
#include "projection.h"
#include "projectionerror.h"
#include "projectionstatus.h"

#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>
#include <QObject>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcProjections)

namespace EventScope {

class SqlEventStore;
class EventTypeRegistry;
class ProjectionRunner;

/**
 * Runs projections over an SqlEventStore and keeps their read models in the store's own database.
 *
 * Each projection runs on its own thread: it catches up from its checkpoint over $all in batches, then goes
 * live (woken by appends in this process, and by polling for other processes' appends). The read-model
 * changes of a batch and the checkpoint after it commit in one transaction, guarded by a compare-and-set
 * of the checkpoint, so a crash at any moment, or two processes on one store, never apply an event twice or
 * skip one. On PostgreSQL an advisory lock lets one EventScope instance run each projection; the others show
 * it as RunningElsewhere and take over when that instance stops.
 *
 * A projection that cannot apply an event stops in state Faulted on that event, alone; operators retry or
 * skip it. A new version() (or an operator's rebuild()) builds a new read model into shadow tables while
 * the current one keeps serving reads, then swaps them in one transaction once the shadow has caught up.
 *
 * Operations (pause … skip) check the operator's role, record the action in the operator audit log, and are
 * carried out by the projection's thread between two batches; they block until then, so call them from a
 * worker thread, never the GUI thread. Support may pause, resume and retry; developers may do everything;
 * auditors only look. status() and statuses() are cheap and may be called from any thread.
 */
class ProjectionManager : public QObject {
    Q_OBJECT

public:
    struct Options {
        int batchSize = 2000;
        /// How often a live projection looks for appends of other processes.
        std::chrono::milliseconds pollInterval { 250 };
        /// How often a paused, faulted or standby projection refreshes its status (and tries the lock).
        std::chrono::milliseconds idleRefresh { 1000 };
        /// First delay after a database failure; doubles up to 30 s.
        std::chrono::milliseconds retryDelay { 500 };
        /// Minimum time between two statusChanged() signals of one projection (state changes are immediate).
        std::chrono::milliseconds statusInterval { 200 };
        /// Runners take part (lock, operations) but apply no events: for a command-line tool that pauses,
        /// rebuilds or skips on behalf of an operator and exits.
        bool operationsOnly = false;
    };

    ProjectionManager(std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry,
        Options options, QObject* parent = nullptr);
    ProjectionManager(std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry,
        QObject* parent = nullptr);
    /// Stops all projections (each finishes its current batch).
    ~ProjectionManager() override;

    /// Registers \a projection; before start() only. Checks its name, tables and uniqueness.
    std::optional<ProjectionError> add(std::shared_ptr<Projection> projection);
    QStringList names() const;
    std::shared_ptr<Projection> projection(const QString& name) const;

    /// Starts every projection's thread. Idempotent.
    void start();
    /// Stops every projection after its current batch and joins the threads.
    void stop();
    bool isRunning() const { return m_running; }

    std::optional<ProjectionStatus> status(const QString& name) const;
    /**
     * The checkpoint of \a name's live read model as the store has it (read on the calling thread's connection;
     * right also when this manager is not running or another instance runs the projection). 0 when the read
     * model was never built.
     */
    StoreResult<GlobalPosition> storedCheckpoint(const QString& name) const;
    QList<ProjectionStatus> statuses() const;
    /**
     * Every registered projection as the store records it, without running anything (calling thread's
     * connection): checkpoint, stored version, pause flag, fault, rebuild, owner, head and lag. State is Paused,
     * Faulted or Rebuilding as recorded; on PostgreSQL RunningElsewhere when another session holds the
     * projection's lock; else Stopped (not run here).
     */
    StoreResult<QList<ProjectionStatus>> storedStatuses() const;

    /**
     * Blocks until the live read model of \a name has applied $all up to \a position (its checkpoint is at
     * or past it), or \a timeout passed, or the projection faulted. Read-your-writes for queries after a
     * dispatch. Not on the GUI thread.
     */
    bool waitForCheckpoint(const QString& name, GlobalPosition position, std::chrono::milliseconds timeout) const;

    std::optional<ProjectionError> pause(const QString& name, const OperatorAction& action);
    std::optional<ProjectionError> resume(const QString& name, const OperatorAction& action);
    /// Empties the read model and its checkpoint; the projection catches up from the start (offline meanwhile).
    std::optional<ProjectionError> reset(const QString& name, const OperatorAction& action);
    /// Rebuilds into shadow tables while the current read model serves; swaps when caught up.
    std::optional<ProjectionError> rebuild(const QString& name, const OperatorAction& action);
    /// Drops the shadow tables of a running rebuild; the current read model stays as it is.
    std::optional<ProjectionError> cancelRebuild(const QString& name, const OperatorAction& action);
    /// Tries the faulted event again.
    std::optional<ProjectionError> retry(const QString& name, const OperatorAction& action);
    /// Steps over the faulted event (recorded with the event, actor and reason) and goes on.
    std::optional<ProjectionError> skip(const QString& name, const OperatorAction& action);

    /// The operator audit log, newest first: at most \a limit entries with ids below \a beforeId (0 = newest).
    StoreResult<QList<OperatorAuditEntry>> auditLog(int limit = 200, qint64 beforeId = 0) const;

    const std::shared_ptr<SqlEventStore>& store() const { return m_store; }
    const Options& options() const { return m_options; }

Q_SIGNALS:
    /// A projection's status changed (emitted from its thread; throttled to Options::statusInterval).
    void statusChanged(const EventScope::ProjectionStatus& status);
    void faulted(const QString& name, const EventScope::ProjectionFault& fault);
    void rebuildFinished(const QString& name, int version);

private:
    friend class ProjectionRunner;
    ProjectionRunner* runner(const QString& name) const;

    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<const EventTypeRegistry> m_registry;
    Options m_options;
    std::map<QString, std::unique_ptr<ProjectionRunner>> m_runners;
    bool m_running = false;
};

} // namespace EventScope
