// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"
#include "eventstore/recordedevent.h"
#include "projections/projectionerror.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QDialog;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace EventScope {

class Engine;
class OperatorAuditModel;
class ProjectionStatusModel;
struct ProjectionStatus;

/**
 * The projections of an Engine and what operators do to them.
 *
 * The "Projections" tab is a live table (ProjectionStatusModel: state, checkpoint, head, lag in events and time,
 * events/s, ETA, a progress bar while rebuilding or catching up, the last error) with the actions pause, resume,
 * reset, rebuild (into shadow tables), cancel rebuild, retry and skip a faulted event. Each action opens a
 * confirmation (a ProjectionActionDialog, objectName "projectionActionDialog", opened with open() so that tests
 * can fill it in) that says what it will do with the projection's current numbers and asks for a reason (optional
 * for resume and retry, as the ProjectionManager requires). Confirmed, it runs on a pool thread; the outcome, or
 * the manager's refusal in its own words, shows below the table.
 *
 * Roles: support may pause, resume and retry; developers may do everything; auditors only look. Actions the role
 * may not do are disabled, with the reason in their tool tip and a note above the table; the manager refuses them
 * too. Actions that do not apply to the selected projection's state are disabled with the reason in the tool tip.
 *
 * The "Audit log" tab shows the operator audit log (OperatorAuditModel) with Refresh and Export… (CSV).
 */
class ProjectionsPane : public QWidget {
    Q_OBJECT
public:
    enum class Action { Pause, Resume, Reset, Rebuild, CancelRebuild, Retry, Skip };
    Q_ENUM(Action)

    explicit ProjectionsPane(QWidget* parent = nullptr);
    ~ProjectionsPane() override;

    /// Shows \a engine's projections and audit log (null: none).
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }
    /// The operator's role; disables what it may not do (default: auditor).
    void setRole(Role role);
    Role role() const { return m_role; }
    /// Who acts, recorded in the audit log with every action (default: the system user name).
    void setActor(const QString& actor);
    const QString& actor() const { return m_actor; }

    ProjectionStatusModel* statusModel() const { return m_statusModel; }
    OperatorAuditModel* auditModel() const { return m_auditModel; }

    /// Selects the row of \a name; false when there is none.
    bool selectProjection(const QString& name);
    /// The selected projection's name, or empty.
    QString selectedProjection() const;

    /// Whether \a role may do \a action at all (as the ProjectionManager decides it).
    static bool mayDo(Role role, Action action);
    /// Whether \a action needs a reason (all but resume and retry).
    static bool needsReason(Action action);
    /// "pause", "rebuild", … as the audit log names \a action.
    static QString actionName(Action action);
    /// Why \a action cannot be done on the selected projection now, in plain words; empty when it can.
    QString unavailableReason(Action action) const;
    /// What \a action will do to \a status, with its numbers (the confirmation's text).
    QString consequences(Action action, const ProjectionStatus& status) const;

    /**
     * What the action buttons do: opens the confirmation for \a action on the selected projection and returns it
     * (null when the action is unavailable; unavailableReason() says why). Accepted, it runs the action.
     */
    QDialog* requestAction(Action action);
    /// The confirmation open now, or null.
    QDialog* pendingConfirmation() const;
    /// Runs \a action on \a projection with \a reason now, without confirmation, on a pool thread (the manager
    /// still checks the role); actionFinished() tells the outcome.
    void runAction(Action action, const QString& projection, const QString& reason);
    bool isBusy() const { return m_busy; }
    /// The refusal or failure of the last action that ran, or none when it was done.
    const std::optional<ProjectionError>& lastError() const { return m_lastError; }

    /// Reads the audit log again.
    void refreshAuditLog();
    /// Writes the whole audit log as CSV to \a path on a pool thread (QSaveFile); exportFinished() tells the outcome.
    void exportAuditLog(const QString& path);
    bool isExporting() const { return m_exporting; }

    /// Shows the "Projections" (0) or "Audit log" (1) tab.
    void showTab(int index);

Q_SIGNALS:
    /// An action ran: \a done, or refused or failed with \a message (the manager's words; lastError() has it).
    void actionFinished(
        EventScope::ProjectionsPane::Action action, const QString& projection, bool done, const QString& message);
    /// An export finished; \a message says where to, or what went wrong.
    void exportFinished(bool ok, const QString& message);
    /// The person asked to see the event the selected projection stopped on.
    void showEventRequested(EventScope::GlobalPosition position);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void setUpWidgets();
    QPushButton* actionButton(Action action) const;
    const ProjectionStatus* selectedStatus() const;
    void updateActions();
    void updateDetail();
    void updateRoleNote();
    void setStatus(const QString& text, bool isError);
    void exportClicked();

    std::shared_ptr<Engine> m_engine;
    Role m_role = Role::Auditor;
    QString m_actor;
    quint64 m_generation = 0;
    bool m_busy = false;
    bool m_exporting = false;
    std::optional<ProjectionError> m_lastError;

    ProjectionStatusModel* m_statusModel = nullptr;
    OperatorAuditModel* m_auditModel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_roleNote = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_detail = nullptr;
    QLabel* m_status = nullptr;
    QList<QPushButton*> m_actionButtons; ///< indexed by Action
    QTableView* m_auditTable = nullptr;
    QPushButton* m_auditRefresh = nullptr;
    QPushButton* m_showFault = nullptr;
    QPushButton* m_auditExport = nullptr;
    QLabel* m_auditStatus = nullptr;
    QDialog* m_confirmation = nullptr;
};

} // namespace EventScope
