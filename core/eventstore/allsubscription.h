// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "readoptions.h"
#include "storeerror.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

class QThread;

namespace EventScope {

class SqlEventStore;
class AllSubscriptionWorker;

/**
 * A catch-up subscription to $all that hands over to live delivery without a gap or a duplicate.
 *
 * It runs on its own thread. It reads $all from its position in batches and passes each batch to the
 * handler, on the subscription's thread, in order; when a read comes back short it is live and waits for
 * a wake-up: an append in this process, a PostgreSQL NOTIFY from another process, or (SQLite) a change of
 * `PRAGMA data_version` seen by polling. Catch-up and live use the same read, continuing from the last
 * delivered position, so nothing committed in between can fall through. The handler runs synchronously:
 * a slow handler slows the subscription down instead of growing a queue, so memory stays bounded.
 */
class AllSubscription : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(const QList<RecordedEvent>&)>;

    struct Options {
        GlobalPosition after = 0;
        AllFilter filter;
        int batchSize = 500;
    };

    AllSubscription(std::shared_ptr<SqlEventStore> store, Options options, Handler handler, QObject* parent = nullptr);
    /// Stops and joins the subscription thread.
    ~AllSubscription() override;

    void start();
    /// Stops delivery and waits for the thread to finish (returns after the current batch's handler).
    void stop();

    /// Position of the last delivered event (thread-safe).
    GlobalPosition position() const { return m_position.load(); }
    /// True once the subscription has caught up with the head it saw (thread-safe).
    bool isLive() const { return m_live.load(); }

Q_SIGNALS:
    /// Emitted (from the subscription thread) the first time a read comes back short.
    void caughtUp(EventScope::GlobalPosition position);
    /// Emitted when reading fails; the subscription retries after the poll interval.
    void failed(const QString& message);

private:
    friend class AllSubscriptionWorker;
    std::shared_ptr<SqlEventStore> m_store;
    Options m_options;
    Handler m_handler;
    std::atomic<GlobalPosition> m_position { 0 };
    std::atomic<bool> m_live { false };
    QThread* m_thread = nullptr;
    AllSubscriptionWorker* m_worker = nullptr;
};

} // namespace EventScope
