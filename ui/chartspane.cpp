// SPDX-License-Identifier: Apache-2.0
#include "chartspane.h"

#include "metricseriesmodel.h"

#include "engine/engine.h"
#include "engine/eventtypestatisticsquery.h"
#include "monitoring/healthregistry.h"
#include "monitoring/monitoringhub.h"
#include "resilience/faultinjectingeventstore.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHideEvent>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMap>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QShowEvent>
#include <QSpinBox>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace EventScope {

namespace {

using Selector = MetricSeriesModel::Selector;
using Transform = MetricSeriesModel::Transform;

constexpr int RedrawMs = 100; // 10 Hz
constexpr int HiddenSampleMs = 1000;
constexpr int HealthEveryMs = 5000;
constexpr int TypesEveryMs = 30000;
constexpr int MaxTypesShown = 8;

const QColor UpColor(0x2e, 0x9d, 0x4f);
const QColor DegradedColor(0xe0, 0xa1, 0x00);
const QColor DownColor(0xd3, 0x2f, 0x2f);

Selector selector(const QString& metric, Transform transform, const QString& splitBy = {}, double quantile = 0.5)
{
    Selector result;
    result.metric = metric;
    result.transform = transform;
    result.splitBy = splitBy;
    result.quantile = quantile;
    result.window = transform == Transform::Quantile ? std::chrono::seconds(10) : std::chrono::seconds(3);
    return result;
}

QColor colorOf(HealthStatus status)
{
    switch (status) {
    case HealthStatus::Up:
        return UpColor;
    case HealthStatus::Degraded:
        return DegradedColor;
    case HealthStatus::Down:
        return DownColor;
    }
    return DownColor;
}

QPixmap lightPixmap(HealthStatus status, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colorOf(status).darker(140), 1));
    painter.setBrush(colorOf(status));
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3));
    return pixmap;
}

QIcon light(HealthStatus status)
{
    return QIcon(lightPixmap(status, 16));
}

QString statusText(HealthStatus status)
{
    switch (status) {
    case HealthStatus::Up:
        return ChartsPane::tr("Up");
    case HealthStatus::Degraded:
        return ChartsPane::tr("Degraded");
    case HealthStatus::Down:
        return ChartsPane::tr("Down");
    }
    return {};
}

/// A "nice" upper end for a value axis showing values up to \a max.
double niceCeiling(double max)
{
    if (!(max > 0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(max)));
    for (const double step : { 1.0, 2.0, 2.5, 4.0, 5.0, 10.0 }) {
        if (step * magnitude >= max)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

} // namespace

/// One chart of the Resilience or Metrics tab and the model lines it draws.
struct ChartsPane::Plot {
    struct Line {
        QString id;
        QString line;
        QLineSeries* series = nullptr;
    };

    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QDateTimeAxis* time = nullptr;
    QValueAxis* values = nullptr; ///< null for the breaker chart
    QCategoryAxis* states = nullptr; ///< the breaker chart's state axis
    int tab = 0;
    double scale = 1.0; ///< latency charts show milliseconds
    bool stepped = false;
    std::vector<Line> lines;
};

/// The answer of GetEventTypeStatistics, shaped for the bar chart.
struct ChartsPane::EventTypeCounts {
    QString error;
    QStringList days; ///< "YYYY-MM-DD", oldest first, every day of the range
    QList<QPair<QString, QList<qint64>>> types; ///< per type, the count per day; most frequent first
    qint64 total = 0;
    qint64 asOf = -1;
    bool truncated = false;
};

ChartsPane::ChartsPane(QWidget* parent)
    : QWidget(parent)
    , m_model(new MetricSeriesModel(this))
{
    setUpWidgets();
    connect(m_model, &MetricSeriesModel::linesAdded, this, &ChartsPane::addLines);
    m_redraw.setInterval(RedrawMs);
    connect(&m_redraw, &QTimer::timeout, this, &ChartsPane::refreshCharts);
    m_typesTimer.setInterval(TypesEveryMs);
    connect(&m_typesTimer, &QTimer::timeout, this, &ChartsPane::refreshEventTypes);
    m_healthTimer.setInterval(HealthEveryMs);
    connect(&m_healthTimer, &QTimer::timeout, this, &ChartsPane::refreshHealth);
    updateChaosControls();
    applyTheme();
}

ChartsPane::~ChartsPane()
{
    // A drill must not outlive the window that shows its banner.
    if (m_chaosOn && m_engine && m_engine->chaos())
        m_engine->chaos()->setFaults(FaultInjection {});
}

void ChartsPane::setUpWidgets()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("chaosBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #b3261e; color: white; font-weight: bold; "
                                           "padding: 6px 10px; border-radius: 3px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    auto* top = new QHBoxLayout;
    auto* windowLabel = new QLabel(tr("&Show:"), this);
    m_windowChoice = new QComboBox(this);
    m_windowChoice->setObjectName(QStringLiteral("chartWindow"));
    m_windowChoice->addItem(tr("Last minute"), 60);
    m_windowChoice->addItem(tr("Last 5 minutes"), 300);
    m_windowChoice->addItem(tr("Last 10 minutes"), 600);
    m_windowChoice->setCurrentIndex(1);
    m_windowChoice->setToolTip(tr("How much history the live charts show (they keep the last 10 minutes)."));
    windowLabel->setBuddy(m_windowChoice);
    connect(m_windowChoice, &QComboBox::currentIndexChanged, this,
        [this] { setVisibleWindow(std::chrono::seconds(m_windowChoice->currentData().toInt())); });
    m_liveState = new QLabel(this);
    m_liveState->setObjectName(QStringLiteral("liveState"));
    top->addWidget(windowLabel);
    top->addWidget(m_windowChoice);
    top->addStretch();
    top->addWidget(m_liveState);
    layout->addLayout(top);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("chartTabs"));
    m_tabs->addTab(createResilienceTab(), tr("&Resilience"));
    m_tabs->addTab(createMetricsTab(), tr("&Metrics"));
    m_tabs->addTab(createEventTypesTab(), tr("&Events per type"));
    m_tabs->addTab(createHealthTab(), tr("&Health"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        updateActivity();
        refreshCharts();
    });
    layout->addWidget(m_tabs, 1);
}

