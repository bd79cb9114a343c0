// SPDX-License-Identifier: Apache-2.0
// SnapshotListModel: columns and roles of hand-made snapshots (version, schema, type, size in bytes of compact
// JSON, local time with UTC in the tool tip), verification per row (blank, matches, differs (n fields), stale,
// failed) with dataChanged for that row only; QAbstractItemModelTester throughout.
#include "modelroles.h"
#include "snapshotlistmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace EventScope;

namespace {

Snapshot makeSnapshot(StreamVersion version, int schemaVersion, const QJsonObject& state)
{
    Snapshot snapshot;
    snapshot.streamId = QStringLiteral("account-1");
    snapshot.version = version;
    snapshot.aggregateType = QStringLiteral("Account");
    snapshot.schemaVersion = schemaVersion;
    snapshot.state = state;
    snapshot.takenAt = QDateTime(QDate(2026, 11, 26), QTime(12, 30, int(version % 60), 250), QTimeZone::utc());
    return snapshot;
}

QList<Snapshot> threeSnapshots()
{
    QJsonArray transactions;
    for (int i = 0; i < 100; ++i)
        transactions.append(QJsonArray { QStringLiteral("transaction-%1").arg(i), 1000 + i, false });
    return {
        makeSnapshot(29, 2,
            { { QStringLiteral("balance"), 4200 }, { QStringLiteral("owner"), QStringLiteral("Ada") },
                { QStringLiteral("transactions"), transactions } }),
        makeSnapshot(19, 2, { { QStringLiteral("balance"), 100 } }),
        makeSnapshot(9, 1, { { QStringLiteral("balance"), 7 } }),
    };
}

QString cell(const QAbstractItemModel& model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

} // namespace

class TestSnapshotListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void columnsAndRoles()
    {
        SnapshotListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(SnapshotListModel::ColumnCount));

        const QList<Snapshot> snapshots = threeSnapshots();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setSnapshots(snapshots);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 3);

        for (int column = 0; column < model.columnCount(); ++column)
            QVERIFY(!model.headerData(column, Qt::Horizontal).toString().isEmpty());

        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnVersion), QStringLiteral("29"));
        QCOMPARE(cell(model, 2, SnapshotListModel::ColumnSchemaVersion), QStringLiteral("1"));
        QCOMPARE(cell(model, 1, SnapshotListModel::ColumnAggregateType), QStringLiteral("Account"));

        // Size: bytes of the compact JSON of the state.
        const qint64 small = QJsonDocument(snapshots.at(1).state).toJson(QJsonDocument::Compact).size();
        QCOMPARE(model.index(1, 0).data(SnapshotListModel::SizeRole).toLongLong(), small);
        QCOMPARE(cell(model, 1, SnapshotListModel::ColumnSize), QStringLiteral("%1 bytes").arg(small));
        const qint64 big = QJsonDocument(snapshots.at(0).state).toJson(QJsonDocument::Compact).size();
        QVERIFY(big > 2048);
        QCOMPARE(model.index(0, 3).data(SnapshotListModel::SizeRole).toLongLong(), big);
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnSize), QLocale().formattedDataSize(big, 1));
        QVERIFY(cell(model, 0, SnapshotListModel::ColumnSize).contains(QLatin1String("KiB")));
        QCOMPARE(SnapshotListModel::sizeText(1), QStringLiteral("1 byte"));

        // Taken at: local time shown, UTC in the tool tip and the role.
        const QDateTime takenAt = snapshots.at(0).takenAt;
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnTakenAt),
            takenAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnTakenAt, Qt::ToolTipRole),
            QStringLiteral("2026-11-26 12:30:29.250 UTC"));
        QCOMPARE(model.index(0, 0).data(SnapshotListModel::TakenAtRole).toDateTime(), takenAt);

        QCOMPARE(model.index(2, 4).data(StreamVersionRole).toLongLong(), 9);
        QCOMPARE(model.index(2, 4).data(SchemaVersionRole).toInt(), 1);
        QCOMPARE(model.index(2, 4).data(StreamIdRole).toString(), QStringLiteral("account-1"));
        QCOMPARE(QJsonDocument::fromJson(model.index(1, 0).data(SnapshotListModel::StateJsonRole).toString().toUtf8())
                     .object(),
            snapshots.at(1).state);
        QCOMPARE(model.rowOf(19), 1);
        QCOMPARE(model.rowOf(20), -1);
        QVERIFY(model.roleNames().values().contains("stateJson"));
        QCOMPARE(model.index(0, SnapshotListModel::ColumnVersion).data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
            Qt::AlignRight | Qt::AlignVCenter);
    }

    void verificationPerRow()
    {
        SnapshotListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshots(threeSnapshots());
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(cell(model, row, SnapshotListModel::ColumnVerification), QString());
            QCOMPARE(model.index(row, 0).data(SnapshotListModel::VerificationRole).toInt(), -1);
            QVERIFY(!model.verification(row));
        }

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        SnapshotCheck matches;
        matches.outcome = SnapshotCheck::Outcome::Matches;
        matches.matches = true;
        model.setVerification(1, matches);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex(), model.index(1, 0));
        QCOMPARE(changed.first().at(1).toModelIndex(), model.index(1, SnapshotListModel::ColumnCount - 1));
        QCOMPARE(cell(model, 1, SnapshotListModel::ColumnVerification), QStringLiteral("matches"));
        QCOMPARE(
            model.index(1, 0).data(SnapshotListModel::VerificationRole).toInt(), int(SnapshotCheck::Outcome::Matches));
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnVerification), QString());

        SnapshotCheck differs;
        differs.outcome = SnapshotCheck::Outcome::Differs;
        differs.differences = { { FieldChange::Kind::Changed, QStringLiteral("balance"), 1, 2 },
            { FieldChange::Kind::Removed, QStringLiteral("owner"), QStringLiteral("x"), {} } };
        model.setVerification(0, differs);
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnVerification), QStringLiteral("differs (2 fields)"));
        QCOMPARE(model.index(0, 2).data(SnapshotListModel::DifferenceCountRole).toInt(), 2);
        differs.differences.removeLast();
        model.setVerification(0, differs);
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnVerification), QStringLiteral("differs (1 field)"));

        SnapshotCheck stale;
        stale.outcome = SnapshotCheck::Outcome::Stale;
        stale.note = QStringLiteral("The snapshot has schema version 1 … stale, not corrupt.");
        model.setVerification(2, stale);
        QVERIFY(cell(model, 2, SnapshotListModel::ColumnVerification).startsWith(QLatin1String("stale")));
        QVERIFY(cell(model, 2, SnapshotListModel::ColumnVerification, Qt::ToolTipRole).contains(stale.note));

        SnapshotCheck failed;
        failed.outcome = SnapshotCheck::Outcome::Failed;
        failed.errors = { QStringLiteral("The stream ends at version 4.") };
        model.setVerification(2, failed);
        QCOMPARE(cell(model, 2, SnapshotListModel::ColumnVerification),
            QStringLiteral("failed: The stream ends at version 4."));

        changed.clear();
        model.clearVerification(1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(cell(model, 1, SnapshotListModel::ColumnVerification), QString());
        model.clearVerification(1); // nothing to clear: no signal
        model.setVerification(7, matches); // out of range: ignored
        QCOMPARE(changed.size(), 1);

        // New snapshots forget the verifications.
        model.setSnapshots(threeSnapshots().mid(0, 2));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, SnapshotListModel::ColumnVerification), QString());
        model.setSnapshots({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSnapshotListModel)
#include "tst_snapshotlistmodel.moc"
