// SPDX-License-Identifier: Apache-2.0
#include "jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;

namespace {

QJsonValue parse(const char* text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "bad test JSON" << error.errorString();
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

/// The child of \a parent whose key column reads \a key.
QModelIndex child(const QAbstractItemModel& model, const QModelIndex& parent, const QString& key)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, JsonTreeModel::ColumnKey, parent);
        if (index.data().toString() == key)
            return index;
    }
    return {};
}

QString cell(const QModelIndex& index, int column, int role = Qt::DisplayRole)
{
    return index.siblingAtColumn(column).data(role).toString();
}

} // namespace

class TestJsonTreeModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsNestedObjectsAndArrays()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(parse(R"({"name": "Ada", "age": 36, "active": true, "nickname": null,
            "address": {"city": "London", "street name": "St James's Square"},
            "tags": ["math", {"lang": "en"}], "balance": 12.5})"),
            QStringLiteral("payload"));

        QCOMPARE(model.columnCount(), int(JsonTreeModel::ColumnCount));
        QCOMPARE(model.rowCount(), 7);
        // QJsonObject sorts its keys.
        QStringList keys;
        for (int row = 0; row < model.rowCount(); ++row)
            keys << model.index(row, 0).data().toString();
        QCOMPARE(keys,
            QStringList(
                { QStringLiteral("active"), QStringLiteral("address"), QStringLiteral("age"), QStringLiteral("balance"),
                    QStringLiteral("name"), QStringLiteral("nickname"), QStringLiteral("tags") }));

        const QModelIndex name = child(model, {}, QStringLiteral("name"));
        QCOMPARE(cell(name, JsonTreeModel::ColumnValue), QStringLiteral("Ada"));
        QCOMPARE(cell(name, JsonTreeModel::ColumnType), QStringLiteral("string"));
        QCOMPARE(name.data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("payload.name"));
        QCOMPARE(name.data(JsonTreeModel::JsonTextRole).toString(), QStringLiteral("\"Ada\""));
        QCOMPARE(name.data(JsonTreeModel::JsonValueRole).toJsonValue(), QJsonValue(QStringLiteral("Ada")));
        QCOMPARE(model.rowCount(name), 0);

        const QModelIndex age = child(model, {}, QStringLiteral("age"));
        QCOMPARE(cell(age, JsonTreeModel::ColumnValue), QStringLiteral("36"));
        QCOMPARE(cell(age, JsonTreeModel::ColumnType), QStringLiteral("number"));
        QCOMPARE(cell(child(model, {}, QStringLiteral("balance")), JsonTreeModel::ColumnValue), QStringLiteral("12.5"));
        QCOMPARE(
            cell(child(model, {}, QStringLiteral("active")), JsonTreeModel::ColumnType), QStringLiteral("boolean"));
        QCOMPARE(cell(child(model, {}, QStringLiteral("active")), JsonTreeModel::ColumnValue), QStringLiteral("true"));
        QCOMPARE(
            cell(child(model, {}, QStringLiteral("nickname")), JsonTreeModel::ColumnValue), QStringLiteral("null"));

        const QModelIndex address = child(model, {}, QStringLiteral("address"));
        QCOMPARE(cell(address, JsonTreeModel::ColumnType), QStringLiteral("object"));
        QCOMPARE(model.rowCount(address), 2);
        QCOMPARE(address.data(JsonTreeModel::JsonTextRole).toString(),
            QStringLiteral(R"({"city":"London","street name":"St James's Square"})"));
        const QModelIndex city = child(model, address, QStringLiteral("city"));
        QVERIFY(city.isValid());
        QCOMPARE(city.parent(), address);
        QCOMPARE(city.data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("payload.address.city"));
        // A key that is not a plain name is quoted in the path.
        QCOMPARE(child(model, address, QStringLiteral("street name")).data(JsonTreeModel::JsonPathRole).toString(),
            QStringLiteral(R"(payload.address["street name"])"));

        const QModelIndex tags = child(model, {}, QStringLiteral("tags"));
        QCOMPARE(cell(tags, JsonTreeModel::ColumnType), QStringLiteral("array"));
        QCOMPARE(model.rowCount(tags), 2);
        const QModelIndex first = model.index(0, 0, tags);
        QCOMPARE(first.data().toString(), QStringLiteral("[0]"));
        QCOMPARE(cell(first, JsonTreeModel::ColumnValue), QStringLiteral("math"));
        QCOMPARE(first.data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("payload.tags[0]"));
        const QModelIndex second = model.index(1, 0, tags);
        QCOMPARE(second.data().toString(), QStringLiteral("[1]"));
        QCOMPARE(model.rowCount(second), 1);
        QCOMPARE(model.index(0, 0, second).data(JsonTreeModel::JsonPathRole).toString(),
            QStringLiteral("payload.tags[1].lang"));
        QVERIFY(cell(second, JsonTreeModel::ColumnValue).contains(u'1'));
        QCOMPARE(model.headerData(JsonTreeModel::ColumnValue, Qt::Horizontal).toString(), QStringLiteral("Value"));
    }

    void pathsWithoutRootNameStartAtTheKeys()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(parse(R"({"a": {"b": [1, 2]}})"));
        const QModelIndex a = model.index(0, 0);
        QCOMPARE(a.data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("a"));
        const QModelIndex b = model.index(0, 0, a);
        QCOMPARE(model.index(1, 0, b).data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("a.b[1]"));
        QCOMPARE(model.index(1, 0, b).data(JsonTreeModel::JsonTextRole).toString(), QStringLiteral("2"));
    }

    void topLevelArrayAndScalar()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(parse(R"([true, "x"])"), QStringLiteral("list"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data(JsonTreeModel::JsonPathRole).toString(), QStringLiteral("list[1]"));

        model.setJson(QJsonValue(QStringLiteral("line one\nline two")), QStringLiteral("note"));
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex only = model.index(0, 0);
        QCOMPARE(only.data().toString(), QStringLiteral("note"));
        // The cell stays one line; the tooltip and the JSON text keep the line break.
        QVERIFY(!cell(only, JsonTreeModel::ColumnValue).contains(u'\n'));
        QCOMPARE(cell(only, JsonTreeModel::ColumnValue, Qt::ToolTipRole), QStringLiteral("line one\nline two"));
        QCOMPARE(only.data(JsonTreeModel::JsonTextRole).toString(), QStringLiteral(R"("line one\nline two")"));
    }

    void setJsonResetsAndClearEmpties()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setJson(parse(R"({"a": 1, "b": {"c": 2}})"));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        model.setJson(parse(R"({"z": 1})"));
        QCOMPARE(reset.size(), 2);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("z"));
        model.clear();
        QCOMPARE(reset.size(), 3);
        QCOMPARE(model.rowCount(), 0);
        model.setJson(QJsonObject());
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
