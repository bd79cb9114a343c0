// SPDX-License-Identifier: Apache-2.0
#include "retrypolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <thread>

namespace EventScope {

RetryPolicy::RetryPolicy(AppConfig::Retry settings, Sleeper sleeper, Random random)
    : m_settings(std::move(settings))
    , m_sleeper(sleeper ? std::move(sleeper)
                        : Sleeper([](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }))
    , m_random(random ? std::move(random) : Random([] { return QRandomGenerator::global()->generateDouble(); }))
{
}

std::chrono::milliseconds RetryPolicy::nominalDelay(int retry) const
{
    const double initial = double(std::max<qint64>(0, m_settings.initialDelay.count()));
    const double cap = std::max(initial, double(m_settings.maxDelay.count()));
    const double factor = std::max(1.0, m_settings.backoffFactor);
    // pow() may overflow to inf for large retries; min() with the cap keeps the result finite.
    const double nominal = std::min(cap, initial * std::pow(factor, double(std::max(0, retry - 1))));
    return std::chrono::milliseconds(qint64(std::llround(nominal)));
}

std::chrono::milliseconds RetryPolicy::delay(int retry) const
{
    const auto nominal = nominalDelay(retry);
    if (!m_settings.jitter || nominal.count() == 0)
        return nominal;
    const double unit = std::clamp(m_random(), 0.0, 1.0);
    const double half = double(nominal.count()) / 2.0;
    return std::chrono::milliseconds(qint64(std::llround(half + unit * half)));
}

} // namespace EventScope
