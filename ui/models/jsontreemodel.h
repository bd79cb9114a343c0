// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractItemModel>
#include <QJsonValue>
#include <QString>

#include <memory>
#include <vector>

namespace EventScope {

/**
 * A read-only tree over one JSON value: a row per object member or array element, with columns key (array
 * elements show "[i]"), value (scalars as text, containers summarised) and type. The top value itself has no
 * row: its members are the top-level rows (a scalar top value is one row).
 *
 * Object members appear in key order, not in the order of the raw text: QJsonObject keeps its keys sorted and
 * does not remember the original order. The raw text next to the tree shows the stored order.
 */
class JsonTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { ColumnKey, ColumnValue, ColumnType, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        JsonPathRole = Qt::UserRole + 100, ///< QString, e.g. "payload.address.city" or "payload.items[0]"
        JsonTextRole, ///< QString, the node's value as compact JSON (a string value quoted)
        JsonValueRole, ///< QJsonValue, the node's value
    };
    Q_ENUM(Role)

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    /// Shows \a value (a reset); \a rootName starts every JSON path ("payload"), empty: paths start at the keys.
    void setJson(const QJsonValue& value, const QString& rootName = {});
    void clear();
    const QJsonValue& json() const { return m_json; }
    const QString& rootName() const { return m_rootName; }

    /// The compact JSON text of \a value, as JSON writes it ("text" quoted, 1.5, true, null, {…}).
    static QString compactText(const QJsonValue& value);
    /// A value as people read it in one cell: strings unquoted, containers as "{3 keys}" / "[2 items]".
    static QString displayText(const QJsonValue& value);
    static QString typeName(const QJsonValue& value);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        QString key; ///< member name; empty for array elements and a scalar top value
        int arrayIndex = -1; ///< element index, or -1
        QString path;
        QJsonValue value;
        Node* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };

    static void addChildren(Node& node);
    const Node* nodeOf(const QModelIndex& index) const;

    QJsonValue m_json;
    QString m_rootName;
    std::unique_ptr<Node> m_root;
};

} // namespace EventScope
