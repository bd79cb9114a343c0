// SPDX-License-Identifier: Apache-2.0
// The explorer window, driven through its real widgets on a demo store (users and accounts written by the sample
// domains, with snapshots and correlation ids). With EVENTSCOPE_SCREENSHOT_DIR set, it saves a picture of each pane
// there (the README's and the notes' screenshots come from here).
#include "chartspane.h"
#include "commandconsole.h"
#include "config/configloader.h"
#include "correlationpane.h"
#include "engine/engine.h"
#include "eventfilterbar.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "exportdialog.h"
#include "logmodel.h"
#include "mainwindow.h"
#include "modelroles.h"
#include "projections/projectionmanager.h"
#include "projectionspane.h"
#include "snapshotlistmodel.h"
#include "snapshotpane.h"
#include "streamlistmodel.h"
#include "teststores.h"
#include "timetravelmodel.h"
#include "timetravelpane.h"
#include "widgettesting.h"

#include "eventstore/sqleventstore.h"
#include "samples/demoseeder.h"
#include "timetravel/streamhistory.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QDateTimeEdit>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTest>
#include <QTextEdit>
#include <QToolButton>
#include <QTreeView>

using namespace EventScope;
using EventScope::Test::TestStore;

namespace {

/// Clicks the centre of \a index in \a view, scrolling it into view first.
void clickIndex(QAbstractItemView* view, const QModelIndex& index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

/// Every text the inspector shows in its text panes, joined.
QString inspectorText(QWidget* inspector)
{
    QString text;
    for (const QPlainTextEdit* edit : inspector->findChildren<QPlainTextEdit*>())
        text += edit->toPlainText() + u'\n';
    for (const QTextEdit* edit : inspector->findChildren<QTextEdit*>())
        text += edit->toPlainText() + u'\n';
    for (const QLabel* label : inspector->findChildren<QLabel*>())
        text += label->text() + u'\n';
    return text;
}

void saveShot(QWidget* widget, const QString& name)
{
    QVERIFY(EventScope::Test::saveScreenshot(widget, name));
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void showsPlaceholderWithoutStore();
    void opensStoreOffTheGuiThread();
    void browsesStreamsAndInspectsEvents();
    void filtersEventsAndSavesSearches();
    void jumpsToPositionAndTime();
    void timeTravelsWithTheSelectedEvent();
    void showsAndVerifiesSnapshots();
    void followsCorrelation();
    void liveTailShowsOtherConnectionsAppends();
    void exportsTheCurrentView();
    void reportsStoreThatCannotBeOpened();
    void operationsFollowTheRole();

private:
    template <typename T>
    T* child(QWidget& window, const char* name)
    {
        T* widget = window.findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qWarning("no child %s", name);
        return widget;
    }
    /// A window showing the demo store, its streams loaded.
    std::unique_ptr<MainWindow> openWindow();

    QTemporaryDir m_demoDir;
    StoreSettings m_demo; // seeded once, copied for each test
    std::unique_ptr<TestStore> m_testStore;
    StoreSettings m_settings;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings (saved searches, recent stores) in a test location
    QVERIFY(m_demoDir.isValid());
    m_demo.connection = m_demoDir.filePath(QStringLiteral("demo.db"));
    auto opened = SqlEventStore::open(m_demo);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
    DemoSeeder::Options options;
    options.users = 12;
    options.accounts = 10;
    options.targetEvents = 400;
    const auto seeded = DemoSeeder::seed(**opened, options);
    QVERIFY2(seeded.ok(), qPrintable(seeded.ok() ? QString() : seeded.error().message()));
}

void TestMainWindow::init()
{
    // Each test gets its own copy of the demo store (the seeder takes a while; copying is instant).
    m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
    m_settings.connection = m_testStore->directory() + QStringLiteral("/explorer.db");
    QVERIFY(QFile::copy(m_demo.connection, m_settings.connection));
    QSettings().clear();
}

void TestMainWindow::cleanup()
{
    m_testStore.reset();
}

std::unique_ptr<MainWindow> TestMainWindow::openWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setRole(Role::Developer);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    window->openStore(m_settings);
    if (!QTest::qWaitFor([&] { return window->streamModel() && window->streamModel()->rowCount() > 0; }, 20000))
        return nullptr;
    if (!QTest::qWaitFor([&] { return window->eventModel()->rowCount() > 0 && !window->eventModel()->isLoading(); }))
        return nullptr;
    return window;
}

void TestMainWindow::showsPlaceholderWithoutStore()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* pages = child<QStackedWidget>(window, "pages");
    QVERIFY(pages);
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("placeholderPage"));
    auto* connectButton = child<QPushButton>(window, "placeholderConnectButton");
    QVERIFY(connectButton && connectButton->isVisible() && connectButton->isEnabled());
    QVERIFY(window.findChild<QAction*>(QStringLiteral("actionConnect"))->isEnabled());
    QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionExport"))->isEnabled());
    QCOMPARE(child<QLabel>(window, "storeLabel")->text(), QStringLiteral("No store open"));
    QVERIFY(!window.streamModel());
    saveShot(&window, QStringLiteral("placeholder"));
}

