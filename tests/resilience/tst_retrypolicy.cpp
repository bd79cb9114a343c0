// SPDX-License-Identifier: Apache-2.0
// RetryPolicy: the backoff schedule (factor, cap), jitter bounds, attempts counted, and which outcomes are
// retried — without sleeping: the sleeper records the delays.
#include "resilience/retrypolicy.h"

#include <QTest>

#include <chrono>
#include <random>

using namespace EventScope;
using namespace std::chrono_literals;

namespace {

AppConfig::Retry settings(
    int attempts, std::chrono::milliseconds initial, std::chrono::milliseconds max, double factor, bool jitter)
{
    AppConfig::Retry s;
    s.maxAttempts = attempts;
    s.initialDelay = initial;
    s.maxDelay = max;
    s.backoffFactor = factor;
    s.jitter = jitter;
    return s;
}

} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void schedule_data()
    {
        QTest::addColumn<qint64>("initial");
        QTest::addColumn<qint64>("max");
        QTest::addColumn<double>("factor");
        QTest::addColumn<QList<qint64>>("expected"); // nominal delays before retries 1, 2, …
        QTest::newRow("doubling, capped")
            << qint64(100) << qint64(1000) << 2.0 << QList<qint64> { 100, 200, 400, 800, 1000, 1000 };
        QTest::newRow("factor 1 is constant") << qint64(50) << qint64(5000) << 1.0 << QList<qint64> { 50, 50, 50 };
        QTest::newRow("factor 1.5") << qint64(100) << qint64(10000) << 1.5 << QList<qint64> { 100, 150, 225, 338 };
        QTest::newRow("cap below initial keeps initial")
            << qint64(300) << qint64(100) << 2.0 << QList<qint64> { 300, 300 };
    }
    void schedule()
    {
        QFETCH(qint64, initial);
        QFETCH(qint64, max);
        QFETCH(double, factor);
        QFETCH(QList<qint64>, expected);
        QList<qint64> slept;
        RetryPolicy policy(settings(int(expected.size()) + 1, std::chrono::milliseconds(initial),
                               std::chrono::milliseconds(max), factor, false),
            [&slept](std::chrono::milliseconds d) { slept.append(d.count()); });
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(policy.nominalDelay(i + 1).count(), expected.at(i));

        int attempts = 0;
        const int result = policy.run<int>([&attempts] { return ++attempts; }, [](const int&) { return true; });
        QCOMPARE(result, int(expected.size()) + 1);
        QCOMPARE(attempts, int(expected.size()) + 1);
        QCOMPARE(slept, expected);
        QCOMPARE(policy.retries(), qint64(expected.size()));
        QCOMPARE(policy.exhausted(), 1);
    }

    void hugeRetryNumbersStayCapped()
    {
        RetryPolicy policy(settings(3, 100ms, 5s, 10.0, false), [](std::chrono::milliseconds) {});
        QCOMPARE(policy.nominalDelay(1000), 5000ms);
    }

    void jitterStaysWithinBounds()
    {
        std::mt19937 engine(42);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        QList<qint64> slept;
        RetryPolicy policy(
            settings(6, 100ms, 1s, 2.0, true), [&slept](std::chrono::milliseconds d) { slept.append(d.count()); },
            [&] { return unit(engine); });
        policy.run<int>([] { return 0; }, [](const int&) { return true; });
        QCOMPARE(slept.size(), 5);
        bool varied = false;
        for (int i = 0; i < slept.size(); ++i) {
            const qint64 nominal = policy.nominalDelay(i + 1).count();
            QVERIFY2(slept.at(i) >= nominal / 2 && slept.at(i) <= nominal,
                qPrintable(
                    QStringLiteral("retry %1 waited %2 ms, nominal %3").arg(i + 1).arg(slept.at(i)).arg(nominal)));
            varied = varied || slept.at(i) != nominal;
        }
        QVERIFY(varied);
    }

    void jitterExtremes()
    {
        double draw = 0.0;
        RetryPolicy policy(
            settings(3, 200ms, 1s, 2.0, true), [](std::chrono::milliseconds) {}, [&draw] { return draw; });
        QCOMPARE(policy.delay(1), 100ms);
        QCOMPARE(policy.delay(2), 200ms);
        draw = 0.999999;
        QCOMPARE(policy.delay(1), 200ms);
        QCOMPARE(policy.delay(2), 400ms);
    }

    void stopsAtFirstNonRetryableOutcome()
    {
        int slept = 0;
        RetryPolicy policy(settings(5, 10ms, 100ms, 2.0, false), [&slept](std::chrono::milliseconds) { ++slept; });
        int attempts = 0;
        // Fails transiently twice, then with an error that must not be retried.
        const QString result = policy.run<QString>(
            [&attempts] {
                ++attempts;
                return attempts < 3 ? QStringLiteral("transient") : QStringLiteral("conflict");
            },
            [](const QString& r) { return r == QStringLiteral("transient"); });
        QCOMPARE(result, QStringLiteral("conflict"));
        QCOMPARE(attempts, 3);
        QCOMPARE(slept, 2);
        QCOMPARE(policy.exhausted(), 0);
    }

    void singleAttemptNeverSleeps()
    {
        int slept = 0;
        RetryPolicy policy(settings(1, 10ms, 100ms, 2.0, true), [&slept](std::chrono::milliseconds) { ++slept; });
        int attempts = 0;
        policy.run<int>([&attempts] { return ++attempts; }, [](const int&) { return true; });
        QCOMPARE(attempts, 1);
        QCOMPARE(slept, 0);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
