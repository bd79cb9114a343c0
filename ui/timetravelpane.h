// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"
#include "timetravel/streamhistory.h"

#include <QString>
#include <QWidget>

#include <memory>

class QDateTimeEdit;
class QLabel;
class QPushButton;
class QPushButton;
class QListView;
class QModelIndex;
class QSlider;
class QSpinBox;
class QTableView;
class QToolButton;

namespace EventScope {

class Engine;
class HistoryStepModel;
class TimeTravelModel;

/**
 * Time travel through one stream: the state of its aggregate at any version, what each event changed and
 * which event last set each field.
 *
 * showStream() reads the whole stream and builds its StreamHistory on a pool thread (the pane shows
 * "Loading…" meanwhile; a result for a stream the user has left is dropped). Then the steps (one per event)
 * list on the left, a slider with first / previous / next / last buttons and a "jump to" box pick the
 * version (or a moment typed in the "as of" field, UTC, to the second, picks the last version recorded by the end of
 * that second), and the table shows
 * the fields at that version with their change against the previous version (added, changed, removed highlighted) and
 * the event that last set them. The fold label says whether the states are the aggregate's or, for a stream no domain
 * knows, a generic JSON merge of the payloads.
 *
 * Keyboard: Left / Right step one version, Home / End go to the first / last version while the focus is in
 * the pane (but not in the "jump to" box). Activating a step, or a field (any cell of its row: the "Set by"
 * column names the event), emits eventActivated() with the position in $all of that step's event, or of the
 * event that last set the field.
 */
class TimeTravelPane : public QWidget {
    Q_OBJECT
public:
    /// Events read per EventStore::readStream() call while loading.
    static constexpr int ReadPageSize = 1000;

    explicit TimeTravelPane(QWidget* parent = nullptr);
    ~TimeTravelPane() override;

    /// Uses \a engine's store, registry and aggregate factories; reloads the stream shown, if any.
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }

    /// Loads and shows \a streamId (at its last version, or at the version set meanwhile with setVersion()).
    void showStream(const QString& streamId);
    const QString& streamId() const { return m_streamId; }
    /// Reads the stream shown again (events appended since appear), keeping the version.
    void reload();

    /// Shows the state at \a version (clamped to the stream's versions). While loading, applies once loaded.
    void setVersion(StreamVersion version);
    /// The version shown; NoStreamVersion when none is (nothing loaded, or an empty stream).
    StreamVersion version() const;

    /**
     * Shows the stream as it was at \a time: the last version recorded at or before it (the last version for a
     * later time). For a time before the stream's first event the version stays and the pane says when the
     * stream began; returns false then, and while nothing is loaded.
     */
    bool showTime(const QDateTime& time);

    bool isLoading() const { return m_loading; }
    /// The history shown; null while loading, for an empty stream or after a read error.
    const std::shared_ptr<const StreamHistory>& history() const { return m_history; }

    TimeTravelModel* fieldModel() const { return m_fieldModel; }
    HistoryStepModel* stepModel() const { return m_stepModel; }

Q_SIGNALS:
    /// The user activated a step or a "Set by" cell: select the event at \a position elsewhere.
    void eventActivated(EventScope::GlobalPosition position);
    void versionChanged(EventScope::StreamVersion version);
    /// A load for the current stream finished (shown, or its error shown inline).
    void loadFinished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Loaded;

    void setUpWidgets();
    void load();
    void onLoaded(const Loaded& loaded);
    bool stepKey(int key);
    void showVersion(StreamVersion version);
    void updateHeader();
    void updateFoldLabel();
    void setStatus(const QString& text, bool isError);
    void goToTypedTime();
    void onStepActivated(const QModelIndex& index);
    void onFieldActivated(const QModelIndex& index);

    std::shared_ptr<Engine> m_engine;
    QString m_streamId;
    QString m_aggregateType;
    std::shared_ptr<const StreamHistory> m_history;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_updating = false;
    StreamVersion m_pendingVersion = NoStreamVersion;

    TimeTravelModel* m_fieldModel = nullptr;
    HistoryStepModel* m_stepModel = nullptr;

    QLabel* m_header = nullptr;
    QLabel* m_foldLabel = nullptr;
    QLabel* m_status = nullptr;
    QListView* m_steps = nullptr;
    QTableView* m_fields = nullptr;
    QSlider* m_slider = nullptr;
    QToolButton* m_first = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QToolButton* m_last = nullptr;
    QSpinBox* m_jump = nullptr;
    QLabel* m_timeLabel = nullptr;
    QDateTimeEdit* m_timeEdit = nullptr;
    QPushButton* m_timeGo = nullptr;
    /// The time field was edited since it last showed the version's time (so editingFinished means "go").
    bool m_timeEdited = false;
    /// The status line shows showTime()'s "did not exist yet" note, which the next version shown clears.
    bool m_timeNote = false;
};

} // namespace EventScope
