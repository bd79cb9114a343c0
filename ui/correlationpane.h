// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"
#include "explorer/eventquery.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTreeView;

namespace EventScope {

class CorrelationTreeModel;
class EventSearch;

/**
 * The events of one correlation set as a tree of causes (CorrelationTreeModel), with a title saying how many
 * events in how many streams. The set is read on a pool thread; a result that arrives after the pane moved on to
 * another correlation is dropped. Activating an event asks to go there; Export asks to export the set.
 */
class CorrelationPane : public QWidget {
    Q_OBJECT
public:
    /// At most this many events of one correlation are shown.
    static constexpr int MaxEvents = 10000;

    explicit CorrelationPane(QWidget* parent = nullptr);
    ~CorrelationPane() override;

    /// Where correlation sets are read from; null empties the pane.
    void setSearch(std::shared_ptr<EventSearch> search);
    void showCorrelation(const QString& correlationId);
    void clear();

    QString correlationId() const { return m_correlationId; }
    bool isLoading() const { return m_loading; }
    CorrelationTreeModel* model() const { return m_model; }

Q_SIGNALS:
    void eventActivated(EventScope::GlobalPosition position);
    void exportRequested(const EventScope::EventQuery& query);
    /// A correlation set is shown (or failed to load: \a ok false).
    void loaded(bool ok);

private:
    struct Loaded {
        QList<RecordedEvent> events;
        QString error;
    };
    void showLoaded(const Loaded& loaded);

    std::shared_ptr<EventSearch> m_search;
    QString m_correlationId;
    quint64 m_generation = 0;
    bool m_loading = false;

    QLabel* m_title = nullptr;
    QLabel* m_error = nullptr;
    QTreeView* m_tree = nullptr;
    QPushButton* m_exportButton = nullptr;
    CorrelationTreeModel* m_model = nullptr;
};

} // namespace EventScope
