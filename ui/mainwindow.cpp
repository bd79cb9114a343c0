// SPDX-License-Identifier: Apache-2.0
#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "eventstore/sqleventstore.h"
#include "eventstore/storereader.h"
#include "eventtablemodel.h"
#include "modelroles.h"
#include "streamlistmodel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QStatusBar>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace EventScope {

/// What opening a store on a pool thread hands back to the window.
struct StoreOpening {
    std::shared_ptr<SqlEventStore> store;
    QString error;
};

namespace {

enum Page { PlaceholderPage, BusyPage, BrowserPage };

QString describeConnection(const StoreSettings& settings)
{
    if (settings.backend == StoreSettings::Backend::Sqlite)
        return QDir::toNativeSeparators(settings.connection);
    // Never show a password from a PostgreSQL URL or key/value string.
    if (settings.connection.contains(u"://"))
        return QUrl(settings.connection).toString(QUrl::RemovePassword);
    QStringList parts = settings.connection.split(u' ', Qt::SkipEmptyParts);
    parts.removeIf([](const QString& part) { return part.startsWith(QLatin1String("password=")); });
    return parts.join(u' ');
}

} // namespace

MainWindow::MainWindow(std::shared_ptr<SqlEventStore> store, QWidget* parent)
    : QMainWindow(parent)
    , ui(std::make_unique<Ui::MainWindow>())
{
    ui->setupUi(this);
    setUpViews();

    m_storeLabel = new QLabel(this);
    m_storeLabel->setObjectName(QStringLiteral("storeLabel"));
    m_headLabel = new QLabel(this);
    m_headLabel->setObjectName(QStringLiteral("headLabel"));
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    for (QLabel* label : { m_storeLabel, m_headLabel, m_countLabel })
        label->setContentsMargins(6, 0, 6, 0);
    statusBar()->addWidget(m_storeLabel, 1);
    statusBar()->addPermanentWidget(m_headLabel);
    statusBar()->addPermanentWidget(m_countLabel);

    connect(ui->actionOpenStore, &QAction::triggered, this, &MainWindow::chooseStoreFile);
    connect(ui->placeholderOpenButton, &QPushButton::clicked, this, &MainWindow::chooseStoreFile);
    connect(ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(ui->allEventsButton, &QPushButton::clicked, this, &MainWindow::showAllEvents);

    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(250);
    connect(ui->streamFilterEdit, &QLineEdit::textChanged, &m_filterTimer, qOverload<>(&QTimer::start));
    connect(ui->streamFilterEdit, &QLineEdit::returnPressed, &m_filterTimer, [this] {
        m_filterTimer.stop();
        if (m_streamModel && m_streamModel->filter() != ui->streamFilterEdit->text().trimmed())
            m_streamModel->setFilter(ui->streamFilterEdit->text());
    });
    connect(&m_filterTimer, &QTimer::timeout, this, [this] {
        if (m_streamModel)
            m_streamModel->setFilter(ui->streamFilterEdit->text());
    });

    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(500);
    connect(&m_summaryTimer, &QTimer::timeout, this, [this] {
        if (m_reader)
            m_summaryRequest = m_reader->loadSummary();
    });

    m_screenshotTimer.setInterval(50);
    connect(&m_screenshotTimer, &QTimer::timeout, this, &MainWindow::stepScreenshot);

    setStore(std::move(store));
}

MainWindow::~MainWindow()
{
    // Detach the views first so that no selection signal reaches a half-destroyed window.
    ui->streamView->setModel(nullptr);
    ui->eventView->setModel(nullptr);
    m_eventModel.reset();
    m_streamModel.reset();
    m_reader.reset();
}

void MainWindow::setUpViews()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    ui->payloadView->setFont(fixed);
    ui->metadataView->setFont(fixed);

    // Rows have one line each: fixed heights keep scrolling over millions of rows cheap.
    QHeaderView* rows = ui->eventView->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(ui->eventView->fontMetrics().height() + 6);
    ui->eventView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    ui->eventView->horizontalHeader()->setHighlightSections(false);
    ui->eventView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    ui->streamView->header()->setSectionResizeMode(QHeaderView::Interactive);
    ui->streamView->header()->setStretchLastSection(true);

    ui->mainSplitter->setStretchFactor(0, 0);
    ui->mainSplitter->setStretchFactor(1, 1);
    ui->mainSplitter->setSizes({ 500, 780 });
    ui->eventSplitter->setStretchFactor(0, 3);
    ui->eventSplitter->setStretchFactor(1, 2);
    ui->eventSplitter->setSizes({ 440, 260 });
}