ChartsPane::Plot* ChartsPane::addPlot(const QString& objectName, const QString& title, const QString& valueTitle)
{
    auto plot = std::make_unique<Plot>();
    plot->tab = int(m_tabs ? m_tabs->count() : 0);
    plot->chart = new QChart;
    plot->chart->setTitle(title);
    plot->chart->setMargins(QMargins(4, 4, 4, 4));
    plot->chart->setBackgroundRoundness(0);
    plot->chart->legend()->setAlignment(Qt::AlignBottom);
    plot->chart->setAnimationOptions(QChart::NoAnimation);
    plot->time = new QDateTimeAxis;
    plot->time->setFormat(QStringLiteral("HH:mm:ss"));
    plot->time->setTitleText(tr("Time"));
    plot->time->setTickCount(6);
    plot->chart->addAxis(plot->time, Qt::AlignBottom);
    if (valueTitle.isNull()) {
        plot->states = new QCategoryAxis;
        plot->states->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        plot->states->append(tr("closed"), 0);
        plot->states->append(tr("half-open"), 1);
        plot->states->append(tr("open"), 2);
        plot->states->setRange(-0.25, 2.25);
        plot->states->setTitleText(tr("State"));
        plot->chart->addAxis(plot->states, Qt::AlignLeft);
        plot->stepped = true;
    } else {
        plot->values = new QValueAxis;
        plot->values->setTitleText(valueTitle);
        plot->values->setRange(0, 1);
        plot->values->setLabelFormat(QStringLiteral("%.4g"));
        plot->chart->addAxis(plot->values, Qt::AlignLeft);
    }
    // Qt Charts 6.4 leaves out the time axis of a chart shown before any series was attached to it, and does not
    // lay it out again when one joins: an empty series without legend entry holds both axes from the start.
    auto* anchor = new QLineSeries(plot->chart);
    plot->chart->addSeries(anchor);
    anchor->attachAxis(plot->time);
    anchor->attachAxis(plot->values ? static_cast<QAbstractAxis*>(plot->values) : plot->states);
    for (QLegendMarker* marker : plot->chart->legend()->markers(anchor))
        marker->setVisible(false);
    plot->view = new QChartView(plot->chart);
    plot->view->setObjectName(objectName);
    plot->view->setRenderHint(QPainter::Antialiasing);
    plot->view->setMinimumSize(280, 200);
    plot->view->setToolTip(title);
    Plot* raw = plot.get();
    m_plots.push_back(std::move(plot));
    return raw;
}

void ChartsPane::addLine(Plot* plot, const QString& id, const QString& legend)
{
    m_plotOf.insert(id, plot);
    m_legendOf.insert(id, legend);
    addLines(id);
}

void ChartsPane::addLines(const QString& id)
{
    Plot* plot = m_plotOf.value(id);
    if (!plot)
        return;
    for (const QString& line : m_model->lines(id)) {
        const bool known = std::any_of(plot->lines.begin(), plot->lines.end(),
            [&](const Plot::Line& existing) { return existing.id == id && existing.line == line; });
        if (known)
            continue;
        auto* series = new QLineSeries(plot->chart);
        QString name = m_legendOf.value(id);
        name = name.contains(QLatin1String("%1")) ? name.arg(line.isEmpty() ? tr("all") : line) : name;
        series->setName(name);
        series->setObjectName(id + QLatin1Char(':') + line);
        plot->chart->addSeries(series);
        series->attachAxis(plot->time);
        series->attachAxis(plot->values ? static_cast<QAbstractAxis*>(plot->values) : plot->states);
        QPen pen = series->pen();
        pen.setWidthF(2.0);
        series->setPen(pen);
        plot->lines.push_back({ id, line, series });
    }
}

