// SPDX-License-Identifier: Apache-2.0
#include "exportcommand.h"

#include "explorer/eventjson.h"
#include "storeoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSaveFile>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ExportCommand", text);
}

const QString CommandName = QStringLiteral("export");

} // namespace

QString ExportCommand::usage()
{
    return QStringLiteral("eventscope-cli export --output FILE [--stream ID] [options]");
}

QString ExportCommand::description()
{
    return tr("Writes every event of the store ($all, in commit order), or of one stream, to a JSON Lines file in "
              "the format of 'read': event ids, types, schema versions, times, and payload and metadata byte for "
              "byte as stored. The file appears only when the export is complete (written beside it, then "
              "renamed). 'import' reads it back into another store, of either backend.");
}

void ExportCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption(
        { QStringLiteral("output"), tr("The file to write (required; replaced when it exists)."), tr("file") });
    parser.addOption({ QStringLiteral("stream"), tr("Export only this stream."), tr("id") });
}

int ExportCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty())
        return context.usageError(tr("--output FILE is required."), CommandName);
    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, true, &exitCode);
    if (!store)
        return exitCode;
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly))
        return context.failure(tr("cannot write '%1': %2").arg(output, file.errorString()));
    EventJson::Selection selection;
    selection.stream = parser.value(QStringLiteral("stream"));
    const auto written = EventJson::writeEvents(*store, selection, file);
    if (!written)
        return context.storeFailure(written.error()); // the QSaveFile is discarded: no partial file
    if (!file.commit())
        return context.failure(tr("cannot write '%1': %2").arg(output, file.errorString()));
    context.err << tr("exported %1 events to %2").arg(written.value()).arg(output) << Qt::endl;
    return ExitOk;
}

} // namespace EventScope
