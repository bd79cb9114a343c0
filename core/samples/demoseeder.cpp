// SPDX-License-Identifier: Apache-2.0
#include "demoseeder.h"

#include "account/accountmodule.h"
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "user/usermodule.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace EventScope {

namespace {

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
struct Actor {
    QString name;
    Role role = Role::Developer;
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
/// Snapshot every this many events of one aggregate (the standard configuration).
constexpr int SnapshotFrequency = 10;

QString suffix(const QString& streamId)
{
    return streamId.mid(streamId.indexOf(u'-') + 1);
}

/// How busy the demo system is in the hour starting at \a hour (UTC): office hours on weekdays, quiet nights.
double activityAt(const QDateTime& hour)
{
    const int h = hour.time().hour();
    if (hour.date().dayOfWeek() >= Qt::Saturday)
        return h >= 9 && h < 20 ? 2.5 : 0.3;
    if (h >= 8 && h < 18)
        return 10;
    return (h >= 6 && h < 8) || (h >= 18 && h < 22) ? 3 : 0.4;
}

/**
 * Recorded times for a history of \a count events that spans the \a days before \a now: non-decreasing, the
 * first at now - days, the last at now. The gaps are exponential (Poisson traffic), drawn from \a seed, and
 * stretched by activityAt(): an hour of weight 10 takes 25 times the events of a quiet night hour.
 */
QList<QDateTime> historyTimes(qsizetype count, int days, const QDateTime& now, quint32 seed)
{
    QList<QDateTime> times;
    if (count <= 0)
        return times;
    const QDateTime start = now.addDays(-days);
    const int hours = days * 24;
    // cumulative[h]: the activity of the hours before hour h.
    std::vector<double> cumulative(size_t(hours) + 1, 0.0);
    for (int h = 0; h < hours; ++h)
        cumulative[size_t(h) + 1] = cumulative[size_t(h)] + activityAt(start.addSecs(qint64(h) * 3600));

    // The gaps between events, as a share of the history's activity: event 0 at 0, the last at 1.
    QRandomGenerator rng(seed ^ 0x5eed71u);
    std::vector<double> share(size_t(count), 0.0);
    for (size_t i = 1; i < share.size(); ++i)
        share[i] = share[i - 1] - std::log(1.0 - rng.generateDouble());
    const double total = share.back();

    const qint64 startMs = start.toMSecsSinceEpoch();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    times.reserve(count);
    for (const double s : share) {
        const double target = (total > 0 ? s / total : 1.0) * cumulative.back();
        // The hour in which the activity reaches target, then the moment within it.
        const auto next = std::upper_bound(cumulative.begin(), cumulative.end(), target);
        const qsizetype hour = std::clamp<qsizetype>(next - cumulative.begin() - 1, 0, hours - 1);
        const double within = std::clamp(
            (target - cumulative[size_t(hour)]) / (cumulative[size_t(hour) + 1] - cumulative[size_t(hour)]), 0.0, 1.0);
        const qint64 ms = startMs + qint64((double(hour) + within) * 3600000.0);
        times.append(QDateTime::fromMSecsSinceEpoch(std::min(ms, nowMs), Qt::UTC));
    }
    return times;
}

/**
 * One seeding run: the generator state and what has been written so far. Every change but the legacy
 * (version 1) UserCreated events is a command dispatched through the Engine; each of those commands writes
 * exactly one event, so the seeder knows each stream's version without asking the store.
 */
class SeedRun {
public:
    SeedRun(Engine& engine, const DemoSeeder::Options& options)
        : m_engine(engine)
        , m_store(*engine.store())
        , m_options(options)
        , m_rng(options.seed)
    {
    }