bool MainWindow::isOpening() const
{
    return m_opening;
}

void MainWindow::setStore(std::shared_ptr<SqlEventStore> store)
{
    // Views first onto the new models, then the old models and reader go (the reader joins its thread).
    auto oldEventModel = std::move(m_eventModel);
    auto oldStreamModel = std::move(m_streamModel);
    auto oldReader = std::move(m_reader);
    ui->streamView->setModel(nullptr);
    ui->eventView->setModel(nullptr);
    oldEventModel.reset();
    oldStreamModel.reset();
    oldReader.reset();

    m_store = std::move(store);
    m_eventCount = -1;
    m_summaryRequest = 0;
    ui->payloadView->clear();
    ui->metadataView->clear();

    if (!m_store) {
        ui->pages->setCurrentIndex(PlaceholderPage);
        setWindowTitle(tr("EventScope"));
        m_storeLabel->setText(tr("No store open"));
        m_headLabel->clear();
        m_countLabel->clear();
        Q_EMIT storeChanged();
        return;
    }

    m_reader = std::make_unique<StoreReader>(m_store);
    m_streamModel = std::make_unique<StreamListModel>(m_reader.get());
    m_eventModel = std::make_unique<EventTableModel>(m_reader.get());
    if (!ui->streamFilterEdit->text().trimmed().isEmpty())
        m_streamModel->setFilter(ui->streamFilterEdit->text());

    ui->streamView->setModel(m_streamModel.get());
    ui->eventView->setModel(m_eventModel.get());

    const QFontMetrics metrics = ui->eventView->fontMetrics();
    const auto width = [&metrics](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    QHeaderView* columns = ui->eventView->horizontalHeader();
    columns->resizeSection(EventTableModel::ColumnPosition, width(QStringLiteral("Position0")));
    columns->resizeSection(EventTableModel::ColumnStream, width(QStringLiteral("account-00000000-000")));
    columns->resizeSection(EventTableModel::ColumnVersion, width(QStringLiteral("Version")));
    columns->resizeSection(EventTableModel::ColumnType, width(QStringLiteral("TransactionReversed00")));
    columns->resizeSection(EventTableModel::ColumnSchemaVersion, width(QStringLiteral("Schema")));
    columns->resizeSection(EventTableModel::ColumnRecordedAt, width(QStringLiteral("0000-00-00T00:00:00.000Z")));
    columns->resizeSection(EventTableModel::ColumnActor, width(QStringLiteral("service:payments-gateway")));
    columns->resizeSection(
        EventTableModel::ColumnEventId, width(QStringLiteral("00000000-0000-0000-0000-000000000000")));

    // The category is the id's prefix, and there is the category filter: its column only takes room.
    const QFontMetrics streamMetrics = ui->streamView->fontMetrics();
    const auto streamWidth
        = [&streamMetrics](const QString& sample) { return streamMetrics.horizontalAdvance(sample) + 24; };
    QHeaderView* streamColumns = ui->streamView->header();
    streamColumns->resizeSection(StreamListModel::ColumnStreamId, streamWidth(QStringLiteral("account-00000000")));
    streamColumns->resizeSection(StreamListModel::ColumnEvents, streamWidth(QStringLiteral("Events")));
    streamColumns->resizeSection(StreamListModel::ColumnLastVersion, streamWidth(QStringLiteral("Last version")));
    streamColumns->setSectionHidden(StreamListModel::ColumnCategory, true);

    connect(ui->streamView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { onStreamActivated(current); });
    connect(ui->eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { onEventActivated(current); });
    connect(m_eventModel.get(), &QAbstractItemModel::modelReset, this, [this] { showEventDetails({}); });
    connect(m_streamModel.get(), &StreamListModel::errorOccurred, this, &MainWindow::reportReadError);
    connect(m_eventModel.get(), &EventTableModel::errorOccurred, this, &MainWindow::reportReadError);
    connect(m_reader.get(), &StoreReader::headChanged, this,
        [this](GlobalPosition head) { m_headLabel->setText(tr("Head: %1").arg(head)); });
    connect(m_reader.get(), &StoreReader::appended, &m_summaryTimer, [this] {
        if (!m_summaryTimer.isActive())
            m_summaryTimer.start();
    });
    connect(m_reader.get(), &StoreReader::summaryLoaded, this,
        [this](quint64 requestId, GlobalPosition head, qint64 eventCount) {
            if (requestId == m_summaryRequest)
                updateSummary(head, eventCount);
        });
    connect(m_reader.get(), &StoreReader::failed, this, [this](quint64 requestId, const QString& message) {
        if (requestId == m_summaryRequest)
            reportReadError(message);
    });
    connect(m_reader.get(), &StoreReader::watchFailed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Live updates are paused: %1").arg(message), 10000);
    });
    m_summaryRequest = m_reader->loadSummary();

    const StoreSettings& settings = m_store->settings();
    const QString name = settings.backend == StoreSettings::Backend::Sqlite ? QFileInfo(settings.connection).fileName()
                                                                            : describeConnection(settings);
    setWindowTitle(settings.readOnly ? tr("%1 (read-only) — EventScope").arg(name) : tr("%1 — EventScope").arg(name));
    updateStoreLabel();
    m_headLabel->setText(tr("Head: …"));
    m_countLabel->setText(tr("Counting events…"));
    ui->pages->setCurrentIndex(BrowserPage);
    showAllEvents();
    Q_EMIT storeChanged();
}

