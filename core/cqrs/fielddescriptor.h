// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace EventScope {

/**
 * One field of a command: its JSON type and the rules its value must follow. The UI builds form widgets
 * from it and the CLI and ValidationMiddleware check input against it.
 *
 * Values are JSON: String, Enum and Uuid are strings, Int and Decimal are integral numbers (a Decimal is
 * a count of cents: 12.34 is 1234), Bool is a boolean. For String, minimum and maximum bound the length;
 * for Int and Decimal, the value. allowedValues restricts String (when not empty) and lists an Enum's values.
 */
struct FieldDescriptor {
    Q_DECLARE_TR_FUNCTIONS(FieldDescriptor)

public:
    enum class Type { String, Int, Decimal, Bool, Enum, Uuid };

    QString name;
    Type type = Type::String;
    bool required = false;
    QStringList allowedValues;
    std::optional<qint64> minimum;
    std::optional<qint64> maximum;
    QString help;

    /// Empty when \a value is acceptable; else a message for people saying what is wrong and what is allowed.
    /// An undefined or null value is acceptable only when the field is not required.
    QString validate(const QJsonValue& value) const;

    /**
     * Converts text typed by a person (CLI argument, line edit) to this field's JSON value: "12.34" → 1234
     * for a Decimal, "true"/"yes"/"1" for a Bool, and so on. Sets \a error and returns an undefined value
     * when the text cannot be read as this type. The result still has to pass validate().
     */
    QJsonValue parseText(const QString& text, QString* error = nullptr) const;

    /// "string", "int", "decimal", "bool", "enum" or "uuid".
    static QString typeName(Type type);
};

} // namespace EventScope
