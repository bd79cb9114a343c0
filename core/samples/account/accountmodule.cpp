// SPDX-License-Identifier: Apache-2.0
#include "accountmodule.h"

#include "accountaggregate.h"
#include "accountbalanceprojection.h"
#include "accountstatementprojection.h"
#include "cqrs/querybus.h"
#include "engine/aggregatecommandhandler.h"
#include "engine/readmodelquery.h"
#include "engine/repositoryprovider.h"
#include "projections/readmodeltable.h"

#include <QJsonArray>
#include <QSqlQuery>

#include <limits>

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

namespace {

const QString AccountColumns = QStringLiteral(
    "account_id, owner, currency, balance, status, transactions, opened_at, updated_at, version, position");

QJsonObject accountRow(const QSqlQuery& row)
{
    return { { QStringLiteral("id"), row.value(0).toString() }, { QStringLiteral("owner"), row.value(1).toString() },
        { QStringLiteral("currency"), row.value(2).toString() },
        { QStringLiteral("balance"), row.value(3).toLongLong() }, { QStringLiteral("status"), row.value(4).toString() },
        { QStringLiteral("transactions"), row.value(5).toLongLong() },
        { QStringLiteral("openedAt"), ReadModelQuery::isoTime(row.value(6).toLongLong()) },
        { QStringLiteral("updatedAt"), ReadModelQuery::isoTime(row.value(7).toLongLong()) },
        { QStringLiteral("version"), row.value(8).toLongLong() },
        { QStringLiteral("position"), row.value(9).toLongLong() } };
}

QJsonValue textOrNull(const QVariant& value)
{
    return value.isNull() ? QJsonValue() : QJsonValue(value.toString());
}

QJsonObject statementRow(const QSqlQuery& row)
{
    return { { QStringLiteral("version"), row.value(0).toLongLong() },
        { QStringLiteral("position"), row.value(1).toLongLong() },
        { QStringLiteral("recordedAt"), ReadModelQuery::isoTime(row.value(2).toLongLong()) },
        { QStringLiteral("kind"), row.value(3).toString() }, { QStringLiteral("amount"), row.value(4).toLongLong() },
        { QStringLiteral("balanceAfter"), row.value(5).toLongLong() },
        { QStringLiteral("transactionId"), textOrNull(row.value(6)) },
        { QStringLiteral("reason"), textOrNull(row.value(7)) } };
}

QueryResult noAccount(const QString& id)
{
    return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
        QCoreApplication::translate("AccountModule",
            "There is no account %1 (not found in the account balances read model). Check the id; an account opened "
            "just now appears once the projection has caught up.")
            .arg(id));
}

} // namespace

