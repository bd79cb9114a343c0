// SPDX-License-Identifier: Apache-2.0
#include "connectiondialog.h"

#include "eventstore/postgresconnection.h"
#include "eventstore/sqleventstore.h"
#include "recentconnectionsmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace EventScope {

namespace {

constexpr int SqliteTab = 0;
constexpr int PostgresTab = 1;
/// A connection test should answer soon: an unreachable host is reported after this long at most.
constexpr std::chrono::milliseconds TestConnectTimeout { 10000 };

const QString StoreFileFilter = QStringLiteral("*.db *.sqlite *.sqlite3 *.eventscope");

QLabel* noteLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

ConnectionDialog::ConnectionDialog(RecentConnectionsModel* recent, QWidget* parent)
    : QDialog(parent)
    , m_recent(recent)
{
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(tr("Connect to an Event Store"));

    // Recent connections, left.
    auto* recentLabel = new QLabel(tr("&Recent connections"), this);
    m_recentList = new QListView(this);
    m_recentList->setObjectName(QStringLiteral("recentList"));
    m_recentList->setModel(recent);
    m_recentList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recentList->setUniformItemSizes(true);
    m_recentList->setMinimumWidth(240);
    m_recentList->setToolTip(tr("Stores opened lately: click to fill in the form, double-click to open. "
                                "Delete forgets the selected one. Passwords are never remembered."));
    recentLabel->setBuddy(m_recentList);
    auto* forgetAction = new QAction(tr("Forget"), m_recentList);
    forgetAction->setObjectName(QStringLiteral("forgetRecentAction"));
    forgetAction->setShortcut(QKeySequence::Delete);
    forgetAction->setShortcutContext(Qt::WidgetShortcut);
    m_recentList->addAction(forgetAction);
    m_recentList->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(forgetAction, &QAction::triggered, this, &ConnectionDialog::forgetSelectedRecent);
    m_forgetButton = new QPushButton(tr("&Forget"), this);
    m_forgetButton->setObjectName(QStringLiteral("forgetRecentButton"));
    m_forgetButton->setToolTip(tr("Remove the selected connection from the recent list (Delete)."));
    connect(m_forgetButton, &QPushButton::clicked, this, &ConnectionDialog::forgetSelectedRecent);
    auto* recentLayout = new QVBoxLayout;
    recentLayout->addWidget(recentLabel);
    recentLayout->addWidget(m_recentList, 1);
    recentLayout->addWidget(m_forgetButton, 0, Qt::AlignLeft);
    if (m_recent) {
        connect(m_recentList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                m_forgetButton->setEnabled(current.isValid());
                if (current.isValid())
                    fillFromRecent(current);
            });
        connect(m_recentList, &QListView::doubleClicked, this, [this](const QModelIndex& index) {
            fillFromRecent(index);
            accept();
        });
    } else {
        recentLabel->hide();
        m_recentList->hide();
    }
    m_forgetButton->setEnabled(false);
    m_forgetButton->setVisible(m_recent != nullptr);

    // The store, right.
    m_backendTabs = new QTabWidget(this);
    m_backendTabs->setObjectName(QStringLiteral("backendTabs"));
    m_backendTabs->addTab(buildSqliteTab(), tr("&SQLite file"));
    m_backendTabs->addTab(buildPostgresTab(), tr("&PostgreSQL"));
    m_backendTabs->setTabToolTip(SqliteTab, tr("A store in one file on this computer."));
    m_backendTabs->setTabToolTip(PostgresTab, tr("A store in a PostgreSQL database, shared by several people."));
    connect(m_backendTabs, &QTabWidget::currentChanged, this, &ConnectionDialog::onFormEdited);

