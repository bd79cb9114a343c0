// SPDX-License-Identifier: Apache-2.0
#include "alertspane.h"

#include "alertmodel.h"
#include "monitoring/alertmonitor.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace EventScope {

namespace {

QString durationText(std::chrono::milliseconds duration)
{
    const qint64 ms = duration.count();
    if (ms % 60000 == 0 && ms >= 60000)
        return AlertsPane::tr("%n min", nullptr, int(ms / 60000));
    if (ms % 1000 == 0 && ms >= 1000)
        return AlertsPane::tr("%n s", nullptr, int(ms / 1000));
    return AlertsPane::tr("%1 ms").arg(ms);
}

QTableView* makeTable(AlertModel* model, const QString& objectName, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setResizeContentsPrecision(100);
    return view;
}

/// Every column but the last (the advice, which stretches) fits its contents, measured over at most 100 rows.
void fitColumns(QTableView* view)
{
    const int columns = view->model()->columnCount();
    for (int column = 0; column + 1 < columns; ++column)
        view->resizeColumnToContents(column);
}

} // namespace

AlertsPane::AlertsPane(QWidget* parent)
    : QWidget(parent)
    , m_active(new AlertModel(AlertModel::Mode::Active, this))
    , m_history(new AlertModel(AlertModel::Mode::History, this))
{
    setObjectName(QStringLiteral("alertsPane"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);

    m_thresholds = new QLabel(this);
    m_thresholds->setObjectName(QStringLiteral("alertsThresholds"));
    m_thresholds->setTextFormat(Qt::PlainText);
    m_thresholds->setWordWrap(true);
    m_thresholds->setForegroundRole(QPalette::PlaceholderText);

    m_activeView = makeTable(m_active, QStringLiteral("activeAlertsView"), this);
    m_activeView->setToolTip(tr("Alerts active now; each clears by itself once its value is back below the threshold"));
    m_historyView = makeTable(m_history, QStringLiteral("alertHistoryView"), this);
    m_historyView->setToolTip(tr("Alerts raised and cleared, newest first"));

    auto* activeBox = new QWidget(this);
    auto* activeLayout = new QVBoxLayout(activeBox);
    activeLayout->setContentsMargins(0, 0, 0, 0);
    auto* activeTitle = new QLabel(tr("Active"), activeBox);
    activeTitle->setBuddy(m_activeView);
    activeLayout->addWidget(activeTitle);
    activeLayout->addWidget(m_activeView);

    auto* historyBox = new QWidget(this);
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    auto* historyTitle = new QLabel(tr("History"), historyBox);
    historyTitle->setBuddy(m_historyView);
    historyLayout->addWidget(historyTitle);
    historyLayout->addWidget(m_historyView);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("alertsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(activeBox);
    splitter->addWidget(historyBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_thresholds);

    connect(m_active, &QAbstractItemModel::rowsInserted, this, &AlertsPane::updateSummary);
    connect(m_active, &QAbstractItemModel::rowsRemoved, this, &AlertsPane::updateSummary);
    connect(m_active, &QAbstractItemModel::modelReset, this, &AlertsPane::updateSummary);
    // A handful of active alerts: wrap their advice so that it can be read without a tooltip.
    m_activeView->setWordWrap(true);
    m_activeView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (QTableView* view : { m_activeView, m_historyView }) {
        auto* model = view->model();
        connect(model, &QAbstractItemModel::rowsInserted, view, [view] { fitColumns(view); });
        connect(model, &QAbstractItemModel::modelReset, view, [view] { fitColumns(view); });
        connect(model, &QAbstractItemModel::dataChanged, view, [view] { fitColumns(view); });
    }
    updateSummary();
}

AlertsPane::~AlertsPane() = default;

void AlertsPane::setMonitor(AlertMonitor* monitor)
{
    m_monitor = monitor;
    m_active->setMonitor(monitor);
    m_history->setMonitor(monitor);
    updateSummary();
}

void AlertsPane::updateSummary()
{
    if (!m_monitor) {
        m_summary->setText(tr("Alerts are not watched: no store is open."));
        m_thresholds->clear();
        return;
    }
    const int active = m_active->rowCount();
    if (!m_monitor->settings().enabled)
        m_summary->setText(tr("Alerts are turned off (alerts.enabled: false in the configuration)."));
    else if (active == 0)
        m_summary->setText(tr("No alert is active."));
    else
        m_summary->setText(active == 1 ? tr("1 alert is active.") : tr("%1 alerts are active.").arg(active));
    m_thresholds->setText(thresholdsText());
}

QString AlertsPane::thresholdsText() const
{
    const auto& settings = m_monitor->settings();
    QStringList parts;
    const QLocale locale;
    const auto& lag = settings.projectionLag;
    if (lag.events > 0 || lag.time.count() > 0) {
        QStringList limits;
        if (lag.events > 0)
            limits << tr("%1 events").arg(locale.toString(lag.events));
        if (lag.time.count() > 0)
            limits << durationText(lag.time);
        parts << tr("projection lag ≥ %1").arg(limits.join(tr(" or ")));
    }
    if (settings.circuitBreaker.open) {
        parts << (settings.circuitBreaker.openFor.count() > 0
                ? tr("circuit breaker open ≥ %1").arg(durationText(settings.circuitBreaker.openFor))
                : tr("circuit breaker open"));
    }
    const auto& errors = settings.commandErrors;
    if (errors.ratio > 0) {
        parts << tr("command errors ≥ %1% over %2 (at least %3 commands)")
                     .arg(locale.toString(errors.ratio * 100, 'g', 3), durationText(errors.window))
                     .arg(errors.minCommands);
    }
    const auto& latency = settings.storeLatency;
    QStringList percentiles;
    if (latency.p95.count() > 0)
        percentiles << tr("p95 ≥ %1").arg(durationText(latency.p95));
    if (latency.p99.count() > 0)
        percentiles << tr("p99 ≥ %1").arg(durationText(latency.p99));
    if (!percentiles.isEmpty())
        parts << tr("store latency %1 over %2").arg(percentiles.join(tr(", ")), durationText(latency.window));
    if (parts.isEmpty())
        return tr("Every threshold is off. Set them in the alerts: section of the configuration.");
    return tr("Thresholds: %1; checked every %2. Change them in the alerts: section of the configuration.")
        .arg(parts.join(QStringLiteral("; ")), durationText(settings.evaluationInterval));
}

void AlertsPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        updateSummary();
}

} // namespace EventScope