void MainWindow::openStore(const StoreSettings& settings, const QString& busyText, PrepareStore prepare)
{
    if (isOpening())
        return;
    setStore(nullptr);
    m_opening = true;
    ui->busyLabel->setText(busyText.isEmpty() ? tr("Opening %1…").arg(describeConnection(settings)) : busyText);
    ui->pages->setCurrentIndex(BusyPage);
    ui->actionOpenStore->setEnabled(false);
    ui->placeholderOpenButton->setEnabled(false);
    m_storeLabel->setText(ui->busyLabel->text());

    if (!m_openWatcher) {
        m_openWatcher = new QFutureWatcher<StoreOpening>(this);
        connect(m_openWatcher, &QFutureWatcherBase::finished, this, &MainWindow::onOpened);
    }
    // Opening may create or migrate the schema, and prepare may write a lot: neither belongs on this thread.
    m_openWatcher->setFuture(QtConcurrent::run([settings, prepare = std::move(prepare)] {
        StoreOpening opening;
        auto opened = SqlEventStore::open(settings);
        if (!opened) {
            opening.error = opened.error().message();
            return opening;
        }
        if (prepare) {
            opening.error = prepare(**opened);
            if (!opening.error.isEmpty())
                return opening;
        }
        opening.store = std::move(opened).value();
        return opening;
    }));
}

