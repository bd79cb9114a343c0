// SPDX-License-Identifier: Apache-2.0
#include "listenaddress.h"

#include <QCoreApplication>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("eventscope-cli", text);
}

} // namespace

std::optional<ListenAddress> ListenAddress::parse(const QString& text, QString* error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0) {
        *error = tr("'%1' has no port; write HOST:PORT, e.g. 127.0.0.1:9090 (port 0: any free port).").arg(text);
        return std::nullopt;
    }
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':')) {
        *error = tr("'%1': write an IPv6 address in brackets, e.g. [::1]:9090.").arg(text);
        return std::nullopt;
    }

    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535) {
        *error = tr("'%1' is not a port; use a number from 0 to 65535 (0: any free port).").arg(portText);
        return std::nullopt;
    }

    ListenAddress address;
    address.port = quint16(port);
    if (host.isEmpty() || host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        // Loopback unless the operator asks for more: health and metrics say a lot about the system.
        address.host = QHostAddress(QHostAddress::LocalHost);
    } else if (!address.host.setAddress(host)) {
        *error = tr("'%1' is not an IP address; write e.g. 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 "
                    "interface) or [::1].")
                     .arg(host);
        return std::nullopt;
    }
    return address;
}

QString ListenAddress::url(const QHostAddress& host, quint16 actualPort)
{
    const QString name
        = host.protocol() == QAbstractSocket::IPv6Protocol ? QString(u'[' + host.toString() + u']') : host.toString();
    return QStringLiteral("http://%1:%2").arg(name).arg(actualPort);
}

} // namespace EventScope