    m_role = new QComboBox(this);
    m_role->setObjectName(QStringLiteral("roleCombo"));
    m_role->addItem(tr("Auditor — reads only"), int(Role::Auditor));
    m_role->addItem(tr("Support — corrective commands"), int(Role::Support));
    m_role->addItem(tr("Developer — every command"), int(Role::Developer));
    m_role->setToolTip(tr("What this session may do. Auditors open stores read-only and issue no command."));
    m_readOnly = new QCheckBox(tr("Open read-&only"), this);
    m_readOnly->setObjectName(QStringLiteral("readOnlyCheck"));
    m_readOnly->setToolTip(tr("Nothing is created, upgraded or appended: the store stays exactly as it is."));
    connect(m_role, &QComboBox::currentIndexChanged, this, &ConnectionDialog::onRoleChanged);
    connect(m_readOnly, &QCheckBox::toggled, this, [this](bool checked) {
        if (m_readOnly->isEnabled())
            m_readOnlyChoice = checked;
        onFormEdited();
    });
    auto* sessionForm = new QFormLayout;
    auto* roleLabel = new QLabel(tr("R&ole:"), this);
    roleLabel->setBuddy(m_role);
    sessionForm->addRow(roleLabel, m_role);
    sessionForm->addRow(QString(), m_readOnly);

    m_validation = new QLabel(this);
    m_validation->setObjectName(QStringLiteral("validationLabel"));
    m_validation->setWordWrap(true);

    m_messageFrame = new QFrame(this);
    m_messageFrame->setObjectName(QStringLiteral("messageFrame"));
    m_message = new QLabel(m_messageFrame);
    m_message->setObjectName(QStringLiteral("testMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_testProgress = new QProgressBar(m_messageFrame);
    m_testProgress->setObjectName(QStringLiteral("testProgress"));
    m_testProgress->setRange(0, 0);
    m_testProgress->setMaximumHeight(6);
    m_testProgress->setTextVisible(false);
    m_testProgress->hide();
    auto* messageLayout = new QVBoxLayout(m_messageFrame);
    messageLayout->addWidget(m_message);
    messageLayout->addWidget(m_testProgress);
    m_messageFrame->hide();

    m_testButton = new QPushButton(tr("&Test Connection"), this);
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_testButton->setToolTip(tr("Open the store read-only and report what is there, without changing anything."));
    m_testButton->setAutoDefault(false);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("buttonBox"));
    m_openButton = m_buttons->button(QDialogButtonBox::Open);
    m_openButton->setObjectName(QStringLiteral("openButton"));
    m_openButton->setDefault(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_testButton);
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_buttons);

    auto* storeLayout = new QVBoxLayout;
    storeLayout->addWidget(m_backendTabs);
    storeLayout->addLayout(sessionForm);
    storeLayout->addWidget(m_validation);
    storeLayout->addWidget(m_messageFrame);
    storeLayout->addStretch(1);
    storeLayout->addLayout(buttonRow);

    auto* layout = new QHBoxLayout(this);
    layout->addLayout(recentLayout);
    layout->addLayout(storeLayout, 1);

    const std::optional<Role> last = m_recent ? m_recent->lastRole() : std::nullopt;
    setRole(last.value_or(Role::Auditor));
    onRoleChanged();
    onFormEdited();
    resize(760, 460);
}

ConnectionDialog::~ConnectionDialog() = default;

