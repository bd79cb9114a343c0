// SPDX-License-Identifier: Apache-2.0
#include "cqrs/fielddescriptor.h"

#include <QJsonValue>
#include <QTest>

Q_DECLARE_METATYPE(EventScope::FieldDescriptor)

using namespace EventScope;
using Type = FieldDescriptor::Type;

class TestFieldDescriptor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validate_data();
    void validate();
    void messagesSayWhatIsAllowed();
    void parseText_data();
    void parseText();
};

namespace {

FieldDescriptor makeField(Type type, bool required = true, std::optional<qint64> min = std::nullopt,
    std::optional<qint64> max = std::nullopt, QStringList allowed = {})
{
    FieldDescriptor field;
    field.name = QStringLiteral("f");
    field.type = type;
    field.required = required;
    field.minimum = min;
    field.maximum = max;
    field.allowedValues = std::move(allowed);
    return field;
}

} // namespace

void TestFieldDescriptor::validate_data()
{
    QTest::addColumn<FieldDescriptor>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("valid");

    const QJsonValue missing(QJsonValue::Undefined);
    const QJsonValue null(QJsonValue::Null);
    const QStringList colours { QStringLiteral("red"), QStringLiteral("green") };

    QTest::newRow("required missing") << makeField(Type::String) << missing << false;
    QTest::newRow("required null") << makeField(Type::Int) << null << false;
    QTest::newRow("optional missing") << makeField(Type::Int, false) << missing << true;
    QTest::newRow("string ok") << makeField(Type::String) << QJsonValue(QStringLiteral("x")) << true;
    QTest::newRow("string blank required") << makeField(Type::String) << QJsonValue(QStringLiteral("  ")) << false;
    QTest::newRow("string not text") << makeField(Type::String) << QJsonValue(3) << false;
    QTest::newRow("string too short") << makeField(Type::String, true, 3) << QJsonValue(QStringLiteral("ab")) << false;
    QTest::newRow("string too long") << makeField(Type::String, true, std::nullopt, 2)
                                     << QJsonValue(QStringLiteral("abc")) << false;
    QTest::newRow("string allowed") << makeField(Type::String, true, std::nullopt, std::nullopt, colours)
                                    << QJsonValue(QStringLiteral("red")) << true;
    QTest::newRow("string not allowed") << makeField(Type::String, true, std::nullopt, std::nullopt, colours)
                                        << QJsonValue(QStringLiteral("blue")) << false;
    QTest::newRow("int ok") << makeField(Type::Int) << QJsonValue(42) << true;
    QTest::newRow("int fraction") << makeField(Type::Int) << QJsonValue(4.5) << false;
    QTest::newRow("int as string") << makeField(Type::Int) << QJsonValue(QStringLiteral("42")) << false;
    QTest::newRow("int at min") << makeField(Type::Int, true, 1, 10) << QJsonValue(1) << true;
    QTest::newRow("int at max") << makeField(Type::Int, true, 1, 10) << QJsonValue(10) << true;
    QTest::newRow("int below min") << makeField(Type::Int, true, 1, 10) << QJsonValue(0) << false;
    QTest::newRow("int above max") << makeField(Type::Int, true, 1, 10) << QJsonValue(11) << false;
    QTest::newRow("decimal cents") << makeField(Type::Decimal, true, 0) << QJsonValue(1234) << true;
    QTest::newRow("decimal fraction of cent") << makeField(Type::Decimal) << QJsonValue(12.5) << false;
    QTest::newRow("decimal negative below min") << makeField(Type::Decimal, true, 0) << QJsonValue(-1) << false;
    QTest::newRow("bool ok") << makeField(Type::Bool) << QJsonValue(false) << true;
    QTest::newRow("bool as int") << makeField(Type::Bool) << QJsonValue(1) << false;
    QTest::newRow("enum ok") << makeField(Type::Enum, true, std::nullopt, std::nullopt, colours)
                             << QJsonValue(QStringLiteral("green")) << true;
    QTest::newRow("enum other") << makeField(Type::Enum, true, std::nullopt, std::nullopt, colours)
                                << QJsonValue(QStringLiteral("Green")) << false;
    QTest::newRow("uuid ok") << makeField(Type::Uuid)
                             << QJsonValue(QStringLiteral("123e4567-e89b-12d3-a456-426614174000")) << true;
    QTest::newRow("uuid braces ok") << makeField(Type::Uuid)
                                    << QJsonValue(QStringLiteral("{123e4567-e89b-12d3-a456-426614174000}")) << true;
    QTest::newRow("uuid bad") << makeField(Type::Uuid) << QJsonValue(QStringLiteral("not-a-uuid")) << false;
}

