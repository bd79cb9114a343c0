// SPDX-License-Identifier: Apache-2.0
// ChartsPane on a real Engine (SQLite TestStore) recording into a MonitoringHub: commands get a commands/s line;
// a chaos drill at 100 % opens the circuit breaker and the breaker chart shows it open; only developers may start
// a drill; events per type per day and the health lights come from the engine. With EVENTSCOPE_SCREENSHOT_DIR set
// it saves each tab, in the light and a dark palette, after a short workload with a drill in the middle.
#include "chartspane.h"

#include "engine/engine.h"
#include "metricseriesmodel.h"
#include "monitoring/monitoringhub.h"
#include "resilience/faultinjectingeventstore.h"
#include "resilience/resiliencepipeline.h"
#include "teststores.h"
#include "widgettesting.h"

#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QTest>
#include <QXYSeries>
#include <QtConcurrent>

#include <atomic>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

CommandContext developer()
{
    CommandContext context;
    context.actor = QStringLiteral("dev@example.com");
    context.role = Role::Developer;
    return context;
}

DispatchResult open(Engine& engine, const QString& id)
{
    return engine.dispatch(Command { QUuid::createUuid(), QStringLiteral("OpenAccount"), id,
                               { { QStringLiteral("owner"), QStringLiteral("Ada") },
                                   { QStringLiteral("currency"), QStringLiteral("EUR") } } },
        developer());
}

DispatchResult deposit(Engine& engine, const QString& id, int amount)
{
    return engine.dispatch(
        Command { QUuid::createUuid(), QStringLiteral("Deposit"), id, { { QStringLiteral("amount"), amount } } },
        developer());
}

double lastY(const QXYSeries* series)
{
    return series && series->count() > 0 ? series->at(series->count() - 1).y() : -1.0;
}

double highestY(const QXYSeries* series)
{
    double highest = -1.0;
    for (int i = 0; series && i < series->count(); ++i)
        highest = std::max(highest, series->at(i).y());
    return highest;
}

void saveShot(QWidget* widget, const QString& name)
{
    QVERIFY(EventScope::Test::saveScreenshot(widget, name));
}

} // namespace

class TestChartsPane : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::unique_ptr<MonitoringHub> m_hub;
    std::shared_ptr<Engine> m_engine;

    /// An Engine ready for drills (zero-rate fault injection) whose breaker opens after 4 failed calls.
    std::shared_ptr<Engine> makeEngine(bool withChaos = true)
    {
        auto store = m_test->open();
        if (!store)
            return nullptr;
        Engine::Options options;
        options.store = store.value();
        options.metrics = m_hub->metrics();
        if (withChaos)
            options.chaos = FaultInjection {};
        AppConfig config;
        config.resilience.circuitBreaker.requestVolume = 4;
        config.resilience.circuitBreaker.sleepWindow = std::chrono::seconds(60);
        config.resilience.retry.maxAttempts = 2;
        config.resilience.retry.initialDelay = std::chrono::milliseconds(1);
        config.resilience.retry.maxDelay = std::chrono::milliseconds(2);
        config.projections.pollInterval = std::chrono::milliseconds(50);
        auto created = Engine::create(config, std::move(options));
        if (!created)
            return nullptr;
        return std::move(created).value();
    }

    std::unique_ptr<ChartsPane> makePane(Role role = Role::Developer)
    {
        auto pane = std::make_unique<ChartsPane>();
        pane->setMonitoring(m_hub.get());
        pane->setEngine(m_engine);
        pane->setRole(role);
        pane->resize(1200, 820);
        pane->show();
        return pane;
    }

