// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTableView>

namespace EventScope {

class EventTableModel;

/**
 * The events table. Over an EventTableModel it grows the window at the top as well (when the user scrolls to
 * the first row it asks the model for the page above), and it keeps what the user looks at in place when rows
 * are inserted above it: by a page above, or by the live tail while the user has scrolled away from the newest
 * events. Following the newest events at the very top, new ones simply appear there.
 */
class EventTableView : public QTableView {
    Q_OBJECT
public:
    explicit EventTableView(QWidget* parent = nullptr);

    void setEventModel(EventTableModel* model);
    EventTableModel* eventModel() const { return m_model; }

protected:
    void rowsInserted(const QModelIndex& parent, int start, int end) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void onScrolled(int value);

    EventTableModel* m_model = nullptr;
    bool m_following = true; // at the top of a window that reaches the newest events
};

} // namespace EventScope
