// SPDX-License-Identifier: Apache-2.0
// ConnectionDialog driven through its widgets: testing real SQLite and PostgreSQL stores, a closed port, a text
// file, a path where a store will be created, form validation, roles, the recent list (fill, open, forget) and
// that no password reaches the settings file. With EVENTSCOPE_SCREENSHOT_DIR set, saves screenshots there.
#include "connectiondialog.h"

#include "eventstore/postgresconnection.h"
#include "recentconnectionsmodel.h"
#include "teststores.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QThreadPool>

using namespace EventScope;
using EventScope::Test::TestStore;

class TestConnectionDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
        m_recent = std::make_unique<RecentConnectionsModel>(m_settings.get());
        m_dialog = std::make_unique<ConnectionDialog>(m_recent.get());
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    void cleanup()
    {
        m_dialog.reset();
        QThreadPool::globalInstance()->waitForDone();
        m_recent.reset();
        m_settings.reset();
        m_dir.reset();
    }

    void testsAnSqliteStore()
    {
        TestStore test(TestStore::Backend::Sqlite);
        fillStore(test, 3);
        type("sqlitePathEdit", test.settings().connection);
        QVERIFY(runTest());
        QVERIFY2(m_dialog->testMessage().contains(QStringLiteral("EventScope store")), qPrintable(message()));
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("3 events")));
        QVERIFY(
            m_dialog->testMessage().contains(QStringLiteral("schema v%1").arg(SqlEventStore::currentSchemaVersion())));
    }

    void testsAPostgresStore()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        fillStore(test, 2);
        const PostgresConnection cluster = PostgresConnection::parse(test.settings().connection).value();
        fillPostgresForm(cluster, test.settings().postgresSchema);
        QVERIFY(runTest());
        QVERIFY2(m_dialog->testMessage().contains(QStringLiteral("2 events")), qPrintable(message()));
        const StoreSettings settings = m_dialog->settings();
        QCOMPARE(settings.backend, StoreSettings::Backend::Postgres);
        QCOMPARE(settings.postgresSchema, test.settings().postgresSchema);
        const auto parsed = PostgresConnection::parse(settings.connection);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->host, cluster.host);
        QCOMPARE(parsed->port, cluster.port);
        QCOMPARE(parsed->database, cluster.database);
        QCOMPARE(parsed->sslMode, QStringLiteral("prefer"));
    }

    void closedPortIsDiagnosed()
    {
        PostgresConnection closed;
        closed.host = QStringLiteral("127.0.0.1");
        closed.port = 1;
        closed.database = QStringLiteral("events");
        closed.user = QStringLiteral("nobody");
        fillPostgresForm(closed, QStringLiteral("eventscope"));
        QVERIFY(!runTest());
        QVERIFY2(m_dialog->testMessage().contains(QStringLiteral("Cannot reach the server")), qPrintable(message()));
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("127.0.0.1:1")));
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("port")));
        QCOMPARE(m_dialog->lastDiagnosis().problem, StoreDiagnosis::Problem::HostUnreachable);
        QVERIFY(m_dialog->isVisible()); // inline, no modal box
        saveShot(QStringLiteral("connectiondialog-unreachable.png"));
    }

    void textFileIsNotAStore()
    {
        const QString path = m_dir->filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("Meeting notes, not events.\n").repeated(100));
        file.close();
        type("sqlitePathEdit", path);
        QVERIFY(!runTest());
        QVERIFY2(m_dialog->testMessage().contains(QStringLiteral("Not an EventScope store")), qPrintable(message()));
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("New…")));
        saveShot(QStringLiteral("connectiondialog-diagnosis.png"));
    }

    void newPathWillBeCreated()
    {
        setRole(Role::Developer);
        QVERIFY(!child<QCheckBox>("readOnlyCheck")->isChecked());
        const QString path = m_dir->filePath(QStringLiteral("fresh.db"));
        type("sqlitePathEdit", path);
        QVERIFY(runTest());
        QVERIFY2(m_dialog->testMessage().contains(QStringLiteral("creates a new")), qPrintable(message()));
        QVERIFY2(!QFile::exists(path), "testing must not create the store");
        // Read-only, the same path is a problem: nothing would be created.
        clickCheckBox(child<QCheckBox>("readOnlyCheck"));
        QVERIFY(child<QCheckBox>("readOnlyCheck")->isChecked());
        QVERIFY(!runTest());
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("No store at this path")));
    }

    void validatesTheForm()
    {
        auto* open = child<QPushButton>("openButton");
        auto* test = child<QPushButton>("testButton");
        auto* validation = child<QLabel>("validationLabel");
        QVERIFY(!open->isEnabled()); // no SQLite path yet
        QVERIFY(!test->isEnabled());
        QVERIFY(validation->isVisible());
        type("sqlitePathEdit", m_dir->filePath(QStringLiteral("x.db")));
        QVERIFY(open->isEnabled());
        QVERIFY(validation->isHidden());

        child<QTabWidget>("backendTabs")->setCurrentIndex(1);
        QVERIFY(!open->isEnabled()); // localhost, but no database
        QVERIFY(validation->text().contains(QStringLiteral("database")));
        type("databaseEdit", QStringLiteral("events"));
        QVERIFY(open->isEnabled());
        child<QLineEdit>("hostEdit")->clear();
        QVERIFY(!open->isEnabled());
        QVERIFY(validation->text().contains(QStringLiteral("host")));
        QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
        m_dialog->accept();
        QCOMPARE(accepted.size(), 0);
    }

    void auditorsOpenReadOnly()
    {
        auto* readOnly = child<QCheckBox>("readOnlyCheck");
        QCOMPARE(m_dialog->role(), Role::Auditor); // no recent connection: the least privileged role
        QVERIFY(readOnly->isChecked());
        QVERIFY(!readOnly->isEnabled());
        type("sqlitePathEdit", m_dir->filePath(QStringLiteral("x.db")));
        QVERIFY(m_dialog->settings().readOnly);
        QVERIFY(!m_dialog->settings().createIfMissing);
        setRole(Role::Support); // the person's own choice again: writable unless they tick the box
        QVERIFY(readOnly->isEnabled());
        QVERIFY(!readOnly->isChecked());
        QVERIFY(!m_dialog->settings().readOnly);
        QVERIFY(m_dialog->settings().createIfMissing);
        clickCheckBox(readOnly);
        QVERIFY(readOnly->isChecked());
        QVERIFY(m_dialog->settings().readOnly);
        setRole(Role::Auditor);
        setRole(Role::Developer);
        QVERIFY(readOnly->isChecked()); // kept through the auditor detour

        m_dialog->setFixedRole(Role::Developer);
        QCOMPARE(m_dialog->role(), Role::Developer);
        QVERIFY(!child<QComboBox>("roleCombo")->isEnabled());
        m_dialog->setRole(Role::Auditor);
        QCOMPARE(m_dialog->role(), Role::Developer);
    }

    void recentConnectionsRoundTrip()
    {
        TestStore test(TestStore::Backend::Sqlite);
        fillStore(test, 1);
        setRole(Role::Developer);
        type("sqlitePathEdit", test.settings().connection);
        QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
        QTest::mouseClick(child<QPushButton>("openButton"), Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(m_dialog->settings().connection, QDir::toNativeSeparators(test.settings().connection));
        QCOMPARE(m_recent->rowCount(), 1);

        // A new dialog starts with the last role and lists the store; clicking fills the form, double-click opens.
        m_dialog = std::make_unique<ConnectionDialog>(m_recent.get());
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        QCOMPARE(m_dialog->role(), Role::Developer);
        auto* list = child<QListView>("recentList");
        QCOMPARE(list->model()->rowCount(), 1);
        const QRect first = list->visualRect(list->model()->index(0, 0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, first.center());
        QCOMPARE(QDir::fromNativeSeparators(child<QLineEdit>("sqlitePathEdit")->text()),
            QFileInfo(test.settings().connection).absoluteFilePath());
        QSignalSpy reopened(m_dialog.get(), &QDialog::accepted);
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, first.center());
        QCOMPARE(reopened.size(), 1);

        m_dialog = std::make_unique<ConnectionDialog>(m_recent.get());
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        list = child<QListView>("recentList");
        list->setFocus();
        list->setCurrentIndex(list->model()->index(0, 0));
        QTest::keyClick(list, Qt::Key_Delete);
        QCOMPARE(m_recent->rowCount(), 0);
    }

    void passwordIsNeverWrittenDown()
    {
        PostgresConnection form;
        form.host = QStringLiteral("db.example");
        form.database = QStringLiteral("events");
        form.user = QStringLiteral("support");
        fillPostgresForm(form, QStringLiteral("eventscope"));
        type("passwordEdit", QStringLiteral("Hunter2 'Secret'"));
        setRole(Role::Support);
        QTest::mouseClick(child<QPushButton>("openButton"), Qt::LeftButton);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        // The caller needs the password to open the store …
        QCOMPARE(
            PostgresConnection::parse(m_dialog->settings().connection)->password, QStringLiteral("Hunter2 'Secret'"));
        QVERIFY(!ConnectionDialog::describe(m_dialog->settings()).contains(QStringLiteral("Hunter2")));
        // … but it is not kept.
        m_recent.reset();
        m_settings.reset();
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("db.example"));
        QVERIFY2(!written.contains("Hunter2"), written.constData());
        QVERIFY(!written.contains("password"));
    }

    void setSettingsSplitsAConnectionString()
    {
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = QStringLiteral("postgres://me:pw@db.example:6543/events?sslmode=verify-full&"
                                             "connect_timeout=7");
        settings.postgresSchema = QStringLiteral("audit");
        m_dialog->setSettings(settings);
        QCOMPARE(child<QTabWidget>("backendTabs")->currentIndex(), 1);
        QCOMPARE(child<QLineEdit>("hostEdit")->text(), QStringLiteral("db.example"));
        QCOMPARE(child<QSpinBox>("portSpin")->value(), 6543);
        QCOMPARE(child<QLineEdit>("userEdit")->text(), QStringLiteral("me"));
        QCOMPARE(child<QComboBox>("sslModeCombo")->currentText(), QStringLiteral("verify-full"));
        QCOMPARE(child<QLineEdit>("schemaEdit")->text(), QStringLiteral("audit"));
        // Keywords the form has no field for survive the round trip.
        QVERIFY(m_dialog->settings().connection.contains(QStringLiteral("connect_timeout=7")));
        saveShot(QStringLiteral("connectiondialog-postgres.png"));
    }

    void staleTestResultsAreDropped()
    {
        TestStore test(TestStore::Backend::Sqlite);
        fillStore(test, 1);
        type("sqlitePathEdit", test.settings().connection);
        QSignalSpy finished(m_dialog.get(), &ConnectionDialog::testFinished);
        QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
        QVERIFY(m_dialog->isTesting());
        QVERIFY(m_dialog->testMessage().contains(QStringLiteral("Testing")));
        type("sqlitePathEdit", QStringLiteral("x")); // the person moved on
        QVERIFY(!m_dialog->isTesting());
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        QVERIFY(m_dialog->testMessage().isEmpty());
    }

    void screenshotOfTheSqliteTab()
    {
        TestStore test(TestStore::Backend::Sqlite);
        fillStore(test, 5);
        StoreSettings recentPg;
        recentPg.backend = StoreSettings::Backend::Postgres;
        recentPg.connection = QStringLiteral("host=db.example port=5432 dbname=orders user=support");
        m_recent->record(recentPg, Role::Support);
        m_recent->record(test.settings(), Role::Developer);
        setRole(Role::Developer);
        type("sqlitePathEdit", test.settings().connection);
        QVERIFY(runTest());
        saveShot(QStringLiteral("connectiondialog-sqlite.png"));
    }

