// SPDX-License-Identifier: Apache-2.0
#include "sqleventstore.h"

#include "sqldialect.h"
#include "streamid.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QMutex>
#include <QMutexLocker>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <limits>
#include <unordered_map>

Q_LOGGING_CATEGORY(lcEventStore, "eventscope.core.eventstore")

namespace EventScope {

namespace {

constexpr int MaxEventsPerAppend = 100000;
constexpr int MaxPageSize = 100000;
constexpr int MaxAppendAttempts = 8;

std::atomic<int> s_storeSerial { 0 };

} // namespace

/**
 * One named QSqlDatabase connection per QThread that uses the store, with that connection's prepared
 * statements. A connection is removed in its own thread when the QThread finishes, or when the store goes.
 */
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
public:
    using ThreadConnection = StoreConnection;

    explicit ConnectionPool(QString prefix)
        : m_prefix(std::move(prefix))
    {
    }

    ~ConnectionPool()
    {
        QMutexLocker lock(&m_mutex);
        for (ThreadConnection* connection : std::as_const(m_connections))
            destroy(connection);
        m_connections.clear();
    }

    ThreadConnection* current()
    {
        QMutexLocker lock(&m_mutex);
        return m_connections.value(QThread::currentThread());
    }

    ThreadConnection* add()
    {
        QThread* thread = QThread::currentThread();
        auto* connection = new ThreadConnection;
        connection->name = m_prefix + QString::number(m_nextId.fetch_add(1));
        {
            QMutexLocker lock(&m_mutex);
            m_connections.insert(thread, connection);
        }
        std::weak_ptr<ConnectionPool> weak = weak_from_this();
        QObject::connect(
            thread, &QThread::finished, thread,
            [weak, thread] {
                if (auto pool = weak.lock())
                    pool->release(thread);
            },
            Qt::DirectConnection);
        return connection;
    }

    void release(QThread* thread)
    {
        ThreadConnection* connection = nullptr;
        {
            QMutexLocker lock(&m_mutex);
            connection = m_connections.take(thread);
        }
        if (connection)
            destroy(connection);
    }

private:
    static void destroy(ThreadConnection* connection)
    {
        const QString name = connection->name;
        delete connection; // finishes the prepared statements before the connection goes
        // removeDatabase() closes the connection; unlike QSqlDatabase::database() it may be called from a
        // thread other than the connection's (the store's destructor cleaning up after idle pool threads).
        QSqlDatabase::removeDatabase(name);
    }

    QString m_prefix;
    QMutex m_mutex;
    QHash<QThread*, ThreadConnection*> m_connections;
    std::atomic<int> m_nextId { 0 };
};

// Serialises appends within this process for backends with a single writer (SQLite): queuing on a mutex is
// cheaper and fairer than SQLite's sleeping busy handler.
Q_GLOBAL_STATIC(QMutex, s_sqliteWriteMutex)

SqlEventStore::SqlEventStore(const StoreSettings& settings, std::unique_ptr<SqlDialect> dialect)
    : m_settings(settings)
    , m_dialect(std::move(dialect))
    , m_pool(std::make_shared<ConnectionPool>(QStringLiteral("eventscope-store-%1-").arg(s_storeSerial.fetch_add(1))))
{
}

SqlEventStore::~SqlEventStore() = default;

int SqlEventStore::currentSchemaVersion()
{
    return 4;
}