QWidget* ChartsPane::createResilienceTab()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);

    auto* drill = new QHBoxLayout;
    m_chaosToggle = new QPushButton(tr("Start &chaos drill"), page);
    m_chaosToggle->setObjectName(QStringLiteral("chaosToggle"));
    m_chaosToggle->setCheckable(true);
    connect(m_chaosToggle, &QPushButton::clicked, this, [this](bool checked) {
        if (checked) {
            QString error;
            if (!startChaosDrill(m_chaosRateBox->value() / 100.0, &error)) {
                m_chaosNote->setText(error);
                updateChaosControls();
            }
        } else {
            stopChaosDrill();
        }
    });
    auto* rateLabel = new QLabel(tr("&Failure rate:"), page);
    m_chaosRateBox = new QSpinBox(page);
    m_chaosRateBox->setObjectName(QStringLiteral("chaosRate"));
    m_chaosRateBox->setRange(1, 100);
    m_chaosRateBox->setValue(30);
    m_chaosRateBox->setSuffix(QStringLiteral(" %"));
    m_chaosRateBox->setToolTip(tr("Share of the domain's event-store calls that fail during the drill."));
    rateLabel->setBuddy(m_chaosRateBox);
    connect(m_chaosRateBox, &QSpinBox::valueChanged, this, [this](int percent) {
        if (m_chaosOn)
            startChaosDrill(percent / 100.0);
    });
    m_chaosNote = new QLabel(page);
    m_chaosNote->setObjectName(QStringLiteral("chaosNote"));
    m_chaosNote->setWordWrap(true);
    drill->addWidget(m_chaosToggle);
    drill->addWidget(rateLabel);
    drill->addWidget(m_chaosRateBox);
    drill->addWidget(m_chaosNote, 1);
    layout->addLayout(drill);

    auto* grid = new QGridLayout;
    Plot* breaker = addPlot(QStringLiteral("breakerChart"), tr("Circuit breaker state"), QString());
    m_model->addSeries(QStringLiteral("breaker"),
        selector(QStringLiteral("circuit_breaker_state"), Transform::Value, QStringLiteral("name")));
    addLine(breaker, QStringLiteral("breaker"), tr("breaker %1"));

    Plot* retries = addPlot(QStringLiteral("retriesChart"), tr("Retries, timeouts and rejections"), tr("calls/s"));
    m_model->addSeries(
        QStringLiteral("retries"), selector(QStringLiteral("retries_total"), Transform::Rate, QStringLiteral("name")));
    addLine(retries, QStringLiteral("retries"), tr("retries/s (%1)"));
    m_model->addSeries(QStringLiteral("timeouts"),
        selector(QStringLiteral("timeouts_total"), Transform::Rate, QStringLiteral("name")));
    addLine(retries, QStringLiteral("timeouts"), tr("timeouts/s (%1)"));
    m_model->addSeries(QStringLiteral("breakerRejected"),
        selector(QStringLiteral("circuit_breaker_rejected_total"), Transform::Rate, QStringLiteral("name")));
    addLine(retries, QStringLiteral("breakerRejected"), tr("refused by breaker/s (%1)"));

    Plot* bulkhead = addPlot(QStringLiteral("bulkheadChart"), tr("Bulkhead"), tr("calls"));
    m_model->addSeries(QStringLiteral("bulkheadInUse"),
        selector(QStringLiteral("bulkhead_in_use"), Transform::Value, QStringLiteral("name")));
    addLine(bulkhead, QStringLiteral("bulkheadInUse"), tr("in use (%1)"));
    m_model->addSeries(QStringLiteral("bulkheadQueued"),
        selector(QStringLiteral("bulkhead_queued"), Transform::Value, QStringLiteral("name")));
    addLine(bulkhead, QStringLiteral("bulkheadQueued"), tr("queued (%1)"));
    m_model->addSeries(QStringLiteral("bulkheadRejected"),
        selector(QStringLiteral("bulkhead_rejected_total"), Transform::Rate, QStringLiteral("name")));
    addLine(bulkhead, QStringLiteral("bulkheadRejected"), tr("rejected/s (%1)"));

    // Commands as callers see them during a drill: store-unavailable once the breaker opens. (The metered store's
    // error counter sits behind the fault injection, so a drill's faults never reach it.)
    Plot* outcomes = addPlot(QStringLiteral("outcomesChart"), tr("Commands by outcome"), tr("commands/s"));
    m_model->addSeries(QStringLiteral("outcomes"),
        selector(QStringLiteral("commands_executed_total"), Transform::Rate, QStringLiteral("outcome")));
    addLine(outcomes, QStringLiteral("outcomes"), tr("%1"));

    grid->addWidget(breaker->view, 0, 0);
    grid->addWidget(retries->view, 0, 1);
    grid->addWidget(bulkhead->view, 1, 0);
    grid->addWidget(outcomes->view, 1, 1);
    layout->addLayout(grid, 1);
    return page;
}