QWidget* ConnectionDialog::buildSqliteTab()
{
    auto* tab = new QWidget(this);
    m_sqlitePath = new QLineEdit(tab);
    m_sqlitePath->setObjectName(QStringLiteral("sqlitePathEdit"));
    m_sqlitePath->setPlaceholderText(tr("Path of a store file, e.g. events.db"));
    m_sqlitePath->setClearButtonEnabled(true);
    m_sqlitePath->setToolTip(tr("The SQLite file holding the store. A file that does not exist yet is created "
                                "as a new, empty store when you open it (unless read-only)."));
    connect(m_sqlitePath, &QLineEdit::textChanged, this, &ConnectionDialog::onFormEdited);
    m_browseButton = new QPushButton(tr("&Browse…"), tab);
    m_browseButton->setObjectName(QStringLiteral("browseButton"));
    m_browseButton->setToolTip(tr("Choose an existing store file."));
    m_browseButton->setAutoDefault(false);
    connect(m_browseButton, &QPushButton::clicked, this, &ConnectionDialog::browseForStore);
    m_newButton = new QPushButton(tr("&New…"), tab);
    m_newButton->setObjectName(QStringLiteral("newStoreButton"));
    m_newButton->setToolTip(tr("Choose where to create a new, empty store; it is created when you open it."));
    m_newButton->setAutoDefault(false);
    connect(m_newButton, &QPushButton::clicked, this, &ConnectionDialog::chooseNewStore);

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_sqlitePath, 1);
    pathRow->addWidget(m_browseButton);
    pathRow->addWidget(m_newButton);
    auto* form = new QFormLayout(tab);
    auto* label = new QLabel(tr("F&ile:"), tab);
    label->setBuddy(m_sqlitePath);
    form->addRow(label, pathRow);
    form->addRow(QString(),
        noteLabel(tr("Several EventScope windows and programs may use one file at a time; it should be on a local "
                     "disk, not a network share."),
            tab));
    return tab;
}

QWidget* ConnectionDialog::buildPostgresTab()
{
    auto* tab = new QWidget(this);
    auto* form = new QFormLayout(tab);
    const auto addRow = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, tab);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    m_host = new QLineEdit(QStringLiteral("localhost"), tab);
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_host->setToolTip(tr("Host name or address of the PostgreSQL server, or the folder of its Unix socket."));
    m_port = new QSpinBox(tab);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(PostgresConnection::DefaultPort);
    m_port->setGroupSeparatorShown(false);
    m_port->setToolTip(tr("TCP port of the server; PostgreSQL listens on 5432 unless configured otherwise."));
    auto* hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    auto* portLabel = new QLabel(tr("Po&rt:"), tab);
    portLabel->setBuddy(m_port);
    hostRow->addWidget(portLabel);
    hostRow->addWidget(m_port);
    auto* hostLabel = new QLabel(tr("&Host:"), tab);
    hostLabel->setBuddy(m_host);
    form->addRow(hostLabel, hostRow);

    m_database = new QLineEdit(tab);
    m_database->setObjectName(QStringLiteral("databaseEdit"));
    m_database->setPlaceholderText(tr("e.g. events"));
    m_database->setToolTip(tr("Name of the database that holds (or will hold) the store."));
    addRow(tr("&Database:"), m_database);
    m_user = new QLineEdit(tab);
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_user->setPlaceholderText(tr("your login name"));
    m_user->setToolTip(tr("PostgreSQL user (role) to connect as."));
    addRow(tr("&User:"), m_user);
    m_password = new QLineEdit(tab);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("Used for this session only: EventScope never writes it down. Leave it empty when "
                              "the server needs none or ~/.pgpass holds it."));
    addRow(tr("Pass&word:"), m_password);
    form->addRow(QString(), noteLabel(tr("The password is not remembered; you are asked again next time."), tab));
    m_sslMode = new QComboBox(tab);
    m_sslMode->setObjectName(QStringLiteral("sslModeCombo"));
    for (const QString& mode : { QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"),
             QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full") })
        m_sslMode->addItem(mode, mode);
    m_sslMode->setCurrentIndex(m_sslMode->findData(QStringLiteral("prefer")));
    m_sslMode->setToolTip(tr("prefer: SSL when the server offers it. require: SSL or nothing. verify-ca / "
                             "verify-full: also check the server's certificate (and host name)."));
    addRow(tr("SS&L mode:"), m_sslMode);
    m_schema = new QLineEdit(StoreSettings().postgresSchema, tab);
    m_schema->setObjectName(QStringLiteral("schemaEdit"));
    m_schema->setToolTip(tr("PostgreSQL schema holding the store's tables; created when missing (unless "
                            "read-only)."));
    addRow(tr("S&chema:"), m_schema);

    for (QLineEdit* edit : { m_host, m_database, m_user, m_password, m_schema })
        connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::onFormEdited);
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectionDialog::onFormEdited);
    connect(m_sslMode, &QComboBox::currentIndexChanged, this, &ConnectionDialog::onFormEdited);
    return tab;
}

