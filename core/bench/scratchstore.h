// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "benchfigure.h"

#include "eventstore/sqleventstore.h"

#include <memory>
#include <optional>

class QTemporaryDir;

namespace EventScope {

/**
 * A fresh store for one benchmark case: an SQLite file in the run's temporary directory, or a new PostgreSQL
 * schema. The destructor closes the store and deletes the file or drops the schema (on a side connection of its
 * own); everyone else must have dropped their references to the store by then.
 */
class ScratchStore {
public:
    ScratchStore(StoreSettings settings, const QString& name, const QString& directory);
    ~ScratchStore();
    ScratchStore(const ScratchStore&) = delete;
    ScratchStore& operator=(const ScratchStore&) = delete;

    StoreResult<Done> open();
    SqlEventStore& store() { return *m_store; }
    const std::shared_ptr<SqlEventStore>& shared() const { return m_store; }
    const StoreSettings& settings() const { return m_settings; }
    void discard();

    /**
     * Adds what the figures of \a store depend on to \a report's environment (once: a filled environment is
     * left alone): Qt version; SQLite version, journal mode and synchronous; PostgreSQL version and
     * synchronous_commit.
     */
    static void describeEnvironment(SqlEventStore& store, BenchReport& report);

    /// A name part unique per run (process id and random bits), so that parallel runs against one PostgreSQL
    /// database never share a schema.
    static QString newRunId();
    /// The error for \a directory when an SQLite benchmark cannot use it (it could not be created), else none.
    static std::optional<StoreError> checkDirectory(const QTemporaryDir& directory, const StoreSettings& settings);

private:
    void dropSchema();

    StoreSettings m_settings;
    std::shared_ptr<SqlEventStore> m_store;
    bool m_opened = false;
};

} // namespace EventScope
