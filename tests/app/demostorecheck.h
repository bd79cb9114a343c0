// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/eventstore.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cstdlib>
#include <limits>

/**
 * Replays the streams a DemoSeeder wrote and reports every rule they break: contiguous versions, the
 * creating event first, schema versions of UserCreated, balances that match balanceAfter and never go
 * negative, no money moving on a frozen account, reversals of known transactions only, and the audit
 * metadata on every event (corrective events by support staff with role support and a reason, all others by
 * a service with role developer). Shared by the seeder's and the CLI's tests.
 */
class DemoStoreCheck {
public:
    struct Result {
        QStringList problems;
        int userStreams = 0;
        int accountStreams = 0;
        qint64 events = 0;
        qint64 lowestBalance = 0;
        /// Events of the corrective kinds (all checked to carry a reason and role support).
        qint64 correctiveEvents = 0;
        QHash<QString, qint64> finalBalances;
    };

    static Result check(EventScope::EventStore& store)
    {
        Result result;
        result.lowestBalance = std::numeric_limits<qint64>::max();
        QString after;
        do {
            const auto page = store.listStreams({}, after, 200);
            if (!page) {
                result.problems << QStringLiteral("listStreams failed: ") + page.error().message();
                return result;
            }
            for (const EventScope::StreamInfo& info : page->streams) {
                const auto events = readStream(store, info.streamId, &result);
                result.events += events.size();
                if (info.category == QStringLiteral("user")) {
                    ++result.userStreams;
                    checkUser(info.streamId, events, &result);
                } else if (info.category == QStringLiteral("account")) {
                    ++result.accountStreams;
                    checkAccount(info.streamId, events, &result);
                } else {
                    result.problems << QStringLiteral("unexpected stream %1").arg(info.streamId);
                }
            }
            after = page->nextAfter;
        } while (!after.isEmpty());
        return result;
    }

private:
    static QList<EventScope::RecordedEvent> readStream(
        EventScope::EventStore& store, const QString& streamId, Result* result)
    {
        QList<EventScope::RecordedEvent> all;
        while (true) {
            const auto page = store.readStream(streamId, all.size(), 500);
            if (!page) {
                result->problems << QStringLiteral("reading %1 failed: %2").arg(streamId, page.error().message());
                return all;
            }
            all += page.value();
            if (page->size() < 500)
                return all;
        }
    }

    static void problem(Result* result, const EventScope::RecordedEvent& event, const QString& text)
    {
        result->problems
            << QStringLiteral("%1@%2 %3: %4").arg(event.streamId).arg(event.streamVersion).arg(event.eventType, text);
    }

    static void checkCommon(const QList<EventScope::RecordedEvent>& events, Result* result)
    {
        static const QSet<QString> corrective { QStringLiteral("UserDeactivated"), QStringLiteral("UserReactivated"),
            QStringLiteral("AccountFrozen"), QStringLiteral("AccountUnfrozen"), QStringLiteral("TransactionReversed"),
            QStringLiteral("BalanceCorrected") };
        for (qsizetype i = 0; i < events.size(); ++i) {
            const EventScope::RecordedEvent& event = events[i];
            if (event.streamVersion != i)
                problem(
                    result, event, QStringLiteral("version %1 where %2 was expected").arg(event.streamVersion).arg(i));
            const QJsonObject meta = event.metadataObject();
            for (const char* key : { "correlationId", "causationId", "actor", "role", "appVersion" }) {
                if (meta.value(QLatin1String(key)).toString().isEmpty())
                    problem(result, event, QStringLiteral("metadata.%1 is missing").arg(QLatin1String(key)));
            }
            const QString role = meta.value(QStringLiteral("role")).toString();
            const QString actor = meta.value(QStringLiteral("actor")).toString();
            if (corrective.contains(event.eventType)) {
                if (meta.value(QStringLiteral("reason")).toString().isEmpty())
                    problem(result, event, QStringLiteral("corrective event without metadata.reason"));
                if (role != QStringLiteral("support") || !actor.startsWith(QStringLiteral("support:")))
                    problem(
                        result, event, QStringLiteral("corrective event by %1 (%2), not by support").arg(actor, role));
                ++result->correctiveEvents;
            } else if (role != QStringLiteral("developer") || !actor.startsWith(QStringLiteral("service:"))) {
                problem(result, event, QStringLiteral("ordinary event by %1 (%2), not by a service").arg(actor, role));
            }
            // Events written by commands name the host; only the legacy UserCreated events were not.
            const bool legacy = event.eventType == QStringLiteral("UserCreated") && event.schemaVersion == 1;
            if (!legacy && meta.value(QStringLiteral("host")).toString().isEmpty())
                problem(result, event, QStringLiteral("metadata.host is missing"));
        }
    }

