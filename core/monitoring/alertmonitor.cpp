// SPDX-License-Identifier: Apache-2.0
#include "alertmonitor.h"

#include "metricsregistry.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <utility>

namespace EventScope {

namespace {

Q_LOGGING_CATEGORY(lcAlerts, "eventscope.core.alerts")

const QString commandsMetric = QStringLiteral("commands_executed_total");
const QString appendLatencyMetric = QStringLiteral("eventstore_append_duration_seconds");
const QString readLatencyMetric = QStringLiteral("eventstore_read_duration_seconds");

QString formatMs(double ms)
{
    const QLocale locale;
    if (ms >= 2 * 3600 * 1000.0)
        return AlertMonitor::tr("%1 h").arg(locale.toString(ms / 3600000.0, 'f', 1));
    if (ms >= 120 * 1000.0 || (ms >= 60000 && std::fmod(ms, 60000.0) == 0))
        return AlertMonitor::tr("%1 min").arg(locale.toString(std::round(ms / 60000.0), 'f', 0));
    if (ms >= 10000)
        return AlertMonitor::tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 0));
    if (ms >= 1000)
        return AlertMonitor::tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    return AlertMonitor::tr("%1 ms").arg(locale.toString(ms, 'f', 0));
}

QString formatPercent(double share)
{
    return QLocale().toString(share * 100.0, 'f', share < 0.1 ? 1 : 0) + u'%';
}

/// The q-quantile of the observations counted by \a cumulative (per bound, then +Inf), interpolated linearly in
/// its bucket as Prometheus' histogram_quantile() does; beyond the last bound it is that bound.
double quantile(double q, const QList<double>& bounds, const QList<double>& cumulative)
{
    if (cumulative.isEmpty() || cumulative.constLast() <= 0)
        return 0;
    const double total = cumulative.constLast();
    const double rank = q * total;
    for (qsizetype i = 0; i < bounds.size() && i < cumulative.size(); ++i) {
        if (cumulative.at(i) >= rank) {
            const double lower = i == 0 ? 0.0 : bounds.at(i - 1);
            const double before = i == 0 ? 0.0 : cumulative.at(i - 1);
            const double inBucket = cumulative.at(i) - before;
            if (inBucket <= 0)
                return bounds.at(i);
            return lower + (bounds.at(i) - lower) * (rank - before) / inBucket;
        }
    }
    return bounds.isEmpty() ? 0 : bounds.constLast();
}

} // namespace

struct AlertMonitor::State {
    State(int historySize, bool enabled)
        : historySize(std::max(historySize, 1))
        , enabled(enabled)
    {
    }

    mutable std::mutex mutex;
    const int historySize;
    const bool enabled;
    QList<Alert> active;
    QList<Transition> history;
};

struct AlertMonitor::Sample {
    struct Latency {
        QList<double> bounds;
        QList<double> cumulative; ///< per bound, then +Inf
    };

    QDateTime at;
    double commands = 0;
    double commandErrors = 0;
    QHash<QString, Latency> latency; ///< by operation: "append", "read"
};

namespace {

/// Reports the monitor's active alerts; holds the state, not the monitor, so it may outlive it.
class AlertHealthCheck final : public HealthCheck {
public:
    explicit AlertHealthCheck(std::shared_ptr<const AlertMonitor::State> state)
        : m_state(std::move(state))
    {
    }

    QString name() const override { return QStringLiteral("alerts"); }
    HealthCheckResult check(QDeadlineTimer) override;

private:
    std::shared_ptr<const AlertMonitor::State> m_state;
};

} // namespace

