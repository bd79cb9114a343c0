// SPDX-License-Identifier: Apache-2.0
// The shipped read models through the Engine, on SQLite and (with EVENTSCOPE_TEST_PG_DSN) PostgreSQL: commands
// dispatched (or a demo history seeded), the engine's projections started and caught up, then the read-model
// queries compared with values computed independently (aggregates loaded through the repository, the store's
// own event counts, the raw streams). Also: legacy v1 UserCreated, e-mail search, keyset paging, statement lines
// after a reversal and a correction, parameter errors, and one malformed event faulting "users" alone.
#include "enginefixture.h"

#include "projections/projectionmanager.h"
#include "samples/account/accountaggregate.h"
#include "samples/demoseeder.h"
#include "samples/user/useraggregate.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

QString iso(const QDateTime& at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

QString messageOf(const QueryResult& result)
{
    return result.error() ? QueryResult::codeName(result.error()->code) + QStringLiteral(": ") + result.error()->message
                          : QStringLiteral("ok");
}

QJsonObject fields(std::initializer_list<std::pair<QString, QJsonValue>> values)
{
    QJsonObject object;
    for (const auto& [key, value] : values)
        object.insert(key, value);
    return object;
}

} // namespace

class TestReadModels : public QObject {
    Q_OBJECT

private:
    EngineFixture m_fixture;

    QueryResult query(const QString& type, const QJsonObject& parameters = {})
    {
        return m_fixture.engine().query({ type, parameters });
    }

    bool dispatch(const QString& type, const QString& id, const QJsonObject& values = {},
        CommandContext context = EngineFixture::developer())
    {
        const auto result = m_fixture.when(type, id, values, std::move(context));
        if (!result.ok())
            qWarning() << type << id << EngineFixture::outcome(result);
        return result.ok();
    }

    bool createUser(const QString& id, const QString& first, const QString& last, const QString& email)
    {
        return dispatch(QStringLiteral("CreateUser"), id,
            fields({ { QStringLiteral("firstName"), first }, { QStringLiteral("lastName"), last },
                { QStringLiteral("email"), email } }));
    }

    std::unique_ptr<AggregateRoot> load(const QString& aggregateType, const QString& streamId)
    {
        const auto repository = m_fixture.engine().repositories().repository(
            aggregateType, [aggregateType](const QString& id) -> std::unique_ptr<AggregateRoot> {
                if (aggregateType == QLatin1String("User"))
                    return std::make_unique<UserAggregate>(id);
                return std::make_unique<AccountAggregate>(id);
            });
        auto loaded = repository->load(streamId);
        if (!loaded)
            return nullptr;
        return std::move(loaded.value().aggregate);
    }

    QStringList streamIds(const QString& pattern)
    {
        QStringList ids;
        QString after;
        do {
            const auto page = m_fixture.store().listStreams({ pattern }, after, 100);
            if (!page)
                return {};
            for (const StreamInfo& info : page->streams)
                ids.append(info.streamId);
            after = page->nextAfter;
        } while (!after.isEmpty());
        return ids;
    }

    /// Every page of a keyset query, checking each page's size; the rows of all pages in order.
    QJsonArray allPages(const QString& type, QJsonObject parameters, const QString& rowsKey, const QString& cursorKey,
        const QString& cursorParameter, int limit)
    {
        QJsonArray rows;
        parameters.insert(QStringLiteral("limit"), limit);
        for (int pages = 0; pages < 10000; ++pages) {
            const auto result = query(type, parameters);
            if (!result.ok()) {
                qWarning() << messageOf(result);
                return {};
            }
            const QJsonArray page = result.value()[rowsKey].toArray();
            const QJsonValue cursor = result.value()[cursorKey];
            if (page.size() > limit || (!cursor.isNull() && page.size() != limit)) {
                qWarning() << "page of" << page.size() << "rows with cursor" << cursor;
                return {};
            }
            for (const QJsonValue& row : page)
                rows.append(row);
            if (cursor.isNull())
                return rows;
            parameters.insert(cursorParameter, cursor);
        }
        return {};
    }

