// SPDX-License-Identifier: Apache-2.0
#include "eventtablemodel.h"
#include "mainwindow.h"
#include "modelroles.h"
#include "streamlistmodel.h"
#include "teststores.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace EventScope;
using EventScope::Test::TestStore;

namespace {

bool appendUserEvents(EventStore& store, const QString& streamId, const QString& name, int count)
{
    QList<EventData> events;
    for (int i = 0; i < count; ++i) {
        events.append(EventData::create(i == 0 ? QStringLiteral("UserCreated") : QStringLiteral("UserRenamed"),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("%1 %2").arg(name).arg(i) } },
            QJsonObject { { QStringLiteral("actor"), QStringLiteral("support:%1").arg(name.toLower()) },
                { QStringLiteral("reason"), QStringLiteral("test") } }));
    }
    return store.append(streamId, ExpectedVersion::any(), events).ok();
}

/// Clicks the centre of \a index in \a view, scrolling it into view first.
void clickIndex(QAbstractItemView* view, const QModelIndex& index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void showsPlaceholderWithoutStore();
    void browsesStreamsAndEvents();
    void filtersStreams();
    void growsLiveWhenEventsAreAppended();
    void opensStoreOffTheGuiThread();
    void reportsStoreThatCannotBeOpened();

private:
    template <typename T>
    T* child(QWidget& window, const char* name)
    {
        T* widget = window.findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qWarning("no child %s", name);
        return widget;
    }

    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
};

void TestMainWindow::init()
{
    m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
    auto opened = m_testStore->open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
    m_store = *opened;
    QVERIFY(appendUserEvents(*m_store, QStringLiteral("user-ada"), QStringLiteral("Ada"), 3));
    QVERIFY(appendUserEvents(*m_store, QStringLiteral("user-bob"), QStringLiteral("Bob"), 5));
    QVERIFY(appendUserEvents(*m_store, QStringLiteral("account-1"), QStringLiteral("Carol"), 2));
}

void TestMainWindow::cleanup()
{
    m_store.reset();
    m_testStore.reset();
}

void TestMainWindow::showsPlaceholderWithoutStore()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* pages = child<QStackedWidget>(window, "pages");
    QVERIFY(pages);
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("placeholderPage"));
    auto* openButton = child<QPushButton>(window, "placeholderOpenButton");
    QVERIFY(openButton && openButton->isVisible() && openButton->isEnabled());
    QVERIFY(window.findChild<QAction*>(QStringLiteral("actionOpenStore"))->isEnabled());
    QCOMPARE(child<QLabel>(window, "storeLabel")->text(), QStringLiteral("No store open"));
    QVERIFY(!window.streamModel());
}

void TestMainWindow::browsesStreamsAndEvents()
{
    MainWindow window(m_store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* streamView = child<QTreeView>(window, "streamView");
    auto* eventView = child<QTableView>(window, "eventView");
    auto* payloadView = child<QPlainTextEdit>(window, "payloadView");
    auto* metadataView = child<QPlainTextEdit>(window, "metadataView");
    QVERIFY(streamView && eventView && payloadView && metadataView);
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("browserPage"));
    new QAbstractItemModelTester(
        eventView->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, eventView->model());

    // Streams in id order; $all to start with.
    QTRY_COMPARE(streamView->model()->rowCount(), 3);
    QCOMPARE(streamView->model()->index(0, 0).data().toString(), QStringLiteral("account-1"));
    QTRY_COMPARE(eventView->model()->rowCount(), 10);
    QVERIFY(child<QPushButton>(window, "allEventsButton")->isChecked());
    QTRY_COMPARE(child<QLabel>(window, "countLabel")->text(), QStringLiteral("10 events"));
    QCOMPARE(child<QLabel>(window, "headLabel")->text(), QStringLiteral("Head: %1").arg(*m_store->headPosition()));
    QVERIFY(child<QLabel>(window, "storeLabel")->text().contains(m_testStore->settings().connection));

    // Choose a stream: the table shows its events in version order.
    clickIndex(streamView, streamView->model()->index(2, 0)); // user-bob
    QTRY_COMPARE(eventView->model()->rowCount(), 5);
    QTRY_VERIFY(!window.eventModel()->isLoading());
    QCOMPARE(window.eventModel()->streamId(), QStringLiteral("user-bob"));
    QVERIFY(!child<QPushButton>(window, "allEventsButton")->isChecked());
    for (int row = 0; row < 5; ++row) {
        QCOMPARE(eventView->model()->index(row, 0).data(StreamIdRole).toString(), QStringLiteral("user-bob"));
        QCOMPARE(eventView->model()->index(row, EventTableModel::ColumnVersion).data().toLongLong(), row);
    }
    QVERIFY(payloadView->toPlainText().isEmpty());

    // Choose an event: its payload and metadata appear as indented JSON.
    clickIndex(eventView, eventView->model()->index(3, EventTableModel::ColumnType));
    QTRY_VERIFY(payloadView->toPlainText().contains(QLatin1String("\"name\": \"Bob 3\"")));
    QVERIFY(payloadView->toPlainText().contains(u'\n'));
    QVERIFY(metadataView->toPlainText().contains(QLatin1String("\"actor\": \"support:bob\"")));
    QCOMPARE(
        eventView->model()->index(3, EventTableModel::ColumnActor).data().toString(), QStringLiteral("support:bob"));

    // Back to $all: the detail pane empties with the table.
    QTest::mouseClick(child<QPushButton>(window, "allEventsButton"), Qt::LeftButton);
    QTRY_COMPARE(eventView->model()->rowCount(), 10);
    QCOMPARE(window.eventModel()->source(), EventTableModel::Source::All);
    QVERIFY(payloadView->toPlainText().isEmpty());
    QVERIFY(!streamView->selectionModel()->hasSelection());
}

