// SPDX-License-Identifier: Apache-2.0
// Small value types of the event store: their out-of-line parts live together here.
#include "eventstore.h"

#include "readoptions.h"

#include "storesettings.h"
#include "streamid.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <atomic>

namespace EventScope {

EventStore::~EventStore() = default;

QString ExpectedVersion::toString() const
{
    switch (m_kind) {
    case Kind::Any:
        return QStringLiteral("any");
    case Kind::NoStream:
        return QStringLiteral("no stream");
    case Kind::StreamExists:
        return QStringLiteral("stream exists");
    case Kind::Exact:
        return QStringLiteral("exact %1").arg(m_version);
    }
    return {};
}

StoreError StoreError::wrongExpectedVersion(const QString& stream, ExpectedVersion expected, StreamVersion actual)
{
    const QString actualText = actual == NoStreamVersion
        ? QCoreApplication::translate("EventStore", "it has no events")
        : QCoreApplication::translate("EventStore", "it is at version %1").arg(actual);
    StoreError error(Code::WrongExpectedVersion,
        QCoreApplication::translate(
            "EventStore", "Stream '%1' moved on: the append expected %2, but %3. Reload the stream and decide again.")
            .arg(stream, expected.toString(), actualText));
    error.m_wrongVersion = EventScope::WrongExpectedVersion { expected, actual };
    return error;
}

QString StoreError::codeName(Code code)
{
    switch (code) {
    case Code::WrongExpectedVersion:
        return QStringLiteral("wrong-expected-version");
    case Code::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Code::DuplicateEventId:
        return QStringLiteral("duplicate-event-id");
    case Code::NotAnEventStore:
        return QStringLiteral("not-an-event-store");
    case Code::SchemaTooNew:
        return QStringLiteral("schema-too-new");
    case Code::ConnectionFailed:
        return QStringLiteral("connection-failed");
    case Code::Unsupported:
        return QStringLiteral("unsupported");
    case Code::QueryFailed:
        return QStringLiteral("query-failed");
    case Code::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QUuid EventData::newEventId()
{
    // 12-bit counter (rand_a) seeded randomly each millisecond, as RFC 9562 section 6.2 method 1 allows.
    static std::atomic<quint64> s_last { 0 }; // (milliseconds << 12) | counter of the newest id
    const quint64 now = quint64(QDateTime::currentMSecsSinceEpoch()) << 12;
    quint64 last = s_last.load(std::memory_order_relaxed);
    quint64 next = 0;
    do {
        next = (last & ~quint64(0xfff)) >= now ? last + 1 : now | (QRandomGenerator::global()->generate() & 0x3ff);
    } while (!s_last.compare_exchange_weak(last, next, std::memory_order_relaxed));

    const quint64 millis = next >> 12;
    const quint16 counter = quint16(next & 0xfff);
    const quint64 random = QRandomGenerator::global()->generate64();
    uchar bytes[16];
    for (int i = 0; i < 6; ++i)
        bytes[i] = uchar(millis >> (40 - 8 * i));
    bytes[6] = uchar(0x70 | (counter >> 8));
    bytes[7] = uchar(counter & 0xff);
    bytes[8] = uchar(0x80 | ((random >> 56) & 0x3f));
    for (int i = 9; i < 16; ++i)
        bytes[i] = uchar(random >> (8 * (15 - i)));
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char*>(bytes), 16));
}

QJsonObject RecordedEvent::payloadObject() const
{
    return QJsonDocument::fromJson(payload).object();
}

QJsonObject RecordedEvent::metadataObject() const
{
    return QJsonDocument::fromJson(metadata).object();
}

QString StoreSettings::backendName(Backend backend)
{
    return backend == Backend::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgres");
}

namespace {

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

} // namespace

QString StreamId::validate(const QString& id)
{
    if (id.isEmpty())
        return QCoreApplication::translate("EventStore", "The stream id is empty. Give a name such as 'user-42'.");
    if (id.size() > MaxLength)
        return QCoreApplication::translate("EventStore", "The stream id is %1 characters long; at most %2 are allowed.")
            .arg(id.size())
            .arg(MaxLength);
    if (id.startsWith(u'$'))
        return QCoreApplication::translate("EventStore",
            "The stream id '%1' starts with '$', which is reserved for the store's own streams such as $all.")
            .arg(id);
    for (const QChar c : id) {
        if (!isAsciiAlnum(c) && !QStringView(u"-_.:@$").contains(c))
            return QCoreApplication::translate(
                "EventStore", "The stream id '%1' contains '%2'. Use letters, digits and - _ . : @ $ only.")
                .arg(id, c);
    }
    return {};
}

QString StreamId::validateEventType(const QString& type)
{
    if (type.isEmpty())
        return QCoreApplication::translate("EventStore", "An event has no type. Give it a name such as 'UserCreated'.");
    if (type.size() > MaxLength)
        return QCoreApplication::translate("EventStore", "The event type '%1…' is longer than %2 characters.")
            .arg(type.left(40))
            .arg(MaxLength);
    if (!((type[0] >= u'a' && type[0] <= u'z') || (type[0] >= u'A' && type[0] <= u'Z')))
        return QCoreApplication::translate("EventStore", "The event type '%1' must start with a letter.").arg(type);
    for (const QChar c : type) {
        if (!isAsciiAlnum(c) && !QStringView(u"_.:-").contains(c))
            return QCoreApplication::translate(
                "EventStore", "The event type '%1' contains '%2'. Use letters, digits and _ . : - only.")
                .arg(type, c);
    }
    return {};
}

QString StreamFilter::prefix() const
{
    const QString trimmed = pattern.trimmed();
    return trimmed.endsWith(u'*') ? trimmed.chopped(1) : trimmed;
}

QString StreamId::category(const QString& id)
{
    const qsizetype dash = id.indexOf(u'-');
    return dash > 0 ? id.left(dash) : id;
}

} // namespace EventScope
