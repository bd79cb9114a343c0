// SPDX-License-Identifier: Apache-2.0
// eventscope-guibench: how the explorer feels on a big store, measured offscreen with the real window.
//
// Figures: time from open to the first page of events, each jump (oldest, newest, a position, a time), the event
// loop's longest stall (lateness of a 10 ms timer) while scrolling and while a projection rebuild runs, and the
// memory of one million loaded rows. Each time is set against a raw baseline measured in the same run: the same
// page read straight through EventSearch on a worker thread, without model or view.
#include "engine/engine.h"
#include "eventfilterbar.h"
#include "eventstore/sqleventstore.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "explorer/eventsearch.h"
#include "explorer/explorerreader.h"
#include "mainwindow.h"
#include "projections/projectionmanager.h"
#include "samples/account/accountmodule.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

using namespace EventScope;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

void say(const QString& text)
{
    QTextStream(stderr) << text << Qt::endl;
}

/// Resident memory of this process in bytes (Linux), 0 when unknown.
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong() * 1024;
    }
    return 0;
}

/// Waits in the event loop until \a done, at most \a timeoutMs; false on a time-out.
template <typename Predicate>
bool waitFor(Predicate done, int timeoutMs = 600000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

/// Measures the event loop's worst lateness: a 10 ms timer, each tick compared with when it was due.
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_worst = std::max(m_worst, (now - m_last) / 1e6 - 10.0);
            m_last = now;
            ++m_ticks;
        });
    }
    void start()
    {
        m_worst = 0;
        m_last = 0;
        m_ticks = 0;
        m_clock.start();
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return std::max(0.0, m_worst);
    }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_worst = 0;
    int m_ticks = 0;
};

/// Account events round-robin over \a accounts streams, in appends of 10 (seeding is not measured).
bool seed(SqlEventStore& store, qint64 events, int accounts)
{
    const QString prefix = QLatin1String(AccountModule::StreamPrefix);
    std::vector<qint64> written(size_t(accounts), 0);
    qint64 remaining = events;
    QElapsedTimer progress;
    progress.start();
    while (remaining > 0) {
        for (int a = 0; a < accounts && remaining > 0; ++a) {
            const int n = int(std::min<qint64>(10, remaining));
            const QJsonObject metadata { { QStringLiteral("actor"), QStringLiteral("service:gui-bench") },
                { QStringLiteral("correlationId"), EventData::newEventId().toString(QUuid::WithoutBraces) } };
            QList<EventData> batch;
            for (int i = 0; i < n; ++i) {
                const qint64 k = written[size_t(a)] + i;
                if (k == 0)
                    batch.append(EventData::create(QStringLiteral("AccountOpened"),
                        { { QStringLiteral("owner"), QStringLiteral("Owner %1").arg(a) },
                            { QStringLiteral("currency"), QStringLiteral("EUR") } },
                        metadata));
                else
                    batch.append(EventData::create(QStringLiteral("MoneyDeposited"),
                        { { QStringLiteral("amount"), 100 + k % 900 }, { QStringLiteral("balanceAfter"), k * 100 },
                            { QStringLiteral("transactionId"), QUuid::createUuid().toString(QUuid::WithoutBraces) } },
                        metadata));
            }
            const auto expected = written[size_t(a)] == 0
                ? ExpectedVersion::noStream()
                : ExpectedVersion::exact(StreamVersion(written[size_t(a)] - 1));
            const auto appended = store.append(prefix + QString::number(a), expected, batch);
            if (!appended) {
                say(QStringLiteral("seeding failed: %1").arg(appended.error().message()));
                return false;
            }
            written[size_t(a)] += n;
            remaining -= n;
        }
        if (progress.elapsed() > 5000) {
            say(QStringLiteral("  seeded %1 of %2 events").arg(events - remaining).arg(events));
            progress.restart();
        }
    }
    return true;
}

/// Milliseconds the raw page read takes on a worker thread (the baseline of a jump or of the first page).
double rawPageMs(const std::shared_ptr<SqlEventStore>& store, GlobalPosition boundary, EventSearch::Direction direction,
    bool inclusive, int limit)
{
    auto future = QtConcurrent::run([store, boundary, direction, inclusive, limit] {
        EventSearch search(store);
        search.summaries({}, boundary, direction, limit, {}, inclusive); // warm the connection
        QElapsedTimer timer;
        timer.start();
        const auto page = search.summaries({}, boundary, direction, limit, {}, inclusive);
        return page ? timer.nsecsElapsed() / 1e6 : -1.0;
    });
    future.waitForFinished();
    return future.result();
}

