// SPDX-License-Identifier: Apache-2.0
#include "projectionspane.h"

#include "engine/engine.h"
#include "operatorauditmodel.h"
#include "projectionstatusmodel.h"
#include "statustint.h"

#include <QApplication>
#include <QBoxLayout>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QtConcurrent>

namespace EventScope {

namespace {

constexpr int ActionCount = int(ProjectionsPane::Action::Skip) + 1;

/// Rebuilding and running elsewhere: busy, but nothing wrong.
const QColor Blue(56, 132, 224);

std::optional<QColor> stateTint(ProjectionState state)
{
    switch (state) {
    case ProjectionState::Live:
        return StatusTint::Good;
    case ProjectionState::CatchingUp:
    case ProjectionState::Paused:
        return StatusTint::Attention;
    case ProjectionState::Rebuilding:
    case ProjectionState::RunningElsewhere:
        return Blue;
    case ProjectionState::Faulted:
        return StatusTint::Bad;
    case ProjectionState::Stopped:
        return std::nullopt;
    }
    return std::nullopt;
}

/// The state cell tinted by state, a progress bar in the progress cell while rebuilding or catching up.
class ProjectionStatusDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const double progress = index.data(ProjectionStatusModel::ProgressRole).toDouble();
        if (index.column() != ProjectionStatusModel::ColumnProgress || progress < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        // The selection background first, then the bar inset in the cell.
        QStyleOptionViewItem background = option;
        initStyleOption(&background, index);
        background.text.clear();
        const QWidget* widget = option.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.palette = option.palette;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(progress * 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != ProjectionStatusModel::ColumnState
            && index.column() != ProjectionStatusModel::ColumnError)
            return;
        const auto state = ProjectionState(index.data(ProjectionStatusModel::StateRole).toInt());
        if (index.column() == ProjectionStatusModel::ColumnError && state != ProjectionState::Faulted)
            return;
        if (const auto tint = stateTint(state))
            option->backgroundBrush = StatusTint::over(option->palette, *tint);
    }
};

/**
 * The confirmation of one action: what it will do, a reason (required or optional), and a button named after the
 * action. Children a test fills in: "projectionActionSummary", "projectionActionReason", "projectionActionConfirm"
 * and "projectionActionCancel".
 */
class ProjectionActionDialog final : public QDialog {
    // No Q_OBJECT: without this, tr() would be QDialog::tr (context "QDialog") and miss the translations.
    Q_DECLARE_TR_FUNCTIONS(EventScope::ProjectionActionDialog)

public:
    ProjectionActionDialog(const QString& title, const QString& summary, const QString& confirmText,
        bool reasonRequired, const QString& recordedAs, QWidget* parent)
        : QDialog(parent)
        , m_reasonRequired(reasonRequired)
    {
        setObjectName(QStringLiteral("projectionActionDialog"));
        setWindowTitle(title);
        setMinimumWidth(460);

        auto* text = new QLabel(summary, this);
        text->setObjectName(QStringLiteral("projectionActionSummary"));
        text->setWordWrap(true);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);

        m_reason = new QLineEdit(this);
        m_reason->setObjectName(QStringLiteral("projectionActionReason"));
        m_reason->setPlaceholderText(reasonRequired ? tr("Required: why, for the audit log (e.g. a ticket)")
                                                    : tr("Optional: why, for the audit log"));
        m_reason->setToolTip(tr("Recorded in the operator audit log with your name and role"));
        m_reason->setAccessibleName(tr("Reason"));

        auto* recorded = new QLabel(recordedAs, this);
        recorded->setObjectName(QStringLiteral("projectionActionRecordedAs"));
        recorded->setWordWrap(true);
        QFont small = recorded->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        recorded->setFont(small);

        auto* buttons = new QDialogButtonBox(this);
        m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
        m_confirm->setObjectName(QStringLiteral("projectionActionConfirm"));
        auto* cancel = buttons->addButton(QDialogButtonBox::Cancel);
        cancel->setObjectName(QStringLiteral("projectionActionCancel"));
        cancel->setDefault(true); // Enter alone does not confirm a destructive action
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        connect(m_reason, &QLineEdit::textChanged, this, &ProjectionActionDialog::updateConfirm);

