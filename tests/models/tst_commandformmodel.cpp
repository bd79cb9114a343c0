// SPDX-License-Identifier: Apache-2.0
// CommandFormModel: rows from a descriptor, every problem at once (type errors from parseText and the core's own
// rules from ValidationMiddleware), the reason of corrective commands, the JSON it builds; QAbstractItemModelTester
// throughout.
#include "commandformmodel.h"

#include "cqrs/validationmiddleware.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;

namespace {

FieldDescriptor field(const QString& name, FieldDescriptor::Type type, bool required)
{
    FieldDescriptor descriptor;
    descriptor.name = name;
    descriptor.type = type;
    descriptor.required = required;
    descriptor.help = name + QStringLiteral(" help");
    return descriptor;
}

CommandDescriptor transfer(bool corrective = false)
{
    auto owner = field(QStringLiteral("owner"), FieldDescriptor::Type::String, true);
    owner.minimum = 2;
    owner.maximum = 10;
    auto currency = field(QStringLiteral("currency"), FieldDescriptor::Type::Enum, true);
    currency.allowedValues = { QStringLiteral("EUR"), QStringLiteral("USD") };
    auto amount = field(QStringLiteral("amount"), FieldDescriptor::Type::Decimal, true);
    amount.minimum = 1;
    auto count = field(QStringLiteral("count"), FieldDescriptor::Type::Int, false);
    count.maximum = 5;
    return { QStringLiteral("Transfer"), QStringLiteral("Moves money."), corrective, Role::Support,
        { owner, currency, amount, count, field(QStringLiteral("urgent"), FieldDescriptor::Type::Bool, false) } };
}

} // namespace

class TestCommandFormModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsFollowTheDescriptor()
    {
        CommandFormModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setDescriptor(transfer());
        QCOMPARE(model.rowCount(), 5);
        const QModelIndex currency = model.index(1);
        QCOMPARE(currency.data().toString(), QStringLiteral("currency"));
        QCOMPARE(currency.data(CommandFormModel::FieldTypeRole).toInt(), int(FieldDescriptor::Type::Enum));
        QCOMPARE(currency.data(CommandFormModel::AllowedValuesRole).toStringList(),
            (QStringList { QStringLiteral("EUR"), QStringLiteral("USD") }));
        QVERIFY(currency.data(CommandFormModel::RequiredRole).toBool());
        QCOMPARE(model.index(0).data(CommandFormModel::MinimumRole).toLongLong(), 2);
        QVERIFY(!model.index(2).data(CommandFormModel::MaximumRole).isValid());
        QCOMPARE(model.index(3).data(CommandFormModel::HelpRole).toString(), QStringLiteral("count help"));
        QVERIFY(model.flags(currency).testFlag(Qt::ItemIsEditable));
    }

    void reportsEveryProblemAtOnce()
    {
        CommandFormModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescriptor(transfer(true));
        QSignalSpy errorsChanged(&model, &CommandFormModel::errorsChanged);
        QVERIFY(model.setData(model.index(0), QStringLiteral("A")));
        model.setValue(QStringLiteral("currency"), QStringLiteral("JPY"));
        model.setValue(QStringLiteral("amount"), QStringLiteral("12.345"));
        model.setValue(QStringLiteral("count"), QStringLiteral("9"));
        QVERIFY(!model.validate());
        QCOMPARE(errorsChanged.size(), 1);
        QCOMPARE(model.errors().keys(),
            (QStringList { QStringLiteral("amount"), QStringLiteral("count"), QStringLiteral("currency"),
                QStringLiteral("owner"), CommandFormModel::reasonKey() }));
        // Type errors are parseText()'s, the rest the core's, word for word.
        QString parseError;
        transfer().fields.at(2).parseText(QStringLiteral("12.345"), &parseError);
        QCOMPARE(model.error(QStringLiteral("amount")), parseError);
        QCOMPARE(model.error(QStringLiteral("currency")), transfer().fields.at(1).validate(QStringLiteral("JPY")));
        QCOMPARE(model.index(0).data(CommandFormModel::ErrorRole).toString(),
            transfer().fields.at(0).validate(QStringLiteral("A")));
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(model.error(QStringLiteral("owner"))));
        QVERIFY(model.index(4).data(CommandFormModel::ErrorRole).toString().isEmpty());

        // Correcting a field clears its message only.
        model.setValue(QStringLiteral("owner"), QStringLiteral("Ada"));
        QVERIFY(model.error(QStringLiteral("owner")).isEmpty());
        QVERIFY(!model.error(QStringLiteral("count")).isEmpty());
        model.setReason(QStringLiteral("ticket 7: wrong amount"));
        QVERIFY(model.error(CommandFormModel::reasonKey()).isEmpty());
    }

    void missingRequiredFieldsAreReported()
    {
        CommandFormModel model;
        model.setDescriptor(transfer());
        QVERIFY(!model.validate());
        QCOMPARE(model.errors().keys(),
            (QStringList { QStringLiteral("amount"), QStringLiteral("currency"), QStringLiteral("owner") }));
    }

    void validInputBuildsTheCommand()
    {
        CommandFormModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescriptor(transfer(true));
        model.setValue(QStringLiteral("owner"), QStringLiteral("Ada"));
        model.setValue(QStringLiteral("currency"), QStringLiteral("EUR"));
        model.setValue(QStringLiteral("amount"), QStringLiteral("12.34"));
        model.setValue(QStringLiteral("urgent"), QStringLiteral("true"));
        model.setReason(QStringLiteral("  duplicate payment  "));
        model.setTicket(QStringLiteral("INC-42"));
        QVERIFY2(model.validate(), qPrintable(QStringList(model.errors().values()).join(u'\n')));
        const Command command = model.command(QStringLiteral("acc1"));
        QCOMPARE(command.type, QStringLiteral("Transfer"));
        QCOMPARE(command.aggregateId, QStringLiteral("acc1"));
        QCOMPARE(command.fields,
            (QJsonObject { { QStringLiteral("owner"), QStringLiteral("Ada") },
                { QStringLiteral("currency"), QStringLiteral("EUR") }, { QStringLiteral("amount"), 1234 },
                { QStringLiteral("urgent"), true } }));
        const CommandContext context = model.context(CommandContext {});
        QCOMPARE(context.reason, QStringLiteral("duplicate payment"));
        QCOMPARE(context.ticket, QStringLiteral("INC-42"));
        // The core agrees with the form.
        QVERIFY(ValidationMiddleware::validate(command, context, model.descriptor()).isEmpty());
    }

    void fingerprintFollowsTheInputs()
    {
        CommandFormModel model;
        model.setDescriptor(transfer());
        QSignalSpy changed(&model, &CommandFormModel::inputsChanged);
        const QString empty = model.inputsFingerprint();
        model.setValue(QStringLiteral("owner"), QStringLiteral("Ada"));
        const QString withOwner = model.inputsFingerprint();
        QVERIFY(withOwner != empty);
        model.setTicket(QStringLiteral("T-1"));
        QVERIFY(model.inputsFingerprint() != withOwner);
        QCOMPARE(changed.size(), 2);
        model.setValue(QStringLiteral("nope"), QStringLiteral("x"));
        QCOMPARE(changed.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCommandFormModel)
#include "tst_commandformmodel.moc"
