// SPDX-License-Identifier: Apache-2.0
#include "cqrs/querybus.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <stdexcept>

using namespace EventScope;

class TestQueryBus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void routesToHandlerWithParameters();
    void unknownQuery();
    void duplicateRegistrationIsRefused();
    void handlerErrorsAndExceptions();
};

void TestQueryBus::routesToHandlerWithParameters()
{
    QueryBus bus;
    QVERIFY(bus.registerQuery(QStringLiteral("UserById"), [](const Query& query) -> QueryResult {
        const QString id = query.parameters.value(QStringLiteral("id")).toString();
        return QJsonValue(
            QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("name"), QStringLiteral("Ada") } });
    }));
    QVERIFY(bus.registerQuery(QStringLiteral("AllUsers"), [](const Query&) -> QueryResult {
        return QJsonValue(QJsonArray { QStringLiteral("user-1"), QStringLiteral("user-2") });
    }));
    QCOMPARE(bus.queryTypes(), QStringList({ QStringLiteral("AllUsers"), QStringLiteral("UserById") }));
    QVERIFY(bus.hasHandler(QStringLiteral("AllUsers")));

    const QueryResult one = bus.execute(
        Query { QStringLiteral("UserById"), QJsonObject { { QStringLiteral("id"), QStringLiteral("user-7") } } });
    QVERIFY(one.ok());
    QCOMPARE(one.value().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("user-7"));
    const QueryResult all = bus.execute(Query { QStringLiteral("AllUsers"), {} });
    QVERIFY(all.ok());
    QCOMPARE(all.value().toArray().size(), 2);
}

void TestQueryBus::unknownQuery()
{
    QueryBus bus;
    const QueryResult result = bus.execute(Query { QStringLiteral("Nope"), {} });
    QVERIFY(!result.ok());
    QCOMPARE(result.error()->code, QueryResult::ErrorCode::UnknownQuery);
    QVERIFY(result.error()->message.contains(QStringLiteral("Nope")));
    QCOMPARE(QueryResult::codeName(result.error()->code), QStringLiteral("unknown-query"));
}

void TestQueryBus::duplicateRegistrationIsRefused()
{
    QueryBus bus;
    QVERIFY(bus.registerQuery(QStringLiteral("Q"), [](const Query&) -> QueryResult { return QJsonValue(1); }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already has a handler")));
    QVERIFY(!bus.registerQuery(QStringLiteral("Q"), [](const Query&) -> QueryResult { return QJsonValue(2); }));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without a type or handler")));
    QVERIFY(!bus.registerQuery(QStringLiteral("R"), QueryBus::Handler {}));
    QCOMPARE(bus.execute(Query { QStringLiteral("Q"), {} }).value().toInt(), 1);
}

void TestQueryBus::handlerErrorsAndExceptions()
{
    QueryBus bus;
    QVERIFY(bus.registerQuery(QStringLiteral("Bad"), [](const Query&) {
        return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters, QStringLiteral("id is missing"));
    }));
    QVERIFY(bus.registerQuery(
        QStringLiteral("Throws"), [](const Query&) -> QueryResult { throw std::runtime_error("kaput"); }));
    const QueryResult bad = bus.execute(Query { QStringLiteral("Bad"), {} });
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error()->code, QueryResult::ErrorCode::InvalidParameters);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("threw")));
    const QueryResult thrown = bus.execute(Query { QStringLiteral("Throws"), {} });
    QVERIFY(!thrown.ok());
    QCOMPARE(thrown.error()->code, QueryResult::ErrorCode::HandlerFailed);
    QVERIFY(thrown.error()->message.contains(QStringLiteral("kaput")));
}

QTEST_GUILESS_MAIN(TestQueryBus)
#include "tst_querybus.moc"