        auto* form = new QFormLayout;
        auto* reasonLabel = new QLabel(reasonRequired ? tr("&Reason (required):") : tr("&Reason:"), this);
        reasonLabel->setBuddy(m_reason);
        form->addRow(reasonLabel, m_reason);

        auto* layout = new QVBoxLayout(this);
        layout->addWidget(text);
        layout->addSpacing(6);
        layout->addLayout(form);
        layout->addWidget(recorded);
        layout->addStretch(1);
        layout->addWidget(buttons);
        updateConfirm();
        m_reason->setFocus();
    }

    QString reason() const { return m_reason->text().trimmed(); }

private:
    void updateConfirm()
    {
        const bool ok = !m_reasonRequired || !reason().isEmpty();
        m_confirm->setEnabled(ok);
        m_confirm->setToolTip(ok ? QString() : tr("Give a reason first; the audit log records it"));
    }

    QLineEdit* m_reason = nullptr;
    QPushButton* m_confirm = nullptr;
    bool m_reasonRequired = false;
};

QString defaultActor()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? QStringLiteral("operator") : user;
}

} // namespace

ProjectionsPane::ProjectionsPane(QWidget* parent)
    : QWidget(parent)
    , m_actor(defaultActor())
    , m_statusModel(new ProjectionStatusModel(this))
    , m_auditModel(new OperatorAuditModel(this))
{
    setObjectName(QStringLiteral("projectionsPane"));
    setUpWidgets();
    m_statusModel->setPolling(false); // until shown
    updateRoleNote();
    updateActions();
    updateDetail();
}

ProjectionsPane::~ProjectionsPane() = default;

void ProjectionsPane::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_statusModel->setPolling(true);
    m_statusModel->refresh();
}

void ProjectionsPane::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_statusModel->setPolling(false); // no store reads for a pane nobody looks at
}

