// SPDX-License-Identifier: Apache-2.0
// SnapshotPane driven as a person would, on an Engine over an SQLite TestStore: list an account's snapshots
// (taken by the repository's policy, off the GUI thread), read the selected state, verify a good snapshot
// ("Matches the events"), a corrupted one (the differing field with the snapshot's and the rebuilt value),
// verify all, a stale one, one of a stream no domain knows; streams without snapshots and stale listings.
// With EVENTSCOPE_SCREENSHOT_DIR set, saves screenshots there.
#include "snapshotpane.h"

#include "config/configloader.h"
#include "domain/snapshotstore.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "snapshotlistmodel.h"
#include "teststores.h"
#include "widgettesting.h"

#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QThreadPool>

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

} // namespace

class TestSnapshotPane : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<Engine> m_engine;
    std::unique_ptr<SnapshotPane> m_pane;

    bool dispatch(const QString& type, const QString& id, const QJsonObject& fields = {})
    {
        const DispatchResult result
            = m_engine->dispatch(Command { QUuid::createUuid(), type, id, fields }, developer());
        if (!result.ok())
            qWarning().noquote() << type << id << result.error->message();
        return result.ok();
    }

    /// account-a1 with 22 events (versions 0..21): snapshots at versions 9 and 19 (the default policy: every 10).
    bool makeAccount()
    {
        if (!dispatch(QStringLiteral("OpenAccount"), QStringLiteral("a1"),
                { { QStringLiteral("owner"), QStringLiteral("Ada Lovelace") },
                    { QStringLiteral("currency"), QStringLiteral("EUR") } }))
            return false;
        for (int i = 1; i <= 21; ++i) {
            const bool withdraw = i % 4 == 0;
            if (!dispatch(withdraw ? QStringLiteral("Withdraw") : QStringLiteral("Deposit"), QStringLiteral("a1"),
                    { { QStringLiteral("amount"), withdraw ? 300 + i : 1000 + 25 * i } }))
                return false;
        }
        return true;
    }

    QList<Snapshot> snapshotsOf(const QString& stream) const
    {
        auto list = SnapshotStore(m_store).list(stream);
        return list ? list.value() : QList<Snapshot> {};
    }

    template <typename T>
    T* child(const char* name) const
    {
        return m_pane->findChild<T*>(QLatin1String(name));
    }

    bool open(const QString& stream)
    {
        QSignalSpy loaded(m_pane.get(), &SnapshotPane::loadFinished);
        m_pane->showStream(stream);
        return loaded.wait(10000);
    }

    bool click(const char* button)
    {
        QSignalSpy verified(m_pane.get(), &SnapshotPane::verificationFinished);
        auto* widget = child<QPushButton>(button);
        if (!widget || !widget->isEnabled())
            return false;
        QTest::mouseClick(widget, Qt::LeftButton);
        return verified.wait(10000);
    }

    QString verificationCell(int row) const
    {
        return m_pane->model()->index(row, SnapshotListModel::ColumnVerification).data().toString();
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
        m_pane = std::make_unique<SnapshotPane>();
        // A fixed minimum: else the offscreen platform warns each time the layout changes the window's minimum.
        m_pane->setMinimumSize(640, 360);
        m_pane->resize(1100, 560);
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

    void listsSnapshotsAndShowsTheSelectedState()
    {
        auto* status = child<QLabel>("snapshotStatus");
        QSignalSpy loaded(m_pane.get(), &SnapshotPane::loadFinished);
        m_pane->showStream(QStringLiteral("account-a1"));
        QVERIFY(m_pane->isLoading());
        QCOMPARE(status->text(), QStringLiteral("Loading…"));
        QVERIFY(!child<QPushButton>("snapshotVerify")->isEnabled());
        QVERIFY(loaded.wait(10000));

        QCOMPARE(child<QLabel>("snapshotHeader")->text(), QStringLiteral("Snapshots of account-a1 (2)"));
        QVERIFY(status->isHidden());
        auto* table = child<QTableView>("snapshotTable");
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(table->model()->index(0, SnapshotListModel::ColumnVersion).data().toLongLong(), 19);
        QCOMPARE(table->model()->index(1, SnapshotListModel::ColumnVersion).data().toLongLong(), 9);
        QCOMPARE(table->model()->index(0, SnapshotListModel::ColumnAggregateType).data().toString(),
            QStringLiteral("Account"));
        QCOMPARE(m_pane->selectedRow(), 0);
        QVERIFY(child<QPushButton>("snapshotVerify")->isEnabled());

        const QList<Snapshot> stored = snapshotsOf(QStringLiteral("account-a1"));
        auto* state = child<QPlainTextEdit>("snapshotState");
        QVERIFY(state->isReadOnly());
        QCOMPARE(QJsonDocument::fromJson(state->toPlainText().toUtf8()).object(), stored.at(0).state);
        QVERIFY(child<QLabel>("snapshotStateTitle")->text().contains(QLatin1String("version 19")));

        QTest::mouseClick(
            table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(1, 0)).center());
        QCOMPARE(m_pane->selectedRow(), 1);
        QCOMPARE(QJsonDocument::fromJson(state->toPlainText().toUtf8()).object(), stored.at(1).state);
        QVERIFY(child<QLabel>("snapshotResult")->isHidden());
    }

    void verifiesAGoodSnapshot()
    {
        QVERIFY(open(QStringLiteral("account-a1")));
        QVERIFY(click("snapshotVerify"));
        auto* result = child<QLabel>("snapshotResult");
        QVERIFY(!result->isHidden());
        QCOMPARE(result->text(), QStringLiteral("Matches the events"));
        QVERIFY(child<QTableWidget>("snapshotDifferences")->isHidden());
        QVERIFY(child<QLabel>("snapshotNote")->isHidden());
        QCOMPARE(verificationCell(0), QStringLiteral("matches"));
        QCOMPARE(verificationCell(1), QString());
        // Green-ish: more green than red in the result's background.
        const QColor background = result->palette().color(QPalette::Window);
        QVERIFY2(background.green() > background.red(), qPrintable(background.name()));
    }

    void verifiesACorruptedSnapshot()
    {
        Snapshot corrupt = snapshotsOf(QStringLiteral("account-a1")).at(1);
        QCOMPARE(corrupt.version, 9);
        const qint64 balance = corrupt.state.value(QStringLiteral("balance")).toInteger();
        corrupt.state.insert(QStringLiteral("balance"), 999999);
        QVERIFY(SnapshotStore(m_store).save(corrupt).ok());

        QVERIFY(open(QStringLiteral("account-a1")));
        QVERIFY(m_pane->selectVersion(9));
        QVERIFY(click("snapshotVerify"));
        auto* result = child<QLabel>("snapshotResult");
        QVERIFY2(
            result->text().startsWith(QLatin1String("Differs from the events in 1 field")), qPrintable(result->text()));
        auto* differences = child<QTableWidget>("snapshotDifferences");
        QVERIFY(!differences->isHidden());
        QCOMPARE(differences->rowCount(), 1);
        QCOMPARE(differences->item(0, 0)->text(), QStringLiteral("balance"));
        QCOMPARE(differences->item(0, 1)->text(), QStringLiteral("999999"));
        QCOMPARE(differences->item(0, 2)->text(), QString::number(balance));
        QCOMPARE(verificationCell(1), QStringLiteral("differs (1 field)"));
        QCOMPARE(verificationCell(0), QString());

        QVERIFY(click("snapshotVerifyAll"));
        QCOMPARE(verificationCell(0), QStringLiteral("matches"));
        QCOMPARE(verificationCell(1), QStringLiteral("differs (1 field)"));
        QCOMPARE(child<QLabel>("snapshotStatus")->text(), QStringLiteral("1 of 2 snapshots match the events."));
        QCOMPARE(m_pane->selectedRow(), 1); // still the corrupted one, still showing its diff
        QCOMPARE(differences->rowCount(), 1);

        // Selecting the good one shows its own result.
        m_pane->selectVersion(19);
        QCOMPARE(result->text(), QStringLiteral("Matches the events"));
        QVERIFY(differences->isHidden());
    }

    void staleAndUnverifiableSnapshots()
    {
        QVERIFY(dispatch(QStringLiteral("CreateUser"), QStringLiteral("42"),
            { { QStringLiteral("firstName"), QStringLiteral("Grace") },
                { QStringLiteral("lastName"), QStringLiteral("Hopper") },
                { QStringLiteral("email"), QStringLiteral("grace@example.com") } }));
        auto loaded = m_engine->repositories().repository(QStringLiteral("User"), {})->load(QStringLiteral("user-42"));
        QVERIFY(loaded.ok());
        Snapshot stale { QStringLiteral("user-42"), 0, QStringLiteral("User"), 7, loaded->aggregate->snapshotState(),
            {} };
        QVERIFY(SnapshotStore(m_store).save(stale).ok());
        QVERIFY(open(QStringLiteral("user-42")));
        QVERIFY(click("snapshotVerify"));
        QVERIFY(child<QLabel>("snapshotResult")->text().startsWith(QLatin1String("Stale")));
        auto* note = child<QLabel>("snapshotNote");
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains(QLatin1String("stale, not corrupt")), qPrintable(note->text()));

        QVERIFY(m_store
                    ->append(QStringLiteral("thing-1"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("ThingMade"), { { QStringLiteral("size"), 3 } }) })
                    .ok());
        QVERIFY(SnapshotStore(m_store)
                    .save({ QStringLiteral("thing-1"), 0, QStringLiteral("Thing"), 1, { { QStringLiteral("size"), 3 } },
                        {} })
                    .ok());
        QVERIFY(open(QStringLiteral("thing-1")));
        QVERIFY(click("snapshotVerify"));
        QCOMPARE(child<QLabel>("snapshotResult")->text(), QStringLiteral("Cannot be verified"));
        QVERIFY2(note->text().contains(QLatin1String("generic")), qPrintable(note->text()));
        QCOMPARE(verificationCell(0), QStringLiteral("cannot verify (no registered aggregate)"));
    }

    void streamWithoutSnapshotsAndStaleListings()
    {
        QVERIFY(dispatch(QStringLiteral("OpenAccount"), QStringLiteral("b2"),
            { { QStringLiteral("owner"), QStringLiteral("Bob") },
                { QStringLiteral("currency"), QStringLiteral("USD") } }));
        QSignalSpy loaded(m_pane.get(), &SnapshotPane::loadFinished);
        m_pane->showStream(QStringLiteral("account-a1"));
        m_pane->showStream(QStringLiteral("account-b2"));
        QVERIFY(loaded.wait(10000));
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(m_pane->model()->rowCount(), 0);
        QVERIFY(child<QLabel>("snapshotStatus")->text().contains(QLatin1String("has no snapshots")));
        QVERIFY(!child<QPushButton>("snapshotVerify")->isEnabled());
        QVERIFY(!child<QPushButton>("snapshotVerifyAll")->isEnabled());

        SnapshotPane alone;
        alone.showStream(QStringLiteral("account-a1"));
        QVERIFY(alone.findChild<QLabel*>(QStringLiteral("snapshotStatus"))
                    ->text()
                    .contains(QLatin1String("No store is open")));
    }

    void screenshot()
    {
        Snapshot corrupt = snapshotsOf(QStringLiteral("account-a1")).at(1);
        corrupt.state.insert(QStringLiteral("balance"), 999999);
        corrupt.state.insert(QStringLiteral("owner"), QStringLiteral("Mallory"));
        QVERIFY(SnapshotStore(m_store).save(corrupt).ok());
        QVERIFY(open(QStringLiteral("account-a1")));
        QVERIFY(click("snapshotVerifyAll"));

        const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        const auto shoot = [&](const QString& name) {
            const QPixmap shot = picture(m_pane.get());
            if (shot.isNull())
                return false;
            return directory.isEmpty() || shot.save(QDir(directory).filePath(name));
        };
        QVERIFY(directory.isEmpty() || QDir().mkpath(directory));

        QVERIFY(m_pane->selectVersion(9));
        QVERIFY(shoot(QStringLiteral("snapshotpane.png")));
        QVERIFY(m_pane->selectVersion(19));
        QVERIFY(shoot(QStringLiteral("snapshotpane-matches.png")));
        // With the differences hidden, the state takes their room.
        QVERIFY(child<QPlainTextEdit>("snapshotState")->height() > m_pane->height() / 2);

        m_pane->setPalette(darkPalette());
        QVERIFY(m_pane->selectVersion(9));
        QVERIFY(shoot(QStringLiteral("snapshotpane-dark.png")));
        const QColor background = child<QLabel>("snapshotResult")->palette().color(QPalette::Window);
        QVERIFY2(background.lightness() < 128, qPrintable(background.name())); // dark, with light text on it
    }
};

QTEST_MAIN(TestSnapshotPane)
#include "tst_snapshotpane.moc"
