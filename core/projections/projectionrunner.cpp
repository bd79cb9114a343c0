// SPDX-License-Identifier: Apache-2.0
#include "projectionrunner.h"

#include "projectionmanager.h"

#include "domain/eventtyperegistry.h"
#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace EventScope {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDateTime fromMs(const QVariant& value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString sqlError(const QSqlQuery& query, const QString& what)
{
    return ProjectionRunner::tr("%1 failed: %2").arg(what, query.lastError().text().trimmed());
}

// Runs \a sql with \a binds on \a db; returns the query, or sets \a error.
std::optional<QSqlQuery> execSql(QSqlDatabase& db, const QString& sql, const QVariantList& binds, QString* error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (binds.isEmpty()) { // DDL cannot be prepared on PostgreSQL
        if (!query.exec(sql)) {
            *error = sqlError(query, sql);
            return std::nullopt;
        }
        return query;
    }
    if (!query.prepare(sql)) {
        *error = sqlError(query, sql);
        return std::nullopt;
    }
    for (int i = 0; i < binds.size(); ++i)
        query.bindValue(i, binds.at(i));
    if (!query.exec()) {
        *error = sqlError(query, sql);
        return std::nullopt;
    }
    return query;
}

bool mayDo(ProjectionRunner::Operation operation, Role role)
{
    switch (operation) {
    case ProjectionRunner::Operation::Pause:
    case ProjectionRunner::Operation::Resume:
    case ProjectionRunner::Operation::Retry:
        return role == Role::Support || role == Role::Developer;
    case ProjectionRunner::Operation::Reset:
    case ProjectionRunner::Operation::Rebuild:
    case ProjectionRunner::Operation::CancelRebuild:
    case ProjectionRunner::Operation::Skip:
        return role == Role::Developer;
    }
    return false;
}

bool needsReason(ProjectionRunner::Operation operation)
{
    return operation != ProjectionRunner::Operation::Resume && operation != ProjectionRunner::Operation::Retry;
}

} // namespace

ProjectionRunner::ProjectionRunner(ProjectionManager* manager, std::shared_ptr<Projection> projection)
    : m_manager(manager)
    , m_projection(std::move(projection))
{
    for (const QString& type : m_projection->eventTypes())
        m_types.insert(type);
    for (const ReadModelTable& table : m_projection->tables()) {
        m_liveTables.insert(table.name, ReadModelTable::liveName(table.name));
        m_shadowTables.insert(table.name, ReadModelTable::shadowName(table.name));
    }
    m_owner = QSysInfo::machineHostName() + u':' + QString::number(QCoreApplication::applicationPid());
    const auto& settings = m_manager->store()->settings();
    m_lockKey = QStringLiteral("eventscope-projection:") + settings.postgresSchema + u':' + m_projection->name();
    m_status.name = m_projection->name();
    m_status.description = m_projection->description();
    m_status.version = m_projection->version();
}

ProjectionRunner::~ProjectionRunner()
{
    stop();
}

QString ProjectionRunner::operationName(Operation operation)
{
    switch (operation) {
    case Operation::Pause:
        return QStringLiteral("pause");
    case Operation::Resume:
        return QStringLiteral("resume");
    case Operation::Reset:
        return QStringLiteral("reset");
    case Operation::Rebuild:
        return QStringLiteral("rebuild");
    case Operation::CancelRebuild:
        return QStringLiteral("cancel-rebuild");
    case Operation::Retry:
        return QStringLiteral("retry");
    case Operation::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

void ProjectionRunner::start()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_started)
            return;
        m_started = true;
        m_stop = false;
        m_status.state = ProjectionState::CatchingUp; // not Stopped: waitForCheckpoint() must wait
    }
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("projection:") + m_projection->name());
    m_thread->start();
}

void ProjectionRunner::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_started)
            return;
        m_stop = true;
    }
    m_wakeUp.notify_all();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    std::deque<std::shared_ptr<Request>> refused;
    {
        std::lock_guard lock(m_mutex);
        m_started = false;
        refused.swap(m_requests);
    }
    for (const auto& request : refused)
        request->done.set_value(ProjectionError(ProjectionError::Code::InvalidState,
            tr("The projection %1 was stopped before the request was carried out. Start the projections and try "
               "again.")
                .arg(m_projection->name())));
    updateStatus([](ProjectionStatus& s) { s.state = ProjectionState::Stopped; }, true);
}

void ProjectionRunner::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wakeUp.notify_all();
}

bool ProjectionRunner::stopping() const
{
    std::lock_guard lock(m_mutex);
    return m_stop;
}

void ProjectionRunner::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_wakeUp.wait_for(lock, timeout, [this] { return m_stop || m_woken || !m_requests.empty(); });
    m_woken = false;
}

ProjectionStatus ProjectionRunner::status() const
{
    ProjectionStatus status;
    {
        std::lock_guard lock(m_mutex);
        status = m_status;
    }
    // The rate is recomputed per batch; a live projection with nothing to do runs no batch, so its last rate would
    // stay: it has applied nothing for the rate's window, so its rate is 0.
    const auto idle
        = std::chrono::steady_clock::now().time_since_epoch() - std::chrono::nanoseconds(m_lastWorkNs.load());
    if (idle > 3s) {
        status.eventsPerSecond = 0;
        status.eta.reset();
    }
    return status;
}

bool ProjectionRunner::waitForCheckpoint(GlobalPosition position, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] {
        return (m_status.checkpoint >= position && !m_status.rebuild && m_status.storedVersion == m_status.version)
            || m_status.state == ProjectionState::Faulted || m_status.state == ProjectionState::Stopped;
    }) && m_status.checkpoint >= position;
}

