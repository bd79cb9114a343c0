// SPDX-License-Identifier: Apache-2.0
#include "demoseeder.h"

#include "eventstore/eventstore.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <array>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DemoSeeder", text);
}

const std::array FirstNames { u"Ada", u"Bruno", u"Chiara", u"Dmitri", u"Elena", u"Farid", u"Greta", u"Hiro", u"Ines",
    u"Jonas", u"Kemal", u"Lena", u"Marco", u"Nadia", u"Oskar", u"Priya", u"Quentin", u"Rosa", u"Samir", u"Tove", u"Ugo",
    u"Vera", u"Wen", u"Ximena", u"Yusuf", u"Zofia" };
const std::array LastNames { u"Andersen", u"Bianchi", u"Castro", u"Dubois", u"Eriksson", u"Fischer", u"García",
    u"Hoffmann", u"Ivanova", u"Jansen", u"Kowalski", u"Lindqvist", u"Moreau", u"Nakamura", u"Okafor", u"Petrov",
    u"Rossi", u"Schmidt", u"Tanaka", u"Novak", u"Weber", u"Yilmaz" };
const std::array MailDomains { u"example.com", u"example.org", u"example.net" };
const std::array Currencies { u"EUR", u"EUR", u"EUR", u"USD", u"USD", u"GBP", u"CHF" };

const std::array FreezeReasons { u"Card reported stolen by the customer", u"Chargeback under investigation",
    u"Identity documents expired", u"Unusual withdrawal pattern flagged by monitoring" };
const std::array UnfreezeReasons { u"Customer identity re-verified", u"Investigation closed: no fraud found",
    u"New identity documents received" };
const std::array ReversalReasons { u"Duplicate card payment", u"Payment sent to the wrong account", u"Merchant refund",
    u"Disputed by the customer and upheld" };
const std::array CorrectionReasons { u"Fee charged twice by the nightly batch", u"Interest rounding error",
    u"Balance mismatch after the ledger migration" };
const std::array DeactivationReasons { u"Customer asked to close the profile", u"Duplicate registration",
    u"No sign-in for 24 months" };
const std::array ReactivationReasons { u"Customer returned and asked to reopen", u"Closed by mistake" };

const std::array SupportStaff { u"support:alice.martin", u"support:bilal.khan", u"support:chen.li" };
const std::array Admins { u"admin:dana.ross", u"admin:erik.sund" };

struct Actor {
    QString name;
    QString role;
};

struct UserState {
    QString streamId;
    QString firstName;
    QString lastName;
    QString email;
    bool active = true;
    StreamVersion version = NoStreamVersion;
};

struct Transaction {
    QString id;
    qint64 amount = 0;
    bool deposit = true;
};

struct AccountState {
    QString streamId;
    QString owner;
    QString currency;
    qint64 balance = 0;
    bool frozen = false;
    StreamVersion version = NoStreamVersion;
    /// Recent transactions that may still be reversed (bounded).
    QList<Transaction> reversible;
};

constexpr int MaxReversible = 8;

/// One seeding run: the generator state and what has been written so far.
class SeedRun {
public:
    SeedRun(EventStore& store, const DemoSeeder::Options& options)
        : m_store(store)
        , m_options(options)
        , m_rng(options.seed)
    {
    }

    StoreResult<DemoSummary> run()
    {
        while (generated() < m_options.targetEvents) {
            const int room = int(std::min<qint64>(m_options.targetEvents - generated(), 1000));
            const double progress = double(generated()) / m_options.targetEvents;
            // Creations are spread over the first 60% of the history, so that early events are mostly
            // sign-ups and later ones mostly activity, as in a system that has been running for a while.
            const int usersDue = std::min(m_options.users, 1 + int(m_options.users * progress / 0.6));
            const int accountsDue = std::min(m_options.accounts, 1 + int(m_options.accounts * progress / 0.6));

            // Whichever kind of stream is further behind its schedule is created next, so that users and
            // accounts appear interleaved even when the target is too small to create them all.
            const double userLag = m_users.size() < usersDue ? double(usersDue - m_users.size()) / m_options.users : -1;
            const double accountLag = !m_users.isEmpty() && m_accounts.size() < accountsDue
                ? double(accountsDue - m_accounts.size()) / m_options.accounts
                : -1;

            std::optional<StoreError> error;
            if (userLag >= 0 && userLag >= accountLag)
                error = createUser(room);
            else if (accountLag >= 0)
                error = openAccount(room);
            else if (!m_accounts.isEmpty() && chance(0.78))
                error = accountActivity(room);
            else
                error = userActivity(room);
            if (error)
                return *error;
        }
        m_summary.userStreams = int(m_users.size());
        m_summary.accountStreams = int(m_accounts.size());
        m_summary.streams = m_summary.userStreams + m_summary.accountStreams;
        return m_summary;
    }

private:
    qint64 generated() const { return m_summary.events + m_summary.alreadyPresent; }
    bool chance(double probability) { return m_rng.generateDouble() < probability; }
    int between(int low, int high) { return m_rng.bounded(low, high + 1); } // inclusive
    qint64 between64(qint64 low, qint64 high) { return m_rng.bounded(low, high + 1); }
    template <typename List>
    QString pick(const List& list)
    {
        return QStringView(list[m_rng.bounded(int(list.size()))]).toString();
    }

