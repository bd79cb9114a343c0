// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"
#include "monitoring/healthreport.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <chrono>
#include <memory>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QHideEvent;
class QLabel;
class QPushButton;
class QShowEvent;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QXYSeries;

namespace EventScope {

class Engine;
class MetricSeriesModel;
class MonitoringHub;

/**
 * Live charts of the engine, from the MonitoringHub's metrics registry, in four tabs:
 * - Resilience: circuit-breaker state per breaker over time (step line), retries, timeouts and breaker
 *   rejections per second, bulkhead calls in use and queued with rejections per second, commands per second
 *   by outcome (store-unavailable rises when the breaker opens); and the chaos drill (see below).
 * - Metrics: commands per second by outcome, events appended and handled per second, append and read latency
 *   (p50/p95/p99 over the last 10 s), projection lag per projection.
 * - Events per type per day: a stacked bar chart from the GetEventTypeStatistics query (the event_type_stats
 *   read model), reloaded on a pool thread every 30 s while the tab is shown.
 * - Health: one light per health check with its detail, as `/health` reports it, checked on a pool thread
 *   every 5 s while the tab is shown.
 *
 * The lines come from a MetricSeriesModel sampling the hub 10 times a second; the charts redraw the tab shown
 * 10 times a second with QXYSeries::replace() from the model's decimated buffers, over the window chosen (last
 * 1, 5 or 10 minutes). While the pane is hidden nothing is redrawn and sampling slows to once a second, so the
 * history has no gap when it is shown again.
 *
 * Chaos drill: makes a share of the domain's event-store calls fail on purpose (Engine::chaos(), present when
 * the Engine was created with Engine::Options::chaos), to watch retries, the breaker and the health checks
 * react. Only the developer role may start it; for other roles the toggle is disabled with the reason shown.
 * While on, a red banner says so and chaosChanged() tells the main window to flag it.
 *
 * setMonitoring() takes the hub the Engine records into (Engine::Options::metrics = hub.metrics(), then
 * hub.attach(engine)); the hub must outlive the pane.
 */
class ChartsPane : public QWidget {
    Q_OBJECT
public:
    enum Tab { ResilienceTab, MetricsTab, EventTypesTab, HealthTab };

    explicit ChartsPane(QWidget* parent = nullptr);
    ~ChartsPane() override;

    /// The engine for queries and chaos drills (null: no store). Stops a drill running on the previous one.
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }
    /// The hub sampled for the charts and asked for health (not owned; null: nothing is drawn).
    void setMonitoring(MonitoringHub* hub);
    MonitoringHub* monitoring() const { return m_hub; }

    /// Who works here; a drill of a role that may not run one is stopped.
    void setRole(Role role);
    Role role() const { return m_role; }
    static bool mayRunChaosDrill(Role role) { return role == Role::Developer; }

    /**
     * Starts (or changes) the chaos drill: \a failureRate (0…1) of the domain's event-store calls fail.
     * False, with \a error set and nothing changed, when the role, the engine or the rate does not allow it.
     */
    bool startChaosDrill(double failureRate, QString* error = nullptr);
    /// Ends the drill: no more faults are injected.
    void stopChaosDrill();
    bool isChaosDrillOn() const { return m_chaosOn; }
    double chaosFailureRate() const { return m_chaosRate; }
    /// "Chaos drill on: 30 % of store calls fail", or empty when off.
    QString chaosDescription() const;

    /// How much history the charts show (1 to 10 minutes).
    void setVisibleWindow(std::chrono::seconds window);
    std::chrono::seconds visibleWindow() const { return m_window; }

    void setCurrentTab(Tab tab);
    Tab currentTab() const;

    MetricSeriesModel* seriesModel() const { return m_model; }
    /// The chart line drawing line \a line of the model's series \a id (see seriesModel()), or nullptr.
    QXYSeries* chartSeries(const QString& id, const QString& line = {}) const;
    /// The chart holding the model's series \a id, or nullptr.
    QChart* chartOf(const QString& id) const;

    /// Redraws the charts of the tab shown from the model now (the timer does it 10 times a second).
    void refreshCharts();
    /// Reloads the events per type per day (on a pool thread).
    void refreshEventTypes();
    /// Runs the health checks (on a pool thread).
    void refreshHealth();
    bool isLoadingEventTypes() const { return m_loadingTypes; }
    bool isCheckingHealth() const { return m_checkingHealth; }
    const HealthReport& lastHealthReport() const { return m_health; }

Q_SIGNALS:
    /// The chaos drill started, changed or ended; \a description is for the status bar.
    void chaosChanged(bool on, const QString& description);
    /// Events per type per day were loaded (or their error shown).
    void eventTypesLoaded();
    /// A health check run finished and is shown.
    void healthChecked();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Plot;
    struct EventTypeCounts;

    void setUpWidgets();
    QWidget* createResilienceTab();
    QWidget* createMetricsTab();
    QWidget* createEventTypesTab();
    QWidget* createHealthTab();
    Plot* addPlot(const QString& objectName, const QString& title, const QString& valueTitle);
    void addLine(Plot* plot, const QString& id, const QString& legend);
    void addLines(const QString& id);
    void refreshPlot(Plot& plot, qint64 now);
    void showEventTypes(const EventTypeCounts& counts);
    void showHealth(const HealthReport& report);
    void updateChaosControls();
    void applyChaos(double failureRate);
    void updateActivity();
    void applyTheme();

    std::shared_ptr<Engine> m_engine;
    MonitoringHub* m_hub = nullptr;
    Role m_role = Role::Auditor;
    bool m_chaosOn = false;
    double m_chaosRate = 0.0;
    std::chrono::seconds m_window { 300 };
    quint64 m_typesGeneration = 0;
    quint64 m_healthGeneration = 0;
    bool m_loadingTypes = false;
    bool m_checkingHealth = false;
    HealthReport m_health;

    MetricSeriesModel* m_model = nullptr;
    std::vector<std::unique_ptr<Plot>> m_plots;
    QHash<QString, Plot*> m_plotOf; ///< model series id → plot
    QHash<QString, QString> m_legendOf; ///< model series id → legend pattern
    QTimer m_redraw;
    QTimer m_typesTimer;
    QTimer m_healthTimer;

    QLabel* m_banner = nullptr;
    QComboBox* m_windowChoice = nullptr;
    QLabel* m_liveState = nullptr;
    QTabWidget* m_tabs = nullptr;
    QPushButton* m_chaosToggle = nullptr;
    QSpinBox* m_chaosRateBox = nullptr;
    QLabel* m_chaosNote = nullptr;
    QChartView* m_typesView = nullptr;
    QChart* m_typesChart = nullptr;
    QComboBox* m_typesDays = nullptr;
    QPushButton* m_typesReload = nullptr;
    QLabel* m_typesStatus = nullptr;
    QLabel* m_healthLight = nullptr;
    QLabel* m_healthOverall = nullptr;
    QTableWidget* m_healthTable = nullptr;
    QPushButton* m_healthCheck = nullptr;
};

} // namespace EventScope