std::optional<ProjectionError> ProjectionRunner::request(Operation operation, const OperatorAction& action)
{
    const QString name = m_projection->name();
    if (!mayDo(operation, action.role))
        return ProjectionError(ProjectionError::Code::NotPermitted,
            tr("The role %1 may not %2 projections. %3")
                .arg(roleName(action.role), operationName(operation),
                    operation == Operation::Pause || operation == Operation::Resume || operation == Operation::Retry
                        ? tr("Ask someone with the support or developer role.")
                        : tr("Ask a developer.")));
    if (action.actor.trimmed().isEmpty())
        return ProjectionError(ProjectionError::Code::ReasonRequired,
            tr("Say who you are: the operator audit log records an actor for every action on a projection."));
    if (needsReason(operation) && action.reason.trimmed().isEmpty())
        return ProjectionError(ProjectionError::Code::ReasonRequired,
            tr("Give a reason to %1 the projection %2; it is recorded in the operator audit log.")
                .arg(operationName(operation), name));
    auto pending = std::make_shared<Request>(Request { operation, action, {} });
    auto future = pending->done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (!m_started || m_stop)
            return ProjectionError(ProjectionError::Code::InvalidState,
                tr("The projections are not running in this EventScope. Start them, then try again."));
        m_requests.push_back(pending);
    }
    m_wakeUp.notify_all();
    return future.get();
}

// ---- the loop -----------------------------------------------------------------------------------------------

void ProjectionRunner::run()
{
    m_backoff = 0ms;
    if (m_manager->store()->settings().readOnly) {
        updateStatus(
            [](ProjectionStatus& s) {
                s.state = ProjectionState::Stopped;
                s.lastError = tr("The store is open read-only: projections are not run. Open it for writing to run "
                                 "them; their read models stay as they are.");
            },
            true);
        std::unique_lock lock(m_mutex);
        m_wakeUp.wait(lock, [this] { return m_stop; });
        return;
    }
    updateStatus([](ProjectionStatus& s) { s.state = ProjectionState::CatchingUp; }, true);
    bool initialised = false;
    while (!stopping()) {
        if (!initialised) {
            initialised = initialise();
            if (!initialised) {
                processRequests();
                waitFor(m_holdsLock || m_backoff == 0ms ? m_manager->options().idleRefresh : m_backoff);
                continue;
            }
        }
        processRequests();
        checkLock();
        if (!m_holdsLock) {
            initialised = false;
            continue;
        }
        if (m_manager->options().operationsOnly) {
            waitFor(m_manager->options().idleRefresh);
            continue;
        }
        if (Clock::now() - m_lastRowRefresh >= m_manager->options().idleRefresh) {
            std::optional<Row> row;
            if (loadRow(&row).isEmpty() && row) {
                m_row.paused = row->paused; // another instance may have paused or resumed it
                m_lastRowRefresh = Clock::now();
            }
        }
        if (m_row.paused || m_row.fault) {
            setState(m_row.fault ? ProjectionState::Faulted : ProjectionState::Paused);
            refreshIdle();
            waitFor(m_manager->options().idleRefresh);
            continue;
        }
        if (!m_row.shadow && m_row.version != m_projection->version()) {
            // Resumed after a cancelled upgrade: this build cannot apply the old version, so it rebuilds again.
            initialised = false;
            continue;
        }
        switch (step()) {
        case BatchOutcome::Progress:
        case BatchOutcome::Conflict:
            m_backoff = 0ms;
            break;
        case BatchOutcome::CaughtUp:
            m_backoff = 0ms;
            waitFor(m_manager->options().pollInterval);
            break;
        case BatchOutcome::Transient:
            checkLock(true);
            m_backoff = m_backoff == 0ms ? m_manager->options().retryDelay
                                         : std::min<std::chrono::milliseconds>(m_backoff * 2, 30s);
            waitFor(m_backoff);
            break;
        case BatchOutcome::Faulted:
            break;
        case BatchOutcome::Stopped:
            break;
        }
    }
    processRequests();
    dropPrefetch();
    m_liveBatch.reset();
    m_shadowBatch.reset();
    if (m_holdsLock && m_manager->store()->settings().backend == StoreSettings::Backend::Postgres) {
        if (auto db = m_manager->store()->threadConnection()) {
            QString error;
            execSql(db.value(), QStringLiteral("SELECT pg_advisory_unlock(hashtext(?))"), { m_lockKey }, &error);
        }
    }
    m_holdsLock = false;
}

bool ProjectionRunner::acquireLock()
{
    if (m_manager->store()->settings().backend != StoreSettings::Backend::Postgres)
        return true;
    auto db = m_manager->store()->threadConnection();
    if (!db)
        return false;
    QString error;
    auto query = execSql(db.value(), QStringLiteral("SELECT pg_try_advisory_lock(hashtext(?)), pg_backend_pid()"),
        { m_lockKey }, &error);
    if (!query || !query->next()) {
        m_manager->store()->dropDeadThreadConnection();
        updateStatus([&](ProjectionStatus& s) { s.lastError = error; });
        return false;
    }
    m_lockPid = query->value(1).toLongLong();
    return query->value(0).toBool();
}

// On PostgreSQL the lock goes with the session: after a reconnect (the store reconnects by itself when a
// connection dies) this runner no longer holds it, and another instance may have taken over. The checkpoint
// compare-and-set keeps the read model right even in that window; this check makes the runner take the lock
// again, or step back to RunningElsewhere.
void ProjectionRunner::checkLock(bool now)
{
    if (m_manager->store()->settings().backend != StoreSettings::Backend::Postgres || !m_holdsLock)
        return;
    if (!now && Clock::now() - m_lastLockCheck < 2s)
        return;
    m_lastLockCheck = Clock::now();
    auto db = m_manager->store()->threadConnection();
    if (!db) {
        m_holdsLock = false;
        return;
    }
    QString error;
    auto query = execSql(db.value(), QStringLiteral("SELECT pg_backend_pid()"), {}, &error);
    if (!query || !query->next()) {
        m_manager->store()->dropDeadThreadConnection();
        m_holdsLock = false;
        return;
    }
    if (query->value(0).toLongLong() != m_lockPid) {
        qCInfo(lcProjections).noquote() << "projection" << m_projection->name()
                                        << "reconnected to the database; taking its lock again";
        m_holdsLock = false;
    }
}

