// SPDX-License-Identifier: Apache-2.0
// Embedding the EventScope engine: a library's own domain (books that are added and lent), an SQLite event store in
// a temporary folder, one command dispatched, the read model brought up to date and queried.
// Exits with 0 when everything went as expected, 1 otherwise.
#include "librarymodule.h"

#include <eventscope/config/appconfig.h>
#include <eventscope/engine/engine.h>
#include <eventscope/eventstore/sqleventstore.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>

#include <chrono>

using namespace EventScope;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

int fail(const QString& message)
{
    QTextStream(stderr) << "library-loans: " << message << Qt::endl;
    return 1;
}

Command command(const QString& type, const QString& bookId, const QJsonObject& fields)
{
    Command command;
    command.type = type;
    command.aggregateId = bookId;
    command.fields = fields;
    return command;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // The engine logs under the categories eventscope.*; keep its debug messages out of this program's output.
    QLoggingCategory::setFilterRules(QStringLiteral("eventscope.*.debug=false"));

    // 1. The event store: an SQLite file (created with its schema on first use). PostgreSQL works the same way with
    //    backend = Postgres and a connection URL.
    QTemporaryDir folder;
    if (!folder.isValid())
        return fail(QStringLiteral("cannot create a temporary folder: %1").arg(folder.errorString()));
    AppConfig config;
    config.eventStore.backend = StoreSettings::Backend::Sqlite;
    config.eventStore.connection = folder.filePath(QStringLiteral("library.db"));

    // 2. The engine with our module only (leave Options::modules empty for the shipped User and Account samples).
    Engine::Options options;
    options.modules = { std::make_shared<Library::LibraryModule>() };
    auto created = Engine::create(config, options);
    if (!created)
        return fail(QStringLiteral("the engine did not start: %1").arg(created.error().message()));
    Engine& engine = *created.value();
    out() << "Store " << engine.store()->settings().connection << ", modules: " << engine.moduleNames().join(u',')
          << Qt::endl;

    // 3. Commands, issued by someone in a role, for a reason: both end up in every event's metadata.
    CommandContext librarian;
    librarian.actor = QStringLiteral("librarian@example.org");
    librarian.role = Role::Support;
    librarian.reason = QStringLiteral("front desk");

    // Each dispatch checks the fields against the command's descriptor and the role, loads the book, runs the
    // decision and appends the events it raised.
    const QString bookId = QStringLiteral("dune");
    const Command addBook
        = command(QStringLiteral("AddBook"), bookId, { { QStringLiteral("title"), QStringLiteral("Dune") } });
    const Command lendBook
        = command(QStringLiteral("LendBook"), bookId, { { QStringLiteral("borrower"), QStringLiteral("Ada") } });
    for (const Command& c : { addBook, lendBook }) {
        const DispatchResult result = engine.dispatch(c, librarian);
        if (!result.ok())
            return fail(QStringLiteral("%1 failed: %2").arg(c.type, result.error->message()));
        out() << c.type << ": " << result.aggregateId << " is at version " << result.newVersion << Qt::endl;
    }

    // The aggregate keeps its rules: a lent book cannot be lent again.
    const DispatchResult refused = engine.dispatch(
        command(QStringLiteral("LendBook"), bookId, { { QStringLiteral("borrower"), QStringLiteral("Grace") } }),
        librarian);
    if (refused.ok())
        return fail(QStringLiteral("a book on loan was lent a second time"));
    out() << "LendBook refused (" << CommandError::codeName(refused.error->code()) << "): " << refused.error->message()
          << Qt::endl;

    // 4. Projections run on threads of their own. Start them and wait until the bookshelf has applied every event
    //    written so far (read-your-writes).
    engine.projections().start();
    const auto head = engine.store()->headPosition();
    if (!head)
        return fail(QStringLiteral("cannot read the store's head position: %1").arg(head.error().message()));
    if (!engine.projections().waitForCheckpoint(QStringLiteral("bookshelf"), head.value(), std::chrono::seconds(30)))
        return fail(QStringLiteral("the bookshelf projection did not catch up with position %1").arg(head.value()));

    // 5. Ask the read model.
    const QueryResult answer = engine.query({ QStringLiteral("GetBook"), { { QStringLiteral("id"), bookId } } });
    if (!answer.ok())
        return fail(QStringLiteral("GetBook failed: %1").arg(answer.error()->message));
    const QJsonObject book = answer.value().toObject();
    out() << "GetBook: " << QJsonDocument(book).toJson(QJsonDocument::Compact) << Qt::endl;
    if (book.value(QLatin1String("borrower")).toString() != QLatin1String("Ada"))
        return fail(QStringLiteral("the bookshelf says the borrower is \"%1\", not Ada")
                        .arg(book.value(QLatin1String("borrower")).toString()));

    out() << "\"" << book.value(QLatin1String("title")).toString() << "\" is on loan to "
          << book.value(QLatin1String("borrower")).toString() << " (as of position "
          << book.value(QLatin1String("asOf")).toInteger() << ")." << Qt::endl;
    engine.projections().stop();
    return 0;
}
