// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/snapshot.h"
#include "timetravel/snapshotverifier.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;

namespace EventScope {

class Engine;
class SnapshotListModel;

/**
 * The snapshots of one stream: a table of them (version, schema version, aggregate type, size, time taken,
 * verification), the selected one's state as indented JSON, and verification against the events: "Verify"
 * checks the selected snapshot, "Verify all" every one listed, each by rebuilding the aggregate from the events
 * (SnapshotVerifier). A match reads "Matches the events"; a mismatch lists the differing fields with the
 * snapshot's and the rebuilt value; a stale, unverifiable or failed check says why.
 *
 * Listing and verifying run on pool threads; results for a stream the user has left are dropped.
 */
class SnapshotPane : public QWidget {
    Q_OBJECT
public:
    explicit SnapshotPane(QWidget* parent = nullptr);
    ~SnapshotPane() override;

    /// Uses \a engine's store and domains; reloads the stream shown, if any.
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }

    /// Lists the snapshots of \a streamId (newest first) and selects the newest.
    void showStream(const QString& streamId);
    const QString& streamId() const { return m_streamId; }
    /// Lists the snapshots of the stream shown again (verifications are forgotten).
    void reload();

    /// Selects the snapshot at \a version of the stream; false when there is none.
    bool selectVersion(StreamVersion version);
    /// The selected snapshot's row in model(), or -1.
    int selectedRow() const;

    /// Verifies the selected snapshot (what the "Verify" button does).
    void verifySelected();
    /// Verifies every snapshot listed (what the "Verify all" button does).
    void verifyAll();

    bool isLoading() const { return m_loading; }
    bool isVerifying() const { return m_verifying; }
    SnapshotListModel* model() const { return m_model; }

Q_SIGNALS:
    /// A listing of the current stream finished (shown, or its error shown inline).
    void loadFinished();
    /// A verification of the current stream's snapshots finished; their rows show the outcome.
    void verificationFinished();

protected:
    void changeEvent(QEvent* event) override;

private:
    void setUpWidgets();
    void verify(const QList<Snapshot>& snapshots);
    void showSelected();
    void showCheck(const SnapshotCheck* check);
    void updateButtons();
    void setStatus(const QString& text, bool isError);

    std::shared_ptr<Engine> m_engine;
    QString m_streamId;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_verifying = false;

    SnapshotListModel* m_model = nullptr;
    QLabel* m_header = nullptr;
    QLabel* m_status = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_verify = nullptr;
    QPushButton* m_verifyAll = nullptr;
    QPushButton* m_reload = nullptr;
    QLabel* m_stateTitle = nullptr;
    QPlainTextEdit* m_state = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_note = nullptr;
    QTableWidget* m_differences = nullptr;
};

} // namespace EventScope
