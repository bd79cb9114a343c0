// SPDX-License-Identifier: Apache-2.0
#include "correlationtreemodel.h"
#include "modelroles.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;

namespace {

RecordedEvent recorded(GlobalPosition position, const QString& stream, const QString& type, const QUuid& cause = {})
{
    RecordedEvent e;
    e.position = position;
    e.streamId = stream;
    e.streamVersion = position % 3;
    e.eventId = QUuid::createUuid();
    e.eventType = type;
    e.payload = "{}";
    QJsonObject metadata { { QStringLiteral("correlationId"), QStringLiteral("order-7") },
        { QStringLiteral("actor"), QStringLiteral("actor-%1").arg(position) } };
    if (!cause.isNull())
        metadata.insert(QStringLiteral("causationId"), cause.toString(QUuid::WithoutBraces));
    e.metadata = QJsonDocument(metadata).toJson(QJsonDocument::Compact);
    e.recordedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + position * 1000, Qt::UTC);
    return e;
}

RecordedEvent withCause(RecordedEvent e, const QUuid& cause)
{
    QJsonObject metadata = e.metadataObject();
    metadata.insert(QStringLiteral("causationId"), cause.toString(QUuid::WithoutBraces));
    e.metadata = QJsonDocument(metadata).toJson(QJsonDocument::Compact);
    return e;
}

QList<GlobalPosition> positionsUnder(const QAbstractItemModel& model, const QModelIndex& parent)
{
    QList<GlobalPosition> positions;
    for (int row = 0; row < model.rowCount(parent); ++row)
        positions << model.index(row, 0, parent).data(PositionRole).toLongLong();
    return positions;
}

} // namespace

class TestCorrelationTreeModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void buildsTheTreeOfCauses()
    {
        CorrelationTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // 10 starts; 12 and 15 are caused by 10; 13 by 12; 11 has no cause; 14's cause is outside the set.
        const RecordedEvent e10 = recorded(10, QStringLiteral("order-7"), QStringLiteral("OrderPlaced"));
        const RecordedEvent e12
            = recorded(12, QStringLiteral("payment-7"), QStringLiteral("PaymentRequested"), e10.eventId);
        const RecordedEvent e13
            = recorded(13, QStringLiteral("payment-7"), QStringLiteral("PaymentTaken"), e12.eventId);
        const RecordedEvent e15 = recorded(15, QStringLiteral("mail-7"), QStringLiteral("MailSent"), e10.eventId);
        const RecordedEvent e11 = recorded(11, QStringLiteral("order-7"), QStringLiteral("OrderNoted"));
        const RecordedEvent e14
            = recorded(14, QStringLiteral("stock-7"), QStringLiteral("StockReserved"), QUuid::createUuid());
        model.setEvents({ e15, e13, e14, e11, e12, e10 }); // order does not matter

        QCOMPARE(model.eventCount(), 6);
        QCOMPARE(model.streamCount(), 4);
        QCOMPARE(positionsUnder(model, {}), (QList<GlobalPosition> { 10, 11, 14 }));
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(positionsUnder(model, root), (QList<GlobalPosition> { 12, 15 }));
        const QModelIndex payment = model.index(0, 0, root);
        QCOMPARE(payment.parent(), root);
        QCOMPARE(positionsUnder(model, payment), (QList<GlobalPosition> { 13 }));
        QCOMPARE(model.rowCount(model.index(1, 0)), 0);
        QCOMPARE(model.rowCount(model.index(2, 0)), 0);

        QCOMPARE(model.indexOf(13), model.index(0, 0, payment));
        QCOMPARE(model.indexOf(15).parent(), root);
        QVERIFY(!model.indexOf(99).isValid());
        QCOMPARE(model.event(model.indexOf(13))->eventId, e13.eventId);
    }

    void showsColumnsAndRoles()
    {
        CorrelationTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const RecordedEvent e = recorded(42, QStringLiteral("user-1"), QStringLiteral("UserCreated"));
        model.setEvents({ e });
        const QModelIndex index = model.index(0, 0);
        QCOMPARE(index.data().toLongLong(), 42);
        QCOMPARE(index.siblingAtColumn(CorrelationTreeModel::ColumnStream).data().toString(), QStringLiteral("user-1"));
        QCOMPARE(index.siblingAtColumn(CorrelationTreeModel::ColumnVersion).data().toLongLong(), 0);
        QCOMPARE(
            index.siblingAtColumn(CorrelationTreeModel::ColumnType).data().toString(), QStringLiteral("UserCreated"));
        QCOMPARE(index.siblingAtColumn(CorrelationTreeModel::ColumnTime).data().toString(),
            e.recordedAt.toString(Qt::ISODateWithMs));
        QCOMPARE(
            index.siblingAtColumn(CorrelationTreeModel::ColumnActor).data().toString(), QStringLiteral("actor-42"));
        QCOMPARE(index.data(StreamIdRole).toString(), QStringLiteral("user-1"));
        QCOMPARE(index.data(EventIdRole).toUuid(), e.eventId);
        QCOMPARE(index.data(ActorRole).toString(), QStringLiteral("actor-42"));
        QCOMPARE(index.data(RecordedAtRole).toDateTime(), e.recordedAt);
        QCOMPARE(index.data(RecordedEventRole).value<RecordedEvent>().eventId, e.eventId);
        QCOMPARE(
            model.headerData(CorrelationTreeModel::ColumnActor, Qt::Horizontal).toString(), QStringLiteral("Actor"));
    }

    void causationLoopsBecomeRoots()
    {
        CorrelationTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // 1 is caused by 3, 2 by 1, 3 by 2, and 4 by itself: broken metadata must not hang the view.
        RecordedEvent e1 = recorded(1, QStringLiteral("a-1"), QStringLiteral("A"));
        RecordedEvent e2 = recorded(2, QStringLiteral("a-1"), QStringLiteral("B"), e1.eventId);
        RecordedEvent e3 = recorded(3, QStringLiteral("a-1"), QStringLiteral("C"), e2.eventId);
        RecordedEvent e4 = recorded(4, QStringLiteral("a-1"), QStringLiteral("D"));
        e1 = withCause(e1, e3.eventId);
        e4 = withCause(e4, e4.eventId);
        model.setEvents({ e1, e2, e3, e4 });

        QCOMPARE(positionsUnder(model, {}), (QList<GlobalPosition> { 1, 4 }));
        QCOMPARE(positionsUnder(model, model.index(0, 0)), (QList<GlobalPosition> { 2 }));
        QCOMPARE(positionsUnder(model, model.indexOf(2)), (QList<GlobalPosition> { 3 }));
        QCOMPARE(model.rowCount(model.indexOf(3)), 0);
    }

    void setEventsResets()
    {
        CorrelationTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setEvents({ recorded(1, QStringLiteral("a-1"), QStringLiteral("A")) });
        model.clear();
        QCOMPARE(reset.size(), 2);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.streamCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCorrelationTreeModel)
#include "tst_correlationtreemodel.moc"
