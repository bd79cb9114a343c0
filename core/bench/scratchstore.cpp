// SPDX-License-Identifier: Apache-2.0
#include "scratchstore.h"

#include "eventstore/sqldialect.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

Q_LOGGING_CATEGORY(lcScratchStore, "eventscope.core.bench.scratch")

namespace EventScope {

ScratchStore::ScratchStore(StoreSettings settings, const QString& name, const QString& directory)
    : m_settings(std::move(settings))
{
    m_settings.createIfMissing = true;
    m_settings.readOnly = false;
    if (m_settings.backend == StoreSettings::Backend::Sqlite)
        m_settings.connection = QDir(directory).filePath(name + QStringLiteral(".sqlite"));
    else
        m_settings.postgresSchema = name;
}

ScratchStore::~ScratchStore()
{
    discard();
}

StoreResult<Done> ScratchStore::open()
{
    m_opened = true;
    auto store = SqlEventStore::open(m_settings);
    if (!store)
        return store.error();
    m_store = std::move(store).value();
    return Done {};
}

void ScratchStore::discard()
{
    if (!m_opened)
        return;
    m_opened = false;
    m_store.reset(); // closes this thread's connection; callers dropped their queries before
    if (m_settings.backend == StoreSettings::Backend::Sqlite) {
        for (const char* suffix : { "", "-wal", "-shm", "-journal" })
            QFile::remove(m_settings.connection + QLatin1String(suffix));
    } else {
        dropSchema();
    }
}

void ScratchStore::dropSchema()
{
    const QString connectionName = QStringLiteral("eventscope-bench-cleanup-") + QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        const auto dialect = SqlDialect::create(m_settings);
        if (dialect->configure(db, m_settings)) {
            qCWarning(lcScratchStore) << "Could not configure the clean-up connection for schema"
                                      << m_settings.postgresSchema;
        } else if (!db.open()) {
            qCWarning(lcScratchStore).noquote()
                << "Could not drop the benchmark schema" << m_settings.postgresSchema
                << "– connecting failed:" << db.lastError().text() << "– drop it by hand with DROP SCHEMA ... CASCADE";
        } else {
            QSqlQuery query(db);
            query.exec(QStringLiteral("SET client_min_messages = warning")); // no NOTICE per dropped table
            const QString sql = QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(m_settings.postgresSchema);
            if (!query.exec(sql))
                qCWarning(lcScratchStore).noquote() << "Statement failed:" << sql << "–" << query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

void ScratchStore::describeEnvironment(SqlEventStore& store, BenchReport& report)
{
    if (!report.environment.isEmpty())
        return;
    report.environment.insert(QStringLiteral("qt.version"), QString::fromLatin1(qVersion()));
    auto db = store.threadConnection();
    if (!db)
        return;
    QSqlQuery query(db.value());
    const auto ask = [&query, &report](const QString& sql, const QString& key) {
        if (query.exec(sql) && query.next())
            report.environment.insert(key, query.value(0).toString());
        else
            qWarning().noquote() << "Statement failed:" << sql << "–" << query.lastError().text();
    };
    if (store.settings().backend == StoreSettings::Backend::Sqlite) {
        ask(QStringLiteral("SELECT sqlite_version()"), QStringLiteral("sqlite.version"));
        ask(QStringLiteral("PRAGMA journal_mode"), QStringLiteral("sqlite.journal_mode"));
        report.environment.insert(QStringLiteral("sqlite.synchronous"),
            store.settings().sqliteSynchronous == StoreSettings::SqliteSync::Full ? QStringLiteral("full")
                                                                                  : QStringLiteral("normal"));
    } else {
        ask(QStringLiteral("SHOW server_version"), QStringLiteral("postgres.version"));
        ask(QStringLiteral("SHOW synchronous_commit"), QStringLiteral("postgres.synchronous_commit"));
    }
}

QString ScratchStore::newRunId()
{
    return QStringLiteral("%1_%2")
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::global()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
}

std::optional<StoreError> ScratchStore::checkDirectory(const QTemporaryDir& directory, const StoreSettings& settings)
{
    if (settings.backend != StoreSettings::Backend::Sqlite || directory.isValid())
        return std::nullopt;
    return StoreError(StoreError::Code::ConnectionFailed,
        QCoreApplication::translate("ScratchStore",
            "Could not create a temporary directory for the benchmark stores (%1). Set TMPDIR to a writable "
            "directory with a few GiB free.")
            .arg(directory.errorString()));
}

} // namespace EventScope
