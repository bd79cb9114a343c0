// SPDX-License-Identifier: Apache-2.0
#include "correlationpane.h"

#include "correlationtreemodel.h"
#include "explorer/eventsearch.h"
#include "modelroles.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace EventScope {

CorrelationPane::CorrelationPane(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("correlationTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_title, 1);
    m_exportButton = new QPushButton(tr("Export…"));
    m_exportButton->setObjectName(QStringLiteral("correlationExportButton"));
    m_exportButton->setToolTip(tr("Write every event of this correlation to a JSON Lines or CSV file"));
    m_exportButton->setEnabled(false);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        EventQuery query;
        query.correlationId = m_correlationId;
        Q_EMIT exportRequested(query);
    });
    top->addWidget(m_exportButton);
    layout->addLayout(top);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("correlationError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);

    m_model = new CorrelationTreeModel(this);
    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("correlationTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setToolTip(tr("Each event sits under the event that caused it; double-click or Enter to go to it"));
    m_tree->header()->setStretchLastSection(true);
    connect(m_tree, &QTreeView::activated, this,
        [this](const QModelIndex& index) { Q_EMIT eventActivated(index.data(PositionRole).toLongLong()); });
    layout->addWidget(m_tree, 1);
    clear();
}

CorrelationPane::~CorrelationPane() = default;

void CorrelationPane::setSearch(std::shared_ptr<EventSearch> search)
{
    m_search = std::move(search);
    clear();
}

void CorrelationPane::clear()
{
    ++m_generation; // a load still running is stale now
    m_loading = false;
    m_correlationId.clear();
    m_model->clear();
    m_title->setText(tr("Choose a correlation id in the inspector to see its events here."));
    m_error->hide();
    m_exportButton->setEnabled(false);
}

void CorrelationPane::showCorrelation(const QString& correlationId)
{
    clear();
    m_correlationId = correlationId;
    if (!m_search) {
        m_error->setText(tr("No store is open: connect to a store, then choose the correlation again."));
        m_error->show();
        return;
    }
    m_loading = true;
    m_title->setText(tr("Loading correlation %1…").arg(correlationId));
    const quint64 generation = m_generation;
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // the pane moved on
        showLoaded(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([search = m_search, correlationId] {
        Loaded loaded;
        auto events = search->correlated(correlationId, MaxEvents);
        if (events)
            loaded.events = std::move(events).value();
        else
            loaded.error = events.error().message();
        return loaded;
    }));
}

void CorrelationPane::showLoaded(const Loaded& loaded)
{
    m_loading = false;
    if (!loaded.error.isEmpty()) {
        m_title->setText(tr("Correlation %1").arg(m_correlationId));
        m_error->setText(tr("Could not read correlation %1: %2").arg(m_correlationId, loaded.error));
        m_error->show();
        Q_EMIT this->loaded(false);
        return;
    }
    m_model->setEvents(loaded.events);
    m_tree->expandAll();
    for (int column = 0; column < CorrelationTreeModel::ColumnActor; ++column)
        m_tree->resizeColumnToContents(column);
    // Spelled out rather than "%n event(s)": the application ships no English plural forms.
    const int events = m_model->eventCount();
    const int streams = m_model->streamCount();
    QString title = events == 1 ? tr("Correlation %1: 1 event").arg(m_correlationId)
                                : tr("Correlation %1: %2 events").arg(m_correlationId, QString::number(events));
    title += u' ' + (streams == 1 ? tr("in 1 stream") : tr("in %1 streams").arg(streams));
    if (m_model->eventCount() >= MaxEvents)
        title += u' ' + tr("(the first %1 only)").arg(MaxEvents);
    m_title->setText(title);
    m_exportButton->setEnabled(m_model->eventCount() > 0);
    if (m_model->eventCount() == 0) {
        m_error->setText(tr("No event carries correlation id %1. Check the id, or whether the events were written "
                            "without correlation metadata.")
                             .arg(m_correlationId));
        m_error->show();
    }
    Q_EMIT this->loaded(true);
}

} // namespace EventScope
