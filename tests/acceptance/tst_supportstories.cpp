// SPDX-License-Identifier: Apache-2.0
// Acceptance stories of support staff, on the demo store, through the real main window: finding a customer by
// e-mail and fixing the address (dry run, then commit, with the reason in the audit metadata), and reversing a wrong
// withdrawal (the balance and statement read models follow). Each test function is one story.
#include "storeprobe.h"
#include "storyfixture.h"
#include "storyhelpers.h"

#include "commandconsole.h"
#include "engine/engine.h"
#include "eventfilterbar.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "mainwindow.h"
#include "modelroles.h"
#include "projectionspane.h"
#include "projectionstatusmodel.h"
#include "streamlistmodel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QThreadPool>
#include <QTreeView>
#include <QTreeWidget>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QByteArray SupportActor = "support:dana.whitfield";

/// The user's address after \a events (its stream): the last one an event set.
QString currentEmail(const QList<RecordedEvent>& events)
{
    QString email;
    for (const RecordedEvent& event : events) {
        if (event.payloadObject().contains(u"email"))
            email = event.payloadObject().value(u"email").toString();
    }
    return email;
}

/// Types \a text into the console's command search and clicks the command \a type in the list.
void chooseCommand(QTreeWidget* list, QLineEdit* search, const QString& type)
{
    search->clear();
    QTest::keyClicks(search, type);
    QTreeWidgetItem* found = nullptr;
    for (int g = 0; g < list->topLevelItemCount() && !found; ++g) {
        for (int c = 0; c < list->topLevelItem(g)->childCount(); ++c) {
            QTreeWidgetItem* item = list->topLevelItem(g)->child(c);
            if (!item->isHidden() && item->text(0).startsWith(type))
                found = item;
        }
    }
    QVERIFY2(found, qPrintable(type));
    list->scrollToItem(found);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(found).center());
    QCOMPARE(list->currentItem(), found);
}

/// Clicks the console's Dry run \a button and waits for the answer (the button is disabled while it runs).
void dryRun(QPushButton* button)
{
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!button->isEnabled()); // running
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 10000); // it answered
}

/// The row of \a tree whose first column is \a first, or null.
const QTreeWidgetItem* rowOf(const QTreeWidget* tree, const QString& first)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(0) == first)
            return tree->topLevelItem(i);
    }
    return nullptr;
}

/// The integer after `"<key>": ` in \a json (the console's indented state), or -1.
qint64 jsonNumber(const QString& json, const QString& key)
{
    const QRegularExpression number(u'"' + QRegularExpression::escape(key) + QStringLiteral("\":\\s*(-?\\d+)"));
    const auto match = number.match(json);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

/// The text after `"<key>": "` in \a json, up to the closing quote, or empty.
QString jsonText(const QString& json, const QString& key)
{
    const QRegularExpression text(u'"' + QRegularExpression::escape(key) + QStringLiteral("\":\\s*\"([^\"]*)\""));
    return text.match(json).captured(1);
}

/// The projections pane's checkpoint of \a projection, as its table shows it (-1 when it has no row).
qint64 shownCheckpoint(ProjectionStatusModel* model, const QString& projection)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(ProjectionStatusModel::NameRole).toString() == projection)
            return model->index(row, ProjectionStatusModel::ColumnCheckpoint)
                .data(ProjectionStatusModel::SortRole)
                .toLongLong();
    }
    return -1;
}

} // namespace

class TestSupportStories : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Who is at the keys: the window stamps this actor on every command and export.
        qputenv("EVENTSCOPE_ACTOR", SupportActor);
        QVERIFY(m_fixture.seedDemo());
    }
    void init() { QVERIFY(m_fixture.copyDemo()); }
    void cleanup()
    {
        m_fixture.closeWindow();
        QThreadPool::globalInstance()->waitForDone();
    }

    void supportFindsAUserByEmailAndFixesItWithDryRunAndCommit();
    void supportReversesAWrongWithdrawalAndTheReadModelsFollow();

private:
    StoryFixture m_fixture;
};