    QString seedDemo(int users, int accounts, int events)
    {
        DemoSeeder::Options options;
        options.users = users;
        options.accounts = accounts;
        options.targetEvents = events;
        options.seed = 7;
        const auto seeded = DemoSeeder::seed(m_fixture.store(), options);
        return seeded ? QString() : seeded.error().message();
    }

private Q_SLOTS:
    void initTestCase_data() { EngineFixture::addBackendRows(); }
    void init() { EVENTSCOPE_OPEN_ENGINE(m_fixture); }
    void cleanup() { m_fixture.close(); }

    void engineHoldsTheShippedProjectionsUnstarted()
    {
        ProjectionManager& projections = m_fixture.engine().projections();
        QVERIFY(!projections.isRunning());
        auto names = projections.names();
        names.sort();
        QCOMPARE(names,
            (QStringList { QStringLiteral("account_balances"), QStringLiteral("account_statements"),
                QStringLiteral("event_type_stats"), QStringLiteral("users") }));
        QStringList queries = m_fixture.engine().queryBus().queryTypes();
        QCOMPARE(queries,
            (QStringList { QStringLiteral("GetAccount"), QStringLiteral("GetEventTypeStatistics"),
                QStringLiteral("GetOperatorAuditLog"), QStringLiteral("GetStatement"), QStringLiteral("GetUser"),
                QStringLiteral("ListAccounts"), QStringLiteral("ListProjections"), QStringLiteral("ListUsers") }));
    }

