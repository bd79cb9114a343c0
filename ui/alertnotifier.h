// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "monitoring/alertmonitor.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QToolButton;
class QWidget;

namespace EventScope {

/**
 * Makes an AlertMonitor's alerts visible outside the alerts pane:
 * - a status-bar button, "⚠ 2 alerts" while alerts are active (its tooltip lists them) and a quiet "No alerts"
 *   otherwise; clicking it asks for the alerts pane (paneRequested());
 * - a desktop notification for each newly raised alert, through QSystemTrayIcon::showMessage(), where the
 *   platform has a system tray (QSystemTrayIcon::isSystemTrayAvailable()); elsewhere nothing. The tray icon is
 *   shown only while alerts are active. Alerts raised together make one notification.
 */
class AlertNotifier : public QObject {
    Q_OBJECT
public:
    explicit AlertNotifier(QObject* parent = nullptr);
    ~AlertNotifier() override;

    /// Follows \a monitor (null: none), which must outlive the notifier or be reset first.
    void setMonitor(AlertMonitor* monitor);
    AlertMonitor* monitor() const { return m_monitor; }

    /// The status-bar button (objectName "alertStatusButton"), created on first call with \a parent; add it to
    /// the status bar (QStatusBar::addPermanentWidget), which then owns it.
    QToolButton* statusButton(QWidget* parent = nullptr);

    /// Desktop notifications on (the default) or off; the status button works either way.
    void setNotificationsEnabled(bool enabled);
    bool notificationsEnabled() const { return m_notificationsEnabled; }
    /// True when this platform can show desktop notifications.
    static bool notificationsAvailable();
    /// Desktop notifications shown so far (for tests and the about box).
    int notificationsShown() const { return m_shown; }

Q_SIGNALS:
    /// The user asked to see the alerts (status button or notification clicked).
    void paneRequested();
    /// A notification text was composed for newly raised alerts; emitted also where no tray exists, so that
    /// the caller may show it another way.
    void notificationRequested(const QString& title, const QString& message);

private:
    void refresh();
    void queueNotification();
    void notifyPending();

    QPointer<AlertMonitor> m_monitor;
    QPointer<QToolButton> m_button;
    QSystemTrayIcon* m_tray = nullptr;
    QStringList m_pendingMessages;
    bool m_pendingCritical = false;
    bool m_notificationsEnabled = true;
    int m_shown = 0;
};

} // namespace EventScope