void ProjectionsPane::setUpWidgets()
{
    m_roleNote = new QLabel(this);
    m_roleNote->setObjectName(QStringLiteral("projectionsRoleNote"));
    m_roleNote->setWordWrap(true);
    m_roleNote->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("projectionsTable"));
    m_table->setModel(m_statusModel);
    m_table->setItemDelegate(new ProjectionStatusDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnName, 150);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnState, 110);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnCheckpoint, 90);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnHead, 90);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnLagEvents, 70);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnLagTime, 80);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnRate, 80);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnEta, 70);
    m_table->setColumnWidth(ProjectionStatusModel::ColumnProgress, 170);
    m_table->setAccessibleName(tr("Projections"));

    struct ButtonSpec {
        const char* objectName;
        QString text;
    };
    const ButtonSpec specs[ActionCount] = {
        { "projectionPause", tr("&Pause…") },
        { "projectionResume", tr("Res&ume…") },
        { "projectionReset", tr("R&eset…") },
        { "projectionRebuild", tr("Re&build…") },
        { "projectionCancelRebuild", tr("&Cancel rebuild…") },
        { "projectionRetry", tr("Re&try…") },
        { "projectionSkip", tr("&Skip event…") },
    };
    auto* buttons = new QHBoxLayout;
    for (int i = 0; i < ActionCount; ++i) {
        auto* button = new QPushButton(specs[i].text, this);
        button->setObjectName(QLatin1String(specs[i].objectName));
        const auto action = Action(i);
        connect(button, &QPushButton::clicked, this, [this, action] { requestAction(action); });
        m_actionButtons << button;
        buttons->addWidget(button);
        if (action == Action::Resume || action == Action::CancelRebuild)
            buttons->addSpacing(8);
    }
    buttons->addStretch(1);
    // Reading, not acting: open to every role.
    m_showFault = new QPushButton(tr("Show &faulted event"), this);
    m_showFault->setObjectName(QStringLiteral("projectionShowEvent"));
    connect(m_showFault, &QPushButton::clicked, this, [this] {
        if (const ProjectionStatus* status = selectedStatus(); status && status->fault)
            Q_EMIT showEventRequested(status->fault->position);
    });
    buttons->addWidget(m_showFault);

    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("projectionDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("projectionsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMargin(4);
    m_status->hide();

    auto* projections = new QWidget(this);
    auto* projectionsLayout = new QVBoxLayout(projections);
    projectionsLayout->addWidget(m_table, 1);
    projectionsLayout->addLayout(buttons);
    projectionsLayout->addWidget(m_detail);
    projectionsLayout->addWidget(m_status);

    m_auditTable = new QTableView(this);
    m_auditTable->setObjectName(QStringLiteral("auditTable"));
    m_auditTable->setModel(m_auditModel);
    m_auditTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_auditTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_auditTable->setWordWrap(false);
    m_auditTable->verticalHeader()->hide();
    m_auditTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_auditTable->verticalHeader()->setDefaultSectionSize(m_auditTable->fontMetrics().height() + 8);
    m_auditTable->horizontalHeader()->setStretchLastSection(true);
    m_auditTable->horizontalHeader()->setHighlightSections(false);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnAt, 150);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnActor, 140);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnRole, 80);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnAction, 110);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnProjection, 140);
    m_auditTable->setColumnWidth(OperatorAuditModel::ColumnReason, 220);
    m_auditTable->setAccessibleName(tr("Operator audit log"));

    m_auditRefresh = new QPushButton(tr("&Refresh"), this);
    m_auditRefresh->setObjectName(QStringLiteral("auditRefresh"));
    m_auditRefresh->setToolTip(tr("Read the operator audit log again"));
    connect(m_auditRefresh, &QPushButton::clicked, this, &ProjectionsPane::refreshAuditLog);
    m_auditExport = new QPushButton(tr("E&xport…"), this);
    m_auditExport->setObjectName(QStringLiteral("auditExport"));
    m_auditExport->setToolTip(tr("Save the whole operator audit log as a CSV file"));
    connect(m_auditExport, &QPushButton::clicked, this, &ProjectionsPane::exportClicked);
    m_auditStatus = new QLabel(this);
    m_auditStatus->setObjectName(QStringLiteral("auditStatus"));
    m_auditStatus->setWordWrap(true);
    m_auditStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* auditButtons = new QHBoxLayout;
    auditButtons->addWidget(m_auditStatus, 1);
    auditButtons->addWidget(m_auditRefresh);
    auditButtons->addWidget(m_auditExport);

    auto* audit = new QWidget(this);
    auto* auditLayout = new QVBoxLayout(audit);
    auditLayout->addLayout(auditButtons);
    auditLayout->addWidget(m_auditTable, 1);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("projectionsTabs"));
    m_tabs->addTab(projections, tr("Projections"));
    m_tabs->addTab(audit, tr("Audit log"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_roleNote);
    layout->addWidget(m_tabs, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateActions();
        updateDetail();
    });
    connect(
        m_statusModel, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
            const QModelIndex current = m_table->currentIndex();
            if (current.isValid() && current.row() >= from.row() && current.row() <= to.row()) {
                updateActions();
                updateDetail();
            }
        });
    connect(m_statusModel, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->currentIndex().isValid() && m_statusModel->rowCount() > 0)
            m_table->setCurrentIndex(m_statusModel->index(0, 0));
        updateActions();
        updateDetail();
    });
    connect(m_statusModel, &QAbstractItemModel::rowsRemoved, this, [this] {
        updateActions();
        updateDetail();
    });
    connect(m_statusModel, &ProjectionStatusModel::failed, this,
        [this](const QString& message) { setStatus(tr("Could not read the projections: %1").arg(message), true); });
    connect(m_auditModel, &OperatorAuditModel::loaded, this, [this] {
        m_auditStatus->setText(m_auditModel->rowCount() == 0
                ? tr("No operator has acted on a projection yet.")
                : tr("%n entries, newest first", nullptr, m_auditModel->rowCount()));
    });
    connect(m_auditModel, &OperatorAuditModel::failed, this, [this](const QString& message) {
        m_auditStatus->setText(tr("Could not read the audit log: %1").arg(message));
    });
}

void ProjectionsPane::setEngine(std::shared_ptr<Engine> engine)
{
    ++m_generation; // outcomes of actions on the previous engine are dropped
    m_busy = false;
    m_engine = std::move(engine);
    if (m_confirmation)
        m_confirmation->reject();
    m_statusModel->setEngine(m_engine);
    m_auditModel->setEngine(m_engine);
    m_auditStatus->setText(m_engine ? tr("Loading…") : tr("No store open."));
    m_status->hide();
    updateActions();
    updateDetail();
}

