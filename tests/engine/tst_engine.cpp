// SPDX-License-Identifier: Apache-2.0
// The Engine as composition root: built from an AppConfig (opening the store itself or using a given one),
// the standard and custom domain modules registered, the snapshot policy from the config, written events
// published on the EventBus (and nothing for dry runs or refused commands), dispatch from worker threads.
#include "engine/engine.h"

#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QJsonArray>
#include <QMap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

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

Command command(const QString& type, const QString& id, const QJsonObject& fields = {})
{
    return Command { QUuid::createUuid(), type, id, fields };
}

QJsonObject openFields()
{
    return { { QStringLiteral("owner"), QStringLiteral("Ada") },
        { QStringLiteral("currency"), QStringLiteral("EUR") } };
}

/// A domain of one event type and one command, registered the way a user would add their own domain.
class PingModule final : public DomainModule {
public:
    QString name() const override { return QStringLiteral("ping"); }
    DomainResult<Done> registerEvents(EventTypeRegistry& registry) override
    {
        return registry.registerType(QStringLiteral("Pinged"), 1);
    }
    DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider&) override
    {
        const bool ok = commands.registerCommand(
            CommandDescriptor { QStringLiteral("Ping"), QStringLiteral("Says hello."), false, Role::Developer, {} },
            [](const Command& c, const CommandContext&) {
                return DispatchResult::success(c.aggregateId, NoStreamVersion, {});
            });
        if (!ok)
            return DomainError(DomainError::Code::InvalidRegistration, QStringLiteral("Ping is registered already"));
        return Done {};
    }
    DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider&) override
    {
        const bool ok = queries.registerQuery(
            QStringLiteral("Pong"), [](const Query&) -> QueryResult { return QJsonValue(QStringLiteral("pong")); });
        if (!ok)
            return DomainError(DomainError::Code::InvalidRegistration, QStringLiteral("Pong is registered already"));
        return Done {};
    }
};

} // namespace

class TestEngine : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    AppConfig sqliteConfig(const QString& file) const
    {
        AppConfig config;
        config.eventStore.backend = StoreSettings::Backend::Sqlite;
        config.eventStore.connection = m_dir.filePath(file);
        return config;
    }

