// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projections/projection.h"

#include <QCoreApplication>
#include <QVariantList>

namespace EventScope {

/**
 * The account statements read model: one line per money event of an account stream, in table
 * "account_statement_lines" (physically `rm_account_statement_lines`), keyed by (account_id, stream_version):
 * position ($all), recorded_at (milliseconds since the epoch, UTC), kind ("deposit", "withdrawal", "reversal" or
 * "correction"), amount (the signed change of the balance, in cents), balance_after (cents), transaction_id (the
 * deposit's or withdrawal's, or the reversed one's; NULL for corrections) and reason (reversals and corrections).
 * Lines of one account therefore add up: each balance_after is the previous line's plus the amount.
 */
class AccountStatementProjection final : public Projection {
    Q_DECLARE_TR_FUNCTIONS(AccountStatementProjection)
public:
    static constexpr auto Name = "account_statements";
    static constexpr auto Table = "account_statement_lines";

    QString name() const override { return QLatin1String(Name); }
    int version() const override { return 1; }
    QString description() const override;
    QStringList eventTypes() const override;
    QList<ReadModelTable> tables() const override;

    QString apply(const RecordedEvent& event, ProjectionBatch& batch) override;
    /// Inserts the batch's lines in multi-row statements (a few round trips per batch, not one per line).
    QString flush(ProjectionBatch& batch) override;
    void discard() override;

private:
    QVariantList m_lines; ///< the batch's lines, 9 values each
};

} // namespace EventScope