    static void checkUser(const QString& streamId, const QList<EventScope::RecordedEvent>& events, Result* result)
    {
        checkCommon(events, result);
        if (events.isEmpty() || events.first().eventType != QStringLiteral("UserCreated")) {
            result->problems << streamId + QStringLiteral(" does not start with UserCreated");
            return;
        }
        bool active = true;
        for (const EventScope::RecordedEvent& event : events) {
            const QJsonObject payload = event.payloadObject();
            if (event.eventType == QStringLiteral("UserCreated")) {
                if (event.streamVersion != 0)
                    problem(result, event, QStringLiteral("created twice"));
                const bool v1 = event.schemaVersion == 1 && payload.contains(QStringLiteral("name"));
                const bool v2 = event.schemaVersion == 2 && payload.contains(QStringLiteral("firstName"))
                    && payload.contains(QStringLiteral("lastName"));
                if ((!v1 && !v2) || !payload.value(QStringLiteral("email")).toString().contains(u'@'))
                    problem(result, event, QStringLiteral("payload does not match schema version"));
            } else if (event.eventType == QStringLiteral("UserDeactivated")) {
                if (!active)
                    problem(result, event, QStringLiteral("deactivated twice"));
                active = false;
            } else if (event.eventType == QStringLiteral("UserReactivated")) {
                if (active)
                    problem(result, event, QStringLiteral("reactivated while active"));
                active = true;
            } else if (event.eventType == QStringLiteral("UserRenamed")
                || event.eventType == QStringLiteral("UserEmailChanged")) {
                if (!active)
                    problem(result, event, QStringLiteral("changed while deactivated"));
            } else {
                problem(result, event, QStringLiteral("unexpected event type in a user stream"));
            }
        }
    }

    static void checkAccount(const QString& streamId, const QList<EventScope::RecordedEvent>& events, Result* result)
    {
        checkCommon(events, result);
        if (events.isEmpty() || events.first().eventType != QStringLiteral("AccountOpened")) {
            result->problems << streamId + QStringLiteral(" does not start with AccountOpened");
            return;
        }
        qint64 balance = 0;
        bool frozen = false;
        QHash<QString, qint64> effects; // transactionId → signed effect on the balance, until reversed
        const auto money = [&](const EventScope::RecordedEvent& event, const QJsonObject& payload) {
            if (frozen)
                problem(result, event, QStringLiteral("money moved on a frozen account"));
            if (balance < 0)
                problem(result, event, QStringLiteral("balance went negative (%1)").arg(balance));
            if (payload.value(QStringLiteral("balanceAfter")).toInteger(-1) != balance)
                problem(result, event,
                    QStringLiteral("balanceAfter %1 but the replayed balance is %2")
                        .arg(payload.value(QStringLiteral("balanceAfter")).toInteger(-1))
                        .arg(balance));
            result->lowestBalance = std::min(result->lowestBalance, balance);
        };
        for (const EventScope::RecordedEvent& event : events) {
            const QJsonObject payload = event.payloadObject();
            const qint64 amount = payload.value(QStringLiteral("amount")).toInteger(0);
            const QString transaction = payload.value(QStringLiteral("transactionId")).toString();
            if (event.eventType == QStringLiteral("AccountOpened")) {
                if (event.streamVersion != 0)
                    problem(result, event, QStringLiteral("opened twice"));
                if (!payload.value(QStringLiteral("owner")).toString().startsWith(QStringLiteral("user-"))
                    || payload.value(QStringLiteral("currency")).toString().size() != 3)
                    problem(result, event, QStringLiteral("owner or currency missing"));
            } else if (event.eventType == QStringLiteral("MoneyDeposited")
                || event.eventType == QStringLiteral("MoneyWithdrawn")) {
                if (amount <= 0)
                    problem(result, event, QStringLiteral("amount is not a positive number of cents"));
                const qint64 effect = event.eventType == QStringLiteral("MoneyDeposited") ? amount : -amount;
                balance += effect;
                effects.insert(transaction, effect);
                money(event, payload);
            } else if (event.eventType == QStringLiteral("TransactionReversed")) {
                if (!effects.contains(transaction))
                    problem(result, event, QStringLiteral("reverses an unknown or already reversed transaction"));
                const qint64 effect = effects.take(transaction);
                // The reversal's amount is the change it makes: the opposite of the transaction's.
                if (amount != -effect)
                    problem(result, event, QStringLiteral("reversed amount is not the opposite of the transaction's"));
                if (payload.value(QStringLiteral("reason")).toString().isEmpty())
                    problem(result, event, QStringLiteral("reversal without a reason"));
                balance -= effect;
                money(event, payload);
            } else if (event.eventType == QStringLiteral("BalanceCorrected")) {
                if (payload.value(QStringLiteral("from")).toInteger(-1) != balance)
                    problem(result, event, QStringLiteral("corrected from a balance the account did not have"));
                balance = payload.value(QStringLiteral("to")).toInteger(-1);
                if (balance < 0)
                    problem(result, event, QStringLiteral("corrected to a negative balance"));
                result->lowestBalance = std::min(result->lowestBalance, balance);
            } else if (event.eventType == QStringLiteral("AccountFrozen")) {
                if (frozen)
                    problem(result, event, QStringLiteral("frozen twice"));
                frozen = true;
            } else if (event.eventType == QStringLiteral("AccountUnfrozen")) {
                if (!frozen)
                    problem(result, event, QStringLiteral("unfrozen while not frozen"));
                frozen = false;
            } else {
                problem(result, event, QStringLiteral("unexpected event type in an account stream"));
            }
        }
        result->finalBalances.insert(streamId, balance);
    }
};
