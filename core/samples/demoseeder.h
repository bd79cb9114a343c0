// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "demosummary.h"

#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QtGlobal>

namespace EventScope {

class SqlEventStore;

/**
 * Fills an event store with a believable demo history: users (`user-<uuid>`) and ledger accounts
 * (`account-<number>`) whose events interleave in $all the way a running system's would.
 *
 * The history is made through the sample domains: every event but the legacy UserCreated ones is written
 * by a command dispatched through an Engine over the store (validation, authorization, audit metadata,
 * snapshots every 10 events of an aggregate). Services (`service:onboarding`, `service:accounts`,
 * `service:payments-gateway`, `service:profile`) act with role developer; support staff
 * (`support:alice.martin` …) with role support and a reason freeze and unfreeze accounts, reverse
 * transactions, correct balances and deactivate or reactivate users. The older 40% of users were created
 * before UserCreated had separate name fields: their UserCreated events are appended directly, at schema
 * version 1, and read as version 2 through the registry's upcaster.
 *
 * Users: UserCreated (older ones at schema version 1 with {name, email}, newer ones at version 2 with
 * {firstName, lastName, email}), UserRenamed {firstName, lastName}, UserEmailChanged {email, previousEmail},
 * UserDeactivated {reason}, UserReactivated {reason}.
 *
 * Accounts: AccountOpened {owner (a user stream id), currency}, MoneyDeposited and MoneyWithdrawn
 * {transactionId, amount, balanceAfter}, TransactionReversed {transactionId, amount (the signed change it makes),
 * reason, balanceAfter}, BalanceCorrected {from, to, reason}, AccountFrozen and AccountUnfrozen {}. Amounts and
 * balances are integer cents. Replaying an account gives the balanceAfter of each of its events, and the balance is
 * never negative: withdrawals never overdraw, a deposit is only reversed while it is covered, and a frozen account
 * moves no money. Every event has metadata {correlationId, causationId, actor, role, appVersion} (commands add host)
 * and, for corrective events, a reason.
 *
 * The history (streams, payloads, transaction ids, actors, reasons, correlation and causation ids, order) is
 * a function of the options alone. The event ids of events written by commands are not: the domain
 * layer draws them at random, so two seedings with the same options differ in those ids, the recorded
 * timestamps and the host/appVersion metadata. The history has exactly `targetEvents` events (each command
 * writes one); a small target leaves some of the requested users and accounts uncreated. Seeding again
 * with the same options writes nothing: each event already there is recognised by its stream version and
 * correlation id. Other seeds write other streams beside the existing ones.
 *
 * Time: with `historyDays` > 0 the history spans the last that many days. After writing, the seeder redates what
 * it wrote (SqlEventStore::redateEvents()): recorded times rise with the events' order, from `historyDays` days
 * before the end of the seeding to its end, busier in (UTC) working hours than at night and at weekends, with gaps
 * drawn from the seed. So the times are a function of the options and the moment seeding ends, never in the future,
 * and never decrease along $all within one seeding. With 0 the events keep the times of their appends (seconds).
 * Snapshots keep the time they were taken.
 */
class DemoSeeder {
    Q_DECLARE_TR_FUNCTIONS(DemoSeeder)

public:
    struct Options {
        int users = 120;
        int accounts = 80;
        int targetEvents = 3000;
        quint32 seed = 42;
        /// The history spans this many days up to now; 0 leaves the times of the appends.
        int historyDays = 90;
    };

    /// The longest history span seed() accepts, in days (about 30 years).
    static constexpr int MaxHistoryDays = 11000;

    /**
     * Writes the demo history to \a store (which must stay open until this returns; the Engine built over
     * it does not own it). Fails with InvalidArgument for options out of range, with the store's error
     * when reading or appending fails, with WrongExpectedVersion when a stream holds another event where
     * this history has one (the same seed written with other options), and with QueryFailed when a domain
     * refuses a demo command (a bug of the seeder). What was written before the failure stays (with the
     * times of its appends when redating it fails).
     */
    static StoreResult<DemoSummary> seed(SqlEventStore& store, const Options& options);
};

} // namespace EventScope
