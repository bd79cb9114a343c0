// SPDX-License-Identifier: Apache-2.0
#include "domainmodule.h"

namespace EventScope {

DomainModule::~DomainModule() = default;

} // namespace EventScope
