// SPDX-License-Identifier: Apache-2.0
#include "eventjson.h"

#include <QJsonDocument>
#include <QJsonObject>

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

} // namespace EventScope
