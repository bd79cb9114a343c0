// SPDX-License-Identifier: Apache-2.0
// Given-events / when-command / then-events-or-error helpers for the sample domain suites: an Engine over
// a throwaway TestStore of the backend under test (global data rows "sqlite" and "postgres").
#pragma once

#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QDeadlineTimer>
#include <QStringList>
#include <QTest>
#include <QThread>

#include <chrono>

namespace EventScope::Test {

inline constexpr auto TestAppVersion = "9.9.9-test";
inline constexpr auto TestHost = "test-host";

class EngineFixture {
public:
    /// Global data rows: "sqlite" always, "postgres" (skipped, or failed under CI=true, without a DSN).
    static void addBackendRows()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgres") << QStringLiteral("postgres");
    }
    static TestStore::Backend backendNamed(const QString& name)
    {
        return name == QLatin1String("postgres") ? TestStore::Backend::Postgres : TestStore::Backend::Sqlite;
    }

    /// Opens a fresh store and an Engine with the standard modules on it; an error message, or empty.
    QString open(TestStore::Backend backend, int maxConflictAttempts = 3)
    {
        m_test = std::make_unique<TestStore>(backend);
        auto store = m_test->open();
        if (!store)
            return store.error().message();
        m_store = store.value();
        auto engine = makeEngine(m_store, maxConflictAttempts);
        if (!engine)
            return engine.error().message();
        m_engine = std::move(engine).value();
        return {};
    }

    /// Another Engine, with its own store instance, on the same database (as a second process would be).
    DomainResult<std::unique_ptr<Engine>> secondEngine(int maxConflictAttempts = 3) const
    {
        auto store = m_test->open();
        if (!store)
            return store.error();
        return makeEngine(store.value(), maxConflictAttempts);
    }

    static DomainResult<std::unique_ptr<Engine>> makeEngine(
        std::shared_ptr<SqlEventStore> store, int maxConflictAttempts = 3)
    {
        Engine::Options options;
        options.store = std::move(store);
        options.maxConflictAttempts = maxConflictAttempts;
        options.appVersion = QLatin1String(TestAppVersion);
        options.hostName = QLatin1String(TestHost);
        return Engine::create(AppConfig {}, std::move(options));
    }

    /**
     * Starts the engine's projections (once) and waits until the read models of \a names (empty: all) have
     * applied everything stored. An error message (what is behind or faulted), or empty.
     */
    QString catchUp(QStringList names = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10))
    {
        ProjectionManager& projections = m_engine->projections();
        projections.start();
        if (names.isEmpty())
            names = projections.names();
        const auto head = m_store->headPosition();
        if (!head)
            return head.error().message();
        for (const QString& name : std::as_const(names)) {
            // waitForCheckpoint() gives up on a Stopped projection, which it is until its thread has begun.
            QDeadlineTimer started(timeout);
            while (projections.status(name) && projections.status(name)->state == ProjectionState::Stopped
                && !started.hasExpired())
                QThread::msleep(5);
            if (projections.waitForCheckpoint(name, head.value(), timeout))
                continue;
            const auto status = projections.status(name);
            return QStringLiteral("The projection %1 did not reach position %2: %3 at %4%5")
                .arg(name)
                .arg(head.value())
                .arg(status ? projectionStateName(status->state) : QStringLiteral("unknown"))
                .arg(status ? status->checkpoint : -1)
                .arg(status && status->fault ? QStringLiteral(", faulted: ") + status->fault->error : QString());
        }
        return {};
    }

    void close()
    {
        m_engine.reset();
        m_store.reset();
        m_test.reset();
    }

    Engine& engine() { return *m_engine; }
    SqlEventStore& store() { return *m_store; }

    /// Given: \a events appended raw to \a stream (bypassing the domain, as older code would have written them).
    bool given(const QString& stream, const QList<EventData>& events)
    {
        return m_store->append(stream, ExpectedVersion::any(), events).ok();
    }

    /// When: dispatches \a type on \a id with \a fields in \a context.
    DispatchResult when(const QString& type, const QString& id, const QJsonObject& fields, CommandContext context)
    {
        return m_engine->dispatch(Command { QUuid::createUuid(), type, id, fields }, std::move(context));
    }
    DispatchResult when(const QString& type, const QString& id, const QJsonObject& fields = {})
    {
        return when(type, id, fields, developer());
    }

    QList<RecordedEvent> stream(const QString& stream) const
    {
        auto events = m_store->readStream(stream, 0, 10000);
        return events ? events.value() : QList<RecordedEvent> {};
    }
    qint64 eventCount() const
    {
        auto count = m_store->eventCount();
        return count ? count.value() : -1;
    }

    static CommandContext developer()
    {
        CommandContext context;
        context.actor = QStringLiteral("dev@example.com");
        context.role = Role::Developer;
        return context;
    }
    static CommandContext as(Role role, const QString& reason = {})
    {
        CommandContext context = developer();
        context.actor = roleName(role) + QStringLiteral("@example.com");
        context.role = role;
        context.reason = reason;
        return context;
    }
    static CommandContext dryRun(CommandContext context = developer())
    {
        context.dryRun = true;
        return context;
    }

    static QStringList typesOf(const DispatchResult& result)
    {
        QStringList types;
        for (const EventData& event : result.events)
            types.append(event.eventType);
        return types;
    }
    static QStringList typesOf(const QList<RecordedEvent>& events)
    {
        QStringList types;
        for (const RecordedEvent& event : events)
            types.append(event.eventType);
        return types;
    }
    /// "ok", or the error's code name and message, for QCOMPARE diagnostics.
    static QString outcome(const DispatchResult& result)
    {
        if (result.ok())
            return QStringLiteral("ok");
        return CommandError::codeName(result.error->code()) + QStringLiteral(": ") + result.error->message();
    }
    static bool failedWith(const DispatchResult& result, CommandError::Code code)
    {
        return !result.ok() && result.error->code() == code;
    }

private:
    std::unique_ptr<TestStore> m_test;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<Engine> m_engine;
};

} // namespace EventScope::Test

/// In init(): a fresh engine on the global row's backend, or skip/fail as EVENTSCOPE_REQUIRE_BACKEND says.
#define EVENTSCOPE_OPEN_ENGINE(fixture)                                                                                \
    do {                                                                                                               \
        QFETCH_GLOBAL(QString, backend);                                                                               \
        const auto kind = EventScope::Test::EngineFixture::backendNamed(backend);                                      \
        EVENTSCOPE_REQUIRE_BACKEND(kind);                                                                              \
        const QString failure = (fixture).open(kind);                                                                  \
        QVERIFY2(failure.isEmpty(), qPrintable(failure));                                                              \
    } while (false)
