// SPDX-License-Identifier: Apache-2.0
#include "snapshotstore.h"

#include "eventstore/sqleventstore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcDomain, "eventscope.core.domain")

namespace EventScope {

namespace {

const QString SelectColumns = QStringLiteral(
    "SELECT stream_id, version, aggregate_type, snapshot_schema_version, state, taken_at FROM es_snapshots ");

StoreError failed(const QSqlQuery& query, const QString& what)
{
    qCWarning(lcDomain).noquote() << what << "failed:" << query.lastQuery() << "-" << query.lastError().text();
    return StoreError(StoreError::Code::QueryFailed,
        SnapshotStore::tr("%1 failed: %2. Check that the database is reachable and the store is up to date.")
            .arg(what, query.lastError().text()));
}

StoreResult<QList<Snapshot>> readSnapshots(QSqlQuery& query, const QString& what)
{
    if (!query.exec())
        return failed(query, what);
    QList<Snapshot> snapshots;
    while (query.next()) {
        Snapshot snapshot;
        snapshot.streamId = query.value(0).toString();
        snapshot.version = query.value(1).toLongLong();
        snapshot.aggregateType = query.value(2).toString();
        snapshot.schemaVersion = query.value(3).toInt();
        QJsonParseError error;
        const QJsonDocument state = QJsonDocument::fromJson(query.value(4).toString().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !state.isObject())
            qCWarning(lcDomain).noquote() << "Snapshot of" << snapshot.streamId << "at version" << snapshot.version
                                          << "holds no JSON object:" << error.errorString();
        snapshot.state = state.object();
        snapshot.takenAt = QDateTime::fromMSecsSinceEpoch(query.value(5).toLongLong(), Qt::UTC);
        snapshots.append(std::move(snapshot));
    }
    return snapshots;
}

} // namespace

SnapshotStore::SnapshotStore(std::shared_ptr<SqlEventStore> store)
    : m_store(std::move(store))
{
}

StoreResult<Done> SnapshotStore::save(const Snapshot& snapshot)
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    // ON CONFLICT … excluded: the same syntax in SQLite (>= 3.24) and PostgreSQL.
    query.prepare(QStringLiteral(
        "INSERT INTO es_snapshots (stream_id, version, aggregate_type, snapshot_schema_version, state, taken_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (stream_id, version) DO UPDATE SET "
        "aggregate_type = excluded.aggregate_type, snapshot_schema_version = excluded.snapshot_schema_version, "
        "state = excluded.state, taken_at = excluded.taken_at"));
    const QDateTime takenAt = snapshot.takenAt.isValid() ? snapshot.takenAt : QDateTime::currentDateTimeUtc();
    query.addBindValue(snapshot.streamId);
    query.addBindValue(snapshot.version);
    query.addBindValue(snapshot.aggregateType);
    query.addBindValue(snapshot.schemaVersion);
    query.addBindValue(QString::fromUtf8(QJsonDocument(snapshot.state).toJson(QJsonDocument::Compact)));
    query.addBindValue(takenAt.toMSecsSinceEpoch());
    if (!query.exec())
        return failed(
            query, tr("Saving the snapshot of '%1' at version %2").arg(snapshot.streamId).arg(snapshot.version));
    return Done {};
}

StoreResult<std::optional<Snapshot>> SnapshotStore::latest(const QString& streamId, StreamVersion atMost)
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(SelectColumns + QStringLiteral("WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT 1"));
    query.addBindValue(streamId);
    query.addBindValue(atMost);
    auto rows = readSnapshots(query, tr("Reading the latest snapshot of '%1'").arg(streamId));
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Snapshot>();
    return std::optional<Snapshot>(rows->first());
}

StoreResult<QList<Snapshot>> SnapshotStore::list(const QString& streamId, StreamVersion atMost)
{
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(SelectColumns + QStringLiteral("WHERE stream_id = ? AND version <= ? ORDER BY version DESC"));
    query.addBindValue(streamId);
    query.addBindValue(atMost);
    return readSnapshots(query, tr("Listing the snapshots of '%1'").arg(streamId));
}

StoreResult<int> SnapshotStore::retain(const QString& streamId, int keep)
{
    if (keep < 0)
        return StoreError(
            StoreError::Code::InvalidArgument, tr("Cannot keep %1 snapshots: the number must be 0 or more.").arg(keep));
    auto db = m_store->threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("DELETE FROM es_snapshots WHERE stream_id = ? AND version NOT IN (SELECT version "
                                 "FROM es_snapshots WHERE stream_id = ? ORDER BY version DESC LIMIT ?)"));
    query.addBindValue(streamId);
    query.addBindValue(streamId);
    query.addBindValue(keep);
    if (!query.exec())
        return failed(query, tr("Removing old snapshots of '%1'").arg(streamId));
    return query.numRowsAffected();
}

} // namespace EventScope
