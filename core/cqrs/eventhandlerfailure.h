// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QUuid>

namespace EventScope {

/// One event an EventBus subscriber failed to handle, kept for the UI.
struct EventHandlerFailure {
    GlobalPosition position = 0;
    QString streamId;
    QString eventType;
    QUuid eventId;
    QString handlerName;
    QString error;
    QDateTime failedAt; ///< UTC
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::EventHandlerFailure)
