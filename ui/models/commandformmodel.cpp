// SPDX-License-Identifier: Apache-2.0
#include "commandformmodel.h"

#include "cqrs/validationmiddleware.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace EventScope {

CommandFormModel::CommandFormModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

CommandFormModel::~CommandFormModel() = default;

void CommandFormModel::setDescriptor(CommandDescriptor descriptor)
{
    beginResetModel();
    m_descriptor = std::move(descriptor);
    m_values = QStringList(m_descriptor.fields.size(), QString());
    endResetModel();
    clearErrors();
    Q_EMIT inputsChanged();
}

int CommandFormModel::rowOf(const QString& field) const
{
    for (int row = 0; row < m_descriptor.fields.size(); ++row) {
        if (m_descriptor.fields.at(row).name == field)
            return row;
    }
    return -1;
}

void CommandFormModel::setValue(const QString& field, const QString& text)
{
    const int row = rowOf(field);
    if (row < 0 || m_values.at(row) == text)
        return;
    m_values[row] = text;
    if (m_errors.remove(field) > 0)
        Q_EMIT errorsChanged();
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT inputsChanged();
}

QString CommandFormModel::value(const QString& field) const
{
    const int row = rowOf(field);
    return row < 0 ? QString() : m_values.at(row);
}

void CommandFormModel::setReason(const QString& reason)
{
    if (m_reason == reason)
        return;
    m_reason = reason;
    // A field may be called "reason" too (DeactivateUser); its error belongs to the field then.
    if (m_descriptor.corrective && m_errors.remove(reasonKey()) > 0)
        Q_EMIT errorsChanged();
    Q_EMIT inputsChanged();
}

void CommandFormModel::setTicket(const QString& ticket)
{
    if (m_ticket == ticket)
        return;
    m_ticket = ticket;
    Q_EMIT inputsChanged();
}

bool CommandFormModel::validate()
{
    QMap<QString, QString> parseErrors;
    QJsonObject values;
    for (int row = 0; row < m_descriptor.fields.size(); ++row) {
        const FieldDescriptor& field = m_descriptor.fields.at(row);
        if (m_values.at(row).isEmpty())
            continue;
        QString problem;
        const QJsonValue value = field.parseText(m_values.at(row), &problem);
        if (!problem.isEmpty())
            parseErrors.insert(field.name, problem);
        else
            values.insert(field.name, value);
    }
    Command command;
    command.type = m_descriptor.type;
    command.fields = values;
    CommandContext context;
    context.reason = m_reason;
    QMap<QString, QString> problems = ValidationMiddleware::validate(command, context, m_descriptor);
    // Text that is not of the field's type: that is the problem to fix first (not "required").
    for (auto it = parseErrors.cbegin(); it != parseErrors.cend(); ++it)
        problems.insert(it.key(), it.value());
    setErrors(std::move(problems));
    return m_errors.isEmpty();
}

void CommandFormModel::clearErrors()
{
    setErrors({});
}

void CommandFormModel::setErrors(QMap<QString, QString> errors)
{
    if (errors == m_errors)
        return;
    m_errors = std::move(errors);
    if (!m_values.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_values.size()) - 1), { ErrorRole, Qt::ToolTipRole });
    Q_EMIT errorsChanged();
}

QJsonObject CommandFormModel::fields() const
{
    QJsonObject values;
    for (int row = 0; row < m_descriptor.fields.size(); ++row) {
        if (m_values.at(row).isEmpty())
            continue;
        QString problem;
        const QJsonValue value = m_descriptor.fields.at(row).parseText(m_values.at(row), &problem);
        if (problem.isEmpty() && !value.isUndefined())
            values.insert(m_descriptor.fields.at(row).name, value);
    }
    return values;
}

Command CommandFormModel::command(const QString& aggregateId) const
{
    Command command;
    command.type = m_descriptor.type;
    command.aggregateId = aggregateId;
    command.fields = fields();
    return command;
}

CommandContext CommandFormModel::context(CommandContext base) const
{
    base.reason = m_reason.trimmed();
    base.ticket = m_ticket.trimmed();
    return base;
}

QString CommandFormModel::inputsFingerprint() const
{
    const QJsonObject inputs { { QStringLiteral("type"), m_descriptor.type },
        { QStringLiteral("fields"), QJsonArray::fromStringList(m_values) },
        { QStringLiteral("reason"), m_reason.trimmed() }, { QStringLiteral("ticket"), m_ticket.trimmed() } };
    return QString::fromUtf8(QJsonDocument(inputs).toJson(QJsonDocument::Compact));
}

int CommandFormModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_descriptor.fields.size());
}

QVariant CommandFormModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FieldDescriptor& field = m_descriptor.fields.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case FieldNameRole:
        return field.name;
    case Qt::EditRole:
        return m_values.at(index.row());
    case Qt::ToolTipRole: {
        const QString error = m_errors.value(field.name);
        return error.isEmpty() ? field.help : field.help % u'\n' % error;
    }
    case FieldTypeRole:
        return int(field.type);
    case RequiredRole:
        return field.required;
    case AllowedValuesRole:
        return field.allowedValues;
    case HelpRole:
        return field.help;
    case ErrorRole:
        return m_errors.value(field.name);
    case MinimumRole:
        return field.minimum ? QVariant(*field.minimum) : QVariant();
    case MaximumRole:
        return field.maximum ? QVariant(*field.maximum) : QVariant();
    default:
        return {};
    }
}

bool CommandFormModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    setValue(m_descriptor.fields.at(index.row()).name, value.toString());
    return true;
}

Qt::ItemFlags CommandFormModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractListModel::flags(index) | Qt::ItemIsEditable;
}

QHash<int, QByteArray> CommandFormModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(FieldNameRole, "fieldName");
    names.insert(FieldTypeRole, "fieldType");
    names.insert(RequiredRole, "required");
    names.insert(AllowedValuesRole, "allowedValues");
    names.insert(HelpRole, "help");
    names.insert(ErrorRole, "error");
    names.insert(MinimumRole, "minimum");
    names.insert(MaximumRole, "maximum");
    return names;
}

} // namespace EventScope
