// SPDX-License-Identifier: Apache-2.0
#include "mainwindow.h"

#include "alertnotifier.h"
#include "alertspane.h"
#include "chartspane.h"
#include "commandconsole.h"
#include "config/configloader.h"
#include "connectiondialog.h"
#include "correlationpane.h"
#include "engine/engine.h"
#include "eventfilterbar.h"
#include "eventinspector.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/storediagnosis.h"
#include "eventstore/storereader.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "explorer/explorerreader.h"
#include "exportdialog.h"
#include "logmodel.h"
#include "logpane.h"
#include "modelroles.h"
#include "monitoring/alertmonitor.h"
#include "monitoring/healthregistry.h"
#include "monitoring/monitoringhub.h"
#include "projections/projectionmanager.h"
#include "projectionspane.h"
#include "recentconnectionsmodel.h"
#include "resilience/faultinjection.h"
#include "snapshotpane.h"
#include "streamlistmodel.h"
#include "timetravelpane.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QShowEvent>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThreadPool>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace EventScope {

/// What opening a store on a pool thread hands back to the window.
struct StoreOpening {
    std::shared_ptr<SqlEventStore> store;
    std::shared_ptr<Engine> engine;
    std::optional<StoreDiagnosis> diagnosis;
    QString error; ///< when there is no diagnosis (preparing or the engine failed)
};

