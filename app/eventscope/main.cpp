// SPDX-License-Identifier: Apache-2.0
// eventscope: the desktop event explorer. Wiring only: command line, configuration, logging, the window.

#include "logmodel.h"
#include "mainwindow.h"

#include "config/configloader.h"
#include "cqrs/role.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/storelocation.h"
#include "logbridge.h"
#include "samples/demoseeder.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

using namespace EventScope;

namespace {

/// The translation context of the command line and the start-up messages ("eventscope"); lupdate reads it too.
class Main {
    Q_DECLARE_TR_FUNCTIONS(eventscope)
};

/// The language of the user interface: --lang CODE (or --lang=CODE) if given, else the system locale. Read
/// before the command line is parsed so that --help is already in that language.
QLocale uiLocale(const QStringList& arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == u"--lang" && i + 1 < arguments.size())
            return QLocale(arguments.at(i + 1));
        if (argument.startsWith(u"--lang="))
            return QLocale(argument.mid(7));
    }
    return QLocale();
}

bool isKnownLanguage(const QString& code)
{
    return QLocale(code).language() != QLocale::C || code == u"C";
}

/// Stops before the window opens, saying why both on stderr and in a dialog (a desktop launch has no terminal).
int failToStart(const QString& message)
{
    qCritical().noquote() << message;
    QMessageBox::critical(nullptr, Main::tr("EventScope cannot start"), message);
    return 1;
}

QString appDataFile(const QString& name)
{
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(directory);
    return QDir(directory).filePath(name);
}

