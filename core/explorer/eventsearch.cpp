// SPDX-License-Identifier: Apache-2.0
#include "eventsearch.h"

#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/storeconnection.h"

#include <QMutex>
#include <QMutexLocker>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadPool>
#include <QWaitCondition>
#include <QtConcurrent/QtConcurrentRun>

#include <sqlite3.h>

#include <limits>

namespace EventScope {

namespace {

constexpr int MaxPageSize = 100000;
// SQLite calls the progress handler every this many virtual machine instructions: often enough to stop within
// a few milliseconds, rarely enough to cost nothing measurable.
constexpr int ProgressInstructions = 5000;

// The watchers that cancel running PostgreSQL searches wait on their own pool: on a busy global pool a
// watcher queued behind the searches it should cancel would never start.
Q_GLOBAL_STATIC(QThreadPool, s_cancelWatchers)

QThreadPool* cancelWatchers()
{
    // One watcher per running PostgreSQL search: allow many, they only wait.
    static QThreadPool* const pool = [] {
        s_cancelWatchers()->setMaxThreadCount(64);
        return s_cancelWatchers();
    }();
    return pool;
}

bool isPostgres(const SqlEventStore& store)
{
    return store.settings().backend == StoreSettings::Backend::Postgres;
}

StoreError invalid(const QString& message)
{
    return StoreError(StoreError::Code::InvalidArgument, message);
}

std::optional<StoreError> checkLimit(int limit)
{
    if (limit < 1 || limit > MaxPageSize)
        return invalid(
            EventSearch::tr("A page of %1 events is not allowed; ask for 1 to %2.").arg(limit).arg(MaxPageSize));
    return std::nullopt;
}

StoreError cancelledError(const SearchControl& control)
{
    if (control.isCancelled())
        return StoreError(StoreError::Code::Cancelled,
            EventSearch::tr(
                "The search was cancelled. If it was too slow, narrow it: a shorter time range, an event type or "
                "a single stream."));
    const double seconds = double(control.timeLimit().count()) / 1000.0;
    return StoreError(StoreError::Code::Cancelled,
        EventSearch::tr(
            "The search stopped when its time limit of %1 s ran out. Narrow it (a shorter time range, an event "
            "type or a single stream), or raise the time limit.")
            .arg(seconds, 0, 'g', 4));
}

/**
 * The SQL that differs between the backends. Times: SQLite stores milliseconds since the epoch, PostgreSQL
 * timestamptz with microseconds; read as milliseconds they are truncated, so a condition "at or after T"
 * (T in whole milliseconds) selects exactly the events whose millisecond time is at or after T.
 */
struct SearchSql {
    bool postgres = false;

    /// The columns of a full event, in the order SqlDialect::queryEvents() reads them. PostgreSQL's time is
    /// truncated to milliseconds here, as in the summaries: QPSQL would otherwise round the microseconds, and an
    /// event could show one millisecond later than its row in the table.
    QString eventColumns() const
    {
        return QStringLiteral("global_position, stream_id, stream_version, event_id, event_type, schema_version, "
                              "payload, metadata, ")
            + (postgres ? QStringLiteral("date_trunc('milliseconds', recorded_at)") : QStringLiteral("recorded_at"));
    }

    /// A millisecond time bound as a parameter, comparable with recorded_at.
    QString timeParameter() const
    {
        return postgres ? QStringLiteral("(TIMESTAMPTZ 'epoch' + CAST(? AS bigint) * INTERVAL '1 millisecond')")
                        : QStringLiteral("?");
    }

    /// \a column (a time column) as milliseconds since the epoch.
    QString milliseconds(const QString& column) const
    {
        return postgres ? QStringLiteral("CAST(floor(extract(epoch FROM %1) * 1000) AS bigint)").arg(column) : column;
    }

