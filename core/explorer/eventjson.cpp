// SPDX-License-Identifier: Apache-2.0
#include "eventjson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace EventScope {

QByteArray EventJson::line(const RecordedEvent& event)
{
    const QJsonObject head { { QStringLiteral("position"), event.position },
        { QStringLiteral("streamId"), event.streamId }, { QStringLiteral("version"), event.streamVersion },
        { QStringLiteral("eventId"), event.eventId.toString(QUuid::WithoutBraces) },
        { QStringLiteral("type"), event.eventType }, { QStringLiteral("schemaVersion"), event.schemaVersion },
        { QStringLiteral("recordedAt"), event.recordedAt.toUTC().toString(Qt::ISODateWithMs) } };
    // The payload and metadata go in as stored, byte for byte: no reparsing, no reordering of keys.
    QByteArray line = QJsonDocument(head).toJson(QJsonDocument::Compact);
    line.chop(1);
    line += ",\"payload\":";
    line += event.payload;
    line += ",\"metadata\":";
    line += event.metadata;
    line += "}\n";
    return line;
}

StoreResult<qint64> EventJson::writeEvents(EventStore& store, const Selection& selection, QIODevice& out)
{
    constexpr int Page = 2000;
    const bool all = selection.stream.isEmpty();
    qint64 written = 0;
    GlobalPosition after = selection.from < 0 ? 0 : selection.from;
    StreamVersion next
        = selection.from < 0 ? (selection.backward ? NoStreamVersion : 0) : StreamVersion(selection.from);
    while (written < selection.limit) {
        const int want = int(std::min<qint64>(Page, selection.limit - written));
        auto events = all ? store.readAll(after, want, selection.filter)
                          : store.readStream(selection.stream, next, want,
                              selection.backward ? ReadDirection::Backward : ReadDirection::Forward);
        if (!events)
            return events.error();
        for (const RecordedEvent& event : events.value())
            out.write(line(event));
        written += events->size();
        if (events->size() < want)
            break;
        after = events->last().position;
        next = selection.backward ? events->last().streamVersion - 1 : events->last().streamVersion + 1;
        if (!all && next < 0)
            break;
    }
    return written;
}

namespace {

/// Where the value of the top-level member \a key of the JSON object \a text starts and ends (exclusive);
/// {-1, -1} when there is none. \a text must be valid JSON (checked before).
std::pair<qsizetype, qsizetype> memberSpan(const QByteArray& text, const QByteArray& key)
{
    const QByteArray quoted = '"' + key + '"';
    int depth = 0;
    bool inString = false;
    qsizetype stringStart = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"') {
                inString = false;
                // A key at depth 1 followed by ':' names a member of the top-level object.
                if (depth == 1 && text.mid(stringStart, i - stringStart + 1) == quoted) {
                    qsizetype j = i + 1;
                    while (j < text.size() && text.at(j) == ' ')
                        ++j;
                    if (j >= text.size() || text.at(j) != ':')
                        continue; // a string value that reads like the key
                    ++j;
                    while (j < text.size() && text.at(j) == ' ')
                        ++j;
                    // The value ends where depth returns to 1 at a ',' or the closing '}'.
                    int valueDepth = 0;
                    bool valueString = false;
                    for (qsizetype k = j; k < text.size(); ++k) {
                        const char v = text.at(k);
                        if (valueString) {
                            if (v == '\\')
                                ++k;
                            else if (v == '"')
                                valueString = false;
                        } else if (v == '"') {
                            valueString = true;
                        } else if (v == '{' || v == '[') {
                            ++valueDepth;
                        } else if (v == '}' || v == ']') {
                            if (valueDepth == 0)
                                return { j, k };
                            --valueDepth;
                        } else if (v == ',' && valueDepth == 0) {
                            return { j, k };
                        }
                    }
                    return { -1, -1 };
                }
            }
        } else if (c == '"') {
            inString = true;
            stringStart = i;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return { -1, -1 };
}

} // namespace

std::optional<RecordedEvent> EventJson::parse(const QByteArray& line, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
            ? QCoreApplication::translate("EventJson", "not valid JSON: %1 at offset %2")
                  .arg(parseError.errorString())
                  .arg(parseError.offset)
            : QCoreApplication::translate("EventJson", "not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    RecordedEvent event;
    event.position = object.value(QLatin1String("position")).toInteger();
    event.streamId = object.value(QLatin1String("streamId")).toString();
    event.streamVersion = object.value(QLatin1String("version")).toInteger(-1);
    event.eventId = QUuid::fromString(object.value(QLatin1String("eventId")).toString());
    event.eventType = object.value(QLatin1String("type")).toString();
    event.schemaVersion = object.value(QLatin1String("schemaVersion")).toInt(1);
    event.recordedAt = QDateTime::fromString(object.value(QLatin1String("recordedAt")).toString(), Qt::ISODateWithMs);
    const auto payload = memberSpan(line, "payload");
    const auto metadata = memberSpan(line, "metadata");
    const QStringList missing = [&] {
        QStringList names;
        if (event.streamId.isEmpty())
            names << QStringLiteral("streamId");
        if (event.streamVersion < 0)
            names << QStringLiteral("version");
        if (event.eventId.isNull())
            names << QStringLiteral("eventId");
        if (event.eventType.isEmpty())
            names << QStringLiteral("type");
        if (!event.recordedAt.isValid())
            names << QStringLiteral("recordedAt");
        if (payload.first < 0 || !object.value(QLatin1String("payload")).isObject())
            names << QStringLiteral("payload");
        if (metadata.first < 0 || !object.value(QLatin1String("metadata")).isObject())
            names << QStringLiteral("metadata");
        return names;
    }();
    if (!missing.isEmpty()) {
        *error
            = QCoreApplication::translate("EventJson", "missing or invalid %1").arg(missing.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    event.payload = line.mid(payload.first, payload.second - payload.first).trimmed();
    event.metadata = line.mid(metadata.first, metadata.second - metadata.first).trimmed();
    return event;
}

bool EventJson::isExportHeader(const QByteArray& line)
{
    // Cheap test first: event lines are parsed once more by parse(), the header only here.
    if (!line.contains(QByteArray('"' + QByteArray(ExportHeaderKey) + '"')))
        return false;
    const QJsonDocument document = QJsonDocument::fromJson(line);
    return document.isObject() && document.object().contains(QLatin1String(ExportHeaderKey));
}

} // namespace EventScope