    StoreResult<DemoSummary> run()
    {
        while (generated() < m_options.targetEvents) {
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
                error = createUser();
            else if (accountLag >= 0)
                error = openAccount();
            else if (!m_accounts.isEmpty() && chance(0.78))
                error = accountActivity();
            else
                error = userActivity();
            if (error)
                return *error;
        }
        if (auto error = redate())
            return *error;
        m_summary.userStreams = int(m_users.size());
        m_summary.accountStreams = int(m_accounts.size());
        m_summary.streams = m_summary.userStreams + m_summary.accountStreams;
        return m_summary;
    }

private:
    /// An event this run wrote: where, and its place in the history.
    struct Written {
        QString streamId;
        StreamVersion version = NoStreamVersion;
        qsizetype index = 0;
    };

    /// Spreads what this run wrote over the history's days (DemoSeeder::Options::historyDays).
    std::optional<StoreError> redate()
    {
        if (m_options.historyDays == 0 || m_written.isEmpty())
            return std::nullopt;
        const QList<QDateTime> times = historyTimes(
            m_options.targetEvents, m_options.historyDays, QDateTime::currentDateTimeUtc(), m_options.seed);
        QList<SqlEventStore::EventTime> changes;
        changes.reserve(m_written.size());
        for (const Written& written : std::as_const(m_written))
            changes.append({ written.streamId, written.version, times.at(written.index) });
        const auto result = m_store.redateEvents(changes);
        if (!result)
            return StoreError(result.error().code(),
                DemoSeeder::tr("The demo events were written, but could not be spread over the last %n day(s): %1",
                    nullptr, m_options.historyDays)
                    .arg(result.error().message()));
        return std::nullopt;
    }

    qint64 generated() const { return m_summary.events + m_summary.alreadyPresent; }
    int room() const { return int(m_options.targetEvents - generated()); }
    bool chance(double probability) { return m_rng.generateDouble() < probability; }
    int between(int low, int high) { return m_rng.bounded(low, high + 1); } // inclusive
    qint64 between64(qint64 low, qint64 high) { return m_rng.bounded(low, high + 1); }
    template <typename List>
    QString pick(const List& list)
    {
        return QStringView(list[m_rng.bounded(int(list.size()))]).toString();
    }

    /// A version 4 UUID drawn from the seeded generator, so that ids repeat with the seed.
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

    /**
     * Whether the event this run is about to write at \a version of \a streamId is in the store already,
     * from an earlier run with the same options (recognised by its correlation id, which comes from the
     * seeded generator). Fails with WrongExpectedVersion when the stream holds another event there.
     */
    StoreResult<bool> present(const QString& streamId, StreamVersion version, const QString& correlationId)
    {
        const auto found = m_store.readStream(streamId, version, 1);
        if (!found)
            return found.error();
        if (found->isEmpty())
            return false;
        if (found->constFirst().metadataObject().value(QStringLiteral("correlationId")).toString() == correlationId)
            return true;
        return StoreError(StoreError::Code::WrongExpectedVersion,
            DemoSeeder::tr(
                "The stream %1 already holds another event at version %2: it was written by another program or by "
                "a demo seeding with other options. Seed into a new store, or use another seed.")
                .arg(streamId)
                .arg(version));
    }

    /**
     * Dispatches one command for the stream at \a *version (unless the store holds its event already) and
     * moves \a *version on. Every command of the demo writes exactly one event; a refusal is a bug in the
     * seeder's bookkeeping and is reported as such.
     */
    std::optional<StoreError> dispatch(const QString& type, const QString& streamId, StreamVersion* version,
        QJsonObject fields, const Actor& actor, const QString& reason = {})
    {
        Command command;
        command.id = uuid();
        command.type = type;
        command.aggregateId = suffix(streamId);
        command.fields = std::move(fields);
        CommandContext context;
        context.actor = actor.name;
        context.role = actor.role;
        context.reason = reason;
        context.correlationId = uuidText();

        const auto there = present(streamId, *version + 1, context.correlationId);
        if (!there)
            return there.error();
        if (*there) {
            ++*version;
            ++m_summary.alreadyPresent;
            return std::nullopt;
        }
        const DispatchResult result = m_engine.dispatch(command, context);
        if (!result.ok())
            return StoreError(StoreError::Code::QueryFailed,
                DemoSeeder::tr("The demo command %1 on %2 was refused: %3")
                    .arg(type, streamId, result.error->message()));
        if (result.events.size() != 1 || result.newVersion != *version + 1)
            return StoreError(StoreError::Code::QueryFailed,
                DemoSeeder::tr(
                    "The demo command %1 on %2 wrote %3 events up to version %4 where one event at version %5 was "
                    "expected.")
                    .arg(type, streamId)
                    .arg(result.events.size())
                    .arg(result.newVersion)
                    .arg(*version + 1));
        *version = result.newVersion;
        m_written.append({ streamId, *version, qsizetype(generated()) });
        ++m_summary.events;
        ++m_summary.appends;
        return std::nullopt;
    }

