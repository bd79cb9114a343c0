// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QtGlobal>

namespace EventScope {

/// Version of a stream: the 0-based version of its last event, or NoStreamVersion when it has none.
using StreamVersion = qint64;
inline constexpr StreamVersion NoStreamVersion = -1;

/**
 * The optimistic-concurrency condition an append states about the stream it writes to.
 *
 * Any: no check. NoStream: the stream must not exist yet. StreamExists: it must have at least one event.
 * Exact(n): its last event must have version n (0-based).
 */
class ExpectedVersion {
public:
    enum class Kind { Any, NoStream, StreamExists, Exact };

    static constexpr ExpectedVersion any() { return ExpectedVersion(Kind::Any, 0); }
    static constexpr ExpectedVersion noStream() { return ExpectedVersion(Kind::NoStream, 0); }
    static constexpr ExpectedVersion streamExists() { return ExpectedVersion(Kind::StreamExists, 0); }
    static constexpr ExpectedVersion exact(StreamVersion version) { return ExpectedVersion(Kind::Exact, version); }

    constexpr Kind kind() const { return m_kind; }
    /// The required version; meaningful for Kind::Exact only.
    constexpr StreamVersion version() const { return m_version; }

    /// True when a stream whose current version is \a current satisfies this expectation.
    constexpr bool isSatisfiedBy(StreamVersion current) const
    {
        switch (m_kind) {
        case Kind::Any:
            return true;
        case Kind::NoStream:
            return current == NoStreamVersion;
        case Kind::StreamExists:
            return current != NoStreamVersion;
        case Kind::Exact:
            return current == m_version;
        }
        return false;
    }

    /// "any", "no stream", "stream exists" or "exact 41", for messages.
    QString toString() const;

    friend constexpr bool operator==(ExpectedVersion, ExpectedVersion) = default;

private:
    constexpr ExpectedVersion(Kind kind, StreamVersion version)
        : m_kind(kind)
        , m_version(version)
    {
    }

    Kind m_kind;
    StreamVersion m_version;
};

} // namespace EventScope