DomainResult<Done> AccountModule::registerQueries(QueryBus& queries, RepositoryProvider& repositories)
{
    const std::shared_ptr<SqlEventStore> store = repositories.store();
    const QString balances = ReadModelTable::liveName(QLatin1String(AccountBalanceProjection::Table));
    const QString balancesModel = QLatin1String(AccountBalanceProjection::Name);
    const QString lines = ReadModelTable::liveName(QLatin1String(AccountStatementProjection::Table));
    const QString linesModel = QLatin1String(AccountStatementProjection::Name);
    const QString selectAccounts = QStringLiteral("SELECT ") + AccountColumns + QStringLiteral(" FROM ") + balances;

    const QString getAccount = QStringLiteral("GetAccount");
    auto result = registered(queries.registerQuery(getAccount,
                                 [store, selectAccounts, balancesModel](const Query& query) -> QueryResult {
                                     ReadModelQuery parameters(query, QStringLiteral("{\"id\": \"<account id>\"}."));
                                     const QString id
                                         = parameters.text(QStringLiteral("id"), ReadModelQuery::Presence::Required);
                                     if (auto failure = parameters.failure())
                                         return *failure;
                                     std::optional<QJsonObject> account;
                                     if (auto failure = ReadModelQuery::select(*store, balancesModel,
                                             selectAccounts + QStringLiteral(" WHERE account_id = ?"), { id },
                                             [&account](const QSqlQuery& row) { account = accountRow(row); }))
                                         return *failure;
                                     if (!account)
                                         return noAccount(id);
                                     return QJsonValue(*account);
                                 }),
        getAccount);

    const QString listAccounts = QStringLiteral("ListAccounts");
    if (result)
        result = registered(
            queries.registerQuery(listAccounts,
                [store, selectAccounts, balancesModel](const Query& query) -> QueryResult {
                    ReadModelQuery parameters(query,
                        QStringLiteral("{\"limit\": 1…500 (50), \"after\": \"<nextAfter of the previous page>\", "
                                       "\"owner\": \"<owner, exactly>\", \"status\": \"open\"|\"frozen\"|\"closed\"}, "
                                       "each optional."));
                    const qint64 limit = parameters.integer(QStringLiteral("limit"), 50, 1, 500);
                    const QString after = parameters.text(QStringLiteral("after"));
                    const QString owner = parameters.text(QStringLiteral("owner"));
                    const QString status = parameters.oneOf(QStringLiteral("status"),
                        { QStringLiteral("open"), QStringLiteral("frozen"), QStringLiteral("closed") });
                    if (auto failure = parameters.failure())
                        return *failure;

                    QStringList where;
                    QVariantList binds;
                    if (!owner.isEmpty()) {
                        where.append(QStringLiteral("owner = ?"));
                        binds.append(owner);
                    }
                    if (!status.isEmpty()) {
                        where.append(QStringLiteral("status = ?"));
                        binds.append(status);
                    }
                    if (!after.isEmpty()) {
                        where.append(QStringLiteral("account_id > ?"));
                        binds.append(after);
                    }
                    binds.append(limit + 1);
                    const QString sql = selectAccounts
                        + (where.isEmpty() ? QString()
                                           : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND ")))
                        + QStringLiteral(" ORDER BY account_id LIMIT ?");
                    QJsonArray accounts;
                    if (auto failure = ReadModelQuery::select(*store, balancesModel, sql, binds,
                            [&accounts](const QSqlQuery& row) { accounts.append(accountRow(row)); }))
                        return *failure;
                    QJsonValue nextAfter;
                    if (accounts.size() > limit) {
                        accounts.removeLast();
                        nextAfter = accounts.last().toObject().value(QLatin1String("id"));
                    }
                    return QJsonValue(QJsonObject {
                        { QStringLiteral("accounts"), accounts }, { QStringLiteral("nextAfter"), nextAfter } });
                }),
            listAccounts);

    const QString getStatement = QStringLiteral("GetStatement");
    if (result)
        result = registered(
            queries.registerQuery(getStatement,
                [store, lines, linesModel, selectAccounts, balancesModel](const Query& query) -> QueryResult {
                    ReadModelQuery parameters(query,
                        QStringLiteral("{\"id\": \"<account id>\", \"limit\": 1…1000 (100, optional), "
                                       "\"afterVersion\": <nextAfterVersion of the previous page> (optional)}."));
                    const QString id = parameters.text(QStringLiteral("id"), ReadModelQuery::Presence::Required);
                    const qint64 limit = parameters.integer(QStringLiteral("limit"), 100, 1, 1000);
                    const qint64 afterVersion = parameters.integer(
                        QStringLiteral("afterVersion"), -1, -1, std::numeric_limits<qint32>::max());
                    if (auto failure = parameters.failure())
                        return *failure;

                    QJsonArray statement;
                    if (auto failure = ReadModelQuery::select(*store, linesModel,
                            QStringLiteral("SELECT stream_version, position, recorded_at, kind, amount, balance_after, "
                                           "transaction_id, reason FROM ")
                                + lines
                                + QStringLiteral(" WHERE account_id = ? AND stream_version > ? "
                                                 "ORDER BY stream_version LIMIT ?"),
                            { id, afterVersion, limit + 1 },
                            [&statement](const QSqlQuery& row) { statement.append(statementRow(row)); }))
                        return *failure;
                    if (statement.isEmpty() && afterVersion < 0) {
                        // No lines at all: an account without money events, or no account.
                        bool exists = false;
                        if (auto failure = ReadModelQuery::select(*store, balancesModel,
                                selectAccounts + QStringLiteral(" WHERE account_id = ?"), { id },
                                [&exists](const QSqlQuery&) { exists = true; }))
                            return *failure;
                        if (!exists)
                            return noAccount(id);
                    }
                    QJsonValue nextAfterVersion;
                    if (statement.size() > limit) {
                        statement.removeLast();
                        nextAfterVersion = statement.last().toObject().value(QLatin1String("version"));
                    }
                    return QJsonValue(
                        QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("lines"), statement },
                            { QStringLiteral("nextAfterVersion"), nextAfterVersion } });
                }),
            getStatement);
    return result;
}

QList<std::shared_ptr<Projection>> AccountModule::projections() const
{
    return { std::make_shared<AccountBalanceProjection>(), std::make_shared<AccountStatementProjection>() };
}

QHash<QString, QString> AccountModule::readModelQueries() const
{
    const QString balances = QLatin1String(AccountBalanceProjection::Name);
    return { { QStringLiteral("GetAccount"), balances }, { QStringLiteral("ListAccounts"), balances },
        { QStringLiteral("GetStatement"), QLatin1String(AccountStatementProjection::Name) } };
}

Repository::Factory AccountModule::aggregateFactory(const QString& streamId) const
{
    if (!streamId.startsWith(QLatin1String(StreamPrefix)))
        return {};
    return [](const QString& id) { return std::make_unique<AccountAggregate>(id); };
}

} // namespace EventScope
