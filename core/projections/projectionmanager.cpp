// SPDX-License-Identifier: Apache-2.0
#include "projectionmanager.h"

#include "projectionrunner.h"

#include "domain/eventtyperegistry.h"
#include "eventstore/sqleventstore.h"

#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcProjections, "eventscope.projections")

namespace EventScope {

namespace {

bool isIdentifier(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9_]{0,40}$"));
    return pattern.match(name).hasMatch() && !name.contains(QStringLiteral("__"));
}

} // namespace

ProjectionManager::ProjectionManager(std::shared_ptr<SqlEventStore> store,
    std::shared_ptr<const EventTypeRegistry> registry, Options options, QObject* parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_registry(std::move(registry))
    , m_options(options)
{
    qRegisterMetaType<EventScope::ProjectionStatus>();
    qRegisterMetaType<EventScope::ProjectionFault>();
    // Appends of this process wake the live projections at once; other processes' are found by polling.
    connect(
        m_store.get(), &EventStore::eventsAppended, this,
        [this] {
            for (const auto& [name, runner] : m_runners)
                runner->wake();
        },
        Qt::DirectConnection);
}

ProjectionManager::ProjectionManager(
    std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry, QObject* parent)
    : ProjectionManager(std::move(store), std::move(registry), Options(), parent)
{
}

ProjectionManager::~ProjectionManager()
{
    stop();
}

std::optional<ProjectionError> ProjectionManager::add(std::shared_ptr<Projection> projection)
{
    const auto invalid
        = [](const QString& message) { return ProjectionError(ProjectionError::Code::InvalidProjection, message); };
    if (!projection)
        return invalid(tr("No projection was given."));
    if (m_running)
        return invalid(
            tr("Projections are added before the manager starts; %1 came too late.").arg(projection->name()));
    const QString name = projection->name();
    if (!isIdentifier(name))
        return invalid(tr("'%1' is not a valid projection name: use lower-case letters, digits and single "
                          "underscores, starting with a letter (e.g. account_balances).")
                           .arg(name));
    if (m_runners.count(name))
        return invalid(tr("A projection named %1 is registered already.").arg(name));
    if (projection->version() < 1)
        return invalid(
            tr("The projection %1 has version %2; versions start at 1.").arg(name).arg(projection->version()));
    const QList<ReadModelTable> tables = projection->tables();
    if (tables.isEmpty())
        return invalid(tr("The projection %1 declares no tables.").arg(name));
    QSet<QString> taken;
    for (const auto& [otherName, runner] : m_runners)
        for (const ReadModelTable& table : runner->projection()->tables())
            taken.insert(table.name);
    for (const ReadModelTable& table : tables) {
        if (!isIdentifier(table.name))
            return invalid(tr("The projection %1 declares a table '%2': use lower-case letters, digits and single "
                              "underscores.")
                               .arg(name, table.name));
        if (taken.contains(table.name))
            return invalid(tr("The table %1 of the projection %2 is declared by another projection already.")
                               .arg(table.name, name));
        if (table.columns.isEmpty())
            return invalid(tr("The table %1 of the projection %2 has no columns.").arg(table.name, name));
        taken.insert(table.name);
    }
    m_runners.emplace(name, std::make_unique<ProjectionRunner>(this, std::move(projection)));
    return std::nullopt;
}

QStringList ProjectionManager::names() const
{
    QStringList result;
    for (const auto& [name, runner] : m_runners)
        result << name;
    return result;
}

std::shared_ptr<Projection> ProjectionManager::projection(const QString& name) const
{
    const auto it = m_runners.find(name);
    return it == m_runners.end() ? nullptr : it->second->projection();
}

ProjectionRunner* ProjectionManager::runner(const QString& name) const
{
    const auto it = m_runners.find(name);
    return it == m_runners.end() ? nullptr : it->second.get();
}

void ProjectionManager::start()
{
    if (m_running)
        return;
    m_running = true;
    for (const auto& [name, runner] : m_runners)
        runner->start();
}

void ProjectionManager::stop()
{
    if (!m_running)
        return;
    for (const auto& [name, runner] : m_runners)
        runner->stop();
    m_running = false;
}

std::optional<ProjectionStatus> ProjectionManager::status(const QString& name) const
{
    if (const ProjectionRunner* r = runner(name))
        return r->status();
    return std::nullopt;
}

StoreResult<GlobalPosition> ProjectionManager::storedCheckpoint(const QString& name) const
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT position FROM es_projections WHERE name = ?"));
    query.bindValue(0, name);
    if (!query.exec()) {
        m_store->dropDeadThreadConnection();
        return StoreError(StoreError::Code::QueryFailed,
            tr("Could not read the checkpoint of %1: %2").arg(name, query.lastError().text().trimmed()));
    }
    return query.next() ? query.value(0).toLongLong() : GlobalPosition(0);
}

