// SPDX-License-Identifier: Apache-2.0
// SnapshotVerifier on SQLite with the standard domains: a snapshot the repository's policy took and one saved
// from a loaded aggregate match; a corrupted balance or e-mail shows exactly that field with both values; a
// stale snapshot schema version is reported as stale, not corrupt; a snapshot beyond the end of its stream, an
// event that does not decode and an unknown stream are reported with a reason; streams longer than a page.
#include "timetravel/snapshotverifier.h"

#include "config/configloader.h"
#include "domain/snapshotstore.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QJsonArray>
#include <QTest>
#include <QtConcurrent>

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

QString kindName(FieldChange::Kind kind)
{
    switch (kind) {
    case FieldChange::Kind::Added:
        return QStringLiteral("added");
    case FieldChange::Kind::Removed:
        return QStringLiteral("removed");
    case FieldChange::Kind::Changed:
        return QStringLiteral("changed");
    }
    return {};
}

/// "path: snapshot → rebuilt (kind)" per difference, for readable comparisons.
QStringList describe(const QList<FieldChange>& differences)
{
    QStringList lines;
    for (const FieldChange& change : differences) {
        const auto text = [](const QJsonValue& value) {
            if (value.isUndefined())
                return QStringLiteral("_");
            if (value.isString())
                return value.toString();
            if (value.isBool())
                return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            return QString::number(value.toDouble());
        };
        lines.append(change.path % QStringLiteral(": ") % text(change.oldValue) % QStringLiteral(" → ")
            % text(change.newValue) % QStringLiteral(" (") % kindName(change.kind) % u')');
    }
    return lines;
}

} // namespace