void TestMainWindow::opensStoreOffTheGuiThread()
{
    MainWindow window;
    window.show();
    QSignalSpy changed(&window, &MainWindow::storeChanged);
    QSignalSpy failed(&window, &MainWindow::openFailed);
    window.openStore(m_settings, QStringLiteral("Opening the test store…"));
    QVERIFY(window.isOpening());
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("busyPage"));
    QCOMPARE(child<QLabel>(window, "busyLabel")->text(), QStringLiteral("Opening the test store…"));
    QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionConnect"))->isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(window.store() != nullptr, 20000);
    QCOMPARE(failed.size(), 0);
    QVERIFY(!changed.isEmpty());
    QVERIFY(window.engine());
    // The window's role is auditor (the default): the store opens read-only though the settings did not ask for it.
    QVERIFY(!m_settings.readOnly);
    QVERIFY(window.store()->settings().readOnly);
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("browserPage"));
    QVERIFY(window.findChild<QAction*>(QStringLiteral("actionConnect"))->isEnabled());
    QVERIFY(child<QLabel>(window, "storeLabel")->text().contains(QLatin1String("SQLite")));
    QCOMPARE(child<QLabel>(window, "roleLabel")->text(), QStringLiteral("Role: Auditor"));
    QCOMPARE(child<QLabel>(window, "liveLabel")->text(), QStringLiteral("● Live"));
    const qint64 events = *window.store()->eventCount();
    QTRY_COMPARE(
        child<QLabel>(window, "countLabel")->text(), QStringLiteral("%1 events").arg(QLocale().toString(events)));
}