// As support staff, when a customer writes in from an address we have wrong, I find the customer by that e-mail
// address, try the correction as a dry run (which writes nothing), then commit it with the reason, so that the
// audit trail says who changed the address, in which role and why.
void TestSupportStories::supportFindsAUserByEmailAndFixesItWithDryRunAndCommit()
{
    m_fixture.story(QStringLiteral("support-fixes-email"));
    StoreProbe probe(m_fixture.store());
    QVERIFY(probe.isOpen());

    // The customer: an active user of the demo, with the address the store holds for them now.
    QHash<QString, QString> emails;
    QHash<QString, bool> active;
    for (const RecordedEvent& event : probe.all()) {
        if (!event.streamId.startsWith(QLatin1String("user-")))
            continue;
        const QString email = event.payloadObject().value(u"email").toString();
        if (!email.isEmpty())
            emails[event.streamId] = email;
        if (event.eventType == QLatin1String("UserDeactivated"))
            active[event.streamId] = false;
        else if (event.eventType == QLatin1String("UserCreated") || event.eventType == QLatin1String("UserReactivated"))
            active[event.streamId] = true;
    }
    QString user;
    QStringList users = emails.keys();
    users.sort(); // the same customer on every run
    for (const QString& candidate : std::as_const(users)) {
        if (user.isEmpty() && active.value(candidate))
            user = candidate;
    }
    QVERIFY2(!user.isEmpty(), "the demo has no active user with an e-mail address");
    const QString wrongEmail = emails.value(user);
    const QString rightEmail = QStringLiteral("dana.customer.fixed@example.org");
    const QString reason = QStringLiteral("Customer called: typo in the address given at sign-up (verified by phone)");
    const qint64 eventsBefore = probe.eventCount();
    const qint64 userVersionBefore = probe.stream(user).size() - 1;

    MainWindow* window = m_fixture.openWindow(Role::Support);
    QVERIFY(window);
    m_fixture.given(QStringLiteral("support staff with the demo store open"));
    QCOMPARE(m_fixture.child<QLabel>("roleLabel")->text(), QStringLiteral("Role: %1").arg(roleTitle(Role::Support)));
    EventTableModel* events = window->eventModel();

    m_fixture.when(QStringLiteral("they search the events for the payload email equal to the customer's address"));
    QTest::keyClicks(m_fixture.child<QLineEdit>("payloadPathEdit"), QStringLiteral("email"));
    auto* match = m_fixture.child<QComboBox>("payloadMatchCombo");
    match->setCurrentIndex(match->findData(int(PayloadCondition::Match::Equals)));
    QTest::keyClicks(m_fixture.child<QLineEdit>("payloadValueEdit"), wrongEmail);
    QTest::mouseClick(m_fixture.child<QPushButton>("searchButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        !events->isLoading() && events->query().payload.value == wrongEmail && events->rowCount() > 0, 15000);

    m_fixture.then(QStringLiteral("the table lists exactly the events that carry that address, all of one user"));
    const EventQuery query = events->query();
    QCOMPARE(query.payload.path, QStringLiteral("email"));
    QList<GlobalPosition> expected;
    for (const RecordedEvent& event : probe.all()) {
        if (query.matches(event))
            expected.prepend(event.position); // the table shows the newest first
    }
    QList<GlobalPosition> shown;
    for (int row = 0; row < events->rowCount(); ++row) {
        shown.append(events->positionAt(row));
        QCOMPARE(events->index(row, 0).data(StreamIdRole).toString(), user);
    }
    QCOMPARE(shown, expected);

    m_fixture.when(QStringLiteral("they select the newest one"));
    clickIndex(window->eventView(), events->index(0, EventTableModel::ColumnType));
    QTRY_COMPARE(window->inspectedEvent().position, expected.constFirst());
    m_fixture.then(QStringLiteral("the inspector shows it with the customer's address"));
    QVERIFY(m_fixture.child<QPlainTextEdit>("payloadRaw")->toPlainText().contains(wrongEmail));

    m_fixture.when(QStringLiteral("they open the command console and choose ChangeEmail"));
    QAction* dispatch = window->findChild<QAction*>(QStringLiteral("actionDispatch"));
    QVERIFY(dispatch && dispatch->isEnabled());
    dispatch->trigger();
    QTRY_VERIFY(window->commandConsole()->isVisible());
    chooseCommand(m_fixture.child<QTreeWidget>("commandList"), m_fixture.child<QLineEdit>("commandSearch"),
        QStringLiteral("ChangeEmail"));
    QCOMPARE(window->commandConsole()->currentCommand(), QStringLiteral("ChangeEmail"));
    QCOMPARE(m_fixture.child<QLineEdit>("targetEdit")->text(), user);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_fixture.child<QLabel>("targetStatus")->text().contains(QStringLiteral("version %1").arg(userVersionBefore)),
        10000);
    QCOMPARE(
        jsonText(m_fixture.child<QPlainTextEdit>("targetState")->toPlainText(), QStringLiteral("email")), wrongEmail);

    m_fixture.also(QStringLiteral("type the right address and the reason, and dry-run it"));
    QTest::keyClicks(m_fixture.child<QLineEdit>("field_email"), rightEmail);
    QTest::keyClicks(m_fixture.child<QLineEdit>("reasonEdit"), reason);
    QTest::keyClicks(m_fixture.child<QLineEdit>("ticketEdit"), QStringLiteral("SUP-4711"));
    QVERIFY(!m_fixture.child<QPushButton>("commitButton")->isEnabled()); // no commit before a dry run
    dryRun(m_fixture.child<QPushButton>("dryRunButton"));
    auto* preview = m_fixture.child<QTreeWidget>("previewEvents");

    m_fixture.then(QStringLiteral("the console shows the UserEmailChanged event it would write and the change of "
                                  "the address"));
    QCOMPARE(preview->topLevelItemCount(), 1);
    QCOMPARE(preview->topLevelItem(0)->text(0), QStringLiteral("UserEmailChanged"));
    QVERIFY2(preview->topLevelItem(0)->text(1).contains(rightEmail), qPrintable(preview->topLevelItem(0)->text(1)));
    const QTreeWidgetItem* emailChange = rowOf(m_fixture.child<QTreeWidget>("stateDiff"), QStringLiteral("email"));
    QVERIFY(emailChange);
    QVERIFY2(emailChange->text(1).contains(wrongEmail), qPrintable(emailChange->text(1)));
    QVERIFY2(emailChange->text(2).contains(rightEmail), qPrintable(emailChange->text(2)));
    QVERIFY(m_fixture.child<QPushButton>("commitButton")->isEnabled());

    m_fixture.also(QStringLiteral("the store is unchanged: a dry run writes nothing"));
    QCOMPARE(probe.eventCount(), eventsBefore);
    QCOMPARE(probe.stream(user).size() - 1, userVersionBefore);
    QCOMPARE(currentEmail(probe.stream(user)), wrongEmail);

    m_fixture.when(QStringLiteral("they commit"));
    QSignalSpy written(window->commandConsole(), &CommandConsole::eventsWritten);
    QTest::mouseClick(m_fixture.child<QPushButton>("commitButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 10000);
    const QList<GlobalPosition> positions = written.constFirst().constFirst().value<QList<GlobalPosition>>();
    QCOMPARE(positions.size(), 1);
    const GlobalPosition newPosition = positions.constFirst();

    m_fixture.then(QStringLiteral("one UserEmailChanged event was written, with actor, role support and the reason"));
    QCOMPARE(probe.eventCount(), eventsBefore + 1);
    const QList<RecordedEvent> stream = probe.stream(user);
    QCOMPARE(stream.size() - 1, userVersionBefore + 1);
    const RecordedEvent& changed = stream.constLast();
    QCOMPARE(changed.position, newPosition);
    QCOMPARE(changed.eventType, QStringLiteral("UserEmailChanged"));
    QCOMPARE(changed.payloadObject().value(u"email").toString(), rightEmail);
    QCOMPARE(changed.payloadObject().value(u"previousEmail").toString(), wrongEmail);
    const QJsonObject metadata = changed.metadataObject();
    QCOMPARE(metadata.value(u"actor").toString(), QString::fromLatin1(SupportActor));
    QCOMPARE(metadata.value(u"role").toString(), QStringLiteral("support"));
    QCOMPARE(metadata.value(u"reason").toString(), reason);
    QCOMPARE(metadata.value(u"ticket").toString(), QStringLiteral("SUP-4711"));

    m_fixture.when(QStringLiteral("they follow the console's link to the new event and open the Metadata tab"));
    auto* links = m_fixture.child<QLabel>("eventLinks");
    QVERIFY(links->isVisible());
    const QString href = QStringLiteral("position:%1").arg(newPosition);
    QVERIFY2(links->text().contains(href), qPrintable(links->text()));
    Q_EMIT links->linkActivated(href); // what clicking the link does
    QTRY_COMPARE_WITH_TIMEOUT(window->inspectedEvent().position, newPosition, 10000);
    window->findChild<QDockWidget*>(QStringLiteral("inspectorDock"))->raise();
    clickTab(m_fixture.child<QTabWidget>("inspectorTabs"), m_fixture.child<QWidget>("metadataTab"));
    m_fixture.then(QStringLiteral("the inspector shows the audit metadata: actor, role support and the reason"));
    const QString shownMetadata = m_fixture.child<QPlainTextEdit>("metadataRaw")->toPlainText();
    QCOMPARE(jsonText(shownMetadata, QStringLiteral("actor")), QString::fromLatin1(SupportActor));
    QCOMPARE(jsonText(shownMetadata, QStringLiteral("role")), QStringLiteral("support"));
    QCOMPARE(jsonText(shownMetadata, QStringLiteral("reason")), reason);
    m_fixture.when(QStringLiteral("they search for the right address"));
    // Following the link showed every event (the new one does not pass the old filter): the filter is typed again.
    auto* path = m_fixture.child<QLineEdit>("payloadPathEdit");
    path->clear();
    QTest::keyClicks(path, QStringLiteral("email"));
    auto* value = m_fixture.child<QLineEdit>("payloadValueEdit");
    value->clear();
    QTest::keyClicks(value, rightEmail);
    QTest::keyClick(value, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!events->isLoading() && events->query().payload.value == rightEmail, 15000);
    m_fixture.then(QStringLiteral("only the new event carries it, and the status bar counts it"));
    QCOMPARE(events->rowCount(), 1);
    QCOMPARE(events->positionAt(0), newPosition);
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.child<QLabel>("headLabel")->text(),
        QStringLiteral("Head %1").arg(QLocale().toString(newPosition)), 5000);
    QCOMPARE(m_fixture.child<QLabel>("countLabel")->text(),
        QStringLiteral("%1 events").arg(QLocale().toString(eventsBefore + 1)));
}

// As support staff, when a customer disputes a withdrawal that should not have happened, I find it in the account's
// stream and reverse it with the reason, so that the account's balance and its statement show the money back.
void TestSupportStories::supportReversesAWrongWithdrawalAndTheReadModelsFollow()
{
    m_fixture.story(QStringLiteral("support-reverses-withdrawal"));
    StoreProbe probe(m_fixture.store());
    QVERIFY(probe.isOpen());

    // The disputed withdrawal: the newest one not reversed yet, of the busiest account that has one.
    struct Candidate {
        QString account;
        RecordedEvent withdrawal;
        int events = 0;
    };
    std::optional<Candidate> chosen;
    {
        QHash<QString, QList<RecordedEvent>> accounts;
        for (const RecordedEvent& event : probe.all()) {
            if (event.streamId.startsWith(QLatin1String("account-")))
                accounts[event.streamId].append(event);
        }
        for (auto it = accounts.cbegin(); it != accounts.cend(); ++it) {
            QSet<QString> reversed;
            std::optional<RecordedEvent> withdrawal;
            for (const RecordedEvent& event : it.value()) {
                if (event.eventType == QLatin1String("TransactionReversed"))
                    reversed.insert(event.payloadObject().value(u"transactionId").toString());
            }
            for (const RecordedEvent& event : it.value()) {
                if (event.eventType == QLatin1String("MoneyWithdrawn")
                    && !reversed.contains(event.payloadObject().value(u"transactionId").toString()))
                    withdrawal = event;
            }
            if (withdrawal
                && (!chosen || it.value().size() > chosen->events
                    || (it.value().size() == chosen->events && it.key() < chosen->account)))
                chosen = Candidate { it.key(), *withdrawal, int(it.value().size()) };
        }
    }
    QVERIFY2(chosen, "the demo has no withdrawal that can be reversed");
    const QString account = chosen->account;
    const QString accountId = account.mid(account.indexOf(u'-') + 1);
    const QString transactionId = chosen->withdrawal.payloadObject().value(u"transactionId").toString();
    const qint64 amount = chosen->withdrawal.payloadObject().value(u"amount").toInteger();
    QVERIFY(amount > 0);
    const QString reason = QStringLiteral("Customer disputed the card payment; merchant confirmed a double charge");
    const qint64 eventsBefore = probe.eventCount();

    MainWindow* window = m_fixture.openWindow(Role::Support);
    QVERIFY(window);
    QAction* projectionsAction = menuAction(window, QStringLiteral("Operations"), QStringLiteral("Projections"));
    QVERIFY(projectionsAction);
    projectionsAction->trigger();
    ProjectionStatusModel* statuses = window->projectionsPane()->statusModel();
    const GlobalPosition head = probe.all().constLast().position;
    QTRY_VERIFY_WITH_TIMEOUT(shownCheckpoint(statuses, QStringLiteral("account_balances")) >= head
            && shownCheckpoint(statuses, QStringLiteral("account_statements")) >= head,
        30000);
    m_fixture.given(QStringLiteral("support staff with the demo store open, its read models caught up"));

    m_fixture.when(QStringLiteral("they look the account up in the streams dock and open its stream"));
    QTest::keyClicks(m_fixture.child<QLineEdit>("streamFilterEdit"), account);
    StreamListModel* streams = window->streamModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        !streams->isLoading() && streams->filter() == account && streams->rowOf(account) >= 0, 10000);
    auto* streamView = m_fixture.child<QTreeView>("streamView");
    clickIndex(streamView, streamView->model()->index(streams->rowOf(account), 0));
    EventTableModel* events = window->eventModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        !events->isLoading() && events->query().streamId == account && events->rowCount() > 0, 10000);
    while (events->rowOfPosition(chosen->withdrawal.position) < 0 && events->canFetchMore({})) {
        events->fetchMore({});
        QTRY_VERIFY(!events->isLoading());
    }
    const int row = events->rowOfPosition(chosen->withdrawal.position);
    QVERIFY(row >= 0);

    m_fixture.also(QStringLiteral("select the wrong withdrawal"));
    clickIndex(window->eventView(), events->index(row, EventTableModel::ColumnType));
    QTRY_COMPARE_WITH_TIMEOUT(window->inspectedEvent().position, chosen->withdrawal.position, 10000);
    m_fixture.then(QStringLiteral("the inspector shows its amount and transaction id"));
    QCOMPARE(events->index(row, 0).data(EventTypeRole).toString(), QStringLiteral("MoneyWithdrawn"));
    const QString shownPayload = m_fixture.child<QPlainTextEdit>("payloadRaw")->toPlainText();
    QCOMPARE(jsonText(shownPayload, QStringLiteral("transactionId")), transactionId); // what they copy
    QCOMPARE(jsonNumber(shownPayload, QStringLiteral("amount")), amount);

    m_fixture.also(QStringLiteral("in the command console choose ReverseTransaction for that account"));
    window->findChild<QAction*>(QStringLiteral("actionDispatch"))->trigger();
    QTRY_VERIFY(window->commandConsole()->isVisible());
    chooseCommand(m_fixture.child<QTreeWidget>("commandList"), m_fixture.child<QLineEdit>("commandSearch"),
        QStringLiteral("ReverseTransaction"));
    QCOMPARE(m_fixture.child<QLineEdit>("targetEdit")->text(), account);
    auto* targetState = m_fixture.child<QPlainTextEdit>("targetState");
    QTRY_VERIFY_WITH_TIMEOUT(jsonNumber(targetState->toPlainText(), QStringLiteral("balance")) >= 0, 10000);
    const qint64 balanceBefore = jsonNumber(targetState->toPlainText(), QStringLiteral("balance"));

    // The balance read model has no view in the UI (the projections pane shows its progress, not its rows): the
    // story reads its row through the engine's QueryBus, as the application's clients would.
    const QueryResult accountBefore
        = window->engine()->query(Query { QStringLiteral("GetAccount"), { { QStringLiteral("id"), accountId } } });
    QVERIFY2(accountBefore.ok(), qPrintable(accountBefore.ok() ? QString() : accountBefore.error()->message));
    QCOMPARE(accountBefore.value().toObject().value(u"balance").toInteger(), balanceBefore);

    m_fixture.also(QStringLiteral("give the transaction id and the reason, and dry-run it"));
    QTest::keyClicks(m_fixture.child<QLineEdit>("field_transactionId"), transactionId);
    QTest::keyClicks(m_fixture.child<QLineEdit>("reasonEdit"), reason);
    dryRun(m_fixture.child<QPushButton>("dryRunButton"));
    auto* preview = m_fixture.child<QTreeWidget>("previewEvents");

    m_fixture.then(QStringLiteral("the dry run shows a TransactionReversed that gives the amount back, and writes "
                                  "nothing"));
    QCOMPARE(preview->topLevelItemCount(), 1);
    QCOMPARE(preview->topLevelItem(0)->text(0), QStringLiteral("TransactionReversed"));
    QVERIFY2(preview->topLevelItem(0)->text(1).contains(transactionId), qPrintable(preview->topLevelItem(0)->text(1)));
    const QTreeWidgetItem* balanceChange = rowOf(m_fixture.child<QTreeWidget>("stateDiff"), QStringLiteral("balance"));
    QVERIFY(balanceChange);
    QCOMPARE(balanceChange->text(1), QString::number(balanceBefore));
    QCOMPARE(balanceChange->text(2), QString::number(balanceBefore + amount));
    QCOMPARE(probe.eventCount(), eventsBefore);

    m_fixture.when(QStringLiteral("they commit and confirm the reversal"));
    QSignalSpy written(window->commandConsole(), &CommandConsole::eventsWritten);
    QTest::mouseClick(m_fixture.child<QPushButton>("commitButton"), Qt::LeftButton);
    QMessageBox* confirmation = nullptr;
    QTRY_VERIFY((confirmation = visibleDialog<QMessageBox>(window, QStringLiteral("confirmDialog"))));
    QVERIFY2(confirmation->informativeText().contains(QStringLiteral("TransactionReversed")),
        qPrintable(confirmation->informativeText()));
    m_fixture.also(QStringLiteral("the confirmation says what will change"));
    QTest::mouseClick(confirmation->findChild<QPushButton*>(QStringLiteral("confirmButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 10000);
    const GlobalPosition reversalPosition = written.constFirst().constFirst().value<QList<GlobalPosition>>().value(0);
    // The window follows by itself: live tail brings the event into the table, the console reloads its target.
    QTRY_VERIFY_WITH_TIMEOUT(events->rowCount() > 0 && events->positionAt(0) == reversalPosition, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        jsonNumber(targetState->toPlainText(), QStringLiteral("balance")) == balanceBefore + amount, 10000);

    m_fixture.then(QStringLiteral("the store holds the reversal, with the reason, by support"));
    QCOMPARE(probe.eventCount(), eventsBefore + 1);
    const RecordedEvent reversal = probe.stream(account).constLast();
    QCOMPARE(reversal.position, reversalPosition);
    QCOMPARE(reversal.eventType, QStringLiteral("TransactionReversed"));
    QCOMPARE(reversal.payloadObject().value(u"transactionId").toString(), transactionId);
    QCOMPARE(reversal.payloadObject().value(u"amount").toInteger(), amount);
    QCOMPARE(reversal.payloadObject().value(u"balanceAfter").toInteger(), balanceBefore + amount);
    QCOMPARE(reversal.metadataObject().value(u"reason").toString(), reason);
    QCOMPARE(reversal.metadataObject().value(u"role").toString(), QStringLiteral("support"));
    QCOMPARE(reversal.metadataObject().value(u"actor").toString(), QString::fromLatin1(SupportActor));

    m_fixture.also(QStringLiteral("the account's stream shows it on top and the console the new balance"));
    QCOMPARE(events->index(0, 0).data(EventTypeRole).toString(), QStringLiteral("TransactionReversed"));
    QCOMPARE(jsonNumber(targetState->toPlainText(), QStringLiteral("balance")), balanceBefore + amount);

    m_fixture.when(QStringLiteral("they open Operations, Projections"));
    projectionsAction->trigger();
    QTRY_VERIFY(window->projectionsPane()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(shownCheckpoint(statuses, QStringLiteral("account_balances")) >= reversalPosition
            && shownCheckpoint(statuses, QStringLiteral("account_statements")) >= reversalPosition,
        30000);
    m_fixture.then(QStringLiteral("both account read models have applied the reversal"));
    QCOMPARE(shownCheckpoint(statuses, QStringLiteral("account_balances")), reversalPosition);
    QCOMPARE(shownCheckpoint(statuses, QStringLiteral("account_statements")), reversalPosition);

    // The read models' rows, through the QueryBus (no pane shows them; see above).
    m_fixture.also(QStringLiteral("(QueryBus) the balance read model holds the balance before plus the amount"));
    const QueryResult accountAfter
        = window->engine()->query(Query { QStringLiteral("GetAccount"), { { QStringLiteral("id"), accountId } } });
    QVERIFY(accountAfter.ok());
    QCOMPARE(accountAfter.value().toObject().value(u"balance").toInteger(), balanceBefore + amount);
    QCOMPARE(accountAfter.value().toObject().value(u"position").toInteger(), reversalPosition);

    m_fixture.also(QStringLiteral("(QueryBus) the statement ends with the reversal line and its reason"));
    QJsonArray lines;
    QJsonValue after = -1;
    do {
        const QueryResult page = window->engine()->query(Query { QStringLiteral("GetStatement"),
            { { QStringLiteral("id"), accountId }, { QStringLiteral("limit"), 1000 },
                { QStringLiteral("afterVersion"), after } } });
        QVERIFY(page.ok());
        for (const QJsonValue& line : page.value().toObject().value(u"lines").toArray())
            lines.append(line);
        after = page.value().toObject().value(u"nextAfterVersion");
    } while (!after.isNull());
    QVERIFY(lines.size() >= 2);
    const QJsonObject last = lines.last().toObject();
    QCOMPARE(last.value(u"kind").toString(), QStringLiteral("reversal"));
    QCOMPARE(last.value(u"amount").toInteger(), amount);
    QCOMPARE(last.value(u"balanceAfter").toInteger(), balanceBefore + amount);
    QCOMPARE(last.value(u"transactionId").toString(), transactionId);
    QCOMPARE(last.value(u"reason").toString(), reason);
    QCOMPARE(last.value(u"position").toInteger(), reversalPosition);
    int withdrawalLines = 0;
    for (const QJsonValue& line : std::as_const(lines)) {
        const QJsonObject object = line.toObject();
        if (object.value(u"transactionId").toString() == transactionId
            && object.value(u"kind").toString() == u"withdrawal")
            ++withdrawalLines;
    }
    QCOMPARE(withdrawalLines, 1); // the wrong withdrawal stays in the statement: history is not rewritten
}

QTEST_MAIN(TestSupportStories)
#include "tst_supportstories.moc"
