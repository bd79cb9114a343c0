// SPDX-License-Identifier: Apache-2.0
#include "operatorauditmodel.h"

#include "engine/engine.h"

#include <QFutureWatcher>
#include <QIODevice>
#include <QJsonDocument>
#include <QLocale>
#include <QtConcurrent>

namespace EventScope {

namespace {

/// One field of a CSV record (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
QByteArray csvField(const QString& value)
{
    QByteArray text = value.toUtf8();
    if (!text.contains(',') && !text.contains('"') && !text.contains('\n') && !text.contains('\r'))
        return text;
    text.replace('"', "\"\"");
    return '"' + text + '"';
}

QString indented(const QString& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8());
    return document.isNull() ? json : QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

OperatorAuditModel::OperatorAuditModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

OperatorAuditModel::~OperatorAuditModel() = default;

void OperatorAuditModel::setEngine(std::shared_ptr<Engine> engine)
{
    m_engine = std::move(engine);
    ++m_generation;
    m_loading = false;
    m_atEnd = true;
    if (!m_entries.isEmpty()) {
        beginResetModel();
        m_entries.clear();
        endResetModel();
    }
    if (m_engine)
        reload();
}

void OperatorAuditModel::reload()
{
    if (!m_engine)
        return;
    ++m_generation; // a fetchMore() on its way would append to what this reload may replace
    load(0);
}

void OperatorAuditModel::load(qint64 beforeId)
{
    m_loading = true;
    const quint64 generation = m_generation;
    using Result = StoreResult<QList<OperatorAuditEntry>>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, beforeId] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_loading = false;
        const Result result = watcher->result();
        if (!result) {
            Q_EMIT failed(result.error().message());
            return;
        }
        take(beforeId, result.value());
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, limit = m_batchSize, beforeId] {
        return engine->projections().auditLog(limit, beforeId);
    }));
}

void OperatorAuditModel::take(qint64 beforeId, const QList<OperatorAuditEntry>& entries)
{
    if (beforeId > 0) {
        m_atEnd = entries.size() < m_batchSize;
        if (entries.isEmpty())
            return;
        const int first = int(m_entries.size());
        beginInsertRows({}, first, first + int(entries.size()) - 1);
        m_entries.append(entries);
        endInsertRows();
        return;
    }
    const qint64 newestShown = m_entries.isEmpty() ? 0 : m_entries.constFirst().id;
    qsizetype overlap = -1;
    for (qsizetype i = 0; i < entries.size() && newestShown > 0; ++i) {
        if (entries.at(i).id == newestShown) {
            overlap = i;
            break;
        }
    }
    if (m_entries.isEmpty() && !entries.isEmpty()) {
        beginInsertRows({}, 0, int(entries.size()) - 1);
        m_entries = entries;
        endInsertRows();
        m_atEnd = entries.size() < m_batchSize;
    } else if (overlap > 0) {
        beginInsertRows({}, 0, int(overlap) - 1);
        m_entries = entries.first(overlap) + m_entries;
        endInsertRows();
    } else if (overlap < 0 && !(m_entries.isEmpty() && entries.isEmpty())) {
        // More than a page is new, or the log is not the one shown: replace it.
        beginResetModel();
        m_entries = entries;
        endResetModel();
        m_atEnd = entries.size() < m_batchSize;
    }
}

bool OperatorAuditModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_engine && !m_atEnd && !m_loading && !m_entries.isEmpty();
}

void OperatorAuditModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    load(m_entries.constLast().id);
}

QByteArray OperatorAuditModel::csvHeader()
{
    return QByteArrayLiteral("id,at,actor,role,action,projection,reason,detail");
}

bool OperatorAuditModel::writeCsv(QIODevice& device, const QList<OperatorAuditEntry>& entries)
{
    if (device.write(csvHeader() + "\r\n") < 0)
        return false;
    for (const OperatorAuditEntry& entry : entries) {
        const QByteArray record = QByteArray::number(entry.id) + ','
            + csvField(entry.at.toUTC().toString(Qt::ISODateWithMs)) + ',' + csvField(entry.actor) + ','
            + csvField(entry.role) + ',' + csvField(entry.action) + ',' + csvField(entry.projection) + ','
            + csvField(entry.reason) + ',' + csvField(entry.detail) + "\r\n";
        if (device.write(record) < 0)
            return false;
    }
    return true;
}

int OperatorAuditModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int OperatorAuditModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OperatorAuditModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OperatorAuditEntry& entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnAt:
            return entry.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ColumnActor:
            return entry.actor;
        case ColumnRole:
            return entry.role;
        case ColumnAction:
            return entry.action;
        case ColumnProjection:
            return entry.projection;
        case ColumnReason:
            return entry.reason;
        case ColumnDetail:
            return entry.detail == u"{}" ? QString() : entry.detail;
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ColumnAt:
            return tr("%1 UTC").arg(entry.at.toUTC().toString(Qt::ISODateWithMs));
        case ColumnReason:
            return entry.reason.isEmpty() ? QVariant() : QVariant(entry.reason);
        case ColumnDetail:
            return entry.detail == u"{}" || entry.detail.isEmpty() ? QVariant() : QVariant(indented(entry.detail));
        }
        return {};
    case EntryIdRole:
        return entry.id;
    case AtRole:
        return entry.at;
    case DetailJsonRole:
        return indented(entry.detail);
    }
    return {};
}

QVariant OperatorAuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnAt:
        return tr("At");
    case ColumnActor:
        return tr("Actor");
    case ColumnRole:
        return tr("Role");
    case ColumnAction:
        return tr("Action");
    case ColumnProjection:
        return tr("Projection");
    case ColumnReason:
        return tr("Reason");
    case ColumnDetail:
        return tr("Detail");
    }
    return {};
}

QHash<int, QByteArray> OperatorAuditModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EntryIdRole, "entryId");
    names.insert(AtRole, "at");
    names.insert(DetailJsonRole, "detailJson");
    return names;
}

} // namespace EventScope
