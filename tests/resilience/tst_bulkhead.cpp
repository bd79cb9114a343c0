// SPDX-License-Identifier: Apache-2.0
// Bulkhead with real threads: saturation, queueing, rejection when the queue is full, rejection after the
// queue timeout, counters and the rejected() signal. Waits are on conditions with generous limits; nothing
// asserts on how long anything took.
#include "resilience/bulkhead.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace EventScope;
using namespace std::chrono_literals;

namespace {

AppConfig::Bulkhead settings(int maxRequests, int queueSize, std::chrono::milliseconds timeout)
{
    AppConfig::Bulkhead s;
    s.name = QStringLiteral("test");
    s.maxRequests = maxRequests;
    s.queueSize = queueSize;
    s.timeout = timeout;
    return s;
}

} // namespace

class TestBulkhead : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saturationQueueAndRejection()
    {
        Bulkhead bulkhead(settings(2, 1, 60s));
        QSignalSpy rejected(&bulkhead, &Bulkhead::rejected);
        auto first = bulkhead.acquire();
        auto second = bulkhead.acquire();
        QVERIFY(first);
        QVERIFY(second);
        QCOMPARE(bulkhead.counters().inUse, 2);

        // A third caller queues on its own thread …
        std::atomic<bool> queuedGotSlot { false };
        std::unique_ptr<QThread> waiter(QThread::create([&] {
            Bulkhead::Rejection why = Bulkhead::Rejection::QueueTimeout;
            auto permit = bulkhead.acquire(&why);
            queuedGotSlot = permit != nullptr && why == Bulkhead::Rejection::None;
        }));
        waiter->start();
        QTRY_COMPARE_WITH_TIMEOUT(bulkhead.counters().queued, 1, 30000);

        // … so a fourth is rejected at once: the queue holds one.
        Bulkhead::Rejection why = Bulkhead::Rejection::None;
        QVERIFY(!bulkhead.acquire(&why));
        QCOMPARE(why, Bulkhead::Rejection::QueueFull);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).value<Bulkhead::Rejection>(), Bulkhead::Rejection::QueueFull);

        // Releasing one slot lets the queued caller in.
        first.reset();
        QVERIFY(waiter->wait(30000));
        QVERIFY(queuedGotSlot.load());
        const auto counters = bulkhead.counters();
        QCOMPARE(counters.inUse, 1); // the waiter's permit is gone with its thread, second remains
        QCOMPARE(counters.queued, 0);
        QCOMPARE(counters.acquired, 3);
        QCOMPARE(counters.rejectedQueueFull, 1);
        QCOMPARE(counters.rejectedQueueTimeout, 0);
    }

    void queueTimeout()
    {
        Bulkhead bulkhead(settings(1, 5, 50ms));
        auto held = bulkhead.acquire();
        QVERIFY(held);
        Bulkhead::Rejection why = Bulkhead::Rejection::None;
        // Nothing releases the slot, so the queued call must give up after the timeout.
        QVERIFY(!bulkhead.acquire(&why));
        QCOMPARE(why, Bulkhead::Rejection::QueueTimeout);
        QCOMPARE(bulkhead.counters().rejectedQueueTimeout, 1);
        QCOMPARE(bulkhead.counters().queued, 0);
        held.reset();
        QVERIFY(bulkhead.acquire(&why));
        QCOMPARE(why, Bulkhead::Rejection::None);
    }

    void neverMoreThanMaxRequestsAtOnce()
    {
        Bulkhead bulkhead(settings(3, 100, 60s));
        std::atomic<int> running { 0 };
        std::atomic<int> peak { 0 };
        std::atomic<int> done { 0 };
        QList<QThread*> threads;
        for (int i = 0; i < 12; ++i) {
            threads.append(QThread::create([&] {
                auto permit = bulkhead.acquire();
                if (!permit)
                    return;
                const int now = ++running;
                int seen = peak.load();
                while (now > seen && !peak.compare_exchange_weak(seen, now)) { }
                std::this_thread::sleep_for(5ms);
                --running;
                ++done;
            }));
            threads.last()->start();
        }
        for (QThread* thread : std::as_const(threads)) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        QCOMPARE(done.load(), 12);
        QVERIFY(peak.load() <= 3);
        QVERIFY(peak.load() >= 1);
        QCOMPARE(bulkhead.counters().inUse, 0);
    }

    void permitOutlivesBulkhead()
    {
        Bulkhead::Permit permit;
        {
            Bulkhead bulkhead(settings(1, 0, 1s));
            permit = bulkhead.acquire();
            QVERIFY(permit);
        }
        permit.reset(); // must not touch the destroyed bulkhead (ASan would catch it)
    }
};

QTEST_GUILESS_MAIN(TestBulkhead)
#include "tst_bulkhead.moc"
