// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "appconfig.h"
#include "configloadresult.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <chrono>
#include <optional>

namespace EventScope {

/**
 * Reads AppConfig from YAML (the schema of resources/config.example.yaml).
 *
 * Missing keys and sections keep their defaults, so an empty file yields defaults(). A value of the wrong
 * type or out of range fails the whole load, with an error naming the file, the full key path (such as
 * `resilience.retry.max_attempts`), the line and column, what was found and what is expected; all such
 * problems of one file are reported together. Unknown keys are warnings (with a "did you mean" hint when a
 * known key is one or two edits away), logged in the `eventscope.core.config` category and returned.
 *
 * Thread-safe: all functions are reentrant and share no state.
 */
class ConfigLoader {
public:
    ConfigLoader() = delete;

    /// Reads and parses the file at @p path. A missing or unreadable file is an error.
    static ConfigLoadResult loadFile(const QString& path);
    /// Parses @p yaml; @p sourceName (usually the file path) prefixes every error and warning.
    static ConfigLoadResult parse(const QByteArray& yaml, const QString& sourceName);
    /// The configuration used when no file is given; the same as `AppConfig {}`.
    static AppConfig defaults();

    /**
     * Parses a duration the way Go's time.ParseDuration does: a sequence of decimal numbers, each with a
     * unit (ns, us, µs, ms, s, m, h), such as "30s", "100ms", "1h30m" or "1.5s"; "0" needs no unit.
     * The result is rounded to the nearest millisecond. Returns nullopt for anything else, for negative
     * durations and for non-zero durations that round to 0ms.
     */
    static std::optional<std::chrono::milliseconds> parseDuration(QStringView text);

    /**
     * Parses a size in bytes: a whole number ("1048576"), or a number with a unit, decimal (B, KB, MB, GB)
     * or binary (KiB, MiB, GiB), such as "1MiB", "512 KiB" or "1.5GB". Units ignore case. Returns nullopt
     * for anything else and for negative sizes.
     */
    static std::optional<qint64> parseByteSize(QStringView text);
};

} // namespace EventScope
