// SPDX-License-Identifier: Apache-2.0
#include "historystepmodel.h"

#include "modelroles.h"

namespace EventScope {

HistoryStepModel::HistoryStepModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

HistoryStepModel::~HistoryStepModel() = default;

void HistoryStepModel::setHistory(std::shared_ptr<const StreamHistory> history)
{
    beginResetModel();
    m_history = std::move(history);
    endResetModel();
}

int HistoryStepModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_history)
        return 0;
    return int(m_history->steps().size());
}

QVariant HistoryStepModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryStep& step = m_history->steps().at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        return tr("v%1 · %2 · %3")
            .arg(QString::number(step.version), step.eventType,
                step.recordedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    case Qt::ToolTipRole: {
        QString tip = tr("Event %1 at position %2: %n field(s) changed.", nullptr, int(step.changes.size()))
                          .arg(step.eventId.toString(QUuid::WithoutBraces))
                          .arg(step.position);
        if (step.isUpcasted())
            tip += QLatin1Char(' ')
                + tr("Stored with schema version %1, upcasted to %2.")
                      .arg(step.storedSchemaVersion)
                      .arg(step.schemaVersion);
        return tip;
    }
    case StreamVersionRole:
        return step.version;
    case PositionRole:
        return step.position;
    case EventTypeRole:
        return step.eventType;
    case EventIdRole:
        return step.eventId;
    case RecordedAtRole:
        return step.recordedAt;
    case SchemaVersionRole:
        return step.schemaVersion;
    case UpcastedRole:
        return step.isUpcasted();
    case ChangeCountRole:
        return int(step.changes.size());
    case StoredSchemaVersionRole:
        return step.storedSchemaVersion;
    }
    return {};
}

QHash<int, QByteArray> HistoryStepModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(StreamVersionRole, "streamVersion");
    names.insert(PositionRole, "position");
    names.insert(EventTypeRole, "eventType");
    names.insert(EventIdRole, "eventId");
    names.insert(RecordedAtRole, "recordedAt");
    names.insert(SchemaVersionRole, "schemaVersion");
    names.insert(UpcastedRole, "upcasted");
    names.insert(ChangeCountRole, "changeCount");
    names.insert(StoredSchemaVersionRole, "storedSchemaVersion");
    return names;
}

} // namespace EventScope