void ProjectionsPane::setRole(Role role)
{
    m_role = role;
    if (m_confirmation)
        m_confirmation->reject();
    updateRoleNote();
    updateActions();
}

void ProjectionsPane::setActor(const QString& actor)
{
    m_actor = actor.trimmed().isEmpty() ? defaultActor() : actor.trimmed();
}

bool ProjectionsPane::selectProjection(const QString& name)
{
    const int row = m_statusModel->rowOf(name);
    if (row < 0)
        return false;
    m_table->setCurrentIndex(m_statusModel->index(row, 0));
    m_table->selectRow(row);
    return true;
}

QString ProjectionsPane::selectedProjection() const
{
    const ProjectionStatus* status = selectedStatus();
    return status ? status->name : QString();
}

const ProjectionStatus* ProjectionsPane::selectedStatus() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || current.row() >= m_statusModel->rowCount())
        return nullptr;
    return &m_statusModel->status(current.row());
}

void ProjectionsPane::showTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

bool ProjectionsPane::mayDo(Role role, Action action)
{
    switch (action) {
    case Action::Pause:
    case Action::Resume:
    case Action::Retry:
        return role == Role::Support || role == Role::Developer;
    case Action::Reset:
    case Action::Rebuild:
    case Action::CancelRebuild:
    case Action::Skip:
        return role == Role::Developer;
    }
    return false;
}

bool ProjectionsPane::needsReason(Action action)
{
    return action != Action::Resume && action != Action::Retry;
}

