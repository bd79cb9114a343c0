// SPDX-License-Identifier: Apache-2.0
#include "recentconnectionsmodel.h"

#include "eventstore/postgresconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace EventScope {

namespace {

QString backendKey(StoreSettings::Backend backend)
{
    return backend == StoreSettings::Backend::Postgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

/// The same file, however its path is spelled (symbolic links resolved where it exists).
QString sqliteIdentity(const QString& path)
{
    const QFileInfo file(path);
    const QString canonical = file.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(file.absoluteFilePath()) : canonical;
}

bool sameStore(const RecentConnectionsModel::Entry& a, const RecentConnectionsModel::Entry& b)
{
    if (a.backend != b.backend)
        return false;
    if (a.backend == StoreSettings::Backend::Sqlite)
        return sqliteIdentity(a.location) == sqliteIdentity(b.location);
    return a.location == b.location && a.postgresSchema == b.postgresSchema;
}

} // namespace

StoreSettings RecentConnectionsModel::Entry::toSettings(StoreSettings base) const
{
    base.backend = backend;
    base.connection = location;
    if (backend == StoreSettings::Backend::Postgres && !postgresSchema.isEmpty())
        base.postgresSchema = postgresSchema;
    base.readOnly = readOnly;
    base.createIfMissing = !readOnly;
    return base;
}

RecentConnectionsModel::RecentConnectionsModel(QSettings* settings, QObject* parent)
    : QAbstractListModel(parent)
    , m_settings(settings)
{
    if (!m_settings) {
        m_ownSettings = std::make_unique<QSettings>();
        m_settings = m_ownSettings.get();
    }
    load();
}

RecentConnectionsModel::~RecentConnectionsModel() = default;

std::optional<RecentConnectionsModel::Entry> RecentConnectionsModel::entryFor(
    const StoreSettings& settings, Role role, const QDateTime& when)
{
    Entry entry;
    entry.backend = settings.backend;
    entry.role = role;
    entry.readOnly = settings.readOnly;
    entry.lastUsed = when.toUTC();
    if (settings.backend == StoreSettings::Backend::Sqlite) {
        if (settings.connection.isEmpty() || settings.connection == u":memory:")
            return std::nullopt;
        entry.location = QDir::cleanPath(QFileInfo(settings.connection).absoluteFilePath());
    } else {
        entry.location = PostgresConnection::withoutPassword(settings.connection);
        if (entry.location.isEmpty())
            return std::nullopt;
        entry.postgresSchema = settings.postgresSchema;
    }
    return entry;
}

bool RecentConnectionsModel::record(const StoreSettings& settings, Role role, const QDateTime& when)
{
    const std::optional<Entry> entry = entryFor(settings, role, when);
    if (!entry)
        return false;
    const auto found = std::find_if(
        m_entries.cbegin(), m_entries.cend(), [&](const Entry& existing) { return sameStore(existing, *entry); });
    const int row = found == m_entries.cend() ? -1 : int(found - m_entries.cbegin());
    if (row > 0) {
        beginMoveRows({}, row, row, {}, 0);
        m_entries.move(row, 0);
        endMoveRows();
    }
    if (row >= 0) {
        m_entries[0] = *entry;
        Q_EMIT dataChanged(index(0), index(0));
    } else {
        beginInsertRows({}, 0, 0);
        m_entries.prepend(*entry);
        endInsertRows();
        if (m_entries.size() > MaxEntries) {
            beginRemoveRows({}, MaxEntries, int(m_entries.size()) - 1);
            m_entries.resize(MaxEntries);
            endRemoveRows();
        }
    }
    save();
    return true;
}

std::optional<Role> RecentConnectionsModel::lastRole() const
{
    if (m_entries.isEmpty())
        return std::nullopt;
    return m_entries.first().role;
}

QString RecentConnectionsModel::describe(const StoreSettings& settings)
{
    if (settings.backend == StoreSettings::Backend::Sqlite) {
        if (settings.connection == u":memory:")
            return tr("Throwaway in-memory store");
        const QFileInfo file(settings.connection);
        return tr("%1 — %2").arg(file.fileName(), QDir::toNativeSeparators(file.absolutePath()));
    }
    const auto parsed = PostgresConnection::parse(settings.connection);
    if (!parsed)
        return tr("PostgreSQL (connection string not valid)");
    const QString server
        = (parsed->host.isEmpty() ? tr("local socket") : parsed->host) + u':' + QString::number(parsed->port);
    QString text = parsed->user.isEmpty() ? tr("%1 on %2").arg(parsed->database, server)
                                          : tr("%1 on %2 as %3").arg(parsed->database, server, parsed->user);
    if (settings.postgresSchema != StoreSettings().postgresSchema)
        text += tr(" (schema %1)").arg(settings.postgresSchema);
    return text;
}

int RecentConnectionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RecentConnectionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return describe(entry.toSettings());
    case Qt::ToolTipRole: {
        const QString where = entry.backend == StoreSettings::Backend::Sqlite
            ? tr("SQLite file %1").arg(QDir::toNativeSeparators(entry.location))
            : tr("PostgreSQL %1, schema %2").arg(entry.location, entry.postgresSchema);
        return tr("%1\nRole: %2%3\nLast opened %4")
            .arg(where, roleTitle(entry.role), entry.readOnly ? tr(", read-only") : QString(),
                QLocale().toString(entry.lastUsed.toLocalTime(), QLocale::ShortFormat));
    }
    case BackendRole:
        return int(entry.backend);
    case LocationRole:
        return entry.location;
    case PostgresSchemaRole:
        return entry.postgresSchema;
    case AccessRoleRole:
        return roleName(entry.role);
    case ReadOnlyRole:
        return entry.readOnly;
    case LastUsedRole:
        return entry.lastUsed;
    default:
        return {};
    }
}