void TestMainWindow::browsesStreamsAndInspectsEvents()
{
    auto window = openWindow();
    QVERIFY(window);
    new QAbstractItemModelTester(
        window->eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, window.get());
    new QAbstractItemModelTester(
        window->streamModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, window.get());

    // $all, newest first.
    EventTableModel* events = window->eventModel();
    QVERIFY(events->positionAt(0) > events->positionAt(1));
    QCOMPARE(events->positionAt(0), *window->store()->headPosition());

    // Streams by last activity: the first one holds the newest event.
    auto* streamView = child<QTreeView>(*window, "streamView");
    QCOMPARE(streamView->model()->index(0, 0).data(StreamIdRole).toString(),
        events->index(0, 0).data(StreamIdRole).toString());

    // Choose an account stream: the table shows its events, newest (highest version) first.
    QString account;
    for (int row = 0; row < streamView->model()->rowCount() && account.isEmpty(); ++row) {
        const QString id = streamView->model()->index(row, 0).data(StreamIdRole).toString();
        if (id.startsWith(QLatin1String("account-"))
            && streamView->model()->index(row, 0).data(EventCountRole).toLongLong() > 5)
            account = id;
    }
    QVERIFY(!account.isEmpty());
    clickIndex(streamView, window->streamModel()->index(window->streamModel()->rowOf(account), 0));
    QTRY_VERIFY(!events->isLoading() && events->rowCount() > 0 && events->query().streamId == account);
    const qint64 lastVersion = window->streamModel()->stream(window->streamModel()->rowOf(account)).lastVersion;
    QCOMPARE(events->rowCount(), lastVersion + 1);
    QCOMPARE(events->index(0, EventTableModel::ColumnVersion).data().toLongLong(), lastVersion);
    QCOMPARE(child<QToolButton>(*window, "streamChip")->text(), QStringLiteral("Stream %1  ✕").arg(account));

    // Select an event: the inspector shows its payload (fetched on selection, not held by the table).
    QSignalSpy inspected(window.get(), &MainWindow::eventInspected);
    clickIndex(window->eventView(), events->index(1, EventTableModel::ColumnType));
    QTRY_COMPARE(inspected.size(), 1);
    const RecordedEvent& event = window->inspectedEvent();
    QCOMPARE(event.position, events->positionAt(1));
    QCOMPARE(event.streamId, account);
    const QString shown = inspectorText(window->inspector());
    QVERIFY2(shown.contains(event.eventType), qPrintable(shown.left(400)));
    const QString someKey = event.payloadObject().keys().constFirst();
    QVERIFY2(shown.contains(someKey), qPrintable(someKey));
    saveShot(window.get(), QStringLiteral("explorer"));
    saveShot(window->inspector(), QStringLiteral("inspector"));

    // Back to every stream.
    QTest::mouseClick(child<QToolButton>(*window, "streamChip"), Qt::LeftButton);
    QTRY_VERIFY(!events->isLoading() && events->query().streamId.isEmpty());
}

void TestMainWindow::filtersEventsAndSavesSearches()
{
    auto window = openWindow();
    QVERIFY(window);
    EventFilterBar* bar = window->filterBar();
    EventTableModel* events = window->eventModel();

    EventQuery query;
    query.eventTypes = { QStringLiteral("MoneyDeposited") };
    query.payload.path = QStringLiteral("amount");
    query.payload.match = PayloadCondition::Match::Contains;
    query.payload.value = QStringLiteral("5");
    bar->setQuery(query);
    QTest::mouseClick(child<QPushButton>(*window, "searchButton"), Qt::LeftButton);
    QTRY_VERIFY(!events->isLoading() && events->query() == query);
    QVERIFY(events->rowCount() > 0);
    for (int row = 0; row < events->rowCount(); ++row)
        QCOMPARE(events->index(row, 0).data(EventTypeRole).toString(), QStringLiteral("MoneyDeposited"));

    // The same through the store: every matching event, none other.
    auto all = window->store()->readAll(0, 100000);
    QVERIFY(all.ok());
    qint64 expected = 0;
    for (const RecordedEvent& event : *all)
        expected += query.matches(event) ? 1 : 0;
    while (events->canFetchMore({})) {
        events->fetchMore({});
        QTRY_VERIFY(!events->isLoading());
    }
    QCOMPARE(events->rowCount(), expected);

    // Saved by name, cleared, and run again from the list.
    bar->saveSearch(QStringLiteral("deposits with a 5"));
    QCOMPARE(bar->savedSearchNames(), QStringList { QStringLiteral("deposits with a 5") });
    QTest::mouseClick(child<QPushButton>(*window, "clearFiltersButton"), Qt::LeftButton);
    QTRY_VERIFY(!events->isLoading() && events->query().isEmpty());
    QVERIFY(bar->applySavedSearch(QStringLiteral("deposits with a 5")));
    QTRY_VERIFY(!events->isLoading() && events->query() == query);
    saveShot(window.get(), QStringLiteral("search"));

    // A bad payload path says what is wrong, and nothing is shown.
    query.payload.path = QStringLiteral("amount[0");
    bar->setQuery(query);
    QTest::mouseClick(child<QPushButton>(*window, "searchButton"), Qt::LeftButton);
    QTRY_VERIFY(child<QLabel>(*window, "filterMessage")->isVisible());
    QVERIFY(child<QLabel>(*window, "filterMessage")->text().contains(QLatin1String("path")));
    QCOMPARE(events->rowCount(), 0);
}