QString ProjectionsPane::actionName(Action action)
{
    switch (action) {
    case Action::Pause:
        return QStringLiteral("pause");
    case Action::Resume:
        return QStringLiteral("resume");
    case Action::Reset:
        return QStringLiteral("reset");
    case Action::Rebuild:
        return QStringLiteral("rebuild");
    case Action::CancelRebuild:
        return QStringLiteral("cancel-rebuild");
    case Action::Retry:
        return QStringLiteral("retry");
    case Action::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

namespace {

QString verb(ProjectionsPane::Action action)
{
    using Action = ProjectionsPane::Action;
    switch (action) {
    case Action::Pause:
        return ProjectionsPane::tr("pause");
    case Action::Resume:
        return ProjectionsPane::tr("resume");
    case Action::Reset:
        return ProjectionsPane::tr("reset");
    case Action::Rebuild:
        return ProjectionsPane::tr("rebuild");
    case Action::CancelRebuild:
        return ProjectionsPane::tr("cancel rebuilds of");
    case Action::Retry:
        return ProjectionsPane::tr("retry faulted events of");
    case Action::Skip:
        return ProjectionsPane::tr("skip faulted events of");
    }
    return {};
}

} // namespace

QString ProjectionsPane::unavailableReason(Action action) const
{
    if (!m_engine)
        return tr("No store is open. Open one to see its projections.");
    if (!mayDo(m_role, action))
        return tr("The %1 role may not %2 projections. %3")
            .arg(roleName(m_role), verb(action),
                action == Action::Pause || action == Action::Resume || action == Action::Retry
                    ? tr("Ask someone with the support or developer role.")
                    : tr("Ask a developer."));
    const ProjectionStatus* status = selectedStatus();
    if (!status)
        return tr("Select a projection first.");
    if (m_busy)
        return tr("Another action is on its way; wait until it is done.");
    if (!m_engine->projections().isRunning())
        return tr("The projections are not running in this EventScope, so it cannot act on them. Start them (or act "
                  "in the instance that runs them).");
    const QString& name = status->name;
    if (status->state == ProjectionState::RunningElsewhere && action != Action::Pause && action != Action::Resume)
        return tr("%1 runs in another EventScope instance (%2). Do this there, or stop that instance.")
            .arg(name, status->owner.isEmpty() ? tr("unknown") : status->owner);
    switch (action) {
    case Action::Pause:
        if (status->state == ProjectionState::Paused)
            return tr("%1 is paused already.").arg(name);
        break;
    case Action::Resume:
        if (status->state != ProjectionState::Paused)
            return tr("%1 is not paused.").arg(name);
        break;
    case Action::CancelRebuild:
        if (!status->rebuild)
            return tr("%1 is not being rebuilt.").arg(name);
        break;
    case Action::Retry:
    case Action::Skip:
        if (!status->fault)
            return tr("%1 is not faulted; there is no event to %2.")
                .arg(name, action == Action::Retry ? tr("retry") : tr("skip"));
        break;
    case Action::Reset:
    case Action::Rebuild:
        break;
    }
    return {};
}

QString ProjectionsPane::consequences(Action action, const ProjectionStatus& status) const
{
    const auto count = [](qint64 n) { return ProjectionStatusModel::countText(n); };
    const QString& name = status.name;
    switch (action) {
    case Action::Pause:
        return tr("Pause %1 at checkpoint %2 of %3: it stops applying events until someone resumes it, and its lag "
                  "grows with every event appended. Its read model keeps answering queries as it is now. The pause "
                  "is kept across restarts.")
            .arg(name, count(status.checkpoint), count(status.head));
    case Action::Resume:
        return tr("Resume %1: it applies the %2 events appended since its checkpoint %3, then goes live.")
            .arg(name, count(status.lagEvents), count(status.checkpoint));
    case Action::Reset:
        return tr("Reset %1: its read model is emptied and its checkpoint set to 0 (it is at %2 now), then it catches "
                  "up from the start over %3 events. Until it has caught up, queries on it answer from an incomplete "
                  "read model. To keep serving meanwhile, rebuild instead.")
            .arg(name, count(status.checkpoint), count(status.head));
    case Action::Rebuild: {
        QString text = tr("Rebuild %1 from %2 events: a new read model (version %3) is built in shadow tables; the "
                          "current read model keeps serving until the new one has caught up, then they are swapped.")
                           .arg(name, count(status.head))
                           .arg(status.version);
        if (status.rebuild)
            text += u' '
                + tr("The rebuild running now (%1 of %2) starts again from 0.")
                      .arg(count(status.rebuild->position), count(status.rebuild->target));
        return text;
    }
    case Action::CancelRebuild: {
        if (!status.rebuild)
            return tr("%1 is not being rebuilt.").arg(name);
        QString text = tr("Cancel the rebuild of %1 to version %2 at %3 % (%4 of %5 events): its shadow tables are "
                          "dropped; the current read model stays as it is.")
                           .arg(name)
                           .arg(status.rebuild->version)
                           .arg(int(status.rebuild->progress() * 100))
                           .arg(count(status.rebuild->position), count(status.rebuild->target));
        if (status.storedVersion != status.version)
            text += u' '
                + tr("The stored read model is version %1, which this EventScope cannot keep up to date: %2 stays "
                     "paused until it is rebuilt.")
                      .arg(status.storedVersion)
                      .arg(name);
        return text;
    }
    case Action::Retry:
        if (!status.fault)
            return tr("%1 is not faulted.").arg(name);
        return tr(
            "Retry event %1 (%2 in stream %3) that %4 stopped on with: %5\n\nIf it fails again, %4 faults again on "
            "the same event.")
            .arg(count(status.fault->position), status.fault->eventType, status.fault->streamId, name,
                status.fault->error);
    case Action::Skip:
        if (!status.fault)
            return tr("%1 is not faulted.").arg(name);
        return tr("Skip event %1 of stream %2 (type %3) in %4. It failed with: %5\n\nThe read model will never reflect "
                  "this event; %4 goes on with the next one. The skipped event is recorded in the audit log.")
            .arg(count(status.fault->position), status.fault->streamId, status.fault->eventType, name,
                status.fault->error);
    }
    return {};
}

QPushButton* ProjectionsPane::actionButton(Action action) const
{
    return m_actionButtons.value(int(action));
}

QDialog* ProjectionsPane::pendingConfirmation() const
{
    return m_confirmation;
}

QDialog* ProjectionsPane::requestAction(Action action)
{
    const QString unavailable = unavailableReason(action);
    const ProjectionStatus* status = selectedStatus();
    if (!unavailable.isEmpty() || !status) {
        setStatus(unavailable, true);
        return nullptr;
    }
    if (m_confirmation)
        m_confirmation->reject();

    const QString name = status->name;
    const QString title = tr("%1 %2").arg(actionButton(action)->text().remove(u'&').remove(u'…'), name);
    QString confirmText = actionButton(action)->text().remove(u'&').remove(u'…');
    auto* dialog = new ProjectionActionDialog(title, consequences(action, *status), confirmText, needsReason(action),
        tr("Recorded in the operator audit log as %1 (%2).").arg(m_actor, roleName(m_role)), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, action, name](int result) {
        if (m_confirmation == dialog)
            m_confirmation = nullptr;
        if (result == QDialog::Accepted)
            runAction(action, name, dialog->reason());
    });
    dialog->open();
    return dialog;
}

void ProjectionsPane::runAction(Action action, const QString& projection, const QString& reason)
{
    if (!m_engine)
        return;
    m_busy = true;
    m_lastError.reset();
    updateActions();
    setStatus(tr("%1 %2…").arg(actionButton(action)->text().remove(u'&').remove(u'…'), projection), false);
    const quint64 generation = m_generation;
    const OperatorAction operatorAction { m_actor, m_role, reason };
    using Result = std::optional<ProjectionError>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, action, projection] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_busy = false;
        const Result error = watcher->result();
        m_lastError = error;
        if (error) {
            setStatus(tr("Could not %1 %2: %3").arg(actionName(action), projection, error->message()), true);
        } else {
            QString done;
            switch (action) {
            case Action::Pause:
                done = tr("%1 is paused.").arg(projection);
                break;
            case Action::Resume:
                done = tr("%1 is resumed.").arg(projection);
                break;
            case Action::Reset:
                done = tr("%1 was reset; it catches up from the start.").arg(projection);
                break;
            case Action::Rebuild:
                done = tr("%1 is being rebuilt; the current read model serves until the new one has caught up.")
                           .arg(projection);
                break;
            case Action::CancelRebuild:
                done = tr("The rebuild of %1 was cancelled.").arg(projection);
                break;
            case Action::Retry:
                done = tr("%1 tries the faulted event again.").arg(projection);
                break;
            case Action::Skip:
                done = tr("%1 skipped the faulted event and goes on.").arg(projection);
                break;
            }
            setStatus(done, false);
        }
        m_statusModel->refresh();
        m_auditModel->reload();
        updateActions();
        updateDetail();
        Q_EMIT actionFinished(action, projection, !error, error ? error->message() : QString());
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, action, projection, operatorAction]() -> Result {
        ProjectionManager& manager = engine->projections();
        switch (action) {
        case Action::Pause:
            return manager.pause(projection, operatorAction);
        case Action::Resume:
            return manager.resume(projection, operatorAction);
        case Action::Reset:
            return manager.reset(projection, operatorAction);
        case Action::Rebuild:
            return manager.rebuild(projection, operatorAction);
        case Action::CancelRebuild:
            return manager.cancelRebuild(projection, operatorAction);
        case Action::Retry:
            return manager.retry(projection, operatorAction);
        case Action::Skip:
            return manager.skip(projection, operatorAction);
        }
        return std::nullopt;
    }));
}

