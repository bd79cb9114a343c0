// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expectedversion.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace EventScope {

/// What the store knows about one stream without reading its events.
struct StreamInfo {
    QString streamId;
    QString category;
    StreamVersion lastVersion = NoStreamVersion;
    qint64 eventCount = 0;
    QDateTime firstRecordedAt;
    QDateTime lastRecordedAt;
};

/// One event type and how many stored events carry it.
struct EventTypeCount {
    QString eventType;
    qint64 count = 0;
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::StreamInfo)