StoreResult<std::shared_ptr<SqlEventStore>> SqlEventStore::open(const StoreSettings& settings)
{
    auto dialect = SqlDialect::create(settings);
    if (!QSqlDatabase::isDriverAvailable(dialect->driverName()))
        return StoreError(StoreError::Code::Unsupported,
            tr("The Qt SQL driver %1 is not installed (install libqt6sql6-%2).")
                .arg(dialect->driverName(),
                    settings.backend == StoreSettings::Backend::Sqlite ? QStringLiteral("sqlite")
                                                                       : QStringLiteral("psql")));

    if (settings.backend == StoreSettings::Backend::Sqlite && settings.connection != QStringLiteral(":memory:")) {
        const QFileInfo file(settings.connection);
        if (!file.exists() && (!settings.createIfMissing || settings.readOnly))
            return StoreError(StoreError::Code::ConnectionFailed,
                tr("There is no store at '%1'. Check the path, or create a new store there.").arg(settings.connection));
        if (file.isDir())
            return StoreError(StoreError::Code::InvalidArgument,
                tr("'%1' is a directory. Give the path of a store file, such as %1/eventscope.db.")
                    .arg(settings.connection));
        if (!file.exists() && !QFileInfo(file.absolutePath()).isDir())
            return StoreError(StoreError::Code::ConnectionFailed,
                tr("Cannot create a store at '%1': the folder '%2' does not exist.")
                    .arg(settings.connection, file.absolutePath()));
    }

    std::shared_ptr<SqlEventStore> store(new SqlEventStore(settings, std::move(dialect)));
    if (settings.backend == StoreSettings::Backend::Sqlite && settings.connection == QStringLiteral(":memory:")) {
        // SQLite's own :memory: database belongs to one connection, but every thread has its own connection:
        // a throwaway store is a file in a private temporary folder instead, removed with the store.
        store->m_scratch = std::make_unique<QTemporaryDir>();
        if (!store->m_scratch->isValid())
            return StoreError(StoreError::Code::ConnectionFailed,
                tr("Could not create a temporary folder for an in-memory store: %1")
                    .arg(store->m_scratch->errorString()));
        store->m_settings.connection = store->m_scratch->filePath(QStringLiteral("memory.db"));
        store->m_settings.sqliteSynchronous = StoreSettings::SqliteSync::Normal;
    }
    auto migrated = store->migrate();
    if (!migrated)
        return migrated.error();
    return store;
}

StoreConnection::~StoreConnection()
{
    native.clear(); // native statements go before the Qt statements and the connection they were made on
    statements.clear();
    db = QSqlDatabase();
}

StoreResult<QSqlQuery*> StoreConnection::statement(const QString& sql)
{
    auto it = statements.find(sql);
    if (it != statements.end())
        return it->second.get();
    auto query = std::make_unique<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->prepare(sql))
        return SqlDialect::queryError(*query, QCoreApplication::translate("EventStore", "preparing a statement"));
    return statements.emplace(sql, std::move(query)).first->second.get();
}

StoreResult<StoreConnection*> SqlEventStore::connection()
{
    if (StoreConnection* existing = m_pool->current())
        return existing;

    StoreConnection* connection = m_pool->add();
    auto fail = [&](StoreError error) -> StoreResult<StoreConnection*> {
        m_pool->release(QThread::currentThread());
        return error;
    };
    connection->db = QSqlDatabase::addDatabase(m_dialect->driverName(), connection->name);
    QSqlDatabase& db = connection->db;
    if (auto error = m_dialect->configure(db, m_settings))
        return fail(*error);
    if (!db.open()) {
        const QString where = m_settings.backend == StoreSettings::Backend::Sqlite
            ? tr("the SQLite store '%1'").arg(m_settings.connection)
            : tr("the PostgreSQL server");
        return fail(StoreError(StoreError::Code::ConnectionFailed,
            tr("Could not connect to %1: %2. Check the connection settings and that the server is running.")
                .arg(where, db.lastError().text().trimmed())));
    }
    if (auto error = m_dialect->prepareConnection(db, m_settings))
        return fail(*error);
    qCDebug(lcEventStore) << "opened connection" << connection->name << "on thread" << QThread::currentThread();
    return connection;
}

StoreResult<QSqlDatabase> SqlEventStore::threadConnection()
{
    auto current = connection();
    if (!current)
        return current.error();
    return current.value()->db;
}

bool SqlEventStore::dropDeadThreadConnection()
{
    StoreConnection* current = m_pool->current();
    if (!current)
        return false;
    {
        QSqlQuery probe(current->db);
        if (current->db.isOpen() && probe.exec(QStringLiteral("SELECT 1")))
            return false;
    }
    qCWarning(lcEventStore) << "lost the database connection; reconnecting on the next call";
    m_pool->release(QThread::currentThread());
    return true;
}

QMutex* SqlEventStore::writeMutex() const
{
    return m_dialect->concurrentWriters() ? nullptr : s_sqliteWriteMutex();
}

StoreResult<QSqlQuery*> SqlEventStore::statement(const QString& sql)
{
    auto current = connection();
    if (!current)
        return current.error();
    return current.value()->statement(sql);
}