/// A fresh SQLite file for --demo: the previous run's demo store is thrown away.
StoreSettings demoStoreSettings()
{
    StoreSettings settings;
    settings.connection = appDataFile(QStringLiteral("demo.db"));
    for (const QString& suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(settings.connection + suffix);
    // A demo is disposable: no need to wait for the disk on every append.
    settings.sqliteSynchronous = StoreSettings::SqliteSync::Normal;
    return settings;
}

/// --help and --version print and exit; they must work on a machine without a display too.
void allowHelpWithoutDisplay(int argc, char* argv[])
{
    if (qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
}

} // namespace

int main(int argc, char* argv[])
{
    allowHelpWithoutDisplay(argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("eventscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("EventScope"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    // Wayland compositors and task bars find the installed .desktop file, and with it the icon, by this id.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.eventscope.EventScope"));
    // The SVG needs Qt's SVG icon engine (libqt6svg6); the PNGs cover systems without it.
    QIcon windowIcon(QStringLiteral(":/icons/eventscope.svg"));
    for (const int size : { 16, 22, 24, 32, 48, 64, 128, 256 })
        windowIcon.addFile(QStringLiteral(":/icons/eventscope-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(windowIcon);

    // The language follows the system locale; --lang overrides it (also for numbers and dates).
    const QLocale locale = uiLocale(QCoreApplication::arguments());
    QLocale::setDefault(locale);
    QTranslator qtTranslator;
    if (qtTranslator.load(
            locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(locale, QStringLiteral("eventscope"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(Main::tr("Desktop admin and event explorer for event-sourced systems."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("store"),
        Main::tr("Event store to open: a SQLite file, or a PostgreSQL connection string (postgres://user@host/db or "
                 "\"host=… dbname=…\"). Default: the configuration's store, else %1.")
            .arg(QDir::toNativeSeparators(
                QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/eventscope.db")),
        QStringLiteral("[store]"));
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        Main::tr("Explore a freshly generated demo store (users and accounts); it is recreated on every start."));
    const QCommandLineOption configOption(QStringLiteral("config"),
        Main::tr("Configuration file (YAML) for the event store and logging."), Main::tr("file"));
    const QCommandLineOption logLevelOption(QStringLiteral("log-level"),
        Main::tr("trace, debug, info, warn, error, critical or off. Default: the configuration's level, else info."),
        Main::tr("level"));
    const QCommandLineOption readOnlyOption(
        QStringLiteral("read-only"), Main::tr("Open stores read-only: nothing is created, migrated or appended."));
    const QCommandLineOption roleOption(QStringLiteral("role"),
        Main::tr("Your role: auditor (read-only), support or developer. Default: auditor, or the configuration's "
                 "gui.role, which cannot be overridden."),
        Main::tr("role"), QStringLiteral("auditor"));
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        Main::tr("Save a picture of the window to this file once data has loaded, then quit."), Main::tr("file"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption langOption(QStringLiteral("lang"),
        Main::tr("Language of the user interface, e.g. en or de. Default: the system's language."), Main::tr("code"));
    parser.addOptions(
        { demoOption, configOption, logLevelOption, readOnlyOption, roleOption, langOption, screenshotOption });
    parser.process(app);
    if (parser.isSet(langOption) && !isKnownLanguage(parser.value(langOption)))
        return failToStart(
            Main::tr("Unknown language '%1'. Use a language code such as en or de.").arg(parser.value(langOption)));

    AppConfig config = ConfigLoader::defaults();
    QStringList configWarnings;
    if (parser.isSet(configOption)) {
        ConfigLoadResult loaded = ConfigLoader::loadFile(parser.value(configOption));
        if (!loaded.ok())
            return failToStart(Main::tr("The configuration file has errors. Fix them and start EventScope again.\n\n%1")
                                   .arg(loaded.error));
        config = *loaded.config;
        configWarnings = loaded.warnings;
    }

    LogOptions logOptions = LogOptions::fromConfig(config.logging, QCoreApplication::applicationName());
    if (parser.isSet(logLevelOption)) {
        logOptions.level = parser.value(logLevelOption);
        if (!LogBridge::isValidLevel(logOptions.level))
            return failToStart(Main::tr("Unknown log level '%1'. Use trace, debug, info, warn, error, critical or off.")
                                   .arg(logOptions.level));
    }
    LogBridge::install(logOptions);
    for (const QString& warning : std::as_const(configWarnings))
        qWarning().noquote() << warning;

    StoreSettings settings = config.eventStore;
    const auto role = roleFromName(parser.value(roleOption));
    if (!role)
        return failToStart(
            Main::tr("Unknown role '%1'. Use auditor, support or developer.").arg(parser.value(roleOption)));
    if (!parser.positionalArguments().isEmpty()) {
        settings = storeSettingsFromLocation(parser.positionalArguments().constFirst(), settings);
    } else if (!parser.isSet(configOption)) {
        settings.connection = appDataFile(QStringLiteral("eventscope.db"));
    }
    settings.readOnly = settings.readOnly || parser.isSet(readOnlyOption);

    MainWindow window;
    // Application messages also go to the window's log pane (from any thread; the model batches them).
    LogBridge::setListener(window.logModel()->listener());
    window.setConfig(config);
    window.setRole(*role);
    window.setOpenReadOnly(settings.readOnly);
    window.show();

    if (parser.isSet(demoOption)) {
        const DemoSeeder::Options demo;
        window.openStore(demoStoreSettings(), Main::tr("Creating a demo store with %1 events…").arg(demo.targetEvents),
            [demo](SqlEventStore& store) {
                const auto seeded = DemoSeeder::seed(store, demo);
                return seeded ? QString() : seeded.error().message();
            });
    } else {
        window.openStore(settings);
    }

    if (parser.isSet(screenshotOption)) {
        QObject::connect(&window, &MainWindow::screenshotSaved, &app, [](const QString& path, bool ok) {
            if (!ok)
                qCritical().noquote() << "could not write the screenshot" << path;
            QCoreApplication::exit(ok ? 0 : 1);
        });
        QObject::connect(&window, &MainWindow::openFailed, &app, [] { QCoreApplication::exit(1); });
        QTimer::singleShot(std::chrono::minutes(2), &app, [] {
            qCritical() << "gave up waiting for the data to load for the screenshot";
            QCoreApplication::exit(2);
        });
        window.saveScreenshotWhenLoaded(parser.value(screenshotOption));
    }

    const int status = QApplication::exec();
    LogBridge::setListener({});
    LogBridge::shutdown();
    return status;
}
