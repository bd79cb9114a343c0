// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projection.h"

#include <QCoreApplication>
#include <QHash>

namespace EventScope {

/**
 * How many events of each type were recorded on each day: table "event_type_daily" (physically
 * `rm_event_type_daily`) with day ("YYYY-MM-DD", UTC, of the event's recordedAt), event_type and count, keyed by
 * (day, event_type). Handles every event and never reads payloads, so it cannot fault on a malformed one; counts
 * are collected per batch and written as one upsert per day and type.
 */
class EventTypeStatsProjection final : public Projection {
    Q_DECLARE_TR_FUNCTIONS(EventTypeStatsProjection)
public:
    static constexpr auto Name = "event_type_stats";
    static constexpr auto Table = "event_type_daily";

    QString name() const override { return QLatin1String(Name); }
    int version() const override { return 1; }
    QString description() const override;
    QStringList eventTypes() const override { return {}; }
    QList<ReadModelTable> tables() const override;

    QString apply(const RecordedEvent& event, ProjectionBatch& batch) override;
    QString flush(ProjectionBatch& batch) override;
    void discard() override;

    /// The UTC day of \a msecsSinceEpoch as "YYYY-MM-DD".
    static QString dayOf(qint64 msecsSinceEpoch);

private:
    struct Key {
        qint64 day = 0; ///< days since 1970-01-01
        QString eventType;
        bool operator==(const Key& other) const = default;
    };
    friend size_t qHash(const Key& key, size_t seed) noexcept { return qHashMulti(seed, key.day, key.eventType); }

    QHash<Key, qint64> m_counts;
};

} // namespace EventScope
