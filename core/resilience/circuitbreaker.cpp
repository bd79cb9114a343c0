// SPDX-License-Identifier: Apache-2.0
#include "circuitbreaker.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcCircuitBreaker, "eventscope.core.resilience")

namespace EventScope {

namespace {
constexpr qsizetype MaxHistory = 100;
}

CircuitBreaker::CircuitBreaker(AppConfig::CircuitBreaker settings, Clock clock, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); }))
    , m_stateSince(QDateTime::currentDateTimeUtc())
    , m_window(std::size_t(std::max(1, m_settings.requestVolume)), false)
{
}

CircuitBreaker::~CircuitBreaker() = default;

std::optional<CircuitBreaker::Permit> CircuitBreaker::tryAcquire()
{
    std::optional<Transition> transition;
    std::optional<Permit> permit;
    {
        const std::lock_guard lock(m_mutex);
        if (m_state == State::Open && m_clock() - m_openedAt >= m_settings.sleepWindow)
            transition = transitionLocked(State::HalfOpen,
                tr("sleep window of %1 ms passed; letting trial calls through").arg(m_settings.sleepWindow.count()));
        switch (m_state) {
        case State::Closed:
            permit = Permit { m_generation, false };
            break;
        case State::HalfOpen:
            if (m_trialsInFlight + m_trialSuccesses < std::max(1, m_settings.successThreshold)) {
                ++m_trialsInFlight;
                permit = Permit { m_generation, true };
            }
            break;
        case State::Open:
            break;
        }
        if (!permit)
            ++m_counters.rejected;
    }
    emitTransition(transition);
    return permit;
}

bool CircuitBreaker::refusesNow()
{
    const std::lock_guard lock(m_mutex);
    if (m_state != State::Open || m_clock() - m_openedAt >= m_settings.sleepWindow)
        return false;
    ++m_counters.rejected;
    return true;
}

void CircuitBreaker::record(const Permit& permit, bool success)
{
    std::optional<Transition> transition;
    {
        const std::lock_guard lock(m_mutex);
        ++(success ? m_counters.successes : m_counters.failures);
        if (permit.generation != m_generation)
            return; // started before the latest transition: says nothing about the current state
        if (m_state == State::Closed) {
            const std::size_t size = m_window.size();
            if (m_windowCount == int(size)) {
                if (m_window[m_windowNext])
                    --m_windowFailures;
            } else {
                ++m_windowCount;
            }
            m_window[m_windowNext] = !success;
            if (!success)
                ++m_windowFailures;
            m_windowNext = (m_windowNext + 1) % size;
            if (m_windowCount >= m_settings.requestVolume
                && double(m_windowFailures) >= m_settings.failureRatio * double(m_windowCount) && m_windowFailures > 0)
                transition = transitionLocked(State::Open,
                    tr("%1 of the last %2 calls failed (threshold %3%)")
                        .arg(m_windowFailures)
                        .arg(m_windowCount)
                        .arg(m_settings.failureRatio * 100.0));
        } else if (m_state == State::HalfOpen && permit.trial) {
            --m_trialsInFlight;
            if (!success) {
                transition = transitionLocked(State::Open, tr("a trial call failed while half-open"));
            } else if (++m_trialSuccesses >= std::max(1, m_settings.successThreshold)) {
                transition = transitionLocked(
                    State::Closed, tr("%1 trial calls succeeded").arg(std::max(1, m_settings.successThreshold)));
            }
        }
    }
    emitTransition(transition);
}

std::optional<CircuitBreaker::Transition> CircuitBreaker::transitionLocked(State to, QString reason)
{
    Transition transition { m_state, to, QDateTime::currentDateTimeUtc(), std::move(reason) };
    m_state = to;
    ++m_generation;
    m_stateSince = transition.at;
    m_trialsInFlight = 0;
    m_trialSuccesses = 0;
    if (to == State::Open) {
        m_openedAt = m_clock();
        ++m_counters.opened;
    }
    clearWindowLocked();
    m_history.append(transition);
    if (m_history.size() > MaxHistory)
        m_history.remove(0, m_history.size() - MaxHistory);
    return transition;
}

void CircuitBreaker::clearWindowLocked()
{
    std::fill(m_window.begin(), m_window.end(), false);
    m_windowNext = 0;
    m_windowCount = 0;
    m_windowFailures = 0;
}

void CircuitBreaker::emitTransition(const std::optional<Transition>& transition)
{
    if (!transition)
        return;
    if (transition->to == State::Open)
        qCWarning(lcCircuitBreaker).noquote() << "circuit breaker" << m_settings.name << "opened:" << transition->reason
                                              << "- calls are refused for" << m_settings.sleepWindow.count() << "ms";
    else
        qCInfo(lcCircuitBreaker).noquote() << "circuit breaker" << m_settings.name << stateName(transition->from)
                                           << "->" << stateName(transition->to) << ":" << transition->reason;
    Q_EMIT stateChanged(transition->from, transition->to, transition->at, transition->reason);
}

CircuitBreaker::State CircuitBreaker::state() const
{
    const std::lock_guard lock(m_mutex);
    return m_state;
}

QDateTime CircuitBreaker::stateSince() const
{
    const std::lock_guard lock(m_mutex);
    return m_stateSince;
}

QDateTime CircuitBreaker::retryAt() const
{
    const std::lock_guard lock(m_mutex);
    if (m_state != State::Open)
        return {};
    const auto remaining
        = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.sleepWindow - (m_clock() - m_openedAt));
    return QDateTime::currentDateTimeUtc().addMSecs(std::max<qint64>(0, remaining.count()));
}

std::pair<int, int> CircuitBreaker::window() const
{
    const std::lock_guard lock(m_mutex);
    return { m_windowFailures, m_windowCount };
}

QList<CircuitBreaker::Transition> CircuitBreaker::history() const
{
    const std::lock_guard lock(m_mutex);
    return m_history;
}

CircuitBreaker::Counters CircuitBreaker::counters() const
{
    const std::lock_guard lock(m_mutex);
    return m_counters;
}

void CircuitBreaker::reset()
{
    std::optional<Transition> transition;
    {
        const std::lock_guard lock(m_mutex);
        if (m_state != State::Closed)
            transition = transitionLocked(State::Closed, tr("reset by an operator"));
        else
            clearWindowLocked();
    }
    emitTransition(transition);
}

QString CircuitBreaker::stateName(State state)
{
    switch (state) {
    case State::Closed:
        return QStringLiteral("closed");
    case State::Open:
        return QStringLiteral("open");
    case State::HalfOpen:
        return QStringLiteral("half-open");
    }
    return QString();
}

} // namespace EventScope