StoreError SqlEventStore::queryError(const QSqlQuery& query, const QString& what) const
{
    return SqlDialect::queryError(query, what);
}

StoreResult<Done> SqlEventStore::migrate()
{
    auto db = threadConnection();
    if (!db)
        return db.error();
    auto version = m_dialect->detectSchemaVersion(db.value(), m_settings);
    if (!version)
        return version.error();
    const int target = currentSchemaVersion();
    if (version.value() > target)
        return StoreError(StoreError::Code::SchemaTooNew,
            tr("This store was written by a newer EventScope (schema version %1; this version understands up to "
               "%2). Nothing was changed. Open it with a newer EventScope.")
                .arg(version.value())
                .arg(target));
    if (version.value() == 0 && !m_settings.createIfMissing)
        return StoreError(StoreError::Code::NotAnEventStore,
            tr("The database is empty: it holds no EventScope store. Create one first (eventscope-cli seed-demo, "
               "or open it without --read-only)."));
    if (version.value() < target && m_settings.readOnly)
        return StoreError(StoreError::Code::SchemaTooNew,
            tr("This store uses schema version %1 and needs an upgrade to %2, which a read-only session cannot do. "
               "Open it once without --read-only.")
                .arg(version.value())
                .arg(target));

    if (version.value() < target) {
        const QList<SchemaMigration> migrations = m_dialect->migrations();
        for (const SchemaMigration& migration : migrations) {
            if (migration.version <= version.value())
                continue;
            QSqlQuery query(db.value());
            if (!m_dialect->beginWrite(db.value()))
                return StoreError(StoreError::Code::ConnectionFailed,
                    tr("Could not start the schema upgrade: %1").arg(db->lastError().text()));
            auto fail = [&](const QString& sql) {
                const StoreError error(StoreError::Code::QueryFailed,
                    tr("Schema migration %1 (%2) failed and was rolled back: %3")
                        .arg(migration.version)
                        .arg(migration.description, query.lastError().text()));
                qCWarning(lcEventStore).noquote() << error.message() << "|" << sql;
                db->rollback();
                return error;
            };
            for (const QString& sql : m_dialect->migrationLockStatements(m_settings)) {
                if (!query.exec(sql))
                    return fail(sql);
            }
            if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS es_schema_migrations (version INTEGER "
                                           "NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT "
                                           "NOT NULL, application TEXT NOT NULL)")))
                return fail(query.lastQuery());
            // Another process may have migrated while we waited for the lock.
            if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM es_schema_migrations"))
                || !query.next())
                return fail(query.lastQuery());
            if (query.value(0).toInt() >= migration.version) {
                query.finish();
                db->rollback();
                continue;
            }
            for (const QString& sql : migration.statements) {
                if (!query.exec(sql))
                    return fail(sql);
            }
            query.prepare(QStringLiteral("INSERT INTO es_schema_migrations (version, description, applied_at, "
                                         "application) VALUES (?, ?, ?, ?)"));
            query.addBindValue(migration.version);
            query.addBindValue(migration.description);
            query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            query.addBindValue(QStringLiteral("EventScope " EVENTSCOPE_VERSION));
            if (!query.exec())
                return fail(query.lastQuery());
            if (!db->commit())
                return fail(QStringLiteral("COMMIT"));
            qCInfo(lcEventStore) << "applied schema migration" << migration.version << migration.description;
        }
    }
    if (auto error = m_dialect->afterMigrations(db.value(), m_settings))
        return *error;
    return Done {};
}

