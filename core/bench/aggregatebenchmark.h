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
 * Measures Repository::load() of one Account aggregate (sample domain) as its stream grows, with and without
 * snapshots.
 *
 * For every size the benchmark makes a fresh store from the given StoreSettings (SQLite in a temporary file,
 * the connection in the settings is ignored; PostgreSQL in a new schema of the given database, dropped again
 * afterwards), appends one AccountOpened and size − 1 MoneyDeposited events to `account-bench` in large
 * batches straight through the store (no commands: seeding is not measured), and stores the snapshots a
 * SnapshotPolicy of every `snapshotFrequency` events keeping the last `snapshotRetain` would have left, each
 * the state a repository rebuilds at that version. It then loads the aggregate `repetitions` times through a
 * repository without snapshots and one with that policy, alternating, after one unmeasured load of each, and
 * checks every load (version, balance, snapshot used, events replayed).
 *
 * Figures (milliseconds, median of the repetitions): `load.<size>.without_snapshots`;
 * `load.<size>.with_snapshots` with the without-snapshots time of the same size as baseline; and
 * `flatness.with_snapshots.<largest>_vs_<second>`, the with-snapshots time of the largest size against that of
 * the second size (the target is a ratio of at most 2: load time stays flat as the stream grows).
 *
 * run() works on the calling thread (never the GUI thread: it runs for a minute at full scale).
 */
class AggregateBenchmark {
    Q_DECLARE_TR_FUNCTIONS(AggregateBenchmark)

public:
    enum class Scale { Tiny, Small, Full };

    struct Parameters {
        /// Stream lengths in events, ascending, at least two.
        QList<int> sizes { 10, 1000, 100000 };
        /// Measured loads per size and mode.
        int repetitions = 7;
        int seedBatch = 1000;
        int snapshotFrequency = 100;
        int snapshotRetain = 3;

        /// Full: 10 / 1,000 / 100,000 events; Small: 10 / 1,000 / 10,000; Tiny: 10 / 100 / 1,000, 3 repetitions.
        static Parameters forScale(Scale scale);
    };

    using Report = BenchReport;

    /// Called with a line saying what the benchmark is doing now, on the calling thread.
    using Progress = std::function<void(const QString&)>;

    AggregateBenchmark(StoreSettings settings, Parameters parameters);

    void setProgress(Progress progress) { m_progress = std::move(progress); }

    /// Runs every size. Fails on the first store, SQL or domain error, after cleaning up what it created.
    StoreResult<Report> run();

    static std::optional<Scale> scaleFromName(const QString& name);

private:
    StoreResult<Done> runSize(int size, Report& report, QMap<int, double>& withSnapshots);
    void progress(const QString& text) const;

    StoreSettings m_settings;
    Parameters m_parameters;
    Progress m_progress;
    QString m_runId;
    QString m_directory;
};

} // namespace EventScope
