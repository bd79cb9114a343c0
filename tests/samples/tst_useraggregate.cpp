// SPDX-License-Identifier: Apache-2.0
// The User sample domain through the Engine, in given-events / when-command / then-events-or-error form, on
// SQLite and (with EVENTSCOPE_TEST_PG_DSN) PostgreSQL: every command and invariant, the UserCreated v1 → v2
// upcaster on a raw stored v1 event, dry runs, audit metadata, authorization and the GetUser query (over the
// users read model).
#include "enginefixture.h"
#include "samples/user/usermodule.h"

#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

const QString Id = QStringLiteral("ada");
const QString Stream = QStringLiteral("user-ada");

QJsonObject createFields()
{
    return { { QStringLiteral("firstName"), QStringLiteral("Ada") },
        { QStringLiteral("lastName"), QStringLiteral("Lovelace") },
        { QStringLiteral("email"), QStringLiteral("ada@example.com") } };
}

EventData userCreated()
{
    return EventData::create(QStringLiteral("UserCreated"), createFields(), {}, 2);
}

EventData userDeactivated()
{
    return EventData::create(
        QStringLiteral("UserDeactivated"), { { QStringLiteral("reason"), QStringLiteral("left") } });
}

} // namespace

class TestUserAggregate : public QObject {
    Q_OBJECT

private:
    EngineFixture m_fixture;

    DispatchResult when(
        const QString& type, const QJsonObject& fields = {}, CommandContext context = EngineFixture::developer())
    {
        return m_fixture.when(type, Id, fields, std::move(context));
    }

private Q_SLOTS:
    void initTestCase_data() { EngineFixture::addBackendRows(); }
    void init() { EVENTSCOPE_OPEN_ENGINE(m_fixture); }
    void cleanup() { m_fixture.close(); }

