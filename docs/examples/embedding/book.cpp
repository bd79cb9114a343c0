// SPDX-License-Identifier: Apache-2.0
#include "book.h"

#include <QJsonObject>

namespace Library {

QString Book::add(const QString& title)
{
    if (m_exists)
        return QStringLiteral("The book %1 is in the catalogue already.").arg(id());
    if (title.trimmed().isEmpty())
        return QStringLiteral("A book needs a title.");
    raise(QStringLiteral("BookAdded"), { { QStringLiteral("title"), title.trimmed() } });
    return {};
}

QString Book::lend(const QString& borrower)
{
    if (!m_exists)
        return QStringLiteral("The book %1 is not in the catalogue. Add it first.").arg(id());
    if (!m_borrower.isEmpty())
        return QStringLiteral("\"%1\" is on loan to %2 already.").arg(m_title, m_borrower);
    raise(QStringLiteral("BookLent"), { { QStringLiteral("borrower"), borrower.trimmed() } });
    return {};
}

void Book::apply(const EventScope::DomainEvent& event)
{
    if (event.type == QLatin1String("BookAdded")) {
        m_exists = true;
        m_title = event.payload.value(QLatin1String("title")).toString();
    } else if (event.type == QLatin1String("BookLent")) {
        m_borrower = event.payload.value(QLatin1String("borrower")).toString();
    }
}

QJsonObject Book::snapshotState() const
{
    return { { QStringLiteral("exists"), m_exists }, { QStringLiteral("title"), m_title },
        { QStringLiteral("borrower"), m_borrower } };
}

bool Book::restoreState(const QJsonObject& state)
{
    if (!state.value(QLatin1String("exists")).isBool())
        return false;
    m_exists = state.value(QLatin1String("exists")).toBool();
    m_title = state.value(QLatin1String("title")).toString();
    m_borrower = state.value(QLatin1String("borrower")).toString();
    return true;
}

} // namespace Library