void TestMainWindow::jumpsToPositionAndTime()
{
    auto window = openWindow();
    QVERIFY(window);
    EventTableModel* events = window->eventModel();
    auto all = window->store()->readAll(0, 100000);
    QVERIFY(all.ok() && all->size() > 100);
    const RecordedEvent& target = all->at(all->size() / 3);

    auto* positionEdit = child<QLineEdit>(*window, "positionEdit");
    positionEdit->setText(QString::number(target.position));
    QTest::keyClick(positionEdit, Qt::Key_Return);
    QTRY_COMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), target.position);
    QVERIFY(!events->isTopComplete()); // a window in the middle of the history
    // Scrolling up from there loads the newer events above it.
    const int before = events->rowCount();
    window->eventView()->scrollToTop();
    QTRY_VERIFY(events->rowCount() > before);
    QCOMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), target.position);

    // Going to an event of another stream while one stream is shown: the table shows that event, not the nearest
    // event of the shown stream (the stream was kept as a filter).
    const RecordedEvent& elsewhere = all->at(all->size() / 2);
    QString shown;
    for (const RecordedEvent& event : *all) {
        if (event.streamId != elsewhere.streamId) {
            shown = event.streamId;
            break;
        }
    }
    window->showStream(shown);
    QTRY_VERIFY(!events->isLoading() && events->query().streamId == shown);
    positionEdit->setText(QString::number(elsewhere.position));
    QTest::keyClick(positionEdit, Qt::Key_Return);
    QTRY_COMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), elsewhere.position);
    QCOMPARE(window->eventView()->currentIndex().data(StreamIdRole).toString(), elsewhere.streamId);
    QVERIFY(events->query().streamId.isEmpty());

    auto* oldest = child<QToolButton>(*window, "oldestButton");
    QTest::mouseClick(oldest, Qt::LeftButton);
    QTRY_COMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), all->constFirst().position);

    // A time: the first event at or after it.
    auto* timeEdit = child<QDateTimeEdit>(*window, "timeEdit");
    timeEdit->setDateTime(target.recordedAt.toLocalTime());
    QTest::mouseClick(child<QToolButton>(*window, "goToTimeButton"), Qt::LeftButton);
    const QDateTime chosen = timeEdit->dateTime().toUTC();
    GlobalPosition expected = 0;
    for (const RecordedEvent& event : *all) {
        if (event.recordedAt >= chosen) {
            expected = event.position;
            break;
        }
    }
    QVERIFY(expected > 0);
    QTRY_COMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), expected);
}

