// SPDX-License-Identifier: Apache-2.0
#include "commandconsole.h"

#include "commandformmodel.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "statustint.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QtConcurrent>

#include <algorithm>
#include <map>

namespace EventScope {

namespace {

constexpr int ReadPageSize = 500;
constexpr int CommandTypeRole = Qt::UserRole + 1;

/// "1 event", "3 events".
QString eventCount(qsizetype count)
{
    return count == 1 ? CommandConsole::tr("1 event") : CommandConsole::tr("%1 events").arg(count);
}

QColor diffTint(FieldChange::Kind kind)
{
    switch (kind) {
    case FieldChange::Kind::Added:
        return StatusTint::Good;
    case FieldChange::Kind::Removed:
        return StatusTint::Bad;
    case FieldChange::Kind::Changed:
        break;
    }
    return StatusTint::Attention;
}

QString errorStyle(const QPalette& palette)
{
    return QStringLiteral("color: %1;").arg(StatusTint::errorText(palette).name());
}

QString compactJson(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString indentedJson(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
}

QString valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return compactJson(value.toObject());
    }
    return {};
}

/// The whole stream, read in pages.
StoreResult<QList<RecordedEvent>> readWholeStream(Engine& engine, const QString& streamId, StreamVersion from = 0)
{
    QList<RecordedEvent> events;
    for (;;) {
        auto page = engine.store()->readStream(streamId, from + events.size(), ReadPageSize);
        if (!page)
            return page.error();
        const qsizetype read = page->size();
        events.append(std::move(page).value());
        if (read < ReadPageSize)
            return events;
    }
}

} // namespace

/// What a dry run or a commit did, computed on a pool thread.
struct CommandConsole::Outcome {
    quint64 generation = 0;
    bool dryRun = true;
    QString fingerprint;
    TargetState target; ///< dry run: the target as the dry run saw it
    StreamVersion expectedVersion = NoStreamVersion;
    DispatchResult result;
    QList<FieldChange> changes; ///< dry run: before → after
    QList<RecordedEvent> newEvents; ///< commit: the events written, or on a conflict those written since
    QString readError;
};

CommandConsole::TargetState CommandConsole::readTarget(Engine& engine, const QString& streamId)
{
    TargetState target;
    target.streamId = streamId;
    auto events = readWholeStream(engine, streamId);
    if (!events) {
        target.error = tr("Could not read %1: %2").arg(streamId, events.error().message());
        return target;
    }
    target.events = std::move(events).value();
    const StreamHistory history
        = StreamHistory::build(target.events, &engine.registry(), engine.aggregateFactory(streamId));
    if (history.error()) {
        target.error = tr("Could not compute the state of %1: %2").arg(streamId, history.error()->message());
        return target;
    }
    target.version = history.lastVersion();
    target.state = target.version == NoStreamVersion ? history.initialState() : history.stateAt(target.version);
    return target;
}

CommandConsole::CommandConsole(QWidget* parent)
    : QWidget(parent)
    , m_form(new CommandFormModel(this))
{
    buildUi();
    connect(m_form, &CommandFormModel::inputsChanged, this, &CommandConsole::inputsChanged);
    connect(m_form, &CommandFormModel::errorsChanged, this, &CommandConsole::showErrors);
    updateAccess();
}

CommandConsole::~CommandConsole() = default;