bool ProjectionRunner::initialise()
{
    resetBatches();
    if (!m_holdsLock) {
        m_holdsLock = acquireLock();
        if (!m_holdsLock) {
            std::optional<Row> row;
            loadRow(&row);
            if (row)
                m_row = *row;
            setState(ProjectionState::RunningElsewhere);
            updateStatus([&](ProjectionStatus& s) {
                s.owner = row ? row->owner : QString();
                s.checkpoint = row ? row->position : 0;
                s.storedVersion = row ? row->version : 0;
                s.fault = row ? row->fault : std::nullopt;
                s.rebuild = row ? row->shadow : std::nullopt;
            });
            refreshHead(true);
            return false;
        }
        m_lastLockCheck = Clock::now();
    }

    const QString error = writeTransaction([&](QSqlDatabase& db) -> QString {
        std::optional<Row> row;
        if (QString e = loadRow(&row); !e.isEmpty())
            return e;
        if (!row) {
            if (QString e = createTables(db, Target::Live); !e.isEmpty())
                return e;
            QString e;
            if (!execSql(db,
                    QStringLiteral("INSERT INTO es_projections (name, version, position, paused, owner, updated_at) "
                                   "VALUES (?, ?, 0, 0, ?, ?)"),
                    { m_projection->name(), m_projection->version(), m_owner, nowMs() }, &e))
                return e;
            m_row = Row { m_projection->version(), 0, false, std::nullopt, std::nullopt, m_owner };
            return {};
        }
        m_row = *row;
        QString e;
        if (!execSql(db, QStringLiteral("UPDATE es_projections SET owner = ? WHERE name = ?"),
                { m_owner, m_projection->name() }, &e))
            return e;
        m_row.owner = m_owner;
        // A new version of the code: build its read model next to the old one, which serves meanwhile.
        const bool outdated = m_row.version != m_projection->version();
        const bool shadowOutdated = m_row.shadow && m_row.shadow->version != m_projection->version();
        if ((outdated && !m_row.shadow) || shadowOutdated) {
            if (QString e2 = createTables(db, Target::Shadow); !e2.isEmpty())
                return e2;
            ProjectionRebuild rebuild;
            rebuild.version = m_projection->version();
            rebuild.reason = tr("version %1 → %2").arg(m_row.version).arg(m_projection->version());
            rebuild.startedAt = QDateTime::currentDateTimeUtc();
            if (!execSql(db,
                    QStringLiteral(
                        "UPDATE es_projections SET shadow_version = ?, shadow_position = 0, shadow_reason = ?, "
                        "shadow_started_at = ?, fault_position = NULL, fault_stream = NULL, fault_type = "
                        "NULL, fault_error = NULL, fault_at = NULL, updated_at = ? WHERE name = ?"),
                    { rebuild.version, rebuild.reason, rebuild.startedAt.toMSecsSinceEpoch(), nowMs(),
                        m_projection->name() },
                    &e))
                return e;
            OperatorAction system { QStringLiteral("eventscope"), Role::Developer, rebuild.reason };
            if (QString e2 = audit(db, Operation::Rebuild, system,
                    QStringLiteral(R"({"automatic":true,"fromVersion":%1,"toVersion":%2})")
                        .arg(m_row.version)
                        .arg(rebuild.version));
                !e2.isEmpty())
                return e2;
            m_row.shadow = rebuild;
            m_row.fault.reset();
            qCInfo(lcProjections).noquote()
                << "rebuilding" << m_projection->name() << "into shadow tables:" << rebuild.reason;
        }
        return {};
    });
    if (!error.isEmpty()) {
        m_backoff = m_backoff == 0ms ? m_manager->options().retryDelay
                                     : std::min<std::chrono::milliseconds>(m_backoff * 2, 30s);
        qCWarning(lcProjections).noquote() << "cannot start projection" << m_projection->name() << ":" << error;
        updateStatus([&](ProjectionStatus& s) { s.lastError = error; }, true);
        return false;
    }
    m_backoff = 0ms;
    m_lastRowRefresh = Clock::now();
    updateStatus(
        [&](ProjectionStatus& s) {
            s.owner = m_owner;
            s.checkpoint = m_row.position;
            s.storedVersion = m_row.version;
            s.fault = m_row.fault;
            s.rebuild = m_row.shadow;
            s.lastError.clear();
        },
        true);
    if (m_row.paused && !m_row.shadow && m_row.version != m_projection->version())
        updateStatus([&](ProjectionStatus& s) { s.lastError = outdatedMessage(); });
    refreshHead(true);
    setState(m_row.fault   ? ProjectionState::Faulted
            : m_row.paused ? ProjectionState::Paused
            : m_row.shadow ? ProjectionState::Rebuilding
                           : ProjectionState::CatchingUp);
    return true;
}

// While a batch is applied, the next one is read on the prefetch thread (its own connection): catching up
// costs about the slower of reading and writing instead of their sum. Only after a full batch, so a live
// projection does not poll twice; a prefetch for another position (after a conflict, a skip, a swap) is dropped.
StoreResult<QList<RecordedEvent>> ProjectionRunner::readBatch(GlobalPosition from)
{
    const int batchSize = m_manager->options().batchSize;
    std::optional<StoreResult<QList<RecordedEvent>>> events;
    if (m_prefetch) {
        m_prefetch->future.waitForFinished();
        if (m_prefetch->from == from)
            events = m_prefetch->future.result();
        m_prefetch.reset();
    }
    if (!events)
        events = m_manager->store()->readAll(from, batchSize);
    if (events->ok() && events->value().size() >= batchSize) {
        if (!m_prefetchPool) {
            m_prefetchPool = std::make_unique<QThreadPool>();
            m_prefetchPool->setMaxThreadCount(1);
            m_prefetchPool->setExpiryTimeout(-1); // keep the thread, and with it its connection
        }
        const GlobalPosition next = events->value().last().position;
        std::shared_ptr<SqlEventStore> store = m_manager->store();
        m_prefetch = Prefetch { next, QtConcurrent::run(m_prefetchPool.get(), [store, next, batchSize] {
                                   return store->readAll(next, batchSize);
                               }) };
    }
    return std::move(*events);
}

