// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "explorer/eventexporter.h"
#include "explorer/eventquery.h"
#include "explorer/searchcontrol.h"

#include <QDialog>
#include <QTimer>

#include <atomic>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace EventScope {

class EventSearch;

/**
 * Exports the events of a query to a file chosen by the user (JSON Lines or CSV) with EventExporter, on a pool
 * thread. While it runs the dialog shows the file, how many events are written so far (the total is not known
 * beforehand: counting would cost as much as the export) and a Cancel button; at the end it says what happened.
 * A cancelled or failed export leaves the file as it was.
 */
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(
        std::shared_ptr<EventSearch> search, EventQuery query, EventExporter::Header header, QWidget* parent = nullptr);
    ~ExportDialog() override;

    /// Asks for a file (QFileDialog) and starts the export; closes the dialog when the user chooses none.
    void chooseFileAndStart();
    /// Shows the dialog and starts the export to \a path in \a format.
    void start(const QString& path, EventExporter::Format format);
    /// Asks a running export to stop; finished() follows.
    void cancel();
    /// Closing the window (Escape, the close button) while the export runs cancels it; the dialog stays until the
    /// export has stopped.
    void reject() override;

    bool isRunning() const { return m_running; }
    qint64 written() const { return m_state ? m_state->written.load() : 0; }
    QString path() const { return m_path; }

Q_SIGNALS:
    void finished(bool ok, qint64 count, const QString& message);

private:
    /// Shared with the exporting thread, which may outlive the dialog.
    struct State {
        std::atomic<qint64> written { 0 };
        SearchControl control;
    };
    struct Outcome {
        bool ok = false;
        qint64 count = 0;
        QString message;
    };
    void showProgress();
    void showOutcome(const Outcome& outcome);

    std::shared_ptr<EventSearch> m_search;
    EventQuery m_query;
    EventExporter::Header m_header;
    std::shared_ptr<State> m_state;
    QString m_path;
    bool m_running = false;
    QTimer m_progressTimer;

    QLabel* m_fileLabel = nullptr;
    QLabel* m_filterLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_statusLabel = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_closeButton = nullptr;
};

} // namespace EventScope
