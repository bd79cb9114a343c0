// SPDX-License-Identifier: Apache-2.0
#include "commanderror.h"

#include "eventstore/storeerror.h"

#include <QCoreApplication>
#include <QStringList>

namespace EventScope {

namespace {

} // namespace

CommandError::CommandError(Code code, QString message)
    : m_code(code)
    , m_message(std::move(message))
{
}

CommandError CommandError::validation(QMap<QString, QString> fieldErrors)
{
    QStringList parts;
    for (auto it = fieldErrors.cbegin(); it != fieldErrors.cend(); ++it)
        parts.append(it.key() % QStringLiteral(": ") % it.value());
    CommandError error(Code::Validation,
        tr("The command was not run because some values need correcting. %1").arg(parts.join(QLatin1Char(' '))));
    error.m_fieldErrors = std::move(fieldErrors);
    return error;
}

CommandError CommandError::unauthorized(QString message)
{
    return CommandError(Code::Unauthorized, std::move(message));
}

CommandError CommandError::conflict(QString message, StreamVersion actualVersion)
{
    CommandError error(Code::Conflict, std::move(message));
    error.m_actualVersion = actualVersion;
    return error;
}

CommandError CommandError::domainRuleViolated(QString message)
{
    return CommandError(Code::DomainRuleViolated, std::move(message));
}

CommandError CommandError::storeUnavailable(QString message)
{
    return CommandError(Code::StoreUnavailable, std::move(message));
}

CommandError CommandError::unknownCommand(const QString& type)
{
    return CommandError(Code::UnknownCommand,
        tr("There is no command called \"%1\". Check its spelling, or list the available commands.").arg(type));
}

CommandError CommandError::handlerFailed(QString message)
{
    return CommandError(Code::HandlerFailed, std::move(message));
}

CommandError CommandError::fromStoreError(const StoreError& error)
{
    switch (error.code()) {
    case StoreError::Code::WrongExpectedVersion:
        return conflict(
            error.message(), error.wrongExpectedVersion() ? error.wrongExpectedVersion()->actual : NoStreamVersion);
    case StoreError::Code::InvalidArgument:
    case StoreError::Code::DuplicateEventId:
        return handlerFailed(error.message());
    case StoreError::Code::NotAnEventStore:
    case StoreError::Code::SchemaTooNew:
    case StoreError::Code::ConnectionFailed:
    case StoreError::Code::Unsupported:
    case StoreError::Code::QueryFailed:
    case StoreError::Code::Cancelled:
        break;
    }
    return storeUnavailable(error.message());
}

QString CommandError::codeName(Code code)
{
    switch (code) {
    case Code::Validation:
        return QStringLiteral("validation");
    case Code::Unauthorized:
        return QStringLiteral("unauthorized");
    case Code::Conflict:
        return QStringLiteral("conflict");
    case Code::DomainRuleViolated:
        return QStringLiteral("domain-rule-violated");
    case Code::StoreUnavailable:
        return QStringLiteral("store-unavailable");
    case Code::UnknownCommand:
        return QStringLiteral("unknown-command");
    case Code::HandlerFailed:
        return QStringLiteral("handler-failed");
    }
    return {};
}

} // namespace EventScope
