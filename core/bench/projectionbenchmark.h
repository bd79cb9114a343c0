// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "benchfigure.h"

#include "eventstore/storeresult.h"
#include "eventstore/storesettings.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace EventScope {

/**
 * Measures how fast the ProjectionManager rebuilds the account balances read model (AccountBalanceProjection,
 * sample domain), against a hand-written projector doing the same job with plain SQL on the same database.
 *
 * The benchmark makes a fresh store from the given StoreSettings (SQLite in a temporary file, the connection in
 * the settings is ignored; PostgreSQL in a new schema of the given database, dropped again afterwards) and appends
 * `events` account events straight through the store (no commands: seeding is not measured): `accounts` streams
 * `account-<n>`, each an AccountOpened followed by deposits and withdrawals with correct running balances, in
 * appends of `appendBatch` events, round-robin over the accounts.
 *
 * It then measures, in this order:
 * - catch-up: a ProjectionManager with only that projection, from start() until waitForCheckpoint(head) returns;
 * - rebuild (the headline figure): ProjectionManager::rebuild() of the caught-up projection until rebuildFinished,
 *   that is building the read model again into shadow tables and swapping them in;
 * - the raw baseline: readAll() in batches of the manager's batch size, each payload parsed with QJsonDocument,
 *   one prepared INSERT … ON CONFLICT (account_id) DO UPDATE per event into a table of the same shape, and one
 *   transaction per batch (holding the store's write mutex on SQLite, as the manager does).
 *
 * After the catch-up and after the rebuild it compares every row of rm_account_balances, and after the baseline
 * every row of its table, with the balances the seeder computed; Outcome::correct says whether all matched.
 *
 * run() works on the calling thread (never the GUI thread: it runs for a minute at full scale); the projection
 * runs on the manager's thread.
 */
class ProjectionBenchmark {
    Q_DECLARE_TR_FUNCTIONS(ProjectionBenchmark)

public:
    struct Parameters {
        qint64 events = 1000000;
        /// Accounts the events are spread over; at most one per event.
        int accounts = 10000;
        /// Events per append, round-robin over the accounts: a read batch of B events touches about
        /// B / appendBatch accounts, which is what the projection can coalesce.
        int appendBatch = 10;
        /// Events per readAll() of the baseline; 0 takes the ProjectionManager's batch size.
        int readBatch = 0;

        /// \a events spread over 10,000 accounts, or fewer so that each account has about 100 events.
        static Parameters forEvents(qint64 events);
    };

    /// A target the report is measured against, and whether this run met it.
    struct Target {
        QString description;
        bool met = false;
    };

    struct Outcome {
        BenchReport report;
        QList<Target> targets;
        /// Every read model row matched the seeder's balances (after catch-up, rebuild and baseline).
        bool correct = false;
        qint64 accountsChecked = 0;
        /// The first mismatches found, for people ("after rebuild: account 17 has balance 5 instead of 7").
        QStringList mismatches;
    };

    /// Called with a line saying what the benchmark is doing now, on the calling thread.
    using Progress = std::function<void(const QString&)>;

    ProjectionBenchmark(StoreSettings settings, Parameters parameters);

    void setProgress(Progress progress) { m_progress = std::move(progress); }

    /**
     * Seeds, measures and checks. Fails on a store, SQL or projection error (a faulted projection, a timeout),
     * after cleaning up what it created; wrong balances are not a failure here but Outcome::correct = false.
     */
    StoreResult<Outcome> run();

private:
    void progress(const QString& text) const;

    StoreSettings m_settings;
    Parameters m_parameters;
    Progress m_progress;
};

} // namespace EventScope
