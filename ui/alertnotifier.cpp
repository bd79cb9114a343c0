// SPDX-License-Identifier: Apache-2.0
#include "alertnotifier.h"

#include "alertmodel.h"
#include "monitoring/alertmonitor.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolButton>

namespace EventScope {

AlertNotifier::AlertNotifier(QObject* parent)
    : QObject(parent)
{
}

AlertNotifier::~AlertNotifier()
{
    delete m_tray;
}

bool AlertNotifier::notificationsAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages();
}

void AlertNotifier::setMonitor(AlertMonitor* monitor)
{
    if (m_monitor)
        disconnect(m_monitor, nullptr, this, nullptr);
    m_monitor = monitor;
    m_pendingMessages.clear();
    if (monitor) {
        connect(monitor, &AlertMonitor::alertRaised, this, [this](const AlertMonitor::Alert& alert) {
            m_pendingMessages << AlertModel::alertTitle(alert) + QStringLiteral(": ") + alert.message;
            m_pendingCritical = m_pendingCritical || alert.severity == AlertMonitor::Severity::Critical;
            queueNotification();
            refresh();
        });
        connect(monitor, &AlertMonitor::alertCleared, this, &AlertNotifier::refresh);
        connect(monitor, &AlertMonitor::alertUpdated, this, &AlertNotifier::refresh);
        connect(monitor, &QObject::destroyed, this, &AlertNotifier::refresh);
    }
    refresh();
}

QToolButton* AlertNotifier::statusButton(QWidget* parent)
{
    if (!m_button) {
        m_button = new QToolButton(parent);
        m_button->setObjectName(QStringLiteral("alertStatusButton"));
        m_button->setAutoRaise(true);
        m_button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_button->setFocusPolicy(Qt::TabFocus);
        connect(m_button, &QToolButton::clicked, this, &AlertNotifier::paneRequested);
        refresh();
    }
    return m_button;
}

void AlertNotifier::setNotificationsEnabled(bool enabled)
{
    m_notificationsEnabled = enabled;
    if (!enabled)
        m_pendingMessages.clear();
    refresh();
}

void AlertNotifier::refresh()
{
    const QList<AlertMonitor::Alert> active = m_monitor ? m_monitor->activeAlerts() : QList<AlertMonitor::Alert>();
    const bool critical = std::any_of(active.cbegin(), active.cend(),
        [](const AlertMonitor::Alert& alert) { return alert.severity == AlertMonitor::Severity::Critical; });
    if (m_button) {
        if (active.isEmpty()) {
            m_button->setText(tr("No alerts"));
            m_button->setStyleSheet(QString());
            m_button->setToolTip(m_monitor ? tr("No alert is active. Click to see the alert history.")
                                           : tr("Alerts are watched once a store is open."));
        } else {
            m_button->setText(active.size() == 1 ? tr("⚠ 1 alert") : tr("⚠ %1 alerts").arg(active.size()));
            // The one colour that must stand out in a status bar, in light and dark palettes alike.
            m_button->setStyleSheet(critical ? QStringLiteral("QToolButton { color: #c62828; font-weight: bold; }")
                                             : QStringLiteral("QToolButton { color: #b36b00; font-weight: bold; }"));
            QStringList lines;
            for (const AlertMonitor::Alert& alert : active)
                lines << u"• " + AlertModel::alertTitle(alert);
            m_button->setToolTip((active.size() == 1 ? tr("1 alert active (click to see it):")
                                                     : tr("%1 alerts active (click to see them):").arg(active.size()))
                + u'\n' + lines.join(u'\n'));
        }
        m_button->setAccessibleName(m_button->text());
    }
    if (m_tray && active.isEmpty())
        m_tray->hide();
}

void AlertNotifier::queueNotification()
{
    if (!m_notificationsEnabled)
        return;
    // Alerts raised by one evaluation arrive back to back: one notification for all of them.
    if (m_pendingMessages.size() == 1)
        QTimer::singleShot(0, this, &AlertNotifier::notifyPending);
}

void AlertNotifier::notifyPending()
{
    if (m_pendingMessages.isEmpty())
        return;
    const QString title = m_pendingMessages.size() == 1 ? tr("EventScope alert")
                                                        : tr("EventScope: %1 new alerts").arg(m_pendingMessages.size());
    const QString message = m_pendingMessages.join(u'\n');
    const bool critical = m_pendingCritical;
    m_pendingMessages.clear();
    m_pendingCritical = false;
    Q_EMIT notificationRequested(title, message);
    if (!notificationsAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning));
        m_tray->setToolTip(tr("EventScope alerts"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertNotifier::paneRequested);
        connect(m_tray, &QSystemTrayIcon::activated, this, &AlertNotifier::paneRequested);
    }
    m_tray->show();
    m_tray->showMessage(title, message, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 15000);
    ++m_shown;
}

} // namespace EventScope