void ProjectionRunner::dropPrefetch()
{
    if (m_prefetch) {
        m_prefetch->future.waitForFinished();
        m_prefetch.reset();
    }
    if (m_prefetchPool) {
        m_prefetchPool->waitForDone();
        m_prefetchPool.reset(); // its thread ends and closes its connection
    }
}

ProjectionRunner::BatchOutcome ProjectionRunner::step()
{
    const Target target = m_row.shadow ? Target::Shadow : Target::Live;
    const GlobalPosition from = target == Target::Shadow ? m_row.shadow->position : m_row.position;
    auto events = readBatch(from);
    if (!events) {
        updateStatus([&](ProjectionStatus& s) { s.lastError = events.error().message(); });
        return BatchOutcome::Transient;
    }
    if (events->isEmpty()) {
        if (target == Target::Shadow)
            return swapShadow() ? BatchOutcome::Progress : BatchOutcome::Transient;
        refreshHead(false);
        setState(ProjectionState::Live);
        noteProcessed(0, from, {}, false);
        return BatchOutcome::CaughtUp;
    }
    m_pendingSince = events->first().recordedAt;
    setState(target == Target::Shadow ? ProjectionState::Rebuilding
            : m_status.state == ProjectionState::Live && events->size() < m_manager->options().batchSize
            ? ProjectionState::Live
            : ProjectionState::CatchingUp);

    qsizetype failedAt = -1;
    QString error;
    BatchOutcome outcome = commit(target, from, events.value(), 0, events->size(), &failedAt, &error);
    if (outcome == BatchOutcome::Faulted && events->size() > 1) {
        // Find the event: apply the batch one event per transaction up to the one that fails.
        GlobalPosition expected = from;
        outcome = BatchOutcome::Progress;
        for (qsizetype i = 0; i < events->size(); ++i) {
            outcome = commit(target, expected, events.value(), i, i + 1, &failedAt, &error);
            if (outcome != BatchOutcome::Progress)
                break;
            expected = events->at(i).position;
        }
        if (outcome == BatchOutcome::Progress)
            return outcome; // it failed as a whole, but not event by event (flush coalescing); now it is applied
    }
    if (outcome == BatchOutcome::Faulted) {
        const RecordedEvent& event = events->at(failedAt < 0 ? 0 : failedAt);
        ProjectionFault fault { event.position, event.streamId, event.eventType, error,
            QDateTime::currentDateTimeUtc() };
        qCWarning(lcProjections).noquote() << "projection" << m_projection->name() << "faulted on event"
                                           << event.position << event.eventType << ":" << error;
        if (QString e = recordFault(fault); !e.isEmpty()) {
            updateStatus([&](ProjectionStatus& s) { s.lastError = e; });
            return BatchOutcome::Transient;
        }
        m_row.fault = fault;
        updateStatus([&](ProjectionStatus& s) {
            s.fault = fault;
            s.lastError = error;
        });
        setState(ProjectionState::Faulted);
        Q_EMIT m_manager->faulted(m_projection->name(), fault);
        return outcome;
    }
    if (outcome == BatchOutcome::Transient)
        updateStatus([&](ProjectionStatus& s) { s.lastError = error; });
    if (outcome == BatchOutcome::Conflict) {
        std::optional<Row> row;
        if (loadRow(&row).isEmpty() && row)
            m_row = *row;
        qCInfo(lcProjections).noquote() << "projection" << m_projection->name()
                                        << "was moved on by another process; continuing from its checkpoint";
    }
    return outcome;
}

ProjectionRunner::BatchOutcome ProjectionRunner::commit(Target target, GlobalPosition expected,
    const QList<RecordedEvent>& events, qsizetype begin, qsizetype end, qsizetype* failedAt, QString* error)
{
    const auto started = Clock::now();
    QMutex* writeMutex = m_manager->store()->writeMutex();
    std::unique_lock<QMutex> writeLock;
    if (writeMutex)
        writeLock = std::unique_lock<QMutex>(*writeMutex);
    auto connection = m_manager->store()->threadConnection();
    if (!connection) {
        *error = connection.error().message();
        return BatchOutcome::Transient;
    }
    QSqlDatabase& db = connection.value();
    const auto transient = [&](const QString& message) {
        *error = message;
        db.rollback();
        m_projection->discard();
        if (m_manager->store()->dropDeadThreadConnection())
            resetBatches();
        return BatchOutcome::Transient;
    };
    if (!m_manager->store()->dialect().beginWrite(db))
        return transient(tr("Could not begin a transaction: %1").arg(db.lastError().text().trimmed()));

    // Compare-and-set: the checkpoint must still be where this batch starts.
    const bool postgres = m_manager->store()->settings().backend == StoreSettings::Backend::Postgres;
    const QString column = target == Target::Shadow ? QStringLiteral("shadow_position") : QStringLiteral("position");
    QString e;
    auto current = execSql(db,
        QStringLiteral("SELECT %1 FROM es_projections WHERE name = ?%2")
            .arg(column, postgres ? QStringLiteral(" FOR UPDATE") : QString()),
        { m_projection->name() }, &e);
    if (!current)
        return transient(e);
    if (!current->next() || current->value(0).isNull() || current->value(0).toLongLong() != expected) {
        current.reset();
        db.rollback();
        return BatchOutcome::Conflict;
    }
    current.reset();

    ProjectionBatch& writer = batch(target);
    writer.clearError();
    // Runs one call of the projection; an error it returns, an exception or a failed write fails the batch.
    const auto failed = [&](const std::function<QString()>& call, qsizetype culprit) -> std::optional<BatchOutcome> {
        QString refusal;
        try {
            refusal = call();
        } catch (const std::exception& ex) {
            refusal = tr("The projection threw: %1").arg(QString::fromLocal8Bit(ex.what()));
        } catch (...) {
            refusal = tr("The projection threw an exception that is not a std::exception.");
        }
        if (refusal.isEmpty() && writer.error())
            refusal = writer.error()->message();
        if (refusal.isEmpty())
            return std::nullopt;
        if (writer.failedTransiently())
            return transient(refusal);
        *failedAt = culprit;
        *error = refusal;
        db.rollback();
        m_projection->discard();
        return BatchOutcome::Faulted;
    };
    for (qsizetype i = begin; i < end; ++i) {
        const RecordedEvent& event = events.at(i);
        if (!m_types.isEmpty() && !m_types.contains(event.eventType))
            continue;
        if (const auto outcome = failed([&] { return m_projection->apply(event, writer); }, i))
            return *outcome;
    }
    // A flush that fails is pinned on the event only when the batch has one; else the caller replays event by event.
    if (const auto outcome = failed([&] { return m_projection->flush(writer); }, end - begin == 1 ? begin : -1))
        return *outcome;
    const GlobalPosition last = events.at(end - 1).position;
    if (!execSql(db, QStringLiteral("UPDATE es_projections SET %1 = ?, updated_at = ? WHERE name = ?").arg(column),
            { last, nowMs(), m_projection->name() }, &e))
        return transient(e);
    if (!db.commit())
        return transient(tr("Could not commit the batch: %1").arg(db.lastError().text().trimmed()));
    writeLock = {};

    if (target == Target::Shadow)
        m_row.shadow->position = last;
    else
        m_row.position = last;
    const bool more = end == events.size() && events.size() >= m_manager->options().batchSize;
    if (end == events.size())
        m_pendingSince = more ? events.last().recordedAt : QDateTime();
    else
        m_pendingSince = events.at(end).recordedAt;
    Q_UNUSED(started);
    noteProcessed(end - begin, last, m_pendingSince, more || end < events.size());
    return BatchOutcome::Progress;
}