void CommandConsole::buildUi()
{
    auto* outer = new QVBoxLayout(this);
    m_roleNotice = new QLabel(this);
    m_roleNotice->setObjectName(QStringLiteral("roleNotice"));
    m_roleNotice->setWordWrap(true);
    m_roleNotice->setFrameShape(QFrame::StyledPanel);
    m_roleNotice->setMargin(6);
    outer->addWidget(m_roleNotice);

    m_body = new QWidget(this);
    m_body->setObjectName(QStringLiteral("consoleBody"));
    outer->addWidget(m_body, 1);
    auto* bodyLayout = new QHBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, m_body);
    bodyLayout->addWidget(splitter);

    // Command list.
    auto* listPane = new QWidget(splitter);
    auto* listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_search = new QLineEdit(listPane);
    m_search->setObjectName(QStringLiteral("commandSearch"));
    m_search->setPlaceholderText(tr("Search commands…"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Filter the commands by name or help text"));
    listLayout->addWidget(m_search);
    m_commandList = new QTreeWidget(listPane);
    m_commandList->setObjectName(QStringLiteral("commandList"));
    m_commandList->setHeaderHidden(true);
    m_commandList->setToolTip(tr("The commands registered in the engine, by domain"));
    listLayout->addWidget(m_commandList);
    connect(m_search, &QLineEdit::textChanged, this, &CommandConsole::filterCommands);
    connect(m_commandList, &QTreeWidget::currentItemChanged, this, &CommandConsole::onCommandSelected);

    // Form, target, result.
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* page = new QWidget(scroll);
    scroll->setWidget(page);
    auto* pageLayout = new QVBoxLayout(page);

    m_commandTitle = new QLabel(tr("Pick a command on the left."), page);
    m_commandTitle->setObjectName(QStringLiteral("commandTitle"));
    QFont titleFont = m_commandTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_commandTitle->setFont(titleFont);
    pageLayout->addWidget(m_commandTitle);
    m_commandHelp = new QLabel(page);
    m_commandHelp->setObjectName(QStringLiteral("commandHelp"));
    m_commandHelp->setWordWrap(true);
    pageLayout->addWidget(m_commandHelp);
    m_commandNotice = new QLabel(page);
    m_commandNotice->setObjectName(QStringLiteral("commandNotice"));
    m_commandNotice->setWordWrap(true);
    m_commandNotice->setStyleSheet(QStringLiteral("color: palette(highlight);"));
    m_commandNotice->hide();
    pageLayout->addWidget(m_commandNotice);

    auto* targetBox = new QGroupBox(tr("Target"), page);
    auto* targetLayout = new QVBoxLayout(targetBox);
    auto* targetRow = new QHBoxLayout;
    m_targetEdit = new QLineEdit(targetBox);
    m_targetEdit->setObjectName(QStringLiteral("targetEdit"));
    m_targetEdit->setPlaceholderText(tr("Aggregate id or stream id, e.g. acc1 or account-acc1"));
    m_targetEdit->setToolTip(tr("The aggregate the command changes; the explorer's selection fills it in"));
    targetRow->addWidget(m_targetEdit, 1);
    m_refreshButton = new QPushButton(tr("&Refresh"), targetBox);
    m_refreshButton->setObjectName(QStringLiteral("refreshButton"));
    m_refreshButton->setToolTip(tr("Load the target's current state and version"));
    targetRow->addWidget(m_refreshButton);
    targetLayout->addLayout(targetRow);
    m_targetStatus = new QLabel(targetBox);
    m_targetStatus->setObjectName(QStringLiteral("targetStatus"));
    m_targetStatus->setWordWrap(true);
    targetLayout->addWidget(m_targetStatus);
    m_targetState = new QPlainTextEdit(targetBox);
    m_targetState->setObjectName(QStringLiteral("targetState"));
    m_targetState->setReadOnly(true);
    m_targetState->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_targetState->setMaximumHeight(110);
    m_targetState->setToolTip(tr("The target's current state (as its aggregate sees it)"));
    targetLayout->addWidget(m_targetState);
    pageLayout->addWidget(targetBox);
    connect(m_refreshButton, &QPushButton::clicked, this, &CommandConsole::refreshTarget);
    connect(m_targetEdit, &QLineEdit::editingFinished, this, [this] {
        if (!m_target || m_target->streamId != resolveTarget().first)
            loadTarget();
    });
    connect(m_targetEdit, &QLineEdit::textChanged, this, &CommandConsole::inputsChanged);

    m_formBox = new QGroupBox(tr("Fields"), page);
    m_formBox->setObjectName(QStringLiteral("formBox"));
    m_formLayout = new QFormLayout(m_formBox);
    m_formLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    pageLayout->addWidget(m_formBox);

    auto* auditBox = new QGroupBox(tr("Why"), page);
    auto* auditLayout = new QFormLayout(auditBox);
    m_reason = new QLineEdit(auditBox);
    m_reason->setObjectName(QStringLiteral("reasonEdit"));
    m_reason->setToolTip(tr("Why the data must change; stored in the events' metadata"));
    m_reasonLabel = new QLabel(tr("Reason:"), auditBox);
    m_reasonLabel->setBuddy(m_reason);
    m_reasonError = new QLabel(auditBox);
    m_reasonError->setObjectName(QStringLiteral("error_reason"));
    m_reasonError->setStyleSheet(errorStyle(palette()));
    m_reasonError->setWordWrap(true);
    m_reasonError->hide();
    auto* reasonColumn = new QVBoxLayout;
    reasonColumn->addWidget(m_reason);
    reasonColumn->addWidget(m_reasonError);
    auditLayout->addRow(m_reasonLabel, reasonColumn);
    m_ticket = new QLineEdit(auditBox);
    m_ticket->setObjectName(QStringLiteral("ticketEdit"));
    m_ticket->setPlaceholderText(tr("optional, e.g. INC-1234"));
    m_ticket->setToolTip(tr("A ticket or incident reference; stored in the events' metadata"));
    auditLayout->addRow(tr("&Ticket:"), m_ticket);
    pageLayout->addWidget(auditBox);
    connect(m_reason, &QLineEdit::textChanged, m_form, &CommandFormModel::setReason);
    connect(m_ticket, &QLineEdit::textChanged, m_form, &CommandFormModel::setTicket);

    auto* buttons = new QHBoxLayout;
    m_dryRunButton = new QPushButton(tr("&Dry run"), page);
    m_dryRunButton->setObjectName(QStringLiteral("dryRunButton"));
    m_dryRunButton->setDefault(true);
    m_dryRunButton->setAutoDefault(true);
    m_dryRunButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_dryRunButton->setToolTip(
        tr("Check the command against the target's current state and show what it would write (Ctrl+Enter); "
           "writes nothing"));
    m_commitButton = new QPushButton(tr("&Commit"), page);
    m_commitButton->setObjectName(QStringLiteral("commitButton"));
    m_commitButton->setToolTip(tr("Write the events of the dry run, at the version the dry run saw"));
    buttons->addWidget(m_dryRunButton);
    buttons->addWidget(m_commitButton);
    buttons->addStretch(1);
    pageLayout->addLayout(buttons);
    connect(m_dryRunButton, &QPushButton::clicked, this, &CommandConsole::dryRun);
    connect(m_commitButton, &QPushButton::clicked, this, &CommandConsole::commit);

    m_status = new QLabel(page);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pageLayout->addWidget(m_status);
    m_links = new QLabel(page);
    m_links->setObjectName(QStringLiteral("eventLinks"));
    m_links->setTextFormat(Qt::RichText);
    m_links->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_links->setToolTip(tr("Show the event in the explorer"));
    m_links->hide();
    pageLayout->addWidget(m_links);
    connect(m_links, &QLabel::linkActivated, this, [this](const QString& link) {
        bool ok = false;
        const GlobalPosition position = link.section(u':', 1).toLongLong(&ok);
        if (ok)
            Q_EMIT showEventRequested(position);
    });

    const auto makeTree = [page](const QString& name, const QStringList& headers, const QString& toolTip) {
        auto* tree = new QTreeWidget(page);
        tree->setObjectName(name);
        tree->setRootIsDecorated(false);
        tree->setHeaderLabels(headers);
        tree->setUniformRowHeights(true);
        tree->setToolTip(toolTip);
        tree->setMinimumHeight(90);
        tree->setMaximumHeight(170);
        tree->header()->setStretchLastSection(true);
        return tree;
    };
    m_newEventsLabel = new QLabel(tr("Written since you looked:"), page);
    m_newEventsLabel->setObjectName(QStringLiteral("newEventsLabel"));
    m_newEventsLabel->hide();
    pageLayout->addWidget(m_newEventsLabel);
    m_newEvents = makeTree(QStringLiteral("newEvents"), { tr("Version"), tr("Type"), tr("Actor"), tr("Payload") },
        tr("Events another writer appended after the version your dry run saw"));
    m_newEvents->hide();
    pageLayout->addWidget(m_newEvents);
    pageLayout->addWidget(new QLabel(tr("Events that would be written:"), page));
    m_previewEvents = makeTree(QStringLiteral("previewEvents"), { tr("Type"), tr("Payload") },
        tr("The events the command writes; hover for the payload and metadata in full"));
    pageLayout->addWidget(m_previewEvents);
    pageLayout->addWidget(new QLabel(tr("State before → after:"), page));
    m_diff = makeTree(QStringLiteral("stateDiff"), { tr("Field"), tr("Before"), tr("After") },
        tr("What the command changes in the target's state"));
    pageLayout->addWidget(m_diff);
    pageLayout->addStretch(1);

    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 220, 640 });
}

