// SPDX-License-Identifier: Apache-2.0
#include "snapshotpane.h"
#include "statustint.h"

#include "domain/snapshotstore.h"
#include "engine/engine.h"
#include "snapshotlistmodel.h"
#include "timetravelmodel.h"

#include <QBoxLayout>
#include <QEvent>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTableWidget>
#include <QtConcurrent>

namespace EventScope {

namespace {

QColor outcomeTint(SnapshotCheck::Outcome outcome)
{
    switch (outcome) {
    case SnapshotCheck::Outcome::Matches:
        return StatusTint::Good;
    case SnapshotCheck::Outcome::Stale:
    case SnapshotCheck::Outcome::NotVerifiable:
        return StatusTint::Attention;
    case SnapshotCheck::Outcome::Differs:
    case SnapshotCheck::Outcome::Failed:
        return StatusTint::Bad;
    }
    return {};
}

/// Colours the verification cell of a SnapshotListModel by its outcome.
class VerificationDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const int outcome = index.data(SnapshotListModel::VerificationRole).toInt();
        if (outcome < 0 || index.column() != SnapshotListModel::ColumnVerification)
            return;
        option->backgroundBrush = StatusTint::over(option->palette, outcomeTint(SnapshotCheck::Outcome(outcome)));
    }
};

enum DifferenceColumn { DifferencePath, DifferenceSnapshot, DifferenceRebuilt, DifferenceColumnCount };

} // namespace

SnapshotPane::SnapshotPane(QWidget* parent)
    : QWidget(parent)
    , m_model(new SnapshotListModel(this))
{
    setObjectName(QStringLiteral("snapshotPane"));
    setUpWidgets();
    showSelected();
    updateButtons();
}

SnapshotPane::~SnapshotPane() = default;