void ProjectionsPane::updateActions()
{
    const ProjectionStatus* selected = selectedStatus();
    const bool faulted = selected && selected->fault;
    m_showFault->setEnabled(faulted);
    m_showFault->setToolTip(faulted ? tr("Show event %1 (%2 of %3) in the events list and the inspector")
                                          .arg(selected->fault->position)
                                          .arg(selected->fault->eventType, selected->fault->streamId)
                                    : tr("The selected projection has not stopped on an event"));
    for (int i = 0; i < ActionCount; ++i) {
        const auto action = Action(i);
        QPushButton* button = m_actionButtons.at(i);
        const QString unavailable = unavailableReason(action);
        button->setEnabled(unavailable.isEmpty());
        if (!unavailable.isEmpty()) {
            button->setToolTip(unavailable);
            continue;
        }
        switch (action) {
        case Action::Pause:
            button->setToolTip(tr("Stop applying events until resumed; the read model keeps serving as it is"));
            break;
        case Action::Resume:
            button->setToolTip(tr("Apply events again from the checkpoint"));
            break;
        case Action::Reset:
            button->setToolTip(tr("Empty the read model and build it again from the first event (offline meanwhile)"));
            break;
        case Action::Rebuild:
            button->setToolTip(tr("Build a new read model in shadow tables while the current one keeps serving"));
            break;
        case Action::CancelRebuild:
            button->setToolTip(tr("Drop the shadow tables of the rebuild; the current read model stays"));
            break;
        case Action::Retry:
            button->setToolTip(tr("Try the event the projection stopped on again"));
            break;
        case Action::Skip:
            button->setToolTip(tr("Step over the event the projection stopped on, recorded in the audit log"));
            break;
        }
    }
}

