// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/aggregateroot.h"

#include <QCoreApplication>
#include <QHash>

namespace EventScope {

/**
 * A small ledger account of the sample domain (stream `account-<id>`). Amounts are integral cents.
 *
 * Invariants: no overdraft; a frozen account takes no deposits and no withdrawals; a closed account takes
 * nothing; an account closes only at balance 0. Corrective decisions (reverseTransaction, correctBalance)
 * carry the reason they were made for in their event.
 *
 * Events: AccountOpened {owner, currency}, MoneyDeposited / MoneyWithdrawn {amount, balanceAfter,
 * transactionId}, TransactionReversed {transactionId, amount, balanceAfter, reason}, BalanceCorrected
 * {from, to, reason}, AccountFrozen, AccountUnfrozen, AccountClosed.
 */
class AccountAggregate final : public AggregateRoot {
    Q_DECLARE_TR_FUNCTIONS(AccountAggregate)
public:
    using AggregateRoot::AggregateRoot;

    QString aggregateType() const override { return QStringLiteral("Account"); }

    QString open(const QString& owner, const QString& currency);
    /// \a transactionId empty means a new one.
    QString deposit(qint64 amount, QString transactionId = {});
    QString withdraw(qint64 amount, QString transactionId = {});
    QString freeze();
    QString unfreeze();
    QString close();
    QString reverseTransaction(const QString& transactionId, const QString& reason);
    QString correctBalance(qint64 newBalance, const QString& reason);

    bool exists() const { return m_exists; }
    bool frozen() const { return m_frozen; }
    bool closed() const { return m_closed; }
    qint64 balance() const { return m_balance; }
    const QString& owner() const { return m_owner; }
    const QString& currency() const { return m_currency; }

    /// Only the most recent transactions can be reversed (or are checked for a repeated transaction id):
    /// keeping every transaction would make the state, and every snapshot, grow with the account's history.
    /// Older mistakes are corrected with CorrectBalance.
    static constexpr int ReversibleTransactions = 500;

    QJsonObject snapshotState() const override;
    /// 2: the reversal window (transactions as an ordered array); 1 kept every transaction in an object.
    int snapshotSchemaVersion() const override { return 2; }

protected:
    void apply(const DomainEvent& event) override;
    bool restoreState(const QJsonObject& state) override;

private:
    struct Transaction {
        qint64 effect = 0; ///< signed change of the balance
        bool reversed = false;
    };

    QString requireOpen() const;
    QString requireMovable() const;

    bool m_exists = false;
    bool m_frozen = false;
    bool m_closed = false;
    qint64 m_balance = 0;
    QString m_owner;
    QString m_currency;
    void remember(const QString& transactionId, qint64 effect);

    QHash<QString, Transaction> m_transactions; ///< the last ReversibleTransactions transactions
    QList<QString> m_transactionOrder; ///< their ids, oldest first
};

} // namespace EventScope