void TestMainWindow::timeTravelsWithTheSelectedEvent()
{
    auto window = openWindow();
    QVERIFY(window);
    EventTableModel* events = window->eventModel();
    TimeTravelPane* pane = window->timeTravelPane();
    window->findChild<QDockWidget*>(QStringLiteral("timeTravelDock"))->raise();

    // An account event in the middle of its stream.
    EventQuery query;
    query.eventTypes = { QStringLiteral("MoneyDeposited"), QStringLiteral("MoneyWithdrawn") };
    window->filterBar()->setQuery(query);
    window->runSearch();
    QTRY_VERIFY(!events->isLoading() && events->rowCount() > 0);
    int row = 0;
    while (row < events->rowCount() && events->index(row, 0).data(StreamVersionRole).toLongLong() < 2)
        ++row;
    QVERIFY(row < events->rowCount());
    const QString stream = events->index(row, 0).data(StreamIdRole).toString();
    const StreamVersion version = events->index(row, 0).data(StreamVersionRole).toLongLong();
    clickIndex(window->eventView(), events->index(row, 0));

    // The pane follows: that stream, at that version, the aggregate's own state.
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading() && pane->history() && pane->history()->streamId() == stream, 10000);
    QTRY_COMPARE(pane->version(), version);
    QCOMPARE(child<QLabel>(*window, "timeTravelFoldLabel")->property("fold").toString(), QStringLiteral("aggregate"));
    TimeTravelModel* fields = pane->fieldModel();
    auto changedRows = [fields] {
        QStringList changed;
        for (int r = 0; r < fields->rowCount(); ++r) {
            const auto kind
                = TimeTravelModel::ChangeKind(fields->index(r, 0).data(TimeTravelModel::ChangeKindRole).toInt());
            if (kind != TimeTravelModel::ChangeKind::Unchanged)
                changed.append(fields->index(r, TimeTravelModel::ColumnPath).data().toString());
        }
        return changed;
    };
    // A deposit or withdrawal changes the balance; the blame of the balance is this very event.
    QVERIFY2(changedRows().contains(QStringLiteral("balance")), qPrintable(changedRows().join(u", ")));

    // Step back with the pane's button: one version earlier, and its own diff.
    QTest::mouseClick(child<QToolButton>(*window, "timeTravelPrevious"), Qt::LeftButton);
    QTRY_COMPARE(pane->version(), version - 1);
    const QJsonObject earlier = pane->history()->stateAt(version - 1);
    for (int r = 0; r < fields->rowCount(); ++r) {
        const QString path = fields->index(r, TimeTravelModel::ColumnPath).data().toString();
        if (earlier.contains(path) && !earlier.value(path).isObject())
            QCOMPARE(fields->index(r, 0).data(TimeTravelModel::ValueRole).value<QJsonValue>(), earlier.value(path));
    }
    saveShot(window.get(), QStringLiteral("timetravel-window"));
    saveShot(pane, QStringLiteral("timetravel"));

    // Activating a field row selects the event that set it, in the table.
    QSignalSpy inspected(window.get(), &MainWindow::eventInspected);
    Q_EMIT pane->eventActivated(events->positionAt(row));
    QTRY_VERIFY(!inspected.isEmpty());
    QCOMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), events->positionAt(row));
}

void TestMainWindow::showsAndVerifiesSnapshots()
{
    auto window = openWindow();
    QVERIFY(window);
    // The demo takes snapshots of busy accounts: find a stream that has one.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("snapshots-probe"));
    QString stream;
    {
        db.setDatabaseName(m_settings.connection);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT stream_id FROM es_snapshots ORDER BY version DESC LIMIT 1")));
        QVERIFY2(query.next(), "the demo store holds no snapshot");
        stream = query.value(0).toString();
    }
    db.close();
    db = {};
    QSqlDatabase::removeDatabase(QStringLiteral("snapshots-probe"));

    window->findChild<QDockWidget*>(QStringLiteral("snapshotDock"))->raise();
    window->showStream(stream);
    EventTableModel* events = window->eventModel();
    QTRY_VERIFY(!events->isLoading() && events->rowCount() > 0);
    clickIndex(window->eventView(), events->index(0, 0));
    SnapshotPane* pane = window->snapshotPane();
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading() && pane->model()->rowCount() > 0, 10000);
    QVERIFY(pane->selectVersion(pane->model()->snapshot(0).version));
    QSignalSpy verified(pane, &SnapshotPane::verificationFinished);
    QTest::mouseClick(child<QPushButton>(*window, "snapshotVerify"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!verified.isEmpty(), 10000);
    QCOMPARE(pane->model()->index(pane->selectedRow(), 0).data(SnapshotListModel::DifferenceCountRole).toInt(), 0);
    saveShot(pane, QStringLiteral("snapshots"));
}

