// SPDX-License-Identifier: Apache-2.0
#include "eventstorehealthcheck.h"

#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace EventScope {

namespace {

qint64 remainingMs(const QDeadlineTimer& deadline)
{
    return std::max<qint64>(1, deadline.remainingTime());
}

QString describe(const SqlEventStore& store)
{
    const StoreSettings& settings = store.settings();
    if (settings.backend == StoreSettings::Backend::Postgres)
        return QStringLiteral("PostgreSQL, schema %1").arg(settings.postgresSchema);
    return QStringLiteral("SQLite");
}

} // namespace

EventStoreHealthCheck::EventStoreHealthCheck(std::weak_ptr<SqlEventStore> store, QString name)
    : m_store(std::move(store))
    , m_name(std::move(name))
{
}

HealthCheckResult EventStoreHealthCheck::check(QDeadlineTimer deadline)
{
    const std::shared_ptr<SqlEventStore> store = m_store.lock();
    if (!store)
        return HealthCheckResult::down(tr("The event store is closed. Open it again or restart the service."));
    bool failed = false;
    HealthCheckResult result = probe(store, deadline, &failed);
    // After a failure, a dead connection is dropped so that the next check connects afresh; only once every
    // query and handle on it is gone (probe's locals), or Qt would warn that it is still in use.
    if (failed)
        store->dropDeadThreadConnection();
    return result;
}

HealthCheckResult EventStoreHealthCheck::probe(
    const std::shared_ptr<SqlEventStore>& store, QDeadlineTimer deadline, bool* failed)
{
    QElapsedTimer timer;
    timer.start();
    auto connection = store->threadConnection();
    if (!connection) {
        *failed = true;
        return HealthCheckResult::down(tr("Cannot reach the event store: %1").arg(connection.error().message()));
    }
    QSqlDatabase& db = connection.value();
    const bool postgres = store->settings().backend == StoreSettings::Backend::Postgres;
    const bool readOnly = store->settings().readOnly;

    QSqlQuery query(db);
    bool inTransaction = false;
    auto fail = [&](const QString& what, const QString& error) {
        query.finish();
        if (inTransaction)
            db.rollback();
        *failed = true;
        if (deadline.hasExpired()) {
            return HealthCheckResult::down(
                tr("The event store did not %1 within the health check's timeout (%2 ms so far): %3")
                    .arg(what)
                    .arg(timer.elapsed())
                    .arg(error));
        }
        return HealthCheckResult::down(tr("The event store cannot %1: %2").arg(what, error));
    };

    // Bound every wait by the deadline. PostgreSQL: per transaction (SET LOCAL), so nothing leaks into the
    // connection the store keeps using. SQLite: the busy timeout of this connection, restored afterwards.
    auto bound = [&]() -> bool {
        const QString ms = QString::number(remainingMs(deadline));
        if (postgres) {
            return query.exec(QStringLiteral("SET LOCAL statement_timeout = ") + ms)
                && query.exec(QStringLiteral("SET LOCAL lock_timeout = ") + ms);
        }
        return query.exec(QStringLiteral("PRAGMA busy_timeout = ") + ms);
    };
    struct RestoreBusyTimeout {
        QSqlDatabase& db;
        bool active;
        qint64 ms;
        ~RestoreBusyTimeout()
        {
            if (active)
                QSqlQuery(db).exec(QStringLiteral("PRAGMA busy_timeout = ") + QString::number(ms));
        }
    } restore { db, !postgres, qint64(store->settings().busyTimeout.count()) };

    // Read.
    if (postgres && !(inTransaction = db.transaction()))
        return fail(tr("read"), db.lastError().text());
    if (!bound())
        return fail(tr("read"), query.lastError().text());
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM es_schema_migrations")) || !query.next())
        return fail(tr("read"), query.lastError().text());
    const int version = query.value(0).toInt();
    query.finish();
    if (postgres && !db.commit())
        return fail(tr("read"), db.lastError().text());
    inTransaction = false;

    HealthStatus status = HealthStatus::Up;
    QString schemaNote;
    if (version != SqlEventStore::currentSchemaVersion()) {
        status = HealthStatus::Degraded;
        schemaNote = tr(" The store's schema is version %1 but this EventScope uses version %2: another EventScope "
                        "changed it; restart with a matching version.")
                         .arg(version)
                         .arg(SqlEventStore::currentSchemaVersion());
    }

    if (readOnly) {
        return { status,
            tr("Read schema version %1 in %2 ms (%3, read-only: writes not checked).")
                    .arg(version)
                    .arg(timer.elapsed())
                    .arg(describe(*store))
                + schemaNote,
            {}, {} };
    }

    // Write the same row back, as an append would: the process's write lock, a write transaction, a commit.
    QMutex* writeMutex = store->writeMutex();
    if (writeMutex && !writeMutex->tryLock(int(remainingMs(deadline)))) {
        return HealthCheckResult::down(tr("The event store is readable, but this process's writers held the write "
                                          "lock for longer than the health check's timeout (%1 ms).")
                                           .arg(timer.elapsed()));
    }
    struct Unlock {
        QMutex* mutex;
        ~Unlock()
        {
            if (mutex)
                mutex->unlock();
        }
    } unlock { writeMutex };

    if (!postgres && !bound())
        return fail(tr("write"), query.lastError().text());
    if (!(inTransaction = store->dialect().beginWrite(db)))
        return fail(tr("write"), db.lastError().text());
    if (postgres && !bound())
        return fail(tr("write"), query.lastError().text());
    query.prepare(QStringLiteral("UPDATE es_schema_migrations SET version = version WHERE version = ?"));
    query.addBindValue(version);
    if (!query.exec())
        return fail(tr("write"), query.lastError().text());
    if (query.numRowsAffected() != 1)
        return fail(tr("write"), tr("the schema version row %1 is missing").arg(version));
    query.finish();
    if (!db.commit())
        return fail(tr("write"), db.lastError().text());

    return { status,
        tr("Read and wrote schema version %1 in %2 ms (%3).").arg(version).arg(timer.elapsed()).arg(describe(*store))
            + schemaNote,
        {}, {} };
}

} // namespace EventScope