private Q_SLOTS:
    void init()
    {
        m_test = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        m_hub = std::make_unique<MonitoringHub>();
        m_engine = makeEngine();
        QVERIFY(m_engine);
        m_hub->attach(m_engine);
    }

    void cleanup()
    {
        if (m_engine)
            m_engine->projections().stop();
        m_hub->detach();
        m_engine.reset();
        m_hub.reset();
        m_test.reset();
    }

    void commandsPerSecondGetsPoints()
    {
        auto pane = makePane();
        pane->setCurrentTab(ChartsPane::MetricsTab);
        for (int i = 0; i < 5; ++i)
            QVERIFY(open(*m_engine, QStringLiteral("acc-%1").arg(i)).ok());
        QTRY_VERIFY(pane->chartSeries(QStringLiteral("commands"), QStringLiteral("ok")));
        const QXYSeries* ok = pane->chartSeries(QStringLiteral("commands"), QStringLiteral("ok"));
        QTRY_VERIFY(highestY(ok) > 0.0);
        QCOMPARE(ok->name(), QStringLiteral("ok"));
        QTRY_VERIFY(highestY(pane->chartSeries(QStringLiteral("eventsAppended"))) > 0.0);
        // The time axis is laid out in a chart whose first line came while it was shown (the plot area leaves
        // room for it, as in a chart that had its line from the start).
        QTRY_COMPARE(pane->chartOf(QStringLiteral("commands"))->plotArea().height(),
            pane->chartOf(QStringLiteral("eventsAppended"))->plotArea().height());
        QTRY_VERIFY(pane->chartSeries(QStringLiteral("appendP99")));
        QTRY_VERIFY(pane->chartSeries(QStringLiteral("appendP99"))->count() > 0);
        // Hidden: no more redraws; the model keeps sampling, slowly.
        pane->hide();
        QVERIFY(pane->seriesModel()->isRunning());
        QCOMPARE(pane->seriesModel()->sampleInterval(), std::chrono::milliseconds(1000));
        const int points = ok->count();
        const QPointF last = ok->at(points - 1);
        QTest::qWait(300);
        QCOMPARE(ok->at(ok->count() - 1), last);
    }

    void aChaosDrillOpensTheBreakerAndTheChartShowsIt()
    {
        auto pane = makePane();
        pane->setCurrentTab(ChartsPane::ResilienceTab);
        auto* toggle = pane->findChild<QPushButton*>(QStringLiteral("chaosToggle"));
        auto* rate = pane->findChild<QSpinBox*>(QStringLiteral("chaosRate"));
        auto* banner = pane->findChild<QLabel*>(QStringLiteral("chaosBanner"));
        QVERIFY(toggle && rate && banner);
        QVERIFY(toggle->isEnabled());
        QVERIFY(!banner->isVisible());
        const QString breaker = m_engine->resilience()->breaker().name();
        QTRY_COMPARE(lastY(pane->chartSeries(QStringLiteral("breaker"), breaker)), 0.0); // closed

        QSignalSpy chaos(pane.get(), &ChartsPane::chaosChanged);
        rate->setValue(100);
        QTest::mouseClick(toggle, Qt::LeftButton);
        QCOMPARE(chaos.count(), 1);
        QCOMPARE(chaos.at(0).at(0).toBool(), true);
        QCOMPARE(chaos.at(0).at(1).toString(), QStringLiteral("Chaos drill on: 100 % of store calls fail"));
        QVERIFY(pane->isChaosDrillOn());
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().startsWith(QStringLiteral("Chaos drill on: 100 % of store calls fail")));
        QCOMPARE(m_engine->chaos()->faults().failureRate, 1.0);

        for (int i = 0; i < 6; ++i)
            QVERIFY(!open(*m_engine, QStringLiteral("chaos-%1").arg(i)).ok());
        QCOMPARE(m_engine->resilience()->breaker().state(), CircuitBreaker::State::Open);
        QTRY_COMPARE(lastY(pane->chartSeries(QStringLiteral("breaker"), breaker)), 2.0); // open
        // Two failed attempts per call: one retry each, until the breaker opened.
        QTRY_VERIFY(highestY(pane->chartSeries(QStringLiteral("retries"), QStringLiteral("eventstore"))) > 0.0);
        // Commands refused while it is open: the command bus's gate answers store-unavailable.
        QTRY_VERIFY(highestY(pane->chartSeries(QStringLiteral("outcomes"), QStringLiteral("store-unavailable"))) > 0.0);

        QTest::mouseClick(toggle, Qt::LeftButton);
        QCOMPARE(chaos.count(), 2);
        QCOMPARE(chaos.at(1).at(0).toBool(), false);
        QVERIFY(!pane->isChaosDrillOn());
        QVERIFY(!banner->isVisible());
        QCOMPARE(m_engine->chaos()->faults().failureRate, 0.0);
    }

    void onlyDevelopersMayStartADrill_data()
    {
        QTest::addColumn<Role>("role");
        QTest::newRow("auditor") << Role::Auditor;
        QTest::newRow("support") << Role::Support;
    }
    void onlyDevelopersMayStartADrill()
    {
        QFETCH(Role, role);
        auto pane = makePane(role);
        auto* toggle = pane->findChild<QPushButton*>(QStringLiteral("chaosToggle"));
        auto* note = pane->findChild<QLabel*>(QStringLiteral("chaosNote"));
        QVERIFY(toggle && note);
        QVERIFY(!toggle->isEnabled());
        QVERIFY(toggle->toolTip().contains(QStringLiteral("developer")));
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(roleName(role)));
        QSignalSpy chaos(pane.get(), &ChartsPane::chaosChanged);
        QTest::mouseClick(toggle, Qt::LeftButton);
        QString error;
        QVERIFY(!pane->startChaosDrill(0.3, &error));
        QVERIFY(error.contains(QStringLiteral("developer")));
        QCOMPARE(chaos.count(), 0);
        QVERIFY(!pane->isChaosDrillOn());
        QCOMPARE(m_engine->chaos()->faults().failureRate, 0.0);
        QVERIFY(open(*m_engine, QStringLiteral("fine")).ok());
    }

    void aDrillEndsWhenTheRoleOrEngineChanges()
    {
        auto pane = makePane();
        QSignalSpy chaos(pane.get(), &ChartsPane::chaosChanged);
        QVERIFY(pane->startChaosDrill(0.3));
        QCOMPARE(m_engine->chaos()->faults().failureRate, 0.3);
        QCOMPARE(pane->chaosDescription(), QStringLiteral("Chaos drill on: 30 % of store calls fail"));
        pane->setRole(Role::Support);
        QVERIFY(!pane->isChaosDrillOn());
        QCOMPARE(m_engine->chaos()->faults().failureRate, 0.0);
        QCOMPARE(chaos.count(), 2);

        pane->setRole(Role::Developer);
        QVERIFY(pane->startChaosDrill(0.5));
        pane->setEngine(nullptr);
        QVERIFY(!pane->isChaosDrillOn());
        QCOMPARE(m_engine->chaos()->faults().failureRate, 0.0);
        QString error;
        QVERIFY(!pane->startChaosDrill(0.5, &error));
        QVERIFY(error.contains(QStringLiteral("Connect")));
    }

    void anEngineWithoutFaultInjectionCannotDrill()
    {
        m_hub->detach();
        m_engine = makeEngine(false);
        QVERIFY(m_engine);
        m_hub->attach(m_engine);
        auto pane = makePane();
        auto* toggle = pane->findChild<QPushButton*>(QStringLiteral("chaosToggle"));
        QVERIFY(!toggle->isEnabled());
        QVERIFY(toggle->toolTip().contains(QStringLiteral("without fault injection")));
        QVERIFY(!pane->startChaosDrill(0.5));
    }

    void eventsPerTypePerDayComeFromTheStatistics()
    {
        for (int i = 0; i < 3; ++i) {
            QVERIFY(open(*m_engine, QStringLiteral("t-%1").arg(i)).ok());
            QVERIFY(deposit(*m_engine, QStringLiteral("t-%1").arg(i), 10 + i).ok());
            QVERIFY(deposit(*m_engine, QStringLiteral("t-%1").arg(i), 20 + i).ok());
        }
        m_engine->projections().start();
        const GlobalPosition head = m_engine->store()->headPosition().value();
        QVERIFY(m_engine->projections().waitForCheckpoint(
            QStringLiteral("event_type_stats"), head, std::chrono::seconds(10)));

        auto pane = makePane();
        QSignalSpy loaded(pane.get(), &ChartsPane::eventTypesLoaded);
        pane->setCurrentTab(ChartsPane::EventTypesTab);
        QVERIFY(loaded.count() > 0 || loaded.wait(10000));
        auto* chart = pane->findChild<QChartView*>(QStringLiteral("eventTypeChart"))->chart();
        QCOMPARE(chart->series().size(), 1);
        auto* bars = qobject_cast<QStackedBarSeries*>(chart->series().constFirst());
        QVERIFY(bars);
        QMap<QString, double> totals;
        for (const QBarSet* set : bars->barSets())
            totals[set->label()] = set->sum();
        QCOMPARE(totals.value(QStringLiteral("AccountOpened")), 3.0);
        QCOMPARE(totals.value(QStringLiteral("MoneyDeposited")), 6.0);
        QCOMPARE(bars->barSets().constFirst()->label(), QStringLiteral("MoneyDeposited")); // most frequent first
        QVERIFY(pane->findChild<QLabel*>(QStringLiteral("eventTypeStatus"))->text().contains(QStringLiteral("9")));
    }

    void healthShowsOneLightPerCheck()
    {
        auto pane = makePane();
        QSignalSpy checked(pane.get(), &ChartsPane::healthChecked);
        pane->setCurrentTab(ChartsPane::HealthTab);
        QVERIFY(checked.count() > 0 || checked.wait(10000));
        auto* table = pane->findChild<QTableWidget*>(QStringLiteral("healthTable"));
        QCOMPARE(table->rowCount(), 4);
        QStringList names;
        for (int row = 0; row < table->rowCount(); ++row)
            names << table->item(row, 0)->text();
        QCOMPARE(names,
            (QStringList { QStringLiteral("eventstore"), QStringLiteral("projections"), QStringLiteral("resilience"),
                QStringLiteral("storeaccess") }));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("Up"));
        QVERIFY(!pane->findChild<QLabel*>(QStringLiteral("healthLight"))->pixmap().isNull());
        QVERIFY(
            pane->findChild<QLabel*>(QStringLiteral("healthOverall"))->text().startsWith(QStringLiteral("Overall: ")));
        QVERIFY(!table->item(0, 2)->text().isEmpty());

        // Open the breaker: resilience goes down, as /health would say.
        QVERIFY(pane->startChaosDrill(1.0));
        for (int i = 0; i < 6; ++i)
            QVERIFY(!open(*m_engine, QStringLiteral("h-%1").arg(i)).ok());
        checked.clear();
        pane->refreshHealth();
        QVERIFY(checked.wait(10000));
        QCOMPARE(pane->lastHealthReport().checks.at(QStringLiteral("resilience")).status, HealthStatus::Down);
        QCOMPARE(table->item(2, 1)->text(), QStringLiteral("Down"));
        pane->stopChaosDrill();
    }

    /// A short workload with a drill in the middle, then a picture of each tab (light and dark).
    void screenshots()
    {
        if (qEnvironmentVariableIsEmpty("EVENTSCOPE_SCREENSHOT_DIR"))
            QSKIP("Set EVENTSCOPE_SCREENSHOT_DIR to save the charts' pictures.");
        m_hub->detach();
        // Default breaker settings: a 30 % drill shows retries and errors without opening it at once.
        auto store = m_test->open();
        QVERIFY(store);
        Engine::Options options;
        options.store = store.value();
        options.metrics = m_hub->metrics();
        options.chaos = FaultInjection {};
        AppConfig config;
        config.resilience.retry.initialDelay = std::chrono::milliseconds(5);
        config.resilience.retry.maxDelay = std::chrono::milliseconds(20);
        config.resilience.circuitBreaker.sleepWindow = std::chrono::seconds(3);
        config.resilience.circuitBreaker.successThreshold = 2;
        config.projections.pollInterval = std::chrono::milliseconds(100);
        auto created = Engine::create(config, std::move(options));
        QVERIFY(created.ok());
        m_engine = std::move(created).value();
        m_hub->attach(m_engine);
        m_engine->projections().start();

        auto pane = makePane();
        pane->setVisibleWindow(std::chrono::seconds(60));
        std::atomic<bool> stop { false };
        QFuture<void> workload = QtConcurrent::run([engine = m_engine, &stop] {
            int n = 0;
            while (!stop.load()) {
                const QString id = QStringLiteral("shot-%1").arg(n % 40);
                if (n < 40)
                    open(*engine, id);
                else
                    deposit(*engine, id, 1 + n % 50);
                ++n;
                QThread::msleep(15 + (n % 7) * 3);
            }
        });
        QTest::qWait(5000);
        QVERIFY(pane->startChaosDrill(0.6));
        QTest::qWait(6000);
        pane->stopChaosDrill();
        QTest::qWait(5000);
        pane->setCurrentTab(ChartsPane::ResilienceTab);
        QVERIFY(pane->startChaosDrill(0.3)); // on for the picture, so the banner shows
        QTest::qWait(1500);
        pane->refreshCharts();
        saveShot(pane.get(), QStringLiteral("charts-resilience"));
        pane->stopChaosDrill();
        stop.store(true);
        workload.waitForFinished();
        QTest::qWait(500);

        pane->setCurrentTab(ChartsPane::MetricsTab);
        pane->refreshCharts();
        saveShot(pane.get(), QStringLiteral("charts-metrics"));

        QSignalSpy loaded(pane.get(), &ChartsPane::eventTypesLoaded);
        const GlobalPosition head = m_engine->store()->headPosition().value();
        QVERIFY(m_engine->projections().waitForCheckpoint(
            QStringLiteral("event_type_stats"), head, std::chrono::seconds(20)));
        pane->setCurrentTab(ChartsPane::EventTypesTab);
        QVERIFY(loaded.count() > 0 || loaded.wait(10000));
        saveShot(pane.get(), QStringLiteral("charts-eventtypes"));

        QSignalSpy checked(pane.get(), &ChartsPane::healthChecked);
        pane->setCurrentTab(ChartsPane::HealthTab);
        QVERIFY(checked.count() > 0 || checked.wait(10000));
        saveShot(pane.get(), QStringLiteral("charts-health"));

        pane->setPalette(EventScope::Test::darkPalette());
        pane->setCurrentTab(ChartsPane::MetricsTab);
        pane->refreshCharts();
        saveShot(pane.get(), QStringLiteral("charts-metrics-dark"));
        pane->setCurrentTab(ChartsPane::ResilienceTab);
        pane->refreshCharts();
        saveShot(pane.get(), QStringLiteral("charts-resilience-dark"));
    }
};

QTEST_MAIN(TestChartsPane)
#include "tst_chartspane.moc"
