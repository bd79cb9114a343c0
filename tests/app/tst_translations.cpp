// SPDX-License-Identifier: Apache-2.0
// The translations: every .ts file complete and in step with the sources, the German .qm loads and translates,
// and the eventscope binary follows the system locale unless --lang overrides it.
#include "cqrs/role.h"
#include "eventstore/sqleventstore.h"
#include "samples/demoseeder.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

/// One <message> of a .ts file.
struct TsMessage {
    QString context;
    QString source;
    QString comment;
    QString type; ///< the translation's type attribute: empty when finished, else unfinished, vanished, obsolete
    bool numerus = false;
    QStringList translations; ///< one text, or one per plural form
    int line = 0;

    QString key() const { return context + u'\x1f' + source + u'\x1f' + comment; }
    QString where() const { return QStringLiteral("%1: \"%2\"").arg(context, source.left(80)); }
};

struct TsFile {
    QString language;
    QList<TsMessage> messages;
    QString error; ///< set when the file is not valid XML
};

TsFile readTs(const QString& path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"TS") {
            ts.language = xml.attributes().value(QStringLiteral("language")).toString();
        } else if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            message = TsMessage();
            message.context = context;
            message.numerus = xml.attributes().value(QStringLiteral("numerus")) == u"yes";
            message.line = int(xml.lineNumber());
        } else if (name == u"source") {
            message.source = xml.readElementText();
        } else if (name == u"comment") {
            message.comment = xml.readElementText();
        } else if (name == u"translation") {
            message.type = xml.attributes().value(QStringLiteral("type")).toString();
            if (message.numerus) {
                while (xml.readNextStartElement())
                    message.translations.append(xml.readElementText());
            } else {
                message.translations.append(xml.readElementText());
            }
            ts.messages.append(message);
        }
    }
    if (xml.hasError())
        ts.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return ts;
}

QSet<QString> placeholders(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?\\d+|%n"));
    QSet<QString> found;
    for (const auto& match : pattern.globalMatch(text))
        found.insert(match.captured().remove(u'L'));
    return found;
}

/// A keyboard accelerator: a single '&' before a character that is not a second '&' or an HTML entity (&middot;).
bool hasAccelerator(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("(?<!&)&(?!&|\\s|[a-z]+;)"));
    return pattern.match(text).hasMatch();
}

/// German and English have two plural forms; a language not listed here is not checked for its count.
int pluralForms(const QString& language)
{
    if (language.startsWith(u"de") || language.startsWith(u"en"))
        return 2;
    return 0;
}

struct Run {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment = {})
{
    QProcess process;
    if (!environment.isEmpty())
        process.setProcessEnvironment(environment);
    process.start(program, arguments);
    Run result;
    result.finished = process.waitForFinished(120'000);
    if (!result.finished)
        process.kill();
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString describe(const QString& what, const QStringList& problems)
{
    const qsizetype shown = std::min<qsizetype>(problems.size(), 25);
    QString text = QStringLiteral("%1 (%2):\n  ").arg(what).arg(problems.size()) + problems.first(shown).join(u"\n  ");
    if (shown < problems.size())
        text += QStringLiteral("\n  … and %1 more").arg(problems.size() - shown);
    return text;
}

QProcessEnvironment guiEnvironment(const QString& language)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const char* variable : { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" })
        environment.insert(QString::fromLatin1(variable), language);
    return environment;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private:
    QStringList m_tsFiles;

private Q_SLOTS:
    void initTestCase()
    {
        const QDir directory(QStringLiteral(EVENTSCOPE_TRANSLATIONS_DIR));
        for (const QString& name : directory.entryList({ QStringLiteral("eventscope_*.ts") }, QDir::Files))
            m_tsFiles.append(directory.filePath(name));
        QVERIFY2(!m_tsFiles.isEmpty(), qPrintable(u"no eventscope_*.ts in " + directory.path()));
        QVERIFY(m_tsFiles.contains(directory.filePath(QStringLiteral("eventscope_de.ts"))));
    }

    /// Every message translated: nothing unfinished, vanished or obsolete, placeholders, accelerators and plural
    /// forms kept.
    void tsFileIsComplete_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString& path : std::as_const(m_tsFiles))
            QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
    }

