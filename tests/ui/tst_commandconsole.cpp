// SPDX-License-Identifier: Apache-2.0
// The command console driven through its real widgets on a SQLite store with the sample domains: every form error
// at once, a dry run with its events and state diff (nothing written), commit at the dry run's version with links
// to the new events, a conflicting append from a second engine between dry run and commit (conflict prompt with the
// new events, nothing written), the confirmation of destructive commands, and roles (support sees developer
// commands disabled; an auditor cannot dispatch, in the UI nor through the engine). With EVENTSCOPE_SCREENSHOT_DIR
// set it saves pictures of the console.
#include "../samples/enginefixture.h"

#include "commandconsole.h"
#include "commandformmodel.h"
#include "widgettesting.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QThreadPool>
#include <QTreeWidget>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QString Id = QStringLiteral("acc1");
const QString Stream = QStringLiteral("account-acc1");

} // namespace

class TestCommandConsole : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        const QString failure = m_fixture.open(TestStore::Backend::Sqlite);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        // The console gets an engine of its own on the same database; the fixture's engine is "someone else".
        auto engine = m_fixture.secondEngine();
        QVERIFY(engine);
        m_engine = std::move(engine).value();
        QCOMPARE(EngineFixture::outcome(m_fixture.when(QStringLiteral("OpenAccount"), Id,
                     { { QStringLiteral("owner"), QStringLiteral("Ada Lovelace") },
                         { QStringLiteral("currency"), QStringLiteral("EUR") } })),
            QStringLiteral("ok"));
        QCOMPARE(EngineFixture::outcome(
                     m_fixture.when(QStringLiteral("Deposit"), Id, { { QStringLiteral("amount"), 500 } })),
            QStringLiteral("ok"));

        m_console = std::make_unique<CommandConsole>();
        m_console->resize(1000, 900);
        m_console->setActor(QStringLiteral("sam@support.example"));
        m_console->setRole(Role::Developer);
        m_console->setEngine(m_engine);
        m_console->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_console.get()));
    }
    void cleanup()
    {
        m_console.reset();
        QThreadPool::globalInstance()->waitForDone();
        m_engine.reset();
        m_fixture.close();
    }

    void listsCommandsByDomain()
    {
        auto* list = child<QTreeWidget>("commandList");
        QStringList groups;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            groups.append(list->topLevelItem(i)->text(0));
        QCOMPARE(groups, (QStringList { QStringLiteral("Account"), QStringLiteral("User") }));
        QVERIFY(list->topLevelItem(0)->childCount() >= 8);

        QTest::keyClicks(child<QLineEdit>("commandSearch"), QStringLiteral("corrective"));
        int visible = 0;
        for (int i = 0; i < list->topLevelItem(0)->childCount(); ++i)
            visible += list->topLevelItem(0)->child(i)->isHidden() ? 0 : 1;
        QCOMPARE(visible, 2); // ReverseTransaction and CorrectBalance
        QVERIFY(list->topLevelItem(1)->isHidden());
    }

    void showsEveryFormErrorAtOnce()
    {
        const qint64 before = m_fixture.eventCount();
        m_console->setTarget(Id);
        QVERIFY(m_console->selectCommand(QStringLiteral("OpenAccount")));
        // The editors are typed: a combo for the enum with its allowed values, a line edit for the text.
        auto* currency = child<QComboBox>("field_currency");
        QCOMPARE(currency->count(), 5);
        QCOMPARE(currency->itemText(1), QStringLiteral("EUR"));
        QTest::keyClicks(child<QLineEdit>("field_owner"), QString(201, u'x'));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QVERIFY(child<QLabel>("error_owner")->isVisible());
        QVERIFY(child<QLabel>("error_currency")->isVisible());
        QVERIFY(!child<QLabel>("error_owner")->text().isEmpty());
        QVERIFY(child<QLabel>("statusLabel")->text().contains(QLatin1String("(2)")));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());

        // A corrective command: a value below its minimum and the missing reason, together.
        QVERIFY(m_console->selectCommand(QStringLiteral("CorrectBalance")));
        QTRY_VERIFY(child<QLabel>("help_newBalance")->isVisible()); // shown once the layout runs
        QTest::keyClicks(child<QLineEdit>("field_newBalance"), QStringLiteral("-5.00"));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QVERIFY(child<QLabel>("error_newBalance")->isVisible());
        QVERIFY(child<QLabel>("error_reason")->isVisible());
        QCOMPARE(m_console->form()->errors().size(), 2);
        saveScreenshot(m_console.get(), QStringLiteral("commandconsole-errors"));

        // Typing fixes one message, the other stays.
        QTest::keyClicks(child<QLineEdit>("reasonEdit"), QStringLiteral("Bank statement shows 0.00"));
        QVERIFY(!child<QLabel>("error_reason")->isVisible());
        QVERIFY(child<QLabel>("error_newBalance")->isVisible());
        QCOMPARE(m_fixture.eventCount(), before);
    }

    void dryRunShowsEventsAndDiffThenCommits()
    {
        const qint64 before = m_fixture.eventCount();
        QSignalSpy written(m_console.get(), &CommandConsole::eventsWritten);
        QSignalSpy show(m_console.get(), &CommandConsole::showEventRequested);
        m_console->setTarget(Stream); // the explorer hands over stream ids
        QVERIFY(m_console->selectCommand(QStringLiteral("Deposit")));
        QTRY_VERIFY(child<QLabel>("targetStatus")->text().contains(QLatin1String("version 1")));
        QVERIFY(child<QPlainTextEdit>("targetState")->toPlainText().contains(QLatin1String("\"balance\": 500")));
        QTest::keyClicks(child<QLineEdit>("field_amount"), QStringLiteral("2.50"));
        QTest::keyClicks(child<QLineEdit>("ticketEdit"), QStringLiteral("INC-7"));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);

        auto* events = child<QTreeWidget>("previewEvents");
        QTRY_COMPARE(events->topLevelItemCount(), 1);
        QCOMPARE(events->topLevelItem(0)->text(0), QStringLiteral("MoneyDeposited"));
        QVERIFY(events->topLevelItem(0)->text(1).contains(QLatin1String("\"amount\":250")));
        const QTreeWidgetItem* balance = findRow(child<QTreeWidget>("stateDiff"), QStringLiteral("balance"));
        QVERIFY(balance);
        QCOMPARE(balance->text(1), QStringLiteral("500"));
        QCOMPARE(balance->text(2), QStringLiteral("750"));
        QCOMPARE(m_fixture.eventCount(), before); // a dry run writes nothing
        QVERIFY(child<QPushButton>("commitButton")->isEnabled());
        saveScreenshot(m_console.get(), QStringLiteral("commandconsole-dryrun"));
        // Dark palette: the diff's tints follow it.
        QVERIFY(balance->background(1).color().lightness() > 128);
        m_console->setPalette(darkPalette());
        QVERIFY(balance->background(1).color().lightness() < 128);
        saveScreenshot(m_console.get(), QStringLiteral("commandconsole-dryrun-dark"));
        m_console->setPalette(QPalette());

        // Other inputs than the dry run's: commit is off until the next dry run.
        QTest::keyClicks(child<QLineEdit>("field_amount"), QStringLiteral("0"));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
        QTest::keyClick(child<QLineEdit>("field_amount"), Qt::Key_Backspace);
        QVERIFY(child<QPushButton>("commitButton")->isEnabled());

        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        QTRY_COMPARE(written.size(), 1);
        const auto stream = m_fixture.stream(Stream);
        QCOMPARE(stream.size(), 3);
        QCOMPARE(written.at(0).at(0).value<QList<GlobalPosition>>(), QList<GlobalPosition> { stream.last().position });
        const QJsonObject metadata = stream.last().metadataObject();
        QCOMPARE(metadata.value(QLatin1String("actor")).toString(), QStringLiteral("sam@support.example"));
        QCOMPARE(metadata.value(QLatin1String("ticket")).toString(), QStringLiteral("INC-7"));
        auto* links = child<QLabel>("eventLinks");
        QVERIFY(links->isVisible());
        QVERIFY(links->text().contains(QStringLiteral("position:%1").arg(stream.last().position)));
        Q_EMIT links->linkActivated(QStringLiteral("position:%1").arg(stream.last().position));
        QCOMPARE(show.size(), 1);
        QCOMPARE(show.at(0).at(0).toLongLong(), stream.last().position);
        QTRY_VERIFY(child<QLabel>("targetStatus")->text().contains(QLatin1String("version 2")));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
    }

    void conflictingAppendShowsTheNewEventsAndWritesNothing()
    {
        m_console->setTarget(Id);
        QVERIFY(m_console->selectCommand(QStringLiteral("Withdraw")));
        QTest::keyClicks(child<QLineEdit>("field_amount"), QStringLiteral("4.00"));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QPushButton>("commitButton")->isEnabled());

        // Someone else, through another engine and connection, deposits meanwhile.
        const DispatchResult meanwhile = m_fixture.when(
            QStringLiteral("Deposit"), Id, { { QStringLiteral("amount"), 100 } }, EngineFixture::as(Role::Developer));
        QCOMPARE(EngineFixture::outcome(meanwhile), QStringLiteral("ok"));
        const qint64 before = m_fixture.eventCount();

        QSignalSpy written(m_console.get(), &CommandConsole::eventsWritten);
        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        auto* newEvents = child<QTreeWidget>("newEvents");
        QTRY_VERIFY(newEvents->isVisible());
        QCOMPARE(newEvents->topLevelItemCount(), 1);
        QCOMPARE(newEvents->topLevelItem(0)->text(0), QStringLiteral("2"));
        QCOMPARE(newEvents->topLevelItem(0)->text(1), QStringLiteral("MoneyDeposited"));
        QCOMPARE(newEvents->topLevelItem(0)->text(2), QStringLiteral("developer@example.com"));
        const QString status = child<QLabel>("statusLabel")->text();
        QVERIFY2(
            status.contains(QLatin1String("Nothing was written")) && status.contains(QLatin1String("dry-run again")),
            qPrintable(status));
        QCOMPARE(m_fixture.eventCount(), before);
        QCOMPARE(written.size(), 0);
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
        QCOMPARE(child<QTreeWidget>("previewEvents")->topLevelItemCount(), 0);
        QTRY_VERIFY(child<QLabel>("targetStatus")->text().contains(QLatin1String("version 2")));
        saveScreenshot(m_console.get(), QStringLiteral("commandconsole-conflict"));

        // A new dry run decides on the new state; then the commit goes through.
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QPushButton>("commitButton")->isEnabled());
        const QTreeWidgetItem* balance = findRow(child<QTreeWidget>("stateDiff"), QStringLiteral("balance"));
        QVERIFY(balance);
        QCOMPARE(balance->text(1), QStringLiteral("600"));
        QCOMPARE(balance->text(2), QStringLiteral("200"));
        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        QTRY_COMPARE(written.size(), 1);
        QCOMPARE(m_fixture.eventCount(), before + 1);
    }

    void refreshAfterAnotherWriterTakesBackTheDryRun()
    {
        m_console->setTarget(Id);
        QVERIFY(m_console->selectCommand(QStringLiteral("FreezeAccount")));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QPushButton>("commitButton")->isEnabled());
        QCOMPARE(
            EngineFixture::outcome(m_fixture.when(QStringLiteral("Deposit"), Id, { { QStringLiteral("amount"), 1 } })),
            QStringLiteral("ok"));
        QTest::mouseClick(child<QPushButton>("refreshButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QLabel>("targetStatus")->text().contains(QLatin1String("version 2")));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
        QCOMPARE(child<QTreeWidget>("previewEvents")->topLevelItemCount(), 0);
        QVERIFY(child<QLabel>("statusLabel")->text().contains(QLatin1String("dry-run again")));
    }

    void refusesAStreamOfAnotherDomain()
    {
        m_console->setTarget(QStringLiteral("user-u1"));
        QVERIFY(m_console->selectCommand(QStringLiteral("Deposit")));
        QTest::keyClicks(child<QLineEdit>("field_amount"), QStringLiteral("1.00"));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        const QString status = child<QLabel>("statusLabel")->text();
        QVERIFY2(status.contains(QLatin1String("user-u1 is a user stream")), qPrintable(status));
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
    }

    void destructiveCommandAsksForConfirmation()
    {
        m_console->setRole(Role::Support);
        m_console->setTarget(Id);
        QVERIFY(m_console->selectCommand(QStringLiteral("CorrectBalance")));
        QVERIFY(CommandConsole::isDestructive(*m_engine->commandBus().descriptor(QStringLiteral("CorrectBalance"))));
        QVERIFY(!CommandConsole::isDestructive(*m_engine->commandBus().descriptor(QStringLiteral("Deposit"))));
        QVERIFY(CommandConsole::isDestructive(*m_engine->commandBus().descriptor(QStringLiteral("CloseAccount"))));
        QTest::keyClicks(child<QLineEdit>("field_newBalance"), QStringLiteral("0.00"));
        QTest::keyClicks(child<QLineEdit>("reasonEdit"), QStringLiteral("Duplicate deposit, see bank statement"));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QPushButton>("commitButton")->isEnabled());
        const qint64 before = m_fixture.eventCount();

        // Cancel: nothing written.
        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_console->findChild<QMessageBox*>(QStringLiteral("confirmDialog"))) && box->isVisible());
        QVERIFY2(
            box->informativeText().contains(QStringLiteral("balance: 500 → 0")), qPrintable(box->informativeText()));
        QVERIFY(box->informativeText().contains(QLatin1String("BalanceCorrected")));
        QVERIFY(box->text().contains(Stream));
        QPixmap dialogPicture = picture(box);
        saveScreenshotPixmap(dialogPicture, QStringLiteral("commandconsole-confirm"));
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(child<QLabel>("statusLabel")->text().contains(QLatin1String("cancelled")));
        QCOMPARE(m_fixture.eventCount(), before);

        // Confirm: written, with the reason in the metadata.
        QSignalSpy written(m_console.get(), &CommandConsole::eventsWritten);
        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        QTRY_VERIFY((box = m_console->findChild<QMessageBox*>(QStringLiteral("confirmDialog"))) && box->isVisible());
        QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("confirmButton")), Qt::LeftButton);
        QTRY_COMPARE(written.size(), 1);
        const auto stream = m_fixture.stream(Stream);
        QCOMPARE(stream.last().eventType, QStringLiteral("BalanceCorrected"));
        QCOMPARE(stream.last().metadataObject().value(QLatin1String("reason")).toString(),
            QStringLiteral("Duplicate deposit, see bank statement"));
        QCOMPARE(stream.last().metadataObject().value(QLatin1String("role")).toString(), QStringLiteral("support"));
    }

    /// Reversing one of many transactions changes one entry of the account's list: the confirmation names that
    /// entry, not the whole list twice (it used to print both lists, which made the dialog taller than a screen).
    void confirmationNamesOnlyTheChangedListEntries()
    {
        for (int i = 0; i < 40; ++i)
            QCOMPARE(EngineFixture::outcome(
                         m_fixture.when(QStringLiteral("Deposit"), Id, { { QStringLiteral("amount"), 10 + i } })),
                QStringLiteral("ok"));
        const auto history = m_fixture.stream(Stream);
        const QString transactionId
            = history.at(history.size() - 20).payloadObject().value(QLatin1String("transactionId")).toString();
        QVERIFY(!transactionId.isEmpty());

        m_console->setRole(Role::Support);
        m_console->setTarget(Id);
        QVERIFY(m_console->selectCommand(QStringLiteral("ReverseTransaction")));
        QTest::keyClicks(child<QLineEdit>("field_transactionId"), transactionId);
        QTest::keyClicks(child<QLineEdit>("reasonEdit"), QStringLiteral("Charged twice"));
        QTest::mouseClick(child<QPushButton>("dryRunButton"), Qt::LeftButton);
        QTRY_VERIFY(child<QPushButton>("commitButton")->isEnabled());
        QTest::mouseClick(child<QPushButton>("commitButton"), Qt::LeftButton);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_console->findChild<QMessageBox*>(QStringLiteral("confirmDialog"))) && box->isVisible());
        const QString summary = box->informativeText();
        QVERIFY2(
            summary.contains(QStringLiteral("transactions[")) && summary.contains(transactionId), qPrintable(summary));
        QVERIFY2(summary.count(transactionId) == 2, qPrintable(summary)); // the entry before and after, once each
        QVERIFY2(summary.split(u'\n').size() <= 6, qPrintable(summary));
        QVERIFY2(box->sizeHint().height() < 500, qPrintable(QString::number(box->sizeHint().height())));
        box->button(QMessageBox::Cancel)->click();
    }

    void supportSeesDeveloperCommandsDisabled()
    {
        m_console->setRole(Role::Support);
        QVERIFY(m_console->selectCommand(QStringLiteral("Deposit")));
        auto* notice = child<QLabel>("commandNotice");
        QVERIFY(notice->isVisible());
        QVERIFY(notice->text().contains(QLatin1String("Only developers")));
        QVERIFY(!child<QPushButton>("dryRunButton")->isEnabled());
        QVERIFY(!child<QWidget>("formBox")->isEnabled());
        QVERIFY(m_console->selectCommand(QStringLiteral("FreezeAccount")));
        QVERIFY(!notice->isVisible());
        QVERIFY(child<QPushButton>("dryRunButton")->isEnabled());
    }

    void auditorCannotDispatch()
    {
        m_console->setRole(Role::Auditor);
        QVERIFY(m_console->selectCommand(QStringLiteral("CorrectBalance")));
        auto* notice = child<QLabel>("roleNotice");
        QVERIFY(notice->isVisible());
        QVERIFY(notice->text().contains(QLatin1String("auditor")));
        QVERIFY(!child<QWidget>("consoleBody")->isEnabled());
        QVERIFY(!child<QPushButton>("dryRunButton")->isEnabled());
        QVERIFY(!child<QPushButton>("commitButton")->isEnabled());
        saveScreenshot(m_console.get(), QStringLiteral("commandconsole-auditor"));
        // The engine refuses too, dry run or not.
        const DispatchResult refused
            = m_fixture.when(QStringLiteral("CorrectBalance"), Id, { { QStringLiteral("newBalance"), 0 } },
                EngineFixture::dryRun(EngineFixture::as(Role::Auditor, QStringLiteral("x"))));
        QVERIFY(EngineFixture::failedWith(refused, CommandError::Code::Unauthorized));
    }

    void netChangesComposeSteps()
    {
        // Changed then changed back is no change; added then changed is one addition.
        const auto event = [](StreamVersion version, const QJsonObject& payload) {
            RecordedEvent recorded;
            recorded.streamId = QStringLiteral("thing-1");
            recorded.streamVersion = version;
            recorded.eventId = QUuid::createUuid();
            recorded.eventType = QStringLiteral("Changed");
            recorded.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact);
            recorded.metadata = "{}";
            return recorded;
        };
        const StreamHistory history = StreamHistory::build({ event(0, { { QStringLiteral("a"), 1 } }),
            event(1, { { QStringLiteral("a"), 2 }, { QStringLiteral("b"), 1 } }),
            event(2, { { QStringLiteral("a"), 1 }, { QStringLiteral("b"), 3 } }) });
        const QList<FieldChange> changes = CommandConsole::netChanges(history, 0, 2);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).path, QStringLiteral("b"));
        QCOMPARE(changes.at(0).kind, FieldChange::Kind::Added);
        QCOMPARE(changes.at(0).newValue.toInt(), 3);
        const QList<FieldChange> fromStart = CommandConsole::netChanges(history, NoStreamVersion, 0);
        QCOMPARE(fromStart.size(), 1);
        QCOMPARE(fromStart.at(0).path, QStringLiteral("a"));
    }

private:
    template <typename T>
    T* child(const char* name) const
    {
        T* widget = m_console->findChild<T*>(QLatin1String(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    static const QTreeWidgetItem* findRow(const QTreeWidget* tree, const QString& first)
    {
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            if (tree->topLevelItem(i)->text(0) == first)
                return tree->topLevelItem(i);
        }
        return nullptr;
    }
    static void saveScreenshot(QWidget* widget, const QString& name)
    {
        QVERIFY(EventScope::Test::saveScreenshot(widget, name));
    }
    static void saveScreenshotPixmap(const QPixmap& pixmap, const QString& name)
    {
        const QString directory = screenshotDirectory();
        if (!directory.isEmpty())
            QVERIFY(pixmap.save(QDir(directory).filePath(name + QStringLiteral(".png"))));
    }

    EngineFixture m_fixture;
    std::shared_ptr<Engine> m_engine;
    std::unique_ptr<CommandConsole> m_console;
};

QTEST_MAIN(TestCommandConsole)
#include "tst_commandconsole.moc"