bool ProjectionRunner::swapShadow()
{
    const ProjectionRebuild rebuild = *m_row.shadow;
    const QString error = writeTransaction([&](QSqlDatabase& db) -> QString {
        QString e;
        auto current
            = execSql(db, QStringLiteral("SELECT shadow_position, shadow_version FROM es_projections WHERE name = ?"),
                { m_projection->name() }, &e);
        if (!current)
            return e;
        if (!current->next() || current->value(0).toLongLong() != rebuild.position
            || current->value(1).toInt() != rebuild.version)
            return tr("The rebuild of %1 was changed by another process.").arg(m_projection->name());
        current.reset();
        for (const ReadModelTable& table : m_projection->tables()) {
            if (!execSql(db, QStringLiteral("DROP TABLE IF EXISTS ") + ReadModelTable::liveName(table.name), {}, &e))
                return e;
            if (!execSql(db,
                    QStringLiteral("ALTER TABLE %1 RENAME TO %2")
                        .arg(ReadModelTable::shadowName(table.name), ReadModelTable::liveName(table.name)),
                    {}, &e))
                return e;
        }
        if (!execSql(db,
                QStringLiteral("UPDATE es_projections SET version = shadow_version, position = shadow_position, "
                               "shadow_version = NULL, shadow_position = NULL, shadow_reason = NULL, "
                               "shadow_started_at = NULL, updated_at = ? WHERE name = ?"),
                { nowMs(), m_projection->name() }, &e))
            return e;
        return {};
    });
    resetBatches();
    if (!error.isEmpty()) {
        updateStatus([&](ProjectionStatus& s) { s.lastError = error; });
        std::optional<Row> row;
        if (loadRow(&row).isEmpty() && row)
            m_row = *row;
        return false;
    }
    m_row.version = rebuild.version;
    m_row.position = rebuild.position;
    m_row.shadow.reset();
    qCInfo(lcProjections).noquote() << "projection" << m_projection->name() << "rebuilt (version" << rebuild.version
                                    << "), swapped in at position" << rebuild.position;
    updateStatus(
        [&](ProjectionStatus& s) {
            s.storedVersion = rebuild.version;
            s.checkpoint = rebuild.position;
            s.rebuild.reset();
        },
        true);
    setState(ProjectionState::Live);
    Q_EMIT m_manager->rebuildFinished(m_projection->name(), rebuild.version);
    return true;
}

// ---- operations ---------------------------------------------------------------------------------------------

void ProjectionRunner::processRequests()
{
    while (true) {
        std::shared_ptr<Request> next;
        {
            std::lock_guard lock(m_mutex);
            if (m_requests.empty())
                return;
            next = m_requests.front();
            m_requests.pop_front();
        }
        next->done.set_value(carryOut(next->operation, next->action));
    }
}

