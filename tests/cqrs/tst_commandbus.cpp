// SPDX-License-Identifier: Apache-2.0
#include "cqrs/commandbus.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <stdexcept>
#include <vector>

using namespace EventScope;
using Type = FieldDescriptor::Type;

class TestCommandBus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unknownCommand();
    void duplicateRegistrationIsRefused();
    void descriptorsAreListed();
    void middlewareRunsInOrderAddedAroundHandler();
    void standardPipelineStampsAndReachesHandler();
    void standardPipelineValidatesBeforeAuthorizing();
    void standardPipelineRejectsUnauthorized();
    void dryRunIsPassedThroughAndNothingIsAppended();
    void conflictIsRetriedThroughResiliencePolicy();
    void handlerExceptionBecomesHandlerFailed();
    void dispatchesFromManyThreads();
};

namespace {

CommandDescriptor renameDescriptor()
{
    CommandDescriptor descriptor;
    descriptor.type = QStringLiteral("RenameUser");
    descriptor.help = QStringLiteral("Gives a user a new display name.");
    descriptor.minimumRole = Role::Support;
    descriptor.fields = { FieldDescriptor { QStringLiteral("name"), Type::String, true, {}, 1, 50, {} } };
    return descriptor;
}

Command renameCommand(const QString& name = QStringLiteral("Ada"))
{
    Command command;
    command.type = QStringLiteral("RenameUser");
    command.aggregateId = QStringLiteral("user-1");
    command.fields = QJsonObject { { QStringLiteral("name"), name } };
    return command;
}

CommandContext developer()
{
    CommandContext context;
    context.actor = QStringLiteral("dev");
    context.role = Role::Developer;
    return context;
}

// Stands in for a repository: counts appends, which a dry run must not make.
struct FakeStream {
    std::atomic<int> appends { 0 };
    std::atomic<qint64> version { -1 };

    CommandBus::Handler renameHandler()
    {
        return [this](const Command& command, const CommandContext& context) {
            const QList<EventData> events { EventData::create(QStringLiteral("UserRenamed"),
                QJsonObject { { QStringLiteral("name"), command.fields.value(QStringLiteral("name")) } },
                context.eventMetadata()) };
            const StreamVersion next = version.load() + 1;
            if (!context.dryRun) {
                ++appends;
                version = next;
            }
            return DispatchResult::success(command.aggregateId, next, events,
                QJsonObject { { QStringLiteral("name"), command.fields.value(QStringLiteral("name")) } });
        };
    }
};

class RecordingMiddleware final : public CommandMiddleware {
public:
    RecordingMiddleware(QString name, QStringList* log)
        : m_name(std::move(name))
        , m_log(log)
    {
    }
    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override
    {
        m_log->append(m_name + QStringLiteral(">") + descriptor.type);
        DispatchResult result = next(command, context);
        m_log->append(QStringLiteral("<") + m_name);
        return result;
    }

private:
    QString m_name;
    QStringList* m_log;
};

class CountingPolicy final : public ResiliencePolicy {
public:
    std::atomic<int> executions { 0 };
    DispatchResult execute(const std::function<DispatchResult()>& call) override
    {
        ++executions;
        return call();
    }
};

} // namespace

void TestCommandBus::unknownCommand()
{
    CommandBus bus;
    bus.installStandardMiddleware();
    Command command = renameCommand();
    command.type = QStringLiteral("NoSuchCommand");
    const DispatchResult result = bus.dispatch(command, developer());
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::UnknownCommand);
    QVERIFY(result.error->message().contains(QStringLiteral("NoSuchCommand")));
}

