// SPDX-License-Identifier: Apache-2.0
// OperatorAuditModel on an Engine over an SQLite TestStore with its projections started: operators' actions read
// newest first on a pool thread, older pages by fetchMore() (keyset by id), newer entries inserted at the top on
// reload() (no reset), the cell texts, and the CSV (RFC 4180 quoting). Checked by QAbstractItemModelTester with
// and without fetchMore.
#include "operatorauditmodel.h"

#include "../samples/enginefixture.h"
#include "teststores.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent>

using namespace EventScope;
using namespace EventScope::Test;

class TestOperatorAuditModel : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<Engine> m_engine;

    /// Pauses and resumes account_balances \a times times as support (2 × times entries), off the GUI thread.
    bool pauseAndResume(int times, const QString& reason)
    {
        return QtConcurrent::run([engine = m_engine, times, reason] {
            const QString name = QStringLiteral("account_balances");
            for (int i = 0; i < times; ++i) {
                const OperatorAction support { QStringLiteral("sam@example.com"), Role::Support,
                    reason + QStringLiteral(" %1").arg(i) };
                if (engine->projections().pause(name, support) || engine->projections().resume(name, support))
                    return false;
            }
            return true;
        }).result();
    }

private Q_SLOTS:
    void init()
    {
        m_test = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto store = m_test->open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        auto engine = EngineFixture::makeEngine(store.value());
        QVERIFY(engine.ok());
        m_engine = std::shared_ptr<Engine>(std::move(engine).value());
        m_engine->projections().start();
    }

    void cleanup()
    {
        QThreadPool::globalInstance()->waitForDone();
        m_engine.reset();
        m_test.reset();
    }

    void pagesNewestFirstAndInsertsNewerAtTheTop_data()
    {
        QTest::addColumn<bool>("useFetchMore");
        QTest::newRow("fetchMore") << true;
        QTest::newRow("no fetchMore") << false;
    }

    void pagesNewestFirstAndInsertsNewerAtTheTop()
    {
        QFETCH(bool, useFetchMore);
        QVERIFY(pauseAndResume(3, QStringLiteral("drill, \"quoted\"")));

        OperatorAuditModel model;
        model.setBatchSize(4);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(useFetchMore);
        QSignalSpy loaded(&model, &OperatorAuditModel::loaded);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setEngine(m_engine);
        QVERIFY(model.isLoading());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(OperatorAuditModel::ColumnCount));
        QCOMPARE(model.index(0, OperatorAuditModel::ColumnAction).data().toString(), QStringLiteral("resume"));
        QCOMPARE(model.index(0, OperatorAuditModel::ColumnActor).data().toString(), QStringLiteral("sam@example.com"));
        QCOMPARE(model.index(0, OperatorAuditModel::ColumnRole).data().toString(), QStringLiteral("support"));
        QCOMPARE(
            model.index(0, OperatorAuditModel::ColumnProjection).data().toString(), QStringLiteral("account_balances"));
        QCOMPARE(
            model.index(0, OperatorAuditModel::ColumnReason).data().toString(), QStringLiteral("drill, \"quoted\" 2"));
        QVERIFY(model.index(0, OperatorAuditModel::ColumnAt).data(OperatorAuditModel::AtRole).toDateTime().isValid());
        QVERIFY(model.index(0, OperatorAuditModel::ColumnAt)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .endsWith(QLatin1String("UTC")));
        QCOMPARE(model.index(1, OperatorAuditModel::ColumnAction).data().toString(), QStringLiteral("pause"));

        // The rest: one more page of 2 (6 in all), then the end.
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 6);
        QVERIFY(!model.canFetchMore({}));
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.entry(row - 1).id > model.entry(row).id);

        // Newer entries go in at the top; the rows already there stay.
        const qint64 newestBefore = model.entry(0).id;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(pauseAndResume(1, QStringLiteral("again")));
        model.reload();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 8);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(model.entry(2).id, newestBefore);
        QCOMPARE(resets.count(), 0);
    }

    void writesCsv()
    {
        QList<OperatorAuditEntry> entries { { 7, QDateTime(QDate(2026, 11, 26), QTime(18, 5, 1, 250), Qt::UTC),
                                                QStringLiteral("dana"), QStringLiteral("developer"),
                                                QStringLiteral("skip"), QStringLiteral("users"),
                                                QStringLiteral("bad import, see \"INC-7\"\nsecond line"),
                                                QStringLiteral(R"({"position":42,"streamId":"user-7"})") },
            { 6, QDateTime(QDate(2026, 11, 26), QTime(18, 0), Qt::UTC), QStringLiteral("sam"),
                QStringLiteral("support"), QStringLiteral("resume"), QStringLiteral("users"), QString(),
                QStringLiteral("{}") } };
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(OperatorAuditModel::writeCsv(buffer, entries));
        QCOMPARE(QString::fromUtf8(buffer.data()),
            QStringLiteral(
                "id,at,actor,role,action,projection,reason,detail\r\n"
                "7,2026-11-26T18:05:01.250Z,dana,developer,skip,users,\"bad import, see \"\"INC-7\"\"\nsecond "
                "line\",\"{\"\"position\"\":42,\"\"streamId\"\":\"\"user-7\"\"}\"\r\n"
                "6,2026-11-26T18:00:00.000Z,sam,support,resume,users,,{}\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestOperatorAuditModel)
#include "tst_operatorauditmodel.moc"
