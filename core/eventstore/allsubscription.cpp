// SPDX-License-Identifier: Apache-2.0
#include "allsubscription.h"

#include "sqldialect.h"
#include "sqleventstore.h"

#include <QPointer>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

namespace EventScope {

/// Lives on the subscription thread; everything here runs there.
class AllSubscriptionWorker : public QObject {
public:
    explicit AllSubscriptionWorker(AllSubscription* owner)
        : m_owner(owner)
        , m_position(owner->m_options.after)
    {
    }

    void begin()
    {
        SqlEventStore* store = m_owner->m_store.get();
        // Appends made through this store object in this process: the quickest wake-up.
        QObject::connect(
            store, &EventStore::eventsAppended, this, [this] { schedulePump(); }, Qt::QueuedConnection);

        m_poll = new QTimer(this);
        m_poll->setInterval(store->settings().pollInterval);
        QObject::connect(m_poll, &QTimer::timeout, this, [this] { poll(); });
        m_poll->start();

        ensureListening();
        pump();
    }

private:
    /// PostgreSQL: LISTEN on this thread's connection, again whenever the store had to reconnect.
    void ensureListening()
    {
        SqlEventStore* store = m_owner->m_store.get();
        const QString channel = store->dialect().notificationChannel();
        if (channel.isEmpty())
            return;
        auto db = store->threadConnection();
        if (!db) {
            m_pushed = false;
            return;
        }
        QSqlDriver* driver = db->driver();
        if (m_listening == driver)
            return;
        m_pushed = false;
        // Other processes' appends: NOTIFY, delivered through this thread's event loop.
        if (driver->hasFeature(QSqlDriver::EventNotifications) && driver->subscribeToNotification(channel)) {
            QObject::connect(driver, &QSqlDriver::notification, this, [this] {
                m_wakeRetries = MaxWakeRetries; // the read may find the new events held back for a moment
                schedulePump();
            });
            m_listening = driver;
            m_pushed = true;
        }
    }

    void schedulePump()
    {
        if (m_pumpQueued)
            return;
        m_pumpQueued = true;
        QMetaObject::invokeMethod(
            this, [this] { pump(); }, Qt::QueuedConnection);
    }

    void poll()
    {
        SqlEventStore* store = m_owner->m_store.get();
        if (store->settings().backend != StoreSettings::Backend::Sqlite) {
            // PostgreSQL pushes NOTIFY; the slow poll only covers events held back behind an unrelated long
            // transaction (see the commit-order rule in PostgresDialect::readAll()), which send no NOTIFY.
            if (!m_pushed || ++m_quietPolls % 10 == 0)
                schedulePump();
            return;
        }
        // SQLite: data_version changes when another connection (this process or another) committed.
        if (readDataVersion() != m_dataVersion)
            schedulePump();
    }

    qint64 readDataVersion()
    {
        auto db = m_owner->m_store->threadConnection();
        if (!db)
            return -1;
        QSqlQuery query(db.value());
        if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next())
            return -1;
        return query.value(0).toLongLong();
    }

    void pump()
    {
        m_pumpQueued = false;
        SqlEventStore* store = m_owner->m_store.get();
        ensureListening();
        // Read data_version before the events, so a commit landing during the read is seen by the next poll.
        if (store->settings().backend == StoreSettings::Backend::Sqlite)
            m_dataVersion = readDataVersion();
        const int batchSize = m_owner->m_options.batchSize;
        auto batch = store->readAll(m_position, batchSize, m_owner->m_options.filter);
        if (!batch) {
            Q_EMIT m_owner->failed(batch.error().message());
            return; // the poll timer tries again
        }
        if (!batch->isEmpty()) {
            m_owner->m_handler(batch.value());
            m_position = batch->last().position;
            m_owner->m_position.store(m_position);
        }
        if (batch->size() == batchSize) {
            schedulePump(); // more to read; go through the event loop so stop() and wake-ups get a turn
            return;
        }
        if (!batch->isEmpty()) {
            m_wakeRetries = 0;
        } else if (m_wakeRetries > 0) {
            // Woken by a NOTIFY but nothing to read yet: on PostgreSQL $all holds events back while an older
            // transaction anywhere on the server is still open. Look again soon, backing off, rather than
            // waiting for the slow safety poll.
            const int attempt = MaxWakeRetries - m_wakeRetries--;
            QTimer::singleShot(std::chrono::milliseconds(10 << attempt), this, [this] { schedulePump(); });
        }
        if (!m_owner->m_live.exchange(true))
            Q_EMIT m_owner->caughtUp(m_position);
    }

    AllSubscription* m_owner;
    GlobalPosition m_position;
    QTimer* m_poll = nullptr;
    qint64 m_dataVersion = -1;
    QPointer<QSqlDriver> m_listening; ///< the driver we LISTEN on; null once the store dropped that connection
    static constexpr int MaxWakeRetries = 8; ///< 10 ms … 1.3 s after a NOTIFY
    int m_wakeRetries = 0;
    bool m_pumpQueued = false;
    bool m_pushed = false;
    int m_quietPolls = 0;
};

AllSubscription::AllSubscription(
    std::shared_ptr<SqlEventStore> store, Options options, Handler handler, QObject* parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_options(std::move(options))
    , m_handler(std::move(handler))
    , m_position(m_options.after)
{
    if (m_options.batchSize < 1)
        m_options.batchSize = 500;
}

AllSubscription::~AllSubscription()
{
    stop();
}

void AllSubscription::start()
{
    if (m_thread)
        return;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("es-subscription"));
    m_worker = new AllSubscriptionWorker(this);
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->begin(); }, Qt::QueuedConnection);
}

void AllSubscription::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
}

} // namespace EventScope
