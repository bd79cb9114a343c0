// SPDX-License-Identifier: Apache-2.0
#include "timeoutpolicy.h"

#include <algorithm>

namespace EventScope {

TimeoutPolicy::TimeoutPolicy(std::chrono::milliseconds duration, int maxThreads)
    : m_duration(duration)
{
    m_pool.setMaxThreadCount(std::max(1, maxThreads));
    m_pool.setObjectName(QStringLiteral("eventscope-timeout"));
}

TimeoutPolicy::~TimeoutPolicy()
{
    m_pool.waitForDone();
}

} // namespace EventScope
