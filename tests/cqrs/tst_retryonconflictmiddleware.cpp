// SPDX-License-Identifier: Apache-2.0
#include "cqrs/retryonconflictmiddleware.h"

#include <QTest>

using namespace EventScope;

class TestRetryOnConflictMiddleware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void succeedsOnSecondAttempt();
    void givesUpAfterMaxAttempts_data();
    void givesUpAfterMaxAttempts();
    void otherErrorsAreNotRetried();
    void successIsNotRetried();
    void commandAtAnExpectedVersionIsNotRetried();
};

namespace {

// A chain that conflicts for the first \a conflicts calls and then succeeds.
struct FlakyNext {
    int conflicts = 0;
    int calls = 0;

    DispatchResult operator()(const Command&, CommandContext&)
    {
        ++calls;
        if (calls <= conflicts)
            return DispatchResult::failure(CommandError::conflict(QStringLiteral("moved on"), calls + 4));
        return DispatchResult::success(QStringLiteral("user-1"), 9, {});
    }
};

DispatchResult run(RetryOnConflictMiddleware& middleware, FlakyNext& next)
{
    CommandContext context;
    return middleware.handle(Command {}, context, CommandDescriptor {},
        [&next](const Command& c, CommandContext& ctx) { return next(c, ctx); });
}

} // namespace

void TestRetryOnConflictMiddleware::succeedsOnSecondAttempt()
{
    RetryOnConflictMiddleware middleware;
    QCOMPARE(middleware.maxAttempts(), 3);
    FlakyNext next { 1 };
    const DispatchResult result = run(middleware, next);
    QVERIFY(result.ok());
    QCOMPARE(result.newVersion, 9);
    QCOMPARE(next.calls, 2);
}

void TestRetryOnConflictMiddleware::givesUpAfterMaxAttempts_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<int>("expectedCalls");
    QTest::newRow("default") << RetryOnConflictMiddleware::DefaultMaxAttempts << 3;
    QTest::newRow("five") << 5 << 5;
    QTest::newRow("one") << 1 << 1;
    QTest::newRow("zero means one") << 0 << 1;
}

void TestRetryOnConflictMiddleware::givesUpAfterMaxAttempts()
{
    QFETCH(int, maxAttempts);
    QFETCH(int, expectedCalls);
    RetryOnConflictMiddleware middleware(maxAttempts);
    FlakyNext next { 100 };
    const DispatchResult result = run(middleware, next);
    QCOMPARE(next.calls, expectedCalls);
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Conflict);
    QCOMPARE(result.error->actualVersion(), std::optional<StreamVersion>(expectedCalls + 4)); // the last conflict
}

void TestRetryOnConflictMiddleware::otherErrorsAreNotRetried()
{
    RetryOnConflictMiddleware middleware(5);
    int calls = 0;
    CommandContext context;
    const DispatchResult result
        = middleware.handle(Command {}, context, CommandDescriptor {}, [&calls](const Command&, CommandContext&) {
              ++calls;
              return DispatchResult::failure(CommandError::storeUnavailable(QStringLiteral("down")));
          });
    QCOMPARE(calls, 1);
    QCOMPARE(result.error->code(), CommandError::Code::StoreUnavailable);
}

void TestRetryOnConflictMiddleware::successIsNotRetried()
{
    RetryOnConflictMiddleware middleware(5);
    FlakyNext next { 0 };
    QVERIFY(run(middleware, next).ok());
    QCOMPARE(next.calls, 1);
}

void TestRetryOnConflictMiddleware::commandAtAnExpectedVersionIsNotRetried()
{
    RetryOnConflictMiddleware middleware(5);
    FlakyNext next { 100 };
    CommandContext context;
    context.expectedVersion = 4;
    const DispatchResult result = middleware.handle(Command {}, context, CommandDescriptor {},
        [&next](const Command& c, CommandContext& ctx) { return next(c, ctx); });
    QCOMPARE(next.calls, 1);
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Conflict);
}

QTEST_GUILESS_MAIN(TestRetryOnConflictMiddleware)
#include "tst_retryonconflictmiddleware.moc"