bool ConnectionDialog::isPostgres() const
{
    return m_backendTabs->currentIndex() == PostgresTab;
}

StoreSettings ConnectionDialog::settings() const
{
    StoreSettings settings = m_base;
    if (isPostgres()) {
        PostgresConnection connection;
        connection.host = m_host->text().trimmed();
        connection.port = m_port->value();
        connection.database = m_database->text().trimmed();
        connection.user = m_user->text().trimmed();
        connection.password = m_password->text();
        connection.sslMode = m_sslMode->currentData().toString();
        connection.otherOptions = m_otherPostgresOptions;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = connection.toConnectionString();
        const QString schema = m_schema->text().trimmed();
        settings.postgresSchema = schema.isEmpty() ? StoreSettings().postgresSchema : schema;
    } else {
        settings.backend = StoreSettings::Backend::Sqlite;
        settings.connection = m_sqlitePath->text().trimmed();
    }
    settings.readOnly = m_readOnly->isChecked();
    settings.createIfMissing = !settings.readOnly;
    return settings;
}

void ConnectionDialog::setSettings(const StoreSettings& settings)
{
    m_base = settings;
    m_filling = true;
    QString parseProblem;
    if (settings.backend == StoreSettings::Backend::Postgres) {
        m_backendTabs->setCurrentIndex(PostgresTab);
        const auto parsed = PostgresConnection::parse(settings.connection);
        if (parsed) {
            m_host->setText(parsed->host);
            m_port->setValue(parsed->port);
            m_database->setText(parsed->database);
            m_user->setText(parsed->user);
            m_password->setText(parsed->password);
            const int ssl = m_sslMode->findData(parsed->sslMode.isEmpty() ? QStringLiteral("prefer") : parsed->sslMode);
            m_sslMode->setCurrentIndex(std::max(ssl, 0));
            m_otherPostgresOptions = parsed->otherOptions;
        } else {
            parseProblem = parsed.error().message();
        }
        m_schema->setText(settings.postgresSchema);
    } else {
        m_backendTabs->setCurrentIndex(SqliteTab);
        m_sqlitePath->setText(QDir::toNativeSeparators(settings.connection));
    }
    m_readOnlyChoice = settings.readOnly;
    if (m_readOnly->isEnabled())
        m_readOnly->setChecked(settings.readOnly);
    m_filling = false;
    onFormEdited();
    if (!parseProblem.isEmpty())
        showMessage(MessageKind::Problem,
            QStringLiteral("<b>%1</b><br>%2").arg(tr("Connection settings not valid"), parseProblem.toHtmlEscaped()));
}

Role ConnectionDialog::role() const
{
    return Role(m_role->currentData().toInt());
}

void ConnectionDialog::setRole(Role role)
{
    if (!m_role->isEnabled() && m_role->count() > 0)
        return; // fixed by configuration
    m_role->setCurrentIndex(std::max(0, m_role->findData(int(role))));
}

void ConnectionDialog::setFixedRole(std::optional<Role> role)
{
    m_role->setEnabled(true);
    if (role) {
        setRole(*role);
        m_role->setEnabled(false);
        m_role->setToolTip(tr("Fixed by the configuration."));
    }
}

QString ConnectionDialog::describe(const StoreSettings& settings)
{
    return RecentConnectionsModel::describe(settings);
}

QString ConnectionDialog::testMessage() const
{
    if (m_messageFrame->isHidden())
        return {};
    return QTextDocumentFragment::fromHtml(m_message->text()).toPlainText();
}

void ConnectionDialog::onRoleChanged()
{
    const bool auditor = role() == Role::Auditor;
    // Disabled first, so that forcing the box for an auditor does not overwrite the person's own choice.
    m_readOnly->setEnabled(!auditor);
    m_readOnly->setChecked(auditor || m_readOnlyChoice);
    m_readOnly->setToolTip(auditor ? tr("Auditors always open stores read-only.")
                                   : tr("Nothing is created, upgraded or appended: the store stays exactly as it is."));
    onFormEdited();
}

