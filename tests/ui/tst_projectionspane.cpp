// SPDX-License-Identifier: Apache-2.0
// ProjectionsPane driven as a person would, on an Engine over an SQLite TestStore with its projections started
// (plus two test projections: a tally of Tick events that can be slowed down, so that a rebuild shows progress,
// and one that faults on Poison events): the table goes live with lag 0 and follows appends; a rebuild confirmed
// in the dialog shows progress and finishes, recorded in the audit log with actor, role and reason; an auditor
// sees every action disabled with the reason and the manager refuses anyway; a developer skips a faulted event;
// support pauses and resumes; stored statuses when the projections do not run here; CSV export of the audit log.
// With EVENTSCOPE_SCREENSHOT_DIR set, saves screenshots there.
#include "projectionspane.h"

#include "../samples/enginefixture.h"
#include "operatorauditmodel.h"
#include "projections/projectionbatch.h"
#include "projectionstatusmodel.h"
#include "teststores.h"
#include "widgettesting.h"

#include <QDialog>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent>

#include <atomic>
#include <map>

using namespace EventScope;
using namespace EventScope::Test;
using namespace std::chrono_literals;

namespace {

const QString Tick = QStringLiteral("Tick");
const QString Poison = QStringLiteral("Poison");
const QString TickTallyName = QStringLiteral("tick_tally");
const QString PoisonWatchName = QStringLiteral("poison_watch");
const QString Balances = QStringLiteral("account_balances");

/// Events per stream of Tick events; flush() sleeps slowMs when set, so that a rebuild takes a while.
class TickTally final : public Projection {
public:
    std::atomic<int> slowMs { 0 };

    QString name() const override { return TickTallyName; }
    int version() const override { return 1; }
    QString description() const override { return QStringLiteral("Tick events per stream"); }
    QStringList eventTypes() const override { return { Tick }; }
    QList<ReadModelTable> tables() const override
    {
        return { { TickTallyName,
            { QStringLiteral("stream_id TEXT NOT NULL"), QStringLiteral("events BIGINT NOT NULL") },
            { QStringLiteral("stream_id") }, {} } };
    }
    QString apply(const RecordedEvent& event, ProjectionBatch&) override
    {
        m_pending[event.streamId] += 1;
        return {};
    }
    QString flush(ProjectionBatch& batch) override
    {
        if (slowMs > 0)
            QThread::msleep(slowMs);
        for (const auto& [stream, count] : m_pending) {
            if (!batch.exec(QStringLiteral("INSERT INTO {tick_tally} (stream_id, events) VALUES (?, ?) ON CONFLICT "
                                           "(stream_id) DO UPDATE SET events = {tick_tally}.events + excluded.events"),
                    { stream, count }))
                return {};
        }
        m_pending.clear();
        return {};
    }
    void discard() override { m_pending.clear(); }

private:
    std::map<QString, qint64> m_pending;
};

/// Cannot apply Poison events: faults on each one until an operator skips it.
class PoisonWatch final : public Projection {
public:
    QString name() const override { return PoisonWatchName; }
    int version() const override { return 1; }
    QString description() const override { return QStringLiteral("faults on Poison events"); }
    QStringList eventTypes() const override { return { Poison }; }
    QList<ReadModelTable> tables() const override
    {
        return { { PoisonWatchName, { QStringLiteral("stream_id TEXT NOT NULL") }, { QStringLiteral("stream_id") },
            {} } };
    }
    QString apply(const RecordedEvent&, ProjectionBatch&) override
    {
        return QStringLiteral("the payload has no amount");
    }
};

} // namespace