void TestCommandBus::duplicateRegistrationIsRefused()
{
    CommandBus bus;
    int firstCalls = 0;
    int secondCalls = 0;
    QVERIFY(bus.registerCommand(renameDescriptor(), [&firstCalls](const Command&, const CommandContext&) {
        ++firstCalls;
        return DispatchResult::success(QStringLiteral("user-1"), 0, {});
    }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already has a handler")));
    QVERIFY(!bus.registerCommand(renameDescriptor(), [&secondCalls](const Command&, const CommandContext&) {
        ++secondCalls;
        return DispatchResult::success(QStringLiteral("user-1"), 0, {});
    }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without a type or handler")));
    QVERIFY(!bus.registerCommand(
        CommandDescriptor {}, [](const Command&, const CommandContext&) { return DispatchResult {}; }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without a type or handler")));
    CommandDescriptor other = renameDescriptor();
    other.type = QStringLiteral("Other");
    QVERIFY(!bus.registerCommand(other, CommandBus::Handler {}));

    QVERIFY(bus.dispatch(renameCommand(), developer()).ok());
    QCOMPARE(firstCalls, 1);
    QCOMPARE(secondCalls, 0);
}

void TestCommandBus::descriptorsAreListed()
{
    CommandBus bus;
    const auto handler = [](const Command&, const CommandContext&) { return DispatchResult {}; };
    CommandDescriptor zeta = renameDescriptor();
    zeta.type = QStringLiteral("Zeta");
    QVERIFY(bus.registerCommand(zeta, handler));
    QVERIFY(bus.registerCommand(renameDescriptor(), handler));
    QVERIFY(bus.hasHandler(QStringLiteral("Zeta")));
    QVERIFY(!bus.hasHandler(QStringLiteral("Alpha")));
    const QList<CommandDescriptor> all = bus.descriptors();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).type, QStringLiteral("RenameUser"));
    QCOMPARE(all.at(1).type, QStringLiteral("Zeta"));
    const auto rename = bus.descriptor(QStringLiteral("RenameUser"));
    QVERIFY(rename);
    QCOMPARE(rename->fields.size(), 1);
    QCOMPARE(rename->help, renameDescriptor().help);
    QVERIFY(!bus.descriptor(QStringLiteral("Alpha")));
}

void TestCommandBus::middlewareRunsInOrderAddedAroundHandler()
{
    CommandBus bus;
    QStringList log;
    QVERIFY(bus.registerCommand(renameDescriptor(), [&log](const Command&, const CommandContext&) {
        log.append(QStringLiteral("handler"));
        return DispatchResult::success(QStringLiteral("user-1"), 0, {});
    }));
    bus.addMiddleware(std::make_shared<RecordingMiddleware>(QStringLiteral("outer"), &log));
    bus.addMiddleware(std::make_shared<RecordingMiddleware>(QStringLiteral("inner"), &log));
    QVERIFY(bus.dispatch(renameCommand(), developer()).ok());
    QCOMPARE(log,
        QStringList({ QStringLiteral("outer>RenameUser"), QStringLiteral("inner>RenameUser"), QStringLiteral("handler"),
            QStringLiteral("<inner"), QStringLiteral("<outer") }));
}

void TestCommandBus::standardPipelineStampsAndReachesHandler()
{
    CommandBus bus;
    CommandBus::PipelineOptions options;
    options.appVersion = QStringLiteral("3.1.4");
    options.hostName = QStringLiteral("ops-box");
    const auto metrics = bus.installStandardMiddleware(options);
    FakeStream stream;
    QVERIFY(bus.registerCommand(renameDescriptor(), stream.renameHandler()));

    CommandContext context;
    context.actor = QStringLiteral("sam");
    context.role = Role::Support;
    const Command command = renameCommand(QStringLiteral("Grace"));
    const DispatchResult result = bus.dispatch(command, context);
    QVERIFY2(result.ok(), qPrintable(result.error ? result.error->message() : QString()));
    QCOMPARE(result.aggregateId, QStringLiteral("user-1"));
    QCOMPARE(result.newVersion, 0);
    QCOMPARE(stream.appends.load(), 1);
    QVERIFY(result.state);
    QCOMPARE(result.state->value(QStringLiteral("name")).toString(), QStringLiteral("Grace"));
    QCOMPARE(result.events.size(), 1);
    const QJsonObject metadata = result.events.first().metadata;
    QCOMPARE(metadata.value(QStringLiteral("actor")).toString(), QStringLiteral("sam"));
    QCOMPARE(metadata.value(QStringLiteral("role")).toString(), QStringLiteral("support"));
    QCOMPARE(metadata.value(QStringLiteral("appVersion")).toString(), QStringLiteral("3.1.4"));
    QCOMPARE(metadata.value(QStringLiteral("host")).toString(), QStringLiteral("ops-box"));
    QCOMPARE(metadata.value(QStringLiteral("causationId")).toString(), command.id.toString(QUuid::WithoutBraces));
    QVERIFY(!QUuid::fromString(metadata.value(QStringLiteral("correlationId")).toString()).isNull());
    QCOMPARE(metrics->count(QStringLiteral("RenameUser"), QStringLiteral("ok")), 1);
}

void TestCommandBus::standardPipelineValidatesBeforeAuthorizing()
{
    CommandBus bus;
    const auto metrics = bus.installStandardMiddleware();
    FakeStream stream;
    QVERIFY(bus.registerCommand(renameDescriptor(), stream.renameHandler()));
    CommandContext auditor;
    auditor.actor = QStringLiteral("audrey");
    auditor.role = Role::Auditor;
    const DispatchResult result = bus.dispatch(renameCommand(QString()), auditor);
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Validation);
    QCOMPARE(result.error->fieldErrors().keys(), QStringList { QStringLiteral("name") });
    QCOMPARE(stream.appends.load(), 0);
    QCOMPARE(metrics->total(), 0); // rejected before the metrics step
}

void TestCommandBus::standardPipelineRejectsUnauthorized()
{
    CommandBus bus;
    bus.installStandardMiddleware();
    FakeStream stream;
    QVERIFY(bus.registerCommand(renameDescriptor(), stream.renameHandler()));
    CommandContext auditor;
    auditor.actor = QStringLiteral("audrey");
    auditor.role = Role::Auditor;
    const DispatchResult result = bus.dispatch(renameCommand(), auditor);
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Unauthorized);
    QCOMPARE(stream.appends.load(), 0);
}

void TestCommandBus::dryRunIsPassedThroughAndNothingIsAppended()
{
    CommandBus bus;
    bus.installStandardMiddleware();
    FakeStream stream;
    bool sawDryRun = false;
    const auto inner = stream.renameHandler();
    QVERIFY(bus.registerCommand(renameDescriptor(), [&](const Command& command, const CommandContext& context) {
        sawDryRun = context.dryRun;
        return inner(command, context);
    }));
    CommandContext context = developer();
    context.dryRun = true;
    const DispatchResult result = bus.dispatch(renameCommand(QStringLiteral("Linus")), context);
    QVERIFY(result.ok());
    QVERIFY(sawDryRun);
    QCOMPARE(stream.appends.load(), 0);
    QCOMPARE(result.events.size(), 1); // the events that would be written
    QCOMPARE(result.events.first().eventType, QStringLiteral("UserRenamed"));
    QCOMPARE(result.newVersion, 0);

    sawDryRun = true;
    QVERIFY(bus.dispatch(renameCommand(), developer()).ok());
    QVERIFY(!sawDryRun);
    QCOMPARE(stream.appends.load(), 1);
}

void TestCommandBus::conflictIsRetriedThroughResiliencePolicy()
{
    CommandBus bus;
    auto policy = std::make_shared<CountingPolicy>();
    CommandBus::PipelineOptions options;
    options.resilience = policy;
    options.maxConflictAttempts = 4;
    const auto metrics = bus.installStandardMiddleware(options);
    int calls = 0;
    QVERIFY(bus.registerCommand(renameDescriptor(), [&calls](const Command& command, const CommandContext&) {
        if (++calls < 2)
            return DispatchResult::failure(CommandError::conflict(QStringLiteral("user-1 moved on"), 7));
        return DispatchResult::success(command.aggregateId, 8, {});
    }));
    const DispatchResult result = bus.dispatch(renameCommand(), developer());
    QVERIFY(result.ok());
    QCOMPARE(result.newVersion, 8);
    QCOMPARE(calls, 2);
    QCOMPARE(policy->executions.load(), 2); // the policy wraps each attempt
    QCOMPARE(metrics->count(QStringLiteral("RenameUser"), QStringLiteral("ok")), 1);
    QCOMPARE(metrics->count(QStringLiteral("RenameUser"), QStringLiteral("conflict")), 0);
}

void TestCommandBus::handlerExceptionBecomesHandlerFailed()
{
    CommandBus bus;
    bus.installStandardMiddleware();
    QVERIFY(bus.registerCommand(renameDescriptor(),
        [](const Command&, const CommandContext&) -> DispatchResult { throw std::runtime_error("boom"); }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("threw")));
    const DispatchResult result = bus.dispatch(renameCommand(), developer());
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::HandlerFailed);
    QVERIFY(result.error->message().contains(QStringLiteral("boom")));
}

void TestCommandBus::dispatchesFromManyThreads()
{
    CommandBus bus;
    const auto metrics = bus.installStandardMiddleware();
    FakeStream stream;
    QVERIFY(bus.registerCommand(renameDescriptor(), stream.renameHandler()));
    constexpr int Threads = 4;
    constexpr int PerThread = 200;
    std::atomic<int> failures { 0 };
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back(QThread::create([&] {
            for (int i = 0; i < PerThread; ++i) {
                if (!bus.dispatch(renameCommand(), developer()).ok())
                    ++failures;
            }
        }));
        threads.back()->start();
    }
    for (auto& thread : threads)
        QVERIFY(thread->wait(60000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(stream.appends.load(), Threads * PerThread);
    QCOMPARE(metrics->count(QStringLiteral("RenameUser"), QStringLiteral("ok")), qint64(Threads) * PerThread);
}

QTEST_GUILESS_MAIN(TestCommandBus)
#include "tst_commandbus.moc"