QWidget* ChartsPane::createMetricsTab()
{
    auto* page = new QWidget;
    auto* grid = new QGridLayout(page);

    Plot* commands = addPlot(QStringLiteral("commandsChart"), tr("Commands by outcome"), tr("commands/s"));
    m_model->addSeries(QStringLiteral("commands"),
        selector(QStringLiteral("commands_executed_total"), Transform::Rate, QStringLiteral("outcome")));
    addLine(commands, QStringLiteral("commands"), tr("%1"));

    Plot* events = addPlot(QStringLiteral("eventsChart"), tr("Events"), tr("events/s"));
    m_model->addSeries(
        QStringLiteral("eventsAppended"), selector(QStringLiteral("events_appended_total"), Transform::Rate));
    addLine(events, QStringLiteral("eventsAppended"), tr("appended/s"));
    m_model->addSeries(
        QStringLiteral("eventsHandled"), selector(QStringLiteral("events_handled_total"), Transform::Rate));
    addLine(events, QStringLiteral("eventsHandled"), tr("handled/s"));

    Plot* append = addPlot(QStringLiteral("appendLatencyChart"), tr("Append latency (last 10 s)"), tr("ms"));
    Plot* read = addPlot(QStringLiteral("readLatencyChart"), tr("Read latency (last 10 s)"), tr("ms"));
    append->scale = 1000.0;
    read->scale = 1000.0;
    for (const double q : { 0.5, 0.95, 0.99 }) {
        const QString suffix = QString::number(int(std::lround(q * 100)));
        m_model->addSeries(QStringLiteral("appendP") + suffix,
            selector(QStringLiteral("eventstore_append_duration_seconds"), Transform::Quantile, {}, q));
        addLine(append, QStringLiteral("appendP") + suffix, QStringLiteral("p") + suffix);
        m_model->addSeries(QStringLiteral("readP") + suffix,
            selector(QStringLiteral("eventstore_read_duration_seconds"), Transform::Quantile, {}, q));
        addLine(read, QStringLiteral("readP") + suffix, QStringLiteral("p") + suffix);
    }

    Plot* lag = addPlot(QStringLiteral("projectionLagChart"), tr("Projection lag"), tr("events behind"));
    m_model->addSeries(QStringLiteral("projectionLag"),
        selector(QStringLiteral("projection_lag_events"), Transform::Value, QStringLiteral("projection")));
    addLine(lag, QStringLiteral("projectionLag"), tr("%1"));

    grid->addWidget(commands->view, 0, 0);
    grid->addWidget(events->view, 0, 1);
    grid->addWidget(append->view, 1, 0);
    grid->addWidget(read->view, 1, 1);
    grid->addWidget(lag->view, 2, 0, 1, 2);
    return page;
}

QWidget* ChartsPane::createEventTypesTab()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    auto* daysLabel = new QLabel(tr("&Days:"), page);
    m_typesDays = new QComboBox(page);
    m_typesDays->setObjectName(QStringLiteral("eventTypeDays"));
    for (const int days : { 7, 14, 30, 90 })
        m_typesDays->addItem(tr("Last %1 days").arg(days), days);
    m_typesDays->setCurrentIndex(1);
    m_typesDays->setToolTip(tr("How many days (UTC) the chart covers, today included."));
    daysLabel->setBuddy(m_typesDays);
    connect(m_typesDays, &QComboBox::currentIndexChanged, this, &ChartsPane::refreshEventTypes);
    m_typesReload = new QPushButton(tr("Re&load"), page);
    m_typesReload->setObjectName(QStringLiteral("eventTypeReload"));
    m_typesReload->setToolTip(tr("Read the event type statistics again (they also reload every 30 seconds)."));
    connect(m_typesReload, &QPushButton::clicked, this, &ChartsPane::refreshEventTypes);
    m_typesStatus = new QLabel(page);
    m_typesStatus->setObjectName(QStringLiteral("eventTypeStatus"));
    m_typesStatus->setWordWrap(true);
    row->addWidget(daysLabel);
    row->addWidget(m_typesDays);
    row->addWidget(m_typesReload);
    row->addWidget(m_typesStatus, 1);
    layout->addLayout(row);

    m_typesChart = new QChart;
    m_typesChart->setTitle(tr("Events per type per day (UTC)"));
    m_typesChart->setMargins(QMargins(4, 4, 4, 4));
    m_typesChart->setBackgroundRoundness(0);
    m_typesChart->legend()->setAlignment(Qt::AlignRight);
    m_typesView = new QChartView(m_typesChart, page);
    m_typesView->setObjectName(QStringLiteral("eventTypeChart"));
    m_typesView->setRenderHint(QPainter::Antialiasing);
    m_typesView->setMinimumSize(400, 260);
    layout->addWidget(m_typesView, 1);
    return page;
}