HealthCheckResult AlertHealthCheck::check(QDeadlineTimer)
{
    QList<AlertMonitor::Alert> active;
    {
        const std::lock_guard lock(m_state->mutex);
        active = m_state->active;
    }
    if (!m_state->enabled)
        return HealthCheckResult::up(AlertMonitor::tr("Alerts are turned off (alerts.enabled in the configuration)."));
    if (active.isEmpty())
        return HealthCheckResult::up(AlertMonitor::tr("No alert is active."));
    QStringList lines;
    for (const AlertMonitor::Alert& alert : std::as_const(active)) {
        lines << AlertMonitor::tr("[%1 since %2] %3")
                     .arg(AlertMonitor::severityName(alert.severity), alert.raisedAt.toString(Qt::ISODate),
                         alert.message);
    }
    return HealthCheckResult::degraded(
        (active.size() == 1 ? AlertMonitor::tr("1 alert active: %1")
                            : AlertMonitor::tr("%1 alerts active: %2").arg(active.size()))
            .arg(lines.join(u' ')));
}

AlertMonitor::AlertMonitor(AppConfig::Alerts settings, Sources sources, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_sources(std::move(sources))
    , m_state(std::make_shared<State>(m_settings.historySize, m_settings.enabled))
{
    m_timer.setInterval(std::max(m_settings.evaluationInterval, std::chrono::milliseconds(100)));
    connect(&m_timer, &QTimer::timeout, this, &AlertMonitor::evaluate);
}

AlertMonitor::~AlertMonitor() = default;

void AlertMonitor::start()
{
    if (!m_settings.enabled)
        return;
    evaluate();
    m_timer.start();
}

void AlertMonitor::stop()
{
    m_timer.stop();
}

QString AlertMonitor::severityName(Severity severity)
{
    return severity == Severity::Critical ? QStringLiteral("critical") : QStringLiteral("warning");
}

QList<AlertMonitor::Alert> AlertMonitor::activeAlerts() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->active;
}

QList<AlertMonitor::Transition> AlertMonitor::history() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->history;
}

std::shared_ptr<HealthCheck> AlertMonitor::healthCheck() const
{
    return std::make_shared<AlertHealthCheck>(m_state);
}

std::shared_ptr<const AlertMonitor::Sample> AlertMonitor::takeSample(const QDateTime& now) const
{
    auto sample = std::make_shared<Sample>();
    sample->at = now;
    if (!m_sources.metrics)
        return sample;
    if (const auto commands = m_sources.metrics->snapshot(commandsMetric)) {
        const qsizetype outcomeIndex = commands->labelNames.indexOf(QStringLiteral("outcome"));
        for (const MetricSeriesSnapshot& series : std::as_const(commands->series)) {
            sample->commands += series.value;
            if (outcomeIndex >= 0 && outcomeIndex < series.labelValues.size()
                && m_settings.commandErrors.outcomes.contains(series.labelValues.at(outcomeIndex)))
                sample->commandErrors += series.value;
        }
    }
    const std::pair<QString, QString> histograms[]
        = { { QStringLiteral("append"), appendLatencyMetric }, { QStringLiteral("read"), readLatencyMetric } };
    for (const auto& [operation, name] : histograms) {
        const auto histogram = m_sources.metrics->snapshot(name);
        if (!histogram || histogram->type != MetricType::Histogram)
            continue;
        Sample::Latency latency;
        latency.bounds = histogram->bounds;
        latency.cumulative.resize(histogram->bounds.size() + 1, 0.0);
        // Sum the series of every label set (there is one today) so that the alert is about the store as a whole.
        for (const MetricSeriesSnapshot& series : std::as_const(histogram->series)) {
            for (qsizetype i = 0; i < series.bucketCounts.size() && i < latency.cumulative.size(); ++i)
                latency.cumulative[i] += double(series.bucketCounts.at(i));
        }
        sample->latency.insert(operation, latency);
    }
    return sample;
}

const AlertMonitor::Sample* AlertMonitor::baseline(const QDateTime& now, std::chrono::milliseconds window) const
{
    // The newest sample at least a window old; until there is one, the oldest.
    const QDateTime start = now.addMSecs(-window.count());
    const Sample* result = m_samples.isEmpty() ? nullptr : m_samples.constFirst().get();
    for (const auto& sample : m_samples) {
        if (sample->at <= start)
            result = sample.get();
        else
            break;
    }
    return result;
}

