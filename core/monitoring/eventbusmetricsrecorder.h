// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/eventbus.h"

namespace EventScope {

struct StandardMetrics;

/**
 * Counts `events_handled_total`: subscribes to every event on an EventBus for as long as it lives and adds one
 * per event published (a lock-free increment on the publisher's thread). Construct it after the bus and destroy
 * it before the bus.
 */
class EventBusMetricsRecorder {
public:
    EventBusMetricsRecorder(EventBus& bus, StandardMetrics& metrics);
    ~EventBusMetricsRecorder();
    EventBusMetricsRecorder(const EventBusMetricsRecorder&) = delete;
    EventBusMetricsRecorder& operator=(const EventBusMetricsRecorder&) = delete;

private:
    EventBus& m_bus;
    EventBus::SubscriptionId m_subscription;
};

} // namespace EventScope
