// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/aggregateroot.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * A user of the sample domain (stream `user-<id>`): created with a first name, last name and e-mail
 * address, renamed, given a new address, deactivated with a reason and reactivated.
 *
 * Decisions return an empty string when they raised their event, else why they refuse, for people.
 * Events: UserCreated v2 {firstName, lastName, email} (v1 was {name, email}), UserRenamed {firstName,
 * lastName}, UserEmailChanged {email, previousEmail}, UserDeactivated {reason}, UserReactivated {}.
 */
class UserAggregate final : public AggregateRoot {
    Q_DECLARE_TR_FUNCTIONS(UserAggregate)
public:
    static constexpr int UserCreatedVersion = 2;

    using AggregateRoot::AggregateRoot;

    QString aggregateType() const override { return QStringLiteral("User"); }

    QString create(const QString& firstName, const QString& lastName, const QString& email);
    QString rename(const QString& firstName, const QString& lastName);
    QString changeEmail(const QString& email);
    QString deactivate(const QString& reason);
    QString reactivate();

    bool exists() const { return m_exists; }
    bool active() const { return m_active; }
    const QString& firstName() const { return m_firstName; }
    const QString& lastName() const { return m_lastName; }
    const QString& email() const { return m_email; }

    /// True for something shaped like local@domain.tld, without spaces.
    static bool isValidEmail(const QString& email);

    QJsonObject snapshotState() const override;

protected:
    void apply(const DomainEvent& event) override;
    bool restoreState(const QJsonObject& state) override;

private:
    QString requireActive() const;

    bool m_exists = false;
    bool m_active = false;
    QString m_firstName;
    QString m_lastName;
    QString m_email;
    QString m_deactivationReason;
};

} // namespace EventScope