QList<AlertMonitor::Finding> AlertMonitor::findProjectionLag(const QList<ProjectionStatus>& statuses) const
{
    QList<Finding> findings;
    const auto& limits = m_settings.projectionLag;
    for (const ProjectionStatus& status : statuses) {
        const bool byEvents = limits.events > 0;
        const bool byTime = limits.time.count() > 0;
        if (!byEvents && !byTime)
            break;
        const double events = double(status.lagEvents);
        const double ms = double(status.lagTime.count());
        const bool eventsAbove = byEvents && events >= limits.events;
        const bool timeAbove = byTime && ms >= double(limits.time.count());
        const bool eventsClear = !byEvents || events < clearLevel(limits.events);
        const bool timeClear = !byTime || ms < clearLevel(double(limits.time.count()));
        // The value shown is the one that is over (events first), so the message and the threshold agree.
        const bool showTime = timeAbove && !eventsAbove;
        Finding finding { QStringLiteral("projection-lag:") + status.name, Kind::ProjectionLag, Severity::Warning,
            status.name, {}, showTime ? ms : events, showTime ? double(limits.time.count()) : double(limits.events),
            eventsAbove || timeAbove, eventsClear && timeClear };
        const QString state = projectionStateName(status.state).replace(u'-', u' ');
        QString advice;
        if (status.state == ProjectionState::Faulted)
            advice = tr("It is faulted: retry or skip the event in the Projections pane.");
        else if (status.state == ProjectionState::Paused)
            advice = tr("It is paused: resume it in the Projections pane.");
        else if (status.state == ProjectionState::Stopped)
            advice = tr("It is stopped: start the projections (this instance does not run them).");
        else if (status.state == ProjectionState::RunningElsewhere)
            advice = tr("It runs in another instance (%1): check that instance and its database connection.")
                         .arg(status.owner);
        else
            advice = tr("It is %1 at %2 events/s: check its last error and the database load.")
                         .arg(state, QLocale().toString(status.eventsPerSecond, 'f', 0));
        QStringList limitsText;
        if (byEvents)
            limitsText << tr("%1 events").arg(QLocale().toString(limits.events));
        if (byTime)
            limitsText << formatMs(double(limits.time.count()));
        finding.message = tr("Projection %1 is %2 events (%3) behind (alert at %4). %5")
                              .arg(status.name, QLocale().toString(status.lagEvents), formatMs(ms),
                                  limitsText.join(tr(" or ")), advice);
        findings << finding;
    }
    return findings;
}

QList<AlertMonitor::Finding> AlertMonitor::findBreakers(
    const QList<CircuitBreakerReading>& breakers, const QDateTime& now) const
{
    QList<Finding> findings;
    if (!m_settings.circuitBreaker.open)
        return findings;
    const double openFor = double(m_settings.circuitBreaker.openFor.count());
    for (const CircuitBreakerReading& breaker : breakers) {
        const bool open = breaker.state == CircuitBreakerReading::State::Open;
        // Unknown since: count it as open for as long as asked.
        const double openMs = !open ? 0.0 : breaker.since.isValid() ? double(breaker.since.msecsTo(now)) : openFor;
        Finding finding { QStringLiteral("circuit-breaker:") + breaker.name, Kind::CircuitBreakerOpen,
            Severity::Critical, breaker.name, {}, openMs, openFor, open && openMs >= openFor,
            breaker.state == CircuitBreakerReading::State::Closed };
        if (breaker.state == CircuitBreakerReading::State::HalfOpen) {
            finding.message = tr("Circuit breaker %1 is half-open: trial calls are testing the event store. The "
                                 "alert clears once they succeed; if it opens again, check the database.")
                                  .arg(breaker.name);
        } else {
            finding.message = tr("Circuit breaker %1 has been open for %2: event-store calls are refused and "
                                 "commands fail with \"store unavailable\". Check that the database is reachable "
                                 "and not overloaded; the breaker retries by itself after its sleep window.")
                                  .arg(breaker.name, formatMs(openMs));
        }
        findings << finding;
    }
    return findings;
}