QWidget* ChartsPane::createHealthTab()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_healthLight = new QLabel(page);
    m_healthLight->setObjectName(QStringLiteral("healthLight"));
    row->addWidget(m_healthLight);
    m_healthOverall = new QLabel(page);
    m_healthOverall->setObjectName(QStringLiteral("healthOverall"));
    m_healthOverall->setWordWrap(true);
    QFont font = m_healthOverall->font();
    font.setBold(true);
    m_healthOverall->setFont(font);
    m_healthCheck = new QPushButton(tr("Check &now"), page);
    m_healthCheck->setObjectName(QStringLiteral("healthCheckNow"));
    m_healthCheck->setToolTip(tr("Run every health check now (they also run every 5 seconds while shown)."));
    connect(m_healthCheck, &QPushButton::clicked, this, &ChartsPane::refreshHealth);
    row->addWidget(m_healthOverall, 1);
    row->addWidget(m_healthCheck);
    layout->addLayout(row);

    m_healthTable = new QTableWidget(0, 4, page);
    m_healthTable->setObjectName(QStringLiteral("healthTable"));
    m_healthTable->setHorizontalHeaderLabels({ tr("Component"), tr("Status"), tr("Detail"), tr("Checked") });
    m_healthTable->verticalHeader()->hide();
    m_healthTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_healthTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_healthTable->setWordWrap(true);
    m_healthTable->setIconSize(QSize(16, 16));
    m_healthTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_healthTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_healthTable->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_healthTable->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    layout->addWidget(m_healthTable, 1);
    auto* note
        = new QLabel(tr("The checks `eventscope-cli serve` answers on /health: the database itself (eventstore), "
                        "the store as commands reach it through retries, breaker and bulkhead (storeaccess), "
                        "the read models (projections) and the circuit breakers (resilience). A check that "
                        "does not answer in time counts as down. Checked every 5 seconds while shown."),
            page);
    note->setWordWrap(true);
    layout->addWidget(note);
    showHealth(m_health);
    return page;
}

void ChartsPane::setEngine(std::shared_ptr<Engine> engine)
{
    if (engine == m_engine)
        return;
    if (m_chaosOn)
        stopChaosDrill();
    m_engine = std::move(engine);
    ++m_typesGeneration;
    ++m_healthGeneration;
    m_loadingTypes = false;
    m_checkingHealth = false;
    updateChaosControls();
    if (isVisible() && currentTab() == EventTypesTab)
        refreshEventTypes();
    else if (!m_engine)
        showEventTypes({ tr("Not connected: open an event store to see its events per type."), {}, {}, 0, -1, false });
    if (isVisible() && currentTab() == HealthTab)
        refreshHealth();
}

void ChartsPane::setMonitoring(MonitoringHub* hub)
{
    m_hub = hub;
    m_model->setHub(hub);
    updateActivity();
}

void ChartsPane::setRole(Role role)
{
    m_role = role;
    if (m_chaosOn && !mayRunChaosDrill(role))
        stopChaosDrill();
    updateChaosControls();
}

QString ChartsPane::chaosDescription() const
{
    if (!m_chaosOn)
        return {};
    return tr("Chaos drill on: %1 % of store calls fail").arg(QLocale().toString(m_chaosRate * 100.0, 'g', 3));
}

bool ChartsPane::startChaosDrill(double failureRate, QString* error)
{
    QString why;
    if (!mayRunChaosDrill(m_role))
        why = tr("Only the developer role may start a chaos drill; you are connected as %1. Reconnect as a "
                 "developer to run one.")
                  .arg(roleName(m_role));
    else if (!m_engine)
        why = tr("No event store is open. Connect to a store to run a chaos drill.");
    else if (!m_engine->chaos())
        why = tr("This connection was opened without fault injection, so a chaos drill cannot run on it. "
                 "Reconnect to enable drills.");
    else if (!(failureRate > 0.0 && failureRate <= 1.0))
        why = tr("The failure rate must be above 0 % and at most 100 %.");
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    applyChaos(failureRate);
    return true;
}

void ChartsPane::stopChaosDrill()
{
    if (!m_chaosOn)
        return;
    if (m_engine && m_engine->chaos())
        m_engine->chaos()->setFaults(FaultInjection {});
    m_chaosOn = false;
    m_chaosRate = 0.0;
    updateChaosControls();
    Q_EMIT chaosChanged(false, tr("Chaos drill off"));
}

void ChartsPane::applyChaos(double failureRate)
{
    FaultInjection faults;
    faults.failureRate = failureRate;
    faults.seed = QRandomGenerator::global()->generate64();
    m_engine->chaos()->setFaults(faults);
    m_chaosOn = true;
    m_chaosRate = failureRate;
    updateChaosControls();
    Q_EMIT chaosChanged(true, chaosDescription());
}

