// SPDX-License-Identifier: Apache-2.0
// Commands "at the version the operator looked at" (CommandContext::expectedVersion) through the Engine, on SQLite
// and (with EVENTSCOPE_TEST_PG_DSN) PostgreSQL: success when the stream did not move, a Conflict carrying the
// actual version and nothing written when it did (also when another writer slips in between load and append),
// no retry, and dry runs that check the version and write nothing.
#include "../samples/enginefixture.h"

#include "cqrs/commandmiddleware.h"
#include "engine/aggregatecommandhandler.h"
#include "samples/account/accountaggregate.h"

#include <atomic>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QString Id = QStringLiteral("acc1");
const QString Stream = QStringLiteral("account-acc1");

QJsonObject amount(qint64 cents)
{
    return { { QStringLiteral("amount"), cents } };
}

CommandContext at(StreamVersion version, CommandContext context = EngineFixture::developer())
{
    context.expectedVersion = version;
    return context;
}

/// Counts the calls that reach the handlers (added innermost, so retries are counted too).
class CountingMiddleware final : public CommandMiddleware {
public:
    std::atomic<int> calls { 0 };
    DispatchResult handle(
        const Command& command, CommandContext& context, const CommandDescriptor&, const CommandNext& next) override
    {
        ++calls;
        return next(command, context);
    }
};

} // namespace

