// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/commanddescriptor.h"
#include "cqrs/dispatchresult.h"
#include "cqrs/role.h"
#include "eventstore/recordedevent.h"
#include "timetravel/streamhistory.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace EventScope {

class CommandFormModel;
class Engine;

/**
 * The command console for support staff: pick a command (searchable, grouped by domain), fill the form generated
 * from its descriptor, pick the target aggregate, give a reason (required for corrective commands) and a ticket,
 * dry-run, then commit at the version the dry run saw.
 *
 * - Dry run (the default button) validates every field at once (CommandFormModel), then on a pool thread reads the
 *   target stream, dispatches with CommandContext::dryRun at its current version and shows the events that would
 *   be written with a before/after state diff (StreamHistory over the stored and the proposed events).
 * - Commit is enabled only after a successful dry run of the same inputs and target; it dispatches with
 *   CommandContext::expectedVersion = the version the dry run showed, so the engine refuses when the stream moved.
 *   Such a conflict shows the events written since and asks for another dry run; nothing is overwritten.
 *   Destructive commands (corrective ones and those that close, reverse, correct, delete or deactivate) ask for a
 *   confirmation stating what will change first.
 * - Success lists the new events' positions as links (showEventRequested()) and emits eventsWritten(); an error is
 *   shown in plain words with its kind.
 *
 * Roles: an auditor gets the console disabled with an explanation; support staff see the commands not open to
 * support disabled with the reason. The engine refuses them too (AuthorizationMiddleware).
 *
 * Every engine call runs on a pool thread; answers to requests that were overtaken are dropped.
 */
class CommandConsole : public QWidget {
    Q_OBJECT
public:
    explicit CommandConsole(QWidget* parent = nullptr);
    ~CommandConsole() override;

    /// The engine to run commands on; null shows "no store" and disables everything.
    void setEngine(std::shared_ptr<Engine> engine);
    void setRole(Role role);
    Role role() const { return m_role; }
    /// Who runs the commands (CommandContext::actor).
    void setActor(const QString& actor);
    const QString& actor() const { return m_actor; }
    /// The aggregate to change: an aggregate id ("acc1") or the id of its stream ("account-acc1"), e.g. the
    /// explorer's selection. Loads its state and version.
    void setTarget(const QString& aggregateId);
    QString target() const;

    /// Selects the command of \a type in the list (false when there is none).
    bool selectCommand(const QString& type);
    QString currentCommand() const { return m_descriptor.type; }
    CommandFormModel* form() const { return m_form; }

    /// True for commands that need an explicit confirmation: corrective ones and those whose type starts with
    /// Close, Reverse, Correct, Delete, Remove or Deactivate.
    static bool isDestructive(const CommandDescriptor& descriptor);
    /// The domain (module name) of each command type the engine registered.
    static QHash<QString, QString> commandDomains(Engine& engine);
    /// Field changes from the state after version \a from to the state after \a to (net: fields changed and changed
    /// back are left out); versions of \a history.
    static QList<FieldChange> netChanges(const StreamHistory& history, StreamVersion from, StreamVersion to);

public Q_SLOTS:
    void dryRun();
    /// Commits the dry-run command (asks for confirmation first when it is destructive).
    void commit();
    /// Reloads the target's state and version.
    void refreshTarget();

Q_SIGNALS:
    /// A commit wrote events at these positions of $all.
    void eventsWritten(const QList<EventScope::GlobalPosition>& positions);
    /// The user followed a link to an event.
    void showEventRequested(EventScope::GlobalPosition position);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct TargetState {
        QString streamId;
        StreamVersion version = NoStreamVersion;
        QJsonObject state;
        QString error;
        QList<RecordedEvent> events;
    };
    struct Preview {
        QString fingerprint; ///< inputs and target it was made for
        StreamVersion version = NoStreamVersion; ///< the version it was decided on
        QList<EventData> events;
        QList<FieldChange> changes;
    };
    struct Outcome;
    /// Reads \a streamId and folds it (pool thread).
    static TargetState readTarget(Engine& engine, const QString& streamId);

    void buildUi();
    void populateCommands();
    void filterCommands(const QString& text);
    void onCommandSelected();
    void buildForm();
    QWidget* editorFor(const FieldDescriptor& field);
    void updateAccess();
    void updateButtons();
    void showErrors();
    void inputsChanged();
    void invalidatePreview();

    /// (stream id, aggregate id) for the target text and the current command's domain.
    std::pair<QString, QString> resolveTarget() const;
    /// The other domain whose stream the target text names (e.g. "user" for "user-u1" with an account command).
    QString foreignDomain() const;
    QString fingerprint() const;
    void loadTarget();
    void showTarget(const TargetState& target);
    void dispatch(bool dryRun);
    void runConfirmed();
    void onOutcome(const Outcome& outcome);
    void showResultEvents(const QList<EventData>& events);
    void showDiff(const QList<FieldChange>& changes);
    void showNewEvents(const QList<RecordedEvent>& events);
    void setStatus(const QString& text, bool error);
    QString changeSummary() const;

    std::shared_ptr<Engine> m_engine;
    Role m_role = Role::Auditor;
    QString m_actor;
    QList<CommandDescriptor> m_descriptors;
    QHash<QString, QString> m_domains;
    CommandDescriptor m_descriptor;
    CommandFormModel* m_form = nullptr;
    std::optional<TargetState> m_target;
    std::optional<Preview> m_preview;
    quint64 m_targetGeneration = 0;
    quint64 m_runGeneration = 0;
    bool m_running = false;
    bool m_building = false;
    bool m_statusIsError = false;

    QLabel* m_roleNotice = nullptr;
    QWidget* m_body = nullptr;
    QLineEdit* m_search = nullptr;
    QTreeWidget* m_commandList = nullptr;
    QLabel* m_commandTitle = nullptr;
    QLabel* m_commandHelp = nullptr;
    QLabel* m_commandNotice = nullptr;
    QLineEdit* m_targetEdit = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QLabel* m_targetStatus = nullptr;
    QPlainTextEdit* m_targetState = nullptr;
    QWidget* m_formBox = nullptr;
    QFormLayout* m_formLayout = nullptr;
    QHash<QString, QWidget*> m_editors;
    QHash<QString, QLabel*> m_errorLabels;
    QLineEdit* m_reason = nullptr;
    QLabel* m_reasonLabel = nullptr;
    QLabel* m_reasonError = nullptr;
    QLineEdit* m_ticket = nullptr;
    QPushButton* m_dryRunButton = nullptr;
    QPushButton* m_commitButton = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_links = nullptr;
    QTreeWidget* m_previewEvents = nullptr;
    QTreeWidget* m_diff = nullptr;
    QLabel* m_newEventsLabel = nullptr;
    QTreeWidget* m_newEvents = nullptr;
    QPointer<QMessageBox> m_confirmation;
};

} // namespace EventScope
