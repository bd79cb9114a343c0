// SPDX-License-Identifier: Apache-2.0
#include "monitoringserver.h"

#include "monitoring/healthregistry.h"
#include "monitoring/prometheusexposition.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QtConcurrent>

namespace EventScope {

namespace {

constexpr QHttpServerRequest::Method Get = QHttpServerRequest::Method::Get;

QHttpServerResponse healthResponse(const HealthReport& report)
{
    const auto status = report.httpStatusCode() == 200 ? QHttpServerResponse::StatusCode::Ok
                                                       : QHttpServerResponse::StatusCode::ServiceUnavailable;
    QHttpServerResponse response(QByteArrayLiteral("application/json"), report.toJsonBytes(), status);
    // Probes want the state now, not a cached one.
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return response;
}

} // namespace

MonitoringServer::MonitoringServer(HealthRegistry& health, RenderMetrics metrics, QString metricsPath, QObject* parent)
    : QObject(parent)
    , m_health(health)
    , m_metrics(std::move(metrics))
    , m_metricsPath(std::move(metricsPath))
{
    m_healthThreads.setObjectName(QStringLiteral("HealthRequests"));
    // Each request waits for its checks (which run on the registry's own pool), so a few threads are plenty.
    m_healthThreads.setMaxThreadCount(4);
    addRoutes();
}

MonitoringServer::~MonitoringServer()
{
    m_healthThreads.waitForDone();
}

void MonitoringServer::addRoutes()
{
    const auto runChecks = [this](QStringList names) {
        return [this, names]() {
            return QtConcurrent::run(&m_healthThreads,
                [this, names]() { return healthResponse(names.isEmpty() ? m_health.runAll() : m_health.run(names)); });
        };
    };
    m_server.route(QStringLiteral("/health"), Get, runChecks({}));
    m_paths << QStringLiteral("/health");
    for (const QString& name : m_health.names()) {
        m_server.route(QStringLiteral("/health/") + name, Get, runChecks({ name }));
        m_paths << QStringLiteral("/health/") + name;
    }

    m_server.route(m_metricsPath, Get, [this]() {
        QHttpServerResponse response(PrometheusExposition::contentType(), m_metrics());
        response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        return response;
    });
    m_paths << m_metricsPath;

    m_server.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        const QString path = request.url().path();
        QJsonObject body;
        body.insert(QStringLiteral("path"), path);
        body.insert(QStringLiteral("paths"), QJsonArray::fromStringList(m_paths));
        if (m_paths.contains(path)) {
            body.insert(QStringLiteral("error"), QStringLiteral("method not allowed: use GET"));
            QHttpServerResponse response(body, QHttpServerResponse::StatusCode::MethodNotAllowed);
            response.setHeader(QByteArrayLiteral("Allow"), QByteArrayLiteral("GET"));
            response.write(std::move(responder));
            return;
        }
        body.insert(QStringLiteral("error"), QStringLiteral("not found: see paths"));
        QHttpServerResponse(body, QHttpServerResponse::StatusCode::NotFound).write(std::move(responder));
    });
}

quint16 MonitoringServer::listen(const QHostAddress& host, quint16 port, QString* error)
{
    // Listen ourselves rather than through QHttpServer::listen(), which drops the reason of a failure.
    auto* tcp = new QTcpServer(this);
    if (!tcp->listen(host, port)) {
        *error = tcp->errorString();
        delete tcp;
        return 0;
    }
    const quint16 actual = tcp->serverPort();
    m_server.bind(tcp);
    return actual;
}

} // namespace EventScope
