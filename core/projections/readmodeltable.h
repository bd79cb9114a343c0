// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace EventScope {

/**
 * One table of a projection's read model, declared in SQL that both backends accept (TEXT, BIGINT,
 * INTEGER, DOUBLE PRECISION, BOOLEAN-as-INTEGER). The ProjectionManager creates it as `rm_<name>`, and as
 * `rm_<name>__shadow` while the projection is rebuilt into shadow tables; indexes get generated names.
 * Queries read the live table, `rm_<name>` (ReadModelTable::liveName()).
 */
struct ReadModelTable {
    /// Lower-case identifier, unique among all projections' tables ("users", "account_balances").
    QString name;
    /// Column definitions, e.g. "account_id TEXT NOT NULL", "balance BIGINT NOT NULL".
    QStringList columns;
    /// Columns of the primary key; empty for none.
    QStringList primaryKey;
    /// Secondary indexes, each a list of columns.
    QList<QStringList> indexes;

    QString liveName() const { return liveName(name); }
    static QString liveName(const QString& name) { return QStringLiteral("rm_") + name; }
    static QString shadowName(const QString& name) { return QStringLiteral("rm_") + name + QStringLiteral("__shadow"); }
};

} // namespace EventScope