void ChartsPane::updateChaosControls()
{
    const QSignalBlocker blockToggle(m_chaosToggle);
    const QSignalBlocker blockRate(m_chaosRateBox);
    m_chaosToggle->setChecked(m_chaosOn);
    m_chaosToggle->setText(m_chaosOn ? tr("Stop &chaos drill") : tr("Start &chaos drill"));
    if (m_chaosOn)
        m_chaosRateBox->setValue(int(std::lround(m_chaosRate * 100.0)));

    QString why;
    if (!mayRunChaosDrill(m_role))
        why = tr("Only the developer role may run a chaos drill (you are %1).").arg(roleName(m_role));
    else if (!m_engine)
        why = tr("Connect to an event store to run a chaos drill.");
    else if (!m_engine->chaos())
        why = tr("This connection was opened without fault injection: no drill possible here.");
    const bool allowed = why.isEmpty();
    m_chaosToggle->setEnabled(allowed || m_chaosOn);
    m_chaosRateBox->setEnabled(allowed);
    const QString explanation = tr("Makes a share of the domain's event-store calls fail on purpose, to watch "
                                   "retries, the circuit breaker and the health checks react. Commands fail "
                                   "while it runs: never on a store in real use.");
    m_chaosToggle->setToolTip(allowed ? explanation : why);
    m_chaosNote->setText(allowed ? (m_chaosOn ? tr("Drill running: commands fail on purpose.") : QString()) : why);

    m_banner->setVisible(m_chaosOn);
    if (m_chaosOn)
        m_banner->setText(chaosDescription()
            + tr(" — commands and reads fail on purpose; the breaker may open. Stop the drill on the Resilience "
                 "tab to end it."));
}

void ChartsPane::setVisibleWindow(std::chrono::seconds window)
{
    m_window = std::clamp(window, std::chrono::seconds(10), std::chrono::seconds(600));
    const int index = m_windowChoice->findData(int(m_window.count()));
    if (index >= 0 && index != m_windowChoice->currentIndex()) {
        const QSignalBlocker block(m_windowChoice);
        m_windowChoice->setCurrentIndex(index);
    }
    refreshCharts();
}

void ChartsPane::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

ChartsPane::Tab ChartsPane::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

QXYSeries* ChartsPane::chartSeries(const QString& id, const QString& line) const
{
    const Plot* plot = m_plotOf.value(id);
    if (!plot)
        return nullptr;
    for (const Plot::Line& entry : plot->lines) {
        if (entry.id == id && entry.line == line)
            return entry.series;
    }
    return nullptr;
}

QChart* ChartsPane::chartOf(const QString& id) const
{
    const Plot* plot = m_plotOf.value(id);
    return plot ? plot->chart : nullptr;
}

void ChartsPane::refreshCharts()
{
    const qint64 now = m_model->lastSampleTime() > 0 ? m_model->lastSampleTime() : QDateTime::currentMSecsSinceEpoch();
    const int tab = m_tabs->currentIndex();
    for (const auto& plot : m_plots) {
        if (plot->tab == tab)
            refreshPlot(*plot, now);
    }
}

void ChartsPane::refreshPlot(Plot& plot, qint64 now)
{
    const qint64 from = now - qint64(m_window.count()) * 1000;
    // About two points per horizontal pixel is all a line can show.
    const int maxPoints = std::max(64, 2 * plot.view->width());
    double highest = 0.0;
    for (const Plot::Line& line : plot.lines) {
        QList<QPointF> points = m_model->points(line.id, line.line, maxPoints, from);
        if (plot.scale != 1.0) {
            for (QPointF& point : points)
                point.setY(point.y() * plot.scale);
        }
        if (plot.stepped)
            points = TimeSeriesBuffer::stepped(points, now);
        for (const QPointF& point : std::as_const(points)) {
            if (point.x() >= double(from))
                highest = std::max(highest, point.y());
        }
        line.series->replace(points);
    }
    plot.time->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(now));
    if (plot.values)
        plot.values->setRange(0.0, niceCeiling(highest * 1.1));
}

