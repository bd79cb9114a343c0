// SPDX-License-Identifier: Apache-2.0
// The alerts pane and the status-bar button over an AlertMonitor fed with fake metrics: an alert raised by the
// values appears in the pane (active list and history) and on the status button, clicking the button asks for the
// pane, and clearing takes it away again. With EVENTSCOPE_SCREENSHOT_DIR set, saves screenshots there.
#include "alertnotifier.h"
#include "alertspane.h"
#include "monitoring/alertmonitor.h"
#include "monitoring/metricsregistry.h"
#include "monitoring/standardmetrics.h"

#include <QDir>
#include <QLabel>
#include <QLoggingCategory>
#include <QMainWindow>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace EventScope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

struct Fake {
    QDateTime now = QDateTime::currentDateTimeUtc().addSecs(-600);
    QList<ProjectionStatus> projections;
    QList<CircuitBreakerReading> breakers;
    MetricsRegistry registry;
    StandardMetrics metrics { registry };

    AlertMonitor::Sources sources()
    {
        AlertMonitor::Sources sources;
        sources.metrics = &registry;
        sources.projections = [this] { return projections; };
        sources.breakers = [this] { return breakers; };
        sources.clock = [this] { return now; };
        return sources;
    }
    void setLag(const QString& name, qint64 events, std::chrono::milliseconds time)
    {
        projections.removeIf([&](const ProjectionStatus& status) { return status.name == name; });
        ProjectionStatus status;
        status.name = name;
        status.state = ProjectionState::CatchingUp;
        status.eventsPerSecond = 850;
        status.lagEvents = events;
        status.lagTime = time;
        projections << status;
    }
};

bool save(QWidget* widget, const QString& name)
{
    const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
    const QPixmap shot = widget->grab();
    if (shot.isNull())
        return false;
    return directory.isEmpty() || (QDir().mkpath(directory) && shot.save(QDir(directory).filePath(name)));
}

} // namespace

class TestAlertsPane : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(u"eventscope.core.alerts.warning=false"_s); }
    void raisedAlertShowsInPaneAndStatusBar();
    void withoutMonitor();
};

void TestAlertsPane::raisedAlertShowsInPaneAndStatusBar()
{
    Fake fake;
    AppConfig::Alerts settings;
    settings.commandErrors.window = 60s;
    settings.commandErrors.minCommands = 10;
    AlertMonitor monitor(settings, fake.sources());

    QMainWindow window;
    window.resize(1100, 620);
    auto* pane = new AlertsPane(&window);
    window.setCentralWidget(pane);
    pane->setMonitor(&monitor);
    AlertNotifier notifier;
    notifier.setMonitor(&monitor);
    QToolButton* button = notifier.statusButton();
    window.statusBar()->addPermanentWidget(button);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto* summary = pane->findChild<QLabel*>(u"alertsSummary"_s);
    auto* active = pane->findChild<QTableView*>(u"activeAlertsView"_s);
    auto* history = pane->findChild<QTableView*>(u"alertHistoryView"_s);
    auto* thresholds = pane->findChild<QLabel*>(u"alertsThresholds"_s);
    QVERIFY(summary && active && history && thresholds);
    QCOMPARE(summary->text(), u"No alert is active."_s);
    QCOMPARE(button->text(), u"No alerts"_s);
    QVERIFY2(thresholds->text().contains(u"projection lag ≥ "_s) && thresholds->text().contains(u" events or 5 min"_s),
        qPrintable(thresholds->text()));

    // Fake metrics: a lagging projection, a burst of failed commands, then an open breaker.
    monitor.evaluate(); // baseline of the windows
    fake.now = fake.now.addSecs(20);
    fake.setLag(u"account_balances"_s, 48211, 7min);
    fake.metrics.commandsExecuted.labels({ u"Deposit"_s, u"ok"_s }).increment(40);
    fake.metrics.commandsExecuted.labels({ u"Deposit"_s, u"store-unavailable"_s }).increment(12);
    QSignalSpy notification(&notifier, &AlertNotifier::notificationRequested);
    monitor.evaluate();
    QCOMPARE(active->model()->rowCount(), 2);
    QCOMPARE(summary->text(), u"2 alerts are active."_s);
    QCOMPARE(button->text(), u"⚠ 2 alerts"_s);
    QVERIFY2(button->toolTip().contains(u"Projection lag: account_balances"_s), qPrintable(button->toolTip()));
    // Critical first: the command errors.
    QCOMPARE(active->model()->index(0, 2).data().toString(), u"Command errors"_s);
    QCOMPARE(active->model()->index(1, 2).data().toString(), u"Projection lag: account_balances"_s);
    QCOMPARE(history->model()->rowCount(), 2);
    // One desktop notification for both (shown where a tray exists; offscreen has none).
    QTRY_COMPARE(notification.size(), 1);
    QVERIFY(notification.at(0).at(1).toString().contains(u"account_balances"_s));
    QCOMPARE(notifier.notificationsShown(), AlertNotifier::notificationsAvailable() ? 1 : 0);

    fake.now = fake.now.addSecs(10);
    fake.breakers = { { u"default"_s, CircuitBreakerReading::State::Open, fake.now.addSecs(-42) } };
    monitor.evaluate();
    QCOMPARE(button->text(), u"⚠ 3 alerts"_s);
    QCOMPARE(active->model()->rowCount(), 3);
    QVERIFY(save(pane, u"alertspane.png"_s));
    QVERIFY(save(&window, u"alertspane-window.png"_s));

    // The status button opens the pane.
    QSignalSpy requested(&notifier, &AlertNotifier::paneRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);

    // Values back to normal: every alert clears; the history keeps raised and cleared.
    fake.now = fake.now.addSecs(120);
    fake.setLag(u"account_balances"_s, 3, 1s);
    fake.breakers[0].state = CircuitBreakerReading::State::Closed;
    fake.metrics.commandsExecuted.labels({ u"Deposit"_s, u"ok"_s }).increment(100);
    monitor.evaluate();
    QCOMPARE(active->model()->rowCount(), 0);
    QCOMPARE(summary->text(), u"No alert is active."_s);
    QCOMPARE(button->text(), u"No alerts"_s);
    QCOMPARE(history->model()->rowCount(), 6);
    QCOMPARE(history->model()->index(0, 1).data().toString(), u"cleared"_s);
    QVERIFY(save(pane, u"alertspane-history.png"_s));
}

void TestAlertsPane::withoutMonitor()
{
    AlertsPane pane;
    auto* summary = pane.findChild<QLabel*>(u"alertsSummary"_s);
    QVERIFY(summary->text().contains(u"no store is open"_s));
    AlertNotifier notifier;
    QCOMPARE(notifier.statusButton()->text(), u"No alerts"_s);
    delete notifier.statusButton();
}

QTEST_MAIN(TestAlertsPane)
#include "tst_alertspane.moc"
