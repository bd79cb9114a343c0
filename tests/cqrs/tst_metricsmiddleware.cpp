// SPDX-License-Identifier: Apache-2.0
#include "cqrs/metricsmiddleware.h"

#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace EventScope;

class TestMetricsMiddleware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsByTypeAndOutcome();
    void recordsDurations();
    void metricsAreThreadSafe();
};

namespace {

DispatchResult runWith(MetricsMiddleware& middleware, const QString& type, std::optional<CommandError> error)
{
    Command command;
    command.type = type;
    CommandContext context;
    return middleware.handle(command, context, CommandDescriptor {}, [error](const Command&, CommandContext&) {
        return error ? DispatchResult::failure(*error) : DispatchResult::success(QStringLiteral("a"), 0, {});
    });
}

} // namespace

void TestMetricsMiddleware::countsByTypeAndOutcome()
{
    auto metrics = std::make_shared<CommandMetrics>();
    MetricsMiddleware middleware(metrics);
    runWith(middleware, QStringLiteral("Deposit"), std::nullopt);
    runWith(middleware, QStringLiteral("Deposit"), std::nullopt);
    runWith(middleware, QStringLiteral("Deposit"), CommandError::conflict(QStringLiteral("c"), 3));
    runWith(middleware, QStringLiteral("Withdraw"), CommandError::domainRuleViolated(QStringLiteral("no funds")));

    QCOMPARE(metrics->count(QStringLiteral("Deposit"), QStringLiteral("ok")), 2);
    QCOMPARE(metrics->count(QStringLiteral("Deposit"), QStringLiteral("conflict")), 1);
    QCOMPARE(metrics->count(QStringLiteral("Withdraw"), QStringLiteral("domain-rule-violated")), 1);
    QCOMPARE(metrics->count(QStringLiteral("Withdraw"), QStringLiteral("ok")), 0);
    QCOMPARE(metrics->total(), 4);

    const QList<CommandMetrics::Entry> entries = metrics->entries();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries.at(0).commandType, QStringLiteral("Deposit"));
    QCOMPARE(entries.at(0).outcome, QStringLiteral("conflict"));
    QCOMPARE(entries.at(1).outcome, QStringLiteral("ok"));
    QCOMPARE(entries.at(2).commandType, QStringLiteral("Withdraw"));

    metrics->reset();
    QCOMPARE(metrics->total(), 0);
}

void TestMetricsMiddleware::recordsDurations()
{
    auto metrics = std::make_shared<CommandMetrics>();
    MetricsMiddleware middleware(metrics);
    Command command;
    command.type = QStringLiteral("Slow");
    CommandContext context;
    middleware.handle(command, context, CommandDescriptor {}, [](const Command&, CommandContext&) {
        QThread::msleep(20);
        return DispatchResult::success(QStringLiteral("a"), 0, {});
    });
    const CommandMetrics::Entry entry = metrics->entries().value(0);
    QCOMPARE(entry.count, 1);
    QVERIFY(entry.totalDuration >= std::chrono::milliseconds(15));
    QCOMPARE(entry.maxDuration, entry.totalDuration);
}

void TestMetricsMiddleware::metricsAreThreadSafe()
{
    CommandMetrics metrics;
    constexpr int Threads = 4;
    constexpr int PerThread = 5000;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back(QThread::create([&metrics, t] {
            for (int i = 0; i < PerThread; ++i)
                metrics.record(QStringLiteral("T%1").arg(t % 2), QStringLiteral("ok"), std::chrono::nanoseconds(1));
        }));
        threads.back()->start();
    }
    for (auto& thread : threads)
        QVERIFY(thread->wait(30000));
    QCOMPARE(metrics.total(), qint64(Threads) * PerThread);
    QCOMPARE(metrics.count(QStringLiteral("T0"), QStringLiteral("ok")), qint64(Threads / 2) * PerThread);
}

QTEST_GUILESS_MAIN(TestMetricsMiddleware)
#include "tst_metricsmiddleware.moc"
