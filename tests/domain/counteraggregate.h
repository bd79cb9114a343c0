// SPDX-License-Identifier: Apache-2.0
// A tiny aggregate for the domain tests: a counter with an upper limit.
#pragma once

#include "domain/aggregateroot.h"
#include "teststores.h"

#include <QJsonObject>
#include <QTest>

namespace EventScope::Test {

class Counter final : public AggregateRoot {
public:
    static constexpr int Limit = 100;
    /// CounterIncremented v1 was {"amount": n}; v2 is {"by": n}.
    static constexpr int IncrementedVersion = 2;

    using AggregateRoot::AggregateRoot;

    QString aggregateType() const override { return QStringLiteral("Counter"); }
    int snapshotSchemaVersion() const override { return 1; }

    int value() const { return m_value; }
    int increments() const { return m_increments; }

    /// Decision: refuses non-positive steps and going over Limit; returns the reason, or empty.
    QString increment(int by)
    {
        if (by <= 0)
            return QStringLiteral("step must be positive");
        if (m_value + by > Limit)
            return QStringLiteral("limit exceeded");
        raise(QStringLiteral("CounterIncremented"), { { QStringLiteral("by"), by } }, IncrementedVersion);
        return {};
    }
    void reset()
    {
        if (m_value != 0)
            raise(QStringLiteral("CounterReset"), {});
    }

    QJsonObject snapshotState() const override
    {
        return { { QStringLiteral("value"), m_value }, { QStringLiteral("increments"), m_increments } };
    }

protected:
    void apply(const DomainEvent& event) override
    {
        if (event.type == QLatin1String("CounterIncremented")) {
            m_value += event.payload.value(QLatin1String("by")).toInt();
            ++m_increments;
        } else if (event.type == QLatin1String("CounterReset")) {
            m_value = 0;
        }
    }
    bool restoreState(const QJsonObject& state) override
    {
        if (!state.value(QLatin1String("value")).isDouble() || !state.value(QLatin1String("increments")).isDouble())
            return false;
        m_value = state.value(QLatin1String("value")).toInt();
        m_increments = state.value(QLatin1String("increments")).toInt();
        return true;
    }

private:
    int m_value = 0;
    int m_increments = 0;
};

inline TestStore::Backend backendNamed(const QString& name)
{
    return name == QLatin1String("postgres") ? TestStore::Backend::Postgres : TestStore::Backend::Sqlite;
}

/// Data rows "sqlite" and "postgres" with a QString column "backend".
inline void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

} // namespace EventScope::Test