std::optional<StoreError> SqlEventStore::validateAppend(const QString& streamId, const QList<EventData>& events,
    QList<QByteArray>* payloads, QList<QByteArray>* metadata) const
{
    if (m_settings.readOnly)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The store is open read-only; nothing can be appended. Reopen it without --read-only to write."));
    if (const QString problem = StreamId::validate(streamId); !problem.isEmpty())
        return StoreError(StoreError::Code::InvalidArgument, problem);
    if (events.size() > MaxEventsPerAppend)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("An append holds %1 events; at most %2 are allowed in one append. Split it.")
                .arg(events.size())
                .arg(MaxEventsPerAppend));
    payloads->reserve(events.size());
    metadata->reserve(events.size());
    QSet<QUuid> ids;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const EventData& event = events.at(i);
        const QString which = tr("Event %1 of %2 ('%3')").arg(i + 1).arg(events.size()).arg(event.eventType);
        if (const QString problem = StreamId::validateEventType(event.eventType); !problem.isEmpty())
            return StoreError(StoreError::Code::InvalidArgument, which + QStringLiteral(": ") + problem);
        if (event.eventId.isNull())
            return StoreError(StoreError::Code::InvalidArgument, which + tr(": its event id is empty."));
        if (ids.contains(event.eventId))
            return StoreError(StoreError::Code::InvalidArgument,
                which
                    + tr(": its event id %1 appears twice in this append.")
                          .arg(event.eventId.toString(QUuid::WithoutBraces)));
        ids.insert(event.eventId);
        if (event.schemaVersion < 1)
            return StoreError(StoreError::Code::InvalidArgument,
                which + tr(": schema version %1 is not valid; versions start at 1.").arg(event.schemaVersion));
        QByteArray payload = QJsonDocument(event.payload).toJson(QJsonDocument::Compact);
        if (payload.size() > m_settings.maxPayloadBytes)
            return StoreError(StoreError::Code::InvalidArgument,
                which
                    + tr(": its payload is %1 bytes; the limit is %2 bytes (eventstore.options.max_payload_bytes).")
                          .arg(payload.size())
                          .arg(m_settings.maxPayloadBytes));
        QByteArray meta = QJsonDocument(event.metadata).toJson(QJsonDocument::Compact);
        if (meta.size() > m_settings.maxPayloadBytes)
            return StoreError(StoreError::Code::InvalidArgument,
                which
                    + tr(": its metadata is %1 bytes; the limit is %2 bytes.")
                          .arg(meta.size())
                          .arg(m_settings.maxPayloadBytes));
        payloads->append(std::move(payload));
        metadata->append(std::move(meta));
    }
    return std::nullopt;
}

