// SPDX-License-Identifier: Apache-2.0
// EventTypeRegistry: upcaster chains on read, stored form kept, typed errors for what cannot be read.
#include "domain/eventtyperegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace EventScope;

namespace {

const QString Renamed = QStringLiteral("CustomerRenamed");

/// v1 {"name": "Ada Lovelace"} → v2 {"fullName": …} → v3 {"first": …, "last": …}
EventTypeRegistry customerRegistry()
{
    EventTypeRegistry registry;
    [&] {
        QVERIFY(registry.registerType(Renamed, 3).ok());
        QVERIFY(registry
                    .registerUpcaster(Renamed, 1,
                        [](const QJsonObject& v1) {
                            return QJsonObject { { QStringLiteral("fullName"), v1.value(QLatin1String("name")) } };
                        })
                    .ok());
        QVERIFY(registry
                    .registerUpcaster(Renamed, 2,
                        [](const QJsonObject& v2) {
                            const QStringList parts
                                = v2.value(QLatin1String("fullName")).toString().split(QLatin1Char(' '));
                            return QJsonObject { { QStringLiteral("first"), parts.value(0) },
                                { QStringLiteral("last"), parts.mid(1).join(QLatin1Char(' ')) } };
                        })
                    .ok());
    }();
    return registry;
}

RecordedEvent stored(const QString& type, int schemaVersion, const QJsonObject& payload)
{
    RecordedEvent event;
    event.position = 42;
    event.streamId = QStringLiteral("customer-7");
    event.streamVersion = 3;
    event.eventId = QUuid::createUuid();
    event.eventType = type;
    event.schemaVersion = schemaVersion;
    event.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    event.metadata = QByteArrayLiteral(R"({"actor":"test"})");
    return event;
}

} // namespace

class TestEventTypeRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void upcastsChainToCurrentVersion_data()
    {
        QTest::addColumn<int>("storedVersion");
        QTest::addColumn<QJsonObject>("storedPayload");
        QTest::addColumn<bool>("upcasted");
        QTest::newRow("v1 → v3") << 1 << QJsonObject { { QStringLiteral("name"), QStringLiteral("Ada King Lovelace") } }
                                 << true;
        QTest::newRow("v2 → v3") << 2
                                 << QJsonObject { { QStringLiteral("fullName"), QStringLiteral("Ada King Lovelace") } }
                                 << true;
        QTest::newRow("v3 as is") << 3
                                  << QJsonObject { { QStringLiteral("first"), QStringLiteral("Ada") },
                                         { QStringLiteral("last"), QStringLiteral("King Lovelace") } }
                                  << false;
    }
    void upcastsChainToCurrentVersion()
    {
        QFETCH(int, storedVersion);
        QFETCH(QJsonObject, storedPayload);
        QFETCH(bool, upcasted);
        const EventTypeRegistry registry = customerRegistry();
        QVERIFY(registry.validate().ok());
        const RecordedEvent recorded = stored(Renamed, storedVersion, storedPayload);

        auto decoded = registry.decode(recorded);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message()));
        const DomainEvent& event = decoded.value();
        QVERIFY(event.known);
        QCOMPARE(event.schemaVersion, 3);
        QCOMPARE(event.isUpcasted(), upcasted);
        const QJsonObject expected { { QStringLiteral("first"), QStringLiteral("Ada") },
            { QStringLiteral("last"), QStringLiteral("King Lovelace") } };
        QCOMPARE(event.payload, expected);
        QCOMPARE(event.metadata.value(QLatin1String("actor")).toString(), QStringLiteral("test"));
        QCOMPARE(event.eventId, recorded.eventId);
        QCOMPARE(event.streamVersion(), 3);
        // The stored form is returned as it was read, byte for byte.
        QVERIFY(event.stored.has_value());
        QCOMPARE(event.stored->schemaVersion, storedVersion);
        QCOMPARE(event.stored->payload, recorded.payload);
        QCOMPARE(event.stored->payloadObject(), storedPayload);
    }

    void newerThanKnownIsTypedError()
    {
        const EventTypeRegistry registry = customerRegistry();
        auto decoded = registry.decode(stored(Renamed, 4, { { QStringLiteral("x"), 1 } }));
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code(), DomainError::Code::SchemaVersionTooNew);
        QVERIFY(decoded.error().message().contains(QLatin1String("version 4")));
        QVERIFY(decoded.error().message().contains(QLatin1String("up to version 3")));
    }

    void unknownTypeIsRawJson()
    {
        const EventTypeRegistry registry = customerRegistry();
        const QJsonObject payload { { QStringLiteral("anything"), QJsonArray { 1, 2 } } };
        auto decoded = registry.decode(stored(QStringLiteral("LegacyThing"), 7, payload));
        QVERIFY(decoded.ok());
        QVERIFY(!decoded->known);
        QCOMPARE(decoded->type, QStringLiteral("LegacyThing"));
        QCOMPARE(decoded->schemaVersion, 7);
        QCOMPARE(decoded->payload, payload);
        QVERIFY(!decoded->isUpcasted());
    }

    void missingLinkIsReportedByValidate()
    {
        EventTypeRegistry registry;
        QVERIFY(registry.registerType(Renamed, 3).ok());
        QVERIFY(registry.registerType(QStringLiteral("Other"), 1).ok());
        QVERIFY(registry.registerUpcaster(Renamed, 1, [](const QJsonObject& p) { return p; }).ok());
        auto valid = registry.validate();
        QVERIFY(!valid.ok());
        QCOMPARE(valid.error().code(), DomainError::Code::MissingUpcaster);
        QVERIFY2(valid.error().message().contains(QStringLiteral("'CustomerRenamed' v2 → v3")),
            qPrintable(valid.error().message()));

        // Reading through the gap fails the same way rather than returning a half-upcasted payload.
        auto decoded = registry.decode(stored(Renamed, 1, { { QStringLiteral("name"), QStringLiteral("A B") } }));
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code(), DomainError::Code::MissingUpcaster);
        // A v3 event needs no upcaster and still reads.
        QVERIFY(registry.decode(stored(Renamed, 3, {})).ok());
    }

    void invalidRegistrationsAreRefused()
    {
        EventTypeRegistry registry;
        QCOMPARE(
            registry.registerType(QStringLiteral("1bad"), 1).error().code(), DomainError::Code::InvalidRegistration);
        QCOMPARE(registry.registerType(Renamed, 0).error().code(), DomainError::Code::InvalidRegistration);
        QVERIFY(registry.registerType(Renamed, 2).ok());
        QVERIFY(registry.registerType(Renamed, 2).ok()); // same registration again is harmless
        QCOMPARE(registry.registerType(Renamed, 3).error().code(), DomainError::Code::InvalidRegistration);
        const auto identity = [](const QJsonObject& p) { return p; };
        QCOMPARE(registry.registerUpcaster(QStringLiteral("Unknown"), 1, identity).error().code(),
            DomainError::Code::InvalidRegistration);
        QCOMPARE(
            registry.registerUpcaster(Renamed, 2, identity).error().code(), DomainError::Code::InvalidRegistration);
        QCOMPARE(
            registry.registerUpcaster(Renamed, 0, identity).error().code(), DomainError::Code::InvalidRegistration);
        QVERIFY(registry.registerUpcaster(Renamed, 1, identity).ok());
        QCOMPARE(
            registry.registerUpcaster(Renamed, 1, identity).error().code(), DomainError::Code::InvalidRegistration);
        QVERIFY(registry.validate().ok());
        QCOMPARE(registry.currentVersion(Renamed), 2);
        QCOMPARE(registry.currentVersion(QStringLiteral("Unknown")), 0);
        QCOMPARE(registry.types(), QStringList { Renamed });
    }
};

QTEST_GUILESS_MAIN(TestEventTypeRegistry)
#include "tst_eventtyperegistry.moc"
