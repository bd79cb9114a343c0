// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/streaminfo.h"
#include "explorer/eventquery.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QToolButton;

namespace EventScope {

/**
 * The events table's filters: event types (several, from the store's catalogue), stream category, time range,
 * actor, correlation id, and a payload condition (a JSON path equals or contains a value). Search runs them;
 * saved searches keep them by name (QSettings, group "savedSearches").
 *
 * The stream the table shows is not a filter here: the window sets it (setStreamId()) and the bar shows it as
 * a removable chip.
 */
class EventFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit EventFilterBar(QWidget* parent = nullptr);

    /// The query the widgets describe (with the stream set by setStreamId()).
    EventQuery query() const;
    /// Shows \a query in the widgets (no search is started).
    void setQuery(const EventQuery& query);

    void setStreamId(const QString& streamId);
    QString streamId() const { return m_streamId; }

    /// The catalogue of event types the type menu offers.
    void setEventTypes(const QList<EventTypeCount>& types);
    QStringList selectedTypes() const;

    /// Shows that a search is running (Cancel enabled) or not.
    void setSearching(bool searching);
    /// Shows \a message under the filters (empty: hides it).
    void setMessage(const QString& message, bool error = false);

    /// Names of the saved searches, sorted.
    QStringList savedSearchNames() const;
    /// Saves the current query under \a name (replacing one of that name).
    void saveSearch(const QString& name);
    /// Loads the saved search \a name into the widgets and runs it; false when there is none.
    bool applySavedSearch(const QString& name);
    void deleteSavedSearch(const QString& name);

Q_SIGNALS:
    /// The user asked to run the query (Search, Return in a field, a saved search, removing the stream chip).
    void searchRequested();
    void cancelRequested();

private:
    void updateTypeButton();
    void updateSavedSearches();
    void askToSaveSearch();
    void clearFilters();

    QString m_streamId;
    QToolButton* m_streamChip = nullptr;
    QToolButton* m_typesButton = nullptr;
    QMenu* m_typesMenu = nullptr;
    QStringList m_selectedTypes;
    QLineEdit* m_categoryEdit = nullptr;
    QLineEdit* m_actorEdit = nullptr;
    QLineEdit* m_correlationEdit = nullptr;
    QCheckBox* m_fromCheck = nullptr;
    QDateTimeEdit* m_fromEdit = nullptr;
    QCheckBox* m_untilCheck = nullptr;
    QDateTimeEdit* m_untilEdit = nullptr;
    QLineEdit* m_pathEdit = nullptr;
    QComboBox* m_matchCombo = nullptr;
    QLineEdit* m_valueEdit = nullptr;
    QPushButton* m_searchButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_clearButton = nullptr;
    QComboBox* m_savedCombo = nullptr;
    QToolButton* m_saveButton = nullptr;
    QToolButton* m_deleteSavedButton = nullptr;
    QLabel* m_messageLabel = nullptr;
};

} // namespace EventScope
