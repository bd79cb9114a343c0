// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/domainmodule.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace EventScope {

/**
 * The User sample domain: UserAggregate on streams `user-<id>`, commands CreateUser, RenameUser,
 * ChangeEmail, DeactivateUser and ReactivateUser (Command::aggregateId is the user id), query GetUser
 * ({"id": …}). UserCreated is at schema version 2; the v1 → v2 upcaster splits `name` at its last space.
 */
class UserModule final : public DomainModule {
    Q_DECLARE_TR_FUNCTIONS(UserModule)
public:
    static constexpr auto StreamPrefix = "user-";

    QString name() const override { return QStringLiteral("user"); }
    DomainResult<Done> registerEvents(EventTypeRegistry& registry) override;
    DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider& repositories) override;
    DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider& repositories) override;

    /// UserCreated v1 {name, email} → v2 {firstName, lastName, email}.
    static QJsonObject upcastUserCreatedV1(const QJsonObject& payload);
};

} // namespace EventScope
