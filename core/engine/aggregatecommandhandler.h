// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/commandbus.h"
#include "domain/repository.h"

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <memory>

namespace EventScope {

/**
 * The usual command handler of an event-sourced aggregate, as a CommandBus::Handler: load the aggregate
 * (stream `<prefix><command.aggregateId>`), let the decision check invariants and raise events, then
 * - on a dry run, return the events it would write, the version they would give and the resulting state,
 *   without touching the store;
 * - else save them with the expected version the aggregate was loaded at, each event carrying
 *   CommandContext::eventMetadata(). A concurrent writer surfaces as CommandError::Conflict, so that
 *   RetryOnConflictMiddleware calls the handler again, which reloads and decides anew;
 * - when CommandContext::expectedVersion is set (dry run or not), refuse with CommandError::Conflict (carrying
 *   the stream's actual version) unless the loaded aggregate is at exactly that version.
 *
 * The result's aggregateId is the stream id; its state is the aggregate's snapshotState().
 * Thread-safe: every call works on its own aggregate instance.
 */
class AggregateCommandHandler {
    Q_DECLARE_TR_FUNCTIONS(AggregateCommandHandler)
public:
    /// Checks invariants and raises events; returns empty when it decided, else why it refuses (for people).
    using Decision = std::function<QString(AggregateRoot&, const Command&, const CommandContext&)>;

    AggregateCommandHandler(std::shared_ptr<Repository> repository, QString streamPrefix, Decision decide);

    DispatchResult operator()(const Command& command, const CommandContext& context) const;

    /// A Decision on aggregates of type \a A (the repository's factory must make them).
    template <typename A>
    static Decision on(std::function<QString(A&, const Command&, const CommandContext&)> decide)
    {
        return [decide = std::move(decide)](AggregateRoot& aggregate, const Command& command,
                   const CommandContext& context) { return decide(static_cast<A&>(aggregate), command, context); };
    }

private:
    std::shared_ptr<Repository> m_repository;
    QString m_streamPrefix;
    Decision m_decide;
};

} // namespace EventScope