class TestExpectedVersion : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data() { EngineFixture::addBackendRows(); }
    void init()
    {
        EVENTSCOPE_OPEN_ENGINE(m_fixture);
        QCOMPARE(EngineFixture::outcome(m_fixture.when(QStringLiteral("OpenAccount"), Id,
                     { { QStringLiteral("owner"), QStringLiteral("Ada") },
                         { QStringLiteral("currency"), QStringLiteral("EUR") } })),
            QStringLiteral("ok"));
        QCOMPARE(
            EngineFixture::outcome(m_fixture.when(QStringLiteral("Deposit"), Id, amount(500))), QStringLiteral("ok"));
        m_counter = std::make_shared<CountingMiddleware>();
        m_fixture.engine().commandBus().addMiddleware(m_counter);
    }
    void cleanup() { m_fixture.close(); }

    void commitsWhenTheStreamDidNotMove()
    {
        const DispatchResult result = m_fixture.when(QStringLiteral("Deposit"), Id, amount(250), at(1));
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(result.newVersion, 2);
        const auto events = m_fixture.stream(Stream);
        QCOMPARE(EngineFixture::typesOf(events),
            (QStringList {
                QStringLiteral("AccountOpened"), QStringLiteral("MoneyDeposited"), QStringLiteral("MoneyDeposited") }));
        QCOMPARE(events.last().payloadObject().value(QLatin1String("amount")).toInteger(), 250);
    }

    void refusesWhenTheStreamMovedWithoutRetrying()
    {
        const qint64 before = m_fixture.eventCount();
        const DispatchResult result = m_fixture.when(QStringLiteral("Deposit"), Id, amount(250), at(0));
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::Conflict),
            qPrintable(EngineFixture::outcome(result)));
        QCOMPARE(result.error->actualVersion(), std::optional<StreamVersion>(1));
        QVERIFY2(result.error->message().contains(QLatin1String("version 1")), qPrintable(result.error->message()));
        QCOMPARE(m_counter->calls.load(), 1);
        QCOMPARE(m_fixture.eventCount(), before);
    }

    void newAggregateExpectsNoStream()
    {
        const QJsonObject fields { { QStringLiteral("owner"), QStringLiteral("Bob") },
            { QStringLiteral("currency"), QStringLiteral("USD") } };
        QVERIFY(
            EngineFixture::failedWith(m_fixture.when(QStringLiteral("OpenAccount"), Id, fields, at(NoStreamVersion)),
                CommandError::Code::Conflict));
        const DispatchResult created
            = m_fixture.when(QStringLiteral("OpenAccount"), QStringLiteral("acc2"), fields, at(NoStreamVersion));
        QCOMPARE(EngineFixture::outcome(created), QStringLiteral("ok"));
        QCOMPARE(created.newVersion, 0);
    }

    // Another writer appends after the handler loaded version 1 and before it saves: the exact append conflicts in
    // the store. With an expected version the command is not run again; without one it is retried and succeeds.
    void writerBetweenLoadAndAppendConflicts_data()
    {
        QTest::addColumn<bool>("withExpectedVersion");
        QTest::newRow("expected version") << true;
        QTest::newRow("no expected version") << false;
    }
    void writerBetweenLoadAndAppendConflicts()
    {
        QFETCH(bool, withExpectedVersion);
        auto other = m_fixture.secondEngine();
        QVERIFY(other);
        std::shared_ptr<Engine> second = std::move(other).value();
        auto repository = m_fixture.engine().repositories().repository(
            QStringLiteral("Account"), [](const QString& id) { return std::make_unique<AccountAggregate>(id); });
        std::atomic<int> decisions { 0 };
        const bool registered = m_fixture.engine().commandBus().registerCommand(
            CommandDescriptor { QStringLiteral("DepositAfterInterference"), {}, false, Role::Developer, {} },
            AggregateCommandHandler(repository, QStringLiteral("account-"),
                AggregateCommandHandler::on<AccountAggregate>(
                    [&](AccountAggregate& account, const Command&, const CommandContext&) {
                        if (decisions++ == 0) {
                            const DispatchResult meanwhile = second->dispatch(
                                Command { QUuid::createUuid(), QStringLiteral("FreezeAccount"), Id, {} },
                                EngineFixture::developer());
                            if (!meanwhile.ok())
                                return QString(
                                    QStringLiteral("the interfering write failed: ") + meanwhile.error->message());
                        }
                        return account.deposit(100, {});
                    })));
        QVERIFY(registered);

        const DispatchResult result = m_fixture.when(QStringLiteral("DepositAfterInterference"), Id, {},
            withExpectedVersion ? at(1) : EngineFixture::developer());
        const QStringList types = EngineFixture::typesOf(m_fixture.stream(Stream));
        if (withExpectedVersion) {
            QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::Conflict),
                qPrintable(EngineFixture::outcome(result)));
            QCOMPARE(result.error->actualVersion(), std::optional<StreamVersion>(2));
            QCOMPARE(decisions.load(), 1);
            QCOMPARE(types.last(), QStringLiteral("AccountFrozen"));
            QCOMPARE(types.size(), 3);
        } else {
            // The retry decides on the frozen account, which refuses deposits: still no blind overwrite.
            QCOMPARE(decisions.load(), 2);
            QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
                qPrintable(EngineFixture::outcome(result)));
            QCOMPARE(types.size(), 3);
        }
    }

    void dryRunChecksTheVersionAndWritesNothing()
    {
        const qint64 before = m_fixture.eventCount();
        const DispatchResult preview
            = m_fixture.when(QStringLiteral("Deposit"), Id, amount(250), EngineFixture::dryRun(at(1)));
        QCOMPARE(EngineFixture::outcome(preview), QStringLiteral("ok"));
        QCOMPARE(EngineFixture::typesOf(preview), QStringList { QStringLiteral("MoneyDeposited") });
        QCOMPARE(preview.newVersion, 2);
        QVERIFY(preview.state);
        QCOMPARE(preview.state->value(QLatin1String("balance")).toInteger(), 750);
        QCOMPARE(m_fixture.eventCount(), before);

        const DispatchResult stale
            = m_fixture.when(QStringLiteral("Deposit"), Id, amount(250), EngineFixture::dryRun(at(0)));
        QVERIFY(EngineFixture::failedWith(stale, CommandError::Code::Conflict));
        QCOMPARE(m_fixture.eventCount(), before);
    }

private:
    EngineFixture m_fixture;
    std::shared_ptr<CountingMiddleware> m_counter;
};

QTEST_GUILESS_MAIN(TestExpectedVersion)
#include "tst_expectedversion.moc"
