// SPDX-License-Identifier: Apache-2.0
// TimeTravelPane driven as a person would, on an Engine over an SQLite TestStore: open an account's stream
// (loaded off the GUI thread, "Loading…" meanwhile), step with the buttons, the slider, the jump box, the step
// list and the Left/Right/Home/End keys, a time typed in the "as of" field (on SQLite and PostgreSQL), read the diff
// and blame cells, activate a blame cell and a step (eventActivated with the event's position), the generic fold for a
// stream no domain knows, empty streams, stale loads dropped, reload keeping the version. With
// EVENTSCOPE_SCREENSHOT_DIR set, saves a screenshot there.
#include "timetravelpane.h"

#include "config/configloader.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "historystepmodel.h"
#include "modelroles.h"
#include "teststores.h"
#include "timetravelmodel.h"
#include "widgettesting.h"

#include <QDateTimeEdit>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

CommandContext developer()
{
    CommandContext context;
    context.actor = QStringLiteral("dev@example.com");
    context.role = Role::Developer;
    return context;
}

/// The row of \a path in the pane's field table, or -1.
int rowOf(const QAbstractItemModel& model, const QString& path)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, TimeTravelModel::ColumnPath).data().toString() == path)
            return row;
    }
    return -1;
}

/// A double-click as a mouse makes it: QTest::mouseDClick() alone sends no press before the double-click event.
void doubleClick(QAbstractItemView* view, const QModelIndex& index)
{
    const QPoint centre = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
}

/// Tabs into the "as of" field, as a person does (that selects its first section, the year), and types \a text.
bool typeTime(QDateTimeEdit* edit, const QString& text)
{
    edit->window()->activateWindow();
    if (!QTest::qWaitForWindowActive(edit->window()))
        return false;
    edit->setFocus(Qt::TabFocusReason);
    QTest::keyClicks(edit, text);
    return true;
}

QString cell(const QAbstractItemModel& model, const QString& path, int column)
{
    const int row = rowOf(model, path);
    return row < 0 ? QStringLiteral("<no row %1>").arg(path) : model.index(row, column).data().toString();
}

} // namespace

class TestTimeTravelPane : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<Engine> m_engine;
    std::unique_ptr<TimeTravelPane> m_pane;

    bool dispatch(const QString& type, const QString& id, const QJsonObject& fields = {})
    {
        const DispatchResult result
            = m_engine->dispatch(Command { QUuid::createUuid(), type, id, fields }, developer());
        if (!result.ok())
            qWarning().noquote() << type << id << result.error->message();
        return result.ok();
    }

    /// account-a1: opened (v0), deposits of 1000, 2500, 400 (v1–v3), a withdrawal of 700 (v4), a deposit of 50 (v5).
    bool makeAccount()
    {
        if (!dispatch(QStringLiteral("OpenAccount"), QStringLiteral("a1"),
                { { QStringLiteral("owner"), QStringLiteral("Ada Lovelace") },
                    { QStringLiteral("currency"), QStringLiteral("EUR") } }))
            return false;
        const QList<std::pair<const char*, int>> movements { { "Deposit", 1000 }, { "Deposit", 2500 },
            { "Deposit", 400 }, { "Withdraw", 700 }, { "Deposit", 50 } };
        for (const auto& [command, amount] : movements) {
            if (!dispatch(QLatin1String(command), QStringLiteral("a1"), { { QStringLiteral("amount"), amount } }))
                return false;
        }
        return true;
    }

    GlobalPosition positionOf(const QString& stream, StreamVersion version) const
    {
        auto events = m_store->readStream(stream, version, 1);
        return events && !events->isEmpty() ? events->first().position : -1;
    }

    template <typename T>
    T* child(const char* name) const
    {
        return m_pane->findChild<T*>(QLatin1String(name));
    }

    /// Replaces the store (and engine) of init() by a new one on \a backend holding account-a1.
    bool useBackend(TestStore::Backend backend)
    {
        auto test = std::make_unique<TestStore>(backend);
        auto store = test->open();
        if (!store) {
            qWarning().noquote() << store.error().message();
            return false;
        }
        auto engine = Engine::create(ConfigLoader::defaults(), store.value());
        if (!engine)
            return false;
        m_engine = std::shared_ptr<Engine>(std::move(engine).value());
        m_pane->setEngine(m_engine);
        m_store = store.value();
        m_test = std::move(test);
        return makeAccount();
    }

    /// Opens \a stream in the pane and waits until it has loaded.
    bool open(const QString& stream)
    {
        QSignalSpy loaded(m_pane.get(), &TimeTravelPane::loadFinished);
        m_pane->showStream(stream);
        return loaded.wait(10000);
    }