void TestFieldDescriptor::validate()
{
    QFETCH(FieldDescriptor, field);
    QFETCH(QJsonValue, value);
    QFETCH(bool, valid);
    const QString problem = field.validate(value);
    QVERIFY2(problem.isEmpty() == valid, qPrintable(problem));
}

void TestFieldDescriptor::messagesSayWhatIsAllowed()
{
    const FieldDescriptor colour
        = makeField(Type::Enum, true, std::nullopt, std::nullopt, { QStringLiteral("red"), QStringLiteral("green") });
    QVERIFY(colour.validate(QJsonValue(QStringLiteral("blue"))).contains(QStringLiteral("red, green")));
    QVERIFY(makeField(Type::Decimal, true, 100).validate(QJsonValue(99)).contains(QStringLiteral("1.00")));
    QVERIFY(makeField(Type::Int, true, std::nullopt, 10).validate(QJsonValue(11)).contains(QStringLiteral("10")));
}

void TestFieldDescriptor::parseText_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("expected"); // undefined = parse error (or empty)
    QTest::addColumn<bool>("error");

    const QJsonValue undefined(QJsonValue::Undefined);
    QTest::newRow("int") << int(Type::Int) << QStringLiteral(" -12 ") << QJsonValue(-12) << false;
    QTest::newRow("int junk") << int(Type::Int) << QStringLiteral("12a") << undefined << true;
    QTest::newRow("decimal") << int(Type::Decimal) << QStringLiteral("12.34") << QJsonValue(1234) << false;
    QTest::newRow("decimal 0.29") << int(Type::Decimal) << QStringLiteral("0.29") << QJsonValue(29) << false;
    QTest::newRow("decimal one place") << int(Type::Decimal) << QStringLiteral("5.5") << QJsonValue(550) << false;
    QTest::newRow("decimal whole") << int(Type::Decimal) << QStringLiteral("7") << QJsonValue(700) << false;
    QTest::newRow("decimal negative") << int(Type::Decimal) << QStringLiteral("-0.05") << QJsonValue(-5) << false;
    QTest::newRow("decimal 3 places") << int(Type::Decimal) << QStringLiteral("1.234") << undefined << true;
    QTest::newRow("decimal junk") << int(Type::Decimal) << QStringLiteral("1,50") << undefined << true;
    QTest::newRow("decimal dot only") << int(Type::Decimal) << QStringLiteral("1.") << undefined << true;
    QTest::newRow("bool yes") << int(Type::Bool) << QStringLiteral("Yes") << QJsonValue(true) << false;
    QTest::newRow("bool 0") << int(Type::Bool) << QStringLiteral("0") << QJsonValue(false) << false;
    QTest::newRow("bool junk") << int(Type::Bool) << QStringLiteral("maybe") << undefined << true;
    QTest::newRow("empty int is missing") << int(Type::Int) << QString() << undefined << false;
    QTest::newRow("string kept") << int(Type::String) << QStringLiteral(" a ") << QJsonValue(QStringLiteral(" a "))
                                 << false;
}

void TestFieldDescriptor::parseText()
{
    QFETCH(int, type);
    QFETCH(QString, text);
    QFETCH(QJsonValue, expected);
    QFETCH(bool, error);
    const FieldDescriptor field = makeField(Type(type));
    QString message = QStringLiteral("stale");
    const QJsonValue value = field.parseText(text, &message);
    QCOMPARE(value, expected);
    QCOMPARE(!message.isEmpty(), error);
}

QTEST_GUILESS_MAIN(TestFieldDescriptor)
#include "tst_fielddescriptor.moc"
