// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/role.h"
#include "eventstore/storesettings.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

#include <optional>

class QSettings;

namespace EventScope {

/**
 * The stores a person opened lately, most recent first, at most MaxEntries, each store once (the same file, or
 * the same PostgreSQL database, schema and user). Kept in QSettings under the group "recentConnections".
 *
 * Passwords are never kept: a PostgreSQL connection string is written without its password (and a connection
 * string that cannot be parsed, which might hide one, is not written at all).
 */
class RecentConnectionsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum DataRole {
        BackendRole = Qt::UserRole + 1, ///< StoreSettings::Backend as int
        LocationRole, ///< SQLite: absolute file path; PostgreSQL: key/value connection string without password
        PostgresSchemaRole,
        AccessRoleRole, ///< the EventScope Role chosen for the session, by name ("auditor" …)
        ReadOnlyRole,
        LastUsedRole, ///< QDateTime, UTC
    };
    Q_ENUM(DataRole)

    struct Entry {
        StoreSettings::Backend backend = StoreSettings::Backend::Sqlite;
        QString location;
        QString postgresSchema;
        Role role = Role::Auditor;
        bool readOnly = false;
        QDateTime lastUsed;

        /// \a base (the configuration's tuning) pointed at this entry's store. No password: ask for it.
        StoreSettings toSettings(StoreSettings base = {}) const;
    };

    static constexpr int MaxEntries = 10;
    static inline const QString SettingsGroup = QStringLiteral("recentConnections");

    /// Reads the list from \a settings (not owned; it must outlive the model), or from the application's
    /// default QSettings when \a settings is null.
    explicit RecentConnectionsModel(QSettings* settings = nullptr, QObject* parent = nullptr);
    ~RecentConnectionsModel() override;

    /// Puts the store of \a settings first (moving it there when it is listed already) and saves the list.
    /// False, and nothing recorded, for a store that cannot be remembered (":memory:", an unparseable DSN).
    bool record(const StoreSettings& settings, Role role, const QDateTime& when = QDateTime::currentDateTimeUtc());
    const Entry& entry(int row) const { return m_entries.at(row); }
    /// The role of the most recent entry: a sensible default for the next session.
    std::optional<Role> lastRole() const;

    /// One line naming a store, never its password: "events.db — /home/me", "events on db:5432 as me".
    static QString describe(const StoreSettings& settings);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;
    QHash<int, QByteArray> roleNames() const override;

private:
    /// The entry \a settings would be stored as, or nullopt when it must not be remembered.
    static std::optional<Entry> entryFor(const StoreSettings& settings, Role role, const QDateTime& when);
    void load();
    void save();

    QSettings* m_settings;
    std::unique_ptr<QSettings> m_ownSettings;
    QList<Entry> m_entries;
};

} // namespace EventScope
