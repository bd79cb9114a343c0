// SPDX-License-Identifier: Apache-2.0
#include "aggregatecommandhandler.h"

#include "eventstore/eventdata.h"
#include "eventstore/streamid.h"

namespace EventScope {

namespace {

CommandError fromDomainError(const DomainError& error)
{
    if (error.storeError())
        return CommandError::fromStoreError(*error.storeError());
    return CommandError::handlerFailed(error.message());
}

QJsonObject merged(QJsonObject base, const QJsonObject& extra)
{
    for (auto it = extra.begin(); it != extra.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

} // namespace

AggregateCommandHandler::AggregateCommandHandler(
    std::shared_ptr<Repository> repository, QString streamPrefix, Decision decide)
    : m_repository(std::move(repository))
    , m_streamPrefix(std::move(streamPrefix))
    , m_decide(std::move(decide))
{
}

DispatchResult AggregateCommandHandler::operator()(const Command& command, const CommandContext& context) const
{
    if (command.aggregateId.trimmed().isEmpty())
        return DispatchResult::failure(CommandError::validation({ { QStringLiteral("aggregateId"),
            tr("Give the id of the %1 to change.").arg(m_streamPrefix.chopped(1)) } }));
    const QString streamId = m_streamPrefix + command.aggregateId;
    if (const QString problem = StreamId::validate(streamId); !problem.isEmpty())
        return DispatchResult::failure(CommandError::validation({ { QStringLiteral("aggregateId"), problem } }));

    auto loaded = m_repository->load(streamId);
    if (!loaded)
        return DispatchResult::failure(fromDomainError(loaded.error()));
    AggregateRoot& aggregate = *loaded->aggregate;
    // The issuer decided on this version: refuse when the stream moved. save() then appends with
    // ExpectedVersion::exact() of it, so a writer slipping in after this check conflicts in the store.
    if (context.expectedVersion && *context.expectedVersion != aggregate.version()) {
        return DispatchResult::failure(CommandError::conflict(
            tr("%1 is at version %2, not at version %3 as expected: it changed meanwhile. Look at the new events and "
               "decide again.")
                .arg(streamId)
                .arg(aggregate.version())
                .arg(*context.expectedVersion),
            aggregate.version()));
    }

    const QString refusal = m_decide(aggregate, command, context);
    if (!refusal.isEmpty())
        return DispatchResult::failure(CommandError::domainRuleViolated(refusal));

    const QJsonObject metadata = context.eventMetadata();
    QList<EventData> events;
    events.reserve(aggregate.uncommittedEvents().size());
    for (const DomainEvent& event : aggregate.uncommittedEvents())
        events.append(EventData {
            event.eventId, event.type, event.schemaVersion, event.payload, merged(event.metadata, metadata) });

    if (context.dryRun || events.isEmpty())
        return DispatchResult::success(streamId, aggregate.version(), events, aggregate.snapshotState());

    const auto saved = m_repository->save(aggregate, metadata);
    if (!saved)
        return DispatchResult::failure(CommandError::fromStoreError(saved.error()));
    return DispatchResult::success(streamId, saved->nextExpectedVersion, events, aggregate.snapshotState());
}

} // namespace EventScope
