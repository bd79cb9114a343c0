// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dispatchresult.h"

#include <functional>
#include <memory>

namespace EventScope {

/**
 * How a dispatch is protected from a failing store (circuit breaker, timeout, bulkhead …). execute()
 * runs \a call at most as often as the policy allows and returns its result, or a result of its own
 * (e.g. CommandError::StoreUnavailable while a breaker is open). Implementations must be thread-safe.
 */
class ResiliencePolicy {
public:
    virtual ~ResiliencePolicy();
    virtual DispatchResult execute(const std::function<DispatchResult()>& call) = 0;

    /// The default policy: runs the call once and returns its result unchanged.
    static std::shared_ptr<ResiliencePolicy> passThrough();
};

} // namespace EventScope