bool RecentConnectionsModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_entries.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_entries.remove(row, count);
    endRemoveRows();
    save();
    return true;
}

QHash<int, QByteArray> RecentConnectionsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(BackendRole, "backend");
    names.insert(LocationRole, "location");
    names.insert(PostgresSchemaRole, "postgresSchema");
    names.insert(AccessRoleRole, "accessRole");
    names.insert(ReadOnlyRole, "readOnly");
    names.insert(LastUsedRole, "lastUsed");
    return names;
}

void RecentConnectionsModel::load()
{
    const int size = m_settings->beginReadArray(SettingsGroup);
    for (int i = 0; i < size && m_entries.size() < MaxEntries; ++i) {
        m_settings->setArrayIndex(i);
        StoreSettings settings;
        settings.backend = m_settings->value(QStringLiteral("backend")).toString() == u"postgres"
            ? StoreSettings::Backend::Postgres
            : StoreSettings::Backend::Sqlite;
        settings.connection = m_settings->value(QStringLiteral("location")).toString();
        settings.postgresSchema
            = m_settings->value(QStringLiteral("schema"), StoreSettings().postgresSchema).toString();
        settings.readOnly = m_settings->value(QStringLiteral("readOnly")).toBool();
        const Role role = roleFromName(m_settings->value(QStringLiteral("role")).toString()).value_or(Role::Auditor);
        const QDateTime lastUsed = m_settings->value(QStringLiteral("lastUsed")).toDateTime();
        // Through entryFor() again: a hand-edited or older file may hold a password; it is not taken in.
        if (auto entry = entryFor(settings, role, lastUsed)) {
            const bool duplicate = std::any_of(
                m_entries.cbegin(), m_entries.cend(), [&](const Entry& e) { return sameStore(e, *entry); });
            if (!duplicate)
                m_entries.append(*entry);
        }
    }
    m_settings->endArray();
}

void RecentConnectionsModel::save()
{
    m_settings->remove(SettingsGroup);
    m_settings->beginWriteArray(SettingsGroup, int(m_entries.size()));
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry& entry = m_entries.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("backend"), backendKey(entry.backend));
        m_settings->setValue(QStringLiteral("location"), entry.location);
        if (entry.backend == StoreSettings::Backend::Postgres)
            m_settings->setValue(QStringLiteral("schema"), entry.postgresSchema);
        m_settings->setValue(QStringLiteral("role"), roleName(entry.role));
        m_settings->setValue(QStringLiteral("readOnly"), entry.readOnly);
        m_settings->setValue(QStringLiteral("lastUsed"), entry.lastUsed);
    }
    m_settings->endArray();
    m_settings->sync();
}

} // namespace EventScope
