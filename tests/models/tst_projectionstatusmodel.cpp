// SPDX-License-Identifier: Apache-2.0
// ProjectionStatusModel: rows keyed by name that stay in place, updates as dataChanged() of the changed cells
// (never a reset), removal of projections that went away, late queued statuses ignored, the cell texts; and on
// an Engine over an SQLite TestStore, the stored statuses while the projections do not run here, then the live
// ones from statusChanged() once they do. Checked throughout by QAbstractItemModelTester.
#include "projectionstatusmodel.h"

#include "../samples/enginefixture.h"
#include "teststores.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

using namespace EventScope;
using namespace EventScope::Test;
using namespace std::chrono_literals;

namespace {

ProjectionStatus statusNamed(const QString& name, ProjectionState state, GlobalPosition checkpoint, GlobalPosition head)
{
    ProjectionStatus status;
    status.name = name;
    status.description = QStringLiteral("read model of ") + name;
    status.version = 1;
    status.storedVersion = 1;
    status.state = state;
    status.checkpoint = checkpoint;
    status.head = head;
    status.lagEvents = head - checkpoint;
    status.updatedAt = QDateTime::currentDateTimeUtc();
    return status;
}

QStringList namesOf(const ProjectionStatusModel& model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, ProjectionStatusModel::ColumnName).data().toString();
    return names;
}

} // namespace

class TestProjectionStatusModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void rowsStayInPlaceAndUpdatesAreGranular()
    {
        ProjectionStatusModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.setStatuses({ statusNamed(QStringLiteral("users"), ProjectionState::CatchingUp, 100, 1204332),
            statusNamed(QStringLiteral("account_balances"), ProjectionState::Live, 1204332, 1204332),
            statusNamed(QStringLiteral("event_type_stats"), ProjectionState::Paused, 5, 1204332) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ProjectionStatusModel::ColumnCount));
        QCOMPARE(inserted.count(), 3);
        // Ordered by name, whatever order they came in.
        QCOMPARE(namesOf(model),
            QStringList(
                { QStringLiteral("account_balances"), QStringLiteral("event_type_stats"), QStringLiteral("users") }));
        const int u = 2; // users
        const int a = 0; // account_balances
        const int e = 1; // event_type_stats
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnLagEvents).data().toString(), QStringLiteral("1,204,232"));
        QCOMPARE(
            model.index(u, ProjectionStatusModel::ColumnLagEvents).data(ProjectionStatusModel::SortRole).toLongLong(),
            1204232);
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnState).data().toString(), QStringLiteral("catching up"));
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnProgress).data().toString(),
            QStringLiteral("catching up: 0 %"));
        QCOMPARE(
            model.index(a, ProjectionStatusModel::ColumnProgress).data(ProjectionStatusModel::ProgressRole).toDouble(),
            -1.0);
        QVERIFY(model.index(a, ProjectionStatusModel::ColumnProgress).data().toString().isEmpty());

        // One status changes: only its row, only the cells that changed.
        changed.clear();
        ProjectionStatus users = statusNamed(QStringLiteral("users"), ProjectionState::CatchingUp, 602166, 1204332);
        users.eventsPerSecond = 12000.4;
        users.eta = 50s;
        model.updateStatus(users);
        QCOMPARE(changed.count(), 1);
        const QModelIndex from = changed.at(0).at(0).value<QModelIndex>();
        const QModelIndex to = changed.at(0).at(1).value<QModelIndex>();
        QCOMPARE(from.row(), u);
        QCOMPARE(to.row(), u);
        QCOMPARE(from.column(), int(ProjectionStatusModel::ColumnCheckpoint));
        QCOMPARE(to.column(), int(ProjectionStatusModel::ColumnProgress));
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnRate).data().toString(), QStringLiteral("12,000/s"));
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnEta).data().toString(), QStringLiteral("50 s"));
        QCOMPARE(model.index(u, ProjectionStatusModel::ColumnProgress).data().toString(),
            QStringLiteral("catching up: 50 %"));

        // The same status again changes nothing; an older one (a late queued signal) is ignored.
        changed.clear();
        model.updateStatus(users);
        ProjectionStatus stale = statusNamed(QStringLiteral("users"), ProjectionState::CatchingUp, 100, 1204332);
        stale.updatedAt = users.updatedAt.addSecs(-5);
        model.updateStatus(stale);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(model.status(u).checkpoint, 602166);

        // A rebuild and a fault show in their columns.
        ProjectionStatus balances
            = statusNamed(QStringLiteral("account_balances"), ProjectionState::Rebuilding, 1204332, 1204332);
        balances.rebuild
            = ProjectionRebuild { 2, 301083, 1204332, QStringLiteral("bug 12"), QDateTime::currentDateTimeUtc() };
        model.updateStatus(balances);
        QCOMPARE(model.index(a, ProjectionStatusModel::ColumnProgress).data().toString(),
            QStringLiteral("rebuilding v2: 25 %"));
        QCOMPARE(model.index(a, ProjectionStatusModel::ColumnProgress)
                     .data(ProjectionStatusModel::ProgressKindRole)
                     .toString(),
            QStringLiteral("rebuild"));
        ProjectionStatus stats = statusNamed(QStringLiteral("event_type_stats"), ProjectionState::Faulted, 41, 1204332);
        stats.fault = ProjectionFault { 42, QStringLiteral("user-7"), QStringLiteral("UserRenamed"),
            QStringLiteral("name missing"), QDateTime::currentDateTimeUtc() };
        model.updateStatus(stats);
        QCOMPARE(model.index(e, ProjectionStatusModel::ColumnError).data().toString(),
            QStringLiteral("at 42 (UserRenamed in user-7): name missing"));
        QCOMPARE(model.index(e, 0).data(ProjectionStatusModel::StateRole).toInt(), int(ProjectionState::Faulted));
        QCOMPARE(
            model.index(e, 0).data(ProjectionStatusModel::StatusRole).value<ProjectionStatus>().fault->position, 42);

        // A projection that went away is removed; a new one inserted by name; the others keep their order.
        model.setStatuses({ users, stats, statusNamed(QStringLiteral("b_new"), ProjectionState::Live, 9, 9) });
        QCOMPARE(removed.count(), 1);
        QCOMPARE(namesOf(model),
            QStringList({ QStringLiteral("b_new"), QStringLiteral("event_type_stats"), QStringLiteral("users") }));
        QCOMPARE(model.rowOf(QStringLiteral("b_new")), 0);
        QCOMPARE(model.rowOf(QStringLiteral("account_balances")), -1);
        QCOMPARE(resets.count(), 0);
    }

    void durationText_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0 s");
        QTest::newRow("ms") << qint64(850) << QStringLiteral("850 ms");
        QTest::newRow("seconds") << qint64(12400) << QStringLiteral("12 s");
        QTest::newRow("minutes") << qint64(185000) << QStringLiteral("3 min 5 s");
        QTest::newRow("hours") << qint64(7800000) << QStringLiteral("2 h 10 min");
        QTest::newRow("days") << qint64(90000000) << QStringLiteral("1 d 1 h");
    }

    void durationText()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(ProjectionStatusModel::durationText(std::chrono::milliseconds(ms)), text);
    }

    void followsAnEngineFromStoredToLiveStatuses()
    {
        TestStore test(TestStore::Backend::Sqlite);
        auto store = test.open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        auto created = EngineFixture::makeEngine(store.value());
        QVERIFY(created.ok());
        std::shared_ptr<Engine> engine(std::move(created).value());
        for (int i = 1; i <= 5; ++i) {
            const DispatchResult result = engine->dispatch(
                Command { QUuid::createUuid(), i == 1 ? QStringLiteral("OpenAccount") : QStringLiteral("Deposit"),
                    QStringLiteral("a1"),
                    i == 1 ? QJsonObject { { QStringLiteral("owner"), QStringLiteral("Ada") },
                        { QStringLiteral("currency"), QStringLiteral("EUR") } }
                           : QJsonObject { { QStringLiteral("amount"), 100 * i } } },
                EngineFixture::developer());
            QVERIFY(result.ok());
        }
        const qint64 head = store.value()->headPosition().value();

        {
            ProjectionStatusModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QSignalSpy loaded(&model, &ProjectionStatusModel::loaded);
            QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
            model.setRefreshInterval(100ms);
            model.setEngine(engine);
            QVERIFY(model.isLoading()); // stored statuses come from a pool thread
            QVERIFY(loaded.wait(10000));
            QCOMPARE(model.rowCount(), int(engine->projections().names().size()));
            const int row = model.rowOf(QStringLiteral("account_balances"));
            QVERIFY(row >= 0);
            QCOMPARE(model.status(row).state, ProjectionState::Stopped);
            QCOMPARE(model.status(row).lagEvents, head);

            engine->projections().start();
            QTRY_VERIFY_WITH_TIMEOUT(
                model.status(row).state == ProjectionState::Live && model.status(row).lagEvents == 0, 10000);
            QCOMPARE(model.status(row).checkpoint, head);
            QCOMPARE(model.rowOf(QStringLiteral("account_balances")), row);
            QCOMPARE(resets.count(), 0);

            model.setEngine(nullptr);
            QCOMPARE(model.rowCount(), 0);
        }
        QThreadPool::globalInstance()->waitForDone();
    }

    /// PostgreSQL: a second instance runs the projections; this one, not running them, shows them as running
    /// elsewhere, with the owner in the state's tool tip.
    void showsProjectionsRunningElsewhere()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        EngineFixture fixture;
        const QString failure = fixture.open(TestStore::Backend::Postgres);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(fixture
                    .when(QStringLiteral("OpenAccount"), QStringLiteral("a1"),
                        { { QStringLiteral("owner"), QStringLiteral("Ada") },
                            { QStringLiteral("currency"), QStringLiteral("EUR") } })
                    .ok());
        const QString caughtUp = fixture.catchUp(); // the fixture's engine runs them: the "other instance"
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));
        auto second = fixture.secondEngine();
        QVERIFY(second.ok());
        std::shared_ptr<Engine> here(std::move(second).value());

        {
            ProjectionStatusModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QSignalSpy loaded(&model, &ProjectionStatusModel::loaded);
            model.setRefreshInterval(0ms);
            model.setEngine(here);
            QVERIFY(loaded.wait(10000));
            const int row = model.rowOf(QStringLiteral("account_balances"));
            QVERIFY(row >= 0);
            QCOMPARE(model.status(row).state, ProjectionState::RunningElsewhere);
            QCOMPARE(model.index(row, ProjectionStatusModel::ColumnState).data().toString(),
                QStringLiteral("running elsewhere"));
            QVERIFY(model.index(row, ProjectionStatusModel::ColumnState)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .startsWith(QLatin1String("Run by another EventScope instance")));
        }
        QThreadPool::globalInstance()->waitForDone();
        here.reset();
        fixture.close();
    }
};

QTEST_GUILESS_MAIN(TestProjectionStatusModel)
#include "tst_projectionstatusmodel.moc"
