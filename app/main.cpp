// ccpm-desk: the desktop control centre for the ccpm database, and its command line.
#include "commands.h"
#include "databaselocator.h"
#include "desktopapp.h"
#include "hub/hubhost.h"
#include "mainwindow.h"
#include "quitonsignal.h"
#include "studioapp.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <cstdio>

namespace {

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("CCPM"));
    QCoreApplication::setApplicationName(QStringLiteral("ccpm-desk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CCPM_VERSION));
}

/// The languages the build carries a translation for (embedded under :/i18n), plus English,
/// the source language.
QStringList availableLanguages()
{
    QStringList codes{QStringLiteral("en")};
    const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("ccpm-desk_*.qm")});
    for (const QString &file : files)
        codes << file.mid(int(qstrlen("ccpm-desk_"))).chopped(3);
    return codes;
}

} // namespace

int main(int argc, char **argv)
{
    ccpm::hub::preferUnixEventDispatcher();
    setIdentity();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "CCPM Desk: the desktop control centre for the ccpm multi-agent collaboration database.\n\n"
                "Commands (without one, the window opens):\n"
                "  db status                     list applied and pending migrations\n"
                "  db migrate                    apply pending migrations\n"
                "  db seed --demo                write the demo data into an empty database\n"
                "  db seed --scale N             add N synthetic tasks (N/1000 agents, 5N messages)\n"
                "  db connect <url>|--embedded   save the database to use from now on\n"
                "  agent token create <agent>    print a new access token for an agent (name or id)\n"
                "  hub                           run the agent hub without a window\n"
                "  studio [--table T]            browse and edit any PostgreSQL database (--database-url)\n"
                "  studio --list-tables          print every table of any PostgreSQL database (columns,\n"
                "                                primary key, estimated rows); reads only"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption databaseUrl(
        QStringLiteral("database-url"),
        QCoreApplication::translate(
            "main", "PostgreSQL URL (postgresql://user:password@host:5432/ccpm?schema=public). "
                    "Default: DATABASE_URL, the saved setting, the embedded database."),
        QStringLiteral("url"));
    const QCommandLineOption hubPort(
        QStringLiteral("hub-port"),
        QCoreApplication::translate("main", "Agent hub port (default 8765, 0 turns it off)."),
        QStringLiteral("port"), QStringLiteral("8765"));
    const QCommandLineOption hubAddress(
        QStringLiteral("hub-address"),
        QCoreApplication::translate("main", "Agent hub address (default 127.0.0.1)."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption hubTlsCert(
        QStringLiteral("hub-tls-cert"),
        QCoreApplication::translate("main", "PEM certificate (chain) for wss:// agent connections."),
        QStringLiteral("file"));
    const QCommandLineOption hubTlsKey(
        QStringLiteral("hub-tls-key"),
        QCoreApplication::translate("main", "PEM private key of --hub-tls-cert."), QStringLiteral("file"));
    const QCommandLineOption hubInsecure(
        QStringLiteral("hub-insecure"),
        QCoreApplication::translate("main", "Allow plain ws:// on a non-loopback --hub-address (tokens "
                                            "cross the network unencrypted)."));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QCoreApplication::translate("main", "With 'db seed': the demo data."));
    const QCommandLineOption scale(QStringLiteral("scale"),
                                   QCoreApplication::translate("main",
                                                               "With 'db seed': N synthetic tasks, N/1000 "
                                                               "agents and 5N messages."),
                                   QStringLiteral("n"));
    const QCommandLineOption embedded(
        QStringLiteral("embedded"),
        QCoreApplication::translate("main", "With 'db connect': use the embedded database."));
    const QCommandLineOption tokenName(
        QStringLiteral("token-name"),
        QCoreApplication::translate("main", "With 'agent token create': a label for the token."),
        QStringLiteral("name"));
    const QCommandLineOption listTables(
        QStringLiteral("list-tables"),
        QCoreApplication::translate("main", "With 'studio': print the tables, then exit (writes nothing)."));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QCoreApplication::translate("main", "User interface language (en, zh_CN), instead of the system's."),
        QStringLiteral("code"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save the main window as PNG, then quit."),
                                  QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotTab(
        QStringLiteral("screenshot-tab"),
        QStringLiteral("Tab for --screenshot (0-4 the tables, 5 the dashboard, 6 Studio)."),
        QStringLiteral("index"), QStringLiteral("5"));
    screenshotTab.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption table(
        QStringLiteral("table"),
        QCoreApplication::translate("main", "With 'studio': open this table first (name or schema.name)."),
        QStringLiteral("name"));
    parser.addOptions({databaseUrl, hubPort, hubAddress, hubTlsCert, hubTlsKey, hubInsecure, demo, scale,
                       embedded, tokenName, listTables, table, lang, screenshot, screenshotTab});
    // Parsed before any QCoreApplication exists, so a bad command line is a usage error (exit 2)
    // with or without a display.
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "ccpm-desk: %s\nRun 'ccpm-desk --help' for the commands.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(databaseUrl) && parser.value(databaseUrl).trimmed().isEmpty()) {
        std::fputs("ccpm-desk: --database-url is empty (an unset variable?). Give a URL, or leave the "
                   "option out for the default database.\n",
                   stderr);
        return 2;
    }
    const QString language = parser.value(lang).trimmed().replace(QLatin1Char('-'), QLatin1Char('_'));
    if (parser.isSet(lang) && !availableLanguages().contains(language)) {
        std::fprintf(
            stderr, "ccpm-desk: --lang %s: there is no translation for this language. Available: %s.\n",
            qPrintable(parser.value(lang)), qPrintable(availableLanguages().join(QStringLiteral(", "))));
        return 2;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        QCoreApplication app(argc, argv);
        parser.isSet(help) ? parser.showHelp(0) : parser.showVersion();
    }
    // `studio` without --list-tables opens a window, as the app does.
    const bool studioWindow =
        parser.positionalArguments() == QStringList{QStringLiteral("studio")} && !parser.isSet(listTables);
    const bool commandLine = !parser.positionalArguments().isEmpty() && !studioWindow;
    if (!commandLine && !hasDisplay()) {
        std::fputs(
            "ccpm-desk: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
            "Run it in a desktop session, or under a virtual X server:  xvfb-run -a ccpm-desk\n"
            "(Debian package xvfb; with scripts/run:  xvfb-run -a scripts/run). The command-line\n"
            "subcommands need no display: ccpm-desk --help\n",
            stderr);
        return 2;
    }

    std::unique_ptr<QCoreApplication> app;
    if (commandLine)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);

    // --lang overrides the system locale, also for numbers and dates (QLocale's default).
    if (!language.isEmpty())
        QLocale::setDefault(QLocale(language));
    QTranslator translator;
    if (language != QLatin1String("en") && translator.load(QLocale(), QStringLiteral("ccpm-desk"),
                                                           QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    bool portOk = false;
    const int port = parser.value(hubPort).toInt(&portOk);
    if (!portOk || port < 0 || port > 65535) {
        std::fprintf(stderr,
                     "ccpm-desk: --hub-port must be a number from 0 to 65535 (0 turns the hub off).\n");
        return 2;
    }

    QSettings appSettings;
    ccpm::hub::HubSettings hubSettings = ccpm::hub::HubSettings::fromSettings(appSettings);
    hubSettings.tlsCertificateFile = parser.value(hubTlsCert);
    hubSettings.tlsKeyFile = parser.value(hubTlsKey);
    hubSettings.allowInsecure = parser.isSet(hubInsecure);

    if (commandLine) {
        ccpm::CommandOptions options;
        options.hubSettings = hubSettings;
        options.positional = parser.positionalArguments();
        options.databaseUrl = parser.value(databaseUrl);
        options.hubPort = port;
        options.hubAddress = parser.value(hubAddress);
        options.demo = parser.isSet(demo);
        if (parser.isSet(scale)) {
            bool ok = false;
            options.scale = parser.value(scale).toLongLong(&ok);
            if (!ok || options.scale < 1 || options.scale > 100'000'000) {
                std::fprintf(stderr, "ccpm-desk: --scale takes a number of tasks from 1 to 100000000.\n");
                return 2;
            }
        }
        options.embedded = parser.isSet(embedded);
        options.tokenName = parser.value(tokenName);
        options.listTables = parser.isSet(listTables);
        return ccpm::runCommand(options);
    }

    QIcon icon(QStringLiteral(":/icons/ccpm-desk.svg")); // libqt6svg6's icon engine
    icon.addFile(QStringLiteral(":/icons/ccpm-desk-256.png"));
    QApplication::setWindowIcon(icon);
    if (studioWindow) {
        ccpm::StudioWindowOptions studio;
        studio.databaseUrl = parser.value(databaseUrl);
        studio.table = parser.value(table);
        studio.screenshotPath = parser.value(screenshot);
        ccpm::QuitOnSignal quitOnSignal;
        return ccpm::runStudioWindow(studio);
    }
    QSettings settings;
    ccpm::Result<ccpm::DatabaseChoice> choice = ccpm::chooseDatabase(parser.value(databaseUrl), settings);
    if (!choice) {
        std::fprintf(stderr, "ccpm-desk: %s\n", qPrintable(choice.error().message));
        return 2; // as on the command line: a malformed URL is a usage error
    }
    ccpm::DesktopApp::Options options;
    options.database = *choice;
    options.hubPort = port;
    options.hubAddress = parser.value(hubAddress);
    options.hubSettings = hubSettings;
    options.screenshotPath = parser.value(screenshot);
    options.screenshotTab = qBound(0, parser.value(screenshotTab).toInt(), int(ccpm::MainWindow::StudioTab));
    ccpm::QuitOnSignal quitOnSignal; // `kill` and logout shut down cleanly, like File > Quit
    ccpm::DesktopApp desktop(options);
    desktop.start();
    return app->exec();
}
