// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHttpServer>
#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <functional>

class QHostAddress;

namespace EventScope {

class HealthRegistry;

/**
 * The HTTP face of `eventscope-cli serve`: GET /health (every check), GET /health/<check> (one check), and
 * GET <metrics path> (the Prometheus text, 0.0.4). Health bodies are HealthReport's JSON with status 200 while
 * the service can serve (up or degraded) and 503 when it is down. Other paths answer 404, other methods on
 * these paths 405, both with a JSON body.
 *
 * Health checks block until they answer or time out (HealthRegistry), so they run on this server's own small
 * thread pool and the response is sent when they are done: the event loop keeps serving /metrics and other
 * probes meanwhile. The metrics callback runs on the event loop's thread and must be quick (sampling
 * counters and rendering text is). \a health must outlive the server.
 */
class MonitoringServer : public QObject {
    Q_OBJECT
public:
    using RenderMetrics = std::function<QByteArray()>;

    MonitoringServer(HealthRegistry& health, RenderMetrics metrics, QString metricsPath, QObject* parent = nullptr);
    ~MonitoringServer() override;

    /// Listens on \a host and \a port (0: any free port); returns the port, or 0 with \a error set.
    quint16 listen(const QHostAddress& host, quint16 port, QString* error);

    /// The paths served, for messages.
    QStringList paths() const { return m_paths; }

private:
    void addRoutes();

    HealthRegistry& m_health;
    RenderMetrics m_metrics;
    QString m_metricsPath;
    QStringList m_paths;
    QThreadPool m_healthThreads;
    QHttpServer m_server;
};

} // namespace EventScope
