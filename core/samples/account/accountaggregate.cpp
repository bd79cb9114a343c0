// SPDX-License-Identifier: Apache-2.0
#include "accountaggregate.h"

#include <QJsonArray>
#include <QUuid>

namespace EventScope {

namespace {
const QString Amount = QStringLiteral("amount");
const QString BalanceAfter = QStringLiteral("balanceAfter");
const QString TransactionId = QStringLiteral("transactionId");
const QString Reason = QStringLiteral("reason");

QString newTransactionId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString cents(qint64 amount)
{
    return QStringLiteral("%1%2.%3")
        .arg(amount < 0 ? QStringLiteral("-") : QString())
        .arg(qAbs(amount) / 100)
        .arg(qAbs(amount) % 100, 2, 10, QLatin1Char('0'));
}
} // namespace

QString AccountAggregate::requireOpen() const
{
    if (!m_exists)
        return tr("The account %1 does not exist. Open it first.").arg(id());
    if (m_closed)
        return tr("The account %1 is closed; it takes no more changes.").arg(id());
    return {};
}

QString AccountAggregate::requireMovable() const
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    if (m_frozen)
        return tr("The account %1 is frozen. Unfreeze it before moving money.").arg(id());
    return {};
}

QString AccountAggregate::open(const QString& owner, const QString& currency)
{
    if (m_exists)
        return tr("The account %1 exists already. Choose another id.").arg(id());
    if (owner.trimmed().isEmpty())
        return tr("An account needs an owner.");
    if (currency.size() != 3)
        return tr("\"%1\" is not a currency code. Give a three-letter code such as EUR.").arg(currency);
    raise(QStringLiteral("AccountOpened"),
        { { QStringLiteral("owner"), owner.trimmed() }, { QStringLiteral("currency"), currency } });
    return {};
}

QString AccountAggregate::deposit(qint64 amount, QString transactionId)
{
    if (auto refusal = requireMovable(); !refusal.isEmpty())
        return refusal;
    if (amount <= 0)
        return tr("A deposit must be more than 0.00.");
    if (transactionId.isEmpty())
        transactionId = newTransactionId();
    else if (m_transactions.contains(transactionId))
        return tr("The transaction %1 is booked already.").arg(transactionId);
    raise(QStringLiteral("MoneyDeposited"),
        { { Amount, amount }, { BalanceAfter, m_balance + amount }, { TransactionId, transactionId } });
    return {};
}

QString AccountAggregate::withdraw(qint64 amount, QString transactionId)
{
    if (auto refusal = requireMovable(); !refusal.isEmpty())
        return refusal;
    if (amount <= 0)
        return tr("A withdrawal must be more than 0.00.");
    if (amount > m_balance)
        return tr("Withdrawing %1 would overdraw the account %2 (balance %3). Withdraw at most the balance.")
            .arg(cents(amount), id(), cents(m_balance));
    if (transactionId.isEmpty())
        transactionId = newTransactionId();
    else if (m_transactions.contains(transactionId))
        return tr("The transaction %1 is booked already.").arg(transactionId);
    raise(QStringLiteral("MoneyWithdrawn"),
        { { Amount, amount }, { BalanceAfter, m_balance - amount }, { TransactionId, transactionId } });
    return {};
}

QString AccountAggregate::freeze()
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    if (m_frozen)
        return tr("The account %1 is frozen already.").arg(id());
    raise(QStringLiteral("AccountFrozen"), {});
    return {};
}

QString AccountAggregate::unfreeze()
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    if (!m_frozen)
        return tr("The account %1 is not frozen.").arg(id());
    raise(QStringLiteral("AccountUnfrozen"), {});
    return {};
}

QString AccountAggregate::close()
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    if (m_balance != 0)
        return tr("The account %1 still holds %2. Withdraw it before closing.").arg(id(), cents(m_balance));
    raise(QStringLiteral("AccountClosed"), {});
    return {};
}

QString AccountAggregate::reverseTransaction(const QString& transactionId, const QString& reason)
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    const auto it = m_transactions.constFind(transactionId);
    if (it == m_transactions.cend())
        return tr("The account %1 has no transaction %2 among its last %3. Check the id; older transactions are "
                  "corrected with CorrectBalance.")
            .arg(id(), transactionId)
            .arg(ReversibleTransactions);
    if (it->reversed)
        return tr("The transaction %1 is reversed already.").arg(transactionId);
    const qint64 amount = -it->effect;
    if (m_balance + amount < 0)
        return tr("Reversing %1 would make the balance of %2 negative. Correct the balance instead.")
            .arg(transactionId, id());
    raise(QStringLiteral("TransactionReversed"),
        { { TransactionId, transactionId }, { Amount, amount }, { BalanceAfter, m_balance + amount },
            { Reason, reason } });
    return {};
}

