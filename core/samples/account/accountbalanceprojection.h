// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projections/projection.h"

#include <QCoreApplication>
#include <QHash>

namespace EventScope {

/**
 * The read model of account balances, one row per account stream (`account-<id>`), in table
 * "account_balances" (physically `rm_account_balances`): account_id (without the stream prefix), owner, currency,
 * balance (cents), status ("open", "frozen" or "closed"), transactions (money events: deposits, withdrawals,
 * reversals and corrections), opened_at and updated_at (milliseconds since the epoch, UTC), and the stream version
 * and $all position of the last event applied.
 *
 * Built for rebuild speed: apply() only collects, per account, what the batch changes (the balance is taken from
 * the events' balanceAfter, or "to" of a correction, so nothing is read back), and flush() writes one statement per
 * account touched in the batch. An event without the amount fields the model needs faults the projection.
 */
class AccountBalanceProjection final : public Projection {
    Q_DECLARE_TR_FUNCTIONS(AccountBalanceProjection)
public:
    static constexpr auto Name = "account_balances";
    static constexpr auto Table = "account_balances";

    QString name() const override { return QLatin1String(Name); }
    int version() const override { return 1; }
    QString description() const override;
    QStringList eventTypes() const override;
    QList<ReadModelTable> tables() const override;

    QString apply(const RecordedEvent& event, ProjectionBatch& batch) override;
    QString flush(ProjectionBatch& batch) override;
    void discard() override;

    /// The account id of a stream id (`account-7` → `7`).
    static QString accountId(const QString& streamId);

private:
    /// What one batch changes of one account.
    struct Change {
        bool opened = false; ///< AccountOpened is in this batch: write the whole row
        bool balanceSet = false;
        qint64 balance = 0;
        QString owner;
        QString currency;
        QString status; ///< empty: unchanged
        qint64 openedAt = 0;
        qint64 transactions = 0; ///< added in this batch
        qint64 updatedAt = 0;
        qint64 version = 0;
        qint64 position = 0;
    };

    QHash<QString, Change> m_changes; ///< by stream id
};

} // namespace EventScope