std::optional<ProjectionError> ProjectionRunner::carryOut(Operation operation, const OperatorAction& action)
{
    const QString name = m_projection->name();
    const auto refuse
        = [](ProjectionError::Code code, const QString& message) { return ProjectionError(code, message); };
    const bool running = m_holdsLock;
    // Pause and resume are a flag in the store: the instance that runs the projection picks it up.
    if (!running && operation != Operation::Pause && operation != Operation::Resume)
        return refuse(ProjectionError::Code::RunningElsewhere,
            tr("The projection %1 runs in another EventScope instance (%2). Do this there, or stop that instance.")
                .arg(name, m_status.owner.isEmpty() ? tr("unknown") : m_status.owner));
    if (operation == Operation::Skip || operation == Operation::Retry) {
        if (!m_row.fault)
            return refuse(ProjectionError::Code::InvalidState,
                tr("The projection %1 is not faulted; there is no event to %2.").arg(name, operationName(operation)));
    }
    if (operation == Operation::CancelRebuild && !m_row.shadow)
        return refuse(ProjectionError::Code::InvalidState, tr("The projection %1 is not being rebuilt.").arg(name));
    if (operation == Operation::Pause && m_row.paused)
        return refuse(ProjectionError::Code::InvalidState, tr("The projection %1 is paused already.").arg(name));
    if (operation == Operation::Resume && !m_row.paused)
        return refuse(ProjectionError::Code::InvalidState, tr("The projection %1 is not paused.").arg(name));

    Row after = m_row;
    QString detail = QStringLiteral("{}");
    const QString error = writeTransaction([&](QSqlDatabase& db) -> QString {
        QString e;
        const auto exec
            = [&](const QString& sql, const QVariantList& binds) { return execSql(db, sql, binds, &e).has_value(); };
        switch (operation) {
        case Operation::Pause:
        case Operation::Resume:
            after.paused = operation == Operation::Pause;
            if (!exec(QStringLiteral("UPDATE es_projections SET paused = ?, updated_at = ? WHERE name = ?"),
                    { after.paused ? 1 : 0, nowMs(), name }))
                return e;
            break;
        case Operation::Reset: {
            detail = QStringLiteral(R"({"checkpoint":%1,"version":%2})").arg(m_row.position).arg(m_row.version);
            if (QString e2 = dropTables(db, Target::Shadow); !e2.isEmpty())
                return e2;
            if (QString e2 = dropTables(db, Target::Live); !e2.isEmpty())
                return e2;
            if (QString e2 = createTables(db, Target::Live); !e2.isEmpty())
                return e2;
            if (!exec(QStringLiteral("UPDATE es_projections SET version = ?, position = 0, fault_position = NULL, "
                                     "fault_stream = NULL, fault_type = NULL, fault_error = NULL, fault_at = NULL, "
                                     "shadow_version = NULL, shadow_position = NULL, shadow_reason = NULL, "
                                     "shadow_started_at = NULL, updated_at = ? WHERE name = ?"),
                    { m_projection->version(), nowMs(), name }))
                return e;
            after.version = m_projection->version();
            after.position = 0;
            after.fault.reset();
            after.shadow.reset();
            break;
        }
        case Operation::Rebuild: {
            if (QString e2 = createTables(db, Target::Shadow); !e2.isEmpty())
                return e2;
            ProjectionRebuild rebuild;
            rebuild.version = m_projection->version();
            rebuild.reason = action.reason;
            rebuild.startedAt = QDateTime::currentDateTimeUtc();
            if (!exec(QStringLiteral("UPDATE es_projections SET shadow_version = ?, shadow_position = 0, "
                                     "shadow_reason = ?, shadow_started_at = ?, fault_position = NULL, fault_stream = "
                                     "NULL, fault_type = NULL, fault_error = NULL, fault_at = NULL, updated_at = ? "
                                     "WHERE name = ?"),
                    { rebuild.version, rebuild.reason, rebuild.startedAt.toMSecsSinceEpoch(), nowMs(), name }))
                return e;
            detail = QStringLiteral(R"({"checkpoint":%1,"version":%2,"restarted":%3})")
                         .arg(m_row.position)
                         .arg(rebuild.version)
                         .arg(m_row.shadow ? QStringLiteral("true") : QStringLiteral("false"));
            after.shadow = rebuild;
            after.fault.reset();
            break;
        }
        case Operation::CancelRebuild: {
            if (QString e2 = dropTables(db, Target::Shadow); !e2.isEmpty())
                return e2;
            // The old code's read model cannot be kept up to date by this version: it stays paused until rebuilt.
            const bool outdated = m_row.version != m_projection->version();
            if (!exec(QStringLiteral("UPDATE es_projections SET shadow_version = NULL, shadow_position = NULL, "
                                     "shadow_reason = NULL, shadow_started_at = NULL, fault_position = NULL, "
                                     "fault_stream = NULL, fault_type = NULL, fault_error = NULL, fault_at = NULL, "
                                     "paused = ?, updated_at = ? WHERE name = ?"),
                    { outdated || m_row.paused ? 1 : 0, nowMs(), name }))
                return e;
            detail = QStringLiteral(R"({"shadowPosition":%1,"version":%2})")
                         .arg(m_row.shadow->position)
                         .arg(m_row.shadow->version);
            after.shadow.reset();
            after.fault.reset();
            after.paused = outdated || m_row.paused;
            break;
        }
        case Operation::Retry:
            detail
                = QString::fromUtf8(QJsonDocument(QJsonObject { { QStringLiteral("position"), m_row.fault->position },
                                                      { QStringLiteral("eventType"), m_row.fault->eventType },
                                                      { QStringLiteral("error"), m_row.fault->error } })
                                        .toJson(QJsonDocument::Compact));
            if (!exec(QStringLiteral("UPDATE es_projections SET fault_position = NULL, fault_stream = NULL, "
                                     "fault_type = NULL, fault_error = NULL, fault_at = NULL, updated_at = ? WHERE "
                                     "name = ?"),
                    { nowMs(), name }))
                return e;
            after.fault.reset();
            break;
        case Operation::Skip: {
            const ProjectionFault& fault = *m_row.fault;
            detail = QString::fromUtf8(QJsonDocument(
                QJsonObject { { QStringLiteral("position"), fault.position },
                    { QStringLiteral("streamId"), fault.streamId }, { QStringLiteral("eventType"), fault.eventType },
                    { QStringLiteral("error"), fault.error },
                    { QStringLiteral("target"), m_row.shadow ? QStringLiteral("shadow") : QStringLiteral("live") } })
                                           .toJson(QJsonDocument::Compact));
            const QString column = m_row.shadow ? QStringLiteral("shadow_position") : QStringLiteral("position");
            const GlobalPosition expected = m_row.shadow ? m_row.shadow->position : m_row.position;
            auto current
                = execSql(db, QStringLiteral("SELECT %1 FROM es_projections WHERE name = ?").arg(column), { name }, &e);
            if (!current)
                return e;
            if (!current->next() || current->value(0).toLongLong() != expected)
                return tr("The checkpoint of %1 moved meanwhile; look at the projection again.").arg(name);
            current.reset();
            if (!exec(QStringLiteral("UPDATE es_projections SET %1 = ?, fault_position = NULL, fault_stream = NULL, "
                                     "fault_type = NULL, fault_error = NULL, fault_at = NULL, updated_at = ? WHERE "
                                     "name = ?")
                          .arg(column),
                    { fault.position, nowMs(), name }))
                return e;
            if (after.shadow)
                after.shadow->position = fault.position;
            else
                after.position = fault.position;
            after.fault.reset();
            break;
        }
        }
        return audit(db, operation, action, detail);
    });
    if (!error.isEmpty())
        return refuse(ProjectionError::Code::Store,
            tr("Could not %1 the projection %2: %3").arg(operationName(operation), name, error));
    if (operation == Operation::Reset || operation == Operation::Rebuild || operation == Operation::CancelRebuild)
        resetBatches();
    m_row = after;
    qCInfo(lcProjections).noquote() << action.actor << "(" << roleName(action.role) << ")" << operationName(operation)
                                    << name << ":" << action.reason;
    updateStatus(
        [&](ProjectionStatus& s) {
            s.checkpoint = m_row.position;
            s.storedVersion = m_row.version;
            s.fault = m_row.fault;
            s.rebuild = m_row.shadow;
            if (!m_row.fault)
                s.lastError.clear();
            if (operation == Operation::CancelRebuild && m_row.version != m_projection->version())
                s.lastError = outdatedMessage();
        },
        true);
    if (!running) {
        setState(ProjectionState::RunningElsewhere);
        return std::nullopt;
    }
    setState(m_row.fault   ? ProjectionState::Faulted
            : m_row.paused ? ProjectionState::Paused
            : m_row.shadow ? ProjectionState::Rebuilding
                           : ProjectionState::CatchingUp);
    return std::nullopt;
}

