// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"
#include "eventstore/storeerror.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <memory>
#include <optional>
#include <unordered_map>

class QSqlQuery;

namespace EventScope {

class EventTypeRegistry;

/**
 * What a projection writes through while it applies one batch: the batch's transaction on the runner's
 * connection, and the physical tables of the batch's target (the live read model, or the shadow tables of
 * a rebuild). Projections write SQL with `{table}` placeholders, which exec() replaces by the target's
 * physical table names, so the same code fills live and shadow tables.
 *
 * Only the ProjectionManager creates batches; a projection uses one during apply() and flush().
 */
class ProjectionBatch {
    Q_DECLARE_TR_FUNCTIONS(ProjectionBatch)

public:
    enum class Target { Live, Shadow };

    ProjectionBatch(QSqlDatabase db, Target target, QHash<QString, QString> tables,
        std::shared_ptr<const EventTypeRegistry> registry);
    ~ProjectionBatch();
    ProjectionBatch(const ProjectionBatch&) = delete;
    ProjectionBatch& operator=(const ProjectionBatch&) = delete;

    Target target() const { return m_target; }
    /// The physical name of the logical table \a name in this batch's target.
    QString table(const QString& name) const;

    /**
     * Runs \a sql with its `{table}` placeholders replaced and \a binds bound in order. Statements are
     * prepared once per batch target and reused. Returns the executed query (positioned before its first
     * row), or nullptr after a failure; error() then describes it, and the batch is rolled back.
     */
    QSqlQuery* exec(const QString& sql, const QVariantList& binds = {});

    /**
     * Runs one statement for many rows: \a head, then one \a rowTuple per row joined by commas, then \a tail,
     * with \a values holding the rows' values one row after the other (rowTuple's placeholders each). For
     * multi-row INSERT … VALUES … ON CONFLICT, or UPDATE … FROM (VALUES …) AS v (columns column1, column2, … in
     * both backends; CAST the placeholders where the type matters). Rows go in chunks of 256, 64, 16, 4 and 1,
     * so that few statement shapes are prepared and a batch of rows costs a handful of round trips instead of
     * one per row. Returns false after a failure (see error()).
     */
    bool execRows(const QString& head, const QString& rowTuple, const QString& tail, const QVariantList& values);

    /**
     * The payload of \a event as the domain sees it: upcasted to the current schema version of its type
     * when the type is registered, otherwise the stored JSON. std::nullopt, with error() set, when the stored
     * payload cannot be decoded.
     */
    std::optional<QJsonObject> payload(const RecordedEvent& event);

    /// The first failure of exec() or payload() in this batch.
    const std::optional<StoreError>& error() const { return m_error; }
    /// True when the failure was the database's (connection, lock), not the event's: worth retrying later.
    bool failedTransiently() const { return m_transient; }

    /// For the manager: forgets the failure of the previous batch (prepared statements are kept).
    void clearError()
    {
        m_error.reset();
        m_transient = false;
    }

    /// For the manager: the replaced SQL of \a sql (exposed for tests and error messages).
    QString resolve(const QString& sql) const;

private:
    QSqlDatabase m_db;
    Target m_target;
    QHash<QString, QString> m_tables;
    std::shared_ptr<const EventTypeRegistry> m_registry;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    std::optional<StoreError> m_error;
    bool m_transient = false;
};

} // namespace EventScope