void ChartsPane::refreshEventTypes()
{
    if (!m_engine) {
        showEventTypes({ tr("Not connected: open an event store to see its events per type."), {}, {}, 0, -1, false });
        return;
    }
    const quint64 generation = ++m_typesGeneration;
    m_loadingTypes = true;
    m_typesStatus->setText(tr("Loading…"));
    const int days = m_typesDays->currentData().toInt();
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QDate first = today.addDays(1 - days);

    auto* watcher = new QFutureWatcher<EventTypeCounts>(this);
    connect(watcher, &QFutureWatcher<EventTypeCounts>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_typesGeneration)
            return; // the engine or the range changed meanwhile
        m_loadingTypes = false;
        showEventTypes(watcher->result());
        Q_EMIT eventTypesLoaded();
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, first, today] {
        EventTypeCounts counts;
        Query query { QLatin1String(EventTypeStatisticsQuery::Type),
            { { QStringLiteral("from"), first.toString(Qt::ISODate) },
                { QStringLiteral("to"), today.toString(Qt::ISODate) }, { QStringLiteral("limit"), 10000 } } };
        const QueryResult result = engine->query(query);
        if (!result.ok()) {
            counts.error = result.error()->message;
            return counts;
        }
        const QJsonObject object = result.value().toObject();
        counts.truncated = object.value(QStringLiteral("truncated")).toBool();
        counts.asOf = object.contains(QStringLiteral("asOf")) ? object.value(QStringLiteral("asOf")).toInteger() : -1;
        for (QDate day = first; day <= today; day = day.addDays(1))
            counts.days << day.toString(Qt::ISODate);
        QMap<QString, QList<qint64>> perType;
        QMap<QString, qint64> totals;
        for (const QJsonValue& value : object.value(QStringLiteral("rows")).toArray()) {
            const QJsonObject row = value.toObject();
            const qsizetype index = counts.days.indexOf(row.value(QStringLiteral("day")).toString());
            if (index < 0)
                continue;
            const QString type = row.value(QStringLiteral("eventType")).toString();
            const qint64 count = row.value(QStringLiteral("count")).toInteger();
            QList<qint64>& perDay = perType[type];
            if (perDay.isEmpty())
                perDay.fill(0, counts.days.size());
            perDay[index] += count;
            totals[type] += count;
            counts.total += count;
        }
        QStringList types = perType.keys();
        std::stable_sort(types.begin(), types.end(),
            [&totals](const QString& a, const QString& b) { return totals.value(a) > totals.value(b); });
        QList<qint64> other(counts.days.size(), 0);
        bool hasOther = false;
        for (qsizetype i = 0; i < types.size(); ++i) {
            if (i < MaxTypesShown - 1 || types.size() <= MaxTypesShown) {
                counts.types.append({ types[i], perType.value(types[i]) });
            } else {
                hasOther = true;
                const QList<qint64>& perDay = perType[types[i]];
                for (qsizetype d = 0; d < other.size(); ++d)
                    other[d] += perDay[d];
            }
        }
        if (hasOther)
            counts.types.append({ ChartsPane::tr("other types"), other });
        return counts;
    }));
}

void ChartsPane::showEventTypes(const EventTypeCounts& counts)
{
    m_typesChart->removeAllSeries();
    for (QAbstractAxis* axis : m_typesChart->axes())
        m_typesChart->removeAxis(axis), delete axis;
    if (!counts.error.isEmpty()) {
        m_typesStatus->setText(counts.error);
        return;
    }
    if (counts.total == 0) {
        m_typesStatus->setText(tr("No events counted in these days. The statistics read model may still be "
                                  "catching up: it is reloaded every 30 seconds."));
    } else {
        QString text = tr("%n event(s) in these days.", nullptr, int(std::min<qint64>(counts.total, INT_MAX)));
        if (counts.asOf >= 0)
            text += QLatin1Char(' ') + tr("Read model as of $all position %1.").arg(counts.asOf);
        if (counts.truncated)
            text += QLatin1Char(' ') + tr("Too many rows: choose fewer days to see them all.");
        m_typesStatus->setText(text);
    }
    auto* series = new QStackedBarSeries;
    for (const auto& [type, perDay] : counts.types) {
        auto* set = new QBarSet(type);
        for (const qint64 count : perDay)
            *set << double(count);
        series->append(set);
    }
    m_typesChart->addSeries(series);
    auto* days = new QBarCategoryAxis;
    QStringList labels;
    for (const QString& day : counts.days)
        labels << QLocale().toString(QDate::fromString(day, Qt::ISODate), QStringLiteral("d MMM"));
    days->append(labels);
    days->setTitleText(tr("Day (UTC)"));
    auto* values = new QValueAxis;
    values->setTitleText(tr("events"));
    values->setLabelFormat(QStringLiteral("%d"));
    qint64 highest = 0;
    for (qsizetype d = 0; d < counts.days.size(); ++d) {
        qint64 sum = 0;
        for (const auto& entry : counts.types)
            sum += entry.second.value(d);
        highest = std::max(highest, sum);
    }
    values->setRange(0, niceCeiling(double(highest) * 1.05));
    m_typesChart->addAxis(days, Qt::AlignBottom);
    m_typesChart->addAxis(values, Qt::AlignLeft);
    series->attachAxis(days);
    series->attachAxis(values);
    applyTheme();
}