void TestMainWindow::followsCorrelation()
{
    // A process across two streams: the order placed causes the payment, which causes the order's confirmation.
    const QString correlation = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QList<EventData> chain;
    for (int i = 0; i < 3; ++i) {
        QJsonObject metadata { { QStringLiteral("correlationId"), correlation },
            { QStringLiteral("actor"), QStringLiteral("shop") } };
        if (i > 0)
            metadata.insert(QStringLiteral("causationId"), chain.at(i - 1).eventId.toString(QUuid::WithoutBraces));
        chain.append(
            EventData::create(QStringLiteral("Step%1").arg(i), QJsonObject { { QStringLiteral("i"), i } }, metadata));
    }
    {
        auto store = SqlEventStore::open(m_settings);
        QVERIFY(store.ok());
        QVERIFY((*store)->append(QStringLiteral("order-77"), ExpectedVersion::noStream(), { chain.at(0) }).ok());
        QVERIFY((*store)->append(QStringLiteral("payment-77"), ExpectedVersion::noStream(), { chain.at(1) }).ok());
        QVERIFY((*store)->append(QStringLiteral("order-77"), ExpectedVersion::exact(0), { chain.at(2) }).ok());
    }
    auto window = openWindow();
    QVERIFY(window);
    auto all = window->store()->readAll(0, 100000);
    QVERIFY(all.ok());
    QHash<QString, QList<GlobalPosition>> byCorrelation;
    for (const RecordedEvent& event : *all)
        byCorrelation[event.metadataObject().value(u"correlationId").toString()].append(event.position);
    QCOMPARE(byCorrelation.value(correlation).size(), 3);

    // From the inspector's link to the pane, which lists exactly the events sharing it.
    window->goToPosition(byCorrelation.value(correlation).constFirst());
    QTRY_COMPARE(window->inspectedEvent().position, byCorrelation.value(correlation).constFirst());
    auto* link = window->inspector()->findChild<QAbstractButton*>(QStringLiteral("correlationButton"));
    QVERIFY(link);
    QSignalSpy loaded(window->correlationPane(), &CorrelationPane::loaded);
    QTest::mouseClick(link, Qt::LeftButton);
    QTRY_VERIFY(!loaded.isEmpty());
    QVERIFY(loaded.constFirst().constFirst().toBool());
    auto* tree = window->correlationPane()->findChild<QTreeView*>();
    QVERIFY(tree);
    QList<GlobalPosition> shown;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int row = 0; row < tree->model()->rowCount(parent); ++row) {
            const QModelIndex index = tree->model()->index(row, 0, parent);
            shown.append(index.data(PositionRole).toLongLong());
            walk(index);
        }
    };
    walk({});
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, byCorrelation.value(correlation));
    // The causation chain is the tree: one root, its child, and the grandchild.
    QCOMPARE(tree->model()->rowCount(), 1);
    const QModelIndex root = tree->model()->index(0, 0);
    QCOMPARE(tree->model()->rowCount(root), 1);
    QCOMPARE(tree->model()->index(0, 0, root).data(StreamIdRole).toString(), QStringLiteral("payment-77"));
    QCOMPARE(tree->model()->rowCount(tree->model()->index(0, 0, root)), 1);
    saveShot(window->correlationPane(), QStringLiteral("correlation"));

    // Activating one of them selects it in the events table.
    const QModelIndex last = tree->model()->index(0, 0, tree->model()->index(0, 0, root));
    QSignalSpy inspected(window.get(), &MainWindow::eventInspected);
    Q_EMIT tree->activated(last);
    QTRY_VERIFY(!inspected.isEmpty());
    QCOMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), last.data(PositionRole).toLongLong());
}