    Actor service(const QString& name) { return { QStringLiteral("service:") + name, Role::Developer }; }
    Actor support() { return { pick(SupportStaff), Role::Support }; }

    QString emailFor(const QString& first, const QString& last)
    {
        return first.toLower() + u'.' + last.toLower() + QString::number(between(1, 99)) + u'@' + pick(MailDomains);
    }

    std::optional<StoreError> createUser()
    {
        UserState user;
        user.streamId = QLatin1String(UserModule::StreamPrefix) + uuidText();
        user.firstName = pick(FirstNames);
        user.lastName = pick(LastNames);
        user.email = emailFor(user.firstName, user.lastName);

        // The first 40% of users signed up before UserCreated gained separate name fields: their events are
        // written as the old system wrote them, schema version 1, straight to the store. The registry
        // upcasts them to version 2 when they are read.
        if (m_users.size() < m_options.users * 2 / 5) {
            QJsonObject metadata { { QStringLiteral("correlationId"), uuidText() },
                { QStringLiteral("causationId"), uuidText() },
                { QStringLiteral("actor"), QStringLiteral("service:onboarding") },
                { QStringLiteral("role"), roleName(Role::Developer) },
                { QStringLiteral("appVersion"), QStringLiteral("legacy-1.x") } };
            const EventData event { uuid(), QStringLiteral("UserCreated"), 1,
                { { QStringLiteral("name"), QString(user.firstName + u' ' + user.lastName) },
                    { QStringLiteral("email"), user.email } },
                std::move(metadata) };
            const auto result = m_store.append(user.streamId, ExpectedVersion::noStream(), { event });
            if (!result)
                return result.error();
            user.version = result->nextExpectedVersion;
            if (!result->alreadyApplied)
                m_written.append({ user.streamId, user.version, qsizetype(generated()) });
            ++(result->alreadyApplied ? m_summary.alreadyPresent : m_summary.events);
            ++m_summary.appends;
        } else if (auto error = dispatch(QStringLiteral("CreateUser"), user.streamId, &user.version,
                       { { QStringLiteral("firstName"), user.firstName }, { QStringLiteral("lastName"), user.lastName },
                           { QStringLiteral("email"), user.email } },
                       service(QStringLiteral("onboarding")))) {
            return error;
        }
        m_users.append(std::move(user));
        return std::nullopt;
    }

    QString newAccountId()
    {
        QString id;
        do {
            id = QLatin1String(AccountModule::StreamPrefix) + QString::number(between(10000000, 99999999));
        } while (m_accountIds.contains(id));
        m_accountIds.insert(id);
        return id;
    }

    std::optional<StoreError> openAccount()
    {
        AccountState account;
        account.streamId = newAccountId();
        account.owner = m_users[m_rng.bounded(int(m_users.size()))].streamId;
        account.currency = pick(Currencies);

        if (auto error = dispatch(QStringLiteral("OpenAccount"), account.streamId, &account.version,
                { { QStringLiteral("owner"), account.owner }, { QStringLiteral("currency"), account.currency } },
                service(QStringLiteral("accounts"))))
            return error;
        const bool firstDeposit = chance(0.85);
        const qint64 amount = between64(1000, 250000);
        m_accounts.append(std::move(account));
        if (firstDeposit && room() > 0)
            return deposit(m_accounts.last(), amount, service(QStringLiteral("accounts")));
        return std::nullopt;
    }

