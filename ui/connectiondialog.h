// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"
#include "eventstore/storediagnosis.h"
#include "eventstore/storesettings.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace EventScope {

class RecentConnectionsModel;

/**
 * Where to connect: an SQLite file (an existing store, or a new one created on opening) or a PostgreSQL
 * database (host, port, database, user, password, SSL mode, schema), the role of the session, read-only, and
 * the recent connections to pick from (double-click opens; Delete forgets).
 *
 * "Test connection" opens the store read-only on a pool thread and reports inline: the schema version and
 * event count, or what went wrong and what to do (StoreDiagnosis). "Open" records the connection in the
 * recent list (never its password) and accepts; opening the store is the caller's work, with settings().
 */
class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    /// \a recent (not owned) lists and remembers connections; it may be null.
    explicit ConnectionDialog(RecentConnectionsModel* recent, QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    /// The store to open, password included. Tuning (timeouts, pool size) comes from setSettings().
    StoreSettings settings() const;
    /// Shows \a settings in the form (a PostgreSQL connection string is split into its fields) and keeps its
    /// tuning for settings().
    void setSettings(const StoreSettings& settings);

    Role role() const;
    void setRole(Role role);
    /// Fixes the role (from configuration): the choice is shown but cannot be changed. nullopt frees it again.
    void setFixedRole(std::optional<Role> role);

    /// One line naming a store for people, never with its password.
    static QString describe(const StoreSettings& settings);

    /// True while a connection test runs.
    bool isTesting() const { return m_testing; }
    /// The outcome of the last connection test, as shown (empty before the first).
    QString testMessage() const;
    /// The last test's diagnosis; Problem::None after a successful test.
    const StoreDiagnosis& lastDiagnosis() const { return m_lastDiagnosis; }

public Q_SLOTS:
    /// Opens the store of the form read-only on a pool thread and reports the outcome inline.
    void testConnection();
    void accept() override;

Q_SIGNALS:
    /// A connection test ended; \a ok when the store could be opened.
    void testFinished(bool ok);

private:
    struct TestOutcome {
        bool ok = false;
        int schemaVersion = 0;
        qint64 eventCount = 0;
        StoreDiagnosis diagnosis;
    };
    enum class MessageKind { Info, Success, Problem };

    QWidget* buildSqliteTab();
    QWidget* buildPostgresTab();
    void browseForStore();
    void chooseNewStore();
    void fillFromRecent(const QModelIndex& index);
    void forgetSelectedRecent();
    void onRoleChanged();
    /// Re-checks the form: validation text, Open and Test enabled; a shown test result is now stale.
    void onFormEdited();
    QString validationProblem() const;
    void onTestDone(quint64 generation, const TestOutcome& outcome, const StoreSettings& tested);
    void showMessage(MessageKind kind, const QString& html);
    void clearMessage();
    bool isPostgres() const;

    RecentConnectionsModel* m_recent;
    StoreSettings m_base;
    StoreDiagnosis m_lastDiagnosis;
    quint64 m_generation = 0;
    bool m_testing = false;
    bool m_filling = false;
    /// Read-only as the person chose it, restored when the role stops being auditor.
    bool m_readOnlyChoice = false;

    QListView* m_recentList = nullptr;
    QPushButton* m_forgetButton = nullptr;
    QTabWidget* m_backendTabs = nullptr;
    QLineEdit* m_sqlitePath = nullptr;
    QPushButton* m_browseButton = nullptr;
    QPushButton* m_newButton = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QComboBox* m_sslMode = nullptr;
    QLineEdit* m_schema = nullptr;
    QComboBox* m_role = nullptr;
    QCheckBox* m_readOnly = nullptr;
    QLabel* m_validation = nullptr;
    QFrame* m_messageFrame = nullptr;
    QLabel* m_message = nullptr;
    QProgressBar* m_testProgress = nullptr;
    QPushButton* m_testButton = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_openButton = nullptr;
    /// PostgreSQL keywords of a set connection string that the form has no field for (connect_timeout …).
    QList<std::pair<QString, QString>> m_otherPostgresOptions;
};

} // namespace EventScope