namespace {

enum Page { PlaceholderPage, BusyPage, BrowserPage };

QString operatorName()
{
    for (const char* variable : { "EVENTSCOPE_ACTOR", "USER", "LOGNAME", "USERNAME" }) {
        const QString name = qEnvironmentVariable(variable);
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("unknown");
}

/// \a content in a scroll area: a tall pane does not force the window taller than the screen.
QWidget* scrollable(QWidget* content)
{
    auto* area = new QScrollArea;
    area->setObjectName(content->objectName() + QStringLiteral("Scroll"));
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QDockWidget* makeDock(QMainWindow* window, const QString& name, const QString& title, QWidget* content)
{
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(content);
    dock->setFeatures(
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
    return dock;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_config(ConfigLoader::defaults())
    , m_recent(std::make_unique<RecentConnectionsModel>())
{
    setWindowTitle(tr("EventScope"));
    resize(1440, 900);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    createPages();
    createDocks();
    createActions();
    createStatusBar();

    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(250);
    connect(m_streamFilterEdit, &QLineEdit::textChanged, &m_filterTimer, qOverload<>(&QTimer::start));
    connect(&m_filterTimer, &QTimer::timeout, this, [this] {
        if (m_streamModel && m_streamModel->filter() != m_streamFilterEdit->text().trimmed())
            m_streamModel->setFilter(m_streamFilterEdit->text());
    });
    connect(m_streamFilterEdit, &QLineEdit::returnPressed, &m_filterTimer, [this] {
        m_filterTimer.stop();
        if (m_streamModel && m_streamModel->filter() != m_streamFilterEdit->text().trimmed())
            m_streamModel->setFilter(m_streamFilterEdit->text());
    });

    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(500);
    connect(&m_summaryTimer, &QTimer::timeout, this, &MainWindow::requestSummary);

    m_screenshotTimer.setInterval(50);
    connect(&m_screenshotTimer, &QTimer::timeout, this, &MainWindow::stepScreenshot);

    QSettings settings;
    // Preferences: live tail, the events' and the streams' order.
    m_liveTailAction->setChecked(settings.value(QStringLiteral("explorer/liveTail"), true).toBool());
    m_orderCombo->setCurrentIndex(
        std::max(0, m_orderCombo->findData(settings.value(QStringLiteral("explorer/order"), 0).toInt())));
    m_streamOrderCombo->setCurrentIndex(
        std::max(0, m_streamOrderCombo->findData(settings.value(QStringLiteral("explorer/streamOrder"), 0).toInt())));
    connect(m_liveTailAction, &QAction::toggled, this,
        [](bool on) { QSettings().setValue(QStringLiteral("explorer/liveTail"), on); });
    connect(m_orderCombo, &QComboBox::activated, this,
        [this] { QSettings().setValue(QStringLiteral("explorer/order"), m_orderCombo->currentData()); });
    connect(m_streamOrderCombo, &QComboBox::activated, this,
        [this] { QSettings().setValue(QStringLiteral("explorer/streamOrder"), m_streamOrderCombo->currentData()); });
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    m_layoutRestored = restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    setStoreAndEngine({}, {});
}

MainWindow::~MainWindow()
{
    // Everything that uses the engine or the monitoring lets go of them while the panes still exist. The projections
    // stop here (the window is going; nothing else to keep responsive), then every pool task that may still hold
    // the engine (and record into the hub's metrics) finishes before the hub, a member, goes.
    m_closing = true;
    if (m_engine)
        m_engine->projections().stop();
    setStoreAndEngine({}, {});
    if (m_hub)
        m_charts->setMonitoring(nullptr);
    m_alertsPane->setMonitor(nullptr);
    m_alertNotifier->setMonitor(nullptr);
    delete m_alerts;
    m_alerts = nullptr;
    QThreadPool::globalInstance()->waitForDone();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // The first time, without a saved layout: docks sized for their content (only a shown window can be sized).
    if (!m_layoutRestored) {
        m_layoutRestored = true;
        QTimer::singleShot(0, this, [this] {
            resizeDocks({ m_streamDock, m_inspectorDock }, { 330, 440 }, Qt::Horizontal);
            resizeDocks({ m_timeTravelDock }, { 280 }, Qt::Vertical);
        });
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::createPages()
{
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));

    // Placeholder: no store.
    auto* placeholder = new QWidget(m_pages);
    placeholder->setObjectName(QStringLiteral("placeholderPage"));
    auto* placeholderLayout = new QVBoxLayout(placeholder);
    auto* placeholderLabel
        = new QLabel(tr("No event store is open.\n\nConnect to an EventScope store (a SQLite file or a "
                        "PostgreSQL database),\nor start EventScope with --demo to explore a "
                        "generated one."),
            placeholder);
    placeholderLabel->setObjectName(QStringLiteral("placeholderLabel"));
    placeholderLabel->setAlignment(Qt::AlignCenter);
    placeholderLabel->setWordWrap(true);
    auto* connectButton = new QPushButton(tr("Connect…"), placeholder);
    connectButton->setObjectName(QStringLiteral("placeholderConnectButton"));
    connect(connectButton, &QPushButton::clicked, this, &MainWindow::chooseConnection);
    placeholderLayout->addStretch(1);
    placeholderLayout->addWidget(placeholderLabel);
    placeholderLayout->addWidget(connectButton, 0, Qt::AlignHCenter);
    placeholderLayout->addStretch(1);

    // Busy: opening a store.
    auto* busy = new QWidget(m_pages);
    busy->setObjectName(QStringLiteral("busyPage"));
    auto* busyLayout = new QVBoxLayout(busy);
    m_busyLabel = new QLabel(busy);
    m_busyLabel->setObjectName(QStringLiteral("busyLabel"));
    m_busyLabel->setAlignment(Qt::AlignCenter);
    auto* busyBar = new QProgressBar(busy);
    busyBar->setRange(0, 0);
    busyBar->setMaximumWidth(320);
    busyLayout->addStretch(1);
    busyLayout->addWidget(m_busyLabel);
    busyLayout->addWidget(busyBar, 0, Qt::AlignHCenter);
    busyLayout->addStretch(1);

    // Browser: filters, jumps, events.
    auto* browser = new QWidget(m_pages);
    browser->setObjectName(QStringLiteral("browserPage"));
    auto* browserLayout = new QVBoxLayout(browser);
    browserLayout->setContentsMargins(0, 0, 0, 0);
    browserLayout->setSpacing(0);
    m_filterBar = new EventFilterBar(browser);
    m_filterBar->setObjectName(QStringLiteral("filterBar"));
    connect(m_filterBar, &EventFilterBar::searchRequested, this, &MainWindow::runSearch);
    connect(m_filterBar, &EventFilterBar::cancelRequested, this, [this] {
        if (m_eventModel)
            m_eventModel->cancel();
    });
    browserLayout->addWidget(m_filterBar);

    auto* jumpBar = new QWidget(browser);
    jumpBar->setObjectName(QStringLiteral("jumpBar"));
    auto* jumpLayout = new QHBoxLayout(jumpBar);
    jumpLayout->setContentsMargins(6, 2, 6, 4);
    const auto toolButton = [jumpBar](const QString& name, const QString& text, const QString& toolTip) {
        auto* button = new QToolButton(jumpBar);
        button->setObjectName(name);
        button->setText(text);
        button->setToolTip(toolTip);
        button->setAutoRaise(false);
        return button;
    };
    auto* newestButton
        = toolButton(QStringLiteral("newestButton"), tr("Newest"), tr("Jump to the newest events (Ctrl+Home)"));
    auto* oldestButton
        = toolButton(QStringLiteral("oldestButton"), tr("Oldest"), tr("Jump to the oldest events (Ctrl+End)"));
    connect(newestButton, &QToolButton::clicked, this, [this] {
        if (m_eventModel) {
            m_selectAnchor = true;
            m_eventModel->jumpToNewest();
        }
    });
    connect(oldestButton, &QToolButton::clicked, this, [this] {
        if (m_eventModel) {
            m_selectAnchor = true;
            m_eventModel->jumpToOldest();
        }
    });
    m_positionEdit = new QLineEdit(jumpBar);
    m_positionEdit->setObjectName(QStringLiteral("positionEdit"));
    m_positionEdit->setPlaceholderText(tr("Position"));
    m_positionEdit->setToolTip(tr("A global position to jump to (Ctrl+P), then Return"));
    m_positionEdit->setMinimumWidth(m_positionEdit->fontMetrics().horizontalAdvance(QStringLiteral("00000000000")));
    m_positionEdit->setMaximumWidth(160);
    connect(m_positionEdit, &QLineEdit::returnPressed, this, [this] {
        bool ok = false;
        const qint64 position = m_positionEdit->text().trimmed().remove(QLocale().groupSeparator()).toLongLong(&ok);
        if (!ok || position <= 0) {
            m_filterBar->setMessage(
                tr("'%1' is no position. Type a whole number above 0.").arg(m_positionEdit->text()), true);
            return;
        }
        goToPosition(position);
    });
    m_timeEdit = new QDateTimeEdit(QDateTime::currentDateTime(), jumpBar);
    m_timeEdit->setObjectName(QStringLiteral("timeEdit"));
    m_timeEdit->setCalendarPopup(true);
    m_timeEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_timeEdit->setToolTip(tr("A local time to jump to (Ctrl+T)"));
    auto* timeButton
        = toolButton(QStringLiteral("goToTimeButton"), tr("Go"), tr("Jump to the first event at or after this time"));
    connect(timeButton, &QToolButton::clicked, this, [this] { goToTime(m_timeEdit->dateTime()); });
    m_orderCombo = new QComboBox(jumpBar);
    m_orderCombo->setObjectName(QStringLiteral("orderCombo"));
    m_orderCombo->addItem(tr("Newest first"), int(EventTableModel::Order::NewestFirst));
    m_orderCombo->addItem(tr("Oldest first"), int(EventTableModel::Order::OldestFirst));
    connect(m_orderCombo, &QComboBox::activated, this, [this] {
        if (m_eventModel)
            m_eventModel->setOrder(EventTableModel::Order(m_orderCombo->currentData().toInt()));
    });
    auto* liveButton = new QToolButton(jumpBar);
    liveButton->setObjectName(QStringLiteral("liveTailButton"));
    auto* exportButton = new QToolButton(jumpBar);
    exportButton->setObjectName(QStringLiteral("exportButton"));

    jumpLayout->addWidget(newestButton);
    jumpLayout->addWidget(oldestButton);
    jumpLayout->addSpacing(8);
    jumpLayout->addWidget(new QLabel(tr("Go to"), jumpBar));
    jumpLayout->addWidget(m_positionEdit);
    jumpLayout->addWidget(m_timeEdit);
    jumpLayout->addWidget(timeButton);
    jumpLayout->addSpacing(8);
    jumpLayout->addWidget(m_orderCombo);
    jumpLayout->addStretch(1);
    jumpLayout->addWidget(liveButton);
    jumpLayout->addWidget(exportButton);
    browserLayout->addWidget(jumpBar);

    m_eventView = new EventTableView(browser);
    m_eventView->setObjectName(QStringLiteral("eventView"));
    browserLayout->addWidget(m_eventView, 1);

    m_pages->addWidget(placeholder);
    m_pages->addWidget(busy);
    m_pages->addWidget(browser);
    setCentralWidget(m_pages);
}

void MainWindow::createDocks()
{
    // Streams.
    auto* streams = new QWidget(this);
    auto* streamsLayout = new QVBoxLayout(streams);
    streamsLayout->setContentsMargins(4, 4, 4, 4);
    auto* streamControls = new QHBoxLayout;
    m_streamFilterEdit = new QLineEdit(streams);
    m_streamFilterEdit->setObjectName(QStringLiteral("streamFilterEdit"));
    m_streamFilterEdit->setPlaceholderText(tr("Filter: user-4, account-*, *-00?"));
    m_streamFilterEdit->setToolTip(tr("A prefix (user-4), a category (account-*) or a pattern where * is any run of "
                                      "characters and ? one character (Ctrl+G)"));
    m_streamFilterEdit->setClearButtonEnabled(true);
    m_streamOrderCombo = new QComboBox(streams);
    m_streamOrderCombo->setObjectName(QStringLiteral("streamOrderCombo"));
    m_streamOrderCombo->addItem(tr("Last activity"), int(StreamQuery::Order::LastActivity));
    m_streamOrderCombo->addItem(tr("Name"), int(StreamQuery::Order::Name));
    m_streamOrderCombo->setToolTip(tr("Order of the streams"));
    connect(m_streamOrderCombo, &QComboBox::activated, this, [this] {
        if (m_streamModel)
            m_streamModel->setOrder(StreamQuery::Order(m_streamOrderCombo->currentData().toInt()));
    });
    streamControls->addWidget(m_streamFilterEdit, 1);
    streamControls->addWidget(m_streamOrderCombo);
    streamsLayout->addLayout(streamControls);
    auto* allEventsButton = new QPushButton(tr("All events"), streams);
    allEventsButton->setObjectName(QStringLiteral("allEventsButton"));
    allEventsButton->setToolTip(tr("Show the events of every stream"));
    connect(allEventsButton, &QPushButton::clicked, this, [this] {
        m_streamView->clearSelection();
        showStream({});
    });
    streamsLayout->addWidget(allEventsButton);
    m_streamView = new QTreeView(streams);
    m_streamView->setObjectName(QStringLiteral("streamView"));
    m_streamView->setRootIsDecorated(false);
    m_streamView->setUniformRowHeights(true);
    m_streamView->setAlternatingRowColors(true);
    m_streamView->header()->setStretchLastSection(true);
    streamsLayout->addWidget(m_streamView, 1);
    streams->setMinimumWidth(
        m_streamView->fontMetrics().horizontalAdvance(QStringLiteral("account-00000000  1234  1234")));
    m_streamDock = makeDock(this, QStringLiteral("streamDock"), tr("Streams"), streams);
    addDockWidget(Qt::LeftDockWidgetArea, m_streamDock);

    m_inspector = new EventInspector(this);
    m_inspector->setObjectName(QStringLiteral("inspector"));
    m_inspectorDock = makeDock(this, QStringLiteral("inspectorDock"), tr("Inspector"), m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    connect(m_inspector, &EventInspector::correlationRequested, this, &MainWindow::showCorrelation);
    connect(m_inspector, &EventInspector::causationRequested, this, [this](const QUuid& eventId) {
        if (m_reader)
            m_linkRequest = m_reader->loadEventById(eventId);
    });

    m_timeTravel = new TimeTravelPane(this);
    m_timeTravel->setObjectName(QStringLiteral("timeTravelPane"));
    m_timeTravelDock = makeDock(this, QStringLiteral("timeTravelDock"), tr("Time travel"), m_timeTravel);
    connect(m_timeTravel, &TimeTravelPane::eventActivated, this, &MainWindow::goToPosition);

    m_snapshots = new SnapshotPane(this);
    m_snapshots->setObjectName(QStringLiteral("snapshotPane"));
    m_snapshotDock = makeDock(this, QStringLiteral("snapshotDock"), tr("Snapshots"), m_snapshots);

    m_correlation = new CorrelationPane(this);
    m_correlation->setObjectName(QStringLiteral("correlationPane"));
    m_correlationDock = makeDock(this, QStringLiteral("correlationDock"), tr("Correlation"), m_correlation);
    connect(m_correlation, &CorrelationPane::eventActivated, this, &MainWindow::goToPosition);
    connect(m_correlation, &CorrelationPane::exportRequested, this, [this](const EventQuery& query) {
        if (!m_reader)
            return;
        auto* dialog = new ExportDialog(m_reader->search(), query,
            EventExporter::Header { m_storeLabel->text(), operatorName(), roleName(m_role), {} }, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->chooseFileAndStart();
    });

    // Operations: corrective commands, projections, the log.
    m_console = new CommandConsole(this);
    m_console->setObjectName(QStringLiteral("commandConsole"));
    m_console->setActor(operatorName());
    m_consoleDock = makeDock(this, QStringLiteral("consoleDock"), tr("Command console"), scrollable(m_console));
    connect(m_console, &CommandConsole::showEventRequested, this, &MainWindow::goToPosition);
    m_projections = new ProjectionsPane(this);
    m_projections->setObjectName(QStringLiteral("projectionsPane"));
    m_projections->setActor(operatorName());
    m_projectionsDock = makeDock(this, QStringLiteral("projectionsDock"), tr("Projections"), scrollable(m_projections));
    connect(m_projections, &ProjectionsPane::showEventRequested, this, &MainWindow::goToPosition);
    m_charts = new ChartsPane(this);
    m_charts->setObjectName(QStringLiteral("chartsPane"));
    m_chartsDock = makeDock(this, QStringLiteral("chartsDock"), tr("Charts"), scrollable(m_charts));
    m_alertsPane = new AlertsPane(this);
    m_alertsPane->setObjectName(QStringLiteral("alertsPane"));
    m_alertsDock = makeDock(this, QStringLiteral("alertsDock"), tr("Alerts"), m_alertsPane);
    m_logModel = new LogModel(10000, this);
    m_logPane = new LogPane(m_logModel, this);
    m_logPane->setObjectName(QStringLiteral("logPane"));
    m_logDock = makeDock(this, QStringLiteral("logDock"), tr("Log"), m_logPane);

    addDockWidget(Qt::BottomDockWidgetArea, m_timeTravelDock);
    for (QDockWidget* dock : { m_snapshotDock, m_correlationDock, m_consoleDock, m_projectionsDock, m_chartsDock,
             m_alertsDock, m_logDock }) {
        addDockWidget(Qt::BottomDockWidgetArea, dock);
        tabifyDockWidget(m_timeTravelDock, dock);
    }
    m_timeTravelDock->raise();

    // Panes that follow the selected stream load only while they are visible.
    for (QDockWidget* dock : { m_timeTravelDock, m_snapshotDock }) {
        connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
            if (visible && m_inspected.position != 0)
                onEventLoaded(0, m_inspected, true);
        });
    }
}

void MainWindow::createActions()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* connectAction = fileMenu->addAction(tr("&Connect…"), this, &MainWindow::chooseConnection);
    connectAction->setObjectName(QStringLiteral("actionConnect"));
    connectAction->setShortcut(QKeySequence::Open);
    QAction* closeAction = fileMenu->addAction(tr("C&lose store"), this, &MainWindow::closeStore);
    closeAction->setObjectName(QStringLiteral("actionCloseStore"));
    fileMenu->addSeparator();
    m_exportAction = fileMenu->addAction(tr("&Export events…"), this, [this] { exportCurrentView(); });
    m_exportAction->setObjectName(QStringLiteral("actionExport"));
    m_exportAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    m_exportAction->setToolTip(tr("Export the events the table shows (all of them, not just the loaded rows) to JSON "
                                  "Lines or CSV (Ctrl+E)"));
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setObjectName(QStringLiteral("actionQuit"));
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu* goMenu = menuBar()->addMenu(tr("&Go"));
    QAction* goStream = goMenu->addAction(tr("Go to &stream…"), this, [this] {
        m_streamDock->show();
        m_streamFilterEdit->setFocus();
        m_streamFilterEdit->selectAll();
    });
    goStream->setShortcut(QKeySequence(tr("Ctrl+G")));
    QAction* goPosition = goMenu->addAction(tr("Go to &position…"), this, [this] {
        m_positionEdit->setFocus();
        m_positionEdit->selectAll();
    });
    goPosition->setShortcut(QKeySequence(tr("Ctrl+P")));
    QAction* goTime = goMenu->addAction(tr("Go to &time…"), this, [this] { m_timeEdit->setFocus(); });
    goTime->setShortcut(QKeySequence(tr("Ctrl+T")));
    goMenu->addSeparator();
    QAction* goNewest = goMenu->addAction(tr("&Newest events"), this, [this] {
        if (m_eventModel) {
            m_selectAnchor = true;
            m_eventModel->jumpToNewest();
        }
    });
    goNewest->setShortcut(QKeySequence(tr("Ctrl+Home")));
    QAction* goOldest = goMenu->addAction(tr("&Oldest events"), this, [this] {
        if (m_eventModel) {
            m_selectAnchor = true;
            m_eventModel->jumpToOldest();
        }
    });
    goOldest->setShortcut(QKeySequence(tr("Ctrl+End")));
    QAction* cancelSearch = goMenu->addAction(tr("&Cancel search"), this, [this] {
        if (m_eventModel)
            m_eventModel->cancel();
    });
    cancelSearch->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    m_liveTailAction = viewMenu->addAction(tr("&Live tail"));
    m_liveTailAction->setObjectName(QStringLiteral("actionLiveTail"));
    m_liveTailAction->setCheckable(true);
    m_liveTailAction->setChecked(true);
    m_liveTailAction->setShortcut(QKeySequence(tr("Ctrl+L")));
    m_liveTailAction->setToolTip(tr("Show events as they are appended, by anyone (Ctrl+L)"));
    connect(m_liveTailAction, &QAction::toggled, this, [this](bool on) {
        if (m_eventModel)
            m_eventModel->setLiveTail(on);
        updateLiveLabel();
    });
    viewMenu->addSeparator();
    for (QDockWidget* dock : { m_streamDock, m_inspectorDock, m_timeTravelDock, m_snapshotDock, m_correlationDock,
             m_consoleDock, m_projectionsDock, m_chartsDock, m_alertsDock, m_logDock })
        viewMenu->addAction(dock->toggleViewAction());

    QMenu* operationsMenu
        = menuBar()->insertMenu(menuBar()->actions().constLast(), new QMenu(tr("&Operations"), this))->menu();
    QAction* dispatch = operationsMenu->addAction(tr("&Dispatch a command…"), this, [this] {
        m_consoleDock->show();
        m_consoleDock->raise();
        m_console->setFocus();
    });
    dispatch->setObjectName(QStringLiteral("actionDispatch"));
    dispatch->setShortcut(QKeySequence(tr("Ctrl+D")));
    QAction* projections = operationsMenu->addAction(tr("&Projections"), this, [this] {
        m_projectionsDock->show();
        m_projectionsDock->raise();
    });
    projections->setObjectName(QStringLiteral("actionProjections"));
    projections->setShortcut(QKeySequence(tr("Ctrl+J")));

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About EventScope"), this, [this] {
        QMessageBox::about(this, tr("About EventScope"),
            tr("<b>EventScope %1</b><p>Desktop admin and event explorer for event-sourced systems.</p>")
                .arg(QApplication::applicationVersion()));
    });

    auto* liveButton = findChild<QToolButton*>(QStringLiteral("liveTailButton"));
    liveButton->setDefaultAction(m_liveTailAction);
    liveButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* exportButton = findChild<QToolButton*>(QStringLiteral("exportButton"));
    exportButton->setDefaultAction(m_exportAction);
    exportButton->setText(tr("Export…"));
}

void MainWindow::createStatusBar()
{
    const auto label = [this](const QString& name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setContentsMargins(6, 0, 6, 0);
        return l;
    };
    m_storeLabel = label(QStringLiteral("storeLabel"));
    m_roleLabel = label(QStringLiteral("roleLabel"));
    m_liveLabel = label(QStringLiteral("liveLabel"));
    m_loadingLabel = label(QStringLiteral("loadingLabel"));
    m_headLabel = label(QStringLiteral("headLabel"));
    m_countLabel = label(QStringLiteral("countLabel"));
    statusBar()->addWidget(m_storeLabel, 1);
    statusBar()->addWidget(m_loadingLabel);
    m_chaosLabel = label(QStringLiteral("chaosLabel"));
    m_chaosLabel->hide();
    statusBar()->addPermanentWidget(m_chaosLabel);
    m_alertNotifier = new AlertNotifier(this);
    QToolButton* alertButton = m_alertNotifier->statusButton(this);
    statusBar()->addPermanentWidget(alertButton);
    connect(m_alertNotifier, &AlertNotifier::paneRequested, this, [this] {
        m_alertsDock->show();
        m_alertsDock->raise();
    });
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_roleLabel);
    statusBar()->addPermanentWidget(m_headLabel);
    statusBar()->addPermanentWidget(m_countLabel);
    setRole(m_role);
}

void MainWindow::setConfig(const AppConfig& config)
{
    m_config = config;
    if (m_config.gui.role)
        setRole(*m_config.gui.role);
}

void MainWindow::setRole(Role role)
{
    m_role = m_config.gui.role.value_or(role); // a role fixed by the configuration cannot be changed
    m_roleLabel->setText(tr("Role: %1").arg(roleTitle(m_role)));
    m_console->setRole(m_role);
    m_projections->setRole(m_role);
    m_charts->setRole(m_role);
    m_roleLabel->setToolTip(tr("auditor: read-only; support: corrective commands, pause and resume projections; "
                               "developer: everything"));
}

void MainWindow::ensureMonitoring()
{
    if (m_hub)
        return;
    m_hub = std::make_unique<MonitoringHub>(m_config.monitoring);
    m_charts->setMonitoring(m_hub.get());
    AlertMonitor::Sources sources;
    sources.metrics = &m_hub->registry();
    sources.breakers = [hub = m_hub.get()] { return hub->breakers(); };
    sources.sample = [hub = m_hub.get()] { hub->sample(); };
    sources.projections = [this] { return m_engine ? m_engine->projections().statuses() : QList<ProjectionStatus> {}; };
    m_alerts = new AlertMonitor(m_config.alerts, sources, this);
    m_alertsPane->setMonitor(m_alerts);
    m_alertNotifier->setMonitor(m_alerts);
    connect(m_charts, &ChartsPane::chaosChanged, this, [this](bool on, const QString& description) {
        m_chaosLabel->setText(on ? tr("⚡ %1").arg(description) : QString());
        m_chaosLabel->setToolTip(description);
        m_chaosLabel->setVisible(on);
    });
}

void MainWindow::chooseConnection()
{
    ConnectionDialog dialog(m_recent.get(), this);
    dialog.setObjectName(QStringLiteral("connectionDialog"));
    dialog.setRole(m_role);
    dialog.setFixedRole(m_config.gui.role);
    if (m_store)
        dialog.setSettings(m_store->settings());
    if (dialog.exec() != QDialog::Accepted)
        return;
    setRole(dialog.role());
    StoreSettings settings = dialog.settings();
    settings.readOnly = settings.readOnly || m_openReadOnly;
    openStore(settings);
}

void MainWindow::openStore(const StoreSettings& settings, const QString& busyText, PrepareStore prepare)
{
    // Auditors read only, however the store was named (command line, recent list, code). A store that is
    // prepared here (the demo, seeded by the preparation) has to be writable.
    StoreSettings opened = settings;
    if (m_role == Role::Auditor && !prepare)
        opened.readOnly = true;
    adopt({}, busyText.isEmpty() ? tr("Opening %1…").arg(ConnectionDialog::describe(opened)) : busyText,
        std::move(prepare), opened, true);
}

void MainWindow::showStore(std::shared_ptr<SqlEventStore> store)
{
    if (!store) {
        closeStore();
        return;
    }
    const StoreSettings settings = store->settings();
    adopt(std::move(store), tr("Opening %1…").arg(ConnectionDialog::describe(settings)), {}, settings, false);
}

void MainWindow::adopt(std::shared_ptr<SqlEventStore> store, const QString& busyText, PrepareStore prepare,
    const StoreSettings& settings, bool open)
{
    if (m_opening)
        return;
    setStoreAndEngine({}, {});
    m_opening = true;
    findChild<QAction*>(QStringLiteral("actionConnect"))->setEnabled(false);
    m_busyLabel->setText(busyText);
    m_pages->setCurrentIndex(BusyPage);

    ensureMonitoring();
    m_openWatcher = new QFutureWatcher<StoreOpening>(this);
    connect(m_openWatcher, &QFutureWatcher<StoreOpening>::finished, this, &MainWindow::onOpened);
    m_openWatcher->setFuture(QtConcurrent::run([settings, prepare = std::move(prepare), store = std::move(store), open,
                                                   config = m_config, metrics = m_hub->metrics()]() mutable {
        StoreOpening opening;
        if (open) {
            auto opened = SqlEventStore::open(settings);
            if (!opened) {
                opening.diagnosis = StoreDiagnosis::diagnose(settings, opened.error());
                return opening;
            }
            store = std::move(opened).value();
        }
        if (prepare) {
            const QString problem = prepare(*store);
            if (!problem.isEmpty()) {
                opening.error = problem;
                return opening;
            }
        }
        Engine::Options options;
        options.store = store;
        options.metrics = metrics;
        options.chaos = FaultInjection {}; // off until a developer starts a drill (charts pane)
        auto engine = Engine::create(config, std::move(options));
        if (!engine) {
            opening.error = engine.error().message();
            return opening;
        }
        opening.store = std::move(store);
        opening.engine = std::shared_ptr<Engine>(std::move(engine).value());
        return opening;
    }));
}

void MainWindow::onOpened()
{
    StoreOpening opening = m_openWatcher->result();
    m_openWatcher->deleteLater();
    m_openWatcher = nullptr;
    m_opening = false;
    findChild<QAction*>(QStringLiteral("actionConnect"))->setEnabled(true);
    if (!opening.store) {
        setStoreAndEngine({}, {});
        auto* box = new QMessageBox(this);
        box->setObjectName(QStringLiteral("openErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setIcon(QMessageBox::Warning);
        QString message;
        if (opening.diagnosis) {
            box->setWindowTitle(opening.diagnosis->title);
            box->setText(opening.diagnosis->explanation);
            box->setInformativeText(opening.diagnosis->nextStep);
            if (!opening.diagnosis->detail.isEmpty())
                box->setDetailedText(opening.diagnosis->detail);
            message = opening.diagnosis->toText();
        } else {
            box->setWindowTitle(tr("The store cannot be shown"));
            box->setText(opening.error);
            message = opening.error;
        }
        QPushButton* again = box->addButton(tr("Connect…"), QMessageBox::AcceptRole);
        again->setObjectName(QStringLiteral("connectAgainButton"));
        box->addButton(QMessageBox::Close);
        connect(again, &QPushButton::clicked, this, &MainWindow::chooseConnection, Qt::QueuedConnection);
        box->open();
        Q_EMIT openFailed(message);
        return;
    }
    setStoreAndEngine(std::move(opening.store), std::move(opening.engine));
}

void MainWindow::closeStore()
{
    if (!m_opening)
        setStoreAndEngine({}, {});
}

void MainWindow::setStoreAndEngine(std::shared_ptr<SqlEventStore> store, std::shared_ptr<Engine> engine)
{
    // Views first onto no model, then the old models and the reader go (the reader joins its threads).
    m_streamView->setModel(nullptr);
    m_eventView->setEventModel(nullptr);
    m_eventModel.reset();
    m_streamModel.reset();
    m_reader.reset();
    m_timeTravel->setEngine({});
    m_snapshots->setEngine({});
    m_console->setEngine({});
    m_projections->setEngine({});
    m_charts->setEngine({});
    if (m_alerts)
        m_alerts->stop();
    if (m_hub)
        m_hub->detach();
    if (m_engine && !m_closing) {
        // The old engine's projections finish their current batches on a pool thread, not here; the engine itself
        // is released on this thread once they have.
        std::shared_ptr<Engine> old = std::move(m_engine);
        Engine* stopping = old.get();
        QtConcurrent::run([stopping] { stopping->projections().stop(); }).then(this, [old] {});
    }
    m_correlation->setSearch({});
    m_inspector->setRegistry(nullptr);
    m_inspector->clear();
    m_inspected = {};

    m_store = std::move(store);
    m_engine = std::move(engine);
    m_summaryRequest = m_eventRequest = m_typesRequest = m_linkRequest = m_gotoRequest = 0;
    m_watchError.clear();
    m_exportAction->setEnabled(m_store != nullptr);

    if (!m_store) {
        m_pages->setCurrentIndex(PlaceholderPage);
        setWindowTitle(tr("EventScope"));
        m_storeLabel->setText(tr("No store open"));
        m_headLabel->clear();
        m_countLabel->clear();
        m_liveLabel->clear();
        m_loadingLabel->clear();
        Q_EMIT storeChanged();
        return;
    }

    m_reader = std::make_unique<ExplorerReader>(m_store);
    m_streamModel = std::make_unique<StreamListModel>(m_reader.get());
    m_streamModel->setOrder(StreamQuery::Order(m_streamOrderCombo->currentData().toInt()));
    if (!m_streamFilterEdit->text().trimmed().isEmpty())
        m_streamModel->setFilter(m_streamFilterEdit->text());
    m_eventModel = std::make_unique<EventTableModel>(m_reader.get());
    m_eventModel->setOrder(EventTableModel::Order(m_orderCombo->currentData().toInt()));
    m_eventModel->setLiveTail(m_liveTailAction->isChecked());

    m_streamView->setModel(m_streamModel.get());
    m_eventView->setEventModel(m_eventModel.get());
    // A writable store: this window keeps the read models up to date (on PostgreSQL only if no other instance does).
    if (!m_store->settings().readOnly)
        m_engine->projections().start();
    m_timeTravel->setEngine(m_engine);
    m_snapshots->setEngine(m_engine);
    m_console->setEngine(m_engine);
    m_projections->setEngine(m_engine);
    m_hub->attach(m_engine);
    m_hub->healthRegistry()->add(m_alerts->healthCheck());
    m_charts->setEngine(m_engine);
    m_alerts->start();
    m_correlation->setSearch(m_reader->search());
    m_inspector->setRegistry(&m_engine->registry());

    const QFontMetrics metrics = m_eventView->fontMetrics();
    const auto width = [&metrics](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    QHeaderView* columns = m_eventView->horizontalHeader();
    columns->resizeSection(EventTableModel::ColumnPosition, width(QStringLiteral("10000000")));
    columns->resizeSection(EventTableModel::ColumnStream, width(QStringLiteral("account-00000000-00")));
    columns->resizeSection(EventTableModel::ColumnVersion, width(QStringLiteral("Version")));
    columns->resizeSection(EventTableModel::ColumnType, width(QStringLiteral("TransactionReversed · v2")));
    columns->resizeSection(EventTableModel::ColumnRecordedAt, width(QStringLiteral("0000-00-00 00:00:00.000Z")));
    columns->resizeSection(EventTableModel::ColumnActor, width(QStringLiteral("service:payments-gateway")));
    const QFontMetrics streamMetrics = m_streamView->fontMetrics();
    QHeaderView* streamColumns = m_streamView->header();
    streamColumns->resizeSection(
        StreamListModel::ColumnStreamId, streamMetrics.horizontalAdvance(QStringLiteral("account-00000000")) + 24);
    streamColumns->resizeSection(
        StreamListModel::ColumnEvents, streamMetrics.horizontalAdvance(QStringLiteral("Events")) + 24);
    streamColumns->resizeSection(
        StreamListModel::ColumnLastVersion, streamMetrics.horizontalAdvance(QStringLiteral("Last version")) + 24);
    streamColumns->setSectionHidden(StreamListModel::ColumnCategory, true);

    connect(
        m_streamView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onStreamActivated);
    connect(
        m_eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onEventActivated);
    connect(m_streamModel.get(), &StreamListModel::errorOccurred, this, &MainWindow::reportReadError);
    connect(m_eventModel.get(), &EventTableModel::errorOccurred, this, &MainWindow::reportReadError);
    connect(m_eventModel.get(), &EventTableModel::loadingChanged, this, &MainWindow::updateLoadingLabel);
    // The live tail adds rows without loading: the count of matching events follows it.
    connect(m_eventModel.get(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateLoadingLabel);
    connect(m_eventModel.get(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateLoadingLabel);
    connect(m_eventModel.get(), &EventTableModel::anchorLoaded, this, &MainWindow::onAnchorLoaded);
    connect(m_reader.get(), &ExplorerReader::eventLoaded, this, &MainWindow::onEventLoaded);
    connect(m_reader.get(), &ExplorerReader::failed, this,
        [this](quint64 id, const QString& message) { onReadFailed(id, message); });
    connect(m_reader.get(), &ExplorerReader::eventTypesLoaded, this,
        [this](quint64 id, const QList<EventTypeCount>& types) {
            if (id == m_typesRequest)
                m_filterBar->setEventTypes(types);
        });
    StoreReader* storeReader = m_reader->storeReader();
    connect(storeReader, &StoreReader::summaryLoaded, this, [this](quint64 id, GlobalPosition head, qint64 count) {
        if (id != m_summaryRequest)
            return;
        m_headLabel->setText(tr("Head %1").arg(QLocale().toString(head)));
        m_countLabel->setText(tr("%1 events").arg(QLocale().toString(count)));
    });
    connect(storeReader, &StoreReader::appended, this, [this] {
        m_watchError.clear();
        updateLiveLabel();
        if (!m_summaryTimer.isActive())
            m_summaryTimer.start();
    });
    connect(storeReader, &StoreReader::watchFailed, this, [this](const QString& message) {
        m_watchError = message;
        updateLiveLabel();
    });

    updateStoreLabel();
    updateLiveLabel();
    requestSummary();
    m_pages->setCurrentIndex(BrowserPage);
    runSearch();
    // After the first page: the type catalogue is a scan of every event and shares the search lane.
    m_typesRequest = m_reader->loadEventTypes();
    Q_EMIT storeChanged();
}

void MainWindow::updateStoreLabel()
{
    const StoreSettings& settings = m_store->settings();
    const QString backend = settings.backend == StoreSettings::Backend::Sqlite ? tr("SQLite") : tr("PostgreSQL");
    const QString where = ConnectionDialog::describe(settings);
    m_storeLabel->setText(
        settings.readOnly ? tr("%1 store %2 (read-only)").arg(backend, where) : tr("%1 store %2").arg(backend, where));
    m_storeLabel->setToolTip(m_storeLabel->text());
    setWindowTitle(tr("%1 — EventScope").arg(where));
}

void MainWindow::updateLiveLabel()
{
    if (!m_store) {
        m_liveLabel->clear();
        return;
    }
    if (!m_watchError.isEmpty()) {
        m_liveLabel->setText(tr("○ Not live"));
        m_liveLabel->setToolTip(tr("Watching the store for appends failed (retrying): %1").arg(m_watchError));
    } else if (m_liveTailAction->isChecked()) {
        m_liveLabel->setText(tr("● Live"));
        m_liveLabel->setToolTip(tr("The store is watched: events appended by anyone appear as they commit"));
    } else {
        m_liveLabel->setText(tr("◐ Live tail off"));
        m_liveLabel->setToolTip(tr("New events are not added to the table until you turn live tail on (Ctrl+L)"));
    }
}

void MainWindow::updateLoadingLabel()
{
    const bool loading = m_eventModel && m_eventModel->isLoading();
    m_filterBar->setSearching(loading);
    if (loading) {
        m_loadingLabel->setText(tr("Loading events…"));
        return;
    }
    if (m_searchNoteShown) { // the note about a running content search goes; errors stay until the next search
        m_searchNoteShown = false;
        m_filterBar->setMessage({});
    }
    if (!m_eventModel || !m_eventModel->hasQuery()) {
        m_loadingLabel->clear();
        return;
    }
    const QString rows = QLocale().toString(m_eventModel->rowCount());
    if (m_eventModel->isStopped())
        m_loadingLabel->setText(tr("Search stopped: %1 events shown").arg(rows));
    else if (m_eventModel->isTopComplete() && m_eventModel->isBottomComplete())
        m_loadingLabel->setText(tr("%1 matching events").arg(rows));
    else
        m_loadingLabel->setText(tr("%1 events loaded, more on scrolling").arg(rows));
}

void MainWindow::requestSummary()
{
    if (m_reader)
        m_summaryRequest = m_reader->storeReader()->loadSummary();
}

void MainWindow::reportReadError(const QString& message)
{
    m_filterBar->setMessage(message, true);
    statusBar()->showMessage(message, 10000);
}

void MainWindow::showStream(const QString& streamId)
{
    m_filterBar->setStreamId(streamId);
    runSearch();
}

void MainWindow::runSearch()
{
    if (!m_eventModel)
        return;
    const EventQuery query = m_filterBar->query();
    m_searchNoteShown = query.isContentQuery();
    m_filterBar->setMessage(m_searchNoteShown
            ? tr("Searching %1. Content searches stop after 10 seconds; Esc cancels.").arg(query.describe())
            : QString());
    m_selectAnchor = false;
    m_eventModel->setQuery(query);
    m_inspector->clear();
    m_inspected = {};
}

void MainWindow::goToPosition(GlobalPosition position)
{
    if (!m_eventModel || !m_reader)
        return;
    // Read the event first: the filters stay if it passes them, else they go (going to an event means seeing it).
    m_gotoPosition = position;
    m_gotoRequest = m_reader->loadEvent(position);
}

void MainWindow::jumpToEvent(const RecordedEvent* event, GlobalPosition position)
{
    if (event && !m_eventModel->query().matches(*event)) {
        const EventQuery everything;
        m_filterBar->setQuery(everything);
        m_eventModel->setQuery(everything);
    }
    m_selectAnchor = true;
    m_eventModel->jumpToPosition(event ? event->position : position);
}

void MainWindow::goToTime(const QDateTime& time)
{
    if (!m_eventModel)
        return;
    m_selectAnchor = true;
    m_eventModel->jumpToTime(time.toUTC());
}

void MainWindow::onAnchorLoaded(int row)
{
    if (!m_selectAnchor || row < 0)
        return;
    m_selectAnchor = false;
    const QModelIndex index = m_eventModel->index(row, EventTableModel::ColumnPosition);
    m_eventView->setCurrentIndex(index);
    m_eventView->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MainWindow::showCorrelation(const QString& correlationId)
{
    if (correlationId.isEmpty())
        return;
    m_correlationDock->show();
    m_correlationDock->raise();
    m_correlation->showCorrelation(correlationId);
}

void MainWindow::onStreamActivated(const QModelIndex& current)
{
    if (!current.isValid())
        return;
    const QString streamId = current.data(StreamIdRole).toString();
    showStream(streamId);
    m_console->setTarget(streamId); // the console's target follows the explorer's stream
}

void MainWindow::onEventActivated(const QModelIndex& current)
{
    if (!current.isValid() || !m_reader) {
        m_eventRequest = 0; // an answer still coming is for a row that is gone
        m_inspector->clear();
        m_inspected = {};
        return;
    }
    m_eventRequest = m_reader->loadEvent(current.data(PositionRole).toLongLong());
}

void MainWindow::onEventLoaded(quint64 requestId, const RecordedEvent& event, bool found)
{
    if (requestId != 0 && requestId == m_gotoRequest) {
        m_gotoRequest = 0;
        jumpToEvent(found ? &event : nullptr, m_gotoPosition); // no such event: the nearest older one
        return;
    }
    const bool link = requestId != 0 && requestId == m_linkRequest;
    if (link)
        m_linkRequest = 0;
    else if (requestId != 0 && requestId != m_eventRequest)
        return;
    if (!found) {
        m_filterBar->setMessage(tr("That event is not in the store (any more)."), true);
        return;
    }
    m_inspected = event;
    m_inspector->showEvent(event);
    if (m_timeTravelDock->isVisible()) {
        m_timeTravel->showStream(event.streamId);
        m_timeTravel->setVersion(event.streamVersion);
    }
    if (m_snapshotDock->isVisible())
        m_snapshots->showStream(event.streamId);
    if (m_console->target().isEmpty() || !m_consoleDock->isVisible())
        m_console->setTarget(event.streamId);
    Q_EMIT eventInspected(event.position);
    // A followed causation link brings its event into the table too; a selection's answer never moves the table.
    if (link && m_eventView->currentIndex().data(PositionRole).toLongLong() != event.position)
        jumpToEvent(&event, event.position);
}

void MainWindow::onReadFailed(quint64 requestId, const QString& message)
{
    if (requestId == m_gotoRequest || requestId == m_linkRequest || requestId == m_eventRequest) {
        if (requestId == m_gotoRequest)
            m_gotoRequest = 0;
        if (requestId == m_linkRequest)
            m_linkRequest = 0;
        reportReadError(message);
    } else if (requestId == m_typesRequest) {
        m_typesRequest = 0;
        reportReadError(tr("The list of event types could not be read: %1").arg(message));
    }
}

void MainWindow::exportCurrentView(const QString& path)
{
    if (!m_reader || !m_eventModel)
        return;
    auto* dialog = new ExportDialog(m_reader->search(), m_eventModel->query(),
        EventExporter::Header { m_storeLabel->text(), operatorName(), roleName(m_role), {} }, this);
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (path.isEmpty())
        dialog->chooseFileAndStart();
    else
        dialog->start(path, EventExporter::formatForPath(path));
}

void MainWindow::saveScreenshotWhenLoaded(const QString& path)
{
    m_screenshotPath = path;
    m_screenshotStep = 0;
    m_screenshotWait = 0;
    m_screenshotTimer.start();
}

void MainWindow::stepScreenshot()
{
    if (!m_streamModel || isOpening())
        return;
    switch (m_screenshotStep) {
    case 0: { // the streams are there: choose the largest loaded one
        if (m_streamModel->isLoading() || m_streamModel->rowCount() == 0)
            return;
        int best = 0;
        for (int row = 1; row < m_streamModel->rowCount(); ++row) {
            if (m_streamModel->stream(row).eventCount > m_streamModel->stream(best).eventCount)
                best = row;
        }
        m_streamView->setCurrentIndex(m_streamModel->index(best, 0));
        ++m_screenshotStep;
        return;
    }
    case 1: // its events are there: select one in the middle of its history
        if (m_eventModel->isLoading() || m_eventModel->rowCount() == 0)
            return;
        m_eventView->setCurrentIndex(m_eventModel->index(std::min(3, m_eventModel->rowCount() - 1), 0));
        ++m_screenshotStep;
        return;
    case 2: // let the inspector and time travel fill in
        if (m_inspected.position == 0 || ++m_screenshotWait < 20)
            return;
        ++m_screenshotStep;
        return;
    default: {
        m_screenshotTimer.stop();
        const bool ok = grab().save(m_screenshotPath);
        Q_EMIT screenshotSaved(m_screenshotPath, ok);
    }
    }
}

} // namespace EventScope