void TestMainWindow::liveTailShowsOtherConnectionsAppends()
{
    auto window = openWindow();
    QVERIFY(window);
    EventTableModel* events = window->eventModel();
    clickIndex(window->eventView(), events->index(3, 0));
    const GlobalPosition selected = events->positionAt(3);
    const int before = events->rowCount();

    // A second connection to the file, as another process would append.
    auto other = SqlEventStore::open(m_settings);
    QVERIFY(other.ok());
    QVERIFY((*other)
                ->append(QStringLiteral("user-tail"), ExpectedVersion::noStream(),
                    { EventData::create(QStringLiteral("UserRegistered"),
                        QJsonObject { { QStringLiteral("email"), QStringLiteral("tail@example.com") } },
                        QJsonObject { { QStringLiteral("actor"), QStringLiteral("other-process") } }) })
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(events->rowCount(), before + 1, 5000);
    QCOMPARE(events->index(0, 0).data(StreamIdRole).toString(), QStringLiteral("user-tail"));
    QCOMPARE(events->index(0, 0).data(ActorRole).toString(), QStringLiteral("other-process"));
    // The status bar counts the tailed event too.
    QTRY_VERIFY2(child<QLabel>(*window, "loadingLabel")->text().startsWith(QLocale().toString(before + 1) + u' '),
        qPrintable(child<QLabel>(*window, "loadingLabel")->text()));
    // The selection stayed on the same event.
    QCOMPARE(window->eventView()->currentIndex().data(PositionRole).toLongLong(), selected);
    QTRY_COMPARE(window->streamModel()->index(0, 0).data(StreamIdRole).toString(), QStringLiteral("user-tail"));

    // Live tail off: appends wait until asked for.
    window->findChild<QAction*>(QStringLiteral("actionLiveTail"))->trigger();
    QCOMPARE(child<QLabel>(*window, "liveLabel")->text(), QStringLiteral("◐ Live tail off"));
    QVERIFY((*other)
                ->append(QStringLiteral("user-tail"), ExpectedVersion::exact(0),
                    { EventData::create(QStringLiteral("UserRenamed"),
                        QJsonObject { { QStringLiteral("name"), QStringLiteral("Tail") } }, QJsonObject {}) })
                .ok());
    QTRY_VERIFY_WITH_TIMEOUT(events->canFetchTop(), 5000);
    QCOMPARE(events->rowCount(), before + 1);
}

void TestMainWindow::exportsTheCurrentView()
{
    auto window = openWindow();
    QVERIFY(window);
    EventQuery query;
    query.categories = { QStringLiteral("account") };
    window->filterBar()->setQuery(query);
    window->runSearch();
    QTRY_VERIFY(!window->eventModel()->isLoading());

    const QString path = m_testStore->directory() + QStringLiteral("/accounts.jsonl");
    window->exportCurrentView(path);
    auto* dialog = window->findChild<ExportDialog*>(QStringLiteral("exportDialog"));
    QVERIFY(dialog);
    QSignalSpy finished(dialog, &ExportDialog::finished);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QVERIFY2(finished.constFirst().at(0).toBool(), qPrintable(finished.constFirst().at(2).toString()));

    // A header naming store, filter and who exported, then every account event of the store, in position order.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.size() > 2);
    const QJsonObject header = QJsonDocument::fromJson(lines.constFirst()).object();
    QCOMPARE(header.value(u"eventscopeExport").toInt(), 1);
    QVERIFY(header.value(u"store").toString().contains(QLatin1String("explorer.db")));
    QCOMPARE(header.value(u"role").toString(), QStringLiteral("developer"));
    QCOMPARE(EventQuery::fromJson(header.value(u"filter").toObject()), query);
    auto all = window->store()->readAll(0, 100000);
    QVERIFY(all.ok());
    QList<GlobalPosition> expected;
    for (const RecordedEvent& event : *all) {
        if (query.matches(event))
            expected.append(event.position);
    }
    QList<GlobalPosition> written;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines.at(i).trimmed().isEmpty())
            written.append(QJsonDocument::fromJson(lines.at(i)).object().value(u"position").toInteger());
    }
    QCOMPARE(written, expected);
}