    /// The metadata's string value at \a key, or NULL (not a string, or absent).
    QString metadataString(const QString& key) const
    {
        return postgres
            ? QStringLiteral("CASE WHEN json_typeof(metadata -> '%1') = 'string' THEN metadata ->> '%1' END").arg(key)
            : QStringLiteral("CASE WHEN json_type(metadata, '$.%1') = 'text' THEN json_extract(metadata, '$.%1') END")
                  .arg(key);
    }

    /// Condition: the metadata's string value at \a key equals a parameter. Written with the exact expression
    /// of the correlation index (migration 4), so that the index serves it.
    QString metadataEquals(const QString& key) const
    {
        return postgres
            ? QStringLiteral("(metadata ->> '%1') = ? AND json_typeof(metadata -> '%1') = 'string'").arg(key)
            : QStringLiteral("json_extract(metadata, '$.%1') = ? AND json_type(metadata, '$.%1') = 'text'").arg(key);
    }

    /// The payload value's text at \a path (validated keys: letters, digits, '_', '-', so safe to write into
    /// the statement) as PayloadCondition compares it: a string unescaped, other values as their JSON text, a
    /// JSON null or a missing value as NULL. Both databases return the stored text of a number or object,
    /// which is what EventQuery::matches() computes for payloads the store wrote (compact JSON from Qt).
    QString payloadText(const QString& path) const
    {
        const QStringList keys = path.split(u'.');
        if (postgres) {
            // json -> text follows object keys only (an array gives NULL), and ->> gives NULL for a JSON null.
            QString expression = QStringLiteral("payload");
            for (qsizetype i = 0; i < keys.size(); ++i)
                expression
                    += (i + 1 == keys.size() ? QStringLiteral(" ->> '") : QStringLiteral(" -> '")) + keys.at(i) + u'\'';
            return u'(' + expression + u')';
        }
        QString jsonPath = QStringLiteral("$");
        for (const QString& key : keys)
            jsonPath += QStringLiteral(".\"") + key + u'"';
        return QStringLiteral("CASE json_type(payload, '%1') WHEN 'text' THEN json_extract(payload, '%1') "
                              "WHEN 'null' THEN NULL ELSE payload -> '%1' END")
            .arg(jsonPath);
    }

    /// Lower-cases the ASCII letters of \a expression (as EventQuery does for Contains), whatever the locale.
    QString foldAsciiCase(const QString& expression) const
    {
        return postgres ? QStringLiteral("translate(%1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')")
                              .arg(expression)
                        : QStringLiteral("lower(%1)").arg(expression); // ASCII only: no ICU in SQLite here
    }

