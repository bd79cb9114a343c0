// SPDX-License-Identifier: Apache-2.0
#include "historystepmodel.h"
#include "modelroles.h"
#include "timetravelmodel.h"

#include "timetravel/streamhistory.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace EventScope;
using namespace Qt::StringLiterals;

namespace {

const QString Stream = QStringLiteral("account-1");

QUuid eventIdOf(StreamVersion version)
{
    return QUuid(uint(version + 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB);
}

QDateTime recordedAtOf(StreamVersion version)
{
    return QDateTime(QDate(2026, 11, 26), QTime(12, 0, int(version)), QTimeZone::utc());
}

RecordedEvent makeEvent(StreamVersion version, GlobalPosition position, const QString& type, const QByteArray& payload)
{
    RecordedEvent event;
    event.position = position;
    event.streamId = Stream;
    event.streamVersion = version;
    event.eventId = eventIdOf(version);
    event.eventType = type;
    event.payload = payload;
    event.metadata = QByteArrayLiteral("{}");
    event.recordedAt = recordedAtOf(version);
    return event;
}

/// Four events over nested objects: a change, a removal (null in the merge patch), a rewrite, an array change.
QList<RecordedEvent> accountEvents()
{
    return {
        makeEvent(0, 10, QStringLiteral("AccountOpened"),
            R"({"owner":{"name":"Ada","address":{"city":"London","zip":"N1"}},"balance":0,"tags":["new"]})"),
        makeEvent(1, 11, QStringLiteral("MoneyDeposited"), R"({"balance":100,"owner":{"address":{"city":"Paris"}}})"),
        makeEvent(2, 15, QStringLiteral("AddressRemoved"), R"({"owner":{"address":null},"note":"moved"})"),
        makeEvent(3, 20, QStringLiteral("MoneyDeposited"), R"({"balance":100,"tags":["new","vip"]})"),
    };
}

std::shared_ptr<const StreamHistory> historyOf(const QList<RecordedEvent>& events)
{
    return std::make_shared<const StreamHistory>(StreamHistory::build(events));
}

/// Every cell's display text, row by row, columns joined with " | ".
QStringList cells(const QAbstractItemModel& model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList columns;
        for (int column = 0; column < model.columnCount(); ++column)
            columns.append(model.index(row, column).data().toString());
        rows.append(columns.join(QStringLiteral(" | ")));
    }
    return rows;
}

} // namespace

class TestTimeTravelModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cellsAtEveryVersion_data();
    void cellsAtEveryVersion();
    void changeKindsAndBlameRoles();
    void steppingEmitsMinimalChanges();
    void clampsVersion();
    void keepsVersionWhenHistoryIsReplaced();
    void emptyHistoryHasNoRows();
    void failedHistoryShowsError();
    void toolTipHasFullValue();
    void stepModelRowsAndRoles();
};

void TestTimeTravelModel::cellsAtEveryVersion_data()
{
    QTest::addColumn<qint64>("version");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("v0: everything added")
        << qint64(0)
        << QStringList {
               u"balance | 0 | added |  | v0 · AccountOpened · position 10"_s,
               u"owner.address.city | London | added |  | v0 · AccountOpened · position 10"_s,
               u"owner.address.zip | N1 | added |  | v0 · AccountOpened · position 10"_s,
               u"owner.name | Ada | added |  | v0 · AccountOpened · position 10"_s,
               u"tags | [\"new\"] | added |  | v0 · AccountOpened · position 10"_s,
           };
    QTest::newRow("v1: nested change")
        << qint64(1)
        << QStringList {
               u"balance | 100 | changed | 0 | v1 · MoneyDeposited · position 11"_s,
               u"owner.address.city | Paris | changed | London | v1 · MoneyDeposited · position 11"_s,
               u"owner.address.zip | N1 |  |  | v0 · AccountOpened · position 10"_s,
               u"owner.name | Ada |  |  | v0 · AccountOpened · position 10"_s,
               u"tags | [\"new\"] |  |  | v0 · AccountOpened · position 10"_s,
           };
    QTest::newRow("v2: removed rows")
        << qint64(2)
        << QStringList {
               u"balance | 100 |  |  | v1 · MoneyDeposited · position 11"_s,
               u"note | moved | added |  | v2 · AddressRemoved · position 15"_s,
               u"owner.address.city |  | removed | Paris | v2 · AddressRemoved · position 15"_s,
               u"owner.address.zip |  | removed | N1 | v2 · AddressRemoved · position 15"_s,
               u"owner.name | Ada |  |  | v0 · AccountOpened · position 10"_s,
               u"tags | [\"new\"] |  |  | v0 · AccountOpened · position 10"_s,
           };
    QTest::newRow("v3: rewrite and array")
        << qint64(3)
        << QStringList {
               u"balance | 100 |  |  | v3 · MoneyDeposited · position 20"_s,
               u"note | moved |  |  | v2 · AddressRemoved · position 15"_s,
               u"owner.name | Ada |  |  | v0 · AccountOpened · position 10"_s,
               u"tags | [\"new\",\"vip\"] | changed | [\"new\"] | v3 · MoneyDeposited · position 20"_s,
           };
}

