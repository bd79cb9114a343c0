// SPDX-License-Identifier: Apache-2.0
#include "eventbusmetricsrecorder.h"

#include "standardmetrics.h"

namespace EventScope {

EventBusMetricsRecorder::EventBusMetricsRecorder(EventBus& bus, StandardMetrics& metrics)
    : m_bus(bus)
{
    Counter* handled = &metrics.eventsHandled;
    m_subscription = bus.subscribeToAll(QStringLiteral("metrics"), [handled](const RecordedEvent&) {
        handled->increment();
        return std::optional<QString>();
    });
}

EventBusMetricsRecorder::~EventBusMetricsRecorder()
{
    m_bus.unsubscribe(m_subscription);
}

} // namespace EventScope
