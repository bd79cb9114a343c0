// SPDX-License-Identifier: Apache-2.0
#include "accountstatementprojection.h"

#include "accountbalanceprojection.h"
#include "projections/projectionbatch.h"

#include <QJsonObject>

namespace EventScope {

namespace {

const QString Amount = QStringLiteral("amount");
const QString BalanceAfter = QStringLiteral("balanceAfter");
const QString TransactionId = QStringLiteral("transactionId");
const QString Reason = QStringLiteral("reason");
const QString From = QStringLiteral("from");
const QString To = QStringLiteral("to");

std::optional<qint64> cents(const QJsonObject& payload, const QString& key)
{
    const QJsonValue value = payload.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger(qint64(value.toDouble()));
}

QVariant textOrNull(const QJsonObject& payload, const QString& key)
{
    const QJsonValue value = payload.value(key);
    return value.isString() ? QVariant(value.toString()) : QVariant(QMetaType::fromType<QString>());
}

} // namespace

QString AccountStatementProjection::description() const
{
    return tr("Statement lines of every account: each deposit, withdrawal, reversal and correction with the balance "
              "after it.");
}

QStringList AccountStatementProjection::eventTypes() const
{
    return { QStringLiteral("MoneyDeposited"), QStringLiteral("MoneyWithdrawn"), QStringLiteral("TransactionReversed"),
        QStringLiteral("BalanceCorrected") };
}

QList<ReadModelTable> AccountStatementProjection::tables() const
{
    ReadModelTable lines;
    lines.name = QLatin1String(Table);
    lines.columns = { QStringLiteral("account_id TEXT NOT NULL"), QStringLiteral("stream_version BIGINT NOT NULL"),
        QStringLiteral("position BIGINT NOT NULL"), QStringLiteral("recorded_at BIGINT NOT NULL"),
        QStringLiteral("kind TEXT NOT NULL"), QStringLiteral("amount BIGINT NOT NULL"),
        QStringLiteral("balance_after BIGINT NOT NULL"), QStringLiteral("transaction_id TEXT"),
        QStringLiteral("reason TEXT") };
    lines.primaryKey = { QStringLiteral("account_id"), QStringLiteral("stream_version") };
    return { lines };
}

QString AccountStatementProjection::apply(const RecordedEvent& event, ProjectionBatch& batch)
{
    const auto payload = batch.payload(event);
    if (!payload)
        return batch.error() ? batch.error()->message()
                             : tr("The payload of event %1 cannot be read.").arg(event.position);
    const auto missing = [&event](const QString& field) {
        return tr("%1 at position %2 (stream %3) has no valid \"%4\" in its payload, which the account statements "
                  "read model needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.")
            .arg(event.eventType)
            .arg(event.position)
            .arg(event.streamId, field);
    };

    const QString& type = event.eventType;
    QString kind;
    qint64 amount = 0;
    qint64 balanceAfter = 0;
    if (type == QLatin1String("BalanceCorrected")) {
        const auto from = cents(*payload, From);
        if (!from)
            return missing(From);
        const auto to = cents(*payload, To);
        if (!to)
            return missing(To);
        kind = QStringLiteral("correction");
        amount = *to - *from;
        balanceAfter = *to;
    } else {
        const auto value = cents(*payload, Amount);
        if (!value)
            return missing(Amount);
        const auto after = cents(*payload, BalanceAfter);
        if (!after)
            return missing(BalanceAfter);
        balanceAfter = *after;
        if (type == QLatin1String("MoneyDeposited")) {
            kind = QStringLiteral("deposit");
            amount = *value;
        } else if (type == QLatin1String("MoneyWithdrawn")) {
            kind = QStringLiteral("withdrawal");
            amount = -*value;
        } else if (type == QLatin1String("TransactionReversed")) {
            kind = QStringLiteral("reversal");
            amount = *value; // the signed change the reversal makes
        } else {
            return {};
        }
    }

    m_lines << AccountBalanceProjection::accountId(event.streamId) << event.streamVersion << event.position
            << event.recordedAt.toMSecsSinceEpoch() << kind << amount << balanceAfter
            << textOrNull(*payload, TransactionId) << textOrNull(*payload, Reason);
    return {};
}

QString AccountStatementProjection::flush(ProjectionBatch& batch)
{
    if (m_lines.isEmpty())
        return {};
    if (!batch.execRows(QStringLiteral("INSERT INTO {account_statement_lines} (account_id, stream_version, position, "
                                       "recorded_at, kind, amount, balance_after, transaction_id, reason) VALUES "),
            QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?)"), QString(), m_lines))
        return batch.error() ? batch.error()->message() : tr("Writing the account statements read model failed.");
    m_lines.clear();
    return {};
}

void AccountStatementProjection::discard()
{
    m_lines.clear();
}

} // namespace EventScope
