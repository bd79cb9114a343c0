// SPDX-License-Identifier: Apache-2.0
#include "appendcommand.h"

#include "storeoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AppendCommand", text);
}

const QString Command = QStringLiteral("append");

std::optional<ExpectedVersion> parseExpected(const QString& text)
{
    if (text.isEmpty() || text == u"any")
        return ExpectedVersion::any();
    if (text == u"no-stream")
        return ExpectedVersion::noStream();
    if (text == u"exists")
        return ExpectedVersion::streamExists();
    bool ok = false;
    const qint64 version = text.toLongLong(&ok);
    if (!ok || version < 0)
        return std::nullopt;
    return ExpectedVersion::exact(version);
}

} // namespace

QString AppendCommand::usage()
{
    return QStringLiteral("eventscope-cli append --stream ID [--type TYPE] [options] [< event.json]");
}

QString AppendCommand::description()
{
    return tr("Appends one event to a stream. The JSON comes from --file or standard input: with --type it is the "
              "payload object; without, an object {\"type\": …, \"payload\": {…}, \"metadata\": {…}, "
              "\"schemaVersion\": n} (metadata and schemaVersion optional). --expected-version guards against a "
              "stream that moved on: when it does not hold, nothing is written and the exit status is 2. Prints "
              "{\"streamId\", \"version\", \"position\", \"eventId\"} of the new event.");
}

void AppendCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption({ QStringLiteral("stream"), tr("The stream to append to (required)."), tr("id") });
    parser.addOption({ QStringLiteral("type"), tr("Event type; then the input is the payload object."), tr("type") });
    parser.addOption(
        { QStringLiteral("file"), tr("Read the JSON from this file instead of standard input."), tr("file") });
    parser.addOption({ QStringLiteral("expected-version"),
        tr("any (default), no-stream, exists, or the stream's current version N (the event becomes N + 1)."),
        tr("version") });
    parser.addOption({ QStringLiteral("metadata"), tr("Metadata object (JSON) when --type is given."), tr("json") });
}

int AppendCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const QString stream = parser.value(QStringLiteral("stream"));
    if (stream.isEmpty())
        return context.usageError(tr("--stream is required."), Command);
    const auto expected = parseExpected(parser.value(QStringLiteral("expected-version")));
    if (!expected)
        return context.usageError(tr("--expected-version takes any, no-stream, exists or a version of at least 0, "
                                     "not '%1'.")
                                      .arg(parser.value(QStringLiteral("expected-version"))),
            Command);

    QFile input;
    const QString file = parser.value(QStringLiteral("file"));
    if (file.isEmpty() ? !input.open(stdin, QIODevice::ReadOnly)
                       : (input.setFileName(file), !input.open(QIODevice::ReadOnly)))
        return context.usageError(
            tr("cannot read '%1': %2").arg(file.isEmpty() ? tr("standard input") : file, input.errorString()), Command);
    const QByteArray text = input.readAll();
    const QString source = file.isEmpty() ? tr("standard input") : file;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return context.failure(tr("%1 is not valid JSON: %2 at offset %3. Nothing was written.")
                                   .arg(source, error.errorString())
                                   .arg(error.offset),
            ExitRejected);
    if (!document.isObject())
        return context.failure(
            tr("%1 must hold a JSON object (the payload, or {\"type\", \"payload\"}). Nothing was written.")
                .arg(source),
            ExitRejected);

    EventData event;
    const QJsonObject object = document.object();
    if (parser.isSet(QStringLiteral("type"))) {
        QJsonObject metadata;
        if (parser.isSet(QStringLiteral("metadata"))) {
            const QJsonDocument meta
                = QJsonDocument::fromJson(parser.value(QStringLiteral("metadata")).toUtf8(), &error);
            if (!meta.isObject())
                return context.usageError(tr("--metadata must be a JSON object."), Command);
            metadata = meta.object();
        }
        event = EventData::create(parser.value(QStringLiteral("type")), object, metadata);
    } else {
        if (parser.isSet(QStringLiteral("metadata")))
            return context.usageError(
                tr("--metadata goes with --type; without it, put \"metadata\" in the JSON."), Command);
        const QJsonValue type = object.value(QLatin1String("type"));
        const QJsonValue payload = object.value(QLatin1String("payload"));
        const QJsonValue metadata = object.value(QLatin1String("metadata"));
        const QJsonValue schema = object.value(QLatin1String("schemaVersion"));
        if (!type.isString() || !payload.isObject() || !(metadata.isUndefined() || metadata.isObject())
            || !(schema.isUndefined() || schema.isDouble()))
            return context.failure(tr("%1 must be {\"type\": \"…\", \"payload\": {…}} with optional \"metadata\": {…} "
                                      "and \"schemaVersion\": n, or give --type and pass the payload alone. Nothing "
                                      "was written.")
                                       .arg(source),
                ExitRejected);
        event = EventData::create(
            type.toString(), payload.toObject(), metadata.toObject(), schema.isUndefined() ? 1 : schema.toInt());
    }

    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, false, &exitCode);
    if (!store)
        return exitCode;
    const auto appended = store->append(stream, *expected, { event });
    if (!appended)
        return context.storeFailure(appended.error());
    context.out << QJsonDocument(QJsonObject { { QStringLiteral("streamId"), stream },
                                     { QStringLiteral("version"), appended->nextExpectedVersion },
                                     { QStringLiteral("position"), appended->lastPosition },
                                     { QStringLiteral("eventId"), event.eventId.toString(QUuid::WithoutBraces) } })
                       .toJson(QJsonDocument::Compact)
                << Qt::endl;
    return ExitOk;
}

} // namespace EventScope