struct Figure {
    QString name;
    double value = 0;
    QString unit;
    double baseline = -1;
    double target = -1; ///< the value must stay below this (an absolute target from the issue)
};

} // namespace

int main(int argc, char* argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("eventscope-guibench"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks the explorer window offscreen on a big SQLite store: open to first page, jumps, event-loop "
        "stalls while scrolling and during a projection rebuild, memory of loaded rows."));
    parser.addHelpOption();
    const QCommandLineOption storeOption(QStringLiteral("store"),
        QStringLiteral("SQLite store to use; created and seeded when missing (kept for the next run). Default: a "
                       "temporary one."),
        QStringLiteral("file"));
    const QCommandLineOption eventsOption(QStringLiteral("events"),
        QStringLiteral("Events to seed a new store with (default 1000000)."), QStringLiteral("n"),
        QStringLiteral("1000000"));
    const QCommandLineOption rowsOption(QStringLiteral("rows"),
        QStringLiteral("Rows to load for the memory figure (default: every event)."), QStringLiteral("n"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print the figures as JSON."));
    const QCommandLineOption scrollOption(QStringLiteral("scroll-seconds"),
        QStringLiteral("How long to scroll for the stall figure (default 5)."), QStringLiteral("s"),
        QStringLiteral("5"));
    const QCommandLineOption smokeOption(QStringLiteral("smoke"),
        QStringLiteral("Check that every step works, without judging the figures (exit 0 even when a target is "
                       "missed; for the test suite on small stores)."));
    parser.addOptions({ storeOption, eventsOption, rowsOption, jsonOption, scrollOption, smokeOption });
    parser.process(app);

    const qint64 events = parser.value(eventsOption).toLongLong();
    if (events < 1000) {
        say(QStringLiteral("--events must be at least 1000."));
        return 1;
    }
    QTemporaryDir scratch;
    StoreSettings settings;
    settings.connection
        = parser.isSet(storeOption) ? parser.value(storeOption) : scratch.filePath(QStringLiteral("guibench.db"));
    settings.sqliteSynchronous = StoreSettings::SqliteSync::Normal;
    {
        const bool fresh = !QFileInfo::exists(settings.connection);
        auto opened = SqlEventStore::open(settings);
        if (!opened) {
            say(opened.error().message());
            return 3;
        }
        auto count = (*opened)->eventCount();
        if (fresh || (count && *count == 0)) {
            say(QStringLiteral("Seeding %1 events…").arg(events));
            if (!seed(**opened, events, int(std::max<qint64>(1, events / 100))))
                return 4;
        }
    }

    QList<Figure> figures;
    MainWindow window;
    window.setRole(Role::Developer);
    window.resize(1440, 900);
    window.show();

    // Open → first page.
    QElapsedTimer clock;
    clock.start();
    window.openStore(settings);
    if (!waitFor([&] { return window.eventModel() && window.eventModel()->rowCount() > 0; })) {
        say(QStringLiteral("the first page never came"));
        return 4;
    }
    QCoreApplication::processEvents(); // paint it
    const double firstPage = clock.nsecsElapsed() / 1e6;
    EventTableModel* model = window.eventModel();
    const auto store = window.store();
    const qint64 total = *store->eventCount();
    const GlobalPosition head = *store->headPosition();
    figures.append({ QStringLiteral("open to first page"), firstPage, QStringLiteral("ms"),
        rawPageMs(store, 0, EventSearch::Direction::Older, false, model->pageSize()), 150 });

    // Jumps: from the call to the anchor's page being in the model and painted.
    const auto jump = [&](const QString& name, const std::function<void()>& start, double baseline) {
        // What the previous jump set off (the inspector and time travel following the selection) settles first.
        waitFor([] { return false; }, 500);
        bool anchored = false;
        const auto connection
            = QObject::connect(model, &EventTableModel::anchorLoaded, [&anchored] { anchored = true; });
        QElapsedTimer timer;
        timer.start();
        start();
        const bool arrived = waitFor([&] { return anchored; }, 60000);
        QObject::disconnect(connection);
        if (!arrived) {
            say(QStringLiteral("jump '%1' never finished").arg(name));
            return false;
        }
        QCoreApplication::processEvents();
        figures.append({ name, timer.nsecsElapsed() / 1e6, QStringLiteral("ms"), baseline, 100 });
        waitFor([&] { return !model->isLoading(); }, 60000);
        return true;
    };
    const int page = model->pageSize();
    const GlobalPosition middle = head / 2;
    if (!jump(
            QStringLiteral("jump to oldest"), [&] { model->jumpToOldest(); },
            rawPageMs(store, 0, EventSearch::Direction::Newer, false, page))
        || !jump(
            QStringLiteral("jump to newest"), [&] { model->jumpToNewest(); },
            rawPageMs(store, 0, EventSearch::Direction::Older, false, page))
        || !jump(
            QStringLiteral("jump to position"), [&] { window.goToPosition(middle); },
            rawPageMs(store, middle, EventSearch::Direction::Older, true, page))
        || !jump(
            QStringLiteral("jump to time"), [&] { model->jumpToTime(QDateTime::currentDateTimeUtc().addSecs(-30)); },
            rawPageMs(store, head, EventSearch::Direction::Older, true, page)))
        return 4;

    // Live tail: another connection (as another process would) appends; how long until the row is in the table.
    {
        model->jumpToNewest();
        waitFor([&] { return !model->isLoading(); });
        auto other = SqlEventStore::open(settings);
        if (!other) {
            say(other.error().message());
            return 3;
        }
        std::shared_ptr<SqlEventStore> writer = std::move(other).value();
        double worst = 0;
        // Streams of their own for every run: a kept store is benchmarked again and again.
        const QString run = QString::number(QDateTime::currentMSecsSinceEpoch());
        for (int i = 0; i < 5; ++i) {
            waitFor([] { return false; }, 300);
            const int before = model->rowCount();
            QElapsedTimer tail;
            auto appended = QtConcurrent::run([writer, i, run] {
                return writer
                    ->append(QStringLiteral("bench-tail-%1-%2").arg(run).arg(i), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("TailProbe"), QJsonObject { { QStringLiteral("i"), i } },
                            QJsonObject { { QStringLiteral("actor"), QStringLiteral("other-process") } }) })
                    .ok();
            });
            waitFor([&] { return appended.isFinished(); });
            tail.start(); // from the commit
            if (!appended.result() || !waitFor([&] { return model->rowCount() > before; }, 10000)) {
                say(QStringLiteral("the live tail did not show an appended event"));
                return 4;
            }
            worst = std::max(worst, tail.nsecsElapsed() / 1e6);
        }
        figures.append({ QStringLiteral("live tail: another connection's append to its row (worst of 5)"), worst,
            QStringLiteral("ms"), -1, 1000 });
    }

    // Selecting events one after another: the inspector, time travel and snapshots follow each selection.
    {
        waitFor([] { return false; }, 500);
        StallMeter selecting;
        selecting.start();
        for (int i = 0; i < 20; ++i) {
            window.eventView()->setCurrentIndex(model->index((i * 7) % std::max(1, model->rowCount()), 0));
            waitFor([] { return false; }, 150);
        }
        figures.append(
            { QStringLiteral("longest stall while selecting events"), selecting.stop(), QStringLiteral("ms"), -1, 50 });
    }

    // Scrolling: a page down every 16 ms from the newest, as a user dragging the scroll bar down would.
    model->jumpToNewest();
    waitFor([&] { return !model->isLoading(); });
    StallMeter meter;
    EventTableView* view = window.eventView();
    QTimer scroller;
    scroller.setInterval(16);
    QObject::connect(&scroller, &QTimer::timeout, view, [view] {
        QScrollBar* bar = view->verticalScrollBar();
        bar->setValue(bar->value() + bar->pageStep());
    });
    meter.start();
    scroller.start();
    const int scrollMs = int(parser.value(scrollOption).toDouble() * 1000);
    waitFor([] { return false; }, scrollMs);
    scroller.stop();
    figures.append({ QStringLiteral("longest stall while scrolling"), meter.stop(), QStringLiteral("ms"), -1, 50 });
    figures.append(
        { QStringLiteral("rows scrolled through"), double(model->rowCount()), QStringLiteral("rows"), -1, -1 });

    // A projection rebuild in the background (the engine's account balances), the window live.
    ProjectionManager& projections = window.engine()->projections();
    projections.start();
    // Let it catch up first, then rebuild: the rebuild is what is measured.
    if (!waitFor([&] {
            const auto status = projections.status(QStringLiteral("account_balances"));
            return status && status->checkpoint >= head;
        })) {
        say(QStringLiteral("the projection did not catch up"));
        return 4;
    }
    meter.start();
    if (const auto refused = projections.rebuild(QStringLiteral("account_balances"),
            OperatorAction { QStringLiteral("gui-bench"), Role::Developer, QStringLiteral("benchmark") })) {
        say(QStringLiteral("rebuild refused: %1").arg(refused->message()));
        return 4;
    }
    QElapsedTimer rebuildClock;
    rebuildClock.start();
    // While it runs, keep the window busy the way a user would: scroll and jump now and then.
    scroller.start();
    const bool finished = waitFor(
        [&] {
            const auto status = projections.status(QStringLiteral("account_balances"));
            return rebuildClock.elapsed() > 1000 && status && status->state != ProjectionState::Rebuilding
                && status->checkpoint >= head;
        },
        600000);
    scroller.stop();
    const double rebuildStall = meter.stop();
    projections.stop();
    if (!finished) {
        say(QStringLiteral("the rebuild did not finish"));
        return 4;
    }
    figures.append(
        { QStringLiteral("longest stall during a projection rebuild"), rebuildStall, QStringLiteral("ms"), -1, 50 });
    figures.append({ QStringLiteral("rebuild duration"), rebuildClock.elapsed() / 1.0, QStringLiteral("ms"), -1, -1 });

    // Memory: load rows in big pages; the resident size grows by what the model keeps.
    const qint64 wantRows = parser.isSet(rowsOption) ? parser.value(rowsOption).toLongLong() : total;
    window.filterBar()->setStreamId({});
    model->jumpToNewest();
    waitFor([&] { return !model->isLoading(); });
    const qint64 before = residentBytes();
    model->setPageSize(20000);
    while (model->rowCount() < wantRows && model->canFetchMore({})) {
        model->fetchMore({});
        if (!waitFor([&] { return !model->isLoading(); }))
            break;
    }
    QCoreApplication::processEvents();
    const qint64 after = residentBytes();
    figures.append({ QStringLiteral("rows loaded"), double(model->rowCount()), QStringLiteral("rows"), -1, -1 });
    figures.append({ QStringLiteral("resident memory growth for the loaded rows"), (after - before) / 1048576.0,
        QStringLiteral("MiB"), -1, 150.0 * model->rowCount() / 1000000.0 });
    figures.append({ QStringLiteral("model's own estimate"), model->approximateMemory() / 1048576.0,
        QStringLiteral("MiB"), -1, -1 });

    bool met = true;
    QJsonArray json;
    out() << QStringLiteral("eventscope GUI benchmark: %1 events, SQLite, offscreen, %2 cores\n")
                 .arg(total)
                 .arg(QThread::idealThreadCount());
    for (const Figure& f : std::as_const(figures)) {
        const bool ok = f.target < 0 || f.value < f.target;
        met = met && ok;
        QString line = QStringLiteral("  %1: %2 %3").arg(f.name, -46).arg(f.value, 0, 'f', 1).arg(f.unit);
        if (f.baseline >= 0)
            line += QStringLiteral("  (raw %1 ms, ratio %2)")
                        .arg(f.baseline, 0, 'f', 1)
                        .arg(f.value / std::max(0.01, f.baseline), 0, 'f', 1);
        if (f.target >= 0)
            line += ok ? QStringLiteral("  target < %1: met").arg(f.target)
                       : QStringLiteral("  target < %1: MISSED").arg(f.target);
        out() << line << '\n';
        json.append(QJsonObject { { QStringLiteral("name"), f.name }, { QStringLiteral("value"), f.value },
            { QStringLiteral("unit"), f.unit }, { QStringLiteral("baseline"), f.baseline },
            { QStringLiteral("target"), f.target }, { QStringLiteral("met"), ok } });
    }
    if (parser.isSet(jsonOption))
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    out().flush();
    window.closeStore();
    return met || parser.isSet(smokeOption) ? 0 : 5;
}
