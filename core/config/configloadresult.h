// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "appconfig.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace EventScope {

/**
 * What ConfigLoader produced: a configuration, or an error that says what is wrong and where.
 *
 * Exactly one of `config` and `error` is set. `warnings` (unknown keys, odd but usable values) may be
 * present either way; each reads "file:line:column: text".
 */
struct ConfigLoadResult {
    std::optional<AppConfig> config;
    /// One line per problem found, each "file:line:column: key.path ...", for people to read.
    QString error;
    QStringList warnings;

    bool ok() const { return config.has_value(); }
};

} // namespace EventScope
