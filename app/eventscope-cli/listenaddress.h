// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace EventScope {

/**
 * Where `eventscope-cli serve` listens: "HOST:PORT", ":PORT" or "[IPv6]:PORT". The host is an IP address or
 * "localhost"; an empty host means 127.0.0.1, so that a server is never reachable from the network unless the
 * operator writes 0.0.0.0 (or ::) explicitly. Port 0 asks the system for any free port.
 */
struct ListenAddress {
    QHostAddress host;
    quint16 port = 0;

    /// The address read from \a text, or std::nullopt with \a error saying what is wrong.
    static std::optional<ListenAddress> parse(const QString& text, QString* error);
    /// "http://127.0.0.1:9090", with IPv6 hosts in brackets, for \a actualPort.
    static QString url(const QHostAddress& host, quint16 actualPort);
};

} // namespace EventScope