private:
    template <typename T>
    T* child(const char* name) const
    {
        T* widget = m_dialog->findChild<T*>(QLatin1String(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }

    QString message() const { return m_dialog->testMessage(); }
    QString settingsPath() const { return m_dir->filePath(QStringLiteral("eventscope.ini")); }

    void type(const char* name, const QString& text)
    {
        auto* edit = child<QLineEdit>(name);
        edit->clear();
        QTest::keyClicks(edit, text);
    }

    /// Clicks the box itself: a check box stretched by its layout reacts to its indicator and text only.
    static void clickCheckBox(QCheckBox* box)
    {
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    }

    void setRole(Role role)
    {
        auto* combo = child<QComboBox>("roleCombo");
        combo->setCurrentIndex(combo->findData(int(role)));
    }

    void fillPostgresForm(const PostgresConnection& connection, const QString& schema)
    {
        child<QTabWidget>("backendTabs")->setCurrentIndex(1);
        type("hostEdit", connection.host);
        child<QSpinBox>("portSpin")->setValue(connection.port);
        type("databaseEdit", connection.database);
        type("userEdit", connection.user);
        type("passwordEdit", connection.password);
        type("schemaEdit", schema);
    }

    /// Clicks "Test connection" and waits for the outcome.
    bool runTest()
    {
        QSignalSpy finished(m_dialog.get(), &ConnectionDialog::testFinished);
        QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
        if (!finished.wait(20000))
            qFatal("the connection test did not finish");
        return finished.first().first().toBool();
    }

    static void fillStore(const TestStore& test, int events)
    {
        auto store = test.open();
        QVERIFY(store.ok());
        QList<EventData> batch;
        for (int i = 0; i < events; ++i)
            batch << EventData::create(QStringLiteral("Tested"), QJsonObject { { QStringLiteral("i"), i } });
        QVERIFY(store.value()->append(QStringLiteral("test-1"), ExpectedVersion::any(), batch).ok());
    }

    void saveShot(const QString& name)
    {
        const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        if (directory.isEmpty())
            return;
        QVERIFY(QDir().mkpath(directory));
        QCoreApplication::processEvents(); // let the message area take the height of its text
        QVERIFY(m_dialog->grab().save(QDir(directory).filePath(name)));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<RecentConnectionsModel> m_recent;
    std::unique_ptr<ConnectionDialog> m_dialog;
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
