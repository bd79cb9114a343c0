// SPDX-License-Identifier: Apache-2.0
#include "cqrs/auditmetadatamiddleware.h"

#include <QTest>
#include <QUuid>

using namespace EventScope;

class TestAuditMetadataMiddleware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stampsContextSeenByNext();
    void generatesCorrelationIdWhenMissing();
    void keepsGivenIds();
    void eventMetadataCarriesAuditFields();
    void defaultStampsBuildVersion();
};

namespace {

// Runs the middleware and returns the context the rest of the chain saw.
CommandContext contextSeenByNext(AuditMetadataMiddleware& middleware, const Command& command, CommandContext context)
{
    CommandContext seen;
    middleware.handle(command, context, CommandDescriptor {}, [&seen](const Command&, CommandContext& ctx) {
        seen = ctx;
        return DispatchResult::success(QString(), 0, {});
    });
    return seen;
}

Command someCommand()
{
    Command command;
    command.type = QStringLiteral("RenameUser");
    command.aggregateId = QStringLiteral("user-1");
    return command;
}

} // namespace

void TestAuditMetadataMiddleware::stampsContextSeenByNext()
{
    AuditMetadataMiddleware middleware(QStringLiteral("9.8.7"), QStringLiteral("build-host"));
    CommandContext context;
    context.actor = QStringLiteral("alice");
    context.role = Role::Support;
    context.reason = QStringLiteral("ticket 12");
    const Command command = someCommand();
    const CommandContext seen = contextSeenByNext(middleware, command, context);
    QCOMPARE(seen.actor, QStringLiteral("alice"));
    QCOMPARE(seen.role, Role::Support);
    QCOMPARE(seen.reason, QStringLiteral("ticket 12"));
    QCOMPARE(seen.appVersion, QStringLiteral("9.8.7"));
    QCOMPARE(seen.hostName, QStringLiteral("build-host"));
    QCOMPARE(seen.causationId, command.id.toString(QUuid::WithoutBraces));
}

void TestAuditMetadataMiddleware::generatesCorrelationIdWhenMissing()
{
    AuditMetadataMiddleware middleware(QStringLiteral("1"), QStringLiteral("h"));
    const CommandContext first = contextSeenByNext(middleware, someCommand(), {});
    const CommandContext second = contextSeenByNext(middleware, someCommand(), {});
    QVERIFY(!QUuid::fromString(first.correlationId).isNull());
    QVERIFY(!QUuid::fromString(second.correlationId).isNull());
    QVERIFY(first.correlationId != second.correlationId);
}

void TestAuditMetadataMiddleware::keepsGivenIds()
{
    AuditMetadataMiddleware middleware(QStringLiteral("1"), QStringLiteral("h"));
    CommandContext context;
    context.correlationId = QStringLiteral("corr-1");
    context.causationId = QStringLiteral("event-7");
    const CommandContext seen = contextSeenByNext(middleware, someCommand(), context);
    QCOMPARE(seen.correlationId, QStringLiteral("corr-1"));
    QCOMPARE(seen.causationId, QStringLiteral("event-7"));
}

void TestAuditMetadataMiddleware::eventMetadataCarriesAuditFields()
{
    AuditMetadataMiddleware middleware(QStringLiteral("2.0"), QStringLiteral("box"));
    CommandContext context;
    context.actor = QStringLiteral("bob");
    context.role = Role::Developer;
    const Command command = someCommand();
    const QJsonObject metadata = contextSeenByNext(middleware, command, context).eventMetadata();
    QCOMPARE(metadata.value(QStringLiteral("actor")).toString(), QStringLiteral("bob"));
    QCOMPARE(metadata.value(QStringLiteral("role")).toString(), QStringLiteral("developer"));
    QCOMPARE(metadata.value(QStringLiteral("appVersion")).toString(), QStringLiteral("2.0"));
    QCOMPARE(metadata.value(QStringLiteral("host")).toString(), QStringLiteral("box"));
    QCOMPARE(metadata.value(QStringLiteral("causationId")).toString(), command.id.toString(QUuid::WithoutBraces));
    QVERIFY(!metadata.value(QStringLiteral("correlationId")).toString().isEmpty());
    QVERIFY(!metadata.contains(QStringLiteral("reason"))); // empty values are left out
}

void TestAuditMetadataMiddleware::defaultStampsBuildVersion()
{
    AuditMetadataMiddleware middleware;
    const CommandContext seen = contextSeenByNext(middleware, someCommand(), {});
    QCOMPARE(seen.appVersion, QStringLiteral(EVENTSCOPE_VERSION));
    QVERIFY(!seen.hostName.isEmpty());
}

QTEST_GUILESS_MAIN(TestAuditMetadataMiddleware)
#include "tst_auditmetadatamiddleware.moc"