QList<AlertMonitor::Finding> AlertMonitor::findCommandErrors(const Sample& latest) const
{
    const auto& limits = m_settings.commandErrors;
    if (limits.ratio <= 0 || !m_sources.metrics)
        return {};
    const Sample* base = baseline(latest.at, limits.window);
    if (!base)
        return {};
    const double commands = std::max(0.0, latest.commands - base->commands);
    const double errors = std::max(0.0, latest.commandErrors - base->commandErrors);
    const double share = commands > 0 ? errors / commands : 0.0;
    const bool enough = commands >= limits.minCommands;
    Finding finding { QStringLiteral("command-errors"), Kind::CommandErrors, Severity::Critical, QString(), {}, share,
        limits.ratio, enough && share >= limits.ratio, commands <= 0 || share < clearLevel(limits.ratio) };
    finding.message
        = tr("%1 of the last %2 commands failed (%3 in the last %4; alert at %5). Look at the log pane and the "
             "event store's health; \"store unavailable\" means the database, \"handler failed\" a bug to report.")
              .arg(QLocale().toString(qint64(std::llround(errors))), QLocale().toString(qint64(std::llround(commands))),
                  formatPercent(share), formatMs(double(limits.window.count())), formatPercent(limits.ratio));
    return { finding };
}

QList<AlertMonitor::Finding> AlertMonitor::findStoreLatency(const Sample& latest) const
{
    const auto& limits = m_settings.storeLatency;
    if ((limits.p95.count() <= 0 && limits.p99.count() <= 0) || !m_sources.metrics)
        return {};
    const Sample* base = baseline(latest.at, limits.window);
    if (!base)
        return {};
    QList<Finding> findings;
    for (auto it = latest.latency.cbegin(); it != latest.latency.cend(); ++it) {
        const Sample::Latency& now = it.value();
        QList<double> delta = now.cumulative;
        if (const auto before = base->latency.constFind(it.key());
            before != base->latency.cend() && before->cumulative.size() == delta.size()) {
            for (qsizetype i = 0; i < delta.size(); ++i)
                delta[i] = std::max(0.0, delta.at(i) - before->cumulative.at(i));
        }
        const double calls = delta.isEmpty() ? 0.0 : delta.constLast();
        const bool enough = calls >= limits.minCalls;
        // The percentile that is furthest over its threshold decides (p99 before p95 when both are).
        struct Check {
            double q;
            std::chrono::milliseconds threshold;
            const char* label;
        };
        const Check checks[] = { { 0.99, limits.p99, "p99" }, { 0.95, limits.p95, "p95" } };
        bool above = false;
        bool belowClear = true;
        double shownValue = 0;
        double shownThreshold = 0;
        QString shownLabel;
        for (const Check& check : checks) {
            if (check.threshold.count() <= 0)
                continue;
            const double ms = quantile(check.q, now.bounds, delta) * 1000.0;
            const double threshold = double(check.threshold.count());
            const bool over = enough && ms >= threshold;
            if (shownLabel.isEmpty() || (over && !above)) {
                shownValue = ms;
                shownThreshold = threshold;
                shownLabel = QString::fromLatin1(check.label);
            }
            above = above || over;
            belowClear = belowClear && (calls <= 0 || ms < clearLevel(threshold));
        }
        if (shownLabel.isEmpty())
            continue;
        Finding finding { QStringLiteral("store-latency:") + it.key(), Kind::StoreLatency, Severity::Warning, it.key(),
            {}, shownValue, shownThreshold, above, belowClear };
        finding.message
            = tr("Event-store %1 calls are slow: %2 %3 over the last %4 calls in %5 (alert at %6). "
                 "Check the database's load, disk and network; long transactions or a missing index "
                 "can hold calls up.")
                  .arg(it.key(), shownLabel, formatMs(shownValue), QLocale().toString(qint64(std::llround(calls))),
                      formatMs(double(limits.window.count())), formatMs(shownThreshold));
        findings << finding;
    }
    return findings;
}

