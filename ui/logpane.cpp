// SPDX-License-Identifier: Apache-2.0
#include "logpane.h"

#include "logfiltermodel.h"
#include "logmodel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace EventScope {

LogPane::LogPane(LogModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model ? model : new LogModel(10000, this))
    , m_filter(new LogFilterModel(this))
{
    setObjectName(QStringLiteral("logPane"));
    m_filter->setSourceModel(m_model);

    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("logLevelFilter"));
    m_level->setToolTip(tr("Show messages of this level and above"));
    m_level->addItem(tr("Debug and above"), int(LogModel::Level::Debug));
    m_level->addItem(tr("Info and above"), int(LogModel::Level::Info));
    m_level->addItem(tr("Warnings and above"), int(LogModel::Level::Warning));
    m_level->addItem(tr("Errors and above"), int(LogModel::Level::Error));
    m_level->addItem(tr("Critical only"), int(LogModel::Level::Critical));
    auto* levelLabel = new QLabel(tr("&Level:"), this);
    levelLabel->setBuddy(m_level);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search messages and categories"));
    m_search->setToolTip(tr("Show only lines whose message or category contains this text (ignoring case)"));
    m_search->setClearButtonEnabled(true);

    m_copyAction = new QAction(tr("&Copy Selected Lines"), this);
    m_copyAction->setObjectName(QStringLiteral("logCopyAction"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, &LogPane::copySelection);

    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("logCopy"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the selected lines to the clipboard (%1)")
                           .arg(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)));
    connect(m_copy, &QToolButton::clicked, this, &LogPane::copySelection);

    m_clear = new QToolButton(this);
    m_clear->setObjectName(QStringLiteral("logClear"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Remove every line from the pane (the log file keeps them)"));
    connect(m_clear, &QToolButton::clicked, m_model, &LogModel::clear);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("logCount"));

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    // Up to 10,000 rows arriving continuously: fixed row heights and column widths, no ResizeToContents.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(LogModel::ColumnTime, metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
    m_view->setColumnWidth(LogModel::ColumnLevel, metrics.horizontalAdvance(QStringLiteral("critical")) + 20);
    m_view->setColumnWidth(
        LogModel::ColumnCategory, metrics.horizontalAdvance(QStringLiteral("eventscope.core.projections")) + 16);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_copyAction);
    addAction(m_copyAction);

    auto* bar = new QHBoxLayout;
    bar->addWidget(levelLabel);
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_copy);
    bar->addWidget(m_clear);
    bar->addWidget(m_count);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this, &LogPane::applyFilter);
    // Filtering 10,000 lines on each key is fine, but not while typing fast.
    auto* searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, &LogPane::applyFilter);
    connect(m_search, &QLineEdit::returnPressed, this, &LogPane::applyFilter);

    // Follow the end unless the user scrolled up: decided by where the view was before the lines came.
    QScrollBar* scroll = m_view->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this,
        [this, scroll](int value) { m_following = value >= scroll->maximum(); });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_following)
            m_view->scrollToBottom();
        updateCount();
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LogPane::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogPane::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &LogPane::updateCount);
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_following)
            scroll->setValue(maximum);
    });
    updateCount();
}

LogPane::~LogPane() = default;

void LogPane::applyFilter()
{
    m_filter->setMinimumLevel(LogModel::Level(m_level->currentData().toInt()));
    m_filter->setSearchText(m_search->text());
    updateCount();
    if (m_following)
        m_view->scrollToBottom();
}

void LogPane::updateCount()
{
    const QLocale locale;
    QString text = m_filter->rowCount() == m_model->rowCount()
        ? tr("%1 lines").arg(locale.toString(m_model->rowCount()))
        : tr("%1 of %2 lines").arg(locale.toString(m_filter->rowCount()), locale.toString(m_model->rowCount()));
    if (m_model->droppedLines() > 0)
        text += tr(" (%1 older dropped)").arg(locale.toString(m_model->droppedLines()));
    m_count->setText(text);
    m_count->setToolTip(tr("The pane keeps the last %1 lines; the log file keeps everything.")
                            .arg(locale.toString(m_model->maxLines())));
}

int LogPane::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList lines;
    lines.reserve(rows.size());
    for (const QModelIndex& index : std::as_const(rows))
        lines << index.data(LogModel::LineRole).toString();
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(u'\n') + u'\n');
    return int(lines.size());
}

} // namespace EventScope
