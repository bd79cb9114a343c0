// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <eventscope/domain/aggregateroot.h>

#include <QString>

namespace Library {

/**
 * A book of the library (stream `book-<id>`): added to the catalogue with a title, then lent to someone.
 *
 * Decisions (add(), lend()) check the rules and raise an event; they return an empty string when they did,
 * else why they refuse, for people. State only changes in apply(), from events: the ones just raised and,
 * when the book is loaded again, the stored ones.
 *
 * Events: BookAdded {title}, BookLent {borrower}.
 */
class Book final : public EventScope::AggregateRoot {
public:
    using AggregateRoot::AggregateRoot;

    QString aggregateType() const override { return QStringLiteral("Book"); }

    QString add(const QString& title);
    QString lend(const QString& borrower);

    QJsonObject snapshotState() const override;

protected:
    void apply(const EventScope::DomainEvent& event) override;
    bool restoreState(const QJsonObject& state) override;

private:
    bool m_exists = false;
    QString m_title;
    QString m_borrower;
};

} // namespace Library
