// SPDX-License-Identifier: Apache-2.0
// TimeoutPolicy: a call that finishes in time returns its value; a call that does not makes the caller stop
// waiting (std::nullopt, counted) while the work still finishes on the worker. Zero disables it.
#include "resilience/timeoutpolicy.h"

#include <QString>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <semaphore>

using namespace EventScope;
using namespace std::chrono_literals;

class TestTimeoutPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void returnsInTime()
    {
        TimeoutPolicy policy(60s);
        const auto result = policy.run<QString>([] { return QStringLiteral("done"); });
        QVERIFY(result);
        QCOMPARE(*result, QStringLiteral("done"));
        QCOMPARE(policy.timeouts(), 0);
    }

    void callerStopsWaitingWorkFinishes()
    {
        TimeoutPolicy policy(50ms);
        // The work blocks until the test lets it go, so the timeout must fire whatever the machine's speed.
        auto gate = std::make_shared<std::binary_semaphore>(0);
        auto finished = std::make_shared<std::atomic<bool>>(false);
        const auto result = policy.run<int>([gate, finished] {
            gate->acquire();
            *finished = true;
            return 7;
        });
        QVERIFY(!result);
        QCOMPARE(policy.timeouts(), 1);
        QVERIFY(!finished->load());
        gate->release();
        QTRY_VERIFY_WITH_TIMEOUT(finished->load(), 30000);
    }

    void runsOnAWorkerThread()
    {
        TimeoutPolicy policy(60s);
        QThread* caller = QThread::currentThread();
        const auto worker = policy.run<QThread*>([] { return QThread::currentThread(); });
        QVERIFY(worker);
        QVERIFY(*worker != caller);
    }

    void zeroDisables()
    {
        TimeoutPolicy policy(0ms);
        QVERIFY(!policy.enabled());
        QThread* caller = QThread::currentThread();
        const auto worker = policy.run<QThread*>([] { return QThread::currentThread(); });
        QVERIFY(worker);
        QCOMPARE(*worker, caller);
    }
};

QTEST_GUILESS_MAIN(TestTimeoutPolicy)
#include "tst_timeoutpolicy.moc"