    void tsFileIsComplete()
    {
        QFETCH(QString, path);
        const TsFile ts = readTs(path);
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        QVERIFY2(!ts.messages.isEmpty(), qPrintable(path + u" holds no message"));
        QStringList unfinished;
        QStringList stale;
        QStringList broken;
        for (const TsMessage& message : ts.messages) {
            const QString where = QStringLiteral("line %1, %2").arg(message.line).arg(message.where());
            if (message.type == u"unfinished")
                unfinished.append(where);
            else if (message.type == u"vanished" || message.type == u"obsolete")
                stale.append(where);
            if (!message.type.isEmpty())
                continue;
            if (message.numerus && pluralForms(ts.language) != 0
                && message.translations.size() != pluralForms(ts.language))
                broken.append(where + QStringLiteral(": %1 plural forms").arg(message.translations.size()));
            for (const QString& translation : message.translations) {
                if (translation.trimmed().isEmpty() && !message.source.trimmed().isEmpty())
                    broken.append(where + u": empty translation");
                else if (placeholders(translation) != placeholders(message.source))
                    broken.append(where + u": placeholders differ in \"" + translation + u'"');
                else if (hasAccelerator(translation) != hasAccelerator(message.source))
                    broken.append(where + u": the '&' shortcut is missing or extra in \"" + translation + u'"');
            }
        }
        QVERIFY2(unfinished.isEmpty(),
            qPrintable(describe(u"Untranslated messages: translate them in " + path, unfinished)));
        QVERIFY2(stale.isEmpty(),
            qPrintable(describe(QStringLiteral("Vanished or obsolete messages: run `cmake --build <build> --target "
                                               "update_translations`"),
                stale)));
        QVERIFY2(broken.isEmpty(), qPrintable(describe(QStringLiteral("Broken translations"), broken)));
    }

    /// lupdate over the sources (the same project as the update_translations target) finds no string that the
    /// .ts file lacks: a new tr() string without a translation fails here.
    void tsFileMatchesSources_data() { tsFileIsComplete_data(); }

    void tsFileMatchesSources()
    {
        QFETCH(QString, path);
        QTemporaryDir temporary;
        QVERIFY(temporary.isValid());
        const QString project = temporary.filePath(QStringLiteral("project.json"));
        const Run generated = run(QStringLiteral(EVENTSCOPE_CMAKE),
            { QStringLiteral("-DIN_FILE=" EVENTSCOPE_LUPDATE_PROJECT), u"-DOUT_FILE=" + project, QStringLiteral("-P"),
                QStringLiteral(EVENTSCOPE_LUPDATE_GENERATOR) });
        QVERIFY2(generated.finished && generated.exitCode == 0, qPrintable(generated.out + generated.err));

        const QString copy = temporary.filePath(QFileInfo(path).fileName());
        QVERIFY(QFile::copy(path, copy));
        const Run updated = run(QStringLiteral(EVENTSCOPE_LUPDATE),
            { QStringLiteral("-project"), project, QStringLiteral("-ts"), copy, QStringLiteral("-no-obsolete"),
                QStringLiteral("-locations"), QStringLiteral("relative"), QStringLiteral("-silent") });
        QVERIFY2(updated.finished && updated.exitCode == 0, qPrintable(updated.out + updated.err));

        const TsFile original = readTs(path);
        const TsFile refreshed = readTs(copy);
        QVERIFY2(refreshed.error.isEmpty(), qPrintable(refreshed.error));
        QSet<QString> originalKeys;
        for (const TsMessage& message : original.messages)
            originalKeys.insert(message.key());
        QStringList missing;
        QSet<QString> refreshedKeys;
        for (const TsMessage& message : refreshed.messages) {
            refreshedKeys.insert(message.key());
            if (!originalKeys.contains(message.key()) || message.type == u"unfinished")
                missing.append(message.where());
        }
        QVERIFY2(missing.isEmpty(),
            qPrintable(describe(u"Strings in the sources without a translation in " + path
                    + u"; run `cmake --build <build> --target update_translations` and translate them",
                missing)));
        QVERIFY2(refreshed.messages.size() > 100, "lupdate found hardly any strings: is the project complete?");
        int unused = 0;
        for (const TsMessage& message : original.messages)
            unused += refreshedKeys.contains(message.key()) ? 0 : 1;
        if (unused > 0)
            qWarning("%s holds %d messages the sources no longer use; update_translations removes them.",
                qPrintable(path), unused);
    }