    void remember(AccountState& account, const QString& id, qint64 amount, bool deposit)
    {
        account.reversible.append({ id, amount, deposit });
        if (account.reversible.size() > MaxReversible)
            account.reversible.removeFirst();
    }

    std::optional<StoreError> deposit(AccountState& account, qint64 amount, const Actor& actor)
    {
        const QString id = QStringLiteral("tx-") + uuidText();
        if (auto error = dispatch(QStringLiteral("Deposit"), account.streamId, &account.version,
                { { QStringLiteral("amount"), amount }, { QStringLiteral("transactionId"), id } }, actor))
            return error;
        account.balance += amount;
        remember(account, id, amount, true);
        return std::nullopt;
    }

    std::optional<StoreError> withdraw(AccountState& account, qint64 amount, const Actor& actor)
    {
        Q_ASSERT(amount > 0 && amount <= account.balance);
        const QString id = QStringLiteral("tx-") + uuidText();
        if (auto error = dispatch(QStringLiteral("Withdraw"), account.streamId, &account.version,
                { { QStringLiteral("amount"), amount }, { QStringLiteral("transactionId"), id } }, actor))
            return error;
        account.balance -= amount;
        remember(account, id, amount, false);
        return std::nullopt;
    }

    /// Busy accounts are few and quiet ones many: the index is skewed towards the first accounts.
    int pickAccountIndex()
    {
        const double r = m_rng.generateDouble();
        return std::min(int(m_accounts.size()) - 1, int(r * r * m_accounts.size()));
    }

