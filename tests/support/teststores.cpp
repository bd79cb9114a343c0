// SPDX-License-Identifier: Apache-2.0
#include "teststores.h"

#include "eventstore/postgresdialect.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace EventScope::Test {

TestStore::TestStore(Backend backend)
    : m_backend(backend)
{
    if (backend == Backend::Sqlite) {
        m_settings.backend = StoreSettings::Backend::Sqlite;
        m_settings.connection = m_dir.filePath(QStringLiteral("store.db"));
    } else {
        m_settings.backend = StoreSettings::Backend::Postgres;
        m_settings.connection = postgresDsn();
        m_settings.postgresSchema = QStringLiteral("es_test_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    }
    m_settings.pollInterval = std::chrono::milliseconds(50);
}

TestStore::~TestStore()
{
    if (m_backend != Backend::Postgres || !postgresUnavailableReason().isEmpty())
        return;
    const QString name = QStringLiteral("es-test-cleanup-") + m_settings.postgresSchema;
    {
        QSqlDatabase db = openRawPostgres(name, m_settings, false);
        QSqlQuery query(db);
        if (!db.isOpen()
            || !query.exec(QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(m_settings.postgresSchema)))
            qWarning() << "could not drop test schema" << m_settings.postgresSchema << query.lastError().text();
    }
    QSqlDatabase::removeDatabase(name);
}

StoreResult<std::shared_ptr<SqlEventStore>> TestStore::open(StoreSettings settings) const
{
    return SqlEventStore::open(settings);
}

QSqlDatabase TestStore::openRawPostgres(const QString& name, const StoreSettings& settings, bool useSchema)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (auto error = PostgresDialect(settings).configure(db, settings)) {
        qWarning().noquote() << error->message();
        return db;
    }
    if (!db.open()) {
        qWarning().noquote() << "could not connect to PostgreSQL:" << db.lastError().text();
        return db;
    }
    QSqlQuery query(db);
    query.exec(QStringLiteral("SET client_min_messages TO warning")); // no NOTICEs from DROP … CASCADE
    if (useSchema)
        query.exec(QStringLiteral("SET search_path TO \"%1\"").arg(settings.postgresSchema));
    return db;
}

QString TestStore::postgresDsn()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_PG_DSN");
}

QString TestStore::postgresUnavailableReason()
{
    if (postgresDsn().isEmpty())
        return QStringLiteral("EVENTSCOPE_TEST_PG_DSN is not set (the README's test command starts a throwaway "
                              "PostgreSQL and sets it)");
    return {};
}

bool TestStore::ciRequiresPostgres()
{
    return qEnvironmentVariable("CI").compare(QStringLiteral("true"), Qt::CaseInsensitive) == 0;
}

TestStore::Backend TestStore::backendUnderTest()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_BACKEND") == QStringLiteral("postgres") ? Backend::Postgres
                                                                                         : Backend::Sqlite;
}

QString TestStore::backendName(Backend backend)
{
    return backend == Backend::Postgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

} // namespace EventScope::Test
