// SPDX-License-Identifier: Apache-2.0
#include "servecommand.h"

#include "listenaddress.h"
#include "monitoringserver.h"
#include "storeoption.h"

#include "engine/engine.h"
#include "monitoring/alertmonitor.h"
#include "monitoring/healthregistry.h"
#include "monitoring/monitoringhub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ServeCommand", text);
}

const QString CommandName = QStringLiteral("serve");

// Set by the signal handler, polled by a timer on the event loop: the only thing a handler may safely do.
std::atomic<int> receivedSignal { 0 };
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void onStopSignal(int signal)
{
    receivedSignal.store(signal);
}

/// Installs the SIGINT/SIGTERM handlers for its lifetime.
class StopSignals {
public:
    StopSignals()
    {
        receivedSignal.store(0);
        m_previousInt = std::signal(SIGINT, onStopSignal);
        m_previousTerm = std::signal(SIGTERM, onStopSignal);
    }
    ~StopSignals()
    {
        std::signal(SIGINT, m_previousInt);
        std::signal(SIGTERM, m_previousTerm);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    void (*m_previousInt)(int) = SIG_DFL;
    void (*m_previousTerm)(int) = SIG_DFL;
};

} // namespace

QString ServeCommand::usage()
{
    return QStringLiteral("eventscope-cli serve [--store S] [--listen HOST:PORT] [--chaos-failure-rate R] "
                          "[--chaos-latency MS] [--chaos-outage SECONDS] [options]");
}

QString ServeCommand::description()
{
    return tr("Runs the engine headless with its projections live, and serves health checks and metrics over "
              "HTTP until SIGINT or SIGTERM (it then finishes the current projection batch and exits 0).\n\n"
              "The first line on stdout is 'listening on http://HOST:PORT'. Endpoints (GET only):\n"
              "  /health              every check; 200 while up or degraded, 503 when down\n"
              "  /health/eventstore   the database answers within monitoring.health.timeout\n"
              "  /health/storeaccess  the domain reaches its events through the resilience pipeline\n"
              "  /health/projections  no projection faulted or far behind\n"
              "  /health/resilience   no circuit breaker open\n"
              "  /health/alerts       no alert active (thresholds: the alerts: section of the configuration)\n"
              "  /metrics             Prometheus text format 0.0.4 (path: monitoring.metrics.prometheus.path)\n"
              "Health bodies are JSON with each check's status, detail and time; checks run when asked, each "
              "with the configured timeout.\n\n"
              "The address comes from --listen, else monitoring.metrics.prometheus.listen_addr (default "
              "':9090'). A missing host means 127.0.0.1: write 0.0.0.0 or [::] to be reachable from other "
              "machines.\n\n"
              "Exit status: 1 for a bad --listen or option, 3 when the store is unavailable, 4 when the port is in "
              "use or the server fails otherwise.");
}

void ServeCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption({ QStringLiteral("listen"),
        tr("Address to serve on: HOST:PORT, :PORT (127.0.0.1) or [IPv6]:PORT; port 0 takes any free port. "
           "Default: the configuration's monitoring.metrics.prometheus.listen_addr, ':9090'."),
        tr("address") });
    parser.addOption({ QStringLiteral("chaos-failure-rate"),
        tr("Chaos drill: make this share (0 to 1) of the domain's event-store calls fail, to watch retries, "
           "the circuit breaker and the health checks react. Never on a production server."),
        tr("rate") });
    parser.addOption({ QStringLiteral("chaos-latency"),
        tr("Chaos drill: add this many milliseconds before every event-store call of the domain, to watch timeouts "
           "and latency histograms react."),
        tr("ms") });
    parser.addOption({ QStringLiteral("chaos-outage"),
        tr("Chaos drill: every event-store call of the domain fails for the first N seconds after start, then the "
           "store comes back, to watch the breaker open and close again."),
        tr("seconds") });
}

int ServeCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    const AppConfig& config = context.config;
    const bool listenGiven = parser.isSet(QStringLiteral("listen"));
    const QString listenText
        = listenGiven ? parser.value(QStringLiteral("listen")) : config.monitoring.metrics.prometheusListenAddress;
    QString error;
    const std::optional<ListenAddress> address = ListenAddress::parse(listenText, &error);
    if (!address) {
        if (listenGiven)
            return context.usageError(tr("--listen: %1").arg(error), CommandName);
        return context.failure(tr("monitoring.metrics.prometheus.listen_addr: %1").arg(error), ExitUsage);
    }
    const QString metricsPath = config.monitoring.metrics.prometheusPath;
    static const QRegularExpression plainPath(QStringLiteral("^/[A-Za-z0-9_\\-./]*$"));
    if (!plainPath.match(metricsPath).hasMatch() || metricsPath.startsWith(QLatin1String("/health")))
        return context.failure(tr("monitoring.metrics.prometheus.path '%1' cannot be served: use a path such as "
                                  "/metrics (letters, digits, '_', '-', '.', '/'; not under /health).")
                                   .arg(metricsPath),
            ExitUsage);

    Engine::Options options;
    if (parser.isSet(QStringLiteral("chaos-failure-rate"))) {
        bool ok = false;
        const double rate = parser.value(QStringLiteral("chaos-failure-rate")).toDouble(&ok);
        if (!ok || !(rate >= 0.0 && rate <= 1.0))
            return context.usageError(tr("--chaos-failure-rate takes a number from 0 to 1, not '%1'.")
                                          .arg(parser.value(QStringLiteral("chaos-failure-rate"))),
                CommandName);
        FaultInjection chaos;
        chaos.failureRate = rate;
        options.chaos = chaos;
    }
    if (parser.isSet(QStringLiteral("chaos-latency"))) {
        bool ok = false;
        const qint64 latency = parser.value(QStringLiteral("chaos-latency")).toLongLong(&ok);
        if (!ok || latency < 0 || latency > 600000)
            return context.usageError(tr("--chaos-latency takes milliseconds from 0 to 600000, not '%1'.")
                                          .arg(parser.value(QStringLiteral("chaos-latency"))),
                CommandName);
        FaultInjection chaos = options.chaos.value_or(FaultInjection {});
        chaos.latency = std::chrono::milliseconds(latency);
        options.chaos = chaos;
    }
    if (parser.isSet(QStringLiteral("chaos-outage"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("chaos-outage")).toDouble(&ok);
        if (!ok || !(seconds > 0.0 && seconds <= 86400.0))
            return context.usageError(tr("--chaos-outage takes a number of seconds above 0, not '%1'.")
                                          .arg(parser.value(QStringLiteral("chaos-outage"))),
                CommandName);
        FaultInjection chaos = options.chaos.value_or(FaultInjection {});
        chaos.outageStart = std::chrono::milliseconds(0);
        chaos.outageEnd = std::chrono::milliseconds(qint64(seconds * 1000.0));
        options.chaos = chaos;
    }

    int exitCode = ExitOk;
    options.store = StoreOption::open(parser, context, false, &exitCode);
    if (!options.store)
        return exitCode;
    const bool chaosOn = options.chaos.has_value();
    const double chaosRate = chaosOn ? options.chaos->failureRate : 0.0;
    // Declared before the engine, which records into its metrics and must go first.
    MonitoringHub monitoring(config.monitoring);
    options.metrics = monitoring.metrics();
    auto created = Engine::create(config, std::move(options));
    if (!created) {
        const DomainError& failure = created.error();
        return context.failure(
            failure.message(), failure.storeError() ? CliContext::exitCodeOf(*failure.storeError()) : ExitFailure);
    }
    const std::shared_ptr<Engine> engineOwner = std::move(created).value();
    Engine& engine = *engineOwner;
    if (chaosOn) {
        context.err << tr("*** CHAOS DRILL: %1% of the domain's event-store calls fail on purpose "
                          "(--chaos-failure-rate %2)%3. Do not use this server for real work. ***")
                           .arg(chaosRate * 100.0)
                           .arg(chaosRate)
                           .arg(parser.isSet(QStringLiteral("chaos-outage"))
                                   ? tr(", and all of them for the first %1 s (--chaos-outage)")
                                         .arg(parser.value(QStringLiteral("chaos-outage")))
                                   : QString())
                    << (parser.isSet(QStringLiteral("chaos-latency"))
                               ? tr(" *** Every call waits %1 ms more first (--chaos-latency). ***")
                                     .arg(parser.value(QStringLiteral("chaos-latency")))
                               : QString())
                    << Qt::endl;
    }

    monitoring.attach(engineOwner);
    const std::shared_ptr<HealthRegistry> health = monitoring.healthRegistry();

    AlertMonitor::Sources alertSources;
    alertSources.metrics = &monitoring.registry();
    alertSources.projections = [&engine] { return engine.projections().statuses(); };
    alertSources.breakers = [&monitoring] { return monitoring.breakers(); };
    alertSources.sample = [&monitoring] { monitoring.sample(); };
    AlertMonitor alerts(config.alerts, std::move(alertSources));
    health->add(alerts.healthCheck());

    engine.projections().start();
    alerts.start();
    int status = ExitOk;
    {
        MonitoringServer server(
            *health, [&monitoring] { return monitoring.renderPrometheus(); }, metricsPath);
        const quint16 port = server.listen(address->host, address->port, &error);
        if (port == 0) {
            status = context.failure(
                tr("cannot listen on %1 (%2). Another program may use port %3: stop it, or choose another address "
                   "with --listen HOST:PORT (port 0 takes any free port).")
                    .arg(ListenAddress::url(address->host, address->port), error)
                    .arg(address->port));
        } else {
            const StopSignals stopSignals;
            context.out << "listening on " << ListenAddress::url(address->host, port) << Qt::endl;
            context.err << tr("Serving %1; stop with Ctrl+C or SIGTERM.").arg(server.paths().join(QLatin1String(", ")))
                        << Qt::endl;
            QTimer stopPoll;
            QObject::connect(&stopPoll, &QTimer::timeout, [] {
                if (receivedSignal.load() != 0)
                    QCoreApplication::quit();
            });
            stopPoll.start(100);
            QCoreApplication::exec();
            qInfo().noquote() << "signal" << receivedSignal.load() << "received; stopping";
        }
    }
    // Finishes the batch each projection is applying, then stops their threads.
    engine.projections().stop();
    return status;
}

} // namespace EventScope