class TestSnapshotVerifier : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<Engine> m_engine;

    bool dispatch(const QString& type, const QString& id, const QJsonObject& fields = {})
    {
        const DispatchResult result
            = m_engine->dispatch(Command { QUuid::createUuid(), type, id, fields }, developer());
        if (!result.ok())
            qWarning().noquote() << type << id << result.error->message();
        return result.ok();
    }

    /// account-<id>: opened, then deposits and withdrawals; the stream ends at version \a movements.
    bool makeAccount(const QString& id, int movements)
    {
        if (!dispatch(QStringLiteral("OpenAccount"), id,
                { { QStringLiteral("owner"), QStringLiteral("Ada") },
                    { QStringLiteral("currency"), QStringLiteral("EUR") } }))
            return false;
        for (int i = 0; i < movements; ++i) {
            const bool withdraw = i % 3 == 2;
            if (!dispatch(withdraw ? QStringLiteral("Withdraw") : QStringLiteral("Deposit"), id,
                    { { QStringLiteral("amount"), withdraw ? 150 : 1000 + i } }))
                return false;
        }
        return true;
    }

    QList<Snapshot> snapshotsOf(const QString& stream)
    {
        auto list = SnapshotStore(m_store).list(stream);
        return list ? list.value() : QList<Snapshot> {};
    }

    SnapshotCheck verify(const Snapshot& snapshot)
    {
        // From a pool thread, as the GUI does.
        return QtConcurrent::run([this, snapshot] {
            return SnapshotVerifier::forStream(*m_engine, snapshot.streamId).verify(snapshot);
        }).result();
    }

    /// The state the aggregate \a stream had at \a version, as the repository loads it from events only.
    Snapshot takeSnapshot(const QString& stream, StreamVersion version)
    {
        const QString type
            = stream.startsWith(QLatin1String("user-")) ? QStringLiteral("User") : QStringLiteral("Account");
        auto repository = m_engine->repositories().repository(type, {});
        auto loaded = repository->loadAt(stream, version);
        if (!loaded) {
            qWarning().noquote() << loaded.error().message();
            return {};
        }
        Snapshot snapshot;
        snapshot.streamId = stream;
        snapshot.version = loaded->aggregate->version();
        snapshot.aggregateType = loaded->aggregate->aggregateType();
        snapshot.schemaVersion = loaded->aggregate->snapshotSchemaVersion();
        snapshot.state = loaded->aggregate->snapshotState();
        return snapshot;
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
        m_engine = std::move(engine).value();
    }

    void cleanup()
    {
        m_engine.reset();
        m_store.reset();
        m_test.reset();
    }

    void snapshotOfThePolicyMatches()
    {
        QCOMPARE(m_engine->snapshotPolicy().frequency(), 10);
        QVERIFY(makeAccount(QStringLiteral("a1"), 12)); // versions 0..12: a snapshot at 9
        const QList<Snapshot> snapshots = snapshotsOf(QStringLiteral("account-a1"));
        QCOMPARE(snapshots.size(), 1);
        QCOMPARE(snapshots.first().version, 9);

        const SnapshotCheck check = verify(snapshots.first());
        QVERIFY2(check.errors.isEmpty(), qPrintable(check.errors.join(u'\n')));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Matches);
        QVERIFY(check.matches);
        QCOMPARE(describe(check.differences), QStringList {});
        QCOMPARE(check.note, QString());
        QCOMPARE(check.snapshotVersion, 9);
        QCOMPARE(check.rebuiltState, snapshots.first().state);
        // Not the account's state at its end (version 12): the balance then is another.
        QVERIFY(check.rebuiltState.value(QStringLiteral("balance"))
            != takeSnapshot(QStringLiteral("account-a1"), 12).state.value(QStringLiteral("balance")));
    }

    void snapshotSavedFromTheAggregateMatches()
    {
        QVERIFY(dispatch(QStringLiteral("CreateUser"), QStringLiteral("42"),
            { { QStringLiteral("firstName"), QStringLiteral("Grace") },
                { QStringLiteral("lastName"), QStringLiteral("Hopper") },
                { QStringLiteral("email"), QStringLiteral("grace@example.com") } }));
        QVERIFY(dispatch(QStringLiteral("ChangeEmail"), QStringLiteral("42"),
            { { QStringLiteral("email"), QStringLiteral("g@navy.example") } }));
        QVERIFY(dispatch(QStringLiteral("ChangeEmail"), QStringLiteral("42"),
            { { QStringLiteral("email"), QStringLiteral("hopper@example.org") } }));
        const Snapshot snapshot = takeSnapshot(QStringLiteral("user-42"), 1);
        QCOMPARE(snapshot.version, 1);
        QCOMPARE(snapshot.state.value(QStringLiteral("email")).toString(), QStringLiteral("g@navy.example"));
        QVERIFY(SnapshotStore(m_store).save(snapshot).ok());

        const SnapshotCheck check = verify(snapshotsOf(QStringLiteral("user-42")).value(0));
        QVERIFY2(check.errors.isEmpty(), qPrintable(check.errors.join(u'\n')));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Matches);
        QVERIFY(check.matches);
        QVERIFY(check.differences.isEmpty());
    }

    void corruptedFieldIsShownExactly_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("corrupt");
        QTest::addColumn<QString>("expected");
        QTest::newRow("balance") << QStringLiteral("account-a1") << QStringLiteral("balance") << QJsonValue(999999)
                                 << QStringLiteral("balance: 999999 → %1 (changed)");
        QTest::newRow("email") << QStringLiteral("user-7") << QStringLiteral("email")
                               << QJsonValue(QStringLiteral("mallory@evil.example"))
                               << QStringLiteral("email: mallory@evil.example → %1 (changed)");
        QTest::newRow("field only in the snapshot")
            << QStringLiteral("user-7") << QStringLiteral("isAdmin") << QJsonValue(true)
            << QStringLiteral("isAdmin: true → _ (removed)");
    }

    void corruptedFieldIsShownExactly()
    {
        QFETCH(QString, stream);
        QFETCH(QString, field);
        QFETCH(QJsonValue, corrupt);
        QFETCH(QString, expected);
        if (stream.startsWith(QLatin1String("user-"))) {
            QVERIFY(dispatch(QStringLiteral("CreateUser"), QStringLiteral("7"),
                { { QStringLiteral("firstName"), QStringLiteral("Ada") },
                    { QStringLiteral("lastName"), QStringLiteral("Lovelace") },
                    { QStringLiteral("email"), QStringLiteral("ada@example.com") } }));
            QVERIFY(dispatch(QStringLiteral("ChangeEmail"), QStringLiteral("7"),
                { { QStringLiteral("email"), QStringLiteral("ada@lovelace.example") } }));
        } else {
            QVERIFY(makeAccount(QStringLiteral("a1"), 6));
        }
        const StreamVersion version = 1;
        Snapshot snapshot = takeSnapshot(stream, version);
        QVERIFY(!snapshot.state.isEmpty());
        const QJsonValue real = snapshot.state.value(field);
        snapshot.state.insert(field, corrupt);
        QVERIFY(SnapshotStore(m_store).save(snapshot).ok());
        const QList<Snapshot> stored = snapshotsOf(stream);
        QCOMPARE(stored.size(), 1);

        const SnapshotCheck check = verify(stored.first());
        QVERIFY2(check.errors.isEmpty(), qPrintable(check.errors.join(u'\n')));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Differs);
        QVERIFY(!check.matches);
        const QString realText = real.isString() ? real.toString() : QString::number(real.toDouble());
        QCOMPARE(describe(check.differences),
            QStringList { expected.contains(QLatin1String("%1")) ? expected.arg(realText) : expected });
    }

    void nestedDifferencesHavePaths()
    {
        const QJsonObject snapshot { { QStringLiteral("a"),
                                         QJsonObject { { QStringLiteral("b.c"), 1 }, { QStringLiteral("d"), 2 } } },
            { QStringLiteral("list"), QJsonArray { 1, 2 } } };
        const QJsonObject rebuilt { { QStringLiteral("a"),
                                        QJsonObject { { QStringLiteral("b.c"), 1 }, { QStringLiteral("e"), 3 } } },
            { QStringLiteral("list"), QJsonArray { 1, 2, 3 } } };
        const QList<FieldChange> differences = SnapshotVerifier::compare(snapshot, rebuilt);
        QCOMPARE(differences.size(), 3);
        QCOMPARE(differences.at(0).path, QStringLiteral("a.d"));
        QCOMPARE(differences.at(0).kind, FieldChange::Kind::Removed);
        QCOMPARE(differences.at(1).path, QStringLiteral("a.e"));
        QCOMPARE(differences.at(1).kind, FieldChange::Kind::Added);
        QCOMPARE(differences.at(2).path, QStringLiteral("list"));
        QCOMPARE(differences.at(2).oldValue, QJsonValue(QJsonArray { 1, 2 }));
        QCOMPARE(differences.at(2).newValue, QJsonValue(QJsonArray { 1, 2, 3 }));
        QVERIFY(SnapshotVerifier::compare(snapshot, snapshot).isEmpty());
    }

    void staleSchemaVersionIsNotCorruption()
    {
        QVERIFY(makeAccount(QStringLiteral("a1"), 4));
        Snapshot snapshot = takeSnapshot(QStringLiteral("account-a1"), 3);
        QCOMPARE(snapshot.schemaVersion, 2);
        snapshot.schemaVersion = 1;
        QVERIFY(SnapshotStore(m_store).save(snapshot).ok());

        const SnapshotCheck check = verify(snapshotsOf(QStringLiteral("account-a1")).value(0));
        QVERIFY2(check.errors.isEmpty(), qPrintable(check.errors.join(u'\n')));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Stale);
        QVERIFY(!check.matches);
        QVERIFY2(check.note.contains(QLatin1String("stale")), qPrintable(check.note));
        QVERIFY2(check.note.contains(QLatin1String("schema version 1")), qPrintable(check.note));
        QVERIFY(check.differences.isEmpty()); // the fields are the same; only the layout's version differs
    }

    void snapshotBeyondTheEndOfTheStream()
    {
        QVERIFY(makeAccount(QStringLiteral("a1"), 4)); // versions 0..4
        Snapshot snapshot = takeSnapshot(QStringLiteral("account-a1"), 4);
        snapshot.version = 20;
        QVERIFY(SnapshotStore(m_store).save(snapshot).ok());

        const SnapshotCheck check = verify(snapshotsOf(QStringLiteral("account-a1")).value(0));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Failed);
        QVERIFY(!check.matches);
        QCOMPARE(check.errors.size(), 1);
        QVERIFY2(check.errors.first().contains(QLatin1String("ends at version 4")), qPrintable(check.errors.first()));
        QVERIFY2(check.errors.first().contains(QLatin1String("version 20")), qPrintable(check.errors.first()));

        snapshot.streamId = QStringLiteral("account-none");
        const SnapshotCheck empty = verify(snapshot);
        QCOMPARE(empty.outcome, SnapshotCheck::Outcome::Failed);
        QVERIFY2(empty.errors.value(0).contains(QLatin1String("has no events")), qPrintable(empty.errors.value(0)));
    }

    void eventThatDoesNotDecode()
    {
        QVERIFY(makeAccount(QStringLiteral("a1"), 1)); // versions 0..1
        // A deposit written by a newer build: schema version 9 is unknown here.
        QVERIFY(m_store
                    ->append(QStringLiteral("account-a1"), ExpectedVersion::exact(1),
                        { EventData::create(QStringLiteral("MoneyDeposited"),
                            { { QStringLiteral("amount"), 5 }, { QStringLiteral("balanceAfter"), 5 } }, {}, 9) })
                    .ok());
        Snapshot snapshot = takeSnapshot(QStringLiteral("account-a1"), 1);
        snapshot.version = 2;
        const SnapshotCheck check = verify(snapshot);
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Failed);
        QCOMPARE(check.errors.size(), 1);
        QVERIFY2(check.errors.first().contains(QLatin1String("up to version 2")), qPrintable(check.errors.first()));

        // A snapshot before the bad event still verifies.
        const SnapshotCheck before = verify(takeSnapshot(QStringLiteral("account-a1"), 1));
        QCOMPARE(before.outcome, SnapshotCheck::Outcome::Matches);
    }

    void unknownStreamCannotBeVerified()
    {
        QVERIFY(m_store
                    ->append(QStringLiteral("thing-1"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("ThingMade"), { { QStringLiteral("size"), 3 } }) })
                    .ok());
        Snapshot snapshot;
        snapshot.streamId = QStringLiteral("thing-1");
        snapshot.version = 0;
        snapshot.aggregateType = QStringLiteral("Thing");
        snapshot.state = { { QStringLiteral("size"), 3 } };
        const SnapshotCheck check = verify(snapshot);
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::NotVerifiable);
        QVERIFY(!check.matches);
        QVERIFY(check.errors.isEmpty());
        QVERIFY2(check.note.contains(QLatin1String("generic")), qPrintable(check.note));
        QVERIFY2(check.note.contains(QLatin1String("Thing")), qPrintable(check.note));
    }

    void streamLongerThanAPage()
    {
        // Raw deposits (fast to write): three pages of events up to the snapshot.
        QVERIFY(makeAccount(QStringLiteral("big"), 0));
        QList<EventData> deposits;
        const int count = SnapshotVerifier::PageSize * 2 + 50;
        for (int i = 1; i <= count; ++i)
            deposits.append(EventData::create(QStringLiteral("MoneyDeposited"),
                { { QStringLiteral("amount"), 1 }, { QStringLiteral("balanceAfter"), i },
                    { QStringLiteral("transactionId"), QStringLiteral("t%1").arg(i) } }));
        QVERIFY(m_store->append(QStringLiteral("account-big"), ExpectedVersion::exact(0), deposits).ok());
        const Snapshot good = takeSnapshot(QStringLiteral("account-big"), count - 10);
        QCOMPARE(good.state.value(QStringLiteral("balance")).toInteger(), count - 10);
        const SnapshotCheck check = verify(good);
        QVERIFY2(check.errors.isEmpty(), qPrintable(check.errors.join(u'\n')));
        QCOMPARE(check.outcome, SnapshotCheck::Outcome::Matches);

        Snapshot bad = good;
        bad.state.insert(QStringLiteral("balance"), 1);
        const SnapshotCheck differs = verify(bad);
        QCOMPARE(
            describe(differs.differences), QStringList { QStringLiteral("balance: 1 → %1 (changed)").arg(count - 10) });
    }
};

QTEST_GUILESS_MAIN(TestSnapshotVerifier)
#include "tst_snapshotverifier.moc"
