// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "demosummary.h"

#include "eventstore/storeresult.h"

#include <QtGlobal>

namespace EventScope {

class EventStore;

/**
 * Fills an event store with a believable demo history: users (`user-<uuid>`) and ledger accounts
 * (`account-<number>`) whose events interleave in $all the way a running system's would.
 *
 * Users: UserCreated (older ones at schema version 1 with {name, email}, newer ones at version 2 with
 * {firstName, lastName, email}), UserRenamed {firstName, lastName}, UserEmailChanged {email, previousEmail},
 * UserDeactivated {reason}, UserReactivated {reason}.
 *
 * Accounts: AccountOpened {owner (a user stream id), currency}, MoneyDeposited and MoneyWithdrawn
 * {transactionId, amount, balanceAfter}, TransactionReversed {transactionId, amount, reason, balanceAfter},
 * BalanceCorrected {from, to}, AccountFrozen and AccountUnfrozen {reason}. Amounts and balances are integer
 * cents. Replaying an account gives the balanceAfter of each of its events, and the balance is never
 * negative: withdrawals never overdraw, a deposit is only reversed while it is covered, and a frozen
 * account moves no money. Every event has metadata {correlationId, causationId, actor, role,
 * source: "demo-seed"} and, for corrective events, a reason.
 *
 * The history (streams, event ids, payloads, metadata, order) is a function of the options alone: the same
 * options give the same store contents except for the recorded timestamps. The history has exactly
 * `targetEvents` events; a small target leaves some of the requested users and accounts uncreated. Seeding
 * again with the same options writes nothing (appends are idempotent by event id), other seeds write other
 * streams beside the existing ones.
 */
class DemoSeeder {
public:
    struct Options {
        int users = 120;
        int accounts = 80;
        int targetEvents = 3000;
        quint32 seed = 42;
    };

    /**
     * Appends the demo history to \a store, stream by stream with optimistic concurrency (NoStream for a
     * stream's first append, Exact afterwards). Fails with InvalidArgument for options out of range, and
     * with the store's error when an append fails — for example WrongExpectedVersion when the store holds
     * streams of the same seed written with other options; what was appended before the failure stays.
     */
    static StoreResult<DemoSummary> seed(EventStore& store, const Options& options);
};

} // namespace EventScope