QString ConnectionDialog::validationProblem() const
{
    if (isPostgres()) {
        if (m_host->text().trimmed().isEmpty())
            return tr("Enter the server's host name (localhost for this computer).");
        if (m_database->text().trimmed().isEmpty())
            return tr("Enter the name of the database.");
        return {};
    }
    if (m_sqlitePath->text().trimmed().isEmpty())
        return tr("Choose a store file with Browse…, or New… for a new store.");
    return {};
}

void ConnectionDialog::onFormEdited()
{
    if (m_filling || !m_openButton)
        return;
    const QString problem = validationProblem();
    m_validation->setText(problem);
    m_validation->setVisible(!problem.isEmpty());
    m_openButton->setEnabled(problem.isEmpty());
    // A result shown for other settings would mislead: forget it, and drop a test still running.
    ++m_generation;
    m_testing = false;
    m_testProgress->hide();
    m_testButton->setEnabled(problem.isEmpty());
    clearMessage();
}

void ConnectionDialog::testConnection()
{
    if (!validationProblem().isEmpty())
        return;
    StoreSettings tested = settings();
    const bool wouldWrite = !tested.readOnly;
    tested.readOnly = true;
    tested.createIfMissing = false;
    tested.connectTimeout = std::min(tested.connectTimeout, TestConnectTimeout);
    const quint64 generation = ++m_generation;
    m_testing = true;
    m_testButton->setEnabled(false);
    showMessage(MessageKind::Info, tr("Testing the connection to %1…").arg(describe(tested).toHtmlEscaped()));
    m_testProgress->show();

    auto* watcher = new QFutureWatcher<TestOutcome>(this);
    connect(watcher, &QFutureWatcher<TestOutcome>::finished, this, [this, watcher, generation, tested, wouldWrite] {
        watcher->deleteLater();
        StoreSettings shown = tested;
        shown.readOnly = !wouldWrite;
        onTestDone(generation, watcher->result(), shown);
    });
    // The store is opened and dropped on the pool thread: its connection belongs to that thread.
    watcher->setFuture(QtConcurrent::run([tested] {
        TestOutcome outcome;
        auto store = SqlEventStore::open(tested);
        if (!store) {
            outcome.diagnosis = StoreDiagnosis::diagnose(tested, store.error());
            return outcome;
        }
        auto count = store.value()->eventCount();
        if (!count) {
            outcome.diagnosis = StoreDiagnosis::diagnose(tested, count.error());
            return outcome;
        }
        outcome.ok = true;
        outcome.schemaVersion = SqlEventStore::currentSchemaVersion();
        outcome.eventCount = count.value();
        return outcome;
    }));
}

void ConnectionDialog::onTestDone(quint64 generation, const TestOutcome& outcome, const StoreSettings& tested)
{
    if (generation != m_generation)
        return; // the form changed meanwhile: this answer is for settings no longer shown
    m_testing = false;
    m_testProgress->hide();
    m_testButton->setEnabled(validationProblem().isEmpty());
    m_lastDiagnosis = outcome.diagnosis;
    if (outcome.ok) {
        showMessage(MessageKind::Success,
            tr("✓ <b>EventScope store</b>, schema v%1, %2 events")
                .arg(outcome.schemaVersion)
                .arg(QLocale().toString(outcome.eventCount)));
        Q_EMIT testFinished(true);
        return;
    }
    const StoreDiagnosis& d = outcome.diagnosis;
    // What a read-only test cannot do, opening for writing will: say so instead of reporting a problem.
    const bool writable = !tested.readOnly;
    QString willDo;
    if (writable && d.problem == StoreDiagnosis::Problem::FileMissing
        && QFileInfo(QFileInfo(tested.connection).absolutePath()).isDir())
        willDo = tr("No store at this path yet: <b>Open</b> creates a new, empty store there.");
    else if (writable && d.problem == StoreDiagnosis::Problem::EmptyDatabase)
        willDo = tested.backend == StoreSettings::Backend::Postgres
            ? tr("Connected. The schema '%1' holds no store yet: <b>Open</b> creates one.")
                  .arg(tested.postgresSchema.toHtmlEscaped())
            : tr("The file holds no store yet: <b>Open</b> creates one.");
    else if (writable && d.problem == StoreDiagnosis::Problem::ReadOnlyNeedsMigration)
        willDo = tr("EventScope store of an older version: <b>Open</b> upgrades it to schema v%1. Older EventScope "
                    "versions cannot open it afterwards.")
                     .arg(SqlEventStore::currentSchemaVersion());
    if (!willDo.isEmpty()) {
        showMessage(MessageKind::Info, willDo);
        Q_EMIT testFinished(true);
        return;
    }
    showMessage(MessageKind::Problem,
        QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
            .arg(d.title.toHtmlEscaped(), d.explanation.toHtmlEscaped(), d.nextStep.toHtmlEscaped()));
    m_message->setToolTip(d.detail);
    Q_EMIT testFinished(false);
}