class TestProjectionsPane : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<Engine> m_engine;
    std::shared_ptr<TickTally> m_tally;
    std::unique_ptr<ProjectionsPane> m_pane;
    QString m_shots;

    bool dispatch(const QString& type, const QString& id, const QJsonObject& fields = {})
    {
        const DispatchResult result
            = m_engine->dispatch(Command { QUuid::createUuid(), type, id, fields }, EngineFixture::developer());
        if (!result.ok())
            qWarning().noquote() << type << id << result.error->message();
        return result.ok();
    }

    /// Three accounts with deposits and withdrawals (through the domain), and 5,000 Tick events (raw).
    bool seed()
    {
        for (int a = 1; a <= 3; ++a) {
            const QString id = QStringLiteral("acc-%1").arg(a);
            if (!dispatch(QStringLiteral("OpenAccount"), id,
                    { { QStringLiteral("owner"), QStringLiteral("Owner %1").arg(a) },
                        { QStringLiteral("currency"), QStringLiteral("EUR") } }))
                return false;
            for (int i = 1; i <= 6; ++i) {
                const bool withdraw = i % 3 == 0;
                if (!dispatch(withdraw ? QStringLiteral("Withdraw") : QStringLiteral("Deposit"), id,
                        { { QStringLiteral("amount"), withdraw ? 50 : 1000 + i } }))
                    return false;
            }
        }
        for (int chunk = 0; chunk < 5; ++chunk) {
            QList<EventData> ticks;
            for (int i = 0; i < 1000; ++i)
                ticks << EventData::create(Tick, { { QStringLiteral("n"), i } });
            if (!m_store->append(QStringLiteral("ticks-%1").arg(chunk), ExpectedVersion::any(), ticks).ok())
                return false;
        }
        return true;
    }

    template <typename T>
    T* child(const char* name) const
    {
        return m_pane->findChild<T*>(QLatin1String(name));
    }

    ProjectionStatusModel* model() const { return m_pane->statusModel(); }

    /// The model's status of \a name (a default one when it has no such row).
    ProjectionStatus statusOf(const QString& name) const
    {
        const int row = model()->rowOf(name);
        return row < 0 ? ProjectionStatus {} : model()->status(row);
    }

    QString cell(const QString& name, int column) const
    {
        const int row = model()->rowOf(name);
        return row < 0 ? QString() : model()->index(row, column).data().toString();
    }

    /// Every projection of the engine live in the table, with lag 0.
    bool allLive() const
    {
        const QStringList names = m_engine->projections().names();
        if (model()->rowCount() != names.size())
            return false;
        for (const QString& name : names) {
            const ProjectionStatus status = statusOf(name);
            if (status.state != ProjectionState::Live || status.lagEvents != 0)
                return false;
        }
        return true;
    }

    void shoot(QWidget* widget, const QString& file) const
    {
        if (m_shots.isEmpty())
            return;
        QVERIFY(picture(widget).save(m_shots + u'/' + file));
    }

    /// Clicks \a button, fills in the confirmation with \a reason and confirms; false when something is missing.
    bool confirm(const char* button, const QString& reason, QString* summary = nullptr, const QString& shot = {})
    {
        auto* widget = child<QPushButton>(button);
        if (!widget || !widget->isEnabled())
            return false;
        QTest::mouseClick(widget, Qt::LeftButton);
        QDialog* dialog = m_pane->pendingConfirmation();
        if (!dialog || dialog->objectName() != u"projectionActionDialog" || !dialog->isVisible())
            return false;
        if (summary)
            *summary = dialog->findChild<QLabel*>(QStringLiteral("projectionActionSummary"))->text();
        auto* reasonEdit = dialog->findChild<QLineEdit*>(QStringLiteral("projectionActionReason"));
        auto* ok = dialog->findChild<QPushButton*>(QStringLiteral("projectionActionConfirm"));
        if (!reasonEdit || !ok)
            return false;
        QTest::keyClicks(reasonEdit, reason);
        if (!ok->isEnabled())
            return false;
        if (!shot.isEmpty())
            shoot(dialog, shot);
        QTest::mouseClick(ok, Qt::LeftButton);
        return true;
    }

    /// The newest audit entry as the pane's audit model shows it, once it has \a count rows.
    bool auditRows(int count) const { return m_pane->auditModel()->rowCount() == count; }

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        m_shots = screenshotDirectory();
    }

    void init()
    {
        m_test = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto store = m_test->open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        m_store = store.value();
        auto engine = EngineFixture::makeEngine(m_store);
        QVERIFY2(engine.ok(), qPrintable(engine.ok() ? QString() : engine.error().message()));
        m_engine = std::shared_ptr<Engine>(std::move(engine).value());
        m_tally = std::make_shared<TickTally>();
        QVERIFY(!m_engine->projections().add(m_tally));
        QVERIFY(!m_engine->projections().add(std::make_shared<PoisonWatch>()));
        QVERIFY(seed());

        m_pane = std::make_unique<ProjectionsPane>();
        m_pane->setMinimumSize(900, 420);
        m_pane->resize(1280, 520);
        m_pane->setActor(QStringLiteral("dana@example.com"));
        m_pane->setRole(Role::Developer);
        m_pane->statusModel()->setRefreshInterval(200ms);
        m_pane->show();
    }

    void cleanup()
    {
        m_pane.reset();
        QThreadPool::globalInstance()->waitForDone();
        m_engine.reset();
        m_tally.reset();
        m_store.reset();
        m_test.reset();
    }

    void showsStoredStatusesWhenNotRunningHere()
    {
        m_pane->setEngine(m_engine);
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), int(m_engine->projections().names().size()), 10000);
        const qint64 head = m_store->headPosition().value();
        const ProjectionStatus balances = statusOf(Balances);
        QCOMPARE(balances.state, ProjectionState::Stopped);
        QCOMPARE(balances.head, head);
        QCOMPARE(balances.lagEvents, head);
        QCOMPARE(cell(Balances, ProjectionStatusModel::ColumnState), QStringLiteral("stopped"));
        QCOMPARE(cell(Balances, ProjectionStatusModel::ColumnHead), ProjectionStatusModel::countText(head));

        // Even a developer cannot act on projections this EventScope does not run; the buttons say why.
        QVERIFY(m_pane->selectProjection(Balances));
        auto* rebuild = child<QPushButton>("projectionRebuild");
        QVERIFY(!rebuild->isEnabled());
        QVERIFY2(rebuild->toolTip().contains(QLatin1String("not running in this EventScope")),
            qPrintable(rebuild->toolTip()));
        QVERIFY(!m_pane->requestAction(ProjectionsPane::Action::Rebuild));
    }

    void tableGoesLiveAndFollowsAppends()
    {
        m_pane->setEngine(m_engine);
        QSignalSpy resets(model(), &QAbstractItemModel::modelReset);
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);
        const int row = model()->rowOf(Balances);
        QCOMPARE(cell(Balances, ProjectionStatusModel::ColumnState), QStringLiteral("live"));
        QCOMPARE(cell(Balances, ProjectionStatusModel::ColumnLagEvents), QStringLiteral("0"));
        const qint64 head = m_store->headPosition().value();
        QCOMPARE(statusOf(Balances).checkpoint, head);
        QCOMPARE(cell(Balances, ProjectionStatusModel::ColumnCheckpoint), ProjectionStatusModel::countText(head));
        QVERIFY(cell(Balances, ProjectionStatusModel::ColumnProgress).isEmpty());
        QVERIFY(!m_pane->selectedProjection().isEmpty()); // one is selected from the start
        QVERIFY(!child<QPushButton>("projectionShowEvent")->isEnabled()); // nothing it stopped on

        // Appends are followed live: same rows, updated in place.
        QSignalSpy changed(model(), &QAbstractItemModel::dataChanged);
        QVERIFY(dispatch(QStringLiteral("Deposit"), QStringLiteral("acc-1"), { { QStringLiteral("amount"), 77 } }));
        const qint64 newHead = m_store->headPosition().value();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(Balances).checkpoint, newHead, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 10000);
        QCOMPARE(model()->rowOf(Balances), row);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(resets.count(), 0);
        shoot(m_pane.get(), QStringLiteral("projections-live.png"));
    }

    void rebuildFromThePaneShowsProgressAndFinishes()
    {
        m_pane->setEngine(m_engine);
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);

        // What the confirmation says, with real numbers (here cancelled).
        QVERIFY(m_pane->selectProjection(Balances));
        QDialog* dialog = m_pane->requestAction(ProjectionsPane::Action::Rebuild);
        QVERIFY(dialog);
        const QString head = ProjectionStatusModel::countText(m_store->headPosition().value());
        QVERIFY2(head.contains(u','), qPrintable(head)); // over 5,000 events, with a group separator
        const QString summary = dialog->findChild<QLabel*>(QStringLiteral("projectionActionSummary"))->text();
        QVERIFY2(summary.startsWith(QStringLiteral("Rebuild account_balances from %1 events").arg(head)),
            qPrintable(summary));
        QVERIFY(
            summary.contains(QLatin1String("the current read model keeps serving until the new one has caught up")));
        QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("projectionActionConfirm"))->isEnabled());
        shoot(dialog, QStringLiteral("projections-confirm-rebuild.png"));
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("projectionActionCancel")), Qt::LeftButton);
        QTRY_VERIFY(!m_pane->pendingConfirmation());
        QCOMPARE(statusOf(Balances).state, ProjectionState::Live);

        // The slow tally: three batches of half a second each.
        QVERIFY(m_pane->selectProjection(TickTallyName));
        m_tally->slowMs = 500;
        QSignalSpy finished(m_pane.get(), &ProjectionsPane::actionFinished);
        QSignalSpy swapped(&m_engine->projections(), &ProjectionManager::rebuildFinished);
        QVERIFY(confirm("projectionRebuild", QStringLiteral("TICKET-42 tally looked wrong")));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(2).toBool(), true);
        QVERIFY(m_pane->isBusy() == false);

        // Progress shows between 0 and 1, in the progress column, while the old read model serves (state rebuilding).
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(TickTallyName).rebuild && statusOf(TickTallyName).rebuild->position > 0
                && statusOf(TickTallyName).rebuild->progress() < 1.0,
            10000);
        const int row = model()->rowOf(TickTallyName);
        const double progress = model()
                                    ->index(row, ProjectionStatusModel::ColumnProgress)
                                    .data(ProjectionStatusModel::ProgressRole)
                                    .toDouble();
        QVERIFY2(progress > 0 && progress < 1, qPrintable(QString::number(progress)));
        QVERIFY2(
            cell(TickTallyName, ProjectionStatusModel::ColumnProgress).startsWith(QLatin1String("rebuilding v1: ")),
            qPrintable(cell(TickTallyName, ProjectionStatusModel::ColumnProgress)));
        QCOMPARE(statusOf(TickTallyName).state, ProjectionState::Rebuilding);
        QVERIFY(child<QPushButton>("projectionCancelRebuild")->isEnabled());
        shoot(m_pane.get(), QStringLiteral("projections-rebuilding.png"));

        // It finishes: swapped in, live again, the progress bar gone.
        QVERIFY(swapped.wait(20000) || !swapped.isEmpty());
        m_tally->slowMs = 0;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(TickTallyName).state, ProjectionState::Live, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!statusOf(TickTallyName).rebuild, 10000);
        QVERIFY(cell(TickTallyName, ProjectionStatusModel::ColumnProgress).isEmpty());
        QVERIFY(!child<QPushButton>("projectionCancelRebuild")->isEnabled());

        // Recorded: who, in which role, why.
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->auditModel()->rowCount(), 1, 10000);
        const OperatorAuditEntry& entry = m_pane->auditModel()->entry(0);
        QCOMPARE(entry.action, QStringLiteral("rebuild"));
        QCOMPARE(entry.projection, TickTallyName);
        QCOMPARE(entry.actor, QStringLiteral("dana@example.com"));
        QCOMPARE(entry.role, QStringLiteral("developer"));
        QCOMPARE(entry.reason, QStringLiteral("TICKET-42 tally looked wrong"));
        QCOMPARE(m_pane->auditModel()->index(0, OperatorAuditModel::ColumnReason).data().toString(), entry.reason);
    }

    void auditorCannotRebuild()
    {
        m_pane->setEngine(m_engine);
        m_pane->setRole(Role::Auditor);
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);
        QVERIFY(m_pane->selectProjection(Balances));

        auto* note = child<QLabel>("projectionsRoleNote");
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().startsWith(QLatin1String("Read-only")), qPrintable(note->text()));
        for (const char* name : { "projectionPause", "projectionResume", "projectionReset", "projectionRebuild",
                 "projectionCancelRebuild", "projectionRetry", "projectionSkip" }) {
            auto* button = child<QPushButton>(name);
            QVERIFY2(button && !button->isEnabled(), name);
            QVERIFY2(
                button->toolTip().startsWith(QLatin1String("The auditor role may not")), qPrintable(button->toolTip()));
        }
        QCOMPARE(child<QPushButton>("projectionRebuild")->toolTip(),
            QStringLiteral("The auditor role may not rebuild projections. Ask a developer."));
        QVERIFY(!m_pane->requestAction(ProjectionsPane::Action::Rebuild));
        QVERIFY(!m_pane->pendingConfirmation());
        QVERIFY(child<QPushButton>("auditExport")->isEnabled()); // reading is allowed
        shoot(m_pane.get(), QStringLiteral("projections-auditor.png"));

        // Asked anyway, the manager refuses, and the pane says so in plain words.
        QSignalSpy finished(m_pane.get(), &ProjectionsPane::actionFinished);
        m_pane->runAction(ProjectionsPane::Action::Rebuild, Balances, QStringLiteral("just looking"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(2).toBool(), false);
        QVERIFY(m_pane->lastError());
        QCOMPARE(m_pane->lastError()->code(), ProjectionError::Code::NotPermitted);
        auto* status = child<QLabel>("projectionsStatus");
        QVERIFY(status->isVisible());
        QVERIFY2(status->text().contains(QLatin1String("may not rebuild projections")), qPrintable(status->text()));

        const auto direct = QtConcurrent::run([engine = m_engine] {
            return engine->projections().rebuild(
                Balances, OperatorAction { QStringLiteral("eve"), Role::Auditor, QStringLiteral("x") });
        }).result();
        QVERIFY(direct);
        QCOMPARE(direct->code(), ProjectionError::Code::NotPermitted);
        QCOMPARE(statusOf(Balances).state, ProjectionState::Live);
        const auto log = QtConcurrent::run([engine = m_engine] { return engine->projections().auditLog(); }).result();
        QVERIFY(log.ok());
        QVERIFY(log->isEmpty());
    }

    void developerSkipsAFaultedEvent()
    {
        m_pane->setEngine(m_engine);
        m_pane->setRole(Role::Support);
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);
        auto poisoned = m_store->append(QStringLiteral("import-7"), ExpectedVersion::any(),
            { EventData::create(Poison, { { QStringLiteral("note"), QStringLiteral("no amount") } }) });
        QVERIFY(poisoned.ok());
        const GlobalPosition position = poisoned->lastPosition;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(PoisonWatchName).state, ProjectionState::Faulted, 10000);
        QVERIFY(m_pane->selectProjection(PoisonWatchName));
        QVERIFY2(cell(PoisonWatchName, ProjectionStatusModel::ColumnError)
                     .contains(QLatin1String("the payload has no amount")),
            qPrintable(cell(PoisonWatchName, ProjectionStatusModel::ColumnError)));
        QVERIFY(child<QLabel>("projectionDetail")->text().contains(QLatin1String("import-7")));

        // Any role may look at the event it stopped on.
        auto* showEvent = child<QPushButton>("projectionShowEvent");
        QTRY_VERIFY(showEvent->isEnabled());
        QSignalSpy shown(m_pane.get(), &ProjectionsPane::showEventRequested);
        QTest::mouseClick(showEvent, Qt::LeftButton);
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.at(0).at(0).value<GlobalPosition>(), position);

        // Support may retry but not skip.
        QVERIFY(child<QPushButton>("projectionRetry")->isEnabled());
        auto* skip = child<QPushButton>("projectionSkip");
        QVERIFY(!skip->isEnabled());
        QCOMPARE(skip->toolTip(),
            QStringLiteral("The support role may not skip faulted events of projections. Ask a developer."));
        shoot(m_pane.get(), QStringLiteral("projections-faulted.png"));

        // Retry, no reason needed: still poisoned, so it faults again on the same event.
        QSignalSpy retried(m_pane.get(), &ProjectionsPane::actionFinished);
        QSignalSpy faults(&m_engine->projections(), &ProjectionManager::faulted);
        QVERIFY(confirm("projectionRetry", QString()));
        QVERIFY(retried.wait(10000));
        QVERIFY2(retried.at(0).at(2).toBool(), qPrintable(retried.at(0).at(3).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!faults.isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(PoisonWatchName).state, ProjectionState::Faulted, 10000);
        QCOMPARE(statusOf(PoisonWatchName).fault->position, position);

        m_pane->setRole(Role::Developer);
        QTRY_VERIFY(skip->isEnabled());
        QVERIFY(!child<QPushButton>("projectionResume")->isEnabled());
        QVERIFY(child<QPushButton>("projectionResume")->toolTip().contains(QLatin1String("is not paused")));
        QSignalSpy finished(m_pane.get(), &ProjectionsPane::actionFinished);
        QString summary;
        QVERIFY(confirm("projectionSkip", QStringLiteral("import bug, event carries no amount"), &summary,
            QStringLiteral("projections-confirm-skip.png")));
        const QString expected = QStringLiteral("Skip event %1 of stream import-7 (type Poison) in poison_watch. It "
                                                "failed with: the payload has no amount")
                                     .arg(ProjectionStatusModel::countText(position));
        QVERIFY2(summary.startsWith(expected), qPrintable(summary));
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.at(0).at(2).toBool(), qPrintable(finished.at(0).at(3).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(PoisonWatchName).state, ProjectionState::Live, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(PoisonWatchName).checkpoint, m_store->headPosition().value(), 10000);
        QVERIFY(
            cell(PoisonWatchName, ProjectionStatusModel::ColumnError).isEmpty() || !statusOf(PoisonWatchName).fault);

        QTRY_COMPARE_WITH_TIMEOUT(m_pane->auditModel()->rowCount(), 2, 10000);
        QCOMPARE(m_pane->auditModel()->entry(1).action, QStringLiteral("retry"));
        QCOMPARE(m_pane->auditModel()->entry(1).role, QStringLiteral("support"));
        const OperatorAuditEntry& entry = m_pane->auditModel()->entry(0);
        QCOMPARE(entry.action, QStringLiteral("skip"));
        QCOMPARE(entry.role, QStringLiteral("developer"));
        QCOMPARE(entry.actor, QStringLiteral("dana@example.com"));
        QCOMPARE(entry.reason, QStringLiteral("import bug, event carries no amount"));
        const QJsonObject detail = QJsonDocument::fromJson(entry.detail.toUtf8()).object();
        QCOMPARE(detail.value(QLatin1String("position")).toInteger(), position);
        QCOMPARE(detail.value(QLatin1String("streamId")).toString(), QStringLiteral("import-7"));
    }

    void supportPausesAndResumesThenExportsTheLog()
    {
        m_pane->setEngine(m_engine);
        m_pane->setRole(Role::Support);
        m_pane->setActor(QStringLiteral("sam@example.com"));
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);
        QVERIFY(m_pane->selectProjection(Balances));
        QVERIFY(child<QLabel>("projectionsRoleNote")->text().contains(QLatin1String("need a developer")));
        QVERIFY(!child<QPushButton>("projectionRebuild")->isEnabled());

        QSignalSpy finished(m_pane.get(), &ProjectionsPane::actionFinished);
        QVERIFY(confirm("projectionPause", QStringLiteral("nightly import, \"big\" batch")));
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.at(0).at(2).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(Balances).state, ProjectionState::Paused, 10000);
        // The lag grows while paused.
        QVERIFY(dispatch(QStringLiteral("Deposit"), QStringLiteral("acc-2"), { { QStringLiteral("amount"), 5 } }));
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(Balances).lagEvents >= 1, 10000);
        QVERIFY(!child<QPushButton>("projectionPause")->isEnabled());

        // Resume needs no reason.
        finished.clear();
        auto* resume = child<QPushButton>("projectionResume");
        QTRY_VERIFY(resume->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QDialog* dialog = m_pane->pendingConfirmation();
        QVERIFY(dialog);
        auto* ok = dialog->findChild<QPushButton*>(QStringLiteral("projectionActionConfirm"));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.at(0).at(2).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 10000);

        QTRY_COMPARE_WITH_TIMEOUT(m_pane->auditModel()->rowCount(), 2, 10000);
        QCOMPARE(m_pane->auditModel()->entry(0).action, QStringLiteral("resume"));
        QCOMPARE(m_pane->auditModel()->entry(1).action, QStringLiteral("pause"));
        m_pane->showTab(1);
        QVERIFY(child<QTableView>("auditTable")->isVisible());
        QTRY_VERIFY(child<QLabel>("auditStatus")->text().startsWith(QLatin1String("2 entries")));
        shoot(m_pane.get(), QStringLiteral("projections-audit-log.png"));

        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        const QString path = directory.filePath(QStringLiteral("audit.csv"));
        QSignalSpy exported(m_pane.get(), &ProjectionsPane::exportFinished);
        m_pane->exportAuditLog(path);
        QVERIFY(exported.wait(10000));
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 4); // header, two records, and the empty rest after the last line break
        QCOMPARE(lines.at(0).trimmed(), QByteArrayLiteral("id,at,actor,role,action,projection,reason,detail"));
        QVERIFY2(lines.at(1).contains(",sam@example.com,support,resume,account_balances,"), lines.at(1).constData());
        QVERIFY2(lines.at(2).contains(",sam@example.com,support,pause,account_balances,\"nightly import, \"\"big\"\" "
                                      "batch\","),
            lines.at(2).constData());
        QVERIFY(child<QLabel>("auditStatus")->text().startsWith(QLatin1String("Exported 2 audit entries")));

        // A folder that cannot be written: the failure in words, nothing half-written.
        exported.clear();
        m_pane->exportAuditLog(directory.filePath(QStringLiteral("missing/folder/audit.csv")));
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.at(0).at(0).toBool(), false);
        QVERIFY2(exported.at(0).at(1).toString().startsWith(QLatin1String("Could not export")),
            qPrintable(exported.at(0).at(1).toString()));
    }

    void darkPaletteScreenshot()
    {
        if (m_shots.isEmpty())
            QSKIP("EVENTSCOPE_SCREENSHOT_DIR is not set");
        m_pane->setPalette(darkPalette());
        m_pane->setEngine(m_engine);
        m_engine->projections().start();
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 15000);
        shoot(m_pane.get(), QStringLiteral("projections-dark.png"));
    }
};

QTEST_MAIN(TestProjectionsPane)
#include "tst_projectionspane.moc"
