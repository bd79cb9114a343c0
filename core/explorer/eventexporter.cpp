// SPDX-License-Identifier: Apache-2.0
#include "eventexporter.h"

#include "eventjson.h"
#include "eventsearch.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace EventScope {

namespace {

/// Events per page: big enough that a page costs one round trip among many, small enough to stay cheap in memory.
constexpr int PageSize = 1000;

/// One field of a CSV record (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
QByteArray csvField(const QByteArray& text)
{
    bool needsQuotes = false;
    for (const char c : text) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            needsQuotes = true;
            break;
        }
    }
    if (!needsQuotes)
        return text;
    QByteArray quoted = text;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

QByteArray csvRecord(const QList<QByteArray>& fields)
{
    QByteArray record;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            record += ',';
        record += csvField(fields.at(i));
    }
    record += "\r\n";
    return record;
}

QByteArray csvRow(const RecordedEvent& event)
{
    const QJsonObject metadata = event.metadataObject();
    const auto text = [&](const char* key) { return metadata.value(QLatin1String(key)).toString().toUtf8(); };
    return csvRecord(
        { QByteArray::number(event.position), event.streamId.toUtf8(), QByteArray::number(event.streamVersion),
            event.eventId.toString(QUuid::WithoutBraces).toUtf8(), event.eventType.toUtf8(),
            QByteArray::number(event.schemaVersion), event.recordedAt.toUTC().toString(Qt::ISODateWithMs).toUtf8(),
            text("actor"), text("correlationId"), text("causationId"), event.payload, event.metadata });
}

/// A header value on one '#' line: line breaks would end the comment and start a bogus record.
QByteArray commentText(const QString& text)
{
    QString flat = text;
    flat.replace(u'\r', u' ').replace(u'\n', u' ');
    return flat.toUtf8();
}

QByteArray headerBlock(EventExporter::Format format, const EventQuery& query, const EventExporter::Header& header)
{
    const QDateTime exportedAt
        = header.exportedAt.isValid() ? header.exportedAt.toUTC() : QDateTime::currentDateTimeUtc();
    const QString exportedAtText = exportedAt.toString(Qt::ISODateWithMs);
    if (format == EventExporter::Format::JsonLines) {
        const QJsonObject object { { QLatin1String(EventJson::ExportHeaderKey), 1 },
            { QStringLiteral("store"), header.store }, { QStringLiteral("filter"), query.toJson() },
            { QStringLiteral("filterText"), query.describe() }, { QStringLiteral("exportedAt"), exportedAtText },
            { QStringLiteral("exportedBy"), header.exportedBy }, { QStringLiteral("role"), header.role } };
        return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    QByteArray block;
    block += "# EventScope export 1\r\n";
    block += "# store: " + commentText(header.store) + "\r\n";
    block += "# filter: " + commentText(query.describe()) + "\r\n";
    block += "# filterJson: " + QJsonDocument(query.toJson()).toJson(QJsonDocument::Compact) + "\r\n";
    block += "# exportedAt: " + exportedAtText.toUtf8() + "\r\n";
    block += "# exportedBy: " + commentText(header.exportedBy) + "\r\n";
    block += "# role: " + commentText(header.role) + "\r\n";
    block += csvRecord({ "position", "stream", "version", "eventId", "type", "schemaVersion", "recordedAt", "actor",
        "correlationId", "causationId", "payload", "metadata" });
    return block;
}

} // namespace

EventExporter::EventExporter(const EventSearch& search)
    : m_search(search)
{
}

EventExporter::Format EventExporter::formatForPath(const QString& path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? Format::Csv : Format::JsonLines;
}

StoreResult<qint64> EventExporter::exportTo(const QString& path, Format format, const EventQuery& query,
    const Header& header, SearchControl control, const Progress& progress) const
{
    if (const auto invalid = query.validate())
        return StoreError(StoreError::Code::InvalidArgument, *invalid);
    const auto cancelled = [&] {
        return StoreError(StoreError::Code::Cancelled,
            tr("The export was cancelled; %1 was left as it was.").arg(QFileInfo(path).fileName()));
    };
    QSaveFile file(path);
    const auto writeFailed = [&] {
        const QString reason = file.errorString();
        file.cancelWriting();
        return StoreError(StoreError::Code::InvalidArgument,
            tr("Could not write the export to %1: %2. Choose a folder you may write to, with space left.")
                .arg(path, reason));
    };
    if (!file.open(QIODevice::WriteOnly))
        return writeFailed();
    if (file.write(headerBlock(format, query, header)) < 0)
        return writeFailed();

    qint64 written = 0;
    GlobalPosition boundary = 0;
    for (;;) {
        if (control.isCancelled()) {
            file.cancelWriting();
            return cancelled();
        }
        auto page = m_search.events(query, boundary, EventSearch::Direction::Newer, PageSize, control);
        if (!page) {
            file.cancelWriting();
            return control.isCancelled() ? cancelled() : page.error();
        }
        QByteArray chunk;
        for (const RecordedEvent& event : std::as_const(page.value()))
            chunk += format == Format::JsonLines ? EventJson::line(event) : csvRow(event);
        if (file.write(chunk) < 0)
            return writeFailed();
        written += page->size();
        if (progress)
            progress(written);
        if (page->size() < PageSize)
            break;
        boundary = page->last().position;
    }
    // A cancel that came while the last page was written still leaves the destination as it was.
    if (control.isCancelled()) {
        file.cancelWriting();
        return cancelled();
    }
    if (!file.commit())
        return writeFailed();
    return written;
}

} // namespace EventScope
