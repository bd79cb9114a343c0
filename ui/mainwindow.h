// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"
#include "cqrs/role.h"
#include "eventstore/recordedevent.h"
#include "eventstore/storesettings.h"

#include <QMainWindow>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

class QActionGroup;
class QComboBox;
class QDateTimeEdit;
class QDockWidget;
class QLabel;
class QLineEdit;
class QModelIndex;
class QStackedWidget;
class QTreeView;
template <typename T>
class QFutureWatcher;

namespace EventScope {

class AlertMonitor;
class AlertNotifier;
class AlertsPane;
class ChartsPane;
class CommandConsole;
class MonitoringHub;
class CorrelationPane;
class LogModel;
class LogPane;
class ProjectionsPane;
class Engine;
class EventFilterBar;
class EventInspector;
class EventTableModel;
class EventTableView;
class ExplorerReader;
class RecentConnectionsModel;
class SnapshotPane;
class SqlEventStore;
class StreamListModel;
class TimeTravelPane;
struct EventQuery;
struct StoreOpening;

/**
 * The event explorer. Streams on the left (filter, order), the events of a stream or of every stream in the
 * middle (filters, jumps, live tail), the selected event's inspector on the right, and time travel, snapshots
 * and correlation below. Without a store it offers to connect.
 *
 * Nothing here touches the database on the GUI thread: opening a store (which may migrate it) and building
 * the engine run on a pool thread while the window shows a busy page; reads go through an ExplorerReader
 * (worker threads) and the panes' own pool tasks.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Work to do with a freshly opened store before it is shown, on the opening thread (e.g. seeding a
    /// demo). Returns an empty string on success, else a message for people.
    using PrepareStore = std::function<QString(SqlEventStore& store)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// The configuration the engine is built from (domains, snapshots, resilience …). Default: the defaults.
    /// With `gui.role` set, that role is fixed: the connection dialog offers no other.
    void setConfig(const AppConfig& config);
    /// The operator's role, shown in the status bar and stamped on exports: auditor, support or developer.
    void setRole(Role role);
    Role role() const { return m_role; }

    /// Opens the store described by \a settings off the GUI thread, runs \a prepare there too, builds the engine,
    /// then shows it. Meanwhile the window shows \a busyText. Failure shows what went wrong and what to do, and
    /// emits openFailed(). For the auditor role the store opens read-only, unless \a prepare (which writes) is given.
    void openStore(const StoreSettings& settings, const QString& busyText = {}, PrepareStore prepare = {});
    /// Shows \a store, which is open already (the engine is still built off the GUI thread).
    void showStore(std::shared_ptr<SqlEventStore> store);
    void closeStore();
    bool isOpening() const { return m_opening; }

    /// Whether stores chosen with Connect… are opened read-only.
    void setOpenReadOnly(bool readOnly) { m_openReadOnly = readOnly; }

    std::shared_ptr<SqlEventStore> store() const { return m_store; }
    std::shared_ptr<Engine> engine() const { return m_engine; }
    ExplorerReader* reader() const { return m_reader.get(); }
    StreamListModel* streamModel() const { return m_streamModel.get(); }
    EventTableModel* eventModel() const { return m_eventModel.get(); }
    EventTableView* eventView() const { return m_eventView; }
    EventFilterBar* filterBar() const { return m_filterBar; }
    EventInspector* inspector() const { return m_inspector; }
    TimeTravelPane* timeTravelPane() const { return m_timeTravel; }
    SnapshotPane* snapshotPane() const { return m_snapshots; }
    CorrelationPane* correlationPane() const { return m_correlation; }
    CommandConsole* commandConsole() const { return m_console; }
    ChartsPane* chartsPane() const { return m_charts; }
    AlertsPane* alertsPane() const { return m_alertsPane; }
    /// Metrics and health of the open store's engine (created with the first store).
    MonitoringHub* monitoring() const { return m_hub.get(); }
    AlertMonitor* alertMonitor() const { return m_alerts; }
    ProjectionsPane* projectionsPane() const { return m_projections; }
    /// The application's messages (the log pane's model); main() connects the logging bridge to it.
    LogModel* logModel() const { return m_logModel; }
    /// The event the inspector shows (position 0: none).
    const RecordedEvent& inspectedEvent() const { return m_inspected; }

    /// Shows the events of \a streamId (empty: of every stream) with the current filters.
    void showStream(const QString& streamId);
    /// Runs the filter bar's query.
    void runSearch();
    /// Re-anchors the events table at \a position and selects that event.
    void goToPosition(GlobalPosition position);
    void goToTime(const QDateTime& time);
    void showCorrelation(const QString& correlationId);
    /// Exports the events the table's query selects to \a path (no file dialog when given).
    void exportCurrentView(const QString& path = {});

    /// Once data has loaded, selects the largest loaded stream and an event in it, then saves a picture of the
    /// window to \a path and emits screenshotSaved(). For documentation and checks.
    void saveScreenshotWhenLoaded(const QString& path);

Q_SIGNALS:
    void storeChanged();
    void openFailed(const QString& message);
    void screenshotSaved(const QString& path, bool ok);
    /// The inspector shows the event at \a position.
    void eventInspected(EventScope::GlobalPosition position);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createPages();
    void createDocks();
    void createStatusBar();
    void ensureMonitoring();
    void chooseConnection();
    void adopt(std::shared_ptr<SqlEventStore> store, const QString& busyText, PrepareStore prepare,
        const StoreSettings& settings, bool open);
    void onOpened();
    void setStoreAndEngine(std::shared_ptr<SqlEventStore> store, std::shared_ptr<Engine> engine);
    void onStreamActivated(const QModelIndex& current);
    void onEventActivated(const QModelIndex& current);
    void onEventLoaded(quint64 requestId, const RecordedEvent& event, bool found);
    void onReadFailed(quint64 requestId, const QString& message);
    /// Re-anchors the table at \a event (keeping the filters when it passes them), or at \a position when null.
    void jumpToEvent(const RecordedEvent* event, GlobalPosition position);
    void onAnchorLoaded(int row);
    void updateStoreLabel();
    void updateLiveLabel();
    void updateLoadingLabel();
    void requestSummary();
    void reportReadError(const QString& message);
    void stepScreenshot();

    AppConfig m_config;
    Role m_role = Role::Auditor;
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<Engine> m_engine;
    // Declared before the models: they hold a pointer to it and must go first.
    std::unique_ptr<ExplorerReader> m_reader;
    std::unique_ptr<StreamListModel> m_streamModel;
    std::unique_ptr<EventTableModel> m_eventModel;
    std::unique_ptr<RecentConnectionsModel> m_recent;
    // Outlives every engine made with it (their metered stores record into it).
    std::unique_ptr<MonitoringHub> m_hub;
    AlertMonitor* m_alerts = nullptr;
    AlertNotifier* m_alertNotifier = nullptr;
    QFutureWatcher<StoreOpening>* m_openWatcher = nullptr;
    bool m_opening = false;
    bool m_openReadOnly = false;
    bool m_layoutRestored = false;
    bool m_closing = false; ///< in the destructor

    QStackedWidget* m_pages = nullptr;
    QLabel* m_busyLabel = nullptr;
    EventFilterBar* m_filterBar = nullptr;
    EventTableView* m_eventView = nullptr;
    QLineEdit* m_streamFilterEdit = nullptr;
    QComboBox* m_streamOrderCombo = nullptr;
    QTreeView* m_streamView = nullptr;
    QLineEdit* m_positionEdit = nullptr;
    QDateTimeEdit* m_timeEdit = nullptr;
    QComboBox* m_orderCombo = nullptr;
    EventInspector* m_inspector = nullptr;
    TimeTravelPane* m_timeTravel = nullptr;
    SnapshotPane* m_snapshots = nullptr;
    CorrelationPane* m_correlation = nullptr;
    CommandConsole* m_console = nullptr;
    ProjectionsPane* m_projections = nullptr;
    LogModel* m_logModel = nullptr;
    LogPane* m_logPane = nullptr;
    ChartsPane* m_charts = nullptr;
    AlertsPane* m_alertsPane = nullptr;
    QDockWidget* m_chartsDock = nullptr;
    QDockWidget* m_alertsDock = nullptr;
    QLabel* m_chaosLabel = nullptr;
    QDockWidget* m_consoleDock = nullptr;
    QDockWidget* m_projectionsDock = nullptr;
    QDockWidget* m_logDock = nullptr;
    QDockWidget* m_streamDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    QDockWidget* m_timeTravelDock = nullptr;
    QDockWidget* m_snapshotDock = nullptr;
    QDockWidget* m_correlationDock = nullptr;
    QAction* m_liveTailAction = nullptr;
    QAction* m_exportAction = nullptr;

    QLabel* m_storeLabel = nullptr;
    QLabel* m_roleLabel = nullptr;
    QLabel* m_liveLabel = nullptr;
    QLabel* m_loadingLabel = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_countLabel = nullptr;
    QString m_watchError;

    quint64 m_summaryRequest = 0;
    quint64 m_eventRequest = 0;
    quint64 m_linkRequest = 0; ///< a causation link being followed
    quint64 m_gotoRequest = 0; ///< the event goToPosition() reads before jumping
    GlobalPosition m_gotoPosition = 0;
    bool m_searchNoteShown = false;
    quint64 m_typesRequest = 0;
    bool m_selectAnchor = false;
    RecordedEvent m_inspected;
    QTimer m_summaryTimer; // coalesces recounts while events stream in
    QTimer m_filterTimer; // waits for the user to stop typing

    QString m_screenshotPath;
    QTimer m_screenshotTimer;
    int m_screenshotStep = 0;
    int m_screenshotWait = 0;
};

} // namespace EventScope
