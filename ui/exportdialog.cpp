// SPDX-License-Identifier: Apache-2.0
#include "exportdialog.h"

#include "explorer/eventsearch.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace EventScope {

ExportDialog::ExportDialog(
    std::shared_ptr<EventSearch> search, EventQuery query, EventExporter::Header header, QWidget* parent)
    : QDialog(parent)
    , m_search(std::move(search))
    , m_query(std::move(query))
    , m_header(std::move(header))
{
    setWindowTitle(tr("Export events"));
    auto* layout = new QVBoxLayout(this);
    m_filterLabel = new QLabel(tr("Events: %1").arg(m_query.describe()));
    m_filterLabel->setObjectName(QStringLiteral("exportFilterLabel"));
    m_filterLabel->setWordWrap(true);
    layout->addWidget(m_filterLabel);
    m_fileLabel = new QLabel;
    m_fileLabel->setObjectName(QStringLiteral("exportFileLabel"));
    m_fileLabel->setWordWrap(true);
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_fileLabel);
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setRange(0, 0); // the total is not known: busy
    m_progress->setTextVisible(false);
    layout->addWidget(m_progress);
    m_statusLabel = new QLabel;
    m_statusLabel->setObjectName(QStringLiteral("exportStatusLabel"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_statusLabel);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("exportCancelButton"));
    m_cancelButton->setToolTip(tr("Stop the export; the file is left as it was"));
    connect(m_cancelButton, &QPushButton::clicked, this, &ExportDialog::cancel);
    m_closeButton = new QPushButton(tr("Close"));
    m_closeButton->setObjectName(QStringLiteral("exportCloseButton"));
    m_closeButton->setEnabled(false);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_closeButton);
    layout->addLayout(buttons);
    setMinimumWidth(420);

    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &ExportDialog::showProgress);
}

ExportDialog::~ExportDialog()
{
    // The export thread holds its own references to the search and the state: it stops at its next page.
    if (m_state)
        m_state->control.cancel();
}

void ExportDialog::chooseFileAndStart()
{
    const QString jsonLines = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    QString selectedFilter = jsonLines;
    const QString suggested
        = QDir::home().filePath(QStringLiteral("events-%1.jsonl")
                                    .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    QString path = QFileDialog::getSaveFileName(
        parentWidget(), tr("Export events"), suggested, jsonLines + QStringLiteral(";;") + csv, &selectedFilter);
    if (path.isEmpty()) {
        close();
        return;
    }
    const bool csvChosen = selectedFilter == csv;
    if (QFileInfo(path).suffix().isEmpty())
        path += csvChosen ? QStringLiteral(".csv") : QStringLiteral(".jsonl");
    start(path, csvChosen ? EventExporter::Format::Csv : EventExporter::formatForPath(path));
}

void ExportDialog::start(const QString& path, EventExporter::Format format)
{
    if (m_running)
        return;
    m_path = path;
    m_running = true;
    m_state = std::make_shared<State>();
    m_fileLabel->setText(
        tr("To %1 (%2)")
            .arg(QDir::toNativeSeparators(path), format == EventExporter::Format::Csv ? tr("CSV") : tr("JSON Lines")));
    m_progress->setRange(0, 0);
    m_cancelButton->setEnabled(true);
    m_closeButton->setEnabled(false);
    showProgress();
    show();
    m_progressTimer.start();

    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        showOutcome(watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run([search = m_search, state = m_state, query = m_query, header = m_header, path, format] {
            Outcome outcome;
            if (!search) {
                outcome.message = tr("No store is open: connect to a store, then export again.");
                return outcome;
            }
            const auto written = EventExporter(*search).exportTo(path, format, query, header, state->control,
                [&state = *state](qint64 count) { state.written.store(count); });
            outcome.ok = written.ok();
            if (written) {
                outcome.count = written.value();
                // Spelled out rather than "%n event(s)": the application ships no English plural forms.
                outcome.message = outcome.count == 1
                    ? tr("Exported 1 event to %1.").arg(QDir::toNativeSeparators(path))
                    : tr("Exported %1 events to %2.")
                          .arg(QLocale().toString(outcome.count), QDir::toNativeSeparators(path));
            } else {
                outcome.count = state->written.load();
                outcome.message = written.error().message();
            }
            return outcome;
        }));
}

void ExportDialog::cancel()
{
    if (!m_running)
        return;
    m_state->control.cancel();
    m_cancelButton->setEnabled(false);
    m_statusLabel->setText(tr("Cancelling…"));
}

void ExportDialog::reject()
{
    // Closing the window while the export runs cancels it; the dialog closes once it has stopped.
    if (m_running) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ExportDialog::showProgress()
{
    if (!m_running || m_state->control.isCancelled())
        return;
    m_statusLabel->setText(tr("%1 events written…").arg(QLocale().toString(m_state->written.load())));
}

void ExportDialog::showOutcome(const Outcome& outcome)
{
    m_running = false;
    m_progressTimer.stop();
    m_progress->setRange(0, 1);
    m_progress->setValue(outcome.ok ? 1 : 0);
    m_statusLabel->setText(outcome.message);
    m_cancelButton->setEnabled(false);
    m_closeButton->setEnabled(true);
    m_closeButton->setDefault(true);
    m_closeButton->setFocus();
    Q_EMIT finished(outcome.ok, outcome.count, outcome.message);
}

} // namespace EventScope