    /// The German .qm, compiled by lrelease as the build does, loads and translates known strings.
    void germanQmTranslates()
    {
        QTemporaryDir temporary;
        QVERIFY(temporary.isValid());
        const QString qm = temporary.filePath(QStringLiteral("eventscope_de.qm"));
        const Run released = run(QStringLiteral(EVENTSCOPE_LRELEASE),
            { QStringLiteral(EVENTSCOPE_TRANSLATIONS_DIR "/eventscope_de.ts"), QStringLiteral("-qm"), qm });
        QVERIFY2(released.finished && released.exitCode == 0, qPrintable(released.out + released.err));
        QVERIFY2(released.out.contains(u"0 unfinished"), qPrintable(released.out));

        QTranslator translator;
        QVERIFY(translator.load(qm));
        QVERIFY(!translator.isEmpty());
        QCOMPARE(translator.language(), QStringLiteral("de_DE"));
        QCOMPARE(translator.translate("EventScope::MainWindow", "Connect…"), QStringLiteral("Verbinden…"));
        QCOMPARE(translator.translate("EventScope::MainWindow", "Time travel"), QStringLiteral("Zeitreise"));
        QCOMPARE(translator.translate("EventScope::MainWindow", "Snapshots"), QStringLiteral("Momentaufnahmen"));
        QCOMPARE(translator.translate("eventscope", "EventScope cannot start"),
            QStringLiteral("EventScope kann nicht starten"));
        QCOMPARE(translator.translate("EventScope::ChartsPane", "%n event(s) in these days.", nullptr, 1),
            QStringLiteral("%n Ereignis in diesen Tagen."));
        QCOMPARE(translator.translate("EventScope::ChartsPane", "%n event(s) in these days.", nullptr, 3),
            QStringLiteral("%n Ereignisse in diesen Tagen."));
    }

    /// Messages of the core reach people in German: the context lupdate files them under is the one the code
    /// asks for at run time.
    void coreMessagesTranslate()
    {
        QTemporaryDir temporary;
        QVERIFY(temporary.isValid());
        const QString qm = temporary.filePath(QStringLiteral("eventscope_de.qm"));
        const Run released = run(QStringLiteral(EVENTSCOPE_LRELEASE),
            { QStringLiteral(EVENTSCOPE_TRANSLATIONS_DIR "/eventscope_de.ts"), QStringLiteral("-qm"), qm });
        QVERIFY2(released.finished && released.exitCode == 0, qPrintable(released.out + released.err));
        QTranslator translator;
        QVERIFY(translator.load(qm));
        QVERIFY(QCoreApplication::installTranslator(&translator));
        const auto removeTranslator = qScopeGuard([&translator] { QCoreApplication::removeTranslator(&translator); });

        // SqlEventStore (a QObject): lupdate and the code agree on EventScope::SqlEventStore.
        EventScope::StoreSettings missing;
        missing.connection = temporary.filePath(QStringLiteral("missing.db"));
        missing.readOnly = true;
        const auto notThere = EventScope::SqlEventStore::open(missing);
        QVERIFY(!notThere);
        QVERIFY2(notThere.error().message().startsWith(u"Unter '"), qPrintable(notThere.error().message()));

        // SqliteDialect (Q_DECLARE_TR_FUNCTIONS, shadowing the base dialect's tr).
        const QString foreign = temporary.filePath(QStringLiteral("foreign.db"));
        {
            QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
            database.setDatabaseName(foreign);
            QVERIFY(database.open());
            QVERIFY(QSqlQuery(database).exec(QStringLiteral("CREATE TABLE invoices (id INTEGER)")));
            database.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("foreign"));
        EventScope::StoreSettings other;
        other.connection = foreign;
        other.readOnly = true;
        const auto notOurs = EventScope::SqlEventStore::open(other);
        QVERIFY(!notOurs);
        QVERIFY2(notOurs.error().message().contains(u"invoices"), qPrintable(notOurs.error().message()));
        QVERIFY2(
            notOurs.error().message().contains(u"kein EventScope-Speicher"), qPrintable(notOurs.error().message()));

        // A free function of the demo seeder (DemoSeeder::tr from outside the class), and a role's title.
        EventScope::DemoSeeder::Options tooMany;
        tooMany.users = -1;
        EventScope::StoreSettings scratch;
        scratch.connection = temporary.filePath(QStringLiteral("scratch.db"));
        const auto opened = EventScope::SqlEventStore::open(scratch);
        QVERIFY(opened.ok());
        const auto seeded = EventScope::DemoSeeder::seed(**opened, tooMany);
        QVERIFY(!seeded.ok());
        QVERIFY2(seeded.error().message().startsWith(u"Das Befüllen"), qPrintable(seeded.error().message()));
        QCOMPARE(EventScope::roleTitle(EventScope::Role::Developer), QStringLiteral("Entwickler"));
    }