void CommandConsole::setEngine(std::shared_ptr<Engine> engine)
{
    m_engine = std::move(engine);
    ++m_targetGeneration;
    ++m_runGeneration;
    m_running = false;
    m_target.reset();
    m_preview.reset();
    m_descriptors = m_engine ? m_engine->commandBus().descriptors() : QList<CommandDescriptor> {};
    m_domains = m_engine ? commandDomains(*m_engine) : QHash<QString, QString> {};
    populateCommands();
    updateAccess();
    if (m_engine && !m_targetEdit->text().trimmed().isEmpty())
        loadTarget();
}

void CommandConsole::setRole(Role role)
{
    m_role = role;
    populateCommands();
    updateAccess();
}

void CommandConsole::setActor(const QString& actor)
{
    m_actor = actor;
    updateAccess();
}

void CommandConsole::setTarget(const QString& aggregateId)
{
    m_targetEdit->setText(aggregateId);
    loadTarget();
}

QString CommandConsole::target() const
{
    return m_targetEdit->text().trimmed();
}

bool CommandConsole::isDestructive(const CommandDescriptor& descriptor)
{
    if (descriptor.corrective)
        return true;
    for (const char* verb : { "Close", "Reverse", "Correct", "Delete", "Remove", "Deactivate" }) {
        if (descriptor.type.startsWith(QLatin1String(verb)))
            return true;
    }
    return false;
}

QHash<QString, QString> CommandConsole::commandDomains(Engine& engine)
{
    // Descriptors do not name their module: register each of the engine's standard modules into a scratch bus
    // (no I/O: the repositories exist already) to see which command types it brings.
    QHash<QString, QString> domains;
    const QStringList names = engine.moduleNames();
    for (const auto& module : Engine::standardModules()) {
        if (!names.contains(module->name()))
            continue;
        CommandBus scratch;
        if (!module->registerCommands(scratch, engine.repositories()))
            continue;
        for (const CommandDescriptor& descriptor : scratch.descriptors())
            domains.insert(descriptor.type, module->name());
    }
    return domains;
}

QList<FieldChange> CommandConsole::netChanges(const StreamHistory& history, StreamVersion from, StreamVersion to)
{
    std::map<QString, FieldChange> net;
    for (StreamVersion version = std::max<StreamVersion>(from + 1, 0); version <= to; ++version) {
        for (const FieldChange& change : history.diffAt(version)) {
            auto [it, inserted] = net.try_emplace(change.path, change);
            if (!inserted)
                it->second.newValue = change.newValue;
        }
    }
    QList<FieldChange> changes;
    for (auto& [path, change] : net) {
        if (change.oldValue == change.newValue)
            continue;
        if (change.oldValue.isUndefined())
            change.kind = FieldChange::Kind::Added;
        else if (change.newValue.isUndefined())
            change.kind = FieldChange::Kind::Removed;
        else
            change.kind = FieldChange::Kind::Changed;
        changes.append(change);
    }
    return changes;
}

void CommandConsole::populateCommands()
{
    const QString current = m_descriptor.type;
    m_building = true;
    m_commandList->clear();
    QMap<QString, QTreeWidgetItem*> groups;
    for (const CommandDescriptor& descriptor : std::as_const(m_descriptors)) {
        const QString domain = m_domains.value(descriptor.type);
        QTreeWidgetItem*& group = groups[domain];
        if (!group) {
            group = new QTreeWidgetItem(m_commandList);
            group->setText(0, domain.isEmpty() ? tr("Other") : domain.left(1).toUpper() + domain.mid(1));
            group->setFlags(Qt::ItemIsEnabled);
            QFont font = group->font(0);
            font.setBold(true);
            group->setFont(0, font);
        }
        auto* item = new QTreeWidgetItem(group);
        item->setText(0, descriptor.type + (descriptor.corrective ? tr(" (corrective)") : QString()));
        item->setData(0, CommandTypeRole, descriptor.type);
        QString toolTip = descriptor.help;
        if (!descriptor.allows(m_role) && m_role != Role::Auditor) {
            // Selectable, so that the form shows why; greyed out and the buttons stay off.
            item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
            toolTip += u'\n'
                + tr("Only developers may run %1; you are signed in as %2.").arg(descriptor.type, roleName(m_role));
        }
        item->setToolTip(0, toolTip);
    }
    m_commandList->sortItems(0, Qt::AscendingOrder);
    m_commandList->expandAll();
    m_building = false;
    filterCommands(m_search->text());
    if (!current.isEmpty())
        selectCommand(current);
}

void CommandConsole::filterCommands(const QString& text)
{
    const QString needle = text.trimmed();
    for (int g = 0; g < m_commandList->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_commandList->topLevelItem(g);
        bool anyVisible = false;
        for (int c = 0; c < group->childCount(); ++c) {
            QTreeWidgetItem* item = group->child(c);
            const bool visible = needle.isEmpty() || item->text(0).contains(needle, Qt::CaseInsensitive)
                || item->toolTip(0).contains(needle, Qt::CaseInsensitive)
                || group->text(0).contains(needle, Qt::CaseInsensitive);
            item->setHidden(!visible);
            anyVisible = anyVisible || visible;
        }
        group->setHidden(!anyVisible);
    }
}