void SnapshotPane::setUpWidgets()
{
    m_header = new QLabel(tr("No stream chosen: pick a stream to see its snapshots."), this);
    m_header->setObjectName(QStringLiteral("snapshotHeader"));
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("snapshotStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    m_verify = new QPushButton(tr("&Verify"), this);
    m_verify->setObjectName(QStringLiteral("snapshotVerify"));
    m_verify->setToolTip(tr("Rebuild the selected snapshot's state from the events and compare"));
    m_verifyAll = new QPushButton(tr("Verify &all"), this);
    m_verifyAll->setObjectName(QStringLiteral("snapshotVerifyAll"));
    m_verifyAll->setToolTip(tr("Verify every snapshot of this stream against the events"));
    m_reload = new QPushButton(tr("&Reload"), this);
    m_reload->setObjectName(QStringLiteral("snapshotReload"));
    m_reload->setToolTip(tr("List the stream's snapshots again"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_header, 1);
    buttons->addWidget(m_reload);
    buttons->addWidget(m_verify);
    buttons->addWidget(m_verifyAll);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("snapshotTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new VerificationDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setColumnWidth(SnapshotListModel::ColumnVersion, 70);
    m_table->setColumnWidth(SnapshotListModel::ColumnSchemaVersion, 70);
    m_table->setColumnWidth(SnapshotListModel::ColumnAggregateType, 100);
    m_table->setColumnWidth(SnapshotListModel::ColumnSize, 90);
    m_table->setColumnWidth(SnapshotListModel::ColumnTakenAt, 150);
    m_table->setAccessibleName(tr("Snapshots"));

    m_stateTitle = new QLabel(this);
    m_stateTitle->setObjectName(QStringLiteral("snapshotStateTitle"));
    m_state = new QPlainTextEdit(this);
    m_state->setObjectName(QStringLiteral("snapshotState"));
    m_state->setReadOnly(true);
    m_state->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_state->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_state->setAccessibleName(tr("Snapshot state"));
    m_state->setToolTip(tr("The state stored in the snapshot, as JSON"));

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("snapshotResult"));
    m_result->setWordWrap(true);
    m_result->setMargin(6);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont resultFont = m_result->font();
    resultFont.setBold(true);
    m_result->setFont(resultFont);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("snapshotNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_differences = new QTableWidget(0, DifferenceColumnCount, this);
    m_differences->setObjectName(QStringLiteral("snapshotDifferences"));
    m_differences->setHorizontalHeaderLabels({ tr("Field"), tr("Snapshot value"), tr("Rebuilt from events") });
    m_differences->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_differences->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_differences->setWordWrap(false);
    m_differences->verticalHeader()->hide();
    m_differences->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch); // a few rows: share the width
    m_differences->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_differences->verticalHeader()->setDefaultSectionSize(m_differences->fontMetrics().height() + 8);
    m_differences->setAccessibleName(tr("Fields where the snapshot and the events differ"));

    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_stateTitle);
    detailLayout->addWidget(m_state, 2);
    detailLayout->addWidget(m_result);
    detailLayout->addWidget(m_note);
    detailLayout->addWidget(m_differences, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("snapshotSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 560, 440 });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    connect(m_verify, &QPushButton::clicked, this, &SnapshotPane::verifySelected);
    connect(m_verifyAll, &QPushButton::clicked, this, &SnapshotPane::verifyAll);
    connect(m_reload, &QPushButton::clicked, this, &SnapshotPane::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showSelected();
        updateButtons();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& topLeft) {
        if (topLeft.row() == selectedRow())
            showSelected();
    });
}

void SnapshotPane::setEngine(std::shared_ptr<Engine> engine)
{
    m_engine = std::move(engine);
    if (!m_streamId.isEmpty())
        reload();
}

void SnapshotPane::showStream(const QString& streamId)
{
    m_streamId = streamId;
    reload();
}

void SnapshotPane::reload()
{
    const quint64 generation = ++m_generation;
    m_verifying = false;
    m_model->setSnapshots({});
    showSelected();
    if (m_streamId.isEmpty()) {
        m_loading = false;
        m_header->setText(tr("No stream chosen: pick a stream to see its snapshots."));
        setStatus({}, false);
        updateButtons();
        return;
    }
    m_header->setText(tr("Snapshots of %1").arg(m_streamId));
    if (!m_engine) {
        m_loading = false;
        setStatus(tr("No store is open: open one to see the snapshots of '%1'.").arg(m_streamId), true);
        updateButtons();
        return;
    }
    m_loading = true;
    setStatus(tr("Loading…"), false);
    updateButtons();

    using Listing = StoreResult<QList<Snapshot>>;
    auto* watcher = new QFutureWatcher<Listing>(this);
    connect(watcher, &QFutureWatcher<Listing>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // the user moved on
        m_loading = false;
        const Listing listing = watcher->result();
        if (!listing) {
            setStatus(tr("Could not list the snapshots of '%1': %2 Check the connection, then reload.")
                          .arg(m_streamId, listing.error().message()),
                true);
        } else {
            m_model->setSnapshots(listing.value());
            const qsizetype count = listing->size();
            m_header->setText(count == 1 ? tr("Snapshots of %1 (1)").arg(m_streamId)
                                         : tr("Snapshots of %1 (%2)").arg(m_streamId).arg(count));
            if (count == 0)
                setStatus(tr("The stream '%1' has no snapshots. Repositories take one every so many events (see "
                             "the snapshot policy in the configuration).")
                              .arg(m_streamId),
                    false);
            else
                setStatus({}, false);
            if (count > 0)
                m_table->selectRow(0);
        }
        showSelected();
        updateButtons();
        Q_EMIT loadFinished();
    });
    watcher->setFuture(QtConcurrent::run(
        [engine = m_engine, streamId = m_streamId] { return SnapshotStore(engine->store()).list(streamId); }));
}

bool SnapshotPane::selectVersion(StreamVersion version)
{
    const int row = m_model->rowOf(version);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    return true;
}

int SnapshotPane::selectedRow() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void SnapshotPane::verifySelected()
{
    const int row = selectedRow();
    if (row >= 0)
        verify({ m_model->snapshot(row) });
}

void SnapshotPane::verifyAll()
{
    verify(m_model->snapshots());
}

void SnapshotPane::verify(const QList<Snapshot>& snapshots)
{
    if (snapshots.isEmpty() || !m_engine || m_loading || m_verifying)
        return;
    const quint64 generation = m_generation;
    m_verifying = true;
    setStatus(snapshots.size() == 1
            ? tr("Verifying the snapshot at version %1 against the events…").arg(snapshots.first().version)
            : tr("Verifying %1 snapshots against the events…").arg(snapshots.size()),
        false);
    updateButtons();

    using Checks = QList<std::pair<StreamVersion, SnapshotCheck>>;
    auto* watcher = new QFutureWatcher<Checks>(this);
    connect(watcher, &QFutureWatcher<Checks>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another stream, or reloaded: these rows are gone
        m_verifying = false;
        const Checks checks = watcher->result();
        int matching = 0;
        for (const auto& [version, check] : checks) {
            m_model->setVerification(m_model->rowOf(version), check);
            if (check.matches)
                ++matching;
        }
        if (checks.size() > 1)
            setStatus(tr("%1 of %2 snapshots match the events.").arg(matching).arg(checks.size()), false);
        else
            setStatus({}, false);
        showSelected();
        updateButtons();
        Q_EMIT verificationFinished();
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, snapshots] {
        Checks checks;
        for (const Snapshot& snapshot : snapshots)
            checks.append(
                { snapshot.version, SnapshotVerifier::forStream(*engine, snapshot.streamId).verify(snapshot) });
        return checks;
    }));
}

