// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/command.h"
#include "cqrs/commandcontext.h"
#include "cqrs/commanddescriptor.h"

#include <QAbstractListModel>
#include <QMap>
#include <QString>
#include <QStringList>

namespace EventScope {

/**
 * The values of a command form generated from a CommandDescriptor: one row per field, in the descriptor's order,
 * each holding the text a person typed (or picked), plus the operator's reason and ticket.
 *
 * validate() checks everything at once and keeps one message per field: text that does not read as the field's
 * type (FieldDescriptor::parseText()), then the core's own rules (ValidationMiddleware::validate(): required,
 * ranges, allowed values, a corrective command's reason). The form therefore refuses exactly what the command bus
 * would refuse. An empty text means "no value" for every type.
 *
 * Rows: Qt::DisplayRole is the field's name, Qt::EditRole its text (editable), Qt::ToolTipRole the help text
 * with the error, plus this model's Role values.
 */
class CommandFormModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role : int {
        FieldNameRole = Qt::UserRole + 160, ///< QString
        FieldTypeRole, ///< int, a FieldDescriptor::Type
        RequiredRole, ///< bool
        AllowedValuesRole, ///< QStringList
        HelpRole, ///< QString
        ErrorRole, ///< QString, empty when the value is acceptable (or not validated yet)
        MinimumRole, ///< qint64 or invalid
        MaximumRole, ///< qint64 or invalid
    };
    Q_ENUM(Role)

    /// The key of the reason in errors(), as ValidationMiddleware reports it.
    static QString reasonKey() { return QStringLiteral("reason"); }

    explicit CommandFormModel(QObject* parent = nullptr);
    ~CommandFormModel() override;

    /// Shows the fields of \a descriptor, all empty (resets the model; errors, reason and ticket are kept).
    void setDescriptor(CommandDescriptor descriptor);
    const CommandDescriptor& descriptor() const { return m_descriptor; }

    /// Sets the text of \a field (an unknown field is ignored); clears that field's error.
    void setValue(const QString& field, const QString& text);
    QString value(const QString& field) const;

    void setReason(const QString& reason);
    const QString& reason() const { return m_reason; }
    void setTicket(const QString& ticket);
    const QString& ticket() const { return m_ticket; }

    /**
     * Checks every field and the reason; returns true when there is nothing to correct. errors() then holds one
     * message per field (and reasonKey()) that needs correcting; errorsChanged() is emitted.
     */
    bool validate();
    /// The problems found by the last validate(), by field name (reasonKey() for the reason).
    const QMap<QString, QString>& errors() const { return m_errors; }
    QString error(const QString& field) const { return m_errors.value(field); }
    void clearErrors();

    /// The field values as JSON (fields without text left out; text that does not parse left out too).
    QJsonObject fields() const;
    /// A command of the descriptor's type for \a aggregateId with fields().
    Command command(const QString& aggregateId) const;
    /// \a base with reason() and ticket().
    CommandContext context(CommandContext base) const;

    /// Everything that decides what the command does (type, fields, reason, ticket), for "same inputs" checks.
    QString inputsFingerprint() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// A value, the reason or the ticket changed.
    void inputsChanged();
    void errorsChanged();

private:
    int rowOf(const QString& field) const;
    void setErrors(QMap<QString, QString> errors);

    CommandDescriptor m_descriptor;
    QStringList m_values; ///< text per field, same order as m_descriptor.fields
    QString m_reason;
    QString m_ticket;
    QMap<QString, QString> m_errors;
};

} // namespace EventScope