void ProjectionsPane::updateRoleNote()
{
    switch (m_role) {
    case Role::Auditor:
        m_roleNote->setText(tr("Read-only: you are signed in as auditor. Ask someone with the support role to pause, "
                               "resume or retry a projection, and a developer to reset, rebuild or skip an event."));
        m_roleNote->show();
        break;
    case Role::Support:
        m_roleNote->setText(tr("As support you may pause, resume and retry projections. Reset, rebuild, cancelling a "
                               "rebuild and skipping an event need a developer."));
        m_roleNote->show();
        break;
    case Role::Developer:
        m_roleNote->clear();
        m_roleNote->hide();
        break;
    }
}

void ProjectionsPane::updateDetail()
{
    const ProjectionStatus* status = selectedStatus();
    if (!status) {
        m_detail->setText(m_engine ? tr("Select a projection to act on it.") : tr("No store open."));
        return;
    }
    QString text = status->description.isEmpty() ? status->name : status->name + u": " + status->description;
    text += u"  ·  "
        + (status->storedVersion == status->version
                ? tr("version %1").arg(status->version)
                : tr("code version %1, stored read model version %2").arg(status->version).arg(status->storedVersion));
    if (status->fault)
        text += u'\n'
            + tr("Faulted on event %1 (%2) of stream %3: %4")
                  .arg(ProjectionStatusModel::countText(status->fault->position), status->fault->eventType,
                      status->fault->streamId, status->fault->error);
    else if (status->state == ProjectionState::RunningElsewhere)
        text += u'\n' + tr("Run by %1.").arg(status->owner.isEmpty() ? tr("another instance") : status->owner);
    m_detail->setText(text);
}

void ProjectionsPane::setStatus(const QString& text, bool isError)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    QPalette palette = this->palette();
    if (isError) {
        palette.setColor(QPalette::Window, StatusTint::over(palette, StatusTint::Bad, QPalette::Window));
        m_status->setAutoFillBackground(true);
    } else {
        m_status->setAutoFillBackground(false);
    }
    m_status->setPalette(palette);
}

void ProjectionsPane::refreshAuditLog()
{
    if (!m_engine)
        return;
    m_auditStatus->setText(tr("Loading…"));
    m_auditModel->reload();
}

void ProjectionsPane::exportClicked()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the operator audit log"),
        QStringLiteral("operator-audit-log.csv"), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        exportAuditLog(path);
}

void ProjectionsPane::exportAuditLog(const QString& path)
{
    if (!m_engine || m_exporting) {
        const QString message = m_engine ? tr("An export is on its way; wait until it is done.")
                                         : tr("No store is open: there is no audit log to export.");
        m_auditStatus->setText(message);
        Q_EMIT exportFinished(false, message);
        return;
    }
    m_exporting = true;
    m_auditExport->setEnabled(false);
    m_auditStatus->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(path)));
    struct Outcome {
        bool ok = false;
        qsizetype entries = 0;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        m_exporting = false;
        m_auditExport->setEnabled(true);
        const Outcome outcome = watcher->result();
        const QString message = outcome.ok
            ? tr("Exported %n audit entries to %1.", nullptr, int(outcome.entries)).arg(QDir::toNativeSeparators(path))
            : tr("Could not export the audit log to %1: %2").arg(QDir::toNativeSeparators(path), outcome.error);
        m_auditStatus->setText(message);
        Q_EMIT exportFinished(outcome.ok, message);
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, path]() -> Outcome {
        QList<OperatorAuditEntry> entries;
        qint64 before = 0;
        for (;;) {
            constexpr int Page = 1000;
            auto page = engine->projections().auditLog(Page, before);
            if (!page)
                return { false, 0, page.error().message() };
            entries += page.value();
            if (page->size() < Page)
                break;
            before = page->constLast().id;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return { false, 0, file.errorString() + u' ' + tr("Choose a folder you may write to.") };
        if (!OperatorAuditModel::writeCsv(file, entries) || !file.commit())
            return { false, 0, file.errorString() + u' ' + tr("Check the free space and try again.") };
        return { true, entries.size(), {} };
    }));
}

} // namespace EventScope