bool CommandConsole::selectCommand(const QString& type)
{
    for (int g = 0; g < m_commandList->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_commandList->topLevelItem(g);
        for (int c = 0; c < group->childCount(); ++c) {
            if (group->child(c)->data(0, CommandTypeRole).toString() == type) {
                m_commandList->setCurrentItem(group->child(c));
                if (m_descriptor.type != type)
                    onCommandSelected();
                return true;
            }
        }
    }
    return false;
}

void CommandConsole::onCommandSelected()
{
    if (m_building)
        return;
    QTreeWidgetItem* item = m_commandList->currentItem();
    const QString type = item ? item->data(0, CommandTypeRole).toString() : QString();
    if (type == m_descriptor.type)
        return;
    m_descriptor = {};
    for (const CommandDescriptor& descriptor : std::as_const(m_descriptors)) {
        if (descriptor.type == type)
            m_descriptor = descriptor;
    }
    m_form->setDescriptor(m_descriptor);
    m_form->setReason(m_reason->text());
    m_form->setTicket(m_ticket->text());
    buildForm();
    invalidatePreview();
    m_status->clear();
    m_links->hide();
    m_newEvents->hide();
    m_newEventsLabel->hide();
    updateAccess();
    // Another domain reads the target as another stream.
    if (!m_targetEdit->text().trimmed().isEmpty() && (!m_target || m_target->streamId != resolveTarget().first))
        loadTarget();
}

void CommandConsole::buildForm()
{
    while (m_formLayout->rowCount() > 0)
        m_formLayout->removeRow(0);
    m_editors.clear();
    m_errorLabels.clear();

    m_commandTitle->setText(m_descriptor.type.isEmpty() ? tr("Pick a command on the left.") : m_descriptor.type);
    m_commandHelp->setText(m_descriptor.help);
    m_reasonLabel->setText(m_descriptor.corrective ? tr("&Reason *:") : tr("&Reason:"));
    m_reason->setPlaceholderText(
        m_descriptor.corrective ? tr("required: why must the data change?") : tr("optional: why you run this command"));
    if (m_descriptor.fields.isEmpty() && !m_descriptor.type.isEmpty()) {
        auto* none = new QLabel(tr("This command has no fields."), m_formBox);
        none->setObjectName(QStringLiteral("noFields"));
        m_formLayout->addRow(none);
    }
    for (const FieldDescriptor& field : std::as_const(m_descriptor.fields)) {
        QWidget* editor = editorFor(field);
        auto* column = new QVBoxLayout;
        column->setSpacing(1);
        column->addWidget(editor);
        if (!field.help.isEmpty()) {
            auto* help = new QLabel(field.help, m_formBox);
            help->setObjectName(QStringLiteral("help_") + field.name);
            help->setWordWrap(true);
            QFont small = help->font();
            small.setPointSizeF(small.pointSizeF() * 0.85);
            help->setFont(small);
            help->setForegroundRole(QPalette::PlaceholderText);
            column->addWidget(help);
        }
        auto* error = new QLabel(m_formBox);
        error->setObjectName(QStringLiteral("error_") + field.name);
        error->setStyleSheet(errorStyle(palette()));
        error->setWordWrap(true);
        error->hide();
        column->addWidget(error);
        m_errorLabels.insert(field.name, error);

        auto* label
            = new QLabel(field.name + (field.required ? QStringLiteral(" *:") : QStringLiteral(":")), m_formBox);
        label->setBuddy(editor);
        label->setToolTip(field.required ? tr("Required") : tr("Optional"));
        m_formLayout->addRow(label, column);
    }
    showErrors();
}

QWidget* CommandConsole::editorFor(const FieldDescriptor& field)
{
    const QString name = QStringLiteral("field_") + field.name;
    QString toolTip = field.help;
    const auto bounds = [&field](const QString& what) {
        if (field.minimum && field.maximum)
            return tr("%1 from %2 to %3").arg(what).arg(*field.minimum).arg(*field.maximum);
        if (field.minimum)
            return tr("%1 of at least %2").arg(what).arg(*field.minimum);
        if (field.maximum)
            return tr("%1 of at most %2").arg(what).arg(*field.maximum);
        return QString();
    };
    QWidget* editor = nullptr;
    const QString fieldName = field.name;
    if (field.type == FieldDescriptor::Type::Bool) {
        auto* check = new QCheckBox(m_formBox);
        connect(check, &QCheckBox::toggled, this, [this, fieldName, required = field.required](bool on) {
            m_form->setValue(fieldName, on ? QStringLiteral("true") : (required ? QStringLiteral("false") : QString()));
        });
        if (field.required)
            m_form->setValue(fieldName, QStringLiteral("false"));
        editor = check;
    } else if (field.type == FieldDescriptor::Type::Enum || !field.allowedValues.isEmpty()) {
        auto* combo = new QComboBox(m_formBox);
        combo->addItem(field.required ? tr("(choose)") : tr("(none)"), QString());
        for (const QString& value : field.allowedValues)
            combo->addItem(value, value);
        connect(combo, &QComboBox::currentIndexChanged, this,
            [this, combo, fieldName] { m_form->setValue(fieldName, combo->currentData().toString()); });
        toolTip += u'\n' + tr("One of: %1").arg(field.allowedValues.join(QStringLiteral(", ")));
        editor = combo;
    } else {
        auto* edit = new QLineEdit(m_formBox);
        switch (field.type) {
        case FieldDescriptor::Type::Int:
            edit->setPlaceholderText(tr("whole number"));
            edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
            if (const QString range = bounds(tr("a whole number")); !range.isEmpty())
                toolTip += u'\n' + range;
            break;
        case FieldDescriptor::Type::Decimal:
            edit->setPlaceholderText(tr("amount, like 12.34"));
            edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
            if (field.minimum || field.maximum) {
                // Decimal bounds are in cents.
                const auto amount = [](qint64 cents) {
                    return QStringLiteral("%1.%2").arg(cents / 100).arg(std::abs(cents % 100), 2, 10, QLatin1Char('0'));
                };
                if (field.minimum)
                    toolTip += u'\n' + tr("At least %1").arg(amount(*field.minimum));
                if (field.maximum)
                    toolTip += u'\n' + tr("At most %1").arg(amount(*field.maximum));
            }
            break;
        case FieldDescriptor::Type::Uuid:
            edit->setPlaceholderText(tr("UUID, like 123e4567-e89b-12d3-a456-426614174000"));
            break;
        default:
            if (const QString range = bounds(tr("text length")); !range.isEmpty())
                toolTip += u'\n' + range;
            break;
        }
        connect(edit, &QLineEdit::textChanged, this,
            [this, fieldName](const QString& text) { m_form->setValue(fieldName, text); });
        editor = edit;
    }
    editor->setObjectName(name);
    editor->setToolTip(toolTip.trimmed());
    m_editors.insert(field.name, editor);
    return editor;
}