void ConnectionDialog::showMessage(MessageKind kind, const QString& html)
{
    // Fixed light tints with dark text, readable on light and dark themes alike.
    QString colours;
    switch (kind) {
    case MessageKind::Info:
        colours = QStringLiteral("background: #e8f0fe; border: 1px solid #8ab4f8;");
        break;
    case MessageKind::Success:
        colours = QStringLiteral("background: #e6f4ea; border: 1px solid #81c995;");
        break;
    case MessageKind::Problem:
        colours = QStringLiteral("background: #fce8e6; border: 1px solid #f28b82;");
        break;
    }
    m_messageFrame->setStyleSheet(QStringLiteral("QFrame#messageFrame { %1 border-radius: 4px; } "
                                                 "QLabel { color: #202124; background: transparent; border: none; }")
                                      .arg(colours));
    m_message->setText(html);
    m_message->setToolTip(QString());
    m_messageFrame->show();
}

void ConnectionDialog::clearMessage()
{
    m_message->clear();
    m_messageFrame->hide();
}

void ConnectionDialog::browseForStore()
{
    const QString start = m_sqlitePath->text().isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        : QFileInfo(m_sqlitePath->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open an Event Store"), start, tr("EventScope stores (%1);;All files (*)").arg(StoreFileFilter));
    if (!path.isEmpty())
        m_sqlitePath->setText(QDir::toNativeSeparators(path));
}

void ConnectionDialog::chooseNewStore()
{
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    // The file is not overwritten: an existing store chosen here is simply opened.
    const QString path
        = QFileDialog::getSaveFileName(this, tr("New Event Store"), QDir(start).filePath(QStringLiteral("events.db")),
            tr("EventScope stores (%1)").arg(StoreFileFilter), nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (m_readOnly->isEnabled())
        m_readOnly->setChecked(false);
    m_sqlitePath->setText(QDir::toNativeSeparators(path));
    if (!QFileInfo::exists(path))
        showMessage(MessageKind::Info,
            tr("A new, empty store is created at %1 when you open it.")
                .arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
}

void ConnectionDialog::fillFromRecent(const QModelIndex& index)
{
    if (!m_recent || !index.isValid())
        return;
    const RecentConnectionsModel::Entry& entry = m_recent->entry(index.row());
    setRole(entry.role);
    setSettings(entry.toSettings(m_base));
    if (entry.backend == StoreSettings::Backend::Postgres)
        m_password->setFocus();
}

void ConnectionDialog::forgetSelectedRecent()
{
    if (!m_recent)
        return;
    const QModelIndex current = m_recentList->currentIndex();
    if (current.isValid())
        m_recent->removeRow(current.row());
}

void ConnectionDialog::accept()
{
    if (!validationProblem().isEmpty())
        return;
    if (m_recent)
        m_recent->record(settings(), role());
    QDialog::accept();
}

} // namespace EventScope
