// SPDX-License-Identifier: Apache-2.0
// HealthRegistry: overall status is the worst, checks run in parallel with a timeout each, a hanging check is
// reported down and not started again while it hangs, thrown exceptions are failures, and the JSON body.
// Also the resilience and projection checks over scripted inputs.
#include "monitoring/healthregistry.h"
#include "monitoring/projectionhealthcheck.h"
#include "monitoring/resiliencehealthcheck.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <stdexcept>

using namespace EventScope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

/// Answers with a fixed result, optionally after a delay or after being released.
class ScriptedCheck final : public HealthCheck {
public:
    ScriptedCheck(QString name, HealthCheckResult result)
        : m_name(std::move(name))
        , m_result(std::move(result))
    {
    }

    QString name() const override { return m_name; }
    HealthCheckResult check(QDeadlineTimer) override
    {
        ++calls;
        threadWasMain = QThread::currentThread() == QCoreApplication::instance()->thread();
        if (blockUntilReleased)
            release.acquire();
        if (delayMs > 0)
            QThread::msleep(delayMs);
        if (throwIt)
            throw std::runtime_error("database driver exploded");
        return m_result;
    }

    std::atomic<int> calls { 0 };
    std::atomic<int> delayMs { 0 };
    std::atomic<bool> blockUntilReleased { false };
    std::atomic<bool> throwIt { false };
    std::atomic<bool> threadWasMain { true };
    QSemaphore release;

private:
    QString m_name;
    HealthCheckResult m_result;
};

std::shared_ptr<ScriptedCheck> scripted(const QString& name, HealthStatus status)
{
    return std::make_shared<ScriptedCheck>(name, HealthCheckResult { status, name + u" detail"_s, {}, {} });
}

ProjectionStatus projection(const QString& name, ProjectionState state, qint64 lag)
{
    ProjectionStatus status;
    status.name = name;
    status.state = state;
    status.lagEvents = lag;
    return status;
}

} // namespace

class TestHealthRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void overallIsTheWorst_data()
    {
        QTest::addColumn<QList<int>>("statuses");
        QTest::addColumn<int>("overall");
        const int up = int(HealthStatus::Up);
        const int degraded = int(HealthStatus::Degraded);
        const int down = int(HealthStatus::Down);
        QTest::newRow("none") << QList<int> {} << up;
        QTest::newRow("all up") << QList<int> { up, up, up } << up;
        QTest::newRow("one degraded") << QList<int> { up, degraded, up } << degraded;
        QTest::newRow("degraded and down") << QList<int> { degraded, down, up } << down;
        QTest::newRow("down first") << QList<int> { down, up } << down;
    }

    void overallIsTheWorst()
    {
        QFETCH(QList<int>, statuses);
        QFETCH(int, overall);
        HealthRegistry registry(2s);
        for (qsizetype i = 0; i < statuses.size(); ++i)
            QVERIFY(registry.add(scripted(u"check%1"_s.arg(i), HealthStatus(statuses.at(i)))));
        const HealthReport report = registry.runAll();
        QCOMPARE(int(report.status), overall);
        QCOMPARE(qsizetype(report.checks.size()), statuses.size());
        for (qsizetype i = 0; i < statuses.size(); ++i)
            QCOMPARE(int(report.checks.at(u"check%1"_s.arg(i)).status), statuses.at(i));
        QCOMPARE(report.httpStatusCode(), overall == int(HealthStatus::Down) ? 503 : 200);
    }

    void jsonBodyHasStatusChecksAndTime()
    {
        HealthRegistry registry(2s);
        auto slow = scripted(u"eventstore"_s, HealthStatus::Up);
        slow->delayMs = 30;
        registry.add(slow);
        registry.add(scripted(u"projections"_s, HealthStatus::Degraded));
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        const QJsonObject body = QJsonDocument::fromJson(registry.runAll().toJsonBytes()).object();

        QCOMPARE(body.value(u"status"_s).toString(), u"degraded"_s);
        const QDateTime time = QDateTime::fromString(body.value(u"time"_s).toString(), Qt::ISODateWithMs);
        QVERIFY(time.isValid());
        QVERIFY(time >= before);
        const QJsonObject checks = body.value(u"checks"_s).toObject();
        QCOMPARE(checks.keys(), (QStringList { u"eventstore"_s, u"projections"_s }));
        const QJsonObject store = checks.value(u"eventstore"_s).toObject();
        QCOMPARE(store.value(u"status"_s).toString(), u"up"_s);
        QCOMPARE(store.value(u"detail"_s).toString(), u"eventstore detail"_s);
        QVERIFY(store.value(u"durationMs"_s).toInteger() >= 30);
        QVERIFY(QDateTime::fromString(store.value(u"checkedAt"_s).toString(), Qt::ISODateWithMs) >= before);
        QCOMPARE(checks.value(u"projections"_s).toObject().value(u"status"_s).toString(), u"degraded"_s);
        // Checks ran on the registry's threads, not on this one.
        QVERIFY(!slow->threadWasMain);
    }

    void runOneByName()
    {
        HealthRegistry registry(1s);
        registry.add(scripted(u"eventstore"_s, HealthStatus::Down));
        registry.add(scripted(u"resilience"_s, HealthStatus::Up));
        QVERIFY(!registry.add(scripted(u"resilience"_s, HealthStatus::Down)));
        QCOMPARE(registry.names(), (QStringList { u"eventstore"_s, u"resilience"_s }));

        const auto report = registry.run(u"resilience"_s);
        QVERIFY(report);
        QCOMPARE(report->status, HealthStatus::Up);
        QCOMPARE(report->checks.size(), size_t(1));
        QVERIFY(!registry.run(u"nonsense"_s));
    }

    void hangingCheckTimesOutAndIsNotStartedAgainMeanwhile()
    {
        HealthRegistry registry(300ms);
        auto hanging = scripted(u"eventstore"_s, HealthStatus::Up);
        hanging->blockUntilReleased = true;
        auto quick = scripted(u"resilience"_s, HealthStatus::Up);
        registry.add(hanging);
        registry.add(quick);
        // Declared after the registry: a failing assertion must not leave its destructor waiting for the check.
        const auto releaseOnExit = qScopeGuard([&hanging] {
            hanging->blockUntilReleased = false;
            hanging->release.release();
        });

        QElapsedTimer timer;
        timer.start();
        HealthReport report = registry.runAll();
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(elapsed >= 300 && elapsed < 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(report.status, HealthStatus::Down);
        QCOMPARE(report.checks.at(u"eventstore"_s).status, HealthStatus::Down);
        QVERIFY2(report.checks.at(u"eventstore"_s).detail.contains(u"300 ms"_s),
            qPrintable(report.checks.at(u"eventstore"_s).detail));
        QCOMPARE(report.checks.at(u"resilience"_s).status, HealthStatus::Up);

        // Still hanging: the next run does not start a second copy and says so, without waiting for it.
        timer.restart();
        report = registry.runAll();
        QVERIFY(timer.elapsed() < 300);
        QCOMPARE(hanging->calls.load(), 1);
        QCOMPARE(quick->calls.load(), 2);
        QCOMPARE(report.checks.at(u"eventstore"_s).status, HealthStatus::Down);
        QVERIFY2(report.checks.at(u"eventstore"_s).detail.contains(u"previous check"_s),
            qPrintable(report.checks.at(u"eventstore"_s).detail));

        // Once it returns, it runs again and recovers.
        hanging->blockUntilReleased = false;
        hanging->release.release();
        QTRY_VERIFY_WITH_TIMEOUT(registry.runAll().status == HealthStatus::Up, 5000);
        QVERIFY(hanging->calls.load() >= 2);
    }

    void checksRunInParallel()
    {
        HealthRegistry registry(5s);
        for (int i = 0; i < 4; ++i) {
            auto check = scripted(u"slow%1"_s.arg(i), HealthStatus::Up);
            check->delayMs = 300;
            registry.add(check);
        }
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(registry.runAll().status, HealthStatus::Up);
        QVERIFY2(timer.elapsed() < 1100, qPrintable(QString::number(timer.elapsed())));
    }

    void overlappingRunsAreNotDown()
    {
        // Two probes at once (an orchestrator and a person with curl): neither may see a healthy check as down.
        HealthRegistry registry(5s);
        auto check = scripted(u"slow"_s, HealthStatus::Up);
        check->delayMs = 300;
        registry.add(check);
        HealthStatus first = HealthStatus::Down;
        QThread* other = QThread::create([&] { first = registry.runAll().status; });
        other->start();
        QTRY_COMPARE_WITH_TIMEOUT(check->calls.load(), 1, 5000);
        const HealthStatus second = registry.runAll().status;
        QVERIFY(other->wait(10000));
        delete other;
        QCOMPARE(first, HealthStatus::Up);
        QCOMPARE(second, HealthStatus::Up);
        QCOMPARE(check->calls.load(), 2);
    }

    void throwingCheckIsDown()
    {
        HealthRegistry registry(1s);
        auto check = scripted(u"eventstore"_s, HealthStatus::Up);
        check->throwIt = true;
        registry.add(check);
        const HealthReport report = registry.runAll();
        QCOMPARE(report.status, HealthStatus::Down);
        QVERIFY(report.checks.at(u"eventstore"_s).detail.contains(u"database driver exploded"_s));
    }

    void resilienceCheckFollowsTheBreakers()
    {
        QList<CircuitBreakerReading> breakers;
        ResilienceHealthCheck check([&breakers] { return breakers; });
        QCOMPARE(check.name(), u"resilience"_s);
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Up);

        breakers = { { u"eventstore"_s, CircuitBreakerReading::State::Closed, {} },
            { u"commandbus"_s, CircuitBreakerReading::State::Closed, {} } };
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Up);

        breakers[1].state = CircuitBreakerReading::State::HalfOpen;
        HealthCheckResult result = check.check(QDeadlineTimer(1s));
        QCOMPARE(result.status, HealthStatus::Degraded);
        QVERIFY(result.detail.contains(u"commandbus"_s));

        breakers[0].state = CircuitBreakerReading::State::Open;
        breakers[0].since = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
        result = check.check(QDeadlineTimer(1s));
        QCOMPARE(result.status, HealthStatus::Down);
        QVERIFY2(
            result.detail.contains(u"'eventstore' is open since 2026-01-02T03:04:05Z"_s), qPrintable(result.detail));
    }

    void projectionCheckFollowsFaultsAndLag()
    {
        QList<ProjectionStatus> statuses;
        ProjectionHealthCheck check([&statuses] { return statuses; }, { 100, 1000 });
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Up);

        statuses = { projection(u"users"_s, ProjectionState::Live, 0),
            projection(u"balances"_s, ProjectionState::CatchingUp, 99) };
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Up);

        statuses[1].lagEvents = 100;
        HealthCheckResult result = check.check(QDeadlineTimer(1s));
        QCOMPARE(result.status, HealthStatus::Degraded);
        QVERIFY2(result.detail.contains(u"'balances' lags 100 events"_s), qPrintable(result.detail));

        statuses[1].lagEvents = 1000;
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Down);

        statuses[1].lagEvents = 0;
        statuses[0].state = ProjectionState::Paused;
        QCOMPARE(check.check(QDeadlineTimer(1s)).status, HealthStatus::Degraded);

        statuses[0].state = ProjectionState::Faulted;
        statuses[0].fault = ProjectionFault { 42, u"user-1"_s, u"UserRenamed"_s, u"no such user"_s, {} };
        result = check.check(QDeadlineTimer(1s));
        QCOMPARE(result.status, HealthStatus::Down);
        QVERIFY2(result.detail.contains(u"'users' is faulted at position 42"_s), qPrintable(result.detail));
        QVERIFY(result.detail.contains(u"no such user"_s));
    }
};

QTEST_GUILESS_MAIN(TestHealthRegistry)
#include "tst_healthregistry.moc"
