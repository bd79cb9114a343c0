// SPDX-License-Identifier: Apache-2.0
#include "importcommand.h"

#include "explorer/eventjson.h"
#include "storeoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ImportCommand", text);
}

const QString CommandName = QStringLiteral("import");

} // namespace

QString ImportCommand::usage()
{
    return QStringLiteral("eventscope-cli import --input FILE [options]");
}

QString ImportCommand::description()
{
    return tr("Reads a JSON Lines file written by 'export' (or 'read') into the store: event ids, types, schema "
              "versions, times, payload and metadata are kept byte for byte; positions are assigned anew in the "
              "file's order; the header line of a file exported by the explorer is skipped. The whole file is "
              "checked first and then written in one transaction: a bad line, a stream that does not continue where "
              "the store has it, or an event id the store holds already writes nothing (exit status 2).");
}

void ImportCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption({ QStringLiteral("input"), tr("The JSON Lines file to read (required)."), tr("file") });
}

int ImportCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const QString input = parser.value(QStringLiteral("input"));
    if (input.isEmpty())
        return context.usageError(tr("--input FILE is required."), CommandName);
    QFile file(input);
    if (!file.open(QIODevice::ReadOnly))
        return context.failure(tr("cannot read '%1': %2").arg(input, file.errorString()), ExitUsage);
    QList<RecordedEvent> events;
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty() || EventJson::isExportHeader(line))
            continue;
        QString error;
        auto event = EventJson::parse(line, &error);
        if (!event)
            return context.failure(
                tr("%1:%2 is not an exported event: %3. Nothing was imported.").arg(input).arg(lineNumber).arg(error),
                ExitRejected);
        events.append(std::move(*event));
    }
    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, false, &exitCode);
    if (!store)
        return exitCode;
    const auto imported = store->importEvents(events);
    if (!imported)
        return context.storeFailure(imported.error());
    context.err << tr("imported %1 events from %2").arg(imported.value()).arg(input) << Qt::endl;
    return ExitOk;
}

} // namespace EventScope
