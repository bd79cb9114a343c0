// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/domainmodule.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * The Account sample domain, a small ledger: AccountAggregate on streams `account-<id>`, commands
 * OpenAccount, Deposit, Withdraw, FreezeAccount, UnfreezeAccount, CloseAccount and the corrective
 * ReverseTransaction and CorrectBalance (a reason is required; support staff may issue them).
 * Command::aggregateId is the account id; amounts are cents.
 *
 * Read models: AccountBalanceProjection ("account_balances") and AccountStatementProjection
 * ("account_statements"). Queries read them, so they see a command's effect once the projection has caught up:
 * - GetAccount {"id"} → {id, owner, currency, balance, status ("open", "frozen", "closed"), transactions, openedAt,
 *   updatedAt (ISO 8601 UTC), version, position}; an unknown id is InvalidParameters saying there is no such account.
 * - ListAccounts {"limit" (1…500, default 50), "after" (the previous page's nextAfter), "owner", "status"}, all
 *   optional → {accounts: [as GetAccount, by id], nextAfter: the id to pass as "after" next, or null}.
 * - GetStatement {"id", "limit" (1…1000, default 100), "afterVersion" (the previous page's nextAfterVersion)} →
 *   {id, lines: [{version, position, recordedAt, kind, amount (signed), balanceAfter, transactionId, reason}] oldest
 *   first, nextAfterVersion or null}.
 */
class AccountModule final : public DomainModule {
    Q_DECLARE_TR_FUNCTIONS(AccountModule)
public:
    static constexpr auto StreamPrefix = "account-";

    QString name() const override { return QStringLiteral("account"); }
    DomainResult<Done> registerEvents(EventTypeRegistry& registry) override;
    DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider& repositories) override;
    DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider& repositories) override;
    Repository::Factory aggregateFactory(const QString& streamId) const override;
    QList<std::shared_ptr<Projection>> projections() const override;
    QHash<QString, QString> readModelQueries() const override;
};

} // namespace EventScope