void MainWindow::onOpened()
{
    m_opening = false;
    ui->actionOpenStore->setEnabled(true);
    ui->placeholderOpenButton->setEnabled(true);
    const StoreOpening opening = m_openWatcher->result();
    if (!opening.error.isEmpty() || !opening.store) {
        setStore(nullptr);
        const QString message = opening.error.isEmpty() ? tr("The store could not be opened.") : opening.error;
        auto* box = new QMessageBox(
            QMessageBox::Critical, tr("Could not open the event store"), message, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("openErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal, does not block the event loop
        Q_EMIT openFailed(message);
        return;
    }
    setStore(opening.store);
}

void MainWindow::chooseStoreFile()
{
    const QString directory = m_store && m_store->settings().backend == StoreSettings::Backend::Sqlite
        ? QFileInfo(m_store->settings().connection).absolutePath()
        : QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open event store"), directory, tr("EventScope stores (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (path.isEmpty())
        return;
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Sqlite;
    settings.connection = path;
    settings.readOnly = m_openReadOnly;
    // Choosing a file to look at should never turn an unrelated empty file into a store.
    settings.createIfMissing = false;
    openStore(settings);
}

void MainWindow::showAllEvents()
{
    if (!m_eventModel)
        return;
    ui->allEventsButton->setChecked(true);
    {
        const QSignalBlocker blocker(ui->streamView->selectionModel());
        ui->streamView->selectionModel()->clear();
    }
    ui->eventSourceLabel->setText(tr("All events ($all), in the order they were recorded"));
    ui->eventView->setColumnHidden(EventTableModel::ColumnStream, false);
    m_eventModel->showAll();
}

void MainWindow::onStreamActivated(const QModelIndex& current)
{
    if (!current.isValid() || !m_eventModel)
        return;
    const QString streamId = current.data(StreamIdRole).toString();
    if (m_eventModel->source() == EventTableModel::Source::Stream && m_eventModel->streamId() == streamId)
        return;
    ui->allEventsButton->setChecked(false);
    ui->eventSourceLabel->setText(tr("Stream %1").arg(streamId));
    ui->eventView->setColumnHidden(EventTableModel::ColumnStream, true); // the same in every row
    m_eventModel->showStream(streamId);
}

void MainWindow::onEventActivated(const QModelIndex& current)
{
    showEventDetails(current);
}

void MainWindow::showEventDetails(const QModelIndex& index)
{
    if (!index.isValid()) {
        ui->payloadView->clear();
        ui->metadataView->clear();
        ui->payloadBox->setTitle(tr("Payload"));
        return;
    }
    ui->payloadView->setPlainText(index.data(PayloadJsonRole).toString());
    ui->metadataView->setPlainText(index.data(MetadataJsonRole).toString());
    ui->payloadBox->setTitle(tr("Payload of %1 (%2 v%3, position %4)")
                                 .arg(index.data(EventTypeRole).toString(), index.data(StreamIdRole).toString())
                                 .arg(index.data(StreamVersionRole).toLongLong())
                                 .arg(index.data(PositionRole).toLongLong()));
}

void MainWindow::updateStoreLabel()
{
    if (!m_store) {
        m_storeLabel->setText(tr("No store open"));
        return;
    }
    const StoreSettings& settings = m_store->settings();
    const QString backend = settings.backend == StoreSettings::Backend::Sqlite ? tr("SQLite") : tr("PostgreSQL");
    QString text = tr("%1 · %2").arg(backend, describeConnection(settings));
    if (settings.readOnly)
        text += tr(" · read-only");
    m_storeLabel->setText(text);
    m_storeLabel->setToolTip(text);
}

void MainWindow::updateSummary(qint64 head, qint64 eventCount)
{
    m_eventCount = eventCount;
    m_headLabel->setText(tr("Head: %1").arg(head));
    m_countLabel->setText(eventCount == 1 ? tr("1 event") : tr("%L1 events").arg(eventCount));
}

void MainWindow::reportReadError(const QString& message)
{
    statusBar()->showMessage(tr("Reading the store failed: %1").arg(message), 15000);
}

void MainWindow::saveScreenshotWhenLoaded(const QString& path)
{
    m_screenshotPath = path;
    m_screenshotStep = 0;
    m_screenshotTimer.start();
}

void MainWindow::stepScreenshot()
{
    if (!m_streamModel || isOpening())
        return;
    switch (m_screenshotStep) {
    case 0: { // wait for the first page of streams, then pick the one with most events
        if (m_streamModel->isLoading() || m_streamModel->rowCount() == 0 || m_eventCount < 0)
            return;
        int best = 0;
        for (int row = 1; row < m_streamModel->rowCount(); ++row) {
            if (m_streamModel->stream(row).eventCount > m_streamModel->stream(best).eventCount)
                best = row;
        }
        ui->streamView->setCurrentIndex(m_streamModel->index(best, 0));
        ui->streamView->scrollTo(m_streamModel->index(best, 0), QAbstractItemView::PositionAtCenter);
        ++m_screenshotStep;
        return;
    }
    case 1: // wait for its events, then select one a few rows in
        if (m_eventModel->isLoading() || m_eventModel->rowCount() == 0)
            return;
        ui->eventView->setCurrentIndex(m_eventModel->index(std::min(2, m_eventModel->rowCount() - 1), 0));
        ++m_screenshotStep;
        return;
    default: {
        m_screenshotTimer.stop();
        const bool ok = grab().save(m_screenshotPath);
        Q_EMIT screenshotSaved(m_screenshotPath, ok);
        return;
    }
    }
}

} // namespace EventScope