private Q_SLOTS:
    void init()
    {
        m_test = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto store = m_test->open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        m_store = store.value();
        auto engine = Engine::create(ConfigLoader::defaults(), m_store);
        QVERIFY2(engine.ok(), qPrintable(engine.ok() ? QString() : engine.error().message()));
        m_engine = std::shared_ptr<Engine>(std::move(engine).value());
        QVERIFY(makeAccount());
        m_pane = std::make_unique<TimeTravelPane>();
        // A fixed minimum: else the offscreen platform warns each time the layout changes the window's minimum.
        m_pane->setMinimumSize(640, 360);
        m_pane->resize(1100, 520);
        m_pane->setEngine(m_engine);
        m_pane->show();
    }

    void cleanup()
    {
        m_pane.reset();
        QThreadPool::globalInstance()->waitForDone();
        m_engine.reset();
        m_store.reset();
        m_test.reset();
    }

    void opensAStreamAtItsLastVersion()
    {
        auto* header = child<QLabel>("timeTravelHeader");
        auto* status = child<QLabel>("timeTravelStatus");
        auto* fold = child<QLabel>("timeTravelFoldLabel");
        QVERIFY(header && status && fold);

        QSignalSpy loaded(m_pane.get(), &TimeTravelPane::loadFinished);
        m_pane->showStream(QStringLiteral("account-a1"));
        QVERIFY(m_pane->isLoading());
        QCOMPARE(status->text(), QStringLiteral("Loading…"));
        QVERIFY(!status->isHidden());
        QVERIFY(loaded.wait(10000));
        QVERIFY(!m_pane->isLoading());
        QVERIFY(status->isHidden());

        QCOMPARE(m_pane->version(), 5);
        QVERIFY2(header->text().startsWith(QStringLiteral("account-a1 at version 5 of 5 · MoneyDeposited · 20")),
            qPrintable(header->text()));
        QVERIFY2(fold->text().contains(QLatin1String("Aggregate state: Account")), qPrintable(fold->text()));
        QCOMPARE(fold->property("fold").toString(), QStringLiteral("aggregate"));
        QCOMPARE(child<QListView>("timeTravelSteps")->model()->rowCount(), 6);
        QCOMPARE(child<QSlider>("timeTravelSlider")->maximum(), 5);
        QCOMPARE(child<QSlider>("timeTravelSlider")->value(), 5);
        QCOMPARE(child<QSpinBox>("timeTravelJump")->value(), 5);
        QVERIFY(!child<QToolButton>("timeTravelNext")->isEnabled());
        QVERIFY(!child<QToolButton>("timeTravelLast")->isEnabled());
        QVERIFY(child<QToolButton>("timeTravelPrevious")->isEnabled());
        QCOMPARE(child<QListView>("timeTravelSteps")->currentIndex().row(), 5);
    }

    void stepsWithButtonsSliderJumpAndList()
    {
        QVERIFY(open(QStringLiteral("account-a1")));
        QSignalSpy versions(m_pane.get(), &TimeTravelPane::versionChanged);

        QTest::mouseClick(child<QToolButton>("timeTravelPrevious"), Qt::LeftButton);
        QCOMPARE(m_pane->version(), 4);
        QCOMPARE(versions.size(), 1);
        QCOMPARE(versions.first().first().toLongLong(), 4);
        QVERIFY(
            child<QLabel>("timeTravelHeader")->text().contains(QStringLiteral("at version 4 of 5 · MoneyWithdrawn")));

        QTest::mouseClick(child<QToolButton>("timeTravelFirst"), Qt::LeftButton);
        QCOMPARE(m_pane->version(), 0);
        QVERIFY(!child<QToolButton>("timeTravelFirst")->isEnabled());
        QVERIFY(!child<QToolButton>("timeTravelPrevious")->isEnabled());
        QCOMPARE(child<QSlider>("timeTravelSlider")->value(), 0);

        QTest::mouseClick(child<QToolButton>("timeTravelNext"), Qt::LeftButton);
        QCOMPARE(m_pane->version(), 1);
        QTest::mouseClick(child<QToolButton>("timeTravelLast"), Qt::LeftButton);
        QCOMPARE(m_pane->version(), 5);

        child<QSlider>("timeTravelSlider")->setValue(2);
        QCOMPARE(m_pane->version(), 2);
        QCOMPARE(child<QListView>("timeTravelSteps")->currentIndex().row(), 2);

        auto* jump = child<QSpinBox>("timeTravelJump");
        jump->setFocus();
        jump->selectAll();
        QTest::keyClicks(jump, QStringLiteral("3"));
        QCOMPARE(m_pane->version(), 2); // not before Enter
        QTest::keyClick(jump, Qt::Key_Return);
        QCOMPARE(m_pane->version(), 3);

        auto* steps = child<QListView>("timeTravelSteps");
        const QModelIndex first = steps->model()->index(1, 0);
        QTest::mouseClick(steps->viewport(), Qt::LeftButton, {}, steps->visualRect(first).center());
        QCOMPARE(m_pane->version(), 1);

        m_pane->setVersion(99); // clamped
        QCOMPARE(m_pane->version(), 5);
    }

    void stepsWithKeys()
    {
        QVERIFY(open(QStringLiteral("account-a1")));
        auto* fields = child<QTableView>("timeTravelFields");
        fields->setFocus();
        QTest::keyClick(fields, Qt::Key_Left);
        QCOMPARE(m_pane->version(), 4);
        QTest::keyClick(fields, Qt::Key_Home);
        QCOMPARE(m_pane->version(), 0);
        QTest::keyClick(fields, Qt::Key_Left);
        QCOMPARE(m_pane->version(), 0);
        QTest::keyClick(fields, Qt::Key_Right);
        QCOMPARE(m_pane->version(), 1);
        QTest::keyClick(child<QListView>("timeTravelSteps"), Qt::Key_Right);
        QCOMPARE(m_pane->version(), 2);
        QTest::keyClick(child<QSlider>("timeTravelSlider"), Qt::Key_End);
        QCOMPARE(m_pane->version(), 5);
        QTest::keyClick(m_pane.get(), Qt::Key_Home);
        QCOMPARE(m_pane->version(), 0);
        // In the jump box the keys edit the number instead.
        auto* jump = child<QSpinBox>("timeTravelJump");
        QTest::keyClick(jump, Qt::Key_End);
        QCOMPARE(m_pane->version(), 0);
    }

    void travelsToATime_data()
    {
        QTest::addColumn<TestStore::Backend>("backend");
        QTest::newRow("sqlite") << TestStore::Backend::Sqlite;
        QTest::newRow("postgres") << TestStore::Backend::Postgres;
    }

    void travelsToATime()
    {
        QFETCH(TestStore::Backend, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        if (backend != TestStore::Backend::Sqlite)
            QVERIFY(useBackend(backend));
        // account-a1's events one day apart, at 09:00:00.250 UTC from 2 March 2026 on.
        const QDateTime first(QDate(2026, 3, 2), QTime(9, 0, 0, 250), Qt::UTC);
        QList<SqlEventStore::EventTime> times;
        for (int version = 0; version <= 5; ++version)
            times.append({ QStringLiteral("account-a1"), version, first.addDays(version) });
        QCOMPARE(m_store->redateEvents(times).value(), qint64(6));
        QCOMPARE(m_store->readStream(QStringLiteral("account-a1"), 3, 1)->constFirst().recordedAt, first.addDays(3));
        QCOMPARE(m_store->streamInfo(QStringLiteral("account-a1")).value()->lastRecordedAt, first.addDays(5));

        QVERIFY(open(QStringLiteral("account-a1")));
        auto* edit = child<QDateTimeEdit>("timeTravelTimeEdit");
        auto* go = child<QPushButton>("timeTravelTimeGo");
        auto* status = child<QLabel>("timeTravelStatus");
        auto* header = child<QLabel>("timeTravelHeader");
        QVERIFY(edit && go && status && header);
        QVERIFY(!edit->toolTip().isEmpty());
        QVERIFY(!go->toolTip().isEmpty());
        // The field shows the time of the version shown (to the second it displays).
        QCOMPARE(edit->text(), QStringLiteral("2026-03-07 09:00:00 UTC"));
        QVERIFY(edit->isEnabled() && go->isEnabled());

        // Typed and Enter: 4 March 15:30 falls between the events of v2 (4 March 09:00) and v3 (5 March).
        QVERIFY(typeTime(edit, QStringLiteral("2026-03-04 15:30:00 UTC")));
        QCOMPARE(edit->text(), QStringLiteral("2026-03-04 15:30:00 UTC"));
        QCOMPARE(m_pane->version(), 5); // not before Enter
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(m_pane->version(), 2);
        QVERIFY2(header->text().contains(QStringLiteral("at version 2 of 5 · MoneyDeposited · 2026-03-04 09:00:00")),
            qPrintable(header->text()));
        const QAbstractItemModel& model = *child<QTableView>("timeTravelFields")->model();
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnValue), QStringLiteral("3500"));
        QCOMPARE(edit->text(), QStringLiteral("2026-03-04 15:30:00 UTC")); // the time asked for stays
        QTest::mouseClick(child<QToolButton>("timeTravelNext"), Qt::LeftButton);
        QCOMPARE(edit->text(), QStringLiteral("2026-03-05 09:00:00 UTC")); // stepping shows the versions' times

        // The field means the whole second it shows: the second of an event includes it, the one before does not.
        // Go goes to the time in the field.
        edit->setDateTime(first.addDays(4));
        QTest::mouseClick(go, Qt::LeftButton);
        QCOMPARE(m_pane->version(), 4);
        edit->setDateTime(first.addDays(4).addSecs(-1));
        QTest::mouseClick(go, Qt::LeftButton);
        QCOMPARE(m_pane->version(), 3);

        // Leaving the field without typing keeps the version.
        m_pane->setVersion(1);
        edit->setFocus();
        child<QTableView>("timeTravelFields")->setFocus();
        QCOMPARE(m_pane->version(), 1);

        // After the last event: the last version.
        edit->setDateTime(QDateTime(QDate(2031, 1, 1), QTime(0, 0), Qt::UTC));
        QTest::mouseClick(go, Qt::LeftButton);
        QCOMPARE(m_pane->version(), 5);

        // Before the first event: the version stays and the pane says when the stream began.
        QVERIFY(typeTime(edit, QStringLiteral("2025-12-31 23:59:59 UTC")));
        QCOMPARE(edit->text(), QStringLiteral("2025-12-31 23:59:59 UTC"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(m_pane->version(), 5);
        QVERIFY(!status->isHidden());
        QCOMPARE(status->text(),
            QStringLiteral("The stream did not exist yet at 2025-12-31 23:59:59 UTC; its first event is from "
                           "2026-03-02 09:00:00 UTC. Pick a later time."));
        QVERIFY(!m_pane->showTime(first.addMSecs(-1))); // called directly, to the millisecond
        QCOMPARE(m_pane->version(), 5);
        // The next version shown clears the note.
        QTest::mouseClick(child<QToolButton>("timeTravelFirst"), Qt::LeftButton);
        QCOMPARE(m_pane->version(), 0);
        QVERIFY(status->isHidden());
        QCOMPARE(edit->text(), QStringLiteral("2026-03-02 09:00:00 UTC"));
        QVERIFY(m_pane->showTime(first));
        QCOMPARE(m_pane->version(), 0);

        // Nothing loaded: nothing to travel through.
        QVERIFY(open(QStringLiteral("account-none")));
        QVERIFY(!edit->isEnabled());
        QVERIFY(!m_pane->showTime(first));
    }

    void showsDiffAndBlame()
    {
        QVERIFY(open(QStringLiteral("account-a1")));
        const QAbstractItemModel& model = *child<QTableView>("timeTravelFields")->model();

        m_pane->setVersion(2); // the deposit of 2500
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnValue), QStringLiteral("3500"));
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnChange), QStringLiteral("changed"));
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnOldValue), QStringLiteral("1000"));
        QVERIFY(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnSetBy)
                    .startsWith(QStringLiteral("v2 · MoneyDeposited")));
        QCOMPARE(cell(model, QStringLiteral("owner"), TimeTravelModel::ColumnValue), QStringLiteral("Ada Lovelace"));
        QCOMPARE(cell(model, QStringLiteral("owner"), TimeTravelModel::ColumnChange), QString());
        QVERIFY(cell(model, QStringLiteral("owner"), TimeTravelModel::ColumnSetBy)
                    .startsWith(QStringLiteral("v0 · AccountOpened")));
        QCOMPARE(cell(model, QStringLiteral("frozen"), TimeTravelModel::ColumnSetBy), QStringLiteral("initial state"));

        m_pane->setVersion(4); // the withdrawal
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnValue), QStringLiteral("3200"));
        QCOMPARE(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnOldValue), QStringLiteral("3900"));
        QVERIFY(cell(model, QStringLiteral("balance"), TimeTravelModel::ColumnSetBy)
                    .startsWith(QStringLiteral("v4 · MoneyWithdrawn")));
        QVERIFY(child<QLabel>("timeTravelHeader")->text().contains(QLatin1String("2 fields changed")));

        m_pane->setVersion(0);
        QCOMPARE(cell(model, QStringLiteral("exists"), TimeTravelModel::ColumnChange), QStringLiteral("changed"));
        QCOMPARE(cell(model, QStringLiteral("currency"), TimeTravelModel::ColumnValue), QStringLiteral("EUR"));
    }

    void activatingBlameOrStepNamesTheEvent()
    {
        QVERIFY(open(QStringLiteral("account-a1")));
        m_pane->setVersion(3);
        QSignalSpy activated(m_pane.get(), &TimeTravelPane::eventActivated);
        auto* fields = child<QTableView>("timeTravelFields");

        // The owner was set by the AccountOpened event (v0).
        const QModelIndex owner
            = fields->model()->index(rowOf(*fields->model(), QStringLiteral("owner")), TimeTravelModel::ColumnSetBy);
        doubleClick(fields, owner);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().value<GlobalPosition>(), positionOf(QStringLiteral("account-a1"), 0));
        QCOMPARE(m_pane->version(), 3); // activation selects elsewhere; the pane stays

        // Any cell of a field's row names the event that last set it; a field of the initial state has none.
        const QModelIndex balance
            = fields->model()->index(rowOf(*fields->model(), QStringLiteral("balance")), TimeTravelModel::ColumnValue);
        doubleClick(fields, balance);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.last().first().value<GlobalPosition>(), positionOf(QStringLiteral("account-a1"), 3));
        const QModelIndex frozen
            = fields->model()->index(rowOf(*fields->model(), QStringLiteral("frozen")), TimeTravelModel::ColumnSetBy);
        doubleClick(fields, frozen);
        QCOMPARE(activated.size(), 2);

        // Enter on a field.
        fields->setFocus();
        fields->setCurrentIndex(owner.siblingAtColumn(TimeTravelModel::ColumnPath));
        QTest::keyClick(fields, Qt::Key_Return);
        QCOMPARE(activated.size(), 3);
        QCOMPARE(activated.last().first().value<GlobalPosition>(), positionOf(QStringLiteral("account-a1"), 0));

        // Enter on a step.
        auto* steps = child<QListView>("timeTravelSteps");
        steps->setFocus();
        QCOMPARE(steps->currentIndex().row(), 3);
        QTest::keyClick(steps, Qt::Key_Return);
        QCOMPARE(activated.size(), 4);
        QCOMPARE(activated.last().first().value<GlobalPosition>(), positionOf(QStringLiteral("account-a1"), 3));
    }

    void unknownStreamFoldsGenerically()
    {
        QVERIFY(m_store
                    ->append(QStringLiteral("thing-1"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("ThingMade"),
                              { { QStringLiteral("size"), 3 }, { QStringLiteral("colour"), QStringLiteral("red") } }),
                            EventData::create(QStringLiteral("ThingResized"), { { QStringLiteral("size"), 5 } }) })
                    .ok());
        QVERIFY(open(QStringLiteral("thing-1")));
        auto* fold = child<QLabel>("timeTravelFoldLabel");
        QVERIFY2(fold->text().startsWith(QLatin1String("Generic JSON merge of payloads")), qPrintable(fold->text()));
        QCOMPARE(fold->property("fold").toString(), QStringLiteral("generic"));
        QVERIFY(m_pane->history()->isGeneric());
        const QAbstractItemModel& model = *child<QTableView>("timeTravelFields")->model();
        QCOMPARE(m_pane->version(), 1);
        QCOMPARE(cell(model, QStringLiteral("size"), TimeTravelModel::ColumnValue), QStringLiteral("5"));
        QCOMPARE(cell(model, QStringLiteral("size"), TimeTravelModel::ColumnOldValue), QStringLiteral("3"));
        QCOMPARE(cell(model, QStringLiteral("colour"), TimeTravelModel::ColumnChange), QString());

        // Back to a domain stream: the label says so again.
        QVERIFY(open(QStringLiteral("account-a1")));
        QCOMPARE(fold->property("fold").toString(), QStringLiteral("aggregate"));
    }

    void emptyStreamAndNoEngine()
    {
        QVERIFY(open(QStringLiteral("account-none")));
        auto* status = child<QLabel>("timeTravelStatus");
        QVERIFY2(status->text().contains(QLatin1String("has no events")), qPrintable(status->text()));
        QCOMPARE(m_pane->version(), NoStreamVersion);
        QVERIFY(!child<QSlider>("timeTravelSlider")->isEnabled());
        QVERIFY(!child<QToolButton>("timeTravelNext")->isEnabled());
        QCOMPARE(child<QTableView>("timeTravelFields")->model()->rowCount(), 0);

        TimeTravelPane alone;
        alone.showStream(QStringLiteral("account-a1"));
        QVERIFY(!alone.isLoading());
        auto* aloneStatus = alone.findChild<QLabel*>(QStringLiteral("timeTravelStatus"));
        QVERIFY2(aloneStatus->text().contains(QLatin1String("No store is open")), qPrintable(aloneStatus->text()));
    }

    void staleLoadsAreDropped()
    {
        QVERIFY(dispatch(QStringLiteral("CreateUser"), QStringLiteral("42"),
            { { QStringLiteral("firstName"), QStringLiteral("Grace") },
                { QStringLiteral("lastName"), QStringLiteral("Hopper") },
                { QStringLiteral("email"), QStringLiteral("grace@example.com") } }));
        QSignalSpy loaded(m_pane.get(), &TimeTravelPane::loadFinished);
        m_pane->showStream(QStringLiteral("account-a1"));
        m_pane->showStream(QStringLiteral("user-42"));
        QVERIFY(loaded.wait(10000));
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(m_pane->history()->streamId(), QStringLiteral("user-42"));
        QVERIFY(child<QLabel>("timeTravelHeader")->text().startsWith(QLatin1String("user-42 at version 0 of 0")));
        QVERIFY(child<QLabel>("timeTravelFoldLabel")->text().contains(QLatin1String("User")));
    }

    void versionSetWhileLoadingAndReload()
    {
        QSignalSpy loaded(m_pane.get(), &TimeTravelPane::loadFinished);
        m_pane->showStream(QStringLiteral("account-a1"));
        m_pane->setVersion(2);
        QCOMPARE(m_pane->version(), 2);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(m_pane->version(), 2);
        QCOMPARE(child<QSlider>("timeTravelSlider")->value(), 2);

        QVERIFY(dispatch(QStringLiteral("Withdraw"), QStringLiteral("a1"), { { QStringLiteral("amount"), 1 } }));
        m_pane->reload();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(m_pane->version(), 2);
        QCOMPARE(child<QSlider>("timeTravelSlider")->maximum(), 6);
    }

    void screenshot()
    {
        QVERIFY(m_store
                    ->append(QStringLiteral("thing-7"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("ThingMade"),
                              { { QStringLiteral("size"), 3 },
                                  { QStringLiteral("address"),
                                      QJsonObject { { QStringLiteral("city"), QStringLiteral("Oslo") } } } }),
                            EventData::create(QStringLiteral("ThingMoved"),
                                { { QStringLiteral("address"),
                                    QJsonObject { { QStringLiteral("city"), QJsonValue::Null },
                                        { QStringLiteral("zip"), QStringLiteral("0150") } } } }) })
                    .ok());
        const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        const auto shoot = [&](const QString& name) {
            const QPixmap shot = picture(m_pane.get());
            if (shot.isNull())
                return false;
            return directory.isEmpty() || shot.save(QDir(directory).filePath(name));
        };
        QVERIFY(directory.isEmpty() || QDir().mkpath(directory));

        QVERIFY(open(QStringLiteral("account-a1")));
        m_pane->setVersion(4);
        QVERIFY(shoot(QStringLiteral("timetravelpane.png")));
        // Travelled to a time before the stream began: the note under the controls.
        QVERIFY(!m_pane->showTime(QDateTime(QDate(2001, 9, 1), QTime(12, 0), Qt::UTC)));
        QVERIFY(shoot(QStringLiteral("timetravelpane-before-first.png")));
        QVERIFY(open(QStringLiteral("account-none"))); // the fold label hides: the next picture must lay out again
        QVERIFY(open(QStringLiteral("thing-7")));
        QVERIFY(child<QLabel>("timeTravelFoldLabel")->isVisible());
        QVERIFY(shoot(QStringLiteral("timetravelpane-generic.png")));
        QVERIFY(child<QLabel>("timeTravelFoldLabel")->height() > 0); // laid out in the picture

        m_pane->setPalette(darkPalette());
        QVERIFY(shoot(QStringLiteral("timetravelpane-generic-dark.png")));
        QVERIFY(open(QStringLiteral("account-a1")));
        m_pane->setVersion(4);
        QVERIFY(shoot(QStringLiteral("timetravelpane-dark.png")));
        // The fold label and the rows follow the palette: dark backgrounds, light text.
        QVERIFY(child<QLabel>("timeTravelFoldLabel")->palette().color(QPalette::WindowText).lightness() > 128);
    }
};

QTEST_MAIN(TestTimeTravelPane)
#include "tst_timetravelpane.moc"
