// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storesettings.h"

#include <QString>

namespace EventScope {

/**
 * True when \a location names a PostgreSQL database rather than an SQLite file: a postgres:// or postgresql://
 * URL, or a libpq key/value string whose first key is a libpq connection keyword (host=…, dbname=…, service=…).
 */
bool isPostgresLocation(const QString& location);

/**
 * Settings for the store a person named on a command line (`eventscope STORE`, `eventscope-cli --store STORE`):
 * \a base (the configuration's settings) with the backend and connection taken from \a location. A PostgreSQL
 * location replaces the connection string; anything else is an SQLite file path.
 */
StoreSettings storeSettingsFromLocation(const QString& location, StoreSettings base = {});

} // namespace EventScope