StoreResult<AppendResult> SqlEventStore::appendOnce(
    const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
{
    QList<QByteArray> payloads;
    QList<QByteArray> metadata;
    if (auto error = validateAppend(streamId, events, &payloads, &metadata))
        return *error;

    std::optional<QMutexLocker<QMutex>> writeLock;
    if (!m_dialect->concurrentWriters())
        writeLock.emplace(s_sqliteWriteMutex());

    AppendRequest request { streamId, StreamId::category(streamId), expected, events, payloads, metadata };
    for (int attempt = 1;; ++attempt) {
        auto current = connection();
        if (!current)
            return current.error();
        AppendRace race = AppendRace::None;
        auto result = m_dialect->append(*current.value(), request, &race);
        bool retryable = race == AppendRace::Retry;
        if (race == AppendRace::DuplicateEventId)
            result = duplicateEventIdError(events, &retryable);
        if (result.ok()) {
            writeLock.reset();
            if (!result->alreadyApplied && !events.isEmpty())
                Q_EMIT eventsAppended(streamId, result->lastPosition);
            return result;
        }
        if (!retryable || attempt == MaxAppendAttempts)
            return result;
        qCDebug(lcEventStore) << "append to" << streamId << "raced another writer; attempt" << attempt + 1;
    }
}

StoreError SqlEventStore::duplicateEventIdError(const QList<EventData>& events, bool* retryable)
{
    auto find = statement(QStringLiteral("SELECT stream_id, stream_version FROM es_events WHERE event_id = ?"));
    if (!find)
        return find.error();
    QSqlQuery* q = find.value();
    for (qsizetype i = 0; i < events.size(); ++i) {
        q->addBindValue(events.at(i).eventId.toString(QUuid::WithoutBraces));
        if (!q->exec())
            return queryError(*q, tr("looking up a duplicate event id"));
        if (q->next()) {
            const QString stream = q->value(0).toString();
            const StreamVersion version = q->value(1).toLongLong();
            q->finish();
            if (i == 0) {
                *retryable = true;
                return StoreError(
                    StoreError::Code::DuplicateEventId, tr("A concurrent append stored the same events."));
            }
            return StoreError(StoreError::Code::DuplicateEventId,
                tr("Event %1 (number %2 of this append) is already stored in stream '%3' at version %4. Event ids are "
                   "unique: give new events new ids. Nothing was written.")
                    .arg(events.at(i).eventId.toString(QUuid::WithoutBraces))
                    .arg(i + 1)
                    .arg(stream)
                    .arg(version));
        }
        q->finish();
    }
    // The id became free again (the other writer rolled back): try once more.
    *retryable = true;
    return StoreError(StoreError::Code::DuplicateEventId, tr("A concurrent append used the same event ids."));
}

namespace {

std::optional<StoreError> checkPageSize(int maxCount)
{
    if (maxCount < 1 || maxCount > MaxPageSize)
        return StoreError(StoreError::Code::InvalidArgument,
            QCoreApplication::translate("EventStore", "A page size of %1 is not allowed; use 1 to %2.")
                .arg(maxCount)
                .arg(MaxPageSize));
    return std::nullopt;
}

} // namespace

StoreResult<QList<RecordedEvent>> SqlEventStore::readStreamOnce(
    const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction)
{
    if (const QString problem = StreamId::validate(streamId); !problem.isEmpty())
        return StoreError(StoreError::Code::InvalidArgument, problem);
    if (auto error = checkPageSize(maxCount))
        return *error;
    const bool forward = direction == ReadDirection::Forward;
    auto current = connection();
    const QString sql = (QStringLiteral("SELECT ") + m_dialect->eventColumns()
        + (forward ? QStringLiteral(" FROM es_events WHERE stream_id = ? AND stream_version >= ? "
                                    "ORDER BY stream_version LIMIT ?")
                   : QStringLiteral(" FROM es_events WHERE stream_id = ? AND stream_version <= ? "
                                    "ORDER BY stream_version DESC LIMIT ?")));
    if (!current)
        return current.error();
    const QVariantList binds { streamId,
        forward ? std::max<StreamVersion>(from, 0) : (from < 0 ? std::numeric_limits<qint64>::max() : from), maxCount };
    return m_dialect->queryEvents(*current.value(), sql, binds, tr("reading stream '%1'").arg(streamId));
}

StoreResult<QList<RecordedEvent>> SqlEventStore::readAllOnce(
    GlobalPosition after, int maxCount, const AllFilter& filter)
{
    if (auto error = checkPageSize(maxCount))
        return *error;
    if (after < 0)
        return StoreError(
            StoreError::Code::InvalidArgument, tr("Position %1 is not valid; positions start at 0.").arg(after));
    auto current = connection();
    if (!current)
        return current.error();
    QVariantList binds;
    for (int i = 0; i < m_dialect->readAllPositionBindings(); ++i)
        binds << after;
    for (const QString& type : filter.eventTypes)
        binds << type;
    for (const QString& category : filter.categories)
        binds += SqlDialect::categoryBindings(category);
    binds << maxCount;
    return m_dialect->queryEvents(*current.value(),
        m_dialect->readAll(int(filter.eventTypes.size()), int(filter.categories.size())), binds,
        tr("reading all events"));
}

StoreResult<StreamPage> SqlEventStore::listStreamsOnce(const StreamFilter& filter, const QString& after, int maxCount)
{
    if (auto error = checkPageSize(maxCount))
        return *error;
    const QString columns = QStringLiteral(
        "SELECT stream_id, category, last_version, first_recorded_at, last_recorded_at FROM es_streams ");
    QString sql;
    QVariantList binds;
    const QString afterKey = after.isNull() ? QStringLiteral("") : after; // NULL would match nothing
    if (const QString prefix = filter.prefix(); !prefix.isEmpty()) {
        // A prefix ("user-4", or the category "user-*" = "user-"): a range of the primary key. Stream ids only
        // hold characters below '~', so prefix + '~' bounds the range.
        sql = columns
            + QStringLiteral("WHERE stream_id > ? AND stream_id >= ? AND stream_id < ? ORDER BY stream_id LIMIT ?");
        binds << afterKey << prefix << QString(prefix + u'~');
    } else {
        sql = columns + QStringLiteral("WHERE stream_id > ? ORDER BY stream_id LIMIT ?");
        binds << afterKey;
    }
    auto query = statement(sql);
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    for (const QVariant& value : std::as_const(binds))
        q->addBindValue(value);
    q->addBindValue(maxCount + 1);
    if (!q->exec())
        return queryError(*q, tr("listing streams"));
    StreamPage page;
    while (q->next()) {
        if (page.streams.size() == maxCount) {
            page.nextAfter = page.streams.last().streamId;
            break;
        }
        StreamInfo info;
        info.streamId = q->value(0).toString();
        info.category = q->value(1).toString();
        info.lastVersion = q->value(2).toLongLong();
        info.eventCount = info.lastVersion + 1; // streams are append-only and gap-free
        info.firstRecordedAt = m_dialect->toDateTime(q->value(3));
        info.lastRecordedAt = m_dialect->toDateTime(q->value(4));
        page.streams.append(info);
    }
    q->finish();
    return page;
}

StoreResult<std::optional<StreamInfo>> SqlEventStore::streamInfoOnce(const QString& streamId)
{
    if (const QString problem = StreamId::validate(streamId); !problem.isEmpty())
        return StoreError(StoreError::Code::InvalidArgument, problem);
    auto query = statement(QStringLiteral("SELECT stream_id, category, last_version, first_recorded_at, "
                                          "last_recorded_at FROM es_streams WHERE stream_id = ?"));
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    q->addBindValue(streamId);
    if (!q->exec())
        return queryError(*q, tr("reading stream '%1'").arg(streamId));
    std::optional<StreamInfo> result;
    if (q->next()) {
        StreamInfo info;
        info.streamId = q->value(0).toString();
        info.category = q->value(1).toString();
        info.lastVersion = q->value(2).toLongLong();
        info.eventCount = info.lastVersion + 1;
        info.firstRecordedAt = m_dialect->toDateTime(q->value(3));
        info.lastRecordedAt = m_dialect->toDateTime(q->value(4));
        result = info;
    }
    q->finish();
    return result;
}

StoreResult<QList<EventTypeCount>> SqlEventStore::eventTypesOnce()
{
    auto query = statement(
        QStringLiteral("SELECT event_type, COUNT(*) FROM es_events GROUP BY event_type ORDER BY event_type"));
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    if (!q->exec())
        return queryError(*q, tr("counting event types"));
    QList<EventTypeCount> types;
    while (q->next())
        types.append({ q->value(0).toString(), q->value(1).toLongLong() });
    q->finish();
    return types;
}

StoreResult<GlobalPosition> SqlEventStore::headPositionOnce()
{
    auto query = statement(m_dialect->headPosition());
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    if (!q->exec() || !q->next())
        return queryError(*q, tr("reading the head position"));
    const GlobalPosition head = q->value(0).toLongLong();
    q->finish();
    return head;
}

StoreResult<GlobalPosition> SqlEventStore::commitSafeHead()
{
    return settle([this]() -> StoreResult<GlobalPosition> {
        auto query = statement(m_dialect->commitSafeHead());
        if (!query)
            return query.error();
        QSqlQuery* q = query.value();
        if (!q->exec() || !q->next())
            return queryError(*q, tr("reading the commit-safe head"));
        const GlobalPosition head = q->value(0).toLongLong();
        q->finish();
        return head;
    }());
}

StoreResult<qint64> SqlEventStore::eventCountOnce()
{
    // Streams are append-only and gap-free, so the stream rows know the count: far fewer rows than events.
    auto query = statement(QStringLiteral("SELECT COALESCE(SUM(last_version + 1), 0) FROM es_streams"));
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    if (!q->exec() || !q->next())
        return queryError(*q, tr("counting events"));
    const qint64 count = q->value(0).toLongLong();
    q->finish();
    return count;
}

// Every public call goes through settle(): when a call fails because the connection died (a PostgreSQL
// server restart, a network cut, pg_terminate_backend), this thread's connection is dropped so that the
// next call connects afresh, and the error says so.
template <typename T>
StoreResult<T> SqlEventStore::settle(StoreResult<T> result)
{
    if (result.ok() || m_settings.backend != StoreSettings::Backend::Postgres)
        return result;
    const auto code = result.error().code();
    if (code != StoreError::Code::QueryFailed && code != StoreError::Code::ConnectionFailed)
        return result;
    StoreConnection* current = m_pool->current();
    if (!current)
        return result;
    {
        QSqlQuery probe(current->db);
        if (probe.exec(QStringLiteral("SELECT 1")))
            return result; // the connection is fine; the statement itself failed
    }
    qCWarning(lcEventStore) << "lost the database connection; reconnecting on the next call";
    m_pool->release(QThread::currentThread());
    return StoreError(StoreError::Code::ConnectionFailed,
        result.error().message() + u' '
            + tr("The connection to the database was lost; EventScope reconnects on the next attempt."));
}

StoreResult<AppendResult> SqlEventStore::append(
    const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
{
    return settle(appendOnce(streamId, expected, events));
}

StoreResult<QList<RecordedEvent>> SqlEventStore::readStream(
    const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction)
{
    return settle(readStreamOnce(streamId, from, maxCount, direction));
}

StoreResult<QList<RecordedEvent>> SqlEventStore::readAll(GlobalPosition after, int maxCount, const AllFilter& filter)
{
    return settle(readAllOnce(after, maxCount, filter));
}

StoreResult<StreamPage> SqlEventStore::listStreams(const StreamFilter& filter, const QString& after, int maxCount)
{
    return settle(listStreamsOnce(filter, after, maxCount));
}

StoreResult<std::optional<StreamInfo>> SqlEventStore::streamInfo(const QString& streamId)
{
    return settle(streamInfoOnce(streamId));
}

StoreResult<QList<EventTypeCount>> SqlEventStore::eventTypes()
{
    return settle(eventTypesOnce());
}

StoreResult<GlobalPosition> SqlEventStore::headPosition()
{
    return settle(headPositionOnce());
}

StoreResult<QSqlDatabase*> SqlEventStore::beginBulkWrite(std::unique_lock<QMutex>& lock, const QString& beginFailure)
{
    if (!m_dialect->concurrentWriters())
        lock = std::unique_lock<QMutex>(*s_sqliteWriteMutex());
    auto current = connection();
    if (!current)
        return current.error();
    QSqlDatabase& db = current.value()->db;
    if (!m_dialect->beginWrite(db))
        return settle(StoreResult<QSqlDatabase*>(
            StoreError(StoreError::Code::ConnectionFailed, beginFailure.arg(db.lastError().text().trimmed()))));
    return &db;
}

StoreResult<qint64> SqlEventStore::importEvents(const QList<RecordedEvent>& events)
{
    if (m_settings.readOnly)
        return StoreError(
            StoreError::Code::InvalidArgument, tr("The store is open read-only; open it for writing to import."));
    if (events.isEmpty())
        return qint64(0);
    std::unique_lock<QMutex> writeLock;
    auto begun = beginBulkWrite(writeLock, tr("Could not begin the import: %1"));
    if (!begun)
        return begun.error();
    QSqlDatabase& db = *begun.value();
    const auto fail = [&](StoreError error) {
        db.rollback();
        return settle(StoreResult<qint64>(std::move(error)));
    };
    QSqlQuery version(db);
    QSqlQuery insert(db);
    QSqlQuery stream(db);
    if (!version.prepare(QStringLiteral("SELECT last_version FROM es_streams WHERE stream_id = ?"))
        || !insert.prepare(m_dialect->importEvent()) || !stream.prepare(m_dialect->importStream()))
        return fail(queryError(insert, tr("preparing the import")));
    QHash<QString, StreamVersion> last;
    for (const RecordedEvent& event : events) {
        if (auto invalid = StreamId::validate(event.streamId); !invalid.isEmpty())
            return fail(StoreError(StoreError::Code::InvalidArgument, invalid));
        if (auto invalid = StreamId::validateEventType(event.eventType); !invalid.isEmpty())
            return fail(StoreError(StoreError::Code::InvalidArgument, invalid));
        auto known = last.find(event.streamId);
        if (known == last.end()) {
            version.bindValue(0, event.streamId);
            if (!version.exec())
                return fail(queryError(version, tr("importing")));
            known = last.insert(event.streamId, version.next() ? version.value(0).toLongLong() : NoStreamVersion);
            version.finish();
        }
        if (event.streamVersion != known.value() + 1)
            return fail(StoreError(StoreError::Code::InvalidArgument,
                tr("Event %1 of '%2' has version %3, but the stream is at %4 here: an import continues each "
                   "stream where it is. Import into a new store, or leave out what it holds already. Nothing was "
                   "imported.")
                    .arg(event.eventId.toString(QUuid::WithoutBraces), event.streamId)
                    .arg(event.streamVersion)
                    .arg(known.value())));
        const qint64 at = event.recordedAt.toMSecsSinceEpoch();
        const QVariantList binds { event.streamId, event.streamVersion, event.eventId.toString(QUuid::WithoutBraces),
            event.eventType, event.schemaVersion, QString::fromUtf8(event.payload), QString::fromUtf8(event.metadata),
            at };
        for (int i = 0; i < binds.size(); ++i)
            insert.bindValue(i, binds.at(i));
        if (!insert.exec()) {
            const bool duplicate = m_dialect->isUniqueViolation(insert.lastError());
            if (duplicate)
                return fail(StoreError(StoreError::Code::DuplicateEventId,
                    tr("Event %1 (%2, version %3) is stored here already. Nothing was imported.")
                        .arg(event.eventId.toString(QUuid::WithoutBraces), event.streamId)
                        .arg(event.streamVersion)));
            return fail(queryError(insert, tr("importing an event")));
        }
        const QVariantList streamBinds { event.streamId, StreamId::category(event.streamId), event.streamVersion, at,
            at };
        for (int i = 0; i < streamBinds.size(); ++i)
            stream.bindValue(i, streamBinds.at(i));
        if (!stream.exec())
            return fail(queryError(stream, tr("importing a stream")));
        known.value() = event.streamVersion;
    }
    if (!db.commit())
        return fail(StoreError(
            StoreError::Code::QueryFailed, tr("Could not commit the import: %1").arg(db.lastError().text().trimmed())));
    writeLock = {};
    auto head = headPositionOnce();
    if (head)
        Q_EMIT eventsAppended(events.last().streamId, head.value());
    return qint64(events.size());
}

StoreResult<qint64> SqlEventStore::redateEvents(const QList<EventTime>& times)
{
    if (m_settings.readOnly)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The store is open read-only; open it for writing to redate events."));
    if (times.isEmpty())
        return qint64(0);
    std::unique_lock<QMutex> writeLock;
    auto begun = beginBulkWrite(writeLock, tr("Could not begin redating events: %1"));
    if (!begun)
        return begun.error();
    QSqlDatabase& db = *begun.value();
    const auto fail = [&](StoreError error) {
        db.rollback();
        return settle(StoreResult<qint64>(std::move(error)));
    };
    QSqlQuery update(db);
    QSqlQuery stream(db);
    // Portable: the subqueries copy the column values in the backend's own type.
    if (!update.prepare(m_dialect->redateEvent())
        || !stream.prepare(QStringLiteral(
            "UPDATE es_streams SET first_recorded_at = (SELECT e.recorded_at FROM es_events e WHERE e.stream_id = "
            "es_streams.stream_id ORDER BY e.stream_version LIMIT 1), last_recorded_at = (SELECT e.recorded_at FROM "
            "es_events e WHERE e.stream_id = es_streams.stream_id ORDER BY e.stream_version DESC LIMIT 1) WHERE "
            "stream_id = ?")))
        return fail(queryError(update, tr("preparing to redate events")));
    QStringList streams;
    QSet<QString> seen;
    for (const EventTime& time : times) {
        update.bindValue(0, time.recordedAt.toMSecsSinceEpoch());
        update.bindValue(1, time.streamId);
        update.bindValue(2, time.version);
        if (!update.exec())
            return fail(queryError(update, tr("redating an event")));
        if (update.numRowsAffected() != 1)
            return fail(StoreError(StoreError::Code::InvalidArgument,
                tr("There is no event at version %1 of '%2' to redate. Nothing was changed.")
                    .arg(time.version)
                    .arg(time.streamId)));
        if (!seen.contains(time.streamId)) {
            seen.insert(time.streamId);
            streams.append(time.streamId);
        }
    }
    for (const QString& id : std::as_const(streams)) {
        stream.bindValue(0, id);
        if (!stream.exec())
            return fail(queryError(stream, tr("redating a stream")));
    }
    if (!db.commit())
        return fail(StoreError(StoreError::Code::QueryFailed,
            tr("Could not commit the new event times: %1").arg(db.lastError().text().trimmed())));
    return qint64(times.size());
}

StoreResult<qint64> SqlEventStore::eventCount()
{
    return settle(eventCountOnce());
}

} // namespace EventScope