void TestTimeTravelModel::cellsAtEveryVersion()
{
    QFETCH(qint64, version);
    QFETCH(QStringList, expected);

    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf(accountEvents()));
    QCOMPARE(model.version(), 3); // a new history starts at its last version
    model.setVersion(version);
    QCOMPARE(model.version(), version);
    QCOMPARE(model.columnCount(), int(TimeTravelModel::ColumnCount));
    QCOMPARE(cells(model), expected);
    QVERIFY(model.errorText().isEmpty());

    // The same cells when arriving from every other version: minimal updates leave nothing stale.
    for (qint64 from = 0; from <= 3; ++from) {
        model.setVersion(from);
        model.setVersion(version);
        QCOMPARE(cells(model), expected);
    }
}

void TestTimeTravelModel::changeKindsAndBlameRoles()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf(accountEvents()));
    model.setVersion(2);

    QList<TimeTravelModel::ChangeKind> kinds;
    for (int row = 0; row < model.rowCount(); ++row) {
        // The kind is answered in every column, so a view can colour whole rows.
        for (int column = 0; column < model.columnCount(); ++column)
            QCOMPARE(
                model.index(row, column).data(TimeTravelModel::ChangeKindRole).toInt(), int(model.changeKind(row)));
        kinds.append(model.changeKind(row));
    }
    using Kind = TimeTravelModel::ChangeKind;
    QCOMPARE(kinds,
        (QList<Kind> { Kind::Unchanged, Kind::Added, Kind::Removed, Kind::Removed, Kind::Unchanged, Kind::Unchanged }));

    const QModelIndex removed = model.index(2, TimeTravelModel::ColumnPath);
    QCOMPARE(removed.data(TimeTravelModel::PathRole).toString(), u"owner.address.city"_s);
    QVERIFY(removed.data(TimeTravelModel::ValueRole).value<QJsonValue>().isUndefined());
    QCOMPARE(removed.data(TimeTravelModel::OldValueRole).value<QJsonValue>(), QJsonValue(u"Paris"_s));
    QCOMPARE(removed.data(StreamVersionRole).toLongLong(), 2);
    QCOMPARE(removed.data(PositionRole).toLongLong(), 15);
    QCOMPARE(removed.data(EventTypeRole).toString(), u"AddressRemoved"_s);
    QCOMPARE(removed.data(EventIdRole).value<QUuid>(), eventIdOf(2));
    QCOMPARE(removed.data(RecordedAtRole).toDateTime(), recordedAtOf(2));

    const QModelIndex balance = model.index(0, TimeTravelModel::ColumnValue);
    QCOMPARE(balance.data(TimeTravelModel::ValueRole).value<QJsonValue>(), QJsonValue(100));
    QVERIFY(balance.data(TimeTravelModel::OldValueRole).value<QJsonValue>().isUndefined());
    QCOMPARE(balance.data(StreamVersionRole).toLongLong(), 1);
    QCOMPARE(balance.data(EventIdRole).value<QUuid>(), eventIdOf(1));

    const QModelIndex name = model.index(4, TimeTravelModel::ColumnSetBy);
    QCOMPARE(name.data(StreamVersionRole).toLongLong(), 0);
    QCOMPARE(name.data(PositionRole).toLongLong(), 10);
    QVERIFY(name.data(Qt::ToolTipRole).toString().contains(eventIdOf(0).toString(QUuid::WithoutBraces)));

    QVERIFY(model.roleNames().value(TimeTravelModel::ChangeKindRole) == "changeKind");
}