    std::optional<StoreError> accountActivity()
    {
        int index = pickAccountIndex();
        // Frozen accounts stay frozen for a while: usually look for another one.
        for (int attempt = 0; attempt < 3 && m_accounts[index].frozen && !chance(0.3); ++attempt)
            index = pickAccountIndex();
        AccountState& account = m_accounts[index];

        if (account.frozen) {
            const Actor actor = support();
            const QString reason = pick(UnfreezeReasons);
            if (auto error
                = dispatch(QStringLiteral("UnfreezeAccount"), account.streamId, &account.version, {}, actor, reason))
                return error;
            account.frozen = false;
            return std::nullopt;
        }

        const double roll = m_rng.generateDouble();
        if (roll < 0.03) {
            const Actor actor = support();
            const QString reason = pick(FreezeReasons);
            if (auto error
                = dispatch(QStringLiteral("FreezeAccount"), account.streamId, &account.version, {}, actor, reason))
                return error;
            account.frozen = true;
            return std::nullopt;
        }
        if (roll < 0.08) {
            if (auto reversal = reversibleIndex(account); reversal >= 0)
                return reverse(account, reversal);
        } else if (roll < 0.10) {
            const Actor actor = support();
            const qint64 from = account.balance;
            qint64 to = from + between64(-2500, 2500);
            if (to < 0 || to == from)
                to = from + between64(1, 2500);
            const QString reason = pick(CorrectionReasons);
            if (auto error = dispatch(QStringLiteral("CorrectBalance"), account.streamId, &account.version,
                    { { QStringLiteral("newBalance"), to } }, actor, reason))
                return error;
            account.balance = to;
            return std::nullopt;
        }

        // Ordinary traffic: a few payments settled together by the payments gateway, under one correlation
        // per payment (each is its own command).
        const Actor gateway = service(QStringLiteral("payments-gateway"));
        const int count = between(1, 5);
        for (int i = 0; i < count && room() > 0; ++i) {
            std::optional<StoreError> error;
            const bool salary = chance(0.08);
            if (salary)
                error = deposit(account, between64(150000, 450000), gateway);
            else if (account.balance >= 500 && chance(0.6))
                error = withdraw(account, between64(300, std::max<qint64>(300, account.balance * 2 / 5)), gateway);
            else
                error = deposit(account, between64(500, 40000), gateway);
            if (error)
                return error;
        }
        return std::nullopt;
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

    std::optional<StoreError> reverse(AccountState& account, int index)
    {
        const Transaction t = account.reversible.takeAt(index);
        const Actor actor = support();
        const QString reason = pick(ReversalReasons);
        if (auto error = dispatch(QStringLiteral("ReverseTransaction"), account.streamId, &account.version,
                { { QStringLiteral("transactionId"), t.id } }, actor, reason))
            return error;
        account.balance += t.deposit ? -t.amount : t.amount;
        return std::nullopt;
    }

    std::optional<StoreError> userActivity()
    {
        UserState& user = m_users[m_rng.bounded(int(m_users.size()))];
        if (!user.active) {
            const Actor actor = support();
            const QString reason = pick(ReactivationReasons);
            if (auto error
                = dispatch(QStringLiteral("ReactivateUser"), user.streamId, &user.version, {}, actor, reason))
                return error;
            user.active = true;
            return std::nullopt;
        }

        const double roll = m_rng.generateDouble();
        if (roll < 0.08) {
            const Actor actor = support();
            const QString reason = pick(DeactivationReasons);
            if (auto error = dispatch(QStringLiteral("DeactivateUser"), user.streamId, &user.version,
                    { { QStringLiteral("reason"), reason } }, actor, reason))
                return error;
            user.active = false;
            return std::nullopt;
        }

        // The profile service applies what customers change in their profile.
        const Actor profile = service(QStringLiteral("profile"));
        const bool rename = roll < 0.50;
        const bool changeEmail = roll >= 0.38; // 0.38–0.50: both (a new surname, a new address)
        if (rename) {
            const QString first = user.firstName;
            const QString last = user.lastName;
            do {
                user.lastName = pick(LastNames);
                if (chance(0.2))
                    user.firstName = pick(FirstNames);
            } while (user.firstName == first && user.lastName == last);
            if (auto error = dispatch(QStringLiteral("RenameUser"), user.streamId, &user.version,
                    { { QStringLiteral("firstName"), user.firstName }, { QStringLiteral("lastName"), user.lastName } },
                    profile))
                return error;
        }
        if (changeEmail && room() > 0) {
            const QString previous = user.email;
            do
                user.email = emailFor(user.firstName, user.lastName);
            while (user.email == previous);
            if (auto error = dispatch(QStringLiteral("ChangeEmail"), user.streamId, &user.version,
                    { { QStringLiteral("email"), user.email } }, profile))
                return error;
        }
        return std::nullopt;
    }

    Engine& m_engine;
    SqlEventStore& m_store;
    const DemoSeeder::Options m_options;
    QRandomGenerator m_rng;
    QList<UserState> m_users;
    QList<AccountState> m_accounts;
    QSet<QString> m_accountIds;
    DemoSummary m_summary;
    QList<Written> m_written;
};

} // namespace

StoreResult<DemoSummary> DemoSeeder::seed(SqlEventStore& store, const Options& options)
{
    if (options.historyDays < 0 || options.historyDays > MaxHistoryDays)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("A demo history spans 0 to %1 days (0 keeps the times of the appends), not %2.")
                .arg(MaxHistoryDays)
                .arg(options.historyDays));
    if (options.users < 1 || options.accounts < 0 || options.targetEvents < 1)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("Demo seeding needs at least one user and one event, and no negative number of accounts (got %1 "
               "users, %2 accounts, %3 events).")
                .arg(options.users)
                .arg(options.accounts)
                .arg(options.targetEvents));
    AppConfig config;
    config.snapshots.enabled = true;
    config.snapshots.frequency = SnapshotFrequency;
    Engine::Options engineOptions;
    // The store belongs to the caller: the Engine gets a shared pointer that does not own it.
    engineOptions.store = std::shared_ptr<SqlEventStore>(std::shared_ptr<SqlEventStore>(), &store);
    auto engine = Engine::create(config, std::move(engineOptions));
    if (!engine) {
        if (engine.error().storeError())
            return *engine.error().storeError();
        return StoreError(StoreError::Code::Unsupported,
            tr("The demo domains could not be registered: %1").arg(engine.error().message()));
    }
    SeedRun run(*engine.value(), options);
    return run.run();
}

} // namespace EventScope
