// SPDX-License-Identifier: Apache-2.0
#include "cqrs/eventbus.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <stdexcept>

using namespace EventScope;

class TestEventBus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void deliversByTypeAndToAll();
    void unsubscribeStopsDelivery();
    void failingHandlersAreIsolated();
    void failuresAreBoundedAndClearable();
    void handlerMaySubscribeWhileHandling();

private:
    static RecordedEvent event(GlobalPosition position, const QString& type);
};

RecordedEvent TestEventBus::event(GlobalPosition position, const QString& type)
{
    RecordedEvent e;
    e.position = position;
    e.streamId = QStringLiteral("user-1");
    e.streamVersion = position - 1;
    e.eventId = QUuid::createUuid();
    e.eventType = type;
    return e;
}

void TestEventBus::init()
{
    // Failures are logged as warnings; they are expected here.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("^(?!handler).*")));
}

void TestEventBus::deliversByTypeAndToAll()
{
    EventBus bus;
    QList<GlobalPosition> renamed;
    QList<GlobalPosition> everything;
    bus.subscribe(QStringLiteral("renames"), QStringLiteral("UserRenamed"), [&renamed](const RecordedEvent& e) {
        renamed.append(e.position);
        return std::optional<QString>();
    });
    bus.subscribeToAll(QStringLiteral("audit"), [&everything](const RecordedEvent& e) {
        everything.append(e.position);
        return std::optional<QString>();
    });
    QCOMPARE(bus.subscriberCount(), 2);
    bus.publish({ event(1, QStringLiteral("UserCreated")), event(2, QStringLiteral("UserRenamed")) });
    bus.publish(event(3, QStringLiteral("UserRenamed")));
    QCOMPARE(renamed, QList<GlobalPosition>({ 2, 3 }));
    QCOMPARE(everything, QList<GlobalPosition>({ 1, 2, 3 }));
    QCOMPARE(bus.failureCount(), 0);
}

void TestEventBus::unsubscribeStopsDelivery()
{
    EventBus bus;
    int calls = 0;
    const auto id = bus.subscribeToAll(QStringLiteral("h"), [&calls](const RecordedEvent&) {
        ++calls;
        return std::optional<QString>();
    });
    bus.publish(event(1, QStringLiteral("A")));
    QVERIFY(bus.unsubscribe(id));
    QVERIFY(!bus.unsubscribe(id));
    bus.publish(event(2, QStringLiteral("A")));
    QCOMPARE(calls, 1);
    QCOMPARE(bus.subscriberCount(), 0);
}

void TestEventBus::failingHandlersAreIsolated()
{
    EventBus bus;
    QSignalSpy spy(&bus, &EventBus::handlerFailed);
    QList<GlobalPosition> healthy;
    bus.subscribeToAll(QStringLiteral("thrower"), [](const RecordedEvent& e) -> std::optional<QString> {
        if (e.position == 2)
            throw std::runtime_error("projection table missing");
        return std::nullopt;
    });
    bus.subscribe(QStringLiteral("refuser"), QStringLiteral("UserRenamed"),
        [](const RecordedEvent&) { return std::optional<QString>(QStringLiteral("read model is read-only")); });
    bus.subscribeToAll(QStringLiteral("healthy"), [&healthy](const RecordedEvent& e) {
        healthy.append(e.position);
        return std::optional<QString>();
    });

    bus.publish({ event(1, QStringLiteral("UserCreated")), event(2, QStringLiteral("UserRenamed")),
        event(3, QStringLiteral("UserCreated")) });

    QCOMPARE(healthy, QList<GlobalPosition>({ 1, 2, 3 })); // later handlers and events are not affected
    QCOMPARE(bus.failureCount(), 2);
    const QList<EventHandlerFailure> failures = bus.recentFailures();
    QCOMPARE(failures.size(), 2);
    QCOMPARE(failures.at(0).handlerName, QStringLiteral("thrower"));
    QCOMPARE(failures.at(0).position, 2);
    QCOMPARE(failures.at(0).eventType, QStringLiteral("UserRenamed"));
    QCOMPARE(failures.at(0).streamId, QStringLiteral("user-1"));
    QCOMPARE(failures.at(0).error, QStringLiteral("projection table missing"));
    QVERIFY(failures.at(0).failedAt.isValid());
    QCOMPARE(failures.at(0).failedAt.timeSpec(), Qt::UTC);
    QCOMPARE(failures.at(1).handlerName, QStringLiteral("refuser"));
    QCOMPARE(failures.at(1).error, QStringLiteral("read model is read-only"));

    QCOMPARE(spy.size(), 2);
    const auto signalled = spy.at(0).at(0).value<EventHandlerFailure>();
    QCOMPARE(signalled.handlerName, QStringLiteral("thrower"));
    QCOMPARE(signalled.position, 2);
}

void TestEventBus::failuresAreBoundedAndClearable()
{
    EventBus bus(3);
    QCOMPARE(bus.maxKeptFailures(), 3);
    bus.subscribeToAll(
        QStringLiteral("always"), [](const RecordedEvent&) { return std::optional<QString>(QStringLiteral("nope")); });
    for (GlobalPosition p = 1; p <= 5; ++p)
        bus.publish(event(p, QStringLiteral("A")));
    QCOMPARE(bus.failureCount(), 5);
    const QList<EventHandlerFailure> kept = bus.recentFailures();
    QCOMPARE(kept.size(), 3);
    QCOMPARE(kept.first().position, 3); // oldest kept
    QCOMPARE(kept.last().position, 5);
    bus.clearFailures();
    QCOMPARE(bus.failureCount(), 0);
    QVERIFY(bus.recentFailures().isEmpty());
}

void TestEventBus::handlerMaySubscribeWhileHandling()
{
    EventBus bus;
    int late = 0;
    bus.subscribeToAll(QStringLiteral("spawner"), [&](const RecordedEvent&) {
        bus.subscribeToAll(QStringLiteral("late"), [&late](const RecordedEvent&) {
            ++late;
            return std::optional<QString>();
        });
        return std::optional<QString>();
    });
    bus.publish(event(1, QStringLiteral("A"))); // must not deadlock
    QCOMPARE(late, 0); // subscribed during this publish: sees the next one
    bus.publish(event(2, QStringLiteral("A")));
    QCOMPARE(late, 1);
}

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