private Q_SLOTS:
    void buildsFromConfigWithTheStandardModules()
    {
        AppConfig config = sqliteConfig(QStringLiteral("standard.db"));
        config.snapshots.frequency = 4;
        config.snapshots.retain = 2;
        config.projections.batchSize = 321;
        config.projections.pollInterval = std::chrono::milliseconds(40);
        auto created = Engine::create(config);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
        Engine& engine = *created.value();

        QVERIFY(engine.store());
        QCOMPARE(engine.store()->settings().connection, config.eventStore.connection);
        QCOMPARE(engine.moduleNames(), (QStringList { QStringLiteral("user"), QStringLiteral("account") }));
        QCOMPARE(engine.snapshotPolicy().frequency(), 4);
        QCOMPARE(engine.snapshotPolicy().retain(), 2);
        QVERIFY(engine.metrics());

        QStringList commands;
        for (const CommandDescriptor& descriptor : engine.commandBus().descriptors())
            commands.append(descriptor.type);
        const QStringList expected { QStringLiteral("ChangeEmail"), QStringLiteral("CloseAccount"),
            QStringLiteral("CorrectBalance"), QStringLiteral("CreateUser"), QStringLiteral("DeactivateUser"),
            QStringLiteral("Deposit"), QStringLiteral("FreezeAccount"), QStringLiteral("OpenAccount"),
            QStringLiteral("ReactivateUser"), QStringLiteral("RenameUser"), QStringLiteral("ReverseTransaction"),
            QStringLiteral("UnfreezeAccount"), QStringLiteral("Withdraw") };
        QCOMPARE(commands, expected);
        QVERIFY(engine.commandBus().descriptor(QStringLiteral("CorrectBalance"))->corrective);
        QVERIFY(engine.commandBus().descriptor(QStringLiteral("ReverseTransaction"))->corrective);
        QVERIFY(!engine.commandBus().descriptor(QStringLiteral("Withdraw"))->corrective);
        QCOMPARE(engine.queryBus().queryTypes(),
            (QStringList { QStringLiteral("GetAccount"), QStringLiteral("GetEventTypeStatistics"),
                QStringLiteral("GetOperatorAuditLog"), QStringLiteral("GetStatement"), QStringLiteral("GetUser"),
                QStringLiteral("ListAccounts"), QStringLiteral("ListProjections"), QStringLiteral("ListUsers") }));
        QStringList projections = engine.projections().names();
        projections.sort();
        QCOMPARE(projections,
            (QStringList { QStringLiteral("account_balances"), QStringLiteral("account_statements"),
                QStringLiteral("event_type_stats"), QStringLiteral("users") }));
        QVERIFY(!engine.projections().isRunning());
        QCOMPARE(engine.projections().options().batchSize, 321);
        QCOMPARE(engine.projections().options().pollInterval, std::chrono::milliseconds(40));
        QCOMPARE(engine.registry().currentVersion(QStringLiteral("UserCreated")), 2);
        QCOMPARE(engine.registry().currentVersion(QStringLiteral("MoneyDeposited")), 1);
        QVERIFY(engine.registry().validate().ok());
    }

    void snapshotsFollowTheConfiguredPolicy()
    {
        AppConfig config = sqliteConfig(QStringLiteral("snapshots.db"));
        config.snapshots.frequency = 3;
        auto created = Engine::create(config);
        QVERIFY(created.ok());
        Engine& engine = *created.value();
        QVERIFY(engine.dispatch(command(QStringLiteral("OpenAccount"), QStringLiteral("s1"), openFields()), developer())
                    .ok());
        for (int i = 0; i < 5; ++i)
            QVERIFY(engine
                        .dispatch(command(QStringLiteral("Deposit"), QStringLiteral("s1"),
                                      { { QStringLiteral("amount"), 10 } }),
                            developer())
                        .ok());
        // Versions 0..5: a snapshot when the stream reached 3 and 6 events.
        auto& snapshots = engine.repositories().repository(QStringLiteral("Account"), {})->snapshots();
        const auto list = snapshots.list(QStringLiteral("account-s1"));
        QVERIFY(list.ok());
        QCOMPARE(list.value().size(), 2);
        const auto latest = snapshots.latest(QStringLiteral("account-s1"));
        QVERIFY(latest.ok() && latest.value().has_value());
        QCOMPARE(latest.value()->version, 5);
        // The snapshot state is what replaying the events gives (AccountAggregate's snapshot round trip).
        const auto verified
            = engine.repositories().repository(QStringLiteral("Account"), {})->verify(QStringLiteral("account-s1"));
        QVERIFY(verified.ok());
        QCOMPARE(verified->outcome, SnapshotVerification::Outcome::Match);
        QCOMPARE(verified->storedState.value(QLatin1String("balance")).toInteger(), 50);
    }

    void usesAGivenStore()
    {
        StoreSettings settings;
        settings.connection = m_dir.filePath(QStringLiteral("given.db"));
        auto store = SqlEventStore::open(settings);
        QVERIFY(store.ok());
        auto created = Engine::create(sqliteConfig(QStringLiteral("not-opened.db")), store.value());
        QVERIFY(created.ok());
        QCOMPARE(created.value()->store().get(), store.value().get());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("not-opened.db"))));
    }

    void reportsAStoreThatCannotBeOpened()
    {
        AppConfig config = sqliteConfig(QStringLiteral("missing-folder/deeper/store.db"));
        config.eventStore.createIfMissing = false;
        const auto created = Engine::create(config);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code(), DomainError::Code::Store);
        QVERIFY(!created.error().message().isEmpty());
    }

    void registersCustomModules()
    {
        Engine::Options options;
        options.modules = { std::make_shared<PingModule>() };
        auto created = Engine::create(sqliteConfig(QStringLiteral("custom.db")), options);
        QVERIFY(created.ok());
        Engine& engine = *created.value();
        QCOMPARE(engine.moduleNames(), QStringList { QStringLiteral("ping") });
        QVERIFY(engine.commandBus().hasHandler(QStringLiteral("Ping")));
        QVERIFY(!engine.commandBus().hasHandler(QStringLiteral("CreateUser")));
        QCOMPARE(engine.query({ QStringLiteral("Pong"), {} }).value().toString(), QStringLiteral("pong"));
        QVERIFY(engine.registry().isKnown(QStringLiteral("Pinged")));

        const auto result = engine.dispatch(command(QStringLiteral("Ping"), QStringLiteral("p")), developer());
        QVERIFY(result.ok());
    }

    void refusesAModuleRegisteredTwice()
    {
        Engine::Options options;
        options.modules = { std::make_shared<PingModule>(), std::make_shared<PingModule>() };
        const auto created = Engine::create(sqliteConfig(QStringLiteral("twice.db")), options);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code(), DomainError::Code::InvalidRegistration);
        QVERIFY(created.error().message().contains(QLatin1String("ping")));
    }

    void publishesWrittenEventsOnTheEventBus()
    {
        auto created = Engine::create(sqliteConfig(QStringLiteral("bus.db")));
        QVERIFY(created.ok());
        Engine& engine = *created.value();
        QList<RecordedEvent> received;
        QList<RecordedEvent> deposits;
        engine.eventBus().subscribeToAll(QStringLiteral("all"), [&received](const RecordedEvent& event) {
            received.append(event);
            return std::optional<QString>();
        });
        engine.eventBus().subscribe(
            QStringLiteral("deposits"), QStringLiteral("MoneyDeposited"), [&deposits](const RecordedEvent& event) {
                deposits.append(event);
                return std::optional<QString>();
            });
        engine.eventBus().subscribeToAll(QStringLiteral("broken"),
            [](const RecordedEvent&) { return std::optional<QString>(QStringLiteral("projection is broken")); });

        const auto result
            = engine.dispatch(command(QStringLiteral("OpenAccount"), QStringLiteral("b1"), openFields()), developer());
        QVERIFY(result.ok());
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().streamId, QStringLiteral("account-b1"));
        QCOMPARE(received.first().eventType, QStringLiteral("AccountOpened"));
        QCOMPARE(received.first().eventId, result.events.first().eventId);
        QVERIFY(received.first().position > 0);
        QCOMPARE(received.first().metadataObject().value(QLatin1String("actor")).toString(),
            QStringLiteral("dev@example.com"));

        QVERIFY(engine
                    .dispatch(
                        command(QStringLiteral("Deposit"), QStringLiteral("b1"), { { QStringLiteral("amount"), 70 } }),
                        developer())
                    .ok());
        QCOMPARE(received.size(), 2);
        QCOMPARE(deposits.size(), 1);
        QCOMPARE(deposits.first().streamVersion, 1);
        // The failing subscriber is counted, never fails the command.
        QCOMPARE(engine.eventBus().failureCount(), 2);

        // Dry runs and refused commands publish nothing.
        CommandContext dry = developer();
        dry.dryRun = true;
        QVERIFY(
            engine
                .dispatch(
                    command(QStringLiteral("Deposit"), QStringLiteral("b1"), { { QStringLiteral("amount"), 5 } }), dry)
                .ok());
        QVERIFY(!engine
                     .dispatch(command(QStringLiteral("Withdraw"), QStringLiteral("b1"),
                                   { { QStringLiteral("amount"), 500 } }),
                         developer())
                     .ok());
        QCOMPARE(received.size(), 2);
        QCOMPARE(engine.metrics()->count(QStringLiteral("Deposit"), QStringLiteral("ok")), 2);
        QCOMPARE(engine.metrics()->count(
                     QStringLiteral("Withdraw"), CommandError::codeName(CommandError::Code::DomainRuleViolated)),
            1);
    }

    void dispatchesFromWorkerThreads()
    {
        auto created = Engine::create(sqliteConfig(QStringLiteral("threads.db")));
        QVERIFY(created.ok());
        Engine& engine = *created.value();
        QVERIFY(engine.dispatch(command(QStringLiteral("OpenAccount"), QStringLiteral("w1"), openFields()), developer())
                    .ok());

        std::atomic<int> published { 0 };
        engine.eventBus().subscribe(
            QStringLiteral("count"), QStringLiteral("MoneyDeposited"), [&published](const RecordedEvent&) {
                ++published;
                return std::optional<QString>();
            });
        std::atomic<int> succeeded { 0 };
        QList<QThread*> threads;
        for (int t = 0; t < 3; ++t) {
            threads.append(QThread::create([&engine, &succeeded] {
                for (int i = 0; i < 5; ++i) {
                    if (engine
                            .dispatch(command(QStringLiteral("Deposit"), QStringLiteral("w1"),
                                          { { QStringLiteral("amount"), 1 } }),
                                developer())
                            .ok())
                        ++succeeded;
                }
            }));
        }
        for (QThread* thread : std::as_const(threads))
            thread->start();
        for (QThread* thread : std::as_const(threads)) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        // With bounded retries some deposits may lose every race; each one that succeeded was published once.
        QVERIFY(succeeded.load() > 0);
        QCOMPARE(published.load(), succeeded.load());
        // Queries read the read models: start the projections and let the balances catch up first.
        engine.projections().start();
        const auto head = engine.store()->headPosition();
        QVERIFY(head.ok());
        QTRY_VERIFY_WITH_TIMEOUT(engine.projections().waitForCheckpoint(
                                     QStringLiteral("account_balances"), head.value(), std::chrono::milliseconds(500)),
            30000);
        const auto balance
            = engine.query({ QStringLiteral("GetAccount"), { { QStringLiteral("id"), QStringLiteral("w1") } } });
        QVERIFY2(balance.ok(), qPrintable(balance.ok() ? QString() : balance.error()->message));
        QCOMPARE(balance.value()[QLatin1String("balance")].toInteger(), succeeded.load());
        QCOMPARE(balance.value()[QLatin1String("asOf")].toInteger(), head.value());
    }

    void projectionsAreQueryable()
    {
        auto created = Engine::create(sqliteConfig(QStringLiteral("operators.db")));
        QVERIFY(created.ok());
        Engine& engine = *created.value();
        QVERIFY(engine.dispatch(command(QStringLiteral("OpenAccount"), QStringLiteral("q1"), openFields()), developer())
                    .ok());
        engine.projections().start();
        const GlobalPosition head = engine.store()->headPosition().value();
        QVERIFY(
            engine.projections().waitForCheckpoint(QStringLiteral("account_balances"), head, std::chrono::seconds(20)));
        QVERIFY(!engine.projections().pause(
            QStringLiteral("users"), { QStringLiteral("sam"), Role::Support, QStringLiteral("import running") }));

        const auto listed = engine.query({ QStringLiteral("ListProjections"), {} });
        QVERIFY(listed.ok());
        QMap<QString, QJsonObject> byName;
        for (const QJsonValue& value : listed.value()[QLatin1String("projections")].toArray())
            byName.insert(value[QLatin1String("name")].toString(), value.toObject());
        QCOMPARE(byName.size(), 4);
        QCOMPARE(byName.value(QStringLiteral("users"))[QLatin1String("state")].toString(), QStringLiteral("paused"));
        QTRY_COMPARE_WITH_TIMEOUT(engine.query({ QStringLiteral("ListProjections"), {} })
                                      .value()[QLatin1String("projections")]
                                      .toArray()
                                      .at(0)[QLatin1String("checkpoint")]
                                      .toInteger(),
            head, 10000); // account_balances, first by name

        const auto log = engine.query({ QStringLiteral("GetOperatorAuditLog"), { { QStringLiteral("limit"), 10 } } });
        QVERIFY(log.ok());
        const QJsonArray entries = log.value()[QLatin1String("entries")].toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0)[QLatin1String("action")].toString(), QStringLiteral("pause"));
        QCOMPARE(entries.at(0)[QLatin1String("actor")].toString(), QStringLiteral("sam"));
        QCOMPARE(entries.at(0)[QLatin1String("role")].toString(), QStringLiteral("support"));
        QCOMPARE(entries.at(0)[QLatin1String("reason")].toString(), QStringLiteral("import running"));
        const auto bad = engine.query({ QStringLiteral("GetOperatorAuditLog"), { { QStringLiteral("limit"), 0 } } });
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error()->code, QueryResult::ErrorCode::InvalidParameters);

        // asOf comes from the store: right also when no projection runs in this process.
        engine.projections().stop();
        const auto account
            = engine.query({ QStringLiteral("GetAccount"), { { QStringLiteral("id"), QStringLiteral("q1") } } });
        QVERIFY(account.ok());
        QCOMPARE(account.value()[QLatin1String("asOf")].toInteger(), head);
    }

    void aggregateFactoriesFollowTheStreamPrefix()
    {
        auto created = Engine::create(sqliteConfig(QStringLiteral("factories.db")));
        QVERIFY(created.ok());
        const Engine& engine = *created.value();
        const auto account = engine.aggregateFactory(QStringLiteral("account-a1"));
        QVERIFY(account);
        QCOMPARE(account(QStringLiteral("a1"))->snapshotState().value(QLatin1String("exists")).toBool(), false);
        QVERIFY(account(QStringLiteral("a1"))->snapshotState().contains(QLatin1String("balance")));
        const auto user = engine.aggregateFactory(QStringLiteral("user-u1"));
        QVERIFY(user);
        QVERIFY(!user(QStringLiteral("u1"))->snapshotState().contains(QLatin1String("balance")));
        QVERIFY(!engine.aggregateFactory(QStringLiteral("order-1")));
        QVERIFY(!engine.aggregateFactory(QStringLiteral("accounting-1")));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