QString AccountAggregate::correctBalance(qint64 newBalance, const QString& reason)
{
    if (auto refusal = requireOpen(); !refusal.isEmpty())
        return refusal;
    if (newBalance < 0)
        return tr("A balance cannot be negative.");
    if (newBalance == m_balance)
        return tr("The balance of %1 is %2 already.").arg(id(), cents(m_balance));
    raise(QStringLiteral("BalanceCorrected"),
        { { QStringLiteral("from"), m_balance }, { QStringLiteral("to"), newBalance }, { Reason, reason } });
    return {};
}

void AccountAggregate::apply(const DomainEvent& event)
{
    const QJsonObject& p = event.payload;
    const auto integer = [&p](const QString& key) { return qint64(p.value(key).toDouble()); };
    if (event.type == QLatin1String("AccountOpened")) {
        m_exists = true;
        m_owner = p.value(QLatin1String("owner")).toString();
        m_currency = p.value(QLatin1String("currency")).toString();
    } else if (event.type == QLatin1String("MoneyDeposited")) {
        m_balance = integer(BalanceAfter);
        remember(p.value(TransactionId).toString(), integer(Amount));
    } else if (event.type == QLatin1String("MoneyWithdrawn")) {
        m_balance = integer(BalanceAfter);
        remember(p.value(TransactionId).toString(), -integer(Amount));
    } else if (event.type == QLatin1String("TransactionReversed")) {
        m_balance = integer(BalanceAfter);
        if (auto it = m_transactions.find(p.value(TransactionId).toString()); it != m_transactions.end())
            it->reversed = true;
    } else if (event.type == QLatin1String("BalanceCorrected")) {
        m_balance = integer(QStringLiteral("to"));
    } else if (event.type == QLatin1String("AccountFrozen")) {
        m_frozen = true;
    } else if (event.type == QLatin1String("AccountUnfrozen")) {
        m_frozen = false;
    } else if (event.type == QLatin1String("AccountClosed")) {
        m_closed = true;
    }
}

void AccountAggregate::remember(const QString& transactionId, qint64 effect)
{
    m_transactions.insert(transactionId, { effect, false });
    m_transactionOrder.append(transactionId);
    if (m_transactionOrder.size() > ReversibleTransactions)
        m_transactions.remove(m_transactionOrder.takeFirst());
}

QJsonObject AccountAggregate::snapshotState() const
{
    QJsonArray transactions;
    for (const QString& transactionId : m_transactionOrder) {
        const Transaction& t = m_transactions[transactionId];
        transactions.append(QJsonArray { transactionId, t.effect, t.reversed });
    }
    return { { QStringLiteral("exists"), m_exists }, { QStringLiteral("frozen"), m_frozen },
        { QStringLiteral("closed"), m_closed }, { QStringLiteral("balance"), m_balance },
        { QStringLiteral("owner"), m_owner }, { QStringLiteral("currency"), m_currency },
        { QStringLiteral("transactions"), transactions } };
}

bool AccountAggregate::restoreState(const QJsonObject& state)
{
    if (!state.value(QStringLiteral("exists")).isBool() || !state.value(QStringLiteral("balance")).isDouble()
        || !state.value(QStringLiteral("transactions")).isArray())
        return false;
    m_exists = state.value(QStringLiteral("exists")).toBool();
    m_frozen = state.value(QStringLiteral("frozen")).toBool();
    m_closed = state.value(QStringLiteral("closed")).toBool();
    m_balance = qint64(state.value(QStringLiteral("balance")).toDouble());
    m_owner = state.value(QStringLiteral("owner")).toString();
    m_currency = state.value(QStringLiteral("currency")).toString();
    m_transactions.clear();
    m_transactionOrder.clear();
    const QJsonArray transactions = state.value(QStringLiteral("transactions")).toArray();
    for (const QJsonValue& value : transactions) {
        const QJsonArray entry = value.toArray();
        if (entry.size() != 3 || !entry.at(0).isString())
            return false;
        remember(entry.at(0).toString(), qint64(entry.at(1).toDouble()));
        m_transactions[entry.at(0).toString()].reversed = entry.at(2).toBool();
    }
    return true;
}

} // namespace EventScope
