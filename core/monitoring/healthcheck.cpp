// SPDX-License-Identifier: Apache-2.0
#include "healthcheck.h"

namespace EventScope {

HealthCheck::~HealthCheck() = default;

} // namespace EventScope
