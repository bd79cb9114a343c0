// SPDX-License-Identifier: Apache-2.0
// Acceptance stories of an auditor, on the demo store opened read-only, through the real main window: browsing an
// account's history, travelling back to a month ago in it, exporting it with a header saying who exported what, and
// being unable to change anything (no commands, no projection operations, nothing written). Each test function is one
// story.
#include "storeprobe.h"
#include "storyfixture.h"
#include "storyhelpers.h"

#include "commandconsole.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "modelroles.h"
#include "operatorauditmodel.h"
#include "projectionspane.h"
#include "projectionstatusmodel.h"
#include "streamlistmodel.h"
#include "timetravelmodel.h"
#include "timetravelpane.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QByteArray AuditorActor = "auditor:olga.berg";

/**
 * Enters \a path as the file dialog's file name and presses Save once it is enabled.
 *
 * Two things of QFileDialog make a typed answer unreliable on a busy machine, and hung this story in CI: the name
 * box's completion list opens while typing and takes the Return key or the click on Save, and the dialog checks a
 * path against its file system model, which loads folders on a thread of its own, so Save stays disabled for a
 * path that is fine until the folder is loaded. So the name is set as a whole (no completion list opens) and set
 * again until Save takes it, for up to ten seconds; then the dialog is rejected, so that the story fails instead of
 * hanging.
 */
void enterAndSave(QPointer<QFileDialog> dialog, const QString& path, int attempts = 200)
{
    if (!dialog || !dialog->isVisible())
        return; // answered
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    auto* buttons = dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttonBox"));
    QAbstractButton* save = nullptr;
    for (QAbstractButton* button : buttons ? buttons->buttons() : QList<QAbstractButton*>()) {
        if (buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            save = button;
    }
    if (!name || !save) {
        qWarning("the file dialog has no file name box or no Save button; closing it");
        dialog->reject();
        return;
    }
    if (QWidget* popup = QApplication::activePopupWidget())
        popup->close();
    name->clear();
    name->setText(path);
    if (save->isEnabled())
        save->click();
    if (attempts == 0) {
        if (dialog && dialog->isVisible()) {
            qWarning("the file dialog did not take '%s'; closing it", qPrintable(path));
            dialog->reject();
        }
        return;
    }
    QTimer::singleShot(50, dialog, [dialog, path, attempts] { enterAndSave(dialog, path, attempts - 1); });
}

/**
 * Answers the next file dialog (enterAndSave). The file dialog is modal
 * (QFileDialog::getSaveFileName), so this polls for it, for up to a minute, from the event loop it runs.
 */
void answerFileDialog(const QString& path, bool* answered, int attempts = 1200)
{
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        auto* dialog = qobject_cast<QFileDialog*>(widget);
        if (dialog && dialog->isVisible()) {
            *answered = true;
            enterAndSave(dialog, path);
            return;
        }
    }
    if (attempts > 0)
        QTimer::singleShot(50, [path, answered, attempts] { answerFileDialog(path, answered, attempts - 1); });
}

/// The account's balance after each version of \a events (its stream), as the events themselves state it.
QList<qint64> balances(const QList<RecordedEvent>& events)
{
    QList<qint64> result;
    qint64 balance = 0;
    for (const RecordedEvent& event : events) {
        const QJsonObject payload = event.payloadObject();
        if (payload.contains(u"balanceAfter"))
            balance = payload.value(u"balanceAfter").toInteger();
        else if (event.eventType == QLatin1String("BalanceCorrected"))
            balance = payload.value(u"to").toInteger();
        result.append(balance);
    }
    return result;
}

/// The value the time travel table shows for the field \a path (undefined when it has no such row).
QJsonValue shownField(TimeTravelModel* fields, const QString& path)
{
    for (int row = 0; row < fields->rowCount(); ++row) {
        if (fields->index(row, TimeTravelModel::ColumnPath).data().toString() == path)
            return fields->index(row, 0).data(TimeTravelModel::ValueRole).value<QJsonValue>();
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace

class TestAuditorStories : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qputenv("EVENTSCOPE_ACTOR", AuditorActor);
        QVERIFY(m_fixture.seedDemo());
    }
    void init() { QVERIFY(m_fixture.copyDemo()); }
    void cleanup()
    {
        m_fixture.closeWindow();
        QThreadPool::globalInstance()->waitForDone();
    }

    void auditorBrowsesTimeTravelsAndExportsAnAccount();
    void auditorCannotDispatchOrRebuild();

private:
    StoryFixture m_fixture;
};

