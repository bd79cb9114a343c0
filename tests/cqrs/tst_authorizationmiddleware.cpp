// SPDX-License-Identifier: Apache-2.0
#include "cqrs/authorizationmiddleware.h"

#include <QTest>

using namespace EventScope;

class TestAuthorizationMiddleware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roleAgainstCommandKind_data();
    void roleAgainstCommandKind();
    void dryRunIsCheckedAlike();
    void actorIsRequired();
    void roleNames();
};

namespace {

enum Kind { DeveloperOnly, SupportAllowed, Corrective };

CommandDescriptor descriptorOf(Kind kind)
{
    CommandDescriptor descriptor;
    descriptor.type = QStringLiteral("Something");
    descriptor.corrective = kind == Corrective;
    descriptor.minimumRole = kind == SupportAllowed ? Role::Support : Role::Developer;
    return descriptor;
}

DispatchResult run(Role role, Kind kind, int* calls, bool dryRun = false, QString actor = QStringLiteral("alice"))
{
    AuthorizationMiddleware middleware;
    CommandContext context;
    context.actor = std::move(actor);
    context.role = role;
    context.dryRun = dryRun;
    Command command;
    command.type = QStringLiteral("Something");
    return middleware.handle(command, context, descriptorOf(kind), [calls](const Command&, CommandContext&) {
        ++*calls;
        return DispatchResult::success(QStringLiteral("a"), 0, {});
    });
}

} // namespace

void TestAuthorizationMiddleware::roleAgainstCommandKind_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("auditor, developer-only") << int(Role::Auditor) << int(DeveloperOnly) << false;
    QTest::newRow("auditor, support-allowed") << int(Role::Auditor) << int(SupportAllowed) << false;
    QTest::newRow("auditor, corrective") << int(Role::Auditor) << int(Corrective) << false;
    QTest::newRow("support, developer-only") << int(Role::Support) << int(DeveloperOnly) << false;
    QTest::newRow("support, support-allowed") << int(Role::Support) << int(SupportAllowed) << true;
    QTest::newRow("support, corrective") << int(Role::Support) << int(Corrective) << true;
    QTest::newRow("developer, developer-only") << int(Role::Developer) << int(DeveloperOnly) << true;
    QTest::newRow("developer, support-allowed") << int(Role::Developer) << int(SupportAllowed) << true;
    QTest::newRow("developer, corrective") << int(Role::Developer) << int(Corrective) << true;
}

void TestAuthorizationMiddleware::roleAgainstCommandKind()
{
    QFETCH(int, role);
    QFETCH(int, kind);
    QFETCH(bool, allowed);
    int calls = 0;
    const DispatchResult result = run(Role(role), Kind(kind), &calls);
    QCOMPARE(result.ok(), allowed);
    QCOMPARE(calls, allowed ? 1 : 0);
    QCOMPARE(descriptorOf(Kind(kind)).allows(Role(role)), allowed);
    if (!allowed) {
        QCOMPARE(result.error->code(), CommandError::Code::Unauthorized);
        QVERIFY(result.error->message().contains(QStringLiteral("Something")));
    }
}

void TestAuthorizationMiddleware::dryRunIsCheckedAlike()
{
    int calls = 0;
    QVERIFY(!run(Role::Auditor, Corrective, &calls, true).ok());
    QVERIFY(!run(Role::Support, DeveloperOnly, &calls, true).ok());
    QCOMPARE(calls, 0);
}

void TestAuthorizationMiddleware::actorIsRequired()
{
    int calls = 0;
    const DispatchResult result = run(Role::Developer, DeveloperOnly, &calls, false, QStringLiteral("  "));
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Unauthorized);
    QCOMPARE(calls, 0);
}

void TestAuthorizationMiddleware::roleNames()
{
    for (const Role role : { Role::Auditor, Role::Support, Role::Developer })
        QCOMPARE(roleFromName(roleName(role)), std::optional<Role>(role));
    QCOMPARE(roleFromName(QStringLiteral("Support")), std::optional<Role>(Role::Support));
    QVERIFY(!roleFromName(QStringLiteral("admin")));
}

QTEST_GUILESS_MAIN(TestAuthorizationMiddleware)
#include "tst_authorizationmiddleware.moc"