    /// A tr() helper of a source file's own (a function or lambda named tr that calls translate with a fixed
    /// context) puts its messages in a context lupdate does not know: they would stay English. Classes that are
    /// not QObjects declare Q_DECLARE_TR_FUNCTIONS; free functions call Class::tr.
    void noHomeMadeTrHelpers()
    {
        static const QRegularExpression helper(QStringLiteral(R"(\bQString\s+tr\s*\(\s*const\s+char|\bauto\s+tr\s*=)"));
        QStringList found;
        for (const char* area : { "core", "ui" }) {
            QDirIterator it(QStringLiteral(EVENTSCOPE_SOURCE_DIR "/") + QLatin1String(area),
                { QStringLiteral("*.cpp"), QStringLiteral("*.h") }, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                int line = 0;
                while (!file.atEnd()) {
                    ++line;
                    const QString text = QString::fromUtf8(file.readLine());
                    if (helper.match(text).hasMatch())
                        found << QStringLiteral("%1:%2: %3").arg(file.fileName()).arg(line).arg(text.trimmed());
                }
            }
        }
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    }

    /// The binary carries the .qm (:/i18n): its --help follows the system language, and --lang overrides it.
    void guiFollowsLocaleAndLang()
    {
        const QString program = QStringLiteral(EVENTSCOPE_GUI_PATH);
        const QString german = QStringLiteral("Sprache der Benutzeroberfläche");
        const QString english = QStringLiteral("Language of the user interface");

        const Run system = run(program, { QStringLiteral("--help") }, guiEnvironment(QStringLiteral("de_DE.UTF-8")));
        QVERIFY2(system.finished && system.exitCode == 0, qPrintable(system.err));
        QVERIFY2(system.out.contains(german), qPrintable(system.out));

        const Run overridden
            = run(program, { QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("--help") },
                guiEnvironment(QStringLiteral("de_DE.UTF-8")));
        QVERIFY2(overridden.finished && overridden.exitCode == 0, qPrintable(overridden.err));
        QVERIFY2(overridden.out.contains(english), qPrintable(overridden.out));
        QVERIFY2(!overridden.out.contains(german), qPrintable(overridden.out));
        QVERIFY2(overridden.out.contains(u"--lang <code>"), qPrintable(overridden.out));

        const Run chosen = run(
            program, { QStringLiteral("--lang=de"), QStringLiteral("--help") }, guiEnvironment(QStringLiteral("C")));
        QVERIFY2(chosen.finished && chosen.exitCode == 0, qPrintable(chosen.err));
        QVERIFY2(chosen.out.contains(german), qPrintable(chosen.out));
        QVERIFY2(chosen.out.contains(u"--lang <Code>"), qPrintable(chosen.out));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
