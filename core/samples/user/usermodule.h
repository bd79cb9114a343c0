// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/domainmodule.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace EventScope {

/**
 * The User sample domain: UserAggregate on streams `user-<id>`, commands CreateUser, RenameUser,
 * ChangeEmail, DeactivateUser and ReactivateUser (Command::aggregateId is the user id). UserCreated is at schema
 * version 2; the v1 → v2 upcaster splits `name` at its last space.
 *
 * Read model: UserListProjection ("users"). Queries read it, so they see a command's effect once the projection
 * has caught up (ProjectionManager::waitForCheckpoint):
 * - GetUser {"id"} → {id, firstName, lastName, email, active, deactivationReason, createdAt, updatedAt (ISO 8601
 *   UTC), version, position}; an unknown id is InvalidParameters saying there is no such user.
 * - ListUsers {"limit" (1…500, default 50), "after" (the previous page's nextAfter), "email" (the whole address,
 *   any case: an indexed look-up), "emailContains" (a part of the address, any case), "active" (true/false)}, all
 *   optional → {users: [as GetUser, by id], nextAfter: the id to pass as "after" for the next page, or null}.
 */
class UserModule final : public DomainModule {
    Q_DECLARE_TR_FUNCTIONS(UserModule)
public:
    static constexpr auto StreamPrefix = "user-";

    QString name() const override { return QStringLiteral("user"); }
    DomainResult<Done> registerEvents(EventTypeRegistry& registry) override;
    DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider& repositories) override;
    DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider& repositories) override;
    Repository::Factory aggregateFactory(const QString& streamId) const override;
    QList<std::shared_ptr<Projection>> projections() const override;
    QHash<QString, QString> readModelQueries() const override;

    /// UserCreated v1 {name, email} → v2 {firstName, lastName, email}.
    static QJsonObject upcastUserCreatedV1(const QJsonObject& payload);
};

} // namespace EventScope