    /// A version 4 UUID drawn from the seeded generator, so that event ids repeat with the seed.
    QUuid uuid()
    {
        const quint32 a = m_rng.generate();
        const quint32 b = m_rng.generate();
        const quint32 c = m_rng.generate();
        const quint32 d = m_rng.generate();
        return QUuid(a, ushort(b >> 16), ushort((b & 0x0fff) | 0x4000), uchar(((c >> 24) & 0x3f) | 0x80),
            uchar(c >> 16), uchar(c >> 8), uchar(c), uchar(d >> 24), uchar(d >> 16), uchar(d >> 8), uchar(d));
    }

    QString uuidText() { return uuid().toString(QUuid::WithoutBraces); }

    /// Several events appended together share one command (causation) and one correlation.
    struct Batch {
        QList<EventData> events;
        QString correlationId;
        QString causationId;
        Actor actor;
        int room = 0;

        bool full() const { return events.size() >= room; }
    };

    Batch newBatch(Actor actor, int room)
    {
        Batch batch;
        batch.correlationId = uuidText();
        batch.causationId = uuidText();
        batch.actor = std::move(actor);
        batch.room = room;
        return batch;
    }

    void add(Batch& batch, const QString& type, QJsonObject payload, const QString& reason = {}, int schema = 1)
    {
        QJsonObject metadata { { QStringLiteral("correlationId"), batch.correlationId },
            { QStringLiteral("causationId"), batch.causationId }, { QStringLiteral("actor"), batch.actor.name },
            { QStringLiteral("role"), batch.actor.role }, { QStringLiteral("source"), QStringLiteral("demo-seed") } };
        if (!reason.isEmpty())
            metadata.insert(QStringLiteral("reason"), reason);
        batch.events.append(EventData { uuid(), type, schema, std::move(payload), std::move(metadata) });
    }

    std::optional<StoreError> write(const QString& streamId, StreamVersion* version, const Batch& batch)
    {
        const ExpectedVersion expected
            = *version == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(*version);
        const auto result = m_store.append(streamId, expected, batch.events);
        if (!result)
            return result.error();
        *version = result->nextExpectedVersion;
        (result->alreadyApplied ? m_summary.alreadyPresent : m_summary.events) += batch.events.size();
        ++m_summary.appends;
        return std::nullopt;
    }

    Actor customer(const UserState& user) { return { user.streamId, QStringLiteral("customer") }; }
    Actor service(const QString& name) { return { QStringLiteral("service:") + name, QStringLiteral("service") }; }
    Actor support() { return { pick(SupportStaff), QStringLiteral("support") }; }
    Actor admin() { return { pick(Admins), QStringLiteral("admin") }; }

    QString emailFor(const QString& first, const QString& last)
    {
        return first.toLower() + u'.' + last.toLower() + QString::number(between(1, 99)) + u'@' + pick(MailDomains);
    }

    std::optional<StoreError> createUser(int room)
    {
        UserState user;
        user.streamId = QStringLiteral("user-") + uuidText();
        user.firstName = pick(FirstNames);
        user.lastName = pick(LastNames);
        user.email = emailFor(user.firstName, user.lastName);

        Batch batch = newBatch(service(QStringLiteral("onboarding")), room);
        // The first 40% of users signed up before UserCreated gained separate name fields.
        if (m_users.size() < m_options.users * 2 / 5) {
            add(batch, QStringLiteral("UserCreated"),
                { { QStringLiteral("name"), QString(user.firstName + u' ' + user.lastName) },
                    { QStringLiteral("email"), user.email } },
                {}, 1);
        } else {
            add(batch, QStringLiteral("UserCreated"),
                { { QStringLiteral("firstName"), user.firstName }, { QStringLiteral("lastName"), user.lastName },
                    { QStringLiteral("email"), user.email } },
                {}, 2);
        }
        if (auto error = write(user.streamId, &user.version, batch))
            return error;
        m_users.append(std::move(user));
        return std::nullopt;
    }