void SnapshotPane::showSelected()
{
    const int row = selectedRow();
    if (row < 0 || row >= m_model->rowCount()) {
        m_stateTitle->setText(m_model->rowCount() > 0 ? tr("Select a snapshot to see its state.") : QString());
        m_state->clear();
        m_state->setEnabled(false);
        showCheck(nullptr);
        return;
    }
    const Snapshot& snapshot = m_model->snapshot(row);
    m_stateTitle->setText(tr("State at version %1 (%2, snapshot schema version %3)")
                              .arg(snapshot.version)
                              .arg(snapshot.aggregateType)
                              .arg(snapshot.schemaVersion));
    m_state->setEnabled(true);
    const QString json = QString::fromUtf8(QJsonDocument(snapshot.state).toJson(QJsonDocument::Indented));
    if (m_state->toPlainText() != json)
        m_state->setPlainText(json);
    const auto& check = m_model->verification(row);
    showCheck(check ? &*check : nullptr);
}

void SnapshotPane::showCheck(const SnapshotCheck* check)
{
    m_differences->setRowCount(0);
    if (!check) {
        m_result->clear();
        m_result->hide();
        m_note->clear();
        m_note->hide();
        m_differences->hide();
        return;
    }

    QString text;
    switch (check->outcome) {
    case SnapshotCheck::Outcome::Matches:
        text = tr("Matches the events");
        break;
    case SnapshotCheck::Outcome::Differs:
        text = check->differences.size() == 1
            ? tr("Differs from the events in 1 field: the snapshot is wrong (or apply() changed since it was taken).")
            : tr("Differs from the events in %1 fields: the snapshot is wrong (or apply() changed since it was taken).")
                  .arg(check->differences.size());
        break;
    case SnapshotCheck::Outcome::Stale:
        text = tr("Stale: written with another snapshot schema version");
        break;
    case SnapshotCheck::Outcome::NotVerifiable:
        text = tr("Cannot be verified");
        break;
    case SnapshotCheck::Outcome::Failed:
        text = tr("Verification failed");
        break;
    }
    m_result->setText(text);
    m_result->setAutoFillBackground(true);
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, StatusTint::over(palette, outcomeTint(check->outcome), QPalette::Window));
    palette.setColor(QPalette::WindowText, palette.color(QPalette::Text));
    m_result->setPalette(palette);
    m_result->show();

    QStringList notes;
    if (!check->note.isEmpty())
        notes.append(check->note);
    notes.append(check->errors);
    m_note->setText(notes.join(u'\n'));
    m_note->setVisible(!notes.isEmpty());

    m_differences->setVisible(!check->differences.isEmpty());
    m_differences->setRowCount(int(check->differences.size()));
    for (int row = 0; row < check->differences.size(); ++row) {
        const FieldChange& change = check->differences.at(row);
        const QColor tint = change.kind == FieldChange::Kind::Changed ? StatusTint::Attention
            : change.kind == FieldChange::Kind::Added                 ? StatusTint::Good
                                                                      : StatusTint::Bad;
        const QString missing = tr("(missing)");
        const QString cells[DifferenceColumnCount]
            = { change.path, change.oldValue.isUndefined() ? missing : TimeTravelModel::valueText(change.oldValue),
                  change.newValue.isUndefined() ? missing : TimeTravelModel::valueText(change.newValue) };
        for (int column = 0; column < DifferenceColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            item->setBackground(StatusTint::over(m_differences->palette(), tint));
            if (column != DifferencePath)
                item->setFont(m_state->font());
            m_differences->setItem(row, column, item);
        }
    }
}

void SnapshotPane::updateButtons()
{
    const bool idle = m_engine && !m_loading && !m_verifying;
    m_verify->setEnabled(idle && selectedRow() >= 0);
    m_verifyAll->setEnabled(idle && m_model->rowCount() > 0);
    m_reload->setEnabled(!m_streamId.isEmpty() && m_engine && !m_verifying);
}

void SnapshotPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        // Colours derived from the palette follow a switch between light and dark.
        setStatus(m_status->text(), m_status->property("error").toBool());
        showSelected();
    }
}

void SnapshotPane::setStatus(const QString& text, bool isError)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setProperty("error", isError);
    QPalette palette = this->palette();
    if (isError)
        palette.setColor(QPalette::WindowText, StatusTint::errorText(palette));
    m_status->setPalette(palette);
}

} // namespace EventScope