// ---- SQL helpers --------------------------------------------------------------------------------------------

QString ProjectionRunner::loadRow(std::optional<Row>* row)
{
    auto db = m_manager->store()->threadConnection();
    if (!db)
        return db.error().message();
    QString e;
    auto query = execSql(db.value(),
        QStringLiteral("SELECT version, position, paused, fault_position, fault_stream, fault_type, fault_error, "
                       "fault_at, shadow_version, shadow_position, shadow_reason, shadow_started_at, owner FROM "
                       "es_projections WHERE name = ?"),
        { m_projection->name() }, &e);
    if (!query) {
        m_manager->store()->dropDeadThreadConnection();
        return e;
    }
    row->reset();
    if (!query->next())
        return {};
    Row r;
    r.version = query->value(0).toInt();
    r.position = query->value(1).toLongLong();
    r.paused = query->value(2).toInt() != 0;
    if (!query->value(3).isNull())
        r.fault = ProjectionFault { query->value(3).toLongLong(), query->value(4).toString(),
            query->value(5).toString(), query->value(6).toString(), fromMs(query->value(7)) };
    if (!query->value(8).isNull()) {
        ProjectionRebuild rebuild;
        rebuild.version = query->value(8).toInt();
        rebuild.position = query->value(9).toLongLong();
        rebuild.reason = query->value(10).toString();
        rebuild.startedAt = fromMs(query->value(11));
        r.shadow = rebuild;
    }
    r.owner = query->value(12).toString();
    *row = r;
    return {};
}

QString ProjectionRunner::writeTransaction(const std::function<QString(QSqlDatabase&)>& work)
{
    QMutex* writeMutex = m_manager->store()->writeMutex();
    std::unique_lock<QMutex> writeLock;
    if (writeMutex)
        writeLock = std::unique_lock<QMutex>(*writeMutex);
    auto connection = m_manager->store()->threadConnection();
    if (!connection)
        return connection.error().message();
    QSqlDatabase& db = connection.value();
    if (!m_manager->store()->dialect().beginWrite(db)) {
        const QString error = tr("Could not begin a transaction: %1").arg(db.lastError().text().trimmed());
        m_manager->store()->dropDeadThreadConnection();
        return error;
    }
    QString error = work(db);
    if (error.isEmpty() && !db.commit())
        error = tr("Could not commit: %1").arg(db.lastError().text().trimmed());
    if (!error.isEmpty()) {
        db.rollback();
        m_manager->store()->dropDeadThreadConnection();
    }
    return error;
}

QString ProjectionRunner::createTables(QSqlDatabase& db, Target target)
{
    if (target == Target::Shadow) {
        if (QString e = dropTables(db, Target::Shadow); !e.isEmpty())
            return e;
    }
    // Index names must be unique in the schema and survive the rename of a shadow table: they carry a stamp.
    const QString stamp = QString::number(nowMs(), 36);
    QString e;
    for (const ReadModelTable& table : m_projection->tables()) {
        const QString physical
            = target == Target::Shadow ? ReadModelTable::shadowName(table.name) : ReadModelTable::liveName(table.name);
        QStringList definition = table.columns;
        if (!table.primaryKey.isEmpty())
            definition << QStringLiteral("PRIMARY KEY (%1)").arg(table.primaryKey.join(QStringLiteral(", ")));
        if (!execSql(db,
                QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)")
                    .arg(physical, definition.join(QStringLiteral(", "))),
                {}, &e))
            return e;
        for (qsizetype i = 0; i < table.indexes.size(); ++i) {
            const QString index = QStringLiteral("ix_%1_%2_%3").arg(table.name).arg(i).arg(stamp);
            if (!execSql(db,
                    QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)")
                        .arg(index, physical, table.indexes.at(i).join(QStringLiteral(", "))),
                    {}, &e))
                return e;
        }
    }
    return {};
}

QString ProjectionRunner::dropTables(QSqlDatabase& db, Target target)
{
    QString e;
    for (const ReadModelTable& table : m_projection->tables()) {
        const QString physical
            = target == Target::Shadow ? ReadModelTable::shadowName(table.name) : ReadModelTable::liveName(table.name);
        if (!execSql(db, QStringLiteral("DROP TABLE IF EXISTS ") + physical, {}, &e))
            return e;
    }
    return {};
}

