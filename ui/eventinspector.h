// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QUuid>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeView;

namespace EventScope {

class EventTypeRegistry;
class JsonTreeModel;

/**
 * Shows one stored event: a header (type and schema version, stream@version, position, time in UTC and local
 * time, event id), the payload and the metadata each as a JSON tree and as indented text (keys in stored order),
 * with buttons to copy either, and links to the event's correlation set and to the event that caused it. An event
 * stored at an older schema version than the registry's current one gets a "Stored vN / Upcasted vM" tab that
 * puts both payloads side by side.
 *
 * Pure display: it is given the event and reads nothing itself.
 */
class EventInspector : public QWidget {
    Q_OBJECT
public:
    explicit EventInspector(QWidget* parent = nullptr);
    ~EventInspector() override;

    /// The registry that upcasts payloads (may be null: no upcast view). Not owned; must outlive its use here.
    void setRegistry(const EventTypeRegistry* registry);
    void showEvent(const RecordedEvent& event);
    /// Shows "Select an event to inspect it".
    void clear();

    /// The event shown, if any.
    const std::optional<RecordedEvent>& event() const { return m_event; }

Q_SIGNALS:
    void correlationRequested(const QString& correlationId);
    void causationRequested(const QUuid& eventId);

protected:
    // showEvent(const RecordedEvent&) is not QWidget's show event handler; keep that one visible.
    using QWidget::showEvent;

private:
    struct JsonPane {
        QWidget* widget = nullptr;
        QTreeView* tree = nullptr;
        JsonTreeModel* model = nullptr;
        QPlainTextEdit* raw = nullptr;
        QPushButton* copyJson = nullptr;
        QPushButton* copyValue = nullptr;
    };
    JsonPane makeJsonPane(const QString& name, const QString& what);
    static void showJson(JsonPane& pane, const QByteArray& text, const QString& rootName);
    void showUpcast(const RecordedEvent& event);

    const EventTypeRegistry* m_registry = nullptr;
    std::optional<RecordedEvent> m_event;
    QString m_correlationId;
    QUuid m_causationId;

    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_header = nullptr;
    QPushButton* m_correlationButton = nullptr;
    QPushButton* m_causationButton = nullptr;
    QTabWidget* m_tabs = nullptr;
    JsonPane m_payload;
    JsonPane m_metadata;
    QWidget* m_upcastTab = nullptr;
    QLabel* m_storedLabel = nullptr;
    QLabel* m_upcastedLabel = nullptr;
    QPlainTextEdit* m_storedRaw = nullptr;
    QPlainTextEdit* m_upcastedRaw = nullptr;
};

} // namespace EventScope