    QString newAccountId()
    {
        QString id;
        do {
            id = QStringLiteral("account-") + QString::number(between(10000000, 99999999));
        } while (m_accountIds.contains(id));
        m_accountIds.insert(id);
        return id;
    }

    std::optional<StoreError> openAccount(int room)
    {
        AccountState account;
        account.streamId = newAccountId();
        account.owner = m_users[m_rng.bounded(int(m_users.size()))].streamId;
        account.currency = pick(Currencies);

        Batch batch = newBatch(service(QStringLiteral("accounts")), room);
        add(batch, QStringLiteral("AccountOpened"),
            { { QStringLiteral("owner"), account.owner }, { QStringLiteral("currency"), account.currency } });
        if (!batch.full() && chance(0.85))
            deposit(batch, account, between64(1000, 250000));
        if (auto error = write(account.streamId, &account.version, batch))
            return error;
        m_accounts.append(std::move(account));
        return std::nullopt;
    }

    void remember(AccountState& account, const QString& id, qint64 amount, bool deposit)
    {
        account.reversible.append({ id, amount, deposit });
        if (account.reversible.size() > MaxReversible)
            account.reversible.removeFirst();
    }

    void deposit(Batch& batch, AccountState& account, qint64 amount)
    {
        const QString id = uuidText();
        account.balance += amount;
        add(batch, QStringLiteral("MoneyDeposited"),
            { { QStringLiteral("transactionId"), id }, { QStringLiteral("amount"), amount },
                { QStringLiteral("balanceAfter"), account.balance } });
        remember(account, id, amount, true);
    }

    void withdraw(Batch& batch, AccountState& account, qint64 amount)
    {
        Q_ASSERT(amount > 0 && amount <= account.balance);
        const QString id = uuidText();
        account.balance -= amount;
        add(batch, QStringLiteral("MoneyWithdrawn"),
            { { QStringLiteral("transactionId"), id }, { QStringLiteral("amount"), amount },
                { QStringLiteral("balanceAfter"), account.balance } });
        remember(account, id, amount, false);
    }

    /// Busy accounts are few and quiet ones many: the index is skewed towards the first accounts.
    int pickAccountIndex()
    {
        const double r = m_rng.generateDouble();
        return std::min(int(m_accounts.size()) - 1, int(r * r * m_accounts.size()));
    }

    std::optional<StoreError> accountActivity(int room)
    {
        int index = pickAccountIndex();
        // Frozen accounts stay frozen for a while: usually look for another one.
        for (int attempt = 0; attempt < 3 && m_accounts[index].frozen && !chance(0.3); ++attempt)
            index = pickAccountIndex();
        AccountState& account = m_accounts[index];

        if (account.frozen) {
            Batch batch = newBatch(support(), room);
            const QString reason = pick(UnfreezeReasons);
            add(batch, QStringLiteral("AccountUnfrozen"), { { QStringLiteral("reason"), reason } }, reason);
            account.frozen = false;
            return write(account.streamId, &account.version, batch);
        }

        const double roll = m_rng.generateDouble();
        if (roll < 0.03) {
            Batch batch = newBatch(support(), room);
            const QString reason = pick(FreezeReasons);
            add(batch, QStringLiteral("AccountFrozen"), { { QStringLiteral("reason"), reason } }, reason);
            account.frozen = true;
            return write(account.streamId, &account.version, batch);
        }
        if (roll < 0.08) {
            if (auto reversal = reversibleIndex(account); reversal >= 0) {
                Batch batch = newBatch(support(), room);
                reverse(batch, account, reversal);
                return write(account.streamId, &account.version, batch);
            }
        } else if (roll < 0.10) {
            Batch batch = newBatch(admin(), room);
            const qint64 from = account.balance;
            qint64 to = from + between64(-2500, 2500);
            if (to < 0 || to == from)
                to = from + between64(1, 2500);
            const QString reason = pick(CorrectionReasons);
            add(batch, QStringLiteral("BalanceCorrected"),
                { { QStringLiteral("from"), from }, { QStringLiteral("to"), to } }, reason);
            account.balance = to;
            return write(account.streamId, &account.version, batch);
        }

        // Ordinary traffic: a few payments settled together by the payments gateway.
        Batch batch = newBatch(service(QStringLiteral("payments-gateway")), room);
        const int count = between(1, 5);
        for (int i = 0; i < count && !batch.full(); ++i) {
            const bool salary = chance(0.08);
            if (salary)
                deposit(batch, account, between64(150000, 450000));
            else if (account.balance >= 500 && chance(0.6))
                withdraw(batch, account, between64(300, std::max<qint64>(300, account.balance * 2 / 5)));
            else
                deposit(batch, account, between64(500, 40000));
        }
        return write(account.streamId, &account.version, batch);
    }

