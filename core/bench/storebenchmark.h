// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "benchfigure.h"

#include "eventstore/storeresult.h"
#include "eventstore/storesettings.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace EventScope {

/**
 * Measures the SQL event store against plain SQL doing the same work on the same database.
 *
 * Every case runs on a fresh, empty store built from the given StoreSettings: SQLite in a temporary file
 * (the connection in the settings is ignored), PostgreSQL in a new schema of the given database, dropped
 * again afterwards. The baselines use the store's own connection (same pragmas, same search path) and a raw
 * table created with the store's DDL for es_events, so a ratio shows what the store adds on top of the
 * database, not a difference in settings.
 *
 * Cases:
 * - `a` single-event appends to new streams (ExpectedVersion::noStream()) vs one row per transaction;
 * - `b` appends of `batchSize` events vs `batchSize` rows per transaction with a reused prepared insert;
 * - `c` concurrent writers on their own streams, and all on one stream with Exact versions retrying on
 *   WrongExpectedVersion (no baseline);
 * - `d` reading one stream forward page by page vs one plain scan of its rows;
 * - `e` catch-up over $all with readAll() and with an AllSubscription vs one forward-only scan, with the
 *   peak growth of resident memory of each.
 *
 * run() works on the calling thread (never the GUI thread: it runs for minutes at full scale) and starts
 * worker QThreads for case c and the subscription. It keeps no events: memory stays flat whatever the scale.
 */
class StoreBenchmark {
    Q_DECLARE_TR_FUNCTIONS(StoreBenchmark)

public:
    enum class Scale { Tiny, Small, Full };
    enum class Case { SingleAppend, BatchAppend, ConcurrentWriters, StreamRead, CatchUp };

    /// Sizes of the cases. The defaults are the full scale.
    struct Parameters {
        int singleAppends = 5000;
        int batchEvents = 200000;
        int batchSize = 100;
        int writers = 4;
        /// Successful appends of `batchSize` events per writer, in each variant of case c.
        int writerBatches = 50;
        int streamEvents = 10000;
        int pageSize = 500;
        /// Case d reads the stream this many times and reports the total rate.
        int readRounds = 5;
        qint64 catchUpEvents = 1000000;
        int catchUpSeedBatch = 1000;
        int catchUpReadBatch = 1000;

        /// Full: the defaults; Small: about 1/10 of them; Tiny: about 1/1000 (a smoke test, not a measurement).
        static Parameters forScale(Scale scale);
    };

    using Report = BenchReport;

    /// Called with a line saying what the benchmark is doing now, on the calling thread.
    using Progress = std::function<void(const QString&)>;

    StoreBenchmark(StoreSettings settings, Parameters parameters);

    /// Runs only \a cases (all of them by default), in the order of the Case enum.
    void setCases(QList<Case> cases) { m_cases = std::move(cases); }
    void setProgress(Progress progress) { m_progress = std::move(progress); }

    /// Runs the cases. Fails on the first store or SQL error, after cleaning up what it created.
    StoreResult<Report> run();

    static QList<Case> allCases();
    /// "a" … "e" (or "single", "batch", "concurrent", "read", "catchup").
    static std::optional<Case> caseFromName(const QString& name);
    static QString caseLetter(Case c);
    static std::optional<Scale> scaleFromName(const QString& name);

private:
    StoreResult<Done> runSingleAppend(Report& report);
    StoreResult<Done> runBatchAppend(Report& report);
    StoreResult<Done> runConcurrentWriters(Report& report);
    StoreResult<Done> runStreamRead(Report& report);
    StoreResult<Done> runCatchUp(Report& report);
    void progress(const QString& text) const;
    /// File name (SQLite) or schema name (PostgreSQL) of the fresh store of case \a c.
    QString scratchName(Case c) const;

    StoreSettings m_settings;
    Parameters m_parameters;
    QList<Case> m_cases;
    Progress m_progress;
    QString m_runId;
    QString m_directory;
};

} // namespace EventScope