StoreResult<QList<ProjectionStatus>> ProjectionManager::storedStatuses() const
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    const auto head = m_store->headPosition();
    if (!head)
        return head.error();
    const bool postgres = m_store->settings().backend == StoreSettings::Backend::Postgres;
    QList<ProjectionStatus> result;
    for (const auto& [name, runner] : m_runners) {
        ProjectionStatus status;
        status.name = name;
        status.description = runner->projection()->description();
        status.version = runner->projection()->version();
        status.head = head.value();
        status.updatedAt = QDateTime::currentDateTimeUtc();
        QSqlQuery query(db.value());
        query.prepare(QStringLiteral("SELECT version, position, paused, fault_position, fault_stream, fault_type, "
                                     "fault_error, fault_at, shadow_version, shadow_position, shadow_reason, owner "
                                     "FROM es_projections WHERE name = ?"));
        query.bindValue(0, name);
        if (!query.exec()) {
            m_store->dropDeadThreadConnection();
            return StoreError(StoreError::Code::QueryFailed,
                tr("Could not read the projections: %1").arg(query.lastError().text().trimmed()));
        }
        if (query.next()) {
            status.storedVersion = query.value(0).toInt();
            status.checkpoint = query.value(1).toLongLong();
            status.owner = query.value(11).toString();
            if (!query.value(3).isNull())
                status.fault = ProjectionFault { query.value(3).toLongLong(), query.value(4).toString(),
                    query.value(5).toString(), query.value(6).toString(),
                    QDateTime::fromMSecsSinceEpoch(query.value(7).toLongLong(), Qt::UTC) };
            if (!query.value(8).isNull()) {
                ProjectionRebuild rebuild;
                rebuild.version = query.value(8).toInt();
                rebuild.position = query.value(9).toLongLong();
                rebuild.target = head.value();
                rebuild.reason = query.value(10).toString();
                status.rebuild = rebuild;
            }
            status.state = status.fault       ? ProjectionState::Faulted
                : query.value(2).toInt() != 0 ? ProjectionState::Paused
                : status.rebuild              ? ProjectionState::Rebuilding
                                              : ProjectionState::Stopped;
        }
        status.lagEvents = std::max<qint64>(0, status.head - status.checkpoint);
        if (postgres && status.state == ProjectionState::Stopped) {
            // Someone else holds the lock: the projection runs there.
            QSqlQuery probe(db.value());
            const QString key
                = QStringLiteral("eventscope-projection:") + m_store->settings().postgresSchema + u':' + name;
            probe.prepare(QStringLiteral("SELECT pg_try_advisory_lock(hashtext(?))"));
            probe.bindValue(0, key);
            if (probe.exec() && probe.next()) {
                if (probe.value(0).toBool()) {
                    QSqlQuery unlock(db.value());
                    unlock.prepare(QStringLiteral("SELECT pg_advisory_unlock(hashtext(?))"));
                    unlock.bindValue(0, key);
                    unlock.exec();
                } else {
                    status.state = ProjectionState::RunningElsewhere;
                }
            }
        }
        result << status;
    }
    return result;
}

QList<ProjectionStatus> ProjectionManager::statuses() const
{
    QList<ProjectionStatus> result;
    for (const auto& [name, runner] : m_runners)
        result << runner->status();
    return result;
}

bool ProjectionManager::waitForCheckpoint(
    const QString& name, GlobalPosition position, std::chrono::milliseconds timeout) const
{
    const ProjectionRunner* r = runner(name);
    return r && r->waitForCheckpoint(position, timeout);
}

namespace {

std::optional<ProjectionError> unknown(const QString& name)
{
    return ProjectionError(ProjectionError::Code::UnknownProjection,
        QCoreApplication::translate("ProjectionManager",
            "There is no projection named %1. Check the name (see the "
            "projections list).")
            .arg(name));
}

} // namespace

#define ES_PROJECTION_OPERATION(function, operation)                                                                   \
    std::optional<ProjectionError> ProjectionManager::function(const QString& name, const OperatorAction& action)      \
    {                                                                                                                  \
        ProjectionRunner* r = runner(name);                                                                            \
        return r ? r->request(ProjectionRunner::Operation::operation, action) : unknown(name);                         \
    }

ES_PROJECTION_OPERATION(pause, Pause)
ES_PROJECTION_OPERATION(resume, Resume)
ES_PROJECTION_OPERATION(reset, Reset)
ES_PROJECTION_OPERATION(rebuild, Rebuild)
ES_PROJECTION_OPERATION(cancelRebuild, CancelRebuild)
ES_PROJECTION_OPERATION(retry, Retry)
ES_PROJECTION_OPERATION(skip, Skip)

#undef ES_PROJECTION_OPERATION

StoreResult<QList<OperatorAuditEntry>> ProjectionManager::auditLog(int limit, qint64 beforeId) const
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT id, at, actor, role, action, projection, reason, detail FROM es_operator_audit "
                       "WHERE id < ? ORDER BY id DESC LIMIT ?"));
    query.bindValue(0, beforeId > 0 ? beforeId : std::numeric_limits<qint64>::max());
    query.bindValue(1, qBound(1, limit, 10000));
    if (!query.exec()) {
        m_store->dropDeadThreadConnection();
        return StoreError(StoreError::Code::QueryFailed,
            tr("Could not read the operator audit log: %1").arg(query.lastError().text().trimmed()));
    }
    QList<OperatorAuditEntry> entries;
    while (query.next())
        entries << OperatorAuditEntry { query.value(0).toLongLong(),
            QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC), query.value(2).toString(),
            query.value(3).toString(), query.value(4).toString(), query.value(5).toString(), query.value(6).toString(),
            query.value(7).toString() };
    return entries;
}

} // namespace EventScope
