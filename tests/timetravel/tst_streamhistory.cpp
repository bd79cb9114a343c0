// SPDX-License-Identifier: Apache-2.0
// StreamHistory: the generic JSON-merge fold (nested objects, arrays, nulls, diffs, blame, long streams, bad
// input) on hand-made events, and the sample domains: Account states equal Repository::loadAt at every version
// (SQLite store), legacy UserCreated v1 events are upcasted before the fold.
#include "domain/eventtyperegistry.h"
#include "domain/repository.h"
#include "eventstore/eventdata.h"
#include "eventstore/sqleventstore.h"
#include "samples/account/accountaggregate.h"
#include "samples/account/accountmodule.h"
#include "samples/user/useraggregate.h"
#include "samples/user/usermodule.h"
#include "teststores.h"
#include "timetravel/streamhistory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QString Stream = QStringLiteral("thing-1");

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

RecordedEvent recorded(StreamVersion version, const QString& type, const QJsonObject& payload, int schemaVersion = 1,
    const QString& stream = Stream)
{
    RecordedEvent event;
    event.position = 100 + version;
    event.streamId = stream;
    event.streamVersion = version;
    event.eventId = EventData::newEventId();
    event.eventType = type;
    event.schemaVersion = schemaVersion;
    event.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    event.metadata = "{}";
    event.recordedAt = QDateTime::currentDateTimeUtc();
    return event;
}

QList<RecordedEvent> stream(const QList<const char*>& payloads)
{
    QList<RecordedEvent> events;
    for (const char* payload : payloads)
        events.append(recorded(events.size(), QStringLiteral("Changed%1").arg(events.size()), parse(payload)));
    return events;
}

/// RFC 7386 MergePatch, written directly from the RFC's pseudo code: the reference for the generic fold.
QJsonValue mergePatch(const QJsonValue& target, const QJsonValue& patch)
{
    if (!patch.isObject())
        return patch;
    QJsonObject result = target.isObject() ? target.toObject() : QJsonObject {};
    const QJsonObject patchObject = patch.toObject();
    for (auto it = patchObject.constBegin(); it != patchObject.constEnd(); ++it) {
        if (it.value().isNull())
            result.remove(it.key());
        else
            result.insert(it.key(), mergePatch(result.value(it.key()), it.value()));
    }
    return result;
}

QString describe(const QList<FieldChange>& changes)
{
    QStringList parts;
    for (const FieldChange& change : changes) {
        const char* kind = change.kind == FieldChange::Kind::Added ? "+"
            : change.kind == FieldChange::Kind::Removed            ? "-"
                                                                   : "~";
        const auto text = [](const QJsonValue& value) {
            if (value.isUndefined())
                return QStringLiteral("_");
            return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact))
                .mid(1)
                .chopped(1);
        };
        parts.append(QLatin1String(kind) % change.path % u' ' % text(change.oldValue) % u'>' % text(change.newValue));
    }
    return parts.join(u"; ");
}

std::shared_ptr<EventTypeRegistry> registryOf(DomainModule& module)
{
    auto registry = std::make_shared<EventTypeRegistry>();
    if (!module.registerEvents(*registry))
        return {};
    return registry;
}

} // namespace