void CommandConsole::updateAccess()
{
    QString notice;
    bool bodyEnabled = true;
    if (!m_engine) {
        notice = tr("No store is open: connect to a store to run commands.");
        bodyEnabled = false;
    } else if (m_role == Role::Auditor) {
        notice = tr("You are signed in as an auditor: auditors have read-only access, so the command console is "
                    "disabled. Connect as support or developer to run commands.");
        bodyEnabled = false;
    } else if (m_actor.trimmed().isEmpty()) {
        notice = tr("Commands need an actor: reconnect with your user name to run commands.");
    }
    m_roleNotice->setText(notice);
    m_roleNotice->setVisible(!notice.isEmpty());
    m_body->setEnabled(bodyEnabled);
    m_body->setToolTip(bodyEnabled ? QString() : notice);

    const bool allowed = !m_descriptor.type.isEmpty() && m_descriptor.allows(m_role);
    if (!m_descriptor.type.isEmpty() && !allowed && m_role != Role::Auditor) {
        m_commandNotice->setText(tr("Only developers may run %1; you are signed in as %2. Ask a developer, or use a "
                                    "corrective command if one fits.")
                                     .arg(m_descriptor.type, roleName(m_role)));
        m_commandNotice->show();
    } else {
        m_commandNotice->hide();
    }
    m_formBox->setEnabled(allowed);
    updateButtons();
}

void CommandConsole::updateButtons()
{
    const bool ready = m_engine && !m_descriptor.type.isEmpty() && m_descriptor.allows(m_role)
        && !m_actor.trimmed().isEmpty() && !m_running;
    m_dryRunButton->setEnabled(ready);
    const bool previewed = m_preview && m_preview->fingerprint == fingerprint();
    m_commitButton->setEnabled(ready && previewed);
    QString why;
    if (!m_descriptor.type.isEmpty() && !m_descriptor.allows(m_role))
        why = m_commandNotice->text();
    else if (!previewed)
        why = tr("Dry-run these inputs first: Commit writes what the last dry run showed.");
    m_commitButton->setToolTip(
        why.isEmpty() ? tr("Write the events of the dry run, at the version the dry run saw") : why);
}

void CommandConsole::showErrors()
{
    const QMap<QString, QString>& errors = m_form->errors();
    for (auto it = m_errorLabels.cbegin(); it != m_errorLabels.cend(); ++it) {
        const QString error = errors.value(it.key());
        it.value()->setText(error);
        it.value()->setVisible(!error.isEmpty());
        if (QWidget* editor = m_editors.value(it.key())) {
            editor->setProperty("invalid", !error.isEmpty());
            editor->setStyleSheet(error.isEmpty()
                    ? QString()
                    : QStringLiteral("border: 1px solid %1;").arg(StatusTint::errorText(palette()).name()));
        }
    }
    // The form owns a field called "reason" when the descriptor has one; else the key is the context's reason.
    const QString reasonError
        = m_descriptor.field(CommandFormModel::reasonKey()) ? QString() : errors.value(CommandFormModel::reasonKey());
    m_reasonError->setText(reasonError);
    m_reasonError->setVisible(!reasonError.isEmpty());
}

void CommandConsole::inputsChanged()
{
    updateButtons();
}

void CommandConsole::invalidatePreview()
{
    m_preview.reset();
    m_previewEvents->clear();
    m_diff->clear();
    updateButtons();
}

std::pair<QString, QString> CommandConsole::resolveTarget() const
{
    const QString text = m_targetEdit->text().trimmed();
    const QString domain = m_domains.value(m_descriptor.type);
    if (domain.isEmpty())
        return { text, text };
    const QString prefix = domain + u'-';
    if (text.startsWith(prefix))
        return { text, text.mid(prefix.size()) };
    return { prefix + text, text };
}

QString CommandConsole::foreignDomain() const
{
    const QString text = m_targetEdit->text().trimmed();
    const QString domain = m_domains.value(m_descriptor.type);
    if (domain.isEmpty())
        return {};
    for (const QString& other : std::as_const(m_domains)) {
        if (other != domain && text.startsWith(other + u'-'))
            return other;
    }
    return {};
}

QString CommandConsole::fingerprint() const
{
    return m_form->inputsFingerprint() + u'\n' + resolveTarget().first;
}

void CommandConsole::refreshTarget()
{
    loadTarget();
}

void CommandConsole::loadTarget()
{
    const quint64 generation = ++m_targetGeneration;
    const QString streamId = resolveTarget().first;
    if (!m_engine || streamId.isEmpty()) {
        m_target.reset();
        m_targetStatus->setText(m_engine ? tr("Give the id of the aggregate to change.") : QString());
        m_targetState->clear();
        return;
    }
    m_targetStatus->setText(tr("Loading %1…").arg(streamId));
    auto* watcher = new QFutureWatcher<TargetState>(this);
    connect(watcher, &QFutureWatcher<TargetState>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_targetGeneration)
            return; // the user moved on
        showTarget(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, streamId] { return readTarget(*engine, streamId); }));
}