    void createUserWritesUserCreatedV2()
    {
        const auto result = when(QStringLiteral("CreateUser"), createFields());
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(result.aggregateId, Stream);
        QCOMPARE(result.newVersion, 0);
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserCreated") });
        QVERIFY(result.state.has_value());
        QCOMPARE(result.state->value(QLatin1String("active")).toBool(), true);

        const auto stored = m_fixture.stream(Stream);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().schemaVersion, 2);
        QCOMPARE(stored.first().payloadObject(), createFields());
    }

    void createUserTwiceIsRefused()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result = when(QStringLiteral("CreateUser"), createFields());
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QCOMPARE(m_fixture.stream(Stream).size(), 1);
    }

    void createUserReportsEveryMissingFieldAtOnce()
    {
        const auto result = when(QStringLiteral("CreateUser"), {});
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::Validation),
            qPrintable(EngineFixture::outcome(result)));
        const QStringList fields = result.error->fieldErrors().keys();
        QCOMPARE(
            fields, (QStringList { QStringLiteral("email"), QStringLiteral("firstName"), QStringLiteral("lastName") }));
    }

    void createUserRefusesMalformedEmail_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("no at") << QStringLiteral("ada.example.com");
        QTest::newRow("no domain dot") << QStringLiteral("ada@example");
        QTest::newRow("space") << QStringLiteral("ada lovelace@example.com");
        QTest::newRow("two ats") << QStringLiteral("ada@@example.com");
    }
    void createUserRefusesMalformedEmail()
    {
        QFETCH(QString, email);
        QJsonObject fields = createFields();
        fields.insert(QStringLiteral("email"), email);
        const auto result = when(QStringLiteral("CreateUser"), fields);
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QVERIFY(result.error->message().contains(email));
        QCOMPARE(m_fixture.eventCount(), 0);
    }

    void renameUser()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result = when(QStringLiteral("RenameUser"),
            { { QStringLiteral("firstName"), QStringLiteral("Augusta Ada") },
                { QStringLiteral("lastName"), QStringLiteral("King") } });
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(result.newVersion, 1);
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserRenamed") });
        QCOMPARE(
            result.events.first().payload.value(QLatin1String("firstName")).toString(), QStringLiteral("Augusta Ada"));
        QCOMPARE(result.state->value(QLatin1String("lastName")).toString(), QStringLiteral("King"));
    }

    void renameToTheSameNameIsRefused()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result = when(QStringLiteral("RenameUser"),
            { { QStringLiteral("firstName"), QStringLiteral("Ada") },
                { QStringLiteral("lastName"), QStringLiteral("Lovelace") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
    }

    void renameDeactivatedUserIsRefused()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated(), userDeactivated() }));
        const auto result = when(QStringLiteral("RenameUser"),
            { { QStringLiteral("firstName"), QStringLiteral("Ada") },
                { QStringLiteral("lastName"), QStringLiteral("King") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QVERIFY(result.error->message().contains(QLatin1String("deactivated")));
        QCOMPARE(m_fixture.stream(Stream).size(), 2);
    }

    void renameUnknownUserIsRefused()
    {
        const auto result = when(QStringLiteral("RenameUser"),
            { { QStringLiteral("firstName"), QStringLiteral("Ada") },
                { QStringLiteral("lastName"), QStringLiteral("King") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QVERIFY(result.error->message().contains(QLatin1String("does not exist")));
    }

    void changeEmailKeepsThePreviousAddress()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result
            = when(QStringLiteral("ChangeEmail"), { { QStringLiteral("email"), QStringLiteral("ada@lovelace.org") } });
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserEmailChanged") });
        const QJsonObject expected { { QStringLiteral("email"), QStringLiteral("ada@lovelace.org") },
            { QStringLiteral("previousEmail"), QStringLiteral("ada@example.com") } };
        QCOMPARE(m_fixture.stream(Stream).last().payloadObject(), expected);
    }

    void changeEmailChecksFormatAndChange()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        auto result
            = when(QStringLiteral("ChangeEmail"), { { QStringLiteral("email"), QStringLiteral("not-an-address") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        result
            = when(QStringLiteral("ChangeEmail"), { { QStringLiteral("email"), QStringLiteral("ada@example.com") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QCOMPARE(m_fixture.stream(Stream).size(), 1);
    }

    void deactivateUserKeepsTheReason()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        auto result = when(
            QStringLiteral("DeactivateUser"), { { QStringLiteral("reason"), QStringLiteral("asked to leave") } });
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserDeactivated") });
        QCOMPARE(
            result.events.first().payload.value(QLatin1String("reason")).toString(), QStringLiteral("asked to leave"));
        QCOMPARE(result.state->value(QLatin1String("active")).toBool(), false);

        result = when(QStringLiteral("DeactivateUser"));
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        QVERIFY(result.error->message().contains(QLatin1String("already")));
    }

    void deactivateFallsBackToTheContextReason()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result
            = when(QStringLiteral("DeactivateUser"), {}, EngineFixture::as(Role::Support, QStringLiteral("ticket 42")));
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(result.events.first().payload.value(QLatin1String("reason")).toString(), QStringLiteral("ticket 42"));
    }

    void reactivateUser()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated(), userDeactivated() }));
        auto result = when(QStringLiteral("ReactivateUser"));
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserReactivated") });
        QCOMPARE(result.newVersion, 2);
        QCOMPARE(result.state->value(QLatin1String("active")).toBool(), true);

        result = when(QStringLiteral("ReactivateUser"));
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
    }

    void storedV1UserCreatedIsUpcastedOnRead()
    {
        const QJsonObject v1 { { QStringLiteral("name"), QStringLiteral("Augusta Ada King") },
            { QStringLiteral("email"), QStringLiteral("ada@example.com") } };
        QVERIFY(m_fixture.given(Stream, { EventData::create(QStringLiteral("UserCreated"), v1, {}, 1) }));

        const QString caughtUp = m_fixture.catchUp({ QStringLiteral("users") });
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));
        const auto user = m_fixture.engine().query({ QStringLiteral("GetUser"), { { QStringLiteral("id"), Id } } });
        QVERIFY2(user.ok(), qPrintable(user.error() ? user.error()->message : QString()));
        QCOMPARE(user.value()[QLatin1String("firstName")].toString(), QStringLiteral("Augusta Ada"));
        QCOMPARE(user.value()[QLatin1String("lastName")].toString(), QStringLiteral("King"));
        QCOMPARE(user.value()[QLatin1String("email")].toString(), QStringLiteral("ada@example.com"));

        // Decisions see the upcasted state; the stored v1 event stays as it was.
        const auto result = when(QStringLiteral("RenameUser"),
            { { QStringLiteral("firstName"), QStringLiteral("Augusta Ada") },
                { QStringLiteral("lastName"), QStringLiteral("King") } });
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(result)));
        const auto stored = m_fixture.stream(Stream);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().schemaVersion, 1);
        QCOMPARE(stored.first().payloadObject(), v1);
    }

    void upcasterSplitsAtTheLastSpace_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("firstName");
        QTest::addColumn<QString>("lastName");
        QTest::newRow("two words") << QStringLiteral("Ada Lovelace") << QStringLiteral("Ada")
                                   << QStringLiteral("Lovelace");
        QTest::newRow("three words") << QStringLiteral("Grace Brewster Hopper") << QStringLiteral("Grace Brewster")
                                     << QStringLiteral("Hopper");
        QTest::newRow("one word") << QStringLiteral("Plato") << QStringLiteral("Plato") << QString();
        QTest::newRow("padded") << QStringLiteral("  Alan  Turing ") << QStringLiteral("Alan")
                                << QStringLiteral("Turing");
    }
    void upcasterSplitsAtTheLastSpace()
    {
        QFETCH(QString, name);
        QFETCH(QString, firstName);
        QFETCH(QString, lastName);
        const QJsonObject v2 = UserModule::upcastUserCreatedV1(
            { { QStringLiteral("name"), name }, { QStringLiteral("email"), QStringLiteral("x@y.z") } });
        const QJsonObject expected { { QStringLiteral("firstName"), firstName },
            { QStringLiteral("lastName"), lastName }, { QStringLiteral("email"), QStringLiteral("x@y.z") } };
        QCOMPARE(v2, expected);
    }

    void dryRunWritesNothingButReturnsEventsAndState()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const auto result = when(QStringLiteral("ChangeEmail"),
            { { QStringLiteral("email"), QStringLiteral("ada@lovelace.org") } }, EngineFixture::dryRun());
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));
        QCOMPARE(result.newVersion, 1);
        QCOMPARE(EngineFixture::typesOf(result), QStringList { QStringLiteral("UserEmailChanged") });
        QCOMPARE(result.state->value(QLatin1String("email")).toString(), QStringLiteral("ada@lovelace.org"));
        QCOMPARE(m_fixture.stream(Stream).size(), 1);

        const auto created = when(QStringLiteral("CreateUser"), createFields(), EngineFixture::dryRun());
        QVERIFY2(EngineFixture::failedWith(created, CommandError::Code::DomainRuleViolated),
            qPrintable(EngineFixture::outcome(created)));

        const auto fresh = m_fixture.when(
            QStringLiteral("CreateUser"), QStringLiteral("grace"), createFields(), EngineFixture::dryRun());
        QCOMPARE(EngineFixture::outcome(fresh), QStringLiteral("ok"));
        QCOMPARE(fresh.newVersion, 0);
        QCOMPARE(m_fixture.eventCount(), 1);
        const auto info = m_fixture.store().streamInfo(QStringLiteral("user-grace"));
        QVERIFY(info.ok());
        QVERIFY(!info.value().has_value());
    }

    void storedEventsCarryAuditMetadata()
    {
        CommandContext context = EngineFixture::as(Role::Support, QStringLiteral("ticket 7"));
        context.correlationId = QStringLiteral("corr-1");
        QVERIFY(m_fixture.given(Stream, { userCreated() }));
        const Command command { QUuid::createUuid(), QStringLiteral("DeactivateUser"), Id, {} };
        const auto result = m_fixture.engine().dispatch(command, context);
        QCOMPARE(EngineFixture::outcome(result), QStringLiteral("ok"));

        const QJsonObject metadata = m_fixture.stream(Stream).last().metadataObject();
        QCOMPARE(metadata.value(QLatin1String("actor")).toString(), QStringLiteral("support@example.com"));
        QCOMPARE(metadata.value(QLatin1String("role")).toString(), QStringLiteral("support"));
        QCOMPARE(metadata.value(QLatin1String("reason")).toString(), QStringLiteral("ticket 7"));
        QCOMPARE(metadata.value(QLatin1String("correlationId")).toString(), QStringLiteral("corr-1"));
        QCOMPARE(metadata.value(QLatin1String("causationId")).toString(), command.id.toString(QUuid::WithoutBraces));
        QCOMPARE(metadata.value(QLatin1String("appVersion")).toString(), QLatin1String(TestAppVersion));
        QCOMPARE(metadata.value(QLatin1String("host")).toString(), QLatin1String(TestHost));
        QCOMPARE(result.events.first().metadata, metadata);
    }

    void auditorCannotDispatch()
    {
        const auto result = when(QStringLiteral("CreateUser"), createFields(), EngineFixture::as(Role::Auditor));
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::Unauthorized),
            qPrintable(EngineFixture::outcome(result)));
        QCOMPARE(m_fixture.eventCount(), 0);
    }

    void supportCannotCreateUsers()
    {
        const auto result = when(
            QStringLiteral("CreateUser"), createFields(), EngineFixture::as(Role::Support, QStringLiteral("why not")));
        QVERIFY2(EngineFixture::failedWith(result, CommandError::Code::Unauthorized),
            qPrintable(EngineFixture::outcome(result)));
    }

    void getUserAnswersForKnownUsersOnly()
    {
        QVERIFY(m_fixture.given(Stream, { userCreated(), userDeactivated() }));
        const QString caughtUp = m_fixture.catchUp({ QStringLiteral("users") });
        QVERIFY2(caughtUp.isEmpty(), qPrintable(caughtUp));
        const auto user = m_fixture.engine().query({ QStringLiteral("GetUser"), { { QStringLiteral("id"), Id } } });
        QVERIFY2(user.ok(), qPrintable(user.error() ? user.error()->message : QString()));
        QCOMPARE(user.value()[QLatin1String("version")].toInteger(), 1);
        QCOMPARE(user.value()[QLatin1String("active")].toBool(), false);
        QCOMPARE(user.value()[QLatin1String("deactivationReason")].toString(), QStringLiteral("left"));
        QCOMPARE(user.value()[QLatin1String("email")].toString(), QStringLiteral("ada@example.com"));
        const auto last = m_fixture.stream(Stream).last();
        QCOMPARE(user.value()[QLatin1String("position")].toInteger(), last.position);
        QCOMPARE(user.value()[QLatin1String("asOf")].toInteger(), last.position);

        const auto unknown = m_fixture.engine().query(
            { QStringLiteral("GetUser"), { { QStringLiteral("id"), QStringLiteral("nobody") } } });
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error()->code, QueryResult::ErrorCode::InvalidParameters);
        QVERIFY2(
            unknown.error()->message.contains(QStringLiteral("no user nobody")), qPrintable(unknown.error()->message));
        const auto noId = m_fixture.engine().query({ QStringLiteral("GetUser"), {} });
        QVERIFY(!noId.ok());
        QCOMPARE(noId.error()->code, QueryResult::ErrorCode::InvalidParameters);
    }
};

QTEST_GUILESS_MAIN(TestUserAggregate)
#include "tst_useraggregate.moc"
