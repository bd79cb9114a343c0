// SPDX-License-Identifier: Apache-2.0
#include "jsontreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace EventScope {

namespace {

/// Keys that can follow a '.' in a path as they are (the keys EventQuery's payload paths accept).
bool isPlainKey(const QString& key)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return plain.match(key).hasMatch();
}

QString memberPath(const QString& parentPath, const QString& key)
{
    if (!isPlainKey(key)) {
        const QString quoted = JsonTreeModel::compactText(QJsonValue(key));
        return parentPath + u'[' + quoted + u']';
    }
    return parentPath.isEmpty() ? key : parentPath + u'.' + key;
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const QJsonValue& value, const QString& rootName)
{
    beginResetModel();
    m_json = value;
    m_rootName = rootName;
    m_root = std::make_unique<Node>();
    m_root->value = value;
    m_root->path = rootName;
    if (value.isObject() || value.isArray()) {
        addChildren(*m_root);
    } else if (!value.isUndefined()) {
        auto only = std::make_unique<Node>();
        only->key = rootName;
        only->value = value;
        only->path = rootName;
        only->parent = m_root.get();
        m_root->children.push_back(std::move(only));
    }
    endResetModel();
}

void JsonTreeModel::clear()
{
    setJson(QJsonValue(QJsonValue::Undefined));
}

void JsonTreeModel::addChildren(Node& node)
{
    const auto add = [&](std::unique_ptr<Node> child) {
        child->parent = &node;
        child->row = int(node.children.size());
        if (child->value.isObject() || child->value.isArray())
            addChildren(*child);
        node.children.push_back(std::move(child));
    };
    if (node.value.isObject()) {
        const QJsonObject object = node.value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            auto child = std::make_unique<Node>();
            child->key = it.key();
            child->path = memberPath(node.path, it.key());
            child->value = it.value();
            add(std::move(child));
        }
    } else if (node.value.isArray()) {
        const QJsonArray array = node.value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            auto child = std::make_unique<Node>();
            child->arrayIndex = int(i);
            child->path = node.path + u'[' + QString::number(i) + u']';
            child->value = array.at(i);
            add(std::move(child));
        }
    }
}

QString JsonTreeModel::compactText(const QJsonValue& value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isUndefined())
        return {};
    // A scalar is written as JSON writes it inside an array, without the brackets.
    const QByteArray text = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString JsonTreeModel::displayText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Object:
        // Spelled out rather than "%n key(s)": the application ships no English plural forms.
        return value.toObject().size() == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(value.toObject().size());
    case QJsonValue::Array:
        return value.toArray().size() == 1 ? tr("[1 item]") : tr("[%1 items]").arg(value.toArray().size());
    default:
        return compactText(value);
    }
}

QString JsonTreeModel::typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

const JsonTreeModel::Node* JsonTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const Node* node = nodeOf(parent);
    if (row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* parentNode = nodeOf(child)->parent;
    if (!parentNode || parentNode == m_root.get())
        return {};
    return createIndex(parentNode->row, 0, const_cast<Node*>(parentNode));
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex& parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnKey:
            return node->arrayIndex >= 0 ? QStringLiteral("[%1]").arg(node->arrayIndex) : node->key;
        case ColumnValue: {
            // One line per cell: a multi-line string shows its line breaks as symbols.
            QString text = displayText(node->value);
            return text.replace(u'\n', u'\u21b5');
        }
        case ColumnType:
            return typeName(node->value);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ColumnValue)
            return node->value.isString() ? node->value.toString() : compactText(node->value).left(2000);
        return node->path;
    case JsonPathRole:
        return node->path;
    case JsonTextRole:
        return compactText(node->value);
    case JsonValueRole:
        return QVariant::fromValue(node->value);
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColumnKey:
        return tr("Key");
    case ColumnValue:
        return tr("Value");
    case ColumnType:
        return tr("Type");
    }
    return {};
}

} // namespace EventScope
