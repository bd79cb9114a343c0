// SPDX-License-Identifier: Apache-2.0
#include "sqldialect.h"

#include "postgresdialect.h"
#include "sqlitedialect.h"

namespace EventScope {

std::unique_ptr<SqlDialect> SqlDialect::create(StoreSettings::Backend backend)
{
    switch (backend) {
    case StoreSettings::Backend::Sqlite:
        return std::make_unique<SqliteDialect>();
    case StoreSettings::Backend::Postgres:
        return std::make_unique<PostgresDialect>();
    }
    return nullptr;
}

} // namespace EventScope
