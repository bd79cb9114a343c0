// SPDX-License-Identifier: Apache-2.0
#include "accountbalanceprojection.h"

#include "accountmodule.h"
#include "projections/projectionbatch.h"

#include <QJsonObject>

namespace EventScope {

namespace {

const QString Owner = QStringLiteral("owner");
const QString Currency = QStringLiteral("currency");
const QString BalanceAfter = QStringLiteral("balanceAfter");
const QString To = QStringLiteral("to");
const QString Open = QStringLiteral("open");
const QString Frozen = QStringLiteral("frozen");
const QString Closed = QStringLiteral("closed");

} // namespace

QString AccountBalanceProjection::description() const
{
    return tr("Accounts with their owner, currency, balance and status.");
}

QStringList AccountBalanceProjection::eventTypes() const
{
    return { QStringLiteral("AccountOpened"), QStringLiteral("MoneyDeposited"), QStringLiteral("MoneyWithdrawn"),
        QStringLiteral("TransactionReversed"), QStringLiteral("BalanceCorrected"), QStringLiteral("AccountFrozen"),
        QStringLiteral("AccountUnfrozen"), QStringLiteral("AccountClosed") };
}

QList<ReadModelTable> AccountBalanceProjection::tables() const
{
    ReadModelTable balances;
    balances.name = QLatin1String(Table);
    balances.columns = { QStringLiteral("account_id TEXT NOT NULL"), QStringLiteral("owner TEXT NOT NULL"),
        QStringLiteral("currency TEXT NOT NULL"), QStringLiteral("balance BIGINT NOT NULL"),
        QStringLiteral("status TEXT NOT NULL"), QStringLiteral("transactions BIGINT NOT NULL"),
        QStringLiteral("opened_at BIGINT NOT NULL"), QStringLiteral("updated_at BIGINT NOT NULL"),
        QStringLiteral("version BIGINT NOT NULL"), QStringLiteral("position BIGINT NOT NULL") };
    balances.primaryKey = { QStringLiteral("account_id") };
    balances.indexes = { { QStringLiteral("owner"), QStringLiteral("account_id") },
        { QStringLiteral("status"), QStringLiteral("account_id") } };
    return { balances };
}

QString AccountBalanceProjection::accountId(const QString& streamId)
{
    const QLatin1String prefix(AccountModule::StreamPrefix);
    return streamId.startsWith(prefix) ? streamId.mid(prefix.size()) : streamId;
}

QString AccountBalanceProjection::apply(const RecordedEvent& event, ProjectionBatch& batch)
{
    const QString& type = event.eventType;
    const bool frozen = type == QLatin1String("AccountFrozen");
    const bool unfrozen = !frozen && type == QLatin1String("AccountUnfrozen");
    const bool closed = !frozen && !unfrozen && type == QLatin1String("AccountClosed");

    Change& change = m_changes[event.streamId];
    change.updatedAt = event.recordedAt.toMSecsSinceEpoch();
    change.version = event.streamVersion;
    change.position = event.position;
    if (frozen || unfrozen || closed) {
        change.status = frozen ? Frozen : closed ? Closed : Open;
        return {};
    }

    const auto payload = batch.payload(event);
    if (!payload)
        return batch.error() ? batch.error()->message()
                             : tr("The payload of event %1 cannot be read.").arg(event.position);
    const auto missing = [&event](const QString& field) {
        return tr("%1 at position %2 (stream %3) has no valid \"%4\" in its payload, which the account balances read "
                  "model needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.")
            .arg(event.eventType)
            .arg(event.position)
            .arg(event.streamId, field);
    };

    if (type == QLatin1String("AccountOpened")) {
        const QJsonValue owner = payload->value(Owner);
        const QJsonValue currency = payload->value(Currency);
        if (!owner.isString() || owner.toString().isEmpty())
            return missing(Owner);
        if (!currency.isString() || currency.toString().isEmpty())
            return missing(Currency);
        change.opened = true;
        change.owner = owner.toString();
        change.currency = currency.toString();
        change.openedAt = change.updatedAt;
        change.balanceSet = true;
        change.balance = 0;
        change.transactions = 0;
        if (change.status.isEmpty())
            change.status = Open;
        return {};
    }

    const QString& field = type == QLatin1String("BalanceCorrected") ? To : BalanceAfter;
    const QJsonValue balance = payload->value(field);
    if (!balance.isDouble())
        return missing(field);
    change.balanceSet = true;
    change.balance = balance.toInteger(qint64(balance.toDouble()));
    ++change.transactions;
    return {};
}

QString AccountBalanceProjection::flush(ProjectionBatch& batch)
{
    // Two statements of many rows each instead of one per account: on PostgreSQL every statement is a round trip.
    static const QString insertHead = QStringLiteral(
        "INSERT INTO {account_balances} (account_id, owner, currency, balance, status, transactions, opened_at, "
        "updated_at, version, position) VALUES ");
    static const QString insertRow = QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    static const QString insertTail = QStringLiteral(
        " ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, currency = excluded.currency, "
        "balance = excluded.balance, status = excluded.status, transactions = excluded.transactions, "
        "opened_at = excluded.opened_at, updated_at = excluded.updated_at, version = excluded.version, "
        "position = excluded.position");
    // VALUES columns are column1, column2, … in both backends; the casts type the NULLs of "unchanged".
    static const QString updateHead = QStringLiteral(
        "UPDATE {account_balances} SET balance = COALESCE(v.column2, {account_balances}.balance), "
        "status = COALESCE(v.column3, {account_balances}.status), "
        "transactions = {account_balances}.transactions + v.column4, updated_at = v.column5, version = v.column6, "
        "position = v.column7 FROM (VALUES ");
    static const QString updateRow = QStringLiteral("(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), "
                                                    "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
                                                    "CAST(? AS BIGINT))");
    static const QString updateTail = QStringLiteral(") AS v WHERE {account_balances}.account_id = v.column1");
    const QVariant noBalance(QMetaType::fromType<qint64>());
    const QVariant noStatus(QMetaType::fromType<QString>());

    QVariantList inserts;
    QVariantList updates;
    for (auto it = m_changes.cbegin(); it != m_changes.cend(); ++it) {
        const Change& c = it.value();
        const QString id = accountId(it.key());
        if (c.opened) {
            inserts << id << c.owner << c.currency << c.balance << c.status << c.transactions << c.openedAt
                    << c.updatedAt << c.version << c.position;
        } else {
            // An account whose AccountOpened never reached the model (skipped by an operator) has no row to update.
            updates << id << (c.balanceSet ? QVariant(c.balance) : noBalance)
                    << (c.status.isEmpty() ? noStatus : QVariant(c.status)) << c.transactions << c.updatedAt
                    << c.version << c.position;
        }
    }
    if ((!inserts.isEmpty() && !batch.execRows(insertHead, insertRow, insertTail, inserts))
        || (!updates.isEmpty() && !batch.execRows(updateHead, updateRow, updateTail, updates)))
        return batch.error() ? batch.error()->message() : tr("Writing the account balances read model failed.");
    m_changes.clear();
    return {};
}

void AccountBalanceProjection::discard()
{
    m_changes.clear();
}

} // namespace EventScope
