// SPDX-License-Identifier: Apache-2.0
// AlertModel over an AlertMonitor with fake projection lag: the active list inserts and removes rows as alerts
// are raised and cleared (critical first), the history prepends transitions and keeps the monitor's bound.
#include "alertmodel.h"

#include <QAbstractItemModelTester>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

struct Fake {
    QDateTime now = QDateTime(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);
    QList<ProjectionStatus> projections;
    QList<CircuitBreakerReading> breakers;

    AlertMonitor::Sources sources()
    {
        AlertMonitor::Sources sources;
        sources.projections = [this] { return projections; };
        sources.breakers = [this] { return breakers; };
        sources.clock = [this] { return now; };
        return sources;
    }
    void setLag(const QString& name, qint64 events)
    {
        projections.removeIf([&](const ProjectionStatus& status) { return status.name == name; });
        ProjectionStatus status;
        status.name = name;
        status.lagEvents = events;
        projections << status;
    }
};

AppConfig::Alerts settings(int historySize)
{
    AppConfig::Alerts settings;
    settings.projectionLag = { 100, 0ms };
    settings.historySize = historySize;
    return settings;
}

} // namespace

class TestAlertModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(u"eventscope.core.alerts.warning=false"_s); }
    void activeFollowsMonitor();
    void historyNewestFirstAndBounded();
    void startsFromMonitorState();
};

void TestAlertModel::activeFollowsMonitor()
{
    Fake fake;
    AlertMonitor monitor(settings(100), fake.sources());
    AlertModel model(AlertModel::Mode::Active);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 4);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    fake.setLag(u"accounts"_s, 500);
    monitor.evaluate();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.index(0, 2).data().toString(), u"Projection lag: accounts"_s);
    QVERIFY(model.index(0, 3).data().toString().contains(u"500"_s));

    // A critical alert goes first.
    fake.now = fake.now.addSecs(5);
    fake.breakers = { { u"default"_s, CircuitBreakerReading::State::Open, fake.now } };
    monitor.evaluate();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0, {}).data(AlertModel::AlertIdRole).toString(), u"circuit-breaker:default"_s);
    QCOMPARE(model.index(0, 1).data().toString(), u"critical"_s);

    // Updates change the row in place.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    fake.setLag(u"accounts"_s, 700);
    monitor.evaluate();
    QCOMPARE(changed.size(), 1);
    QVERIFY(model.index(1, 3).data().toString().contains(u"700"_s));

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    fake.breakers.clear();
    fake.setLag(u"accounts"_s, 0);
    monitor.evaluate();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.size(), 2);
}

void TestAlertModel::historyNewestFirstAndBounded()
{
    Fake fake;
    AlertMonitor monitor(settings(3), fake.sources());
    AlertModel model(AlertModel::Mode::History);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QCOMPARE(model.columnCount(), 5);
    for (int i = 0; i < 3; ++i) {
        fake.now = fake.now.addSecs(1);
        fake.setLag(u"accounts"_s, 500);
        monitor.evaluate();
        fake.now = fake.now.addSecs(1);
        fake.setLag(u"accounts"_s, 0);
        monitor.evaluate();
    }
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, AlertModel::ColumnChange).data().toString(), u"cleared"_s);
    QCOMPARE(model.index(0, 0).data(AlertModel::ClearedRole).toBool(), true);
    QCOMPARE(model.index(1, AlertModel::ColumnChange).data().toString(), u"raised"_s);
    QCOMPARE(model.alert(0).clearedAt, fake.now);
    const QString cleared = model.index(0, AlertModel::ColumnMessage).data().toString();
    QVERIFY2(cleared.startsWith(u"Back to normal after 1 s. It was: Projection accounts is 500 events"_s),
        qPrintable(cleared));

    // A fresh model over the same monitor shows the same rows.
    AlertModel again(AlertModel::Mode::History);
    again.setMonitor(&monitor);
    QCOMPARE(again.rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(again.index(row, 1).data(), model.index(row, 1).data());
}

void TestAlertModel::startsFromMonitorState()
{
    Fake fake;
    auto monitor = std::make_unique<AlertMonitor>(settings(10), fake.sources());
    fake.setLag(u"a"_s, 500);
    fake.setLag(u"b"_s, 500);
    monitor->evaluate();
    AlertModel model(AlertModel::Mode::Active);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(monitor.get());
    QCOMPARE(model.rowCount(), 2);
    monitor.reset(); // the model empties itself
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestAlertModel)
#include "tst_alertmodel.moc"