void CommandConsole::showTarget(const TargetState& target)
{
    m_target = target;
    if (!target.error.isEmpty()) {
        m_targetStatus->setText(target.error);
        m_targetState->clear();
        return;
    }
    if (target.version == NoStreamVersion)
        m_targetStatus->setText(
            tr("%1 does not exist yet (no events): a command creating it starts at version 0.").arg(target.streamId));
    else
        m_targetStatus->setText(tr("%1 at version %2").arg(target.streamId).arg(target.version));
    m_targetState->setPlainText(indentedJson(target.state));
    // The preview was decided on another version: it no longer says what a commit would do.
    if (m_preview && m_preview->version != target.version) {
        invalidatePreview();
        setStatus(tr("%1 changed since the dry run (now at version %2): dry-run again.")
                      .arg(target.streamId)
                      .arg(target.version),
            true);
    }
}

void CommandConsole::dryRun()
{
    if (!m_engine || m_descriptor.type.isEmpty())
        return;
    m_links->hide();
    m_newEvents->hide();
    m_newEventsLabel->hide();
    const bool valid = m_form->validate();
    if (resolveTarget().second.isEmpty()) {
        invalidatePreview();
        setStatus(tr("Give the id of the aggregate to change, then dry-run again."), true);
        return;
    }
    if (const QString other = foreignDomain(); !other.isEmpty()) {
        invalidatePreview();
        setStatus(tr("%1 is a %2 stream, but %3 changes %4 aggregates: pick a %2 command, or give the id of a %4.")
                      .arg(target(), other, m_descriptor.type, m_domains.value(m_descriptor.type)),
            true);
        return;
    }
    if (!valid) {
        invalidatePreview();
        setStatus(
            tr("Some values need correcting (%1): see the messages under the fields.").arg(m_form->errors().size()),
            true);
        return;
    }
    dispatch(true);
}

void CommandConsole::commit()
{
    if (!m_preview || m_preview->fingerprint != fingerprint() || m_running)
        return;
    if (!isDestructive(m_descriptor)) {
        runConfirmed();
        return;
    }
    if (m_confirmation)
        m_confirmation->deleteLater();
    m_confirmation = new QMessageBox(QMessageBox::Warning, tr("Confirm %1").arg(m_descriptor.type),
        tr("%1 changes %2 for good: the events are appended and cannot be taken back (only corrected by "
           "further events).")
            .arg(m_descriptor.type, resolveTarget().first),
        QMessageBox::Cancel, this);
    m_confirmation->setObjectName(QStringLiteral("confirmDialog"));
    m_confirmation->setInformativeText(changeSummary());
    QPushButton* yes
        = m_confirmation->addButton(tr("Write %1").arg(eventCount(m_preview->events.size())), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirmation, &QMessageBox::finished, this, [this, box = m_confirmation, yes] {
        const bool confirmed = box->clickedButton() == yes;
        box->deleteLater();
        if (confirmed)
            runConfirmed();
        else
            setStatus(tr("Nothing was written: the commit was cancelled."), false);
    });
    m_confirmation->open();
}

QString CommandConsole::changeSummary() const
{
    if (!m_preview)
        return {};
    QStringList lines;
    for (const EventData& event : m_preview->events)
        lines.append(tr("• writes %1").arg(event.eventType));
    // Short enough to read before saying yes: long values are cut, and of a list (an account's last transactions)
    // only the entries that change are named.
    constexpr qsizetype MaxValueLength = 120;
    constexpr int MaxListEntries = 3;
    const auto brief = [](const QJsonValue& value) {
        QString text = valueText(value);
        if (text.size() > MaxValueLength)
            text = text.left(MaxValueLength - 1) + u'…';
        return text;
    };
    for (const FieldChange& change : m_preview->changes) {
        switch (change.kind) {
        case FieldChange::Kind::Changed:
            if (change.oldValue.isArray() && change.newValue.isArray()) {
                const QJsonArray before = change.oldValue.toArray();
                const QJsonArray after = change.newValue.toArray();
                if (before.size() != after.size())
                    lines.append(
                        tr("• %1: %2 entries → %3 entries").arg(change.path).arg(before.size()).arg(after.size()));
                int shown = 0;
                int more = 0;
                for (qsizetype i = 0; i < std::max(before.size(), after.size()); ++i) {
                    const QJsonValue was = i < before.size() ? before.at(i) : QJsonValue(QJsonValue::Undefined);
                    const QJsonValue now = i < after.size() ? after.at(i) : QJsonValue(QJsonValue::Undefined);
                    if (was == now)
                        continue;
                    if (shown == MaxListEntries) {
                        ++more;
                        continue;
                    }
                    ++shown;
                    const QString path = QStringLiteral("%1[%2]").arg(change.path).arg(i);
                    if (was.isUndefined())
                        lines.append(tr("• %1: set to %2").arg(path, brief(now)));
                    else if (now.isUndefined())
                        lines.append(tr("• %1: removed (was %2)").arg(path, brief(was)));
                    else
                        lines.append(tr("• %1: %2 → %3").arg(path, brief(was), brief(now)));
                }
                if (more > 0)
                    lines.append(tr("• %1: %n more entries change", nullptr, more).arg(change.path));
                break;
            }
            lines.append(tr("• %1: %2 → %3").arg(change.path, brief(change.oldValue), brief(change.newValue)));
            break;
        case FieldChange::Kind::Added:
            lines.append(tr("• %1: set to %2").arg(change.path, brief(change.newValue)));
            break;
        case FieldChange::Kind::Removed:
            lines.append(tr("• %1: removed (was %2)").arg(change.path, brief(change.oldValue)));
            break;
        }
    }
    lines.append(
        tr("At version %1 of %2; reason: %3")
            .arg(m_preview->version)
            .arg(resolveTarget().first, m_form->reason().trimmed().isEmpty() ? tr("(none)") : m_form->reason()));
    return lines.join(u'\n');
}

void CommandConsole::runConfirmed()
{
    if (!m_preview || m_preview->fingerprint != fingerprint())
        return;
    dispatch(false);
}