    void usersAreProjectedFromCommandsAndLegacyEvents()
    {
        // A legacy user written before UserCreated had separate name fields, read through the upcaster.
        QVERIFY(m_fixture.given(QStringLiteral("user-legacy"),
            { EventData::create(QStringLiteral("UserCreated"),
                { { QStringLiteral("name"), QStringLiteral("Augusta Ada King") },
                    { QStringLiteral("email"), QStringLiteral("Ada@Example.com") } },
                {}, 1) }));
        QVERIFY(createUser(QStringLiteral("grace"), QStringLiteral("Grace"), QStringLiteral("Brewster"),
            QStringLiteral("grace@navy.mil")));
        QVERIFY(dispatch(QStringLiteral("RenameUser"), QStringLiteral("grace"),
            fields({ { QStringLiteral("firstName"), QStringLiteral("Grace") },
                { QStringLiteral("lastName"), QStringLiteral("Hopper") } })));
        QVERIFY(dispatch(QStringLiteral("ChangeEmail"), QStringLiteral("grace"),
            fields({ { QStringLiteral("email"), QStringLiteral("Grace.Hopper@Navy.mil") } })));
        QVERIFY(dispatch(QStringLiteral("DeactivateUser"), QStringLiteral("grace"),
            fields({ { QStringLiteral("reason"), QStringLiteral("retired") } })));
        QVERIFY(createUser(
            QStringLiteral("linus"), QStringLiteral("Linus"), QStringLiteral("Torvalds"), QStringLiteral("l@t.fi")));
        QVERIFY(dispatch(QStringLiteral("DeactivateUser"), QStringLiteral("linus")));
        QVERIFY(dispatch(QStringLiteral("ReactivateUser"), QStringLiteral("linus")));

        const QString caughtUp = m_fixture.catchUp();
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        for (const QString& id : { QStringLiteral("legacy"), QStringLiteral("grace"), QStringLiteral("linus") }) {
            const QString stream = QStringLiteral("user-") + id;
            const auto aggregate = load(QStringLiteral("User"), stream);
            QVERIFY(aggregate);
            const auto& user = static_cast<const UserAggregate&>(*aggregate);
            const auto events = m_fixture.stream(stream);
            QVERIFY(!events.isEmpty());

            const auto result = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), id } });
            QVERIFY2(result.ok(), qPrintable(messageOf(result)));
            const QJsonObject row = result.value().toObject();
            QCOMPARE(row.value(QLatin1String("id")).toString(), id);
            QCOMPARE(row.value(QLatin1String("firstName")).toString(), user.firstName());
            QCOMPARE(row.value(QLatin1String("lastName")).toString(), user.lastName());
            QCOMPARE(row.value(QLatin1String("email")).toString(), user.email());
            QCOMPARE(row.value(QLatin1String("active")).toBool(), user.active());
            QCOMPARE(row.value(QLatin1String("version")).toInteger(), user.version());
            QCOMPARE(row.value(QLatin1String("position")).toInteger(), events.last().position);
            QCOMPARE(row.value(QLatin1String("createdAt")).toString(), iso(events.first().recordedAt));
            QCOMPARE(row.value(QLatin1String("updatedAt")).toString(), iso(events.last().recordedAt));
            QVERIFY(row.value(QLatin1String("asOf")).toInteger() >= events.last().position);
        }
        // The legacy event's single name was split at its last space.
        const auto legacy = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("legacy") } });
        QCOMPARE(legacy.value()[QLatin1String("firstName")].toString(), QStringLiteral("Augusta Ada"));
        QCOMPARE(legacy.value()[QLatin1String("lastName")].toString(), QStringLiteral("King"));
        const auto grace = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("grace") } });
        QCOMPARE(grace.value()[QLatin1String("deactivationReason")].toString(), QStringLiteral("retired"));
        QCOMPARE(grace.value()[QLatin1String("lastName")].toString(), QStringLiteral("Hopper"));
        const auto linus = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("linus") } });
        QVERIFY(linus.value()[QLatin1String("deactivationReason")].isNull());

        const auto unknown = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("nobody") } });
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error()->code, QueryResult::ErrorCode::InvalidParameters);
        QVERIFY2(unknown.error()->message.contains(QStringLiteral("no user nobody")), qPrintable(messageOf(unknown)));
    }

    void listUsersSearchesEmailAddresses_data()
    {
        QTest::addColumn<QJsonObject>("parameters");
        QTest::addColumn<QStringList>("expected");
        const auto p = [](const char* key, const QJsonValue& value) {
            return QJsonObject { { QLatin1String(key), value } };
        };
        QTest::newRow("exact, other case")
            << p("email", QStringLiteral("ADA@example.COM")) << QStringList { QStringLiteral("ada") };
        QTest::newRow("exact is not a substring") << p("email", QStringLiteral("example.com")) << QStringList {};
        QTest::newRow("contains, any case") << p("emailContains", QStringLiteral("ADA"))
                                            << QStringList { QStringLiteral("ada"), QStringLiteral("ada2") };
        QTest::newRow("contains: _ is no wildcard")
            << p("emailContains", QStringLiteral("b_x")) << QStringList { QStringLiteral("bob1") };
        QTest::newRow("contains: % is no wildcard")
            << p("emailContains", QStringLiteral("50%")) << QStringList { QStringLiteral("deal") };
        QTest::newRow("inactive only") << p("active", false) << QStringList { QStringLiteral("bob2") };
        QTest::newRow("active and contains") << QJsonObject { { QStringLiteral("active"), true },
            { QStringLiteral("emailContains"), QStringLiteral("test.io") } }
                                             << QStringList { QStringLiteral("bob1") };
        QTest::newRow("no filter") << QJsonObject {}
                                   << QStringList { QStringLiteral("ada"), QStringLiteral("ada2"),
                                          QStringLiteral("bob1"), QStringLiteral("bob2"), QStringLiteral("deal") };
    }
    void listUsersSearchesEmailAddresses()
    {
        QFETCH(QJsonObject, parameters);
        QFETCH(QStringList, expected);
        QVERIFY(createUser(
            QStringLiteral("ada"), QStringLiteral("Ada"), QStringLiteral("L"), QStringLiteral("Ada@Example.com")));
        QVERIFY(createUser(QStringLiteral("ada2"), QStringLiteral("Ada"), QStringLiteral("K"),
            QStringLiteral("ada.king@example.org")));
        QVERIFY(createUser(
            QStringLiteral("bob1"), QStringLiteral("Bob"), QStringLiteral("X"), QStringLiteral("bob_x@test.io")));
        QVERIFY(createUser(
            QStringLiteral("bob2"), QStringLiteral("Bob"), QStringLiteral("Y"), QStringLiteral("bobxx@test.io")));
        QVERIFY(createUser(
            QStringLiteral("deal"), QStringLiteral("Deal"), QStringLiteral("Z"), QStringLiteral("50%off@shop.com")));
        QVERIFY(dispatch(QStringLiteral("DeactivateUser"), QStringLiteral("bob2")));
        const QString caughtUp = m_fixture.catchUp({ QStringLiteral("users") });
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        const auto result = query(QStringLiteral("ListUsers"), parameters);
        QVERIFY2(result.ok(), qPrintable(messageOf(result)));
        QStringList ids;
        const QJsonArray users = result.value()[QLatin1String("users")].toArray();
        for (const QJsonValue& user : users)
            ids.append(user[QLatin1String("id")].toString());
        QCOMPARE(ids, expected);
        QVERIFY(result.value()[QLatin1String("nextAfter")].isNull());
    }

    void pagingCoversEveryRowOnceAndMatchesTheAggregates()
    {
        const QString seeded = seedDemo(40, 30, 1200);
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        const QString caughtUp = m_fixture.catchUp();
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        // Users: every user stream exactly once, over pages of 7.
        const QJsonArray users = allPages(QStringLiteral("ListUsers"), {}, QStringLiteral("users"),
            QStringLiteral("nextAfter"), QStringLiteral("after"), 7);
        QStringList userIds;
        for (const QJsonValue& user : users)
            userIds.append(QStringLiteral("user-") + user[QLatin1String("id")].toString());
        QStringList expectedUsers = streamIds(QStringLiteral("user-*"));
        QVERIFY(expectedUsers.size() > 7);
        QCOMPARE(QSet<QString>(userIds.cbegin(), userIds.cend()).size(), userIds.size());
        userIds.sort();
        expectedUsers.sort();
        QCOMPARE(userIds, expectedUsers);

        // Accounts: every account exactly once, each as its aggregate has it.
        const QJsonArray accounts = allPages(QStringLiteral("ListAccounts"), {}, QStringLiteral("accounts"),
            QStringLiteral("nextAfter"), QStringLiteral("after"), 5);
        QStringList accountIds;
        QMap<QString, int> byStatus;
        for (const QJsonValue& value : accounts) {
            const QJsonObject row = value.toObject();
            const QString stream = QStringLiteral("account-") + row.value(QLatin1String("id")).toString();
            accountIds.append(stream);
            const auto aggregate = load(QStringLiteral("Account"), stream);
            QVERIFY(aggregate);
            const auto& account = static_cast<const AccountAggregate&>(*aggregate);
            QCOMPARE(row.value(QLatin1String("balance")).toInteger(), account.balance());
            QCOMPARE(row.value(QLatin1String("owner")).toString(), account.owner());
            QCOMPARE(row.value(QLatin1String("currency")).toString(), account.currency());
            const QString status = account.closed() ? QStringLiteral("closed")
                : account.frozen()                  ? QStringLiteral("frozen")
                                                    : QStringLiteral("open");
            QCOMPARE(row.value(QLatin1String("status")).toString(), status);
            QCOMPARE(row.value(QLatin1String("version")).toInteger(), account.version());
            ++byStatus[status];

            // The statement, over pages of 4, has one line per money event, and the balances add up.
            const QJsonArray lines
                = allPages(QStringLiteral("GetStatement"), { { QStringLiteral("id"), row.value(QLatin1String("id")) } },
                    QStringLiteral("lines"), QStringLiteral("nextAfterVersion"), QStringLiteral("afterVersion"), 4);
            QList<qint64> expectedVersions;
            for (const RecordedEvent& e : m_fixture.stream(stream)) {
                if (e.eventType == QLatin1String("MoneyDeposited") || e.eventType == QLatin1String("MoneyWithdrawn")
                    || e.eventType == QLatin1String("TransactionReversed")
                    || e.eventType == QLatin1String("BalanceCorrected"))
                    expectedVersions.append(e.streamVersion);
            }
            QList<qint64> versions;
            qint64 running = 0;
            for (const QJsonValue& line : lines) {
                versions.append(line[QLatin1String("version")].toInteger());
                running += line[QLatin1String("amount")].toInteger();
                QCOMPARE(line[QLatin1String("balanceAfter")].toInteger(), running);
            }
            QCOMPARE(versions, expectedVersions);
            QCOMPARE(running, account.balance());
            QCOMPARE(row.value(QLatin1String("transactions")).toInteger(), qint64(expectedVersions.size()));
        }
        QCOMPARE(QSet<QString>(accountIds.cbegin(), accountIds.cend()).size(), accountIds.size());
        QStringList expectedAccounts = streamIds(QStringLiteral("account-*"));
        QVERIFY(expectedAccounts.size() > 5);
        accountIds.sort();
        expectedAccounts.sort();
        QCOMPARE(accountIds, expectedAccounts);

        // The status filter agrees with the aggregates.
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it) {
            const QJsonArray filtered
                = allPages(QStringLiteral("ListAccounts"), { { QStringLiteral("status"), it.key() } },
                    QStringLiteral("accounts"), QStringLiteral("nextAfter"), QStringLiteral("after"), 3);
            QCOMPARE(filtered.size(), it.value());
            for (const QJsonValue& row : filtered)
                QCOMPARE(row[QLatin1String("status")].toString(), it.key());
        }
    }

    void statementAfterReversalAndCorrection()
    {
        const QString id = QStringLiteral("acc-7");
        QVERIFY(dispatch(QStringLiteral("OpenAccount"), id,
            fields({ { QStringLiteral("owner"), QStringLiteral("Ada") },
                { QStringLiteral("currency"), QStringLiteral("EUR") } })));
        QVERIFY(dispatch(QStringLiteral("Deposit"), id,
            fields({ { QStringLiteral("amount"), 1000 }, { QStringLiteral("transactionId"), QStringLiteral("d1") } })));
        QVERIFY(dispatch(QStringLiteral("Deposit"), id,
            fields({ { QStringLiteral("amount"), 500 }, { QStringLiteral("transactionId"), QStringLiteral("d2") } })));
        QVERIFY(dispatch(QStringLiteral("Withdraw"), id,
            fields({ { QStringLiteral("amount"), 300 }, { QStringLiteral("transactionId"), QStringLiteral("w1") } })));
        QVERIFY(dispatch(QStringLiteral("ReverseTransaction"), id,
            fields({ { QStringLiteral("transactionId"), QStringLiteral("d2") } }),
            EngineFixture::as(Role::Support, QStringLiteral("booked twice"))));
        QVERIFY(dispatch(QStringLiteral("CorrectBalance"), id, fields({ { QStringLiteral("newBalance"), 650 } }),
            EngineFixture::as(Role::Support, QStringLiteral("bank fee refunded short"))));
        QVERIFY(dispatch(
            QStringLiteral("FreezeAccount"), id, {}, EngineFixture::as(Role::Support, QStringLiteral("audit"))));
        const QString caughtUp = m_fixture.catchUp();
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        const auto stored = m_fixture.stream(QStringLiteral("account-") + id);
        QCOMPARE(stored.size(), 7);
        const auto line = [&stored](int version, const char* kind, qint64 amount, qint64 balanceAfter,
                              const QJsonValue& transactionId, const QJsonValue& reason) {
            return QJsonObject { { QStringLiteral("version"), version },
                { QStringLiteral("position"), stored.at(version).position },
                { QStringLiteral("recordedAt"), iso(stored.at(version).recordedAt) },
                { QStringLiteral("kind"), QLatin1String(kind) }, { QStringLiteral("amount"), amount },
                { QStringLiteral("balanceAfter"), balanceAfter }, { QStringLiteral("transactionId"), transactionId },
                { QStringLiteral("reason"), reason } };
        };
        const QJsonArray expected { line(1, "deposit", 1000, 1000, QStringLiteral("d1"), QJsonValue()),
            line(2, "deposit", 500, 1500, QStringLiteral("d2"), QJsonValue()),
            line(3, "withdrawal", -300, 1200, QStringLiteral("w1"), QJsonValue()),
            line(4, "reversal", -500, 700, QStringLiteral("d2"), QStringLiteral("booked twice")),
            line(5, "correction", -50, 650, QJsonValue(), QStringLiteral("bank fee refunded short")) };

        const auto whole = query(QStringLiteral("GetStatement"), { { QStringLiteral("id"), id } });
        QVERIFY2(whole.ok(), qPrintable(messageOf(whole)));
        QCOMPARE(whole.value()[QLatin1String("lines")].toArray(), expected);
        QVERIFY(whole.value()[QLatin1String("nextAfterVersion")].isNull());
        QCOMPARE(whole.value()[QLatin1String("asOf")].toInteger(), stored.last().position);

        // Pages of two: versions 1-2, 3-4, 5.
        auto page
            = query(QStringLiteral("GetStatement"), { { QStringLiteral("id"), id }, { QStringLiteral("limit"), 2 } });
        QCOMPARE(page.value()[QLatin1String("lines")].toArray(), (QJsonArray { expected.at(0), expected.at(1) }));
        QCOMPARE(page.value()[QLatin1String("nextAfterVersion")].toInteger(), 2);
        page = query(QStringLiteral("GetStatement"),
            { { QStringLiteral("id"), id }, { QStringLiteral("limit"), 2 }, { QStringLiteral("afterVersion"), 2 } });
        QCOMPARE(page.value()[QLatin1String("lines")].toArray(), (QJsonArray { expected.at(2), expected.at(3) }));
        QCOMPARE(page.value()[QLatin1String("nextAfterVersion")].toInteger(), 4);
        page = query(QStringLiteral("GetStatement"),
            { { QStringLiteral("id"), id }, { QStringLiteral("limit"), 2 }, { QStringLiteral("afterVersion"), 4 } });
        QCOMPARE(page.value()[QLatin1String("lines")].toArray(), (QJsonArray { expected.at(4) }));
        QVERIFY(page.value()[QLatin1String("nextAfterVersion")].isNull());

        const auto account = query(QStringLiteral("GetAccount"), { { QStringLiteral("id"), id } });
        QVERIFY2(account.ok(), qPrintable(messageOf(account)));
        QCOMPARE(account.value()[QLatin1String("balance")].toInteger(), 650);
        QCOMPARE(account.value()[QLatin1String("status")].toString(), QStringLiteral("frozen"));
        QCOMPARE(account.value()[QLatin1String("transactions")].toInteger(), 5);
        QCOMPARE(account.value()[QLatin1String("version")].toInteger(), 6);
        const auto aggregate = load(QStringLiteral("Account"), QStringLiteral("account-") + id);
        QCOMPARE(static_cast<const AccountAggregate&>(*aggregate).balance(), 650);

        // An account without money events has an empty statement; an unknown one is not found.
        QVERIFY(dispatch(QStringLiteral("OpenAccount"), QStringLiteral("empty"),
            fields({ { QStringLiteral("owner"), QStringLiteral("Bo") },
                { QStringLiteral("currency"), QStringLiteral("CHF") } })));
        QVERIFY(m_fixture.catchUp().isEmpty());
        const auto empty = query(QStringLiteral("GetStatement"), { { QStringLiteral("id"), QStringLiteral("empty") } });
        QVERIFY2(empty.ok(), qPrintable(messageOf(empty)));
        QCOMPARE(empty.value()[QLatin1String("lines")].toArray().size(), 0);
        const auto unknown
            = query(QStringLiteral("GetStatement"), { { QStringLiteral("id"), QStringLiteral("nope") } });
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error()->message.contains(QStringLiteral("no account nope")), qPrintable(messageOf(unknown)));
        const auto byOwner
            = query(QStringLiteral("ListAccounts"), { { QStringLiteral("owner"), QStringLiteral("Bo") } });
        QCOMPARE(byOwner.value()[QLatin1String("accounts")].toArray().size(), 1);
        QCOMPARE(
            byOwner.value()[QLatin1String("accounts")][0][QLatin1String("id")].toString(), QStringLiteral("empty"));
    }

    void eventTypeStatisticsEqualTheStoresCounts()
    {
        const QString seeded = seedDemo(20, 15, 600);
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        const QString caughtUp = m_fixture.catchUp({ QStringLiteral("event_type_stats") });
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        // Independently: per day and type from the raw events, per type from the store.
        QMap<QPair<QString, QString>, qint64> expected;
        GlobalPosition after = 0;
        while (true) {
            const auto events = m_fixture.store().readAll(after, 500);
            QVERIFY(events.ok());
            if (events->isEmpty())
                break;
            for (const RecordedEvent& e : events.value())
                ++expected[qMakePair(e.recordedAt.toUTC().date().toString(Qt::ISODate), e.eventType)];
            after = events->last().position;
        }
        const auto types = m_fixture.store().eventTypes();
        QVERIFY(types.ok());
        QVERIFY(types->size() > 3);

        const auto all = query(QStringLiteral("GetEventTypeStatistics"), { { QStringLiteral("limit"), 10000 } });
        QVERIFY2(all.ok(), qPrintable(messageOf(all)));
        QCOMPARE(all.value()[QLatin1String("truncated")].toBool(), false);
        QMap<QPair<QString, QString>, qint64> actual;
        QMap<QString, qint64> perType;
        const QJsonArray rows = all.value()[QLatin1String("rows")].toArray();
        for (const QJsonValue& row : rows) {
            const qint64 count = row[QLatin1String("count")].toInteger();
            actual[qMakePair(row[QLatin1String("day")].toString(), row[QLatin1String("eventType")].toString())] = count;
            perType[row[QLatin1String("eventType")].toString()] += count;
        }
        QCOMPARE(actual, expected);
        for (const EventTypeCount& type : types.value())
            QCOMPARE(perType.value(type.eventType), type.count);
        QCOMPARE(perType.size(), types->size());

        // Filters: one type; one day; a range that ends before the first day.
        const QString day = expected.firstKey().first;
        const auto deposits = query(QStringLiteral("GetEventTypeStatistics"),
            { { QStringLiteral("eventType"), QStringLiteral("MoneyDeposited") } });
        qint64 depositCount = 0;
        for (const QJsonValue& row : deposits.value()[QLatin1String("rows")].toArray()) {
            QCOMPARE(row[QLatin1String("eventType")].toString(), QStringLiteral("MoneyDeposited"));
            depositCount += row[QLatin1String("count")].toInteger();
        }
        QCOMPARE(depositCount, perType.value(QStringLiteral("MoneyDeposited")));
        const auto oneDay = query(QStringLiteral("GetEventTypeStatistics"),
            { { QStringLiteral("from"), day }, { QStringLiteral("to"), day } });
        for (const QJsonValue& row : oneDay.value()[QLatin1String("rows")].toArray())
            QCOMPARE(row[QLatin1String("day")].toString(), day);
        const auto before = query(QStringLiteral("GetEventTypeStatistics"),
            { { QStringLiteral("to"), QDate::fromString(day, Qt::ISODate).addDays(-1).toString(Qt::ISODate) } });
        QCOMPARE(before.value()[QLatin1String("rows")].toArray().size(), 0);
        const auto truncated = query(QStringLiteral("GetEventTypeStatistics"), { { QStringLiteral("limit"), 1 } });
        QCOMPARE(truncated.value()[QLatin1String("rows")].toArray().size(), 1);
        QCOMPARE(truncated.value()[QLatin1String("truncated")].toBool(), rows.size() > 1);
    }

    void badParametersSayWhatToPass_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonObject>("parameters");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("GetUser without id") << QStringLiteral("GetUser") << QJsonObject {} << QStringLiteral("\"id\"");
        QTest::newRow("GetUser numeric id")
            << QStringLiteral("GetUser") << QJsonObject { { QStringLiteral("id"), 5 } } << QStringLiteral("string");
        QTest::newRow("ListUsers limit 0")
            << QStringLiteral("ListUsers") << QJsonObject { { QStringLiteral("limit"), 0 } }
            << QStringLiteral("1 to 500");
        QTest::newRow("ListUsers limit text")
            << QStringLiteral("ListUsers") << QJsonObject { { QStringLiteral("limit"), QStringLiteral("ten") } }
            << QStringLiteral("whole number");
        QTest::newRow("ListUsers active text")
            << QStringLiteral("ListUsers") << QJsonObject { { QStringLiteral("active"), QStringLiteral("yes") } }
            << QStringLiteral("true or false");
        QTest::newRow("ListUsers typo") << QStringLiteral("ListUsers")
                                        << QJsonObject { { QStringLiteral("emial"), QStringLiteral("a") } }
                                        << QStringLiteral("\"emial\"");
        QTest::newRow("ListAccounts status")
            << QStringLiteral("ListAccounts") << QJsonObject { { QStringLiteral("status"), QStringLiteral("pending") } }
            << QStringLiteral("open, frozen, closed");
        QTest::newRow("GetAccount without id")
            << QStringLiteral("GetAccount") << QJsonObject {} << QStringLiteral("\"id\"");
        QTest::newRow("GetStatement afterVersion")
            << QStringLiteral("GetStatement")
            << QJsonObject { { QStringLiteral("id"), QStringLiteral("a") }, { QStringLiteral("afterVersion"), -5 } }
            << QStringLiteral("afterVersion");
        QTest::newRow("GetStatement fraction")
            << QStringLiteral("GetStatement")
            << QJsonObject { { QStringLiteral("id"), QStringLiteral("a") }, { QStringLiteral("limit"), 2.5 } }
            << QStringLiteral("whole number");
        QTest::newRow("statistics day") << QStringLiteral("GetEventTypeStatistics")
                                        << QJsonObject { { QStringLiteral("from"), QStringLiteral("yesterday") } }
                                        << QStringLiteral("2026-03-01");
        QTest::newRow("statistics range") << QStringLiteral("GetEventTypeStatistics")
                                          << QJsonObject { { QStringLiteral("from"), QStringLiteral("2026-03-02") },
                                                 { QStringLiteral("to"), QStringLiteral("2026-03-01") } }
                                          << QStringLiteral("from ≤ to");
    }
    void badParametersSayWhatToPass()
    {
        QFETCH(QString, type);
        QFETCH(QJsonObject, parameters);
        QFETCH(QString, mentions);
        const auto result = query(type, parameters);
        QVERIFY(!result.ok());
        QCOMPARE(result.error()->code, QueryResult::ErrorCode::InvalidParameters);
        QVERIFY2(result.error()->message.contains(mentions), qPrintable(result.error()->message));
    }

    void malformedEventFaultsUsersAlone()
    {
        QVERIFY(createUser(
            QStringLiteral("ok"), QStringLiteral("Ok"), QStringLiteral("User"), QStringLiteral("ok@example.com")));
        QVERIFY(dispatch(QStringLiteral("OpenAccount"), QStringLiteral("a1"),
            fields({ { QStringLiteral("owner"), QStringLiteral("Ok") },
                { QStringLiteral("currency"), QStringLiteral("EUR") } })));
        const QString caughtUp = m_fixture.catchUp();
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));

        // Written past the domain: a UserCreated without e-mail address.
        const auto appended = m_fixture.store().append(QStringLiteral("user-broken"), ExpectedVersion::noStream(),
            { EventData::create(QStringLiteral("UserCreated"),
                { { QStringLiteral("firstName"), QStringLiteral("No") },
                    { QStringLiteral("lastName"), QStringLiteral("Mail") } },
                {}, 2) });
        QVERIFY(appended.ok());
        const GlobalPosition broken = m_fixture.stream(QStringLiteral("user-broken")).first().position;
        QVERIFY(
            dispatch(QStringLiteral("Deposit"), QStringLiteral("a1"), fields({ { QStringLiteral("amount"), 250 } })));
        const auto head = m_fixture.store().headPosition();
        QVERIFY(head.ok());
        QVERIFY(head.value() > broken);

        ProjectionManager& projections = m_fixture.engine().projections();
        QVERIFY(!projections.waitForCheckpoint(QStringLiteral("users"), head.value(), std::chrono::seconds(10)));
        const auto users = projections.status(QStringLiteral("users"));
        QVERIFY(users);
        QCOMPARE(users->state, ProjectionState::Faulted);
        QVERIFY(users->fault);
        QCOMPARE(users->fault->position, broken);
        QCOMPARE(users->fault->eventType, QStringLiteral("UserCreated"));
        QCOMPARE(users->fault->streamId, QStringLiteral("user-broken"));
        QVERIFY2(users->fault->error.contains(QStringLiteral("\"email\"")), qPrintable(users->fault->error));
        QVERIFY(users->checkpoint < broken);

        // The others went on past it.
        QVERIFY(
            projections.waitForCheckpoint(QStringLiteral("account_balances"), head.value(), std::chrono::seconds(10)));
        QTRY_COMPARE_WITH_TIMEOUT(
            projections.status(QStringLiteral("account_balances"))->state, ProjectionState::Live, 10000);
        const auto account = query(QStringLiteral("GetAccount"), { { QStringLiteral("id"), QStringLiteral("a1") } });
        QVERIFY2(account.ok(), qPrintable(messageOf(account)));
        QCOMPARE(account.value()[QLatin1String("balance")].toInteger(), 250);
        QVERIFY(
            projections.waitForCheckpoint(QStringLiteral("event_type_stats"), head.value(), std::chrono::seconds(10)));

        // The users read model still answers with what it had.
        const auto ok = query(QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("ok") } });
        QVERIFY2(ok.ok(), qPrintable(messageOf(ok)));
        QVERIFY(ok.value()[QLatin1String("asOf")].toInteger() < broken);
    }
};

QTEST_GUILESS_MAIN(TestReadModels)
#include "tst_readmodels.moc"
