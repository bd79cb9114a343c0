// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "operatoraction.h"
#include "projection.h"
#include "projectionbatch.h"
#include "projectionerror.h"
#include "projectionstatus.h"

#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QList>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

class QSqlDatabase;
class QThread;
class QThreadPool;

namespace EventScope {

class ProjectionManager;

/**
 * The thread that runs one projection for a ProjectionManager: its catch-up, live and rebuild loop, its
 * transactions, its operations and its status. Internal to core/projections.
 */
class ProjectionRunner {
    Q_DECLARE_TR_FUNCTIONS(ProjectionRunner)

public:
    enum class Operation { Pause, Resume, Reset, Rebuild, CancelRebuild, Retry, Skip };

    ProjectionRunner(ProjectionManager* manager, std::shared_ptr<Projection> projection);
    ~ProjectionRunner();

    const std::shared_ptr<Projection>& projection() const { return m_projection; }

    void start();
    /// Asks the loop to stop after the current batch and joins the thread.
    void stop();
    /// An append happened in this process: look now instead of at the next poll.
    void wake();

    ProjectionStatus status() const;
    bool waitForCheckpoint(GlobalPosition position, std::chrono::milliseconds timeout) const;
    /// Queues \a operation for the loop and waits until it was carried out (or refused).
    std::optional<ProjectionError> request(Operation operation, const OperatorAction& action);

    static QString operationName(Operation operation);

private:
    // What the es_projections row says.
    struct Row {
        int version = 0;
        GlobalPosition position = 0;
        bool paused = false;
        std::optional<ProjectionFault> fault;
        std::optional<ProjectionRebuild> shadow;
        QString owner;
    };
    enum class BatchOutcome { Progress, CaughtUp, Transient, Faulted, Conflict, Stopped };
    struct Request {
        Operation operation;
        OperatorAction action;
        std::promise<std::optional<ProjectionError>> done;
    };
    using Target = ProjectionBatch::Target;

    void run();
    bool initialise();
    bool acquireLock();
    void checkLock(bool now = false);
    void processRequests();
    std::optional<ProjectionError> carryOut(Operation operation, const OperatorAction& action);
    BatchOutcome step();
    StoreResult<QList<RecordedEvent>> readBatch(GlobalPosition from);
    void dropPrefetch();
    BatchOutcome commit(Target target, GlobalPosition expected, const QList<RecordedEvent>& events, qsizetype begin,
        qsizetype end, qsizetype* failedAt, QString* error);
    bool swapShadow();
    void refreshIdle();
    void waitFor(std::chrono::milliseconds timeout);
    bool stopping() const;

    // SQL helpers; each returns an error message, empty on success.
    QString loadRow(std::optional<Row>* row);
    QString writeTransaction(const std::function<QString(QSqlDatabase&)>& work);
    QString createTables(QSqlDatabase& db, Target target);
    QString dropTables(QSqlDatabase& db, Target target);
    QString audit(QSqlDatabase& db, Operation operation, const OperatorAction& action, const QString& detail);
    QString recordFault(const ProjectionFault& fault);
    void resetBatches();
    ProjectionBatch& batch(Target target);

    // Status.
    void setState(ProjectionState state);
    void updateStatus(const std::function<void(ProjectionStatus&)>& change, bool force = false);
    void publish(bool force);
    /// \a recovered: this was a successful read or write, so an earlier error is over.
    void noteProcessed(
        qint64 count, GlobalPosition checkpoint, const QDateTime& pendingSince, bool more, bool recovered = true);
    QString outdatedMessage() const;
    void refreshHead(bool force);

    ProjectionManager* m_manager;
    std::shared_ptr<Projection> m_projection;
    QSet<QString> m_types;
    QHash<QString, QString> m_liveTables;
    QHash<QString, QString> m_shadowTables;
    QString m_owner;
    QString m_lockKey;

    // Loop state (runner thread only).
    Row m_row;
    std::unique_ptr<ProjectionBatch> m_liveBatch;
    std::unique_ptr<ProjectionBatch> m_shadowBatch;
    bool m_holdsLock = false;
    qint64 m_lockPid = 0;
    std::chrono::steady_clock::time_point m_lastLockCheck;
    std::chrono::steady_clock::time_point m_lastRowRefresh;
    std::chrono::steady_clock::time_point m_lastHeadRefresh;
    std::chrono::milliseconds m_backoff { 0 };
    std::deque<std::pair<std::chrono::steady_clock::time_point, qint64>> m_rateSamples;
    /// When events were last applied (steady clock, ns): status() reports no rate after RateWindow without any.
    std::atomic<qint64> m_lastWorkNs { 0 };
    QDateTime m_pendingSince;

    QThread* m_thread = nullptr;

    // The next batch, read while this one is applied.
    struct Prefetch {
        GlobalPosition from = 0;
        QFuture<StoreResult<QList<RecordedEvent>>> future;
    };
    std::optional<Prefetch> m_prefetch;
    std::unique_ptr<QThreadPool> m_prefetchPool;

    // Shared with other threads.
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed; // status changed (waitForCheckpoint)
    std::condition_variable m_wakeUp; // wake(), requests, stop
    bool m_stop = false;
    bool m_woken = false;
    bool m_started = false;
    std::deque<std::shared_ptr<Request>> m_requests;
    ProjectionStatus m_status;
    std::chrono::steady_clock::time_point m_lastPublished;
    ProjectionState m_publishedState = ProjectionState::Stopped;
};

} // namespace EventScope
