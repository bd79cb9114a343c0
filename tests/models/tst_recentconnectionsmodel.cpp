// SPDX-License-Identifier: Apache-2.0
#include "recentconnectionsmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace EventScope;

namespace {

StoreSettings sqlite(const QString& path)
{
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Sqlite;
    settings.connection = path;
    return settings;
}

StoreSettings postgres(const QString& connection, const QString& schema = QStringLiteral("eventscope"))
{
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Postgres;
    settings.connection = connection;
    settings.postgresSchema = schema;
    return settings;
}

QDateTime at(int minute)
{
    return QDateTime(QDate(2026, 11, 26), QTime(12, minute), Qt::UTC);
}

} // namespace

class TestRecentConnectionsModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
    }

    void cleanup()
    {
        m_settings.reset();
        m_dir.reset();
    }

    void startsEmpty()
    {
        RecentConnectionsModel model(m_settings.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.lastRole().has_value());
    }

    void mostRecentFirstAndEachStoreOnce()
    {
        RecentConnectionsModel model(m_settings.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString a = m_dir->filePath(QStringLiteral("a.db"));
        const QString b = m_dir->filePath(QStringLiteral("b.db"));
        QVERIFY(model.record(sqlite(a), Role::Developer, at(1)));
        QVERIFY(model.record(sqlite(b), Role::Support, at(2)));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.entry(0).location, b);
        QCOMPARE(model.lastRole(), Role::Support);

        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        // The same file by another spelling of its path is the same store.
        QVERIFY(model.record(sqlite(m_dir->path() + QStringLiteral("/./a.db")), Role::Auditor, at(3)));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(model.entry(0).location, a);
        QCOMPARE(model.entry(0).role, Role::Auditor);
        QCOMPARE(model.entry(0).lastUsed, at(3));
        QCOMPARE(
            model.data(model.index(0), RecentConnectionsModel::AccessRoleRole).toString(), QStringLiteral("auditor"));
        QVERIFY(model.data(model.index(0)).toString().startsWith(QStringLiteral("a.db")));

        // Again at the top: refreshed in place.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.record(sqlite(a), Role::Developer, at(4)));
        QCOMPARE(moved.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.entry(0).role, Role::Developer);
    }

    void keepsTheLatestTen()
    {
        RecentConnectionsModel model(m_settings.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < RecentConnectionsModel::MaxEntries + 3; ++i)
            QVERIFY(model.record(sqlite(m_dir->filePath(QStringLiteral("s%1.db").arg(i))), Role::Auditor, at(i)));
        QCOMPARE(model.rowCount(), RecentConnectionsModel::MaxEntries);
        QVERIFY(model.entry(0).location.endsWith(QStringLiteral("s12.db")));
        QVERIFY(model.entry(RecentConnectionsModel::MaxEntries - 1).location.endsWith(QStringLiteral("s3.db")));
    }

    void removesAndPersists()
    {
        {
            RecentConnectionsModel model(m_settings.get());
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QVERIFY(model.record(sqlite(m_dir->filePath(QStringLiteral("a.db"))), Role::Auditor, at(1)));
            QVERIFY(model.record(postgres(QStringLiteral("host=db port=5433 dbname=events user=me sslmode=require"),
                                     QStringLiteral("audit")),
                Role::Support, at(2)));
            QVERIFY(model.record(sqlite(m_dir->filePath(QStringLiteral("c.db"))), Role::Developer, at(3)));
            QVERIFY(model.removeRows(2, 1)); // a.db
            QVERIFY(!model.removeRows(5, 1));
        }
        m_settings.reset();
        QSettings reopened(settingsPath(), QSettings::IniFormat);
        RecentConnectionsModel model(&reopened);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.entry(0).location.endsWith(QStringLiteral("c.db")));
        QCOMPARE(model.entry(0).role, Role::Developer);
        const RecentConnectionsModel::Entry& pg = model.entry(1);
        QCOMPARE(pg.backend, StoreSettings::Backend::Postgres);
        QCOMPARE(pg.postgresSchema, QStringLiteral("audit"));
        QCOMPARE(pg.role, Role::Support);
        QCOMPARE(pg.lastUsed, at(2));
        const StoreSettings settings = pg.toSettings();
        QCOMPARE(settings.connection, QStringLiteral("host=db port=5433 dbname=events user=me sslmode=require"));
        QCOMPARE(settings.postgresSchema, QStringLiteral("audit"));
        QCOMPARE(model.data(model.index(1)).toString(), QStringLiteral("events on db:5433 as me (schema audit)"));
    }

    void neverWritesPasswords_data()
    {
        QTest::addColumn<QString>("connection");
        QTest::newRow("key value") << QStringLiteral("host=db dbname=events user=me password=Hunter2Secret");
        QTest::newRow("quoted") << QStringLiteral("host=db dbname=events user=me password='Hunter2 Secret'");
        QTest::newRow("url") << QStringLiteral("postgres://me:Hunter2Secret@db:5432/events");
        QTest::newRow("url query") << QStringLiteral("postgres://me@db/events?password=Hunter2Secret");
    }

    void neverWritesPasswords()
    {
        QFETCH(QString, connection);
        {
            RecentConnectionsModel model(m_settings.get());
            QVERIFY(model.record(postgres(connection), Role::Support));
            QCOMPARE(model.rowCount(), 1);
            QVERIFY(!model.entry(0).location.contains(QStringLiteral("Hunter2")));
            QVERIFY(model.entry(0).location.contains(QStringLiteral("user=me")));
            // Not recordable: text we cannot parse might hold a password where we would not find it.
            QVERIFY(!model.record(postgres(QStringLiteral("password='Hunter2Secret")), Role::Support));
            QCOMPARE(model.rowCount(), 1);
        }
        m_settings.reset();
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("recentConnections"));
        QVERIFY(written.contains("user=me"));
        QVERIFY2(!written.contains("Hunter2"), written.constData());
        QVERIFY(!written.contains("password"));
    }

    void dropsPasswordsFoundInOldFiles()
    {
        {
            QSettings raw(settingsPath(), QSettings::IniFormat);
            raw.beginWriteArray(RecentConnectionsModel::SettingsGroup);
            raw.setArrayIndex(0);
            raw.setValue(QStringLiteral("backend"), QStringLiteral("postgres"));
            raw.setValue(QStringLiteral("location"), QStringLiteral("host=db dbname=events password=Hunter2Secret"));
            raw.setValue(QStringLiteral("role"), QStringLiteral("developer"));
            raw.endArray();
        }
        m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
        RecentConnectionsModel model(m_settings.get());
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.entry(0).location.contains(QStringLiteral("Hunter2")));
        QCOMPARE(model.entry(0).role, Role::Developer);
    }

    void forgetsThrowawayStores()
    {
        RecentConnectionsModel model(m_settings.get());
        QVERIFY(!model.record(sqlite(QStringLiteral(":memory:")), Role::Developer));
        QCOMPARE(model.rowCount(), 0);
    }

private:
    QString settingsPath() const { return m_dir->filePath(QStringLiteral("eventscope.ini")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

QTEST_GUILESS_MAIN(TestRecentConnectionsModel)
#include "tst_recentconnectionsmodel.moc"
