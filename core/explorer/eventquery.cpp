// SPDX-License-Identifier: Apache-2.0
#include "eventquery.h"

#include "eventstore/streamid.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace EventScope {

namespace {

bool isPathKeyCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-';
}

QString timeText(const QDateTime& time)
{
    const QDateTime utc = time.toUTC();
    return utc.toString(utc.time().msec() == 0 ? QStringLiteral("yyyy-MM-dd HH:mm:ss")
                                               : QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
        + QStringLiteral(" UTC");
}

QString matchName(PayloadCondition::Match match)
{
    return match == PayloadCondition::Match::Contains ? QStringLiteral("contains") : QStringLiteral("equals");
}

// The text of a JSON value as payload conditions compare it; see PayloadCondition. Shared with the SQL of
// EventSearch, which must produce the same text: a string unescaped, a number, boolean, object or array as
// its compact JSON text, and a JSON null (or no value) as no text at all, which no condition matches.
std::optional<QString> payloadValueText(const QJsonObject& payload, const QString& path)
{
    const QStringList keys = path.split(u'.');
    QJsonValue value = payload;
    for (const QString& key : keys) {
        if (!value.isObject())
            return std::nullopt;
        const QJsonObject object = value.toObject();
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return std::nullopt;
        value = found.value();
    }
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Double: {
        // A number as the JSON writer that stored the payload wrote it: as an element of a one-element array.
        const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(array.mid(1, array.size() - 2));
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return std::nullopt;
}

// Contains ignores the case of the ASCII letters A–Z only: that is what both databases can do the same way
// without an ICU extension (SQLite's lower() folds ASCII only; PostgreSQL's depends on the server locale).
QString foldAsciiCase(QString text)
{
    for (QChar& c : text) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return text;
}

} // namespace

bool EventQuery::isEmpty() const
{
    return eventTypes.isEmpty() && categories.isEmpty() && !from.isValid() && !until.isValid() && actor.isEmpty()
        && correlationId.isEmpty() && payload.isEmpty();
}

bool EventQuery::isContentQuery() const
{
    return !actor.isEmpty() || !correlationId.isEmpty() || !payload.isEmpty();
}

std::optional<QString> EventQuery::validate() const
{
    if (!streamId.isEmpty()) {
        if (const QString problem = StreamId::validate(streamId); !problem.isEmpty())
            return problem;
    }
    for (const QString& type : eventTypes) {
        if (const QString problem = StreamId::validateEventType(type); !problem.isEmpty())
            return problem;
    }
    for (const QString& category : categories) {
        if (category.isEmpty() || category.contains(u'-'))
            return tr("'%1' is not a stream category. A category is the part of a stream id before its first "
                      "'-' (\"user\" for \"user-42\"); give it without the '-'.")
                .arg(category);
    }
    if (from.isValid() && until.isValid() && from >= until)
        return tr("The time range is empty: it starts at %1, which is not before its end %2. Set the start "
                  "before the end, or leave one of them open.")
            .arg(timeText(from), timeText(until));
    if (payload.path.isEmpty()) {
        if (!payload.value.isEmpty())
            return tr("The payload condition has a value (\"%1\") but no field. Give the field's path, such as "
                      "email or address.city.")
                .arg(payload.value);
        return std::nullopt;
    }
    const QStringList keys = payload.path.split(u'.');
    for (const QString& key : keys) {
        if (key.isEmpty())
            return tr("The payload field '%1' has an empty key. Write keys separated by single dots, such as "
                      "address.city.")
                .arg(payload.path);
        for (const QChar c : key) {
            if (!isPathKeyCharacter(c))
                return tr("The payload field '%1' contains '%2'. A field path is object keys separated by dots "
                          "(address.city); keys may hold letters, digits, '_' and '-' only.")
                    .arg(payload.path, c);
        }
    }
    return std::nullopt;
}

bool EventQuery::matches(const RecordedEvent& event) const
{
    if (!streamId.isEmpty() && event.streamId != streamId)
        return false;
    if (!eventTypes.isEmpty() && !eventTypes.contains(event.eventType))
        return false;
    if (!categories.isEmpty() && !categories.contains(StreamId::category(event.streamId)))
        return false;
    if (from.isValid() && event.recordedAt.toMSecsSinceEpoch() < from.toMSecsSinceEpoch())
        return false;
    if (until.isValid() && event.recordedAt.toMSecsSinceEpoch() >= until.toMSecsSinceEpoch())
        return false;
    if (!actor.isEmpty() || !correlationId.isEmpty()) {
        const QJsonObject metadata = event.metadataObject();
        const auto stringValue = [&](const QString& key) {
            const QJsonValue value = metadata.value(key);
            return value.isString() ? std::optional<QString>(value.toString()) : std::nullopt;
        };
        if (!actor.isEmpty() && stringValue(QStringLiteral("actor")) != actor)
            return false;
        if (!correlationId.isEmpty() && stringValue(QStringLiteral("correlationId")) != correlationId)
            return false;
    }
    if (!payload.isEmpty()) {
        const std::optional<QString> text = payloadValueText(event.payloadObject(), payload.path);
        if (!text)
            return false;
        if (payload.match == PayloadCondition::Match::Equals)
            return *text == payload.value;
        return foldAsciiCase(*text).contains(foldAsciiCase(payload.value));
    }
    return true;
}

QString EventQuery::describe() const
{
    QStringList parts;
    if (!streamId.isEmpty())
        parts << tr("stream %1").arg(streamId);
    if (!categories.isEmpty())
        parts << tr("categories %1").arg(categories.join(QStringLiteral(", ")));
    if (!eventTypes.isEmpty())
        parts << tr("types %1").arg(eventTypes.join(QStringLiteral(", ")));
    if (from.isValid())
        parts << tr("since %1").arg(timeText(from));
    if (until.isValid())
        parts << tr("before %1").arg(timeText(until));
    if (!actor.isEmpty())
        parts << tr("actor %1").arg(actor);
    if (!correlationId.isEmpty())
        parts << tr("correlation %1").arg(correlationId);
    if (!payload.isEmpty()) {
        parts << (payload.match == PayloadCondition::Match::Contains
                ? tr("payload %1 contains \"%2\" (ignoring case)").arg(payload.path, payload.value)
                : tr("payload %1 = \"%2\"").arg(payload.path, payload.value));
    }
    if (parts.isEmpty())
        return tr("all events");
    return parts.join(QStringLiteral(", "));
}

QJsonObject EventQuery::toJson() const
{
    QJsonObject object;
    if (!streamId.isEmpty())
        object.insert(QStringLiteral("stream"), streamId);
    if (!eventTypes.isEmpty())
        object.insert(QStringLiteral("eventTypes"), QJsonArray::fromStringList(eventTypes));
    if (!categories.isEmpty())
        object.insert(QStringLiteral("categories"), QJsonArray::fromStringList(categories));
    if (from.isValid())
        object.insert(QStringLiteral("from"), from.toUTC().toString(Qt::ISODateWithMs));
    if (until.isValid())
        object.insert(QStringLiteral("until"), until.toUTC().toString(Qt::ISODateWithMs));
    if (!actor.isEmpty())
        object.insert(QStringLiteral("actor"), actor);
    if (!correlationId.isEmpty())
        object.insert(QStringLiteral("correlationId"), correlationId);
    if (payload != PayloadCondition {}) {
        object.insert(QStringLiteral("payload"),
            QJsonObject { { QStringLiteral("path"), payload.path },
                { QStringLiteral("match"), matchName(payload.match) }, { QStringLiteral("value"), payload.value } });
    }
    return object;
}

EventQuery EventQuery::fromJson(const QJsonObject& object)
{
    const auto strings = [](const QJsonValue& value) {
        QStringList list;
        const QJsonArray array = value.toArray();
        for (const QJsonValue& item : array)
            list << item.toString();
        return list;
    };
    const auto time = [](const QJsonValue& value) {
        if (!value.isString())
            return QDateTime();
        QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        return parsed.isValid() ? parsed.toUTC() : QDateTime();
    };
    EventQuery query;
    query.streamId = object.value(QStringLiteral("stream")).toString();
    query.eventTypes = strings(object.value(QStringLiteral("eventTypes")));
    query.categories = strings(object.value(QStringLiteral("categories")));
    query.from = time(object.value(QStringLiteral("from")));
    query.until = time(object.value(QStringLiteral("until")));
    query.actor = object.value(QStringLiteral("actor")).toString();
    query.correlationId = object.value(QStringLiteral("correlationId")).toString();
    const QJsonObject payload = object.value(QStringLiteral("payload")).toObject();
    query.payload.path = payload.value(QStringLiteral("path")).toString();
    query.payload.match = payload.value(QStringLiteral("match")).toString() == QStringLiteral("contains")
        ? PayloadCondition::Match::Contains
        : PayloadCondition::Match::Equals;
    query.payload.value = payload.value(QStringLiteral("value")).toString();
    return query;
}

} // namespace EventScope