void TestMainWindow::reportsStoreThatCannotBeOpened()
{
    // A file that is not a database at all.
    const QString path = m_testStore->directory() + QStringLiteral("/notes.db");
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("these are my notes, not an event store\n").repeated(200));
    }
    StoreSettings settings;
    settings.connection = path;
    settings.createIfMissing = false;

    MainWindow window;
    window.show();
    QSignalSpy failed(&window, &MainWindow::openFailed);
    window.openStore(settings);
    QTRY_COMPARE(failed.size(), 1);
    const QString message = failed.first().at(0).toString();
    QVERIFY(message.contains(QLatin1String("notes.db")));

    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>(QStringLiteral("openErrorBox"))) != nullptr);
    QVERIFY(message.contains(box->text()));
    QVERIFY(!box->informativeText().isEmpty()); // what to do next
    QVERIFY(box->findChild<QPushButton*>(QStringLiteral("connectAgainButton")));
    QTRY_VERIFY(box->isVisible());
    saveShot(box, QStringLiteral("open-error"));
    box->reject();
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("placeholderPage"));
    QVERIFY(!window.store());
}

void TestMainWindow::operationsFollowTheRole()
{
    auto window = openWindow(); // as a developer
    QVERIFY(window);
    // The window runs the read models of a writable store, and the operations panes follow the open store.
    QTRY_VERIFY_WITH_TIMEOUT(
        window->engine()->projections().status(QStringLiteral("account_balances"))->state == ProjectionState::Live,
        20000);
    auto* rebuild = child<QAbstractButton>(*window, "projectionRebuild");
    auto* dryRun = child<QAbstractButton>(*window, "dryRunButton");
    auto* chaos = child<QAbstractButton>(*window, "chaosToggle");
    QVERIFY(rebuild && dryRun && chaos);
    window->findChild<QDockWidget*>(QStringLiteral("projectionsDock"))->raise();
    window->projectionsPane()->selectProjection(QStringLiteral("account_balances"));
    QTRY_VERIFY(rebuild->isEnabled());
    QVERIFY(chaos->isEnabled());
    window->commandConsole()->selectCommand(QStringLiteral("Deposit"));
    window->commandConsole()->setTarget(QStringLiteral("account-x"));
    saveShot(window.get(), QStringLiteral("operations"));

    // An auditor looks only: the same buttons are off, and the status bar says who is at the keys.
    window->setRole(Role::Auditor);
    QCOMPARE(child<QLabel>(*window, "roleLabel")->text(), QStringLiteral("Role: Auditor"));
    QTRY_VERIFY(!rebuild->isEnabled());
    QVERIFY(!dryRun->isEnabled());
    QVERIFY(!chaos->isEnabled());
    QVERIFY(!rebuild->toolTip().isEmpty());

    // Alerts and chaos drills reach the status bar.
    QVERIFY(child<QAbstractButton>(*window, "alertStatusButton"));
    window->setRole(Role::Developer);
    QVERIFY(window->chartsPane()->startChaosDrill(0.3));
    QTRY_VERIFY(child<QLabel>(*window, "chaosLabel")->isVisible());
    QVERIFY(child<QLabel>(*window, "chaosLabel")->text().contains(QLatin1String("30")));
    window->chartsPane()->stopChaosDrill();
    QTRY_VERIFY(!child<QLabel>(*window, "chaosLabel")->isVisible());

    // A role fixed by the configuration (gui.role) cannot be changed afterwards, by --role or otherwise.
    AppConfig fixed = ConfigLoader::defaults();
    fixed.gui.role = Role::Auditor;
    window->setConfig(fixed);
    window->setRole(Role::Developer);
    QCOMPARE(window->role(), Role::Auditor);
    QTRY_VERIFY(!rebuild->isEnabled());
    QVERIFY(!window->chartsPane()->startChaosDrill(0.3));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