void ChartsPane::refreshHealth()
{
    const std::shared_ptr<HealthRegistry> registry = m_hub ? m_hub->healthRegistry() : nullptr;
    if (!m_hub || !m_engine || !registry) {
        HealthReport report;
        report.status = HealthStatus::Down;
        report.time = QDateTime::currentDateTimeUtc();
        HealthCheckResult result = HealthCheckResult::down(!m_engine
                ? tr("No event store is open. Connect to a store to check its health.")
                : tr("Monitoring is not set up for this connection, so health cannot be checked."));
        result.checkedAt = report.time;
        report.checks.emplace(QStringLiteral("engine"), result);
        showHealth(report);
        Q_EMIT healthChecked();
        return;
    }
    if (m_checkingHealth)
        return; // one run at a time; the next tick asks again
    const quint64 generation = ++m_healthGeneration;
    m_checkingHealth = true;
    auto* watcher = new QFutureWatcher<HealthReport>(this);
    connect(watcher, &QFutureWatcher<HealthReport>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_healthGeneration)
            return;
        m_checkingHealth = false;
        showHealth(watcher->result());
        Q_EMIT healthChecked();
    });
    // The engine rides along: the checks use it, and the pane may drop it meanwhile.
    watcher->setFuture(QtConcurrent::run([registry, engine = m_engine] { return registry->runAll(); }));
}

void ChartsPane::showHealth(const HealthReport& report)
{
    m_health = report;
    if (report.checks.empty()) {
        m_healthLight->clear();
        m_healthOverall->setText(tr("Not checked yet."));
        m_healthTable->setRowCount(0);
        return;
    }
    m_healthLight->setPixmap(lightPixmap(report.status, 20));
    m_healthOverall->setText(tr("Overall: %1 — checked at %2")
                                 .arg(statusText(report.status),
                                     QLocale().toString(report.time.toLocalTime().time(), QStringLiteral("HH:mm:ss"))));
    m_healthTable->setRowCount(int(report.checks.size()));
    int row = 0;
    for (const auto& [name, result] : report.checks) {
        auto* component = new QTableWidgetItem(light(result.status), name);
        auto* status = new QTableWidgetItem(statusText(result.status));
        status->setForeground(colorOf(result.status));
        QFont bold = status->font();
        bold.setBold(true);
        status->setFont(bold);
        auto* detail = new QTableWidgetItem(result.detail);
        detail->setToolTip(result.detail);
        auto* checked = new QTableWidgetItem(
            tr("%1 (%2 ms)")
                .arg(QLocale().toString(result.checkedAt.toLocalTime().time(), QStringLiteral("HH:mm:ss")))
                .arg(result.duration.count()));
        m_healthTable->setItem(row, 0, component);
        m_healthTable->setItem(row, 1, status);
        m_healthTable->setItem(row, 2, detail);
        m_healthTable->setItem(row, 3, checked);
        ++row;
    }
    m_healthTable->resizeRowsToContents();
}

void ChartsPane::updateActivity()
{
    const bool shown = isVisible();
    const Tab tab = currentTab();
    m_model->setSampleInterval(std::chrono::milliseconds(shown ? RedrawMs : HiddenSampleMs));
    m_model->setRunning(m_hub != nullptr);
    const bool live = shown && (tab == ResilienceTab || tab == MetricsTab);
    if (live)
        m_redraw.start();
    else
        m_redraw.stop();
    if (shown && tab == EventTypesTab) {
        if (!m_typesTimer.isActive()) {
            m_typesTimer.start();
            refreshEventTypes();
        }
    } else {
        m_typesTimer.stop();
    }
    if (shown && tab == HealthTab) {
        if (!m_healthTimer.isActive()) {
            m_healthTimer.start();
            refreshHealth();
        }
    } else {
        m_healthTimer.stop();
    }
    m_liveState->setText(!m_hub ? tr("No metrics: monitoring is not set up.")
            : live              ? tr("Live charts: 10 updates per second")
            : shown             ? tr("Live charts paused on this tab")
                                : tr("Live charts paused while hidden"));
}

void ChartsPane::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    updateActivity();
    refreshCharts();
}

void ChartsPane::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    updateActivity();
}

void ChartsPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTheme();
}

void ChartsPane::applyTheme()
{
    // Follow the application's light or dark palette; the charts' own themes are tuned for each.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    QList<QChart*> charts { m_typesChart };
    for (const auto& plot : m_plots)
        charts << plot->chart;
    for (QChart* chart : charts) {
        if (chart->theme() != theme)
            chart->setTheme(theme);
        chart->setBackgroundBrush(palette().color(QPalette::Base));
        chart->setTitleBrush(palette().color(QPalette::WindowText));
        QFont title = chart->titleFont();
        title.setBold(true);
        title.setPointSizeF(font().pointSizeF() * 1.1);
        chart->setTitleFont(title);
        chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsColor(palette().color(QPalette::WindowText));
            axis->setTitleBrush(palette().color(QPalette::WindowText));
            QColor grid = palette().color(QPalette::WindowText);
            grid.setAlpha(40);
            axis->setGridLineColor(grid);
        }
    }
    for (const auto& plot : m_plots) {
        for (const Plot::Line& line : plot->lines) {
            QPen pen = line.series->pen();
            pen.setWidthF(2.0);
            line.series->setPen(pen);
        }
    }
}

} // namespace EventScope
