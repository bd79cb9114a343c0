// SPDX-License-Identifier: Apache-2.0
#include "cqrs/validationmiddleware.h"

#include <QTest>

using namespace EventScope;
using Type = FieldDescriptor::Type;

class TestValidationMiddleware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validCommandReachesNext();
    void reportsAllFieldErrorsAtOnce();
    void rejectsUnknownFields();
    void correctiveCommandNeedsReason_data();
    void correctiveCommandNeedsReason();
    void ordinaryCommandNeedsNoReason();

private:
    static CommandDescriptor depositDescriptor(bool corrective = false);
};

CommandDescriptor TestValidationMiddleware::depositDescriptor(bool corrective)
{
    CommandDescriptor descriptor;
    descriptor.type = QStringLiteral("Deposit");
    descriptor.corrective = corrective;
    FieldDescriptor amount { QStringLiteral("amount"), Type::Decimal, true, {}, 1, 1000000, {} };
    FieldDescriptor currency { QStringLiteral("currency"), Type::Enum, true,
        { QStringLiteral("EUR"), QStringLiteral("USD") }, std::nullopt, std::nullopt, {} };
    FieldDescriptor note { QStringLiteral("note"), Type::String, false, {}, std::nullopt, 10, {} };
    FieldDescriptor reference { QStringLiteral("reference"), Type::Uuid, true, {}, std::nullopt, std::nullopt, {} };
    descriptor.fields = { amount, currency, note, reference };
    return descriptor;
}

namespace {

struct Probe {
    int calls = 0;
    CommandNext next()
    {
        return [this](const Command& command, CommandContext&) {
            ++calls;
            return DispatchResult::success(command.aggregateId, 0, {});
        };
    }
};

Command validDeposit()
{
    Command command;
    command.type = QStringLiteral("Deposit");
    command.aggregateId = QStringLiteral("account-1");
    command.fields
        = QJsonObject { { QStringLiteral("amount"), 1250 }, { QStringLiteral("currency"), QStringLiteral("EUR") },
              { QStringLiteral("reference"), QStringLiteral("123e4567-e89b-12d3-a456-426614174000") } };
    return command;
}

} // namespace

void TestValidationMiddleware::validCommandReachesNext()
{
    ValidationMiddleware middleware;
    Probe probe;
    CommandContext context;
    const DispatchResult result = middleware.handle(validDeposit(), context, depositDescriptor(), probe.next());
    QVERIFY(result.ok());
    QCOMPARE(probe.calls, 1);
}

void TestValidationMiddleware::reportsAllFieldErrorsAtOnce()
{
    ValidationMiddleware middleware;
    Probe probe;
    CommandContext context;
    Command command = validDeposit();
    command.fields = QJsonObject { { QStringLiteral("amount"), 0 }, // below minimum
        { QStringLiteral("currency"), QStringLiteral("GBP") }, // not allowed
        { QStringLiteral("note"), QStringLiteral("far too long a note") } }; // too long; reference missing
    const DispatchResult result = middleware.handle(command, context, depositDescriptor(), probe.next());
    QCOMPARE(probe.calls, 0);
    QVERIFY(result.error);
    QCOMPARE(result.error->code(), CommandError::Code::Validation);
    const QMap<QString, QString> errors = result.error->fieldErrors();
    QCOMPARE(errors.keys(),
        QStringList({ QStringLiteral("amount"), QStringLiteral("currency"), QStringLiteral("note"),
            QStringLiteral("reference") }));
    for (const QString& message : errors)
        QVERIFY(!message.isEmpty());
    QVERIFY(result.error->message().contains(QStringLiteral("currency")));
}

void TestValidationMiddleware::rejectsUnknownFields()
{
    Command command = validDeposit();
    command.fields.insert(QStringLiteral("amuont"), 5);
    const auto errors = ValidationMiddleware::validate(command, {}, depositDescriptor());
    QCOMPARE(errors.keys(), QStringList { QStringLiteral("amuont") });
}

void TestValidationMiddleware::correctiveCommandNeedsReason_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("none") << QString() << false;
    QTest::newRow("blank") << QStringLiteral("   ") << false;
    QTest::newRow("given") << QStringLiteral("ticket 4711: double booking") << true;
}

void TestValidationMiddleware::correctiveCommandNeedsReason()
{
    QFETCH(QString, reason);
    QFETCH(bool, accepted);
    ValidationMiddleware middleware;
    Probe probe;
    CommandContext context;
    context.reason = reason;
    const DispatchResult result = middleware.handle(validDeposit(), context, depositDescriptor(true), probe.next());
    QCOMPARE(result.ok(), accepted);
    QCOMPARE(probe.calls, accepted ? 1 : 0);
    if (!accepted) {
        QCOMPARE(result.error->code(), CommandError::Code::Validation);
        QCOMPARE(result.error->fieldErrors().keys(), QStringList { QStringLiteral("reason") });
    }
}

void TestValidationMiddleware::ordinaryCommandNeedsNoReason()
{
    QVERIFY(ValidationMiddleware::validate(validDeposit(), {}, depositDescriptor(false)).isEmpty());
}

QTEST_GUILESS_MAIN(TestValidationMiddleware)
#include "tst_validationmiddleware.moc"