class TestStreamHistory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void genericFoldMergesNestedObjects()
    {
        const auto history = StreamHistory::build(stream({ R"({"name":"a","address":{"city":"Oslo","zip":"0150"}})",
            R"({"address":{"zip":"0151","geo":{"lat":59.9}}})", R"({"address":{"geo":{"lon":10.7}},"n":1})" }));
        QVERIFY(history.isGeneric());
        QCOMPARE(history.fold(), StreamHistory::Fold::GenericMerge);
        QVERIFY(!history.foldLabel().isEmpty());
        QVERIFY(!history.error());
        QCOMPARE(history.failedVersion(), NoStreamVersion);
        QCOMPARE(history.lastVersion(), 2);
        QCOMPARE(history.streamId(), Stream);
        QCOMPARE(history.initialState(), QJsonObject {});
        QCOMPARE(history.stateAt(0), parse(R"({"name":"a","address":{"city":"Oslo","zip":"0150"}})"));
        QCOMPARE(
            history.stateAt(1), parse(R"({"name":"a","address":{"city":"Oslo","zip":"0151","geo":{"lat":59.9}}})"));
        QCOMPARE(history.stateAt(2),
            parse(R"({"name":"a","n":1,"address":{"city":"Oslo","zip":"0151","geo":{"lat":59.9,"lon":10.7}}})"));
        QCOMPARE(history.stateAt(3), QJsonObject {});
        QCOMPARE(history.stateAt(-1), QJsonObject {});
    }

    void arraysAreReplacedNotMerged()
    {
        const auto history = StreamHistory::build(
            stream({ R"({"tags":["a","b","c"],"o":{"list":[1,2]}})", R"({"tags":["d"],"o":{"list":[{"x":1}]}})" }));
        QCOMPARE(history.stateAt(1), parse(R"({"tags":["d"],"o":{"list":[{"x":1}]}})"));
        QCOMPARE(describe(history.diffAt(1)), QStringLiteral(R"(~o.list [1,2]>[{"x":1}]; ~tags ["a","b","c"]>["d"])"));
    }

    void nullRemovesTheField_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("diff");
        QTest::newRow("scalar") << R"({"a":1,"b":2})"
                                << R"({"a":null})"
                                << R"({"b":2})"
                                << "-a 1>_";
        QTest::newRow("whole object") << R"({"o":{"x":1,"y":{"z":2}},"b":2})"
                                      << R"({"o":null})"
                                      << R"({"b":2})"
                                      << "-o.x 1>_; -o.y.z 2>_";
        QTest::newRow("last key leaves an empty object") << R"({"o":{"x":1}})"
                                                         << R"({"o":{"x":null}})"
                                                         << R"({"o":{}})"
                                                         << "+o _>{}; -o.x 1>_";
        QTest::newRow("a missing key: nothing removed, the patched object exists") << R"({"a":1})"
                                                                                   << R"({"zz":null,"o":{"q":null}})"
                                                                                   << R"({"a":1,"o":{}})"
                                                                                   << "+o _>{}";
    }

    void nullRemovesTheField()
    {
        QFETCH(QString, before);
        QFETCH(QString, patch);
        QFETCH(QString, after);
        QFETCH(QString, diff);
        const auto history = StreamHistory::build(stream({ qPrintable(before), qPrintable(patch) }));
        QVERIFY(!history.error());
        QCOMPARE(history.stateAt(1), parse(qPrintable(after)));
        QCOMPARE(history.stateAt(1), mergePatch(parse(qPrintable(before)), parse(qPrintable(patch))).toObject());
        QCOMPARE(describe(history.diffAt(1)), diff);
    }

    void diffsNameAddedRemovedAndChangedFields()
    {
        const auto history = StreamHistory::build(stream({ R"({"a":1,"b":"x","c":{"d":true}})",
            R"({"a":2,"b":"x","c":{"e":null,"f":[1]},"g":null})", R"({"a":{"nested":1},"c":5})" }));
        QCOMPARE(describe(history.diffAt(0)), QStringLiteral("+a _>1; +b _>\"x\"; +c.d _>true"));
        QCOMPARE(describe(history.diffAt(1)), QStringLiteral("~a 1>2; +c.f _>[1]"));
        // A scalar replaced by an object and an object by a scalar: the leaves come and go.
        QCOMPARE(describe(history.diffAt(2)), QStringLiteral("-a 2>_; +a.nested _>1; +c _>5; -c.d true>_; -c.f [1]>_"));
        QVERIFY(history.diffAt(7).isEmpty());
        const FieldChange& changed = history.diffAt(1).first();
        QCOMPARE(changed.kind, FieldChange::Kind::Changed);
        QCOMPARE(changed.path, QStringLiteral("a"));
        QCOMPARE(changed.oldValue, QJsonValue(1));
        QCOMPARE(changed.newValue, QJsonValue(2));
    }

    void blameFollowsTheLastWriter()
    {
        const auto events = stream(
            { R"({"a":1,"o":{"x":1,"y":1}})", R"({"o":{"y":2}})", R"({"a":1,"z":"new"})", R"({"o":{"x":null}})" });
        const auto history = StreamHistory::build(events);
        const auto blameOf = [&](StreamVersion version, const char* path) {
            const auto blame = history.blame(version, QLatin1String(path));
            return blame ? blame->version : -99;
        };
        QCOMPARE(blameOf(0, "a"), 0);
        QCOMPARE(blameOf(1, "o.y"), 1);
        QCOMPARE(blameOf(1, "o.x"), 0);
        QCOMPARE(blameOf(1, "z"), -99);
        // Writing the value it had is not a change, but the writer is now the one that last set it.
        QCOMPARE(blameOf(2, "a"), 2);
        QVERIFY(history.diffAt(2).size() == 1);
        QCOMPARE(history.steps().at(2).rewritten, QStringList { QStringLiteral("a") });
        QCOMPARE(blameOf(3, "o.x"), -99);
        QCOMPARE(blameOf(3, "o.y"), 1);
        // Going back in time gives back the older blame.
        QCOMPARE(blameOf(1, "a"), 0);

        const auto blame = history.blame(3, QStringLiteral("z"));
        QVERIFY(blame);
        QCOMPARE(blame->value, QJsonValue(QStringLiteral("new")));
        QCOMPARE(blame->eventId, events.at(2).eventId);
        QCOMPARE(blame->eventType, events.at(2).eventType);
        QCOMPARE(blame->position, events.at(2).position);

        const QList<FieldBlame> all = history.blameAt(3);
        QStringList paths;
        for (const FieldBlame& field : all)
            paths.append(field.path % u'@' % QString::number(field.version));
        QCOMPARE(paths, (QStringList { QStringLiteral("a@2"), QStringLiteral("o.y@1"), QStringLiteral("z@2") }));
    }

    void keysWithDotsAreEscaped()
    {
        const QStringList keys { QStringLiteral("a.b"), QStringLiteral("c\\d"), QStringLiteral("e") };
        const QString path = StreamHistory::pathOf(keys);
        QCOMPARE(path, QStringLiteral("a\\.b.c\\\\d.e"));
        QCOMPARE(StreamHistory::keysOf(path), keys);

        const auto history = StreamHistory::build(stream({ R"({"a.b":1,"a":{"b":2},"x\\y":{"p.q":3}})" }));
        QCOMPARE(history.stateAt(0), parse(R"({"a.b":1,"a":{"b":2},"x\\y":{"p.q":3}})"));
        QVERIFY(history.blame(0, QStringLiteral("a\\.b")));
        QCOMPARE(history.blame(0, QStringLiteral("a\\.b"))->value, QJsonValue(1));
        QCOMPARE(history.blame(0, StreamHistory::pathOf({ QStringLiteral("x\\y"), QStringLiteral("p.q") }))->value,
            QJsonValue(3));
    }

    void longStreamMatchesTheReferenceFold()
    {
        // Many versions over a growing state: checkpoints and replay must give what a plain fold gives.
        QRandomGenerator random(42);
        QList<RecordedEvent> events;
        QList<QJsonObject> expected;
        QJsonObject state;
        constexpr int Count = 3000;
        for (int i = 0; i < Count; ++i) {
            QJsonObject payload { { QStringLiteral("counter"), i } };
            const QString key = QStringLiteral("k%1").arg(random.bounded(200));
            payload.insert(QStringLiteral("group%1").arg(random.bounded(5)),
                QJsonObject { { key, random.bounded(3) == 0 ? QJsonValue() : QJsonValue(i) } });
            if (i % 97 == 0)
                payload.insert(QStringLiteral("list"), QJsonArray { i, i + 1 });
            events.append(recorded(i, QStringLiteral("Tick"), payload));
            state = mergePatch(state, payload).toObject();
            expected.append(state);
        }
        QElapsedTimer timer;
        timer.start();
        const auto history = StreamHistory::build(events);
        qInfo() << "built" << Count << "versions in" << timer.elapsed() << "ms";
        QCOMPARE(history.lastVersion(), Count - 1);
        for (int version : { 0, 1, 31, 32, 33, 500, 1234, 2047, 2998, Count - 1 })
            QCOMPARE(history.stateAt(version), expected.at(version));
        for (int i = 0; i < 50; ++i) {
            const int version = random.bounded(Count);
            QCOMPARE(history.stateAt(version), expected.at(version));
        }
        QCOMPARE(history.blame(Count - 1, QStringLiteral("counter"))->version, Count - 1);
    }

    void badInputStopsTheHistory_data()
    {
        QTest::addColumn<int>("broken");
        QTest::addColumn<QString>("kind");
        QTest::newRow("gap") << 2 << "gap";
        QTest::newRow("other stream") << 1 << "stream";
        QTest::newRow("payload not an object") << 3 << "payload";
    }

    void badInputStopsTheHistory()
    {
        QFETCH(int, broken);
        QFETCH(QString, kind);
        auto events = stream({ R"({"a":0})", R"({"a":1})", R"({"a":2})", R"({"a":3})", R"({"a":4})" });
        if (kind == u"gap")
            events.removeAt(broken);
        else if (kind == u"stream")
            events[broken].streamId = QStringLiteral("other-1");
        else
            events[broken].payload = "[1,2]";
        const auto history = StreamHistory::build(events);
        QVERIFY(history.error());
        QCOMPARE(history.error()->code(), DomainError::Code::InvalidStream);
        QVERIFY2(history.error()->message().contains(QString::number(broken)), qPrintable(history.error()->message()));
        QCOMPARE(history.failedVersion(), broken);
        QCOMPARE(history.lastVersion(), broken - 1);
        QCOMPARE(history.stateAt(broken - 1), (QJsonObject { { QStringLiteral("a"), broken - 1 } }));
        QCOMPARE(history.stateAt(broken), QJsonObject {});
    }

    void accountStatesEqualLoadAt()
    {
        TestStore test(TestStore::Backend::Sqlite);
        auto opened = test.open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message()));
        const std::shared_ptr<SqlEventStore> store = opened.value();
        AccountModule module;
        const auto registry = registryOf(module);
        QVERIFY(registry);
        const Repository::Factory factory = [](const QString& id) { return std::make_unique<AccountAggregate>(id); };
        // Snapshots on: loadAt must still agree with the fold, whichever way it loads.
        Repository repository(store, registry, factory, SnapshotPolicy(true, 4, 0));

        const QString id = QStringLiteral("account-42");
        auto loaded = repository.load(id);
        QVERIFY(loaded);
        auto& account = static_cast<AccountAggregate&>(*loaded->aggregate);
        QCOMPARE(account.open(QStringLiteral("Ada"), QStringLiteral("EUR")), QString());
        QCOMPARE(account.deposit(10000, QStringLiteral("t1")), QString());
        QCOMPARE(account.withdraw(2500, QStringLiteral("t2")), QString());
        QVERIFY(repository.save(account));
        QCOMPARE(account.freeze(), QString());
        QCOMPARE(account.unfreeze(), QString());
        QCOMPARE(account.deposit(300, QStringLiteral("t3")), QString());
        QCOMPARE(account.reverseTransaction(QStringLiteral("t2"), QStringLiteral("bank error")), QString());
        QVERIFY(repository.save(account));
        QCOMPARE(account.correctBalance(0, QStringLiteral("audit")), QString());
        QCOMPARE(account.close(), QString());
        QVERIFY(repository.save(account));

        auto events = store->readStream(id, 0, 1000);
        QVERIFY(events);
        QCOMPARE(events->size(), 9);
        const auto history = StreamHistory::build(events.value(), registry.get(), factory);
        QVERIFY(!history.error());
        QCOMPARE(history.fold(), StreamHistory::Fold::Aggregate);
        QCOMPARE(history.initialState(), AccountAggregate(id).snapshotState());
        for (StreamVersion version = 0; version <= history.lastVersion(); ++version) {
            auto at = repository.loadAt(id, version);
            QVERIFY(at);
            QCOMPARE(history.stateAt(version), at->aggregate->snapshotState());
        }

        // The deposit at version 1 changed the balance from 0 to 10000; blame follows the balance's writers.
        bool balanceChanged = false;
        for (const FieldChange& change : history.diffAt(1)) {
            if (change.path == u"balance") {
                balanceChanged = true;
                QCOMPARE(change.oldValue.toInteger(), 0);
                QCOMPARE(change.newValue.toInteger(), 10000);
            }
        }
        QVERIFY2(balanceChanged, qPrintable(describe(history.diffAt(1))));
        QCOMPARE(history.blame(4, QStringLiteral("balance"))->eventType, QStringLiteral("MoneyWithdrawn"));
        QCOMPARE(history.blame(5, QStringLiteral("balance"))->eventType, QStringLiteral("MoneyDeposited"));
        QCOMPARE(history.blame(8, QStringLiteral("balance"))->eventType, QStringLiteral("BalanceCorrected"));
        QCOMPARE(history.blame(8, QStringLiteral("owner"))->version, 0);
        // Freezing and unfreezing: the flag's blame moves with each.
        QCOMPARE(history.blame(3, QStringLiteral("frozen"))->version, 3);
        QCOMPARE(history.blame(4, QStringLiteral("frozen"))->version, 4);
    }

    void legacyUserCreatedIsUpcastedBeforeTheFold()
    {
        UserModule module;
        const auto registry = registryOf(module);
        QVERIFY(registry);
        const QString id = QStringLiteral("user-7");
        const QList<RecordedEvent> events { recorded(0, QStringLiteral("UserCreated"),
                                                parse(R"({"name":"Ada King Lovelace","email":"ada@example.com"})"), 1,
                                                id),
            recorded(1, QStringLiteral("UserEmailChanged"),
                parse(R"({"email":"ada@lovelace.org","previousEmail":"ada@example.com"})"), 1, id) };
        const Repository::Factory factory = [](const QString& user) { return std::make_unique<UserAggregate>(user); };

        const auto domain = StreamHistory::build(events, registry.get(), factory);
        QVERIFY(!domain.error());
        QVERIFY(domain.steps().at(0).isUpcasted());
        QCOMPARE(domain.steps().at(0).schemaVersion, UserAggregate::UserCreatedVersion);
        const QJsonObject created = domain.stateAt(0);
        QCOMPARE(created.value(QLatin1String("firstName")).toString(), QStringLiteral("Ada King"));
        QCOMPARE(created.value(QLatin1String("lastName")).toString(), QStringLiteral("Lovelace"));
        QCOMPARE(domain.stateAt(1).value(QLatin1String("email")).toString(), QStringLiteral("ada@lovelace.org"));
        QCOMPARE(domain.blame(1, QStringLiteral("firstName"))->version, 0);
        QCOMPARE(domain.blame(1, QStringLiteral("email"))->version, 1);

        // The generic fold with the registry sees the upcasted payload too; without it, the stored one.
        const auto generic = StreamHistory::build(events, registry.get());
        QVERIFY(generic.isGeneric());
        QVERIFY(generic.steps().at(0).isUpcasted());
        QCOMPARE(generic.stateAt(1),
            parse(R"({"firstName":"Ada King","lastName":"Lovelace","email":"ada@lovelace.org",)"
                  R"("previousEmail":"ada@example.com"})"));
        const auto raw = StreamHistory::build(events);
        QVERIFY(!raw.steps().at(0).isUpcasted());
        QCOMPARE(raw.stateAt(0), parse(R"({"name":"Ada King Lovelace","email":"ada@example.com"})"));
    }

    void undecodableEventStopsTheHistory()
    {
        UserModule module;
        const auto registry = registryOf(module);
        QVERIFY(registry);
        const QString id = QStringLiteral("user-8");
        const QList<RecordedEvent> events {
            recorded(0, QStringLiteral("UserCreated"),
                parse(R"({"firstName":"Grace","lastName":"Hopper","email":"grace@example.com"})"), 2, id),
            recorded(1, QStringLiteral("UserCreated"), parse(R"({"given":"x"})"), 9, id),
            recorded(2, QStringLiteral("UserDeactivated"), parse(R"({"reason":"left"})"), 1, id),
        };
        const Repository::Factory factory = [](const QString& user) { return std::make_unique<UserAggregate>(user); };
        for (const bool withFactory : { true, false }) {
            const auto history = StreamHistory::build(events, registry.get(), withFactory ? factory : nullptr);
            QVERIFY(history.error());
            QCOMPARE(history.error()->code(), DomainError::Code::SchemaVersionTooNew);
            QCOMPARE(history.failedVersion(), 1);
            QCOMPARE(history.lastVersion(), 0);
            QCOMPARE(history.stateAt(0).value(QLatin1String("lastName")).toString(), QStringLiteral("Hopper"));
        }
    }
};

QTEST_GUILESS_MAIN(TestStreamHistory)
#include "tst_streamhistory.moc"