void AlertMonitor::evaluate()
{
    if (!m_settings.enabled)
        return;
    QList<Alert> raised;
    QList<Alert> cleared;
    QList<Alert> updated;
    {
        const std::lock_guard evaluating(m_evaluating);
        if (m_sources.sample)
            m_sources.sample();
        const QDateTime now = m_sources.clock ? m_sources.clock() : QDateTime::currentDateTimeUtc();

        QList<Finding> findings;
        if (m_sources.projections)
            findings << findProjectionLag(m_sources.projections());
        if (m_sources.breakers)
            findings << findBreakers(m_sources.breakers(), now);
        if (m_sources.metrics) {
            const auto latest = takeSample(now);
            m_samples << latest;
            findings << findCommandErrors(*latest) << findStoreLatency(*latest);
            // Keep one sample older than the longest window as the baseline, drop the rest.
            const auto longest = std::max(m_settings.commandErrors.window, m_settings.storeLatency.window);
            const QDateTime start = now.addMSecs(-longest.count());
            while (m_samples.size() > 2 && m_samples.at(1)->at <= start)
                m_samples.removeFirst();
        }

        const std::lock_guard lock(m_state->mutex);
        QSet<QString> seen;
        for (const Finding& finding : std::as_const(findings)) {
            seen.insert(finding.id);
            const auto active = std::find_if(m_state->active.begin(), m_state->active.end(),
                [&](const Alert& alert) { return alert.id == finding.id; });
            if (active == m_state->active.end()) {
                if (!finding.above)
                    continue;
                Alert alert { finding.id, finding.kind, finding.severity, finding.subject, finding.message,
                    finding.value, finding.threshold, now, now, {} };
                m_state->active << alert;
                m_state->history << Transition { Transition::Change::Raised, now, alert };
                raised << alert;
            } else if (finding.belowClear) {
                Alert alert = *active;
                alert.value = finding.value;
                alert.updatedAt = now;
                alert.clearedAt = now;
                m_state->active.erase(active);
                m_state->history << Transition { Transition::Change::Cleared, now, alert };
                cleared << alert;
            } else {
                const bool changed = active->message != finding.message || active->value != finding.value;
                active->message = finding.message;
                active->value = finding.value;
                active->threshold = finding.threshold;
                active->updatedAt = now;
                if (changed)
                    updated << *active;
            }
        }
        // An alert whose subject disappeared (projection removed, engine replaced) has nothing left to watch.
        for (auto it = m_state->active.begin(); it != m_state->active.end();) {
            if (seen.contains(it->id)) {
                ++it;
                continue;
            }
            Alert alert = *it;
            alert.clearedAt = now;
            alert.updatedAt = now;
            m_state->history << Transition { Transition::Change::Cleared, now, alert };
            cleared << alert;
            it = m_state->active.erase(it);
        }
        std::stable_sort(m_state->active.begin(), m_state->active.end(), [](const Alert& a, const Alert& b) {
            if (a.severity != b.severity)
                return a.severity == Severity::Critical;
            return a.raisedAt < b.raisedAt;
        });
        if (m_state->history.size() > m_state->historySize)
            m_state->history.remove(0, m_state->history.size() - m_state->historySize);
    }

    for (const Alert& alert : std::as_const(raised)) {
        qCWarning(lcAlerts).noquote() << "alert raised:" << alert.message;
        Q_EMIT alertRaised(alert);
    }
    for (const Alert& alert : std::as_const(cleared)) {
        qCInfo(lcAlerts).noquote() << "alert cleared:" << alert.id;
        Q_EMIT alertCleared(alert);
    }
    for (const Alert& alert : std::as_const(updated))
        Q_EMIT alertUpdated(alert);
}

} // namespace EventScope