void TestTimeTravelModel::steppingEmitsMinimalChanges()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf(accountEvents()));
    model.setVersion(1);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy versions(&model, &TimeTravelModel::versionChanged);

    model.setVersion(2); // "note" appears at row 1; nothing goes away
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(versions.size(), 1);
    QCOMPARE(versions.at(0).at(0).toLongLong(), 2);

    inserted.clear();
    changed.clear();
    model.setVersion(3); // the two removed address rows go, as one range
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 2);
    QCOMPARE(removed.at(0).at(2).toInt(), 3);

    changed.clear();
    model.setVersion(3); // same version: nothing at all
    QCOMPARE(changed.size(), 0);
    QCOMPARE(versions.size(), 2);
}

void TestTimeTravelModel::clampsVersion()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.version(), NoStreamVersion);
    model.setVersion(2); // no history: nothing to show
    QCOMPARE(model.version(), NoStreamVersion);
    QCOMPARE(model.rowCount(), 0);

    model.setHistory(historyOf(accountEvents()));
    QSignalSpy versions(&model, &TimeTravelModel::versionChanged);
    model.setVersion(-5);
    QCOMPARE(model.version(), 0);
    QCOMPARE(model.rowCount(), 5);
    model.setVersion(99);
    QCOMPARE(model.version(), 3);
    QCOMPARE(model.rowCount(), 4);
    model.setVersion(1000); // clamps to the version shown: no signal
    QCOMPARE(versions.size(), 2);
    QCOMPARE(model.property("version").toLongLong(), 3);
}

void TestTimeTravelModel::keepsVersionWhenHistoryIsReplaced()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf(accountEvents()));
    model.setVersion(2);

    // A longer history of the same stream (say, after an append) keeps the version shown.
    QList<RecordedEvent> longer = accountEvents();
    longer.append(makeEvent(4, 30, QStringLiteral("AccountClosed"), R"({"closed":true})"));
    QSignalSpy histories(&model, &TimeTravelModel::historyChanged);
    model.setHistory(historyOf(longer));
    QCOMPARE(histories.size(), 1);
    QCOMPARE(model.version(), 2);
    QCOMPARE(model.rowCount(), 6);

    // A shorter one clamps.
    QSignalSpy versions(&model, &TimeTravelModel::versionChanged);
    model.setHistory(historyOf(accountEvents().mid(0, 2)));
    QCOMPARE(model.version(), 1);
    QCOMPARE(versions.size(), 1);
    QCOMPARE(cells(model).at(0), u"balance | 100 | changed | 0 | v1 · MoneyDeposited · position 11"_s);

    // None at all empties the model; the next history starts at its last version again.
    model.setHistory(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.version(), NoStreamVersion);
    model.setHistory(historyOf(longer));
    QCOMPARE(model.version(), 4);
    QCOMPARE(model.index(1, TimeTravelModel::ColumnValue).data().toString(), u"true"_s);
    QCOMPARE(model.index(1, TimeTravelModel::ColumnPath).data().toString(), u"closed"_s);
}

void TestTimeTravelModel::emptyHistoryHasNoRows()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf({}));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.version(), NoStreamVersion);
    QVERIFY(model.errorText().isEmpty());

    HistoryStepModel steps;
    QAbstractItemModelTester stepTester(&steps, QAbstractItemModelTester::FailureReportingMode::QtTest);
    steps.setHistory(historyOf({}));
    QCOMPARE(steps.rowCount(), 0);
}

void TestTimeTravelModel::failedHistoryShowsError()
{
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // The first payload is not a JSON object: no state at all.
    model.setHistory(historyOf({ makeEvent(0, 1, QStringLiteral("Broken"), "[1,2]") }));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.version(), NoStreamVersion);
    QVERIFY(!model.errorText().isEmpty());
    QCOMPARE(model.property("errorText").toString(), model.errorText());

    // A gap after version 1: versions 0 and 1 are shown, the error says where it stopped.
    QList<RecordedEvent> gap = accountEvents().mid(0, 2);
    gap.append(makeEvent(3, 20, QStringLiteral("MoneyDeposited"), R"({"balance":5})"));
    model.setHistory(historyOf(gap));
    QCOMPARE(model.version(), 1);
    QCOMPARE(model.rowCount(), 5);
    QVERIFY2(model.errorText().startsWith(u"The history stops before version 2:"_s), qPrintable(model.errorText()));
    model.setVersion(2);
    QCOMPARE(model.version(), 1);

    model.setHistory(historyOf(accountEvents()));
    QVERIFY(model.errorText().isEmpty());
}

