// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/sqleventstore.h"

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace EventScope::Test {

/**
 * A throwaway event store for one test: an SQLite file in a temporary directory, or a fresh schema in the
 * PostgreSQL database named by EVENTSCOPE_TEST_PG_DSN, dropped again when the object goes.
 *
 * PostgreSQL availability: when EVENTSCOPE_TEST_PG_DSN is unset, postgresUnavailableReason() says so and
 * tests skip — except when CI=true, where a PostgreSQL test that cannot run must fail (requirePostgres()).
 */
class TestStore {
public:
    enum class Backend { Sqlite, Postgres };

    explicit TestStore(Backend backend);
    ~TestStore();

    /// Settings for a new store (file path or DSN + unique schema); open() uses them.
    StoreSettings settings() const { return m_settings; }
    StoreResult<std::shared_ptr<SqlEventStore>> open(StoreSettings settings) const;
    StoreResult<std::shared_ptr<SqlEventStore>> open() const { return open(m_settings); }

    Backend backend() const { return m_backend; }
    QString directory() const { return m_dir.path(); }

    /// A plain QPSQL connection named \a name to the database of \a settings, set up as the store's own
    /// (through PostgresDialect::configure) and, if \a useSchema, with the store's schema on the search path.
    /// Remove it with QSqlDatabase::removeDatabase(name) once every copy is gone.
    static QSqlDatabase openRawPostgres(const QString& name, const StoreSettings& settings, bool useSchema = true);

    static QString postgresDsn();
    /// Empty when PostgreSQL tests can run; else why not.
    static QString postgresUnavailableReason();
    static bool ciRequiresPostgres();
    /// Backend chosen for this run of a suite compiled once for both: EVENTSCOPE_TEST_BACKEND=sqlite|postgres.
    static Backend backendUnderTest();
    static QString backendName(Backend backend);

private:
    Backend m_backend;
    QTemporaryDir m_dir;
    StoreSettings m_settings;
};

} // namespace EventScope::Test

/// In a test function: skip (or, with CI=true, fail) when the PostgreSQL backend cannot be tested.
#define EVENTSCOPE_REQUIRE_BACKEND(backend)                                                                            \
    do {                                                                                                               \
        if ((backend) == EventScope::Test::TestStore::Backend::Postgres) {                                             \
            const QString reason = EventScope::Test::TestStore::postgresUnavailableReason();                           \
            if (!reason.isEmpty()) {                                                                                   \
                if (EventScope::Test::TestStore::ciRequiresPostgres())                                                 \
                    QFAIL(qPrintable(QStringLiteral("CI=true and PostgreSQL is not available: ") + reason));           \
                QSKIP(qPrintable(reason));                                                                             \
            }                                                                                                          \
        }                                                                                                              \
    } while (false)
