// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/domainmodule.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * The Account sample domain, a small ledger: AccountAggregate on streams `account-<id>`, commands
 * OpenAccount, Deposit, Withdraw, FreezeAccount, UnfreezeAccount, CloseAccount and the corrective
 * ReverseTransaction and CorrectBalance (a reason is required; support staff may issue them), query
 * GetAccountBalance ({"id": …}). Command::aggregateId is the account id; amounts are cents.
 */
class AccountModule final : public DomainModule {
    Q_DECLARE_TR_FUNCTIONS(AccountModule)
public:
    static constexpr auto StreamPrefix = "account-";

    QString name() const override { return QStringLiteral("account"); }
    DomainResult<Done> registerEvents(EventTypeRegistry& registry) override;
    DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider& repositories) override;
    DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider& repositories) override;
};

} // namespace EventScope
