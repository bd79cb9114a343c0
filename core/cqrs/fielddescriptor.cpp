// SPDX-License-Identifier: Apache-2.0
#include "fielddescriptor.h"

#include <QCoreApplication>
#include <QUuid>

#include <cmath>

namespace EventScope {

namespace {

// Integers beyond 2^53 do not survive a trip through a JSON double.
constexpr double MaxExactInteger = 9007199254740992.0;

bool isIntegral(const QJsonValue& value)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return std::isfinite(number) && std::floor(number) == number && std::fabs(number) <= MaxExactInteger;
}

QString centsText(qint64 cents)
{
    const qint64 magnitude = cents < 0 ? -cents : cents;
    return QStringLiteral("%1%2.%3")
        .arg(cents < 0 ? QStringLiteral("-") : QString())
        .arg(magnitude / 100)
        .arg(magnitude % 100, 2, 10, QLatin1Char('0'));
}

QString rangeProblem(const FieldDescriptor& field, qint64 value, bool cents)
{
    const auto show = [cents](qint64 v) { return cents ? centsText(v) : QString::number(v); };
    if (field.minimum && value < *field.minimum)
        return FieldDescriptor::tr("%1 is below the minimum of %2.").arg(show(value), show(*field.minimum));
    if (field.maximum && value > *field.maximum)
        return FieldDescriptor::tr("%1 is above the maximum of %2.").arg(show(value), show(*field.maximum));
    return {};
}

} // namespace

QString FieldDescriptor::typeName(Type type)
{
    switch (type) {
    case Type::String:
        return QStringLiteral("string");
    case Type::Int:
        return QStringLiteral("int");
    case Type::Decimal:
        return QStringLiteral("decimal");
    case Type::Bool:
        return QStringLiteral("bool");
    case Type::Enum:
        return QStringLiteral("enum");
    case Type::Uuid:
        return QStringLiteral("uuid");
    }
    return {};
}

QString FieldDescriptor::validate(const QJsonValue& value) const
{
    if (value.isUndefined() || value.isNull())
        return required ? tr("A value is required.") : QString();

    const QString allowed = allowedValues.join(QStringLiteral(", "));
    switch (type) {
    case Type::String: {
        if (!value.isString())
            return tr("Enter text.");
        const QString text = value.toString();
        if (required && text.trimmed().isEmpty())
            return tr("A value is required.");
        if (minimum && text.size() < *minimum)
            return tr("Enter at least %1 characters.").arg(*minimum);
        if (maximum && text.size() > *maximum)
            return tr("Enter at most %1 characters.").arg(*maximum);
        if (!allowedValues.isEmpty() && !allowedValues.contains(text))
            return tr("\"%1\" is not allowed; choose one of: %2.").arg(text, allowed);
        return {};
    }
    case Type::Int:
        if (!isIntegral(value))
            return tr("Enter a whole number.");
        return rangeProblem(*this, static_cast<qint64>(value.toDouble()), false);
    case Type::Decimal:
        if (!isIntegral(value))
            return tr("Enter an amount with at most two decimal places (given in cents).");
        return rangeProblem(*this, static_cast<qint64>(value.toDouble()), true);
    case Type::Bool:
        return value.isBool() ? QString() : tr("Enter true or false.");
    case Type::Enum:
        if (!value.isString() || !allowedValues.contains(value.toString()))
            return tr("Choose one of: %1.").arg(allowed);
        return {};
    case Type::Uuid:
        if (!value.isString() || QUuid::fromString(value.toString()).isNull())
            return tr("Enter a UUID such as 123e4567-e89b-12d3-a456-426614174000.");
        return {};
    }
    return {};
}

QJsonValue FieldDescriptor::parseText(const QString& text, QString* error) const
{
    const QString trimmed = text.trimmed();
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QJsonValue(QJsonValue::Undefined);
    };
    if (error)
        error->clear();
    if (type != Type::String && trimmed.isEmpty())
        return QJsonValue(QJsonValue::Undefined);

    switch (type) {
    case Type::String:
    case Type::Enum:
    case Type::Uuid:
        return type == Type::String ? QJsonValue(text) : QJsonValue(trimmed);
    case Type::Int: {
        bool ok = false;
        const qint64 number = trimmed.toLongLong(&ok);
        if (!ok || std::fabs(static_cast<double>(number)) > MaxExactInteger)
            return fail(tr("\"%1\" is not a whole number.").arg(trimmed));
        return QJsonValue(number);
    }
    case Type::Decimal: {
        // Parsed by hand: converting through double would turn 0.29 into 28 cents.
        QString digits = trimmed;
        const bool negative = digits.startsWith(QLatin1Char('-'));
        if (negative || digits.startsWith(QLatin1Char('+')))
            digits.remove(0, 1);
        const qsizetype dot = digits.indexOf(QLatin1Char('.'));
        const QString whole = dot < 0 ? digits : digits.left(dot);
        QString fraction = dot < 0 ? QString() : digits.mid(dot + 1);
        bool ok = !whole.isEmpty() && fraction.size() <= 2 && (dot < 0 || !fraction.isEmpty());
        const QString allDigits = whole + fraction;
        for (const QChar c : allDigits)
            ok = ok && c.isDigit() && c.unicode() < 128;
        const qint64 units = ok ? whole.toLongLong(&ok) : 0;
        if (!ok || units > static_cast<qint64>(MaxExactInteger / 100))
            return fail(tr("\"%1\" is not an amount; write it like 12.34.").arg(trimmed));
        while (fraction.size() < 2)
            fraction.append(QLatin1Char('0'));
        const qint64 cents = units * 100 + fraction.toLongLong();
        return QJsonValue(negative ? -cents : cents);
    }
    case Type::Bool: {
        const QString lower = trimmed.toLower();
        if (lower == u"true" || lower == u"yes" || lower == u"1")
            return QJsonValue(true);
        if (lower == u"false" || lower == u"no" || lower == u"0")
            return QJsonValue(false);
        return fail(tr("\"%1\" is not true or false.").arg(trimmed));
    }
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace EventScope
