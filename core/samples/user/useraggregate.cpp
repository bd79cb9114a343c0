// SPDX-License-Identifier: Apache-2.0
#include "useraggregate.h"

#include <QRegularExpression>

namespace EventScope {

namespace {
const QString FirstName = QStringLiteral("firstName");
const QString LastName = QStringLiteral("lastName");
const QString Email = QStringLiteral("email");
const QString Reason = QStringLiteral("reason");
} // namespace

bool UserAggregate::isValidEmail(const QString& email)
{
    static const QRegularExpression pattern(QStringLiteral("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"));
    return pattern.match(email).hasMatch();
}

QString UserAggregate::requireActive() const
{
    if (!m_exists)
        return tr("The user %1 does not exist. Create it first.").arg(id());
    if (!m_active)
        return tr("The user %1 is deactivated. Reactivate it first.").arg(id());
    return {};
}

QString UserAggregate::create(const QString& firstName, const QString& lastName, const QString& email)
{
    if (m_exists)
        return tr("The user %1 exists already. Choose another id.").arg(id());
    if (firstName.trimmed().isEmpty() || lastName.trimmed().isEmpty())
        return tr("A user needs a first and a last name.");
    if (!isValidEmail(email))
        return tr("\"%1\" is not an e-mail address. Give one like name@example.com.").arg(email);
    raise(QStringLiteral("UserCreated"),
        { { FirstName, firstName.trimmed() }, { LastName, lastName.trimmed() }, { Email, email } }, UserCreatedVersion);
    return {};
}

QString UserAggregate::rename(const QString& firstName, const QString& lastName)
{
    if (auto refusal = requireActive(); !refusal.isEmpty())
        return refusal;
    if (firstName.trimmed().isEmpty() || lastName.trimmed().isEmpty())
        return tr("A user needs a first and a last name.");
    if (firstName.trimmed() == m_firstName && lastName.trimmed() == m_lastName)
        return tr("The user %1 has this name already.").arg(id());
    raise(QStringLiteral("UserRenamed"), { { FirstName, firstName.trimmed() }, { LastName, lastName.trimmed() } });
    return {};
}

QString UserAggregate::changeEmail(const QString& email)
{
    if (auto refusal = requireActive(); !refusal.isEmpty())
        return refusal;
    if (!isValidEmail(email))
        return tr("\"%1\" is not an e-mail address. Give one like name@example.com.").arg(email);
    if (email == m_email)
        return tr("The user %1 has this e-mail address already.").arg(id());
    raise(QStringLiteral("UserEmailChanged"), { { Email, email }, { QStringLiteral("previousEmail"), m_email } });
    return {};
}

QString UserAggregate::deactivate(const QString& reason)
{
    if (!m_exists)
        return tr("The user %1 does not exist. Create it first.").arg(id());
    if (!m_active)
        return tr("The user %1 is deactivated already.").arg(id());
    raise(QStringLiteral("UserDeactivated"), { { Reason, reason } });
    return {};
}

QString UserAggregate::reactivate()
{
    if (!m_exists)
        return tr("The user %1 does not exist. Create it first.").arg(id());
    if (m_active)
        return tr("The user %1 is active already.").arg(id());
    raise(QStringLiteral("UserReactivated"), {});
    return {};
}

void UserAggregate::apply(const DomainEvent& event)
{
    const QJsonObject& p = event.payload;
    if (event.type == QLatin1String("UserCreated")) {
        m_exists = true;
        m_active = true;
        m_firstName = p.value(FirstName).toString();
        m_lastName = p.value(LastName).toString();
        m_email = p.value(Email).toString();
    } else if (event.type == QLatin1String("UserRenamed")) {
        m_firstName = p.value(FirstName).toString();
        m_lastName = p.value(LastName).toString();
    } else if (event.type == QLatin1String("UserEmailChanged")) {
        m_email = p.value(Email).toString();
    } else if (event.type == QLatin1String("UserDeactivated")) {
        m_active = false;
        m_deactivationReason = p.value(Reason).toString();
    } else if (event.type == QLatin1String("UserReactivated")) {
        m_active = true;
        m_deactivationReason.clear();
    }
}

QJsonObject UserAggregate::snapshotState() const
{
    return { { QStringLiteral("exists"), m_exists }, { QStringLiteral("active"), m_active }, { FirstName, m_firstName },
        { LastName, m_lastName }, { Email, m_email }, { QStringLiteral("deactivationReason"), m_deactivationReason } };
}

bool UserAggregate::restoreState(const QJsonObject& state)
{
    if (!state.value(QStringLiteral("exists")).isBool() || !state.value(QStringLiteral("active")).isBool())
        return false;
    m_exists = state.value(QStringLiteral("exists")).toBool();
    m_active = state.value(QStringLiteral("active")).toBool();
    m_firstName = state.value(FirstName).toString();
    m_lastName = state.value(LastName).toString();
    m_email = state.value(Email).toString();
    m_deactivationReason = state.value(QStringLiteral("deactivationReason")).toString();
    return true;
}

} // namespace EventScope