void TestMainWindow::filtersStreams()
{
    MainWindow window(m_store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* streamView = child<QTreeView>(window, "streamView");
    QTRY_COMPARE(streamView->model()->rowCount(), 3);

    QTest::keyClicks(child<QLineEdit>(window, "streamFilterEdit"), QStringLiteral("user-*"));
    QTRY_COMPARE(window.streamModel()->filter(), QStringLiteral("user-*"));
    QTRY_COMPARE(streamView->model()->rowCount(), 2);
    QCOMPARE(streamView->model()->index(0, 0).data().toString(), QStringLiteral("user-ada"));
    QCOMPARE(streamView->model()->index(1, 0).data().toString(), QStringLiteral("user-bob"));

    auto* filterEdit = child<QLineEdit>(window, "streamFilterEdit");
    filterEdit->clear();
    QTest::keyClicks(filterEdit, QStringLiteral("acc"));
    QTest::keyClick(filterEdit, Qt::Key_Return);
    QCOMPARE(window.streamModel()->filter(), QStringLiteral("acc"));
    QTRY_COMPARE(streamView->model()->rowCount(), 1);
    QCOMPARE(streamView->model()->index(0, 0).data().toString(), QStringLiteral("account-1"));
}

void TestMainWindow::growsLiveWhenEventsAreAppended()
{
    MainWindow window(m_store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* streamView = child<QTreeView>(window, "streamView");
    auto* eventView = child<QTableView>(window, "eventView");
    QTRY_COMPARE(streamView->model()->rowCount(), 3);
    clickIndex(streamView, streamView->model()->index(1, 0)); // user-ada
    QTRY_COMPARE(eventView->model()->rowCount(), 3);

    QSignalSpy reset(eventView->model(), &QAbstractItemModel::modelReset);
    QVERIFY(appendUserEvents(*m_store, QStringLiteral("user-ada"), QStringLiteral("Ada"), 2));
    QVERIFY(appendUserEvents(*m_store, QStringLiteral("user-dan"), QStringLiteral("Dan"), 1));
    QTRY_COMPARE(eventView->model()->rowCount(), 5);
    QTRY_COMPARE(streamView->model()->rowCount(), 4);
    QCOMPARE(streamView->model()->index(3, 0).data().toString(), QStringLiteral("user-dan"));
    QTRY_COMPARE(streamView->model()->index(1, StreamListModel::ColumnEvents).data().toLongLong(), 5);
    QTRY_COMPARE(child<QLabel>(window, "countLabel")->text(), QStringLiteral("13 events"));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(window.eventModel()->streamId(), QStringLiteral("user-ada"));
}

void TestMainWindow::opensStoreOffTheGuiThread()
{
    const StoreSettings settings = m_testStore->settings();
    m_store.reset(); // the window opens its own

    MainWindow window;
    window.show();
    QSignalSpy changed(&window, &MainWindow::storeChanged);
    QSignalSpy failed(&window, &MainWindow::openFailed);
    window.openStore(settings, QStringLiteral("Opening the test store…"));
    QVERIFY(window.isOpening());
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("busyPage"));
    QCOMPARE(child<QLabel>(window, "busyLabel")->text(), QStringLiteral("Opening the test store…"));
    QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionOpenStore"))->isEnabled());

    QTRY_VERIFY(window.store());
    QCOMPARE(failed.size(), 0);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("browserPage"));
    QTRY_COMPARE(child<QTreeView>(window, "streamView")->model()->rowCount(), 3);
    QVERIFY(window.findChild<QAction*>(QStringLiteral("actionOpenStore"))->isEnabled());
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
    QVERIFY(!message.isEmpty());

    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>(QStringLiteral("openErrorBox"))) != nullptr);
    QCOMPARE(box->text(), message);
    QTRY_VERIFY(box->isVisible());
    box->accept();
    QCOMPARE(child<QStackedWidget>(window, "pages")->currentWidget()->objectName(), QStringLiteral("placeholderPage"));
    QVERIFY(!window.store());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
