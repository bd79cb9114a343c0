// SPDX-License-Identifier: Apache-2.0
#include "projection.h"

namespace EventScope {

Projection::~Projection() = default;

QString Projection::flush(ProjectionBatch&)
{
    return {};
}

void Projection::discard() { }

} // namespace EventScope
