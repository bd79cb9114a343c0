// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace EventScope {

class LogFilterModel;
class LogModel;

/**
 * The log pane: the application's messages (LogModel) with a minimum level, a text search over message and
 * category, copying the selected lines (Ctrl+C or the context menu), and clearing. New lines scroll the view
 * to the end unless the user has scrolled up to read; scrolling back to the end follows again.
 */
class LogPane : public QWidget {
    Q_OBJECT
public:
    /// Shows \a model (not owned; it usually outlives the pane and collects messages before it exists), or a
    /// model of its own when null.
    explicit LogPane(LogModel* model = nullptr, QWidget* parent = nullptr);
    ~LogPane() override;

    LogModel* model() const { return m_model; }
    LogFilterModel* filterModel() const { return m_filter; }
    QTableView* view() const { return m_view; }

    /// Copies the selected lines (in order, whole messages) to the clipboard; returns how many.
    int copySelection();
    /// True while new lines scroll the view (the user has not scrolled up).
    bool isFollowing() const { return m_following; }

private:
    void applyFilter();
    void updateCount();

    LogModel* m_model = nullptr;
    LogFilterModel* m_filter = nullptr;
    QTableView* m_view = nullptr;
    QComboBox* m_level = nullptr;
    QLineEdit* m_search = nullptr;
    QToolButton* m_copy = nullptr;
    QToolButton* m_clear = nullptr;
    QLabel* m_count = nullptr;
    QAction* m_copyAction = nullptr;
    bool m_following = true;
};

} // namespace EventScope
