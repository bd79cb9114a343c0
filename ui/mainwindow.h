// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storesettings.h"

#include <QMainWindow>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

class QLabel;
class QModelIndex;
template <typename T>
class QFutureWatcher;

namespace Ui {
class MainWindow;
}

namespace EventScope {

class EventTableModel;
class SqlEventStore;
class StoreReader;
class StreamListModel;
struct StoreOpening;

/**
 * The event explorer: streams on the left (filterable), the events of the chosen stream or of $all on the
 * right, and the selected event's payload and metadata below. Without a store it shows how to open one.
 * Nothing here touches the database on the GUI thread: reads go through a StoreReader, and opening a
 * store (which may run migrations) runs on a pool thread while the window shows a busy page.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Work to do with a freshly opened store before it is shown, on the opening thread (e.g. seeding a
    /// demo). Returns an empty string on success, else a message for people.
    using PrepareStore = std::function<QString(SqlEventStore& store)>;

    explicit MainWindow(std::shared_ptr<SqlEventStore> store = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shows \a store (nullptr: the placeholder page).
    void setStore(std::shared_ptr<SqlEventStore> store);
    std::shared_ptr<SqlEventStore> store() const { return m_store; }

    /// Opens the store described by \a settings off the GUI thread, runs \a prepare there too, then shows it.
    /// Meanwhile the window shows \a busyText. Failure shows a message box and emits openFailed().
    void openStore(const StoreSettings& settings, const QString& busyText = {}, PrepareStore prepare = {});
    bool isOpening() const;

    /// Whether stores chosen with File › Open store… are opened read-only.
    void setOpenReadOnly(bool readOnly) { m_openReadOnly = readOnly; }

    StreamListModel* streamModel() const { return m_streamModel.get(); }
    EventTableModel* eventModel() const { return m_eventModel.get(); }

    /// Once the streams have loaded, selects the largest loaded stream and an event in it, then saves a
    /// picture of the window to \a path and emits screenshotSaved(). For documentation and checks.
    void saveScreenshotWhenLoaded(const QString& path);

Q_SIGNALS:
    void storeChanged();
    void openFailed(const QString& message);
    void screenshotSaved(const QString& path, bool ok);

private:
    void setUpViews();
    void chooseStoreFile();
    void onOpened();
    void showAllEvents();
    void onStreamActivated(const QModelIndex& current);
    void onEventActivated(const QModelIndex& current);
    void showEventDetails(const QModelIndex& index);
    void updateStoreLabel();
    void updateSummary(qint64 head, qint64 eventCount);
    void reportReadError(const QString& message);
    void stepScreenshot();

    std::unique_ptr<Ui::MainWindow> ui;
    std::shared_ptr<SqlEventStore> m_store;
    // Declared before the models: they hold a pointer to it and must go first.
    std::unique_ptr<StoreReader> m_reader;
    std::unique_ptr<StreamListModel> m_streamModel;
    std::unique_ptr<EventTableModel> m_eventModel;
    QFutureWatcher<StoreOpening>* m_openWatcher = nullptr;
    bool m_opening = false;
    bool m_openReadOnly = false;

    QLabel* m_storeLabel = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_countLabel = nullptr;
    quint64 m_summaryRequest = 0;
    qint64 m_eventCount = -1;
    QTimer m_summaryTimer; // coalesces recounts while events stream in
    QTimer m_filterTimer; // waits for the user to stop typing

    QString m_screenshotPath;
    QTimer m_screenshotTimer;
    int m_screenshotStep = 0;
};

} // namespace EventScope