    QString contains(const QString& expression) const
    {
        return postgres ? QStringLiteral("strpos(%1, ?) > 0").arg(expression)
                        : QStringLiteral("instr(%1, ?) > 0").arg(expression);
    }
};

QString foldAsciiCase(QString text)
{
    for (QChar& c : text) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return text;
}

/// A statement and its positional parameters.
struct Statement {
    QString sql;
    QVariantList binds;
};

/**
 * The SELECT of a search page. The page's keyset is the global position; with a stream the rows come from the
 * (stream_id, stream_version) index, whose order is the stream's position order. Several event types without a
 * stream are one subquery per type, each in position order from the (event_type, global_position) index and
 * limited, merged: one IN (…) would make SQLite sort every event of those types for every page.
 */
Statement searchStatement(const SearchSql& sql, const QString& columns, const EventQuery& query,
    GlobalPosition boundary, EventSearch::Direction direction, int limit, bool inclusive)
{
    QStringList conditions;
    QVariantList binds;
    const bool older = direction == EventSearch::Direction::Older;
    if (older) {
        if (boundary > 0) {
            conditions << (inclusive ? QStringLiteral("global_position <= ?") : QStringLiteral("global_position < ?"));
            binds << boundary;
        }
    } else {
        conditions << (inclusive ? QStringLiteral("global_position >= ?") : QStringLiteral("global_position > ?"));
        binds << std::max<GlobalPosition>(boundary, 0);
    }
    if (!query.streamId.isEmpty()) {
        conditions << QStringLiteral("stream_id = ?");
        binds << query.streamId;
    }
    QStringList types = query.eventTypes;
    types.removeDuplicates(); // a type twice would return its events twice
    const bool typePerSubquery = query.streamId.isEmpty() && types.size() > 1;
    if (!query.eventTypes.isEmpty() && !typePerSubquery) {
        conditions << SqlDialect::typeCondition(int(query.eventTypes.size())).mid(5); // without " AND "
        for (const QString& type : query.eventTypes)
            binds << type;
    }
    if (!query.categories.isEmpty()) {
        conditions << SqlDialect::categoryCondition(int(query.categories.size())).mid(5);
        for (const QString& category : query.categories)
            binds += SqlDialect::categoryBindings(category);
    }
    // SQLite: "+recorded_at" keeps the planner off the recorded_at index, which would make it sort the whole
    // time range for every page; walking positions from the boundary costs the skipped events once.
    const QString time = sql.postgres ? QStringLiteral("recorded_at") : QStringLiteral("+recorded_at");
    if (query.from.isValid()) {
        conditions << time + QStringLiteral(" >= ") + sql.timeParameter();
        binds << query.from.toMSecsSinceEpoch();
    }
    if (query.until.isValid()) {
        conditions << time + QStringLiteral(" < ") + sql.timeParameter();
        binds << query.until.toMSecsSinceEpoch();
    }
    if (!query.actor.isEmpty()) {
        conditions << sql.metadataEquals(QStringLiteral("actor"));
        binds << query.actor;
    }
    if (!query.correlationId.isEmpty()) {
        conditions << sql.metadataEquals(QStringLiteral("correlationId"));
        binds << query.correlationId;
    }
    if (!query.payload.isEmpty()) {
        const QString text = sql.payloadText(query.payload.path);
        if (query.payload.match == PayloadCondition::Match::Equals) {
            conditions << u'(' + text + QStringLiteral(") = ?");
            binds << query.payload.value;
        } else {
            conditions << sql.contains(sql.foldAsciiCase(text));
            binds << foldAsciiCase(query.payload.value);
        }
    }
    const QString order = older ? QStringLiteral(" DESC LIMIT ?") : QStringLiteral(" LIMIT ?");
    const auto select = [&](const QStringList& where, const QString& orderColumn) -> QString {
        QString text = QStringLiteral("SELECT ") + columns + QStringLiteral(" FROM es_events");
        if (!where.isEmpty())
            text += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
        return text + QStringLiteral(" ORDER BY ") + orderColumn + order;
    };

    Statement statement;
    if (!typePerSubquery) {
        statement.sql = select(conditions,
            query.streamId.isEmpty() ? QStringLiteral("global_position") : QStringLiteral("stream_version"));
        statement.binds = binds;
        statement.binds << limit;
        return statement;
    }
    QStringList parts;
    for (qsizetype i = 0; i < types.size(); ++i) {
        parts << QStringLiteral("SELECT * FROM (%1) t%2")
                     .arg(select(QStringList { QStringLiteral("event_type = ?") } + conditions,
                         QStringLiteral("global_position")))
                     .arg(i);
        statement.binds << types.at(i);
        statement.binds += binds;
        statement.binds << limit;
    }
    statement.sql = parts.join(QStringLiteral(" UNION ALL ")) + QStringLiteral(" ORDER BY 1") + order;
    statement.binds << limit;
    return statement;
}

sqlite3* sqliteHandle(const QSqlDatabase& db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

struct ProgressState {
    const SearchControl* control = nullptr;
    bool stopped = false;
};

int onSqliteProgress(void* context)
{
    auto* state = static_cast<ProgressState*>(context);
    if (state->control->shouldStop()) {
        state->stopped = true;
        return 1; // interrupts the statement with SQLITE_INTERRUPT
    }
    return 0;
}

/// Shared by a PostgreSQL search and the watcher that cancels it; see guarded().
struct CancelWatch {
    QMutex mutex;
    QWaitCondition wake;
    bool done = false;
};

/**
 * Runs \a body (which reads through the StoreConnection it is given) so that \a control can stop it:
 * SQLite checks the control from a progress handler installed on the connection for the duration;
 * PostgreSQL runs in a transaction with SET LOCAL statement_timeout for the time limit, while a watcher on
 * another thread cancels the backend (pg_cancel_backend) when the control is cancelled.
 */
template <typename T, typename Body>
StoreResult<T> guarded(const std::shared_ptr<SqlEventStore>& store, SearchControl control, Body body)
{
    control.start();
    if (control.shouldStop())
        return cancelledError(control);
    auto db = store->threadConnection();
    if (!db)
        return db.error();
    // The thread's connection, without its cache of statements (which SqlEventStore keeps to itself): ours are
    // prepared per search, which costs little next to a search.
    std::optional<StoreResult<T>> result;
    {
        StoreConnection connection;
        connection.db = db.value();
        db.value() = QSqlDatabase(); // one handle only, so that a dead connection can be dropped cleanly
        const auto dropIfDead = [&] {
            connection.native.clear();
            connection.statements.clear();
            connection.db = QSqlDatabase();
            store->dropDeadThreadConnection();
        };
        if (!isPostgres(*store)) {
            sqlite3* handle = sqliteHandle(connection.db);
            if (!handle)
                return StoreError(StoreError::Code::Unsupported,
                    EventSearch::tr("The QSQLITE driver did not hand out its sqlite3 connection, so searches cannot be "
                                    "stopped."));
            ProgressState state { &control };
            sqlite3_progress_handler(handle, ProgressInstructions, &onSqliteProgress, &state);
            result.emplace(body(connection));
            connection.native.clear();
            connection.statements.clear();
            sqlite3_progress_handler(handle, 0, nullptr, nullptr);
            if (state.stopped)
                return cancelledError(control);
            if (!result->ok() && result->error().code() == StoreError::Code::ConnectionFailed)
                dropIfDead();
            return std::move(*result);
        }

        QSqlDatabase& pg = connection.db;
        if (!pg.transaction()) {
            const QString message = pg.lastError().text().trimmed();
            dropIfDead();
            return StoreError(StoreError::Code::ConnectionFailed,
                EventSearch::tr("Could not start the search: %1. Check the connection to the database.").arg(message));
        }
        qint64 pid = 0;
        {
            QSqlQuery setup(pg);
            const qint64 remaining = control.deadline().remainingTime();
            if (remaining >= 0
                && !setup.exec(
                    QStringLiteral("SET LOCAL statement_timeout = %1").arg(std::max<qint64>(remaining, 1)))) {
                const StoreError error
                    = SqlDialect::queryError(setup, EventSearch::tr("setting the search's time limit"));
                setup.finish();
                pg.rollback();
                return error;
            }
            if (!setup.exec(QStringLiteral("SELECT pg_backend_pid()")) || !setup.next()) {
                const StoreError error = SqlDialect::queryError(setup, EventSearch::tr("preparing the search"));
                setup.finish();
                pg.rollback();
                return error;
            }
            pid = setup.value(0).toLongLong();
        }
        auto watch = std::make_shared<CancelWatch>();
        auto watcher
            = QtConcurrent::run(cancelWatchers(), [watch, control, weak = std::weak_ptr<SqlEventStore>(store), pid] {
                  QMutexLocker lock(&watch->mutex);
                  while (!watch->done) {
                      if (control.isCancelled()) {
                          // Under the lock: the search cannot finish and start something else on its connection
                          // (which this cancel would then hit) until the cancel request has been sent.
                          if (auto owner = weak.lock()) {
                              if (auto own = owner->threadConnection()) {
                                  QSqlQuery cancel(own.value());
                                  cancel.exec(QStringLiteral("SELECT pg_cancel_backend(%1)").arg(pid));
                              }
                          }
                          return;
                      }
                      watch->wake.wait(&watch->mutex, 20);
                  }
              });
        Q_UNUSED(watcher); // runs on its own until the search is done
        result.emplace(body(connection));
        {
            QMutexLocker lock(&watch->mutex);
            watch->done = true;
            watch->wake.wakeAll();
        }
        connection.statements.clear();
        if (result->ok()) {
            if (!pg.commit()) {
                const QString message = pg.lastError().text().trimmed();
                pg.rollback();
                if (control.shouldStop())
                    return cancelledError(control);
                return StoreError(
                    StoreError::Code::QueryFailed, EventSearch::tr("Could not finish the search: %1").arg(message));
            }
            return std::move(*result);
        }
        pg.rollback();
    }
    if (control.shouldStop())
        return cancelledError(control);
    if (result->error().code() == StoreError::Code::QueryFailed
        || result->error().code() == StoreError::Code::ConnectionFailed)
        store->dropDeadThreadConnection();
    return std::move(*result);
}

/// Runs \a body on the thread's connection without a control (short reads by key).
template <typename T, typename Body>
StoreResult<T> plain(const std::shared_ptr<SqlEventStore>& store, Body body)
{
    auto db = store->threadConnection();
    if (!db)
        return db.error();
    std::optional<StoreResult<T>> result;
    {
        StoreConnection connection;
        connection.db = db.value();
        db.value() = QSqlDatabase();
        result.emplace(body(connection));
    }
    if (!result->ok()
        && (result->error().code() == StoreError::Code::QueryFailed
            || result->error().code() == StoreError::Code::ConnectionFailed))
        store->dropDeadThreadConnection();
    return std::move(*result);
}

StoreResult<QSqlQuery*> run(StoreConnection& connection, const Statement& statement, const QString& what)
{
    auto prepared = connection.statement(statement.sql);
    if (!prepared)
        return prepared.error();
    QSqlQuery* query = prepared.value();
    for (const QVariant& value : statement.binds)
        query->addBindValue(value);
    if (!query->exec())
        return SqlDialect::queryError(*query, what);
    return query;
}

} // namespace

EventSearch::EventSearch(std::shared_ptr<SqlEventStore> store)
    : m_store(std::move(store))
{
}

StoreResult<QList<EventSummary>> EventSearch::summaries(const EventQuery& query, GlobalPosition boundary,
    Direction direction, int limit, SearchControl control, bool inclusive) const
{
    if (auto problem = query.validate())
        return invalid(*problem);
    if (auto error = checkLimit(limit))
        return *error;
    const SearchSql sql { isPostgres(*m_store) };
    // Only what a row shows: the payload is never read, and of the metadata only two values, extracted by
    // the database.
    const QString columns = QStringLiteral("global_position, stream_version, ")
        + sql.milliseconds(QStringLiteral("recorded_at")) + QStringLiteral(", schema_version, stream_id, event_type, ")
        + sql.metadataString(QStringLiteral("actor")) + QStringLiteral(", ")
        + sql.metadataString(QStringLiteral("correlationId"));
    const Statement statement = searchStatement(sql, columns, query, boundary, direction, limit, inclusive);
    return guarded<QList<EventSummary>>(
        m_store, control, [&](StoreConnection& connection) -> StoreResult<QList<EventSummary>> {
            auto executed = run(connection, statement, tr("searching events"));
            if (!executed)
                return executed.error();
            QSqlQuery* q = executed.value();
            QList<EventSummary> page;
            page.reserve(std::min(limit, 4096));
            while (q->next()) {
                EventSummary& summary = page.emplace_back();
                summary.position = q->value(0).toLongLong();
                summary.version = q->value(1).toLongLong();
                summary.recordedAtMs = q->value(2).toLongLong();
                summary.schemaVersion = q->value(3).toInt();
                summary.streamId = q->value(4).toString();
                summary.eventType = q->value(5).toString();
                summary.actor = q->value(6).toString();
                summary.correlationId = q->value(7).toString();
            }
            if (q->lastError().isValid())
                return SqlDialect::queryError(*q, tr("searching events"));
            q->finish();
            return page;
        });
}

StoreResult<QList<RecordedEvent>> EventSearch::events(const EventQuery& query, GlobalPosition boundary,
    Direction direction, int limit, SearchControl control, bool inclusive) const
{
    if (auto problem = query.validate())
        return invalid(*problem);
    if (auto error = checkLimit(limit))
        return *error;
    const SearchSql sql { isPostgres(*m_store) };
    const Statement statement = searchStatement(sql, sql.eventColumns(), query, boundary, direction, limit, inclusive);
    const SqlDialect& dialect = m_store->dialect();
    return guarded<QList<RecordedEvent>>(m_store, control, [&](StoreConnection& connection) {
        return dialect.queryEvents(connection, statement.sql, statement.binds, tr("searching events"));
    });
}

StoreResult<std::optional<RecordedEvent>> EventSearch::event(GlobalPosition position) const
{
    const QString sql = QStringLiteral("SELECT ") + SearchSql { isPostgres(*m_store) }.eventColumns()
        + QStringLiteral(" FROM es_events WHERE global_position = ? LIMIT ?");
    const SqlDialect& dialect = m_store->dialect();
    return plain<std::optional<RecordedEvent>>(
        m_store, [&](StoreConnection& connection) -> StoreResult<std::optional<RecordedEvent>> {
            auto found = dialect.queryEvents(
                connection, sql, { position, 1 }, tr("reading the event at position %1").arg(position));
            if (!found)
                return found.error();
            if (found->isEmpty())
                return std::optional<RecordedEvent>();
            return std::optional<RecordedEvent>(found->first());
        });
}

StoreResult<std::optional<RecordedEvent>> EventSearch::eventById(const QUuid& eventId) const
{
    const QString condition
        = isPostgres(*m_store) ? QStringLiteral("event_id = CAST(? AS uuid)") : QStringLiteral("event_id = ?");
    const QString sql = QStringLiteral("SELECT ") + SearchSql { isPostgres(*m_store) }.eventColumns()
        + QStringLiteral(" FROM es_events WHERE ") + condition + QStringLiteral(" LIMIT ?");
    const SqlDialect& dialect = m_store->dialect();
    const QString id = eventId.toString(QUuid::WithoutBraces);
    return plain<std::optional<RecordedEvent>>(
        m_store, [&](StoreConnection& connection) -> StoreResult<std::optional<RecordedEvent>> {
            auto found = dialect.queryEvents(connection, sql, { id, 1 }, tr("reading event %1").arg(id));
            if (!found)
                return found.error();
            if (found->isEmpty())
                return std::optional<RecordedEvent>();
            return std::optional<RecordedEvent>(found->first());
        });
}

StoreResult<QList<RecordedEvent>> EventSearch::correlated(const QString& correlationId, int limit) const
{
    if (auto error = checkLimit(limit))
        return *error;
    if (correlationId.isEmpty())
        return QList<RecordedEvent>();
    const SearchSql search { isPostgres(*m_store) };
    const QString sql = QStringLiteral("SELECT ") + search.eventColumns() + QStringLiteral(" FROM es_events WHERE ")
        + search.metadataEquals(QStringLiteral("correlationId")) + QStringLiteral(" ORDER BY global_position LIMIT ?");
    const SqlDialect& dialect = m_store->dialect();
    return plain<QList<RecordedEvent>>(m_store, [&](StoreConnection& connection) {
        return dialect.queryEvents(
            connection, sql, { correlationId, limit }, tr("reading the events of correlation %1").arg(correlationId));
    });
}

StoreResult<std::optional<GlobalPosition>> EventSearch::positionAt(const QDateTime& time) const
{
    if (!time.isValid())
        return invalid(tr("No time was given. Give the date and time to go to."));
    const SearchSql search { isPostgres(*m_store) };
    // The first event by time (ties by position): served by the recorded_at index of migration 4.
    const Statement statement { QStringLiteral("SELECT global_position FROM es_events WHERE recorded_at >= ")
            + search.timeParameter() + QStringLiteral(" ORDER BY recorded_at, global_position LIMIT 1"),
        { time.toMSecsSinceEpoch() } };
    return plain<std::optional<GlobalPosition>>(
        m_store, [&](StoreConnection& connection) -> StoreResult<std::optional<GlobalPosition>> {
            auto executed = run(connection, statement, tr("finding the event at a time"));
            if (!executed)
                return executed.error();
            QSqlQuery* q = executed.value();
            std::optional<GlobalPosition> position;
            if (q->next())
                position = q->value(0).toLongLong();
            q->finish();
            return position;
        });
}

StoreResult<QList<EventTypeCount>> EventSearch::eventTypes(SearchControl control) const
{
    const Statement statement {
        QStringLiteral("SELECT event_type, COUNT(*) FROM es_events GROUP BY event_type ORDER BY event_type"), {}
    };
    return guarded<QList<EventTypeCount>>(
        m_store, control, [&](StoreConnection& connection) -> StoreResult<QList<EventTypeCount>> {
            auto executed = run(connection, statement, tr("counting event types"));
            if (!executed)
                return executed.error();
            QSqlQuery* q = executed.value();
            QList<EventTypeCount> types;
            while (q->next())
                types.append({ q->value(0).toString(), q->value(1).toLongLong() });
            q->finish();
            return types;
        });
}

StoreResult<std::pair<GlobalPosition, GlobalPosition>> EventSearch::positionRange() const
{
    const Statement statement {
        QStringLiteral("SELECT COALESCE(MIN(global_position), 0), COALESCE(MAX(global_position), 0) FROM es_events"), {}
    };
    return plain<std::pair<GlobalPosition, GlobalPosition>>(
        m_store, [&](StoreConnection& connection) -> StoreResult<std::pair<GlobalPosition, GlobalPosition>> {
            auto executed = run(connection, statement, tr("reading the range of positions"));
            if (!executed)
                return executed.error();
            QSqlQuery* q = executed.value();
            if (!q->next())
                return SqlDialect::queryError(*q, tr("reading the range of positions"));
            const std::pair<GlobalPosition, GlobalPosition> range { q->value(0).toLongLong(),
                q->value(1).toLongLong() };
            q->finish();
            return range;
        });
}

StoreResult<StreamListing> EventSearch::listStreams(
    const StreamQuery& query, const StreamCursor& cursor, int limit) const
{
    if (limit < 1 || limit > MaxPageSize)
        return invalid(tr("A page of %1 streams is not allowed; ask for 1 to %2.").arg(limit).arg(MaxPageSize));
    const bool postgres = isPostgres(*m_store);
    const SearchSql search { postgres };
    Statement statement;
    QStringList conditions;
    QVariantList& binds = statement.binds;

    const QString pattern = query.pattern.trimmed();
    const qsizetype wildcard = [&] {
        const qsizetype star = pattern.indexOf(u'*');
        const qsizetype one = pattern.indexOf(u'?');
        if (star < 0)
            return one;
        return one < 0 ? star : std::min(star, one);
    }();
    // The literal part before the first wildcard is a range of the primary key. Stream ids hold only
    // characters below '~', so prefix + '~' bounds it.
    const QString prefix = wildcard < 0 ? pattern : pattern.left(wildcard);
    if (!prefix.isEmpty()) {
        conditions << QStringLiteral("stream_id >= ? AND stream_id < ?");
        binds << prefix << QString(prefix + u'~');
    }
    if (wildcard >= 0) {
        QString like;
        for (const QChar c : pattern) {
            if (postgres) {
                if (c == u'\\' || c == u'%' || c == u'_')
                    like += u'\\' + QString(c);
                else if (c == u'*')
                    like += u'%';
                else if (c == u'?')
                    like += u'_';
                else
                    like += c;
            } else {
                // GLOB: '*' and '?' as ours, '[' opens a character class and is taken literally as "[[]".
                if (c == u'[')
                    like += QStringLiteral("[[]");
                else
                    like += c;
            }
        }
        conditions << (postgres ? QStringLiteral("stream_id LIKE ? ESCAPE '\\'") : QStringLiteral("stream_id GLOB ?"));
        binds << like;
    }

    const bool byActivity = query.order == StreamQuery::Order::LastActivity;
    if (!cursor.isNull()) {
        if (!byActivity) {
            conditions << QStringLiteral("stream_id > ?");
            binds << cursor.streamId;
        } else if (!postgres) {
            conditions << QStringLiteral("(last_recorded_at, stream_id) < (?, ?)");
            binds << cursor.lastRecordedAt.toMSecsSinceEpoch() << cursor.streamId;
        } else {
            // The cursor holds milliseconds, the column microseconds. The cursor stream's own stored time is
            // the exact key while it is still in the cursor's millisecond; if the stream has moved on since
            // (a new event), continue from the end of that millisecond: streams of the same millisecond may
            // then show twice, but none is skipped.
            const qint64 ms = cursor.lastRecordedAt.toMSecsSinceEpoch();
            conditions << QStringLiteral("(last_recorded_at, stream_id) < (COALESCE((SELECT c.last_recorded_at FROM "
                                         "es_streams c WHERE c.stream_id = ? AND c.last_recorded_at >= %1 AND "
                                         "c.last_recorded_at < %1), %1), ?)")
                              .arg(search.timeParameter());
            // %1 was substituted three times with the same text; bind its three values in order.
            binds << cursor.streamId << ms << ms + 1 << ms + 1 << cursor.streamId;
        }
    }

    statement.sql = QStringLiteral("SELECT stream_id, category, last_version, ")
        + search.milliseconds(QStringLiteral("first_recorded_at")) + QStringLiteral(", ")
        + search.milliseconds(QStringLiteral("last_recorded_at")) + QStringLiteral(" FROM es_streams");
    if (!conditions.isEmpty())
        statement.sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    statement.sql += byActivity ? QStringLiteral(" ORDER BY last_recorded_at DESC, stream_id DESC LIMIT ?")
                                : QStringLiteral(" ORDER BY stream_id LIMIT ?");
    binds << limit + 1;

    return plain<StreamListing>(m_store, [&](StoreConnection& connection) -> StoreResult<StreamListing> {
        auto executed = run(connection, statement, tr("listing streams"));
        if (!executed)
            return executed.error();
        QSqlQuery* q = executed.value();
        StreamListing listing;
        while (q->next()) {
            if (listing.streams.size() == limit) {
                const StreamInfo& last = listing.streams.last();
                listing.next = StreamCursor { last.streamId, last.lastRecordedAt };
                break;
            }
            StreamInfo& info = listing.streams.emplace_back();
            info.streamId = q->value(0).toString();
            info.category = q->value(1).toString();
            info.lastVersion = q->value(2).toLongLong();
            info.eventCount = info.lastVersion + 1; // streams are append-only and gap-free
            info.firstRecordedAt = QDateTime::fromMSecsSinceEpoch(q->value(3).toLongLong(), Qt::UTC);
            info.lastRecordedAt = QDateTime::fromMSecsSinceEpoch(q->value(4).toLongLong(), Qt::UTC);
        }
        q->finish();
        return listing;
    });
}

} // namespace EventScope