void TestTimeTravelModel::toolTipHasFullValue()
{
    const QString longText(TimeTravelModel::MaxDisplayLength + 50, u'x');
    QJsonObject payload { { u"tags"_s, QJsonArray { u"a"_s, u"b"_s } }, { u"text"_s, longText }, { u"flag"_s, false },
        { u"nothing"_s, QJsonObject {} }, { u"ratio"_s, 0.5 } };
    TimeTravelModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistory(historyOf({ makeEvent(0, 1, u"Made"_s, QJsonDocument(payload).toJson(QJsonDocument::Compact)) }));
    QCOMPARE(cells(model),
        (QStringList {
            u"flag | false | added |  | v0 · Made · position 1"_s,
            u"nothing | {} | added |  | v0 · Made · position 1"_s,
            u"ratio | 0.5 | added |  | v0 · Made · position 1"_s,
            u"tags | [\"a\",\"b\"] | added |  | v0 · Made · position 1"_s,
            u"text | "_s + longText.left(TimeTravelModel::MaxDisplayLength - 1) + QChar(0x2026)
                + u" | added |  | v0 · Made · position 1"_s,
        }));
    const QString tagsTip = model.index(3, TimeTravelModel::ColumnValue).data(Qt::ToolTipRole).toString();
    QCOMPARE(QJsonDocument::fromJson(tagsTip.toUtf8()).array(), (QJsonArray { u"a"_s, u"b"_s }));
    QVERIFY(tagsTip.contains(u'\n')); // indented, not compact
    QCOMPARE(model.index(4, TimeTravelModel::ColumnValue).data(Qt::ToolTipRole).toString(), longText);
}

void TestTimeTravelModel::stepModelRowsAndRoles()
{
    HistoryStepModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setHistory(historyOf(accountEvents()));
    QCOMPARE(model.rowCount(), 4);

    QStringList display;
    for (int row = 0; row < model.rowCount(); ++row)
        display.append(model.index(row).data().toString());
    QCOMPARE(display,
        (QStringList {
            u"v0 · AccountOpened · 2026-11-26 12:00:00"_s,
            u"v1 · MoneyDeposited · 2026-11-26 12:00:01"_s,
            u"v2 · AddressRemoved · 2026-11-26 12:00:02"_s,
            u"v3 · MoneyDeposited · 2026-11-26 12:00:03"_s,
        }));

    const QList<int> changeCounts { 5, 2, 3, 1 }; // v3 rewrites balance with the same value: not a change
    const QList<qint64> positions { 10, 11, 15, 20 };
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        QCOMPARE(index.data(StreamVersionRole).toLongLong(), row);
        QCOMPARE(index.data(PositionRole).toLongLong(), positions.at(row));
        QCOMPARE(index.data(EventIdRole).value<QUuid>(), eventIdOf(row));
        QCOMPARE(index.data(RecordedAtRole).toDateTime(), recordedAtOf(row));
        QCOMPARE(index.data(HistoryStepModel::ChangeCountRole).toInt(), changeCounts.at(row));
        QCOMPARE(index.data(HistoryStepModel::UpcastedRole).toBool(), false);
        QCOMPARE(index.data(SchemaVersionRole).toInt(), 1);
        QCOMPARE(index.data(HistoryStepModel::StoredSchemaVersionRole).toInt(), 1);
    }
    QCOMPARE(model.index(2).data(EventTypeRole).toString(), u"AddressRemoved"_s);
    QVERIFY(model.index(2).data(Qt::ToolTipRole).toString().contains(eventIdOf(2).toString(QUuid::WithoutBraces)));

    // Replacing the history resets the rows.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setHistory(historyOf(accountEvents().mid(0, 2)));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.setHistory(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestTimeTravelModel)
#include "tst_timetravelmodel.moc"