    /// A transaction of \a account that may be reversed now (a deposit only while the balance covers it).
    int reversibleIndex(AccountState& account)
    {
        QList<int> candidates;
        for (int i = 0; i < account.reversible.size(); ++i) {
            const Transaction& t = account.reversible[i];
            if (!t.deposit || t.amount <= account.balance)
                candidates.append(i);
        }
        return candidates.isEmpty() ? -1 : candidates[m_rng.bounded(int(candidates.size()))];
    }

    void reverse(Batch& batch, AccountState& account, int index)
    {
        const Transaction t = account.reversible.takeAt(index);
        account.balance += t.deposit ? -t.amount : t.amount;
        const QString reason = pick(ReversalReasons);
        add(batch, QStringLiteral("TransactionReversed"),
            { { QStringLiteral("transactionId"), t.id }, { QStringLiteral("amount"), t.amount },
                { QStringLiteral("reason"), reason }, { QStringLiteral("balanceAfter"), account.balance } },
            reason);
    }

    std::optional<StoreError> userActivity(int room)
    {
        UserState& user = m_users[m_rng.bounded(int(m_users.size()))];
        if (!user.active) {
            Batch batch = newBatch(support(), room);
            const QString reason = pick(ReactivationReasons);
            add(batch, QStringLiteral("UserReactivated"), { { QStringLiteral("reason"), reason } }, reason);
            user.active = true;
            return write(user.streamId, &user.version, batch);
        }

        const double roll = m_rng.generateDouble();
        if (roll < 0.08) {
            Batch batch = newBatch(support(), room);
            const QString reason = pick(DeactivationReasons);
            add(batch, QStringLiteral("UserDeactivated"), { { QStringLiteral("reason"), reason } }, reason);
            user.active = false;
            return write(user.streamId, &user.version, batch);
        }

        Batch batch = newBatch(customer(user), room);
        const bool rename = roll < 0.50;
        const bool changeEmail = roll >= 0.38; // 0.38–0.50: both in one command (a new surname, a new address)
        if (rename) {
            user.lastName = pick(LastNames);
            if (chance(0.2))
                user.firstName = pick(FirstNames);
            add(batch, QStringLiteral("UserRenamed"),
                { { QStringLiteral("firstName"), user.firstName }, { QStringLiteral("lastName"), user.lastName } });
        }
        if (changeEmail && !batch.full()) {
            const QString previous = user.email;
            user.email = emailFor(user.firstName, user.lastName);
            add(batch, QStringLiteral("UserEmailChanged"),
                { { QStringLiteral("email"), user.email }, { QStringLiteral("previousEmail"), previous } });
        }
        return write(user.streamId, &user.version, batch);
    }

    EventStore& m_store;
    const DemoSeeder::Options m_options;
    QRandomGenerator m_rng;
    QList<UserState> m_users;
    QList<AccountState> m_accounts;
    QSet<QString> m_accountIds;
    DemoSummary m_summary;
};

} // namespace

StoreResult<DemoSummary> DemoSeeder::seed(EventStore& store, const Options& options)
{
    if (options.users < 1 || options.accounts < 0 || options.targetEvents < 1)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("Demo seeding needs at least one user and one event, and no negative number of accounts (got %1 "
               "users, %2 accounts, %3 events).")
                .arg(options.users)
                .arg(options.accounts)
                .arg(options.targetEvents));
    SeedRun run(store, options);
    return run.run();
}

} // namespace EventScope
