// SPDX-License-Identifier: Apache-2.0
#include "eventtableview.h"

#include "eventtablemodel.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QWheelEvent>

namespace EventScope {

EventTableView::EventTableView(QWidget* parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    // Rows have one line each: fixed heights keep scrolling over millions of rows cheap.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    horizontalHeader()->setStretchLastSection(true);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &EventTableView::onScrolled);
}

void EventTableView::setEventModel(EventTableModel* model)
{
    m_model = model;
    m_following = true;
    setModel(model);
}

void EventTableView::onScrolled(int value)
{
    if (!m_model)
        return;
    m_following = value == 0 && m_model->isTopComplete();
    if (value == verticalScrollBar()->minimum() && m_model->canFetchTop())
        m_model->fetchTop();
}

// At the top already, the scroll bar does not move on a wheel turn upwards: ask for the page above directly (after
// a failed page, or when live tail was off and the newest events are not loaded yet).
void EventTableView::wheelEvent(QWheelEvent* event)
{
    if (m_model && event->angleDelta().y() > 0 && verticalScrollBar()->value() == verticalScrollBar()->minimum()
        && m_model->canFetchTop())
        m_model->fetchTop();
    QTableView::wheelEvent(event);
}

void EventTableView::rowsInserted(const QModelIndex& parent, int start, int end)
{
    QTableView::rowsInserted(parent, start, end);
    if (parent.isValid() || !m_model)
        return;
    const int first = verticalScrollBar()->value(); // the first visible row (scrolling per item)
    const bool above = start <= first && !(m_following && first == 0);
    if (above) {
        // Let the scroll bar know the new row count now, then keep the same rows in view.
        updateGeometries();
        verticalScrollBar()->setValue(first + (end - start + 1));
    }
    m_following = verticalScrollBar()->value() == 0 && m_model->isTopComplete();
}

} // namespace EventScope
