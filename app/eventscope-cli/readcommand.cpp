// SPDX-License-Identifier: Apache-2.0
#include "readcommand.h"

#include "explorer/eventjson.h"
#include "storeoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ReadCommand", text);
}

const QString Command = QStringLiteral("read");

} // namespace

QString ReadCommand::usage()
{
    return QStringLiteral("eventscope-cli read (--stream ID | --all) [options]");
}

QString ReadCommand::description()
{
    return tr("Prints events as JSON Lines on stdout, one object per event: position, streamId, version, eventId, "
              "type, schemaVersion, recordedAt and the payload and metadata exactly as stored. Reads a stream "
              "(oldest first, or newest first with --backward) or $all in commit order. The store is opened "
              "read-only.");
}

void ReadCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption({ QStringLiteral("stream"), tr("The stream to read."), tr("id") });
    parser.addOption({ QStringLiteral("all"), tr("Read $all, every stream in commit order.") });
    parser.addOption({ QStringLiteral("from"),
        tr("Stream: the first version to read (default 0, or the newest with --backward). $all: the position to "
           "continue after (default 0)."),
        tr("n") });
    parser.addOption({ QStringLiteral("limit"), tr("At most this many events (default: all)."), tr("n") });
    parser.addOption({ QStringLiteral("backward"), tr("Stream only: newest first.") });
    parser.addOption({ QStringLiteral("type"), tr("$all only: only events of this type (repeatable)."), tr("type") });
    parser.addOption(
        { QStringLiteral("category"), tr("$all only: only streams of this category (repeatable)."), tr("category") });
}

int ReadCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const bool all = parser.isSet(QStringLiteral("all"));
    const QString stream = parser.value(QStringLiteral("stream"));
    if (all == !stream.isEmpty())
        return context.usageError(tr("give either --stream ID or --all."), Command);
    if (!all && (parser.isSet(QStringLiteral("type")) || parser.isSet(QStringLiteral("category"))))
        return context.usageError(tr("--type and --category filter $all; use them with --all."), Command);
    if (all && parser.isSet(QStringLiteral("backward")))
        return context.usageError(tr("--backward reads a stream; $all is read in commit order."), Command);
    bool ok = true;
    qint64 from = -1;
    if (parser.isSet(QStringLiteral("from"))) {
        from = parser.value(QStringLiteral("from")).toLongLong(&ok);
        if (!ok || from < 0)
            return context.usageError(
                tr("--from takes a whole number of at least 0, not '%1'.").arg(parser.value(QStringLiteral("from"))),
                Command);
    }
    qint64 limit = std::numeric_limits<qint64>::max();
    if (parser.isSet(QStringLiteral("limit"))) {
        limit = parser.value(QStringLiteral("limit")).toLongLong(&ok);
        if (!ok || limit < 1)
            return context.usageError(
                tr("--limit takes a whole number of at least 1, not '%1'.").arg(parser.value(QStringLiteral("limit"))),
                Command);
    }

    int exitCode = ExitOk;
    const auto store = StoreOption::open(parser, context, true, &exitCode);
    if (!store)
        return exitCode;

    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return context.failure(tr("cannot write to standard output."));
    context.out.flush();
    EventJson::Selection selection;
    selection.stream = stream;
    selection.from = from;
    selection.limit = limit;
    selection.backward = parser.isSet(QStringLiteral("backward"));
    selection.filter = { parser.values(QStringLiteral("type")), parser.values(QStringLiteral("category")) };
    if (const auto written = EventJson::writeEvents(*store, selection, out); !written)
        return context.storeFailure(written.error());
    out.flush();
    return ExitOk;
}

} // namespace EventScope