void CommandConsole::dispatch(bool dryRun)
{
    const quint64 generation = ++m_runGeneration;
    const auto target = resolveTarget();
    const QString streamId = target.first;
    const Command command = m_form->command(target.second);
    CommandContext context = m_form->context({});
    context.actor = m_actor;
    context.role = m_role;
    context.dryRun = dryRun;
    const QString print = fingerprint();
    const StreamVersion expected = dryRun ? NoStreamVersion : m_preview->version;
    m_running = true;
    updateButtons();
    setStatus(dryRun ? tr("Dry run of %1 on %2…").arg(command.type, streamId)
                     : tr("Writing %1 on %2 at version %3…").arg(command.type, streamId).arg(expected),
        false);

    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_runGeneration)
            return;
        m_running = false;
        onOutcome(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [engine = m_engine, command, context, streamId, generation, dryRun, print, expected]() mutable {
            Outcome outcome;
            outcome.generation = generation;
            outcome.dryRun = dryRun;
            outcome.fingerprint = print;
            if (dryRun) {
                // Decide on the state shown: read it, then dry-run at exactly that version.
                outcome.target = readTarget(*engine, streamId);
                if (!outcome.target.error.isEmpty()) {
                    outcome.readError = outcome.target.error;
                    return outcome;
                }
                outcome.expectedVersion = outcome.target.version;
                context.expectedVersion = outcome.target.version;
                outcome.result = engine->dispatch(command, context);
                if (!outcome.result.ok() || outcome.result.events.isEmpty())
                    return outcome;
                // The diff comes from the same fold as time travel: the stored events plus the proposed ones.
                QList<RecordedEvent> events = outcome.target.events;
                StreamVersion version = outcome.target.version;
                for (const EventData& event : std::as_const(outcome.result.events)) {
                    RecordedEvent proposed;
                    proposed.streamId = streamId;
                    proposed.streamVersion = ++version;
                    proposed.eventId = event.eventId;
                    proposed.eventType = event.eventType;
                    proposed.schemaVersion = event.schemaVersion;
                    proposed.payload = QJsonDocument(event.payload).toJson(QJsonDocument::Compact);
                    proposed.metadata = QJsonDocument(event.metadata).toJson(QJsonDocument::Compact);
                    proposed.recordedAt = QDateTime::currentDateTimeUtc();
                    events.append(proposed);
                }
                const StreamHistory history
                    = StreamHistory::build(events, &engine->registry(), engine->aggregateFactory(streamId));
                if (history.error())
                    outcome.readError
                        = tr("Could not compute the state after the command: %1").arg(history.error()->message());
                else
                    outcome.changes = netChanges(history, outcome.target.version, history.lastVersion());
                return outcome;
            }
            outcome.expectedVersion = expected;
            context.expectedVersion = expected;
            outcome.result = engine->dispatch(command, context);
            const bool conflict = !outcome.result.ok() && outcome.result.error->code() == CommandError::Code::Conflict;
            if (outcome.result.ok() || conflict) {
                auto events = readWholeStream(*engine, streamId, expected + 1);
                if (!events) {
                    outcome.readError = events.error().message();
                } else {
                    outcome.newEvents = std::move(events).value();
                    if (outcome.result.ok()) {
                        // Only ours: a later writer's events are not links to what this commit did.
                        QList<RecordedEvent> ours;
                        for (const RecordedEvent& event : std::as_const(outcome.newEvents)) {
                            for (const EventData& written : std::as_const(outcome.result.events)) {
                                if (written.eventId == event.eventId)
                                    ours.append(event);
                            }
                        }
                        outcome.newEvents = ours;
                    }
                }
            }
            return outcome;
        }));
}

