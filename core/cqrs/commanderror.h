// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/expectedversion.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>

#include <optional>

namespace EventScope {

class StoreError;

/// Why a command was not carried out. Every error has a message for people saying what is wrong and what to do.
class CommandError {
    Q_DECLARE_TR_FUNCTIONS(CommandError)

public:
    enum class Code {
        Validation, ///< fields or reason do not follow the descriptor; see fieldErrors()
        Unauthorized, ///< the context's role may not issue this command
        Conflict, ///< the aggregate changed meanwhile; see actualVersion()
        DomainRuleViolated, ///< the aggregate refused the command
        StoreUnavailable, ///< the event store could not be reached or failed
        UnknownCommand, ///< no handler is registered for the command type
        HandlerFailed, ///< the handler threw or produced events the store refused (a bug)
    };

    CommandError(Code code, QString message);

    /// All field problems at once, by field name (the key "reason" is the context's reason).
    static CommandError validation(QMap<QString, QString> fieldErrors);
    static CommandError unauthorized(QString message);
    static CommandError conflict(QString message, StreamVersion actualVersion);
    static CommandError domainRuleViolated(QString message);
    static CommandError storeUnavailable(QString message);
    static CommandError unknownCommand(const QString& type);
    static CommandError handlerFailed(QString message);
    /// The store's error as a command error: WrongExpectedVersion → Conflict, invalid events or duplicate ids →
    /// HandlerFailed, everything else → StoreUnavailable.
    static CommandError fromStoreError(const StoreError& error);

    Code code() const { return m_code; }
    const QString& message() const { return m_message; }
    const QMap<QString, QString>& fieldErrors() const { return m_fieldErrors; }
    /// The aggregate's version when a Conflict happened.
    std::optional<StreamVersion> actualVersion() const { return m_actualVersion; }

    /// Stable machine name ("validation", "conflict" …) for logs, metrics and JSON output.
    static QString codeName(Code code);

private:
    Code m_code;
    QString m_message;
    QMap<QString, QString> m_fieldErrors;
    std::optional<StreamVersion> m_actualVersion;
};

} // namespace EventScope
