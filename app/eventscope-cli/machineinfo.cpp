// SPDX-License-Identifier: Apache-2.0
#include "machineinfo.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

namespace EventScope {

namespace {

/// The value of the first "key: value" line of a /proc file whose key is \a key.
QString procValue(const QString& path, const QByteArray& key)
{
    QFile file(path);
    // /proc files report a size of 0, so read them whole instead of testing atEnd().
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed() == key)
            return QString::fromUtf8(line.mid(colon + 1).trimmed());
    }
    return {};
}

} // namespace

QJsonObject MachineInfo::collect()
{
    QJsonObject machine;
    machine.insert(QStringLiteral("cpu"), procValue(QStringLiteral("/proc/cpuinfo"), "model name"));
    machine.insert(QStringLiteral("cores"), QThread::idealThreadCount());
    const qint64 memoryKiB = procValue(QStringLiteral("/proc/meminfo"), "MemTotal").split(u' ').value(0).toLongLong();
    machine.insert(QStringLiteral("memoryMiB"), memoryKiB / 1024);
    machine.insert(QStringLiteral("os"), QSysInfo::prettyProductName());
    machine.insert(QStringLiteral("kernel"), QSysInfo::kernelVersion());
    machine.insert(QStringLiteral("arch"), QSysInfo::currentCpuArchitecture());
    machine.insert(QStringLiteral("qt"), QString::fromLatin1(qVersion()));
    return machine;
}

} // namespace EventScope