// As an auditor, I open the store read-only, go through an account's history, look at the account as it was a
// month ago, and export its stream to a file whose header says that I, as auditor, exported it and with which
// filter, so that the evidence I file can be traced.
void TestAuditorStories::auditorBrowsesTimeTravelsAndExportsAnAccount()
{
    m_fixture.story(QStringLiteral("auditor-browses-exports"));
    StoreProbe probe(m_fixture.store());
    QVERIFY(probe.isOpen());
    // The account under audit: the one with the longest history.
    QHash<QString, int> sizes;
    for (const RecordedEvent& event : probe.all()) {
        if (event.streamId.startsWith(QLatin1String("account-")))
            ++sizes[event.streamId];
    }
    QString account;
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it) {
        if (account.isEmpty() || it.value() > sizes.value(account)
            || (it.value() == sizes.value(account) && it.key() < account))
            account = it.key();
    }
    const QList<RecordedEvent> history = probe.stream(account);
    QVERIFY2(history.size() >= 6, qPrintable(account));
    const qint64 eventsBefore = probe.eventCount();

    MainWindow* window = m_fixture.openWindow(Role::Auditor);
    QVERIFY(window);
    m_fixture.given(QStringLiteral("an auditor who opened the demo store read-only"));
    QCOMPARE(m_fixture.child<QLabel>("roleLabel")->text(), QStringLiteral("Role: %1").arg(roleTitle(Role::Auditor)));
    QVERIFY2(m_fixture.child<QLabel>("storeLabel")->text().contains(QLatin1String("read-only")),
        qPrintable(m_fixture.child<QLabel>("storeLabel")->text()));

    m_fixture.when(QStringLiteral("they filter the streams dock for the account and open its stream"));
    QTest::keyClicks(m_fixture.child<QLineEdit>("streamFilterEdit"), account);
    StreamListModel* streams = window->streamModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        !streams->isLoading() && streams->filter() == account && streams->rowOf(account) >= 0, 10000);
    QCOMPARE(streams->rowCount(), 1);
    auto* streamView = m_fixture.child<QTreeView>("streamView");
    clickIndex(streamView, streamView->model()->index(streams->rowOf(account), 0));
    EventTableModel* events = window->eventModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        !events->isLoading() && events->query().streamId == account && events->rowCount() > 0, 10000);
    while (events->canFetchMore({})) {
        events->fetchMore({});
        QTRY_VERIFY(!events->isLoading());
    }

    m_fixture.then(QStringLiteral("the events table shows the account's whole history, newest first"));
    QCOMPARE(events->rowCount(), history.size());
    for (int row = 0; row < events->rowCount(); ++row) {
        const RecordedEvent& event = history.at(history.size() - 1 - row);
        QCOMPARE(events->positionAt(row), event.position);
        QCOMPARE(events->index(row, 0).data(EventTypeRole).toString(), event.eventType);
    }

    // Time travel "to last month": the demo history spans the last 90 days (DemoSeeder::Options::historyDays), so a
    // month ago lies inside it. The auditor types that moment into the time travel pane's "as of" field.
    m_fixture.when(
        QStringLiteral("they select the newest event and travel back to a month ago in the time travel pane"));
    window->findChild<QDockWidget*>(QStringLiteral("timeTravelDock"))->raise(); // its tab clicked
    clickIndex(window->eventView(), events->index(0, EventTableModel::ColumnType));
    TimeTravelPane* pane = window->timeTravelPane();
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading() && pane->history() && pane->history()->streamId() == account, 10000);
    QTRY_COMPARE(pane->version(), StreamVersion(history.size() - 1));
    QDateTime monthAgo = QDateTime::currentDateTimeUtc().addMonths(-1);
    monthAgo.setTime(QTime(monthAgo.time().hour(), monthAgo.time().minute(), monthAgo.time().second())); // as typed
    // The account then, from the store: its events up to the last one recorded at or before that moment (to the end
    // of the second typed: the field shows seconds).
    const QDateTime asOf = monthAgo.addMSecs(999);
    StreamVersion then = NoStreamVersion;
    while (then + 1 < history.size() && history.at(then + 1).recordedAt <= asOf)
        ++then;
    QVERIFY2(then >= 0 && then < history.size() - 1,
        qPrintable(QStringLiteral("%1 should have events before and after %2, has %3 from %4 to %5")
                       .arg(account, monthAgo.toString(Qt::ISODate))
                       .arg(history.size())
                       .arg(history.constFirst().recordedAt.toString(Qt::ISODate),
                           history.constLast().recordedAt.toString(Qt::ISODate))));
    auto* timeEdit = m_fixture.child<QDateTimeEdit>("timeTravelTimeEdit");
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
    timeEdit->setFocus(Qt::TabFocusReason); // tabbed into: its first section, the year, is selected
    QTest::keyClicks(timeEdit, monthAgo.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")));
    QCOMPARE(timeEdit->text(), monthAgo.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")));
    QTest::keyClick(timeEdit, Qt::Key_Return);

    m_fixture.then(QStringLiteral("the pane shows the account as it was a month ago, as the store's events replay it"));
    QTRY_COMPARE(pane->version(), then);
    QCOMPARE(m_fixture.child<QSlider>("timeTravelSlider")->value(), int(then));
    QCOMPARE(m_fixture.child<QListView>("timeTravelSteps")->currentIndex().row(), int(then));
    const QString paneHeader = m_fixture.child<QLabel>("timeTravelHeader")->text();
    QVERIFY2(paneHeader.contains(QStringLiteral("at version %1 of %2").arg(then).arg(history.size() - 1))
            && paneHeader.contains(history.at(then).recordedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
        qPrintable(paneHeader));
    // Replayed here from the events' payloads, independently of the domain code the pane uses.
    QJsonObject replayed { { QStringLiteral("exists"), false }, { QStringLiteral("frozen"), false } };
    qint64 balance = 0;
    for (StreamVersion version = 0; version <= then; ++version) {
        const RecordedEvent& event = history.at(version);
        const QJsonObject payload = event.payloadObject();
        if (event.eventType == QLatin1String("AccountOpened")) {
            replayed.insert(QStringLiteral("exists"), true);
            replayed.insert(QStringLiteral("owner"), payload.value(u"owner"));
            replayed.insert(QStringLiteral("currency"), payload.value(u"currency"));
        } else if (event.eventType == QLatin1String("AccountFrozen")
            || event.eventType == QLatin1String("AccountUnfrozen")) {
            replayed.insert(QStringLiteral("frozen"), event.eventType == QLatin1String("AccountFrozen"));
        }
        if (payload.contains(u"balanceAfter"))
            balance = payload.value(u"balanceAfter").toInteger();
        else if (event.eventType == QLatin1String("BalanceCorrected"))
            balance = payload.value(u"to").toInteger();
    }
    replayed.insert(QStringLiteral("balance"), balance);
    for (auto it = replayed.constBegin(); it != replayed.constEnd(); ++it) {
        const QJsonValue shown = shownField(pane->fieldModel(), it.key());
        QVERIFY2(shown == it.value() || (shown.isDouble() && shown.toInteger() == it.value().toInteger(-1)),
            qPrintable(QStringLiteral("%1: shown %2, replayed %3")
                           .arg(it.key(), TimeTravelModel::valueText(shown), TimeTravelModel::valueText(it.value()))));
    }
    QCOMPARE(balance, balances(history).at(then));
    QVERIFY(history.at(then + 1).recordedAt > asOf); // the next event came later: this is the state then
    QVERIFY(balances(history).at(then) != balances(history).constLast() || history.size() < 10); // not the state now

    m_fixture.when(QStringLiteral("they export the stream with File, Export events"));
    QTemporaryDir exportDir;
    QVERIFY(exportDir.isValid());
    const QString path = exportDir.filePath(QStringLiteral("audit-") + account + QStringLiteral(".jsonl"));
    QAction* exportAction = window->findChild<QAction*>(QStringLiteral("actionExport"));
    QVERIFY(exportAction && exportAction->isEnabled());
    bool answered = false;
    answerFileDialog(path, &answered);
    exportAction->trigger(); // the file dialog runs (and is answered) in here
    QVERIFY2(answered, "no file dialog asked where to export to");
    QPointer<ExportDialog> dialog = window->findChild<ExportDialog*>(QStringLiteral("exportDialog"));
    QVERIFY(dialog);
    QCOMPARE(dialog->path(), path);
    QTRY_VERIFY_WITH_TIMEOUT(dialog && !dialog->isRunning(), 20000);
    m_fixture.then(QStringLiteral("the export dialog says it is done"));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    QVERIFY(lines.size() > 1);
    m_fixture.also(QStringLiteral("the file's header names the auditor, the role and the stream filter"));
    const QJsonObject header = QJsonDocument::fromJson(lines.constFirst()).object();
    QCOMPARE(header.value(u"role").toString(), QStringLiteral("auditor"));
    QCOMPARE(header.value(u"exportedBy").toString(), QString::fromLatin1(AuditorActor));
    const EventQuery filter = EventQuery::fromJson(header.value(u"filter").toObject());
    QCOMPARE(filter, events->query());
    QCOMPARE(filter.streamId, account);
    QVERIFY2(
        header.value(u"filterText").toString().contains(account), qPrintable(header.value(u"filterText").toString()));
    QVERIFY(header.value(u"store").toString().contains(QLatin1String("read-only")));

    m_fixture.also(QStringLiteral("its rows are the stream's events, in order"));
    QCOMPARE(lines.size() - 1, history.size());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QJsonObject row = QJsonDocument::fromJson(lines.at(i)).object();
        const RecordedEvent& event = history.at(i - 1);
        QCOMPARE(row.value(u"position").toInteger(), event.position);
        QCOMPARE(row.value(u"streamId").toString(), account);
        QCOMPARE(row.value(u"version").toInteger(), event.streamVersion);
        QCOMPARE(row.value(u"type").toString(), event.eventType);
    }
    QCOMPARE(probe.eventCount(), eventsBefore); // looking and exporting wrote nothing
}

// As an auditor I only look: the command console and the projection operations are closed to me, each saying why,
// so that nobody can say an audit changed the data — and indeed nothing is written.
void TestAuditorStories::auditorCannotDispatchOrRebuild()
{
    m_fixture.story(QStringLiteral("auditor-cannot-change"));
    StoreProbe probe(m_fixture.store());
    QVERIFY(probe.isOpen());
    const qint64 eventsBefore = probe.eventCount();
    const GlobalPosition headBefore = probe.head();

    MainWindow* window = m_fixture.openWindow(Role::Auditor);
    QVERIFY(window);
    EventTableModel* events = window->eventModel();
    int row = 0;
    while (row < events->rowCount()
        && !events->index(row, 0).data(StreamIdRole).toString().startsWith(QLatin1String("account-")))
        ++row;
    QVERIFY(row < events->rowCount());
    const QString account = events->index(row, 0).data(StreamIdRole).toString();
    clickIndex(window->eventView(), events->index(row, EventTableModel::ColumnType));
    QTRY_COMPARE_WITH_TIMEOUT(window->inspectedEvent().streamId, account, 10000);
    m_fixture.given(QStringLiteral("an auditor who opened the demo store read-only, an account event selected"));

    m_fixture.when(QStringLiteral("they open the command console with Operations, Dispatch a command"));
    window->findChild<QAction*>(QStringLiteral("actionDispatch"))->trigger();
    QTRY_VERIFY(window->commandConsole()->isVisible());

    m_fixture.then(QStringLiteral("the console is disabled and says that auditors have read-only access"));
    auto* notice = m_fixture.child<QLabel>("roleNotice");
    QVERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains(QLatin1String("auditor")) && notice->text().contains(QLatin1String("read-only")),
        qPrintable(notice->text()));
    auto* body = m_fixture.child<QWidget>("consoleBody");
    QVERIFY(!body->isEnabled());
    QCOMPARE(body->toolTip(), notice->text());
    auto* dryRun = m_fixture.child<QPushButton>("dryRunButton");
    auto* commit = m_fixture.child<QPushButton>("commitButton");
    QVERIFY(!dryRun->isEnabled());
    QVERIFY(!commit->isEnabled());
    // Clicking and choosing anyway does nothing: a disabled list takes no selection, disabled buttons no clicks.
    auto* commands = m_fixture.child<QTreeWidget>("commandList");
    if (commands->topLevelItemCount() > 0 && commands->topLevelItem(0)->childCount() > 0) {
        QTreeWidgetItem* item = commands->topLevelItem(0)->child(0);
        QTest::mouseClick(commands->viewport(), Qt::LeftButton, {}, commands->visualItemRect(item).center());
    }
    QVERIFY(window->commandConsole()->currentCommand().isEmpty());
    QTest::mouseClick(dryRun, Qt::LeftButton);
    QTest::mouseClick(commit, Qt::LeftButton);
    QCOMPARE(m_fixture.child<QTreeWidget>("previewEvents")->topLevelItemCount(), 0);

    m_fixture.when(QStringLiteral("they open the projections pane and select the balances read model"));
    QAction* projectionsAction = menuAction(window, QStringLiteral("Operations"), QStringLiteral("Projections"));
    QVERIFY(projectionsAction);
    projectionsAction->trigger();
    ProjectionsPane* pane = window->projectionsPane();
    QTRY_VERIFY(pane->isVisible());
    auto* table = m_fixture.child<QTableView>("projectionsTable");
    ProjectionStatusModel* statuses = pane->statusModel();
    QTRY_VERIFY_WITH_TIMEOUT(statuses->rowCount() > 0, 10000);
    int balancesRow = -1;
    for (int r = 0; r < statuses->rowCount(); ++r) {
        if (statuses->index(r, 0).data(ProjectionStatusModel::NameRole).toString() == u"account_balances")
            balancesRow = r;
    }
    QVERIFY(balancesRow >= 0);
    clickIndex(table, table->model()->index(balancesRow, 0));
    QCOMPARE(pane->selectedProjection(), QStringLiteral("account_balances"));
    const int auditEntries = pane->auditModel()->rowCount();

    m_fixture.then(QStringLiteral("rebuild and skip are disabled, their tool tips and a note say why"));
    auto* note = m_fixture.child<QLabel>("projectionsRoleNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QLatin1String("auditor")), qPrintable(note->text()));
    for (const char* name : { "projectionRebuild", "projectionSkip", "projectionReset", "projectionPause" }) {
        auto* button = m_fixture.child<QPushButton>(name);
        QVERIFY2(button && !button->isEnabled(), name);
        QVERIFY2(button->toolTip().contains(QLatin1String("auditor role may not")), qPrintable(button->toolTip()));
        QTest::mouseClick(button, Qt::LeftButton); // does nothing
    }
    QVERIFY(!pane->pendingConfirmation());
    QVERIFY(!window->findChild<QDialog*>(QStringLiteral("projectionActionDialog")));

    m_fixture.also(QStringLiteral("nothing was written: same events, same head, no operator action logged"));
    QCOMPARE(probe.eventCount(), eventsBefore);
    QCOMPARE(probe.head(), headBefore);
    auto* tabs = m_fixture.child<QTabWidget>("projectionsTabs");
    clickTab(tabs, QStringLiteral("Audit log"));
    QSignalSpy reloaded(pane->auditModel(), &OperatorAuditModel::loaded);
    QSignalSpy failed(pane->auditModel(), &OperatorAuditModel::failed);
    QTest::mouseClick(m_fixture.child<QPushButton>("auditRefresh"), Qt::LeftButton); // the audit log read again
    QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty() && !pane->auditModel()->isLoading(), 10000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.constFirst().constFirst().toString()));
    QCOMPARE(pane->auditModel()->rowCount(), auditEntries);
}

QTEST_MAIN(TestAuditorStories)
#include "tst_auditorstories.moc"
