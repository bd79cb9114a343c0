// SPDX-License-Identifier: Apache-2.0
#include "domainmodule.h"

#include "projections/projection.h"

namespace EventScope {

DomainModule::~DomainModule() = default;

QList<std::shared_ptr<Projection>> DomainModule::projections() const
{
    return {};
}

QHash<QString, QString> DomainModule::readModelQueries() const
{
    return {};
}

Repository::Factory DomainModule::aggregateFactory(const QString&) const
{
    return {};
}

} // namespace EventScope