void CommandConsole::onOutcome(const Outcome& outcome)
{
    if (outcome.fingerprint != fingerprint()) {
        // The target or the inputs changed while it ran: its state and version belong to what was there before.
        if (!outcome.dryRun && outcome.result.ok())
            Q_EMIT eventsWritten({}); // it did write; the explorer shows it
        setStatus(outcome.dryRun
                ? tr("The dry run finished for inputs you have changed since; dry-run again.")
                : tr("The command you committed finished after you changed the inputs: %1")
                      .arg(outcome.result.ok() ? tr("it was written.") : outcome.result.error->message()),
            !outcome.result.ok());
        loadTarget();
        updateButtons();
        return;
    }
    const QString streamId = resolveTarget().first;
    if (outcome.dryRun) {
        showTarget(outcome.target);
        if (!outcome.readError.isEmpty() && !outcome.result.error) {
            invalidatePreview();
            setStatus(outcome.readError, true);
            updateButtons();
            return;
        }
        if (!outcome.result.ok()) {
            invalidatePreview();
            const CommandError& error = *outcome.result.error;
            if (error.code() == CommandError::Code::Validation && !error.fieldErrors().isEmpty())
                m_form->validate(); // the core found what the form shows
            setStatus(tr("The dry run was refused (%1): %2").arg(CommandError::codeName(error.code()), error.message()),
                true);
            updateButtons();
            return;
        }
        m_preview = Preview { outcome.fingerprint, outcome.expectedVersion, outcome.result.events, outcome.changes };
        showResultEvents(outcome.result.events);
        showDiff(outcome.changes);
        if (outcome.result.events.isEmpty())
            setStatus(tr("The command would change nothing on %1 (version %2). Commit would write no event.")
                          .arg(streamId)
                          .arg(outcome.expectedVersion),
                false);
        else
            setStatus(tr("Dry run: %1 would be written to %2 at version %3. Nothing was written yet; check them "
                         "and the changes below, then Commit.")
                          .arg(eventCount(outcome.result.events.size()), streamId)
                          .arg(outcome.expectedVersion),
                false);
        updateButtons();
        return;
    }

    // Commit.
    if (outcome.result.ok()) {
        m_preview.reset();
        QList<GlobalPosition> positions;
        QStringList links;
        for (const RecordedEvent& event : outcome.newEvents) {
            positions.append(event.position);
            links.append(QStringLiteral("<a href=\"position:%1\">#%1 %2</a>")
                             .arg(event.position)
                             .arg(event.eventType.toHtmlEscaped()));
        }
        setStatus(tr("Done: %1 written to %2, now at version %3.")
                      .arg(eventCount(outcome.result.events.size()), streamId)
                      .arg(outcome.result.newVersion),
            false);
        if (!links.isEmpty()) {
            m_links->setText(tr("Show in the explorer: %1").arg(links.join(QStringLiteral(" · "))));
            m_links->show();
        } else if (!outcome.readError.isEmpty()) {
            m_links->setText(
                tr("The events were written, but could not be listed: %1").arg(outcome.readError.toHtmlEscaped()));
            m_links->show();
        }
        if (!positions.isEmpty())
            Q_EMIT eventsWritten(positions);
        loadTarget();
        updateButtons();
        return;
    }

    const CommandError& error = *outcome.result.error;
    if (error.code() == CommandError::Code::Conflict) {
        m_preview.reset();
        m_previewEvents->clear();
        m_diff->clear();
        showNewEvents(outcome.newEvents);
        setStatus(tr("Nothing was written: %1 changed since your dry run at version %2 (now at version %3; the "
                     "new events are listed below). Check them and dry-run again.")
                      .arg(streamId)
                      .arg(outcome.expectedVersion)
                      .arg(error.actualVersion().value_or(NoStreamVersion)),
            true);
        loadTarget();
    } else {
        QString kind;
        switch (error.code()) {
        case CommandError::Code::Validation:
            kind = tr("Some values need correcting");
            m_form->validate();
            break;
        case CommandError::Code::Unauthorized:
            kind = tr("Not allowed");
            break;
        case CommandError::Code::Conflict:
            break;
        case CommandError::Code::DomainRuleViolated:
            kind = tr("Refused by the domain's rules");
            break;
        case CommandError::Code::StoreUnavailable:
            kind = tr("The event store is unavailable");
            break;
        case CommandError::Code::UnknownCommand:
            kind = tr("Unknown command");
            break;
        case CommandError::Code::HandlerFailed:
            kind = tr("The command's handler failed (a bug: report it)");
            break;
        }
        if (error.code() == CommandError::Code::StoreUnavailable) {
            // A call that timed out may still commit: the outcome is unknown until the stream is read again.
            setStatus(tr("%1: %2. Whether the events were written is not known: the target is being read again; "
                         "if they are not there, dry-run and commit again.")
                          .arg(kind, error.message()),
                true);
            m_preview.reset();
            loadTarget();
        } else {
            setStatus(tr("Nothing was written. %1: %2").arg(kind, error.message()), true);
        }
    }
    updateButtons();
}

void CommandConsole::showResultEvents(const QList<EventData>& events)
{
    m_previewEvents->clear();
    for (const EventData& event : events) {
        auto* item = new QTreeWidgetItem(m_previewEvents);
        item->setText(0, event.eventType);
        item->setText(1, compactJson(event.payload));
        const QString full = tr("%1 (schema %2)\nPayload:\n%3\nMetadata:\n%4")
                                 .arg(event.eventType)
                                 .arg(event.schemaVersion)
                                 .arg(indentedJson(event.payload), indentedJson(event.metadata));
        item->setToolTip(0, full);
        item->setToolTip(1, full);
    }
    m_previewEvents->resizeColumnToContents(0);
}

void CommandConsole::showDiff(const QList<FieldChange>& changes)
{
    m_diff->clear();
    for (const FieldChange& change : changes) {
        auto* item = new QTreeWidgetItem(m_diff);
        item->setText(0, change.path);
        item->setText(1, valueText(change.oldValue));
        item->setText(2, valueText(change.newValue));
        item->setData(0, Qt::UserRole, int(change.kind));
        for (int column = 0; column < 3; ++column)
            item->setBackground(column, StatusTint::over(palette(), diffTint(change.kind)));
        item->setToolTip(0,
            change.kind == FieldChange::Kind::Added         ? tr("added")
                : change.kind == FieldChange::Kind::Removed ? tr("removed")
                                                            : tr("changed"));
    }
    m_diff->resizeColumnToContents(0);
}

void CommandConsole::showNewEvents(const QList<RecordedEvent>& events)
{
    m_newEvents->clear();
    for (const RecordedEvent& event : events) {
        auto* item = new QTreeWidgetItem(m_newEvents);
        item->setText(0, QString::number(event.streamVersion));
        item->setText(1, event.eventType);
        item->setText(2, event.metadataObject().value(QLatin1String("actor")).toString());
        item->setText(3, QString::fromUtf8(event.payload));
        item->setData(0, Qt::UserRole, event.position);
        item->setToolTip(
            1, tr("Position %1, recorded %2").arg(event.position).arg(event.recordedAt.toString(Qt::ISODate)));
    }
    m_newEventsLabel->setVisible(true);
    m_newEvents->setVisible(true);
    for (int column = 0; column < 3; ++column)
        m_newEvents->resizeColumnToContents(column);
    disconnect(m_newEvents, &QTreeWidget::itemActivated, this, nullptr);
    connect(m_newEvents, &QTreeWidget::itemActivated, this,
        [this](QTreeWidgetItem* item) { Q_EMIT showEventRequested(item->data(0, Qt::UserRole).toLongLong()); });
}

void CommandConsole::setStatus(const QString& text, bool error)
{
    m_statusIsError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? errorStyle(palette()) : QString());
}

void CommandConsole::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    // The error reds and diff tints are picked for the palette: follow a switch between light and dark.
    m_status->setStyleSheet(m_statusIsError ? errorStyle(palette()) : QString());
    m_reasonError->setStyleSheet(errorStyle(palette()));
    for (QLabel* label : std::as_const(m_errorLabels))
        label->setStyleSheet(errorStyle(palette()));
    showErrors();
    for (int row = 0; row < m_diff->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = m_diff->topLevelItem(row);
        const auto kind = FieldChange::Kind(item->data(0, Qt::UserRole).toInt());
        for (int column = 0; column < 3; ++column)
            item->setBackground(column, StatusTint::over(palette(), diffTint(kind)));
    }
}

} // namespace EventScope
