// SPDX-License-Identifier: Apache-2.0
#include "accountmodule.h"

#include "accountaggregate.h"
#include "cqrs/querybus.h"
#include "engine/aggregatecommandhandler.h"
#include "engine/repositoryprovider.h"

namespace EventScope {

namespace {

FieldDescriptor field(const QString& name, FieldDescriptor::Type type, bool required, const QString& help)
{
    FieldDescriptor descriptor;
    descriptor.name = name;
    descriptor.type = type;
    descriptor.required = required;
    descriptor.help = help;
    return descriptor;
}

DomainResult<Done> registered(bool ok, const QString& type)
{
    if (ok)
        return Done {};
    return DomainError(DomainError::Code::InvalidRegistration,
        QCoreApplication::translate("AccountModule", "The command or query %1 has a handler already.").arg(type));
}

std::shared_ptr<Repository> accountRepository(RepositoryProvider& repositories)
{
    return repositories.repository(
        QStringLiteral("Account"), [](const QString& id) { return std::make_unique<AccountAggregate>(id); });
}

} // namespace

DomainResult<Done> AccountModule::registerEvents(EventTypeRegistry& registry)
{
    for (const char* type : { "AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "TransactionReversed",
             "BalanceCorrected", "AccountFrozen", "AccountUnfrozen", "AccountClosed" }) {
        if (auto result = registry.registerType(QLatin1String(type), 1); !result)
            return result;
    }
    return Done {};
}

DomainResult<Done> AccountModule::registerCommands(CommandBus& commands, RepositoryProvider& repositories)
{
    using Type = FieldDescriptor::Type;
    using Handler = AggregateCommandHandler;
    const auto repository = accountRepository(repositories);
    const QString prefix = QLatin1String(StreamPrefix);

    auto owner = field(QStringLiteral("owner"), Type::String, true, tr("Who owns the account."));
    owner.minimum = 1;
    owner.maximum = 200;
    auto currency = field(QStringLiteral("currency"), Type::Enum, true, tr("Currency of the account."));
    currency.allowedValues
        = { QStringLiteral("EUR"), QStringLiteral("USD"), QStringLiteral("GBP"), QStringLiteral("CHF") };
    auto amount = field(QStringLiteral("amount"), Type::Decimal, true, tr("Amount, more than 0.00."));
    amount.minimum = 1;
    const auto transactionId = field(
        QStringLiteral("transactionId"), Type::String, false, tr("Id of the transaction; a new one when left empty."));
    const auto reversedId
        = field(QStringLiteral("transactionId"), Type::String, true, tr("Id of the deposit or withdrawal to undo."));
    auto newBalance
        = field(QStringLiteral("newBalance"), Type::Decimal, true, tr("The balance the account should have."));
    newBalance.minimum = 0;

    const auto add = [&](CommandDescriptor descriptor, Handler::Decision decide) {
        const QString type = descriptor.type;
        return registered(
            commands.registerCommand(std::move(descriptor), Handler(repository, prefix, std::move(decide))), type);
    };
    const auto cents
        = [](const Command& c, const char* name) { return c.fields.value(QLatin1String(name)).toInteger(); };
    const auto text = [](const Command& c, const char* name) { return c.fields.value(QLatin1String(name)).toString(); };

    auto result = add({ QStringLiteral("OpenAccount"), tr("Opens an account for an owner in a currency."), false,
                          Role::Developer, { owner, currency } },
        Handler::on<AccountAggregate>([text](AccountAggregate& account, const Command& c, const CommandContext&) {
            return account.open(text(c, "owner"), text(c, "currency"));
        }));
    if (result)
        result = add({ QStringLiteral("Deposit"), tr("Pays money into an open, unfrozen account."), false,
                         Role::Developer, { amount, transactionId } },
            Handler::on<AccountAggregate>(
                [text, cents](AccountAggregate& account, const Command& c, const CommandContext&) {
                    return account.deposit(cents(c, "amount"), text(c, "transactionId"));
                }));
    if (result)
        result = add({ QStringLiteral("Withdraw"), tr("Takes money out of an open, unfrozen account; no overdraft."),
                         false, Role::Developer, { amount, transactionId } },
            Handler::on<AccountAggregate>(
                [text, cents](AccountAggregate& account, const Command& c, const CommandContext&) {
                    return account.withdraw(cents(c, "amount"), text(c, "transactionId"));
                }));
    if (result)
        result = add(
            { QStringLiteral("FreezeAccount"), tr("Stops all deposits and withdrawals."), false, Role::Support, {} },
            Handler::on<AccountAggregate>(
                [](AccountAggregate& account, const Command&, const CommandContext&) { return account.freeze(); }));
    if (result)
        result = add({ QStringLiteral("UnfreezeAccount"), tr("Allows deposits and withdrawals again."), false,
                         Role::Support, {} },
            Handler::on<AccountAggregate>(
                [](AccountAggregate& account, const Command&, const CommandContext&) { return account.unfreeze(); }));
    if (result)
        result = add({ QStringLiteral("CloseAccount"), tr("Closes an account whose balance is 0.00."), false,
                         Role::Developer, {} },
            Handler::on<AccountAggregate>(
                [](AccountAggregate& account, const Command&, const CommandContext&) { return account.close(); }));
    if (result)
        result = add({ QStringLiteral("ReverseTransaction"),
                         tr("Corrective: undoes a deposit or withdrawal. Say why in the reason."), true, Role::Support,
                         { reversedId } },
            Handler::on<AccountAggregate>(
                [text](AccountAggregate& account, const Command& c, const CommandContext& context) {
                    return account.reverseTransaction(text(c, "transactionId"), context.reason);
                }));
    if (result)
        result = add({ QStringLiteral("CorrectBalance"),
                         tr("Corrective: sets the balance to a corrected value. Say why in the reason."), true,
                         Role::Support, { newBalance } },
            Handler::on<AccountAggregate>(
                [cents](AccountAggregate& account, const Command& c, const CommandContext& context) {
                    return account.correctBalance(cents(c, "newBalance"), context.reason);
                }));
    return result;
}

DomainResult<Done> AccountModule::registerQueries(QueryBus& queries, RepositoryProvider& repositories)
{
    const auto repository = accountRepository(repositories);
    const QString type = QStringLiteral("GetAccountBalance");
    return registered(
        queries.registerQuery(type,
            [repository](const Query& query) -> QueryResult {
                const QString id = query.parameters.value(QLatin1String("id")).toString();
                if (id.isEmpty())
                    return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
                        tr("GetAccountBalance needs the account's id: {\"id\": \"…\"}."));
                const auto loaded = repository->load(QLatin1String(StreamPrefix) + id);
                if (!loaded)
                    return QueryResult::failure(QueryResult::ErrorCode::StoreUnavailable, loaded.error().message());
                const auto& account = static_cast<const AccountAggregate&>(*loaded->aggregate);
                if (!account.exists())
                    return QueryResult::failure(
                        QueryResult::ErrorCode::InvalidParameters, tr("There is no account %1. Check the id.").arg(id));
                return QJsonValue(QJsonObject { { QStringLiteral("id"), id },
                    { QStringLiteral("balance"), account.balance() },
                    { QStringLiteral("currency"), account.currency() }, { QStringLiteral("owner"), account.owner() },
                    { QStringLiteral("frozen"), account.frozen() }, { QStringLiteral("closed"), account.closed() },
                    { QStringLiteral("version"), account.version() } });
            }),
        type);
}

} // namespace EventScope