QString ProjectionRunner::audit(
    QSqlDatabase& db, Operation operation, const OperatorAction& action, const QString& detail)
{
    QString e;
    if (!execSql(db,
            QStringLiteral("INSERT INTO es_operator_audit (at, actor, role, action, projection, reason, detail) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)"),
            { nowMs(), action.actor.trimmed(), roleName(action.role), operationName(operation), m_projection->name(),
                action.reason.isNull() ? QStringLiteral("") : action.reason.trimmed(), detail },
            &e))
        return e;
    return {};
}

QString ProjectionRunner::recordFault(const ProjectionFault& fault)
{
    return writeTransaction([&](QSqlDatabase& db) -> QString {
        QString e;
        if (!execSql(db,
                QStringLiteral("UPDATE es_projections SET fault_position = ?, fault_stream = ?, fault_type = ?, "
                               "fault_error = ?, fault_at = ?, updated_at = ? WHERE name = ?"),
                { fault.position, fault.streamId, fault.eventType, fault.error, fault.at.toMSecsSinceEpoch(), nowMs(),
                    m_projection->name() },
                &e))
            return e;
        return {};
    });
}

void ProjectionRunner::resetBatches()
{
    m_liveBatch.reset();
    m_shadowBatch.reset();
}

ProjectionBatch& ProjectionRunner::batch(Target target)
{
    auto& slot = target == Target::Shadow ? m_shadowBatch : m_liveBatch;
    if (!slot) {
        auto db = m_manager->store()->threadConnection();
        slot = std::make_unique<ProjectionBatch>(db ? db.value() : QSqlDatabase(), target,
            target == Target::Shadow ? m_shadowTables : m_liveTables, m_manager->m_registry);
    }
    return *slot;
}

QString ProjectionRunner::outdatedMessage() const
{
    return tr("The read model is at version %1 and this EventScope applies version %2: it stays paused as it is "
              "until you resume it, which rebuilds it.")
        .arg(m_row.version)
        .arg(m_projection->version());
}

// ---- status -------------------------------------------------------------------------------------------------

void ProjectionRunner::refreshIdle()
{
    refreshHead(false);
    const GlobalPosition from = m_row.shadow ? m_row.shadow->position : m_row.position;
    auto next = m_manager->store()->readAll(from, 1);
    m_pendingSince = next && !next->isEmpty() ? next->first().recordedAt : QDateTime();
    noteProcessed(0, from, m_pendingSince, m_pendingSince.isValid(), false);
}

void ProjectionRunner::refreshHead(bool force)
{
    if (!force && Clock::now() - m_lastHeadRefresh < 500ms)
        return;
    m_lastHeadRefresh = Clock::now();
    auto head = m_manager->store()->headPosition();
    if (!head)
        return;
    updateStatus([&](ProjectionStatus& s) { s.head = head.value(); });
}

void ProjectionRunner::noteProcessed(
    qint64 count, GlobalPosition checkpoint, const QDateTime& pendingSince, bool more, bool recovered)
{
    const auto now = Clock::now();
    if (count > 0)
        m_lastWorkNs.store(std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
    if (count > 0 || m_rateSamples.empty())
        m_rateSamples.emplace_back(now, count);
    while (m_rateSamples.size() > 1 && now - m_rateSamples.front().first > 3s)
        m_rateSamples.pop_front();
    double rate = 0;
    if (m_rateSamples.size() > 1) {
        qint64 total = 0;
        for (auto it = std::next(m_rateSamples.begin()); it != m_rateSamples.end(); ++it)
            total += it->second;
        const double seconds = std::chrono::duration<double>(now - m_rateSamples.front().first).count();
        rate = seconds > 0 ? total / seconds : 0;
    }
    if (more)
        refreshHead(false);
    const bool shadow = m_row.shadow.has_value();
    updateStatus([&](ProjectionStatus& s) {
        if (shadow) {
            s.rebuild = m_row.shadow;
            s.rebuild->target = std::max(s.head, checkpoint);
        } else {
            s.checkpoint = checkpoint;
            s.rebuild.reset();
        }
        s.storedVersion = m_row.version;
        if (!more && !shadow)
            s.head = std::max(s.head, checkpoint);
        const GlobalPosition reference = shadow ? s.rebuild->position : s.checkpoint;
        s.lagEvents = more || s.head > reference ? std::max<qint64>(0, s.head - reference) : 0;
        s.lagTime = s.lagEvents > 0 && pendingSince.isValid()
            ? std::chrono::milliseconds(std::max<qint64>(0, pendingSince.msecsTo(QDateTime::currentDateTimeUtc())))
            : 0ms;
        s.eventsProcessed += count;
        s.eventsPerSecond = rate;
        if (rate > 0 && s.lagEvents > 0)
            s.eta = std::chrono::milliseconds(qint64(1000.0 * double(s.lagEvents) / rate));
        else
            s.eta.reset();
        if (recovered)
            s.lastError.clear();
    });
}

void ProjectionRunner::setState(ProjectionState state)
{
    updateStatus([state](ProjectionStatus& s) { s.state = state; });
}

void ProjectionRunner::updateStatus(const std::function<void(ProjectionStatus&)>& change, bool force)
{
    {
        std::lock_guard lock(m_mutex);
        const QString lastError = m_status.lastError;
        const bool faulted = m_status.fault.has_value();
        const bool rebuilding = m_status.rebuild.has_value();
        change(m_status);
        m_status.updatedAt = QDateTime::currentDateTimeUtc();
        // Errors, faults and rebuilds starting or ending are news: never swallowed by the throttle.
        force = force || m_status.lastError != lastError || m_status.fault.has_value() != faulted
            || m_status.rebuild.has_value() != rebuilding;
    }
    m_changed.notify_all();
    publish(force);
}

void ProjectionRunner::publish(bool force)
{
    ProjectionStatus copy;
    {
        std::lock_guard lock(m_mutex);
        const auto now = Clock::now();
        const bool stateChanged = m_status.state != m_publishedState;
        if (!force && !stateChanged && now - m_lastPublished < m_manager->options().statusInterval)
            return;
        m_lastPublished = now;
        m_publishedState = m_status.state;
        copy = m_status;
    }
    Q_EMIT m_manager->statusChanged(copy);
}

} // namespace EventScope
