#include "commands.h"

#include "agentrepository.h"
#include "agenttokenrepository.h"
#include "appcore.h"
#include "databaseurl.h"
#include "demoseeder.h"
#include "hub/hubhost.h"
#include "quitonsignal.h"
#include "scaleseeder.h"
#include "studiocommand.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTextStream>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const Error &error)
{
    err() << "ccpm-desk: " << error.message << Qt::endl;
    if (!error.detail.isEmpty())
        err() << "  " << error.detail << Qt::endl;
    return 1;
}

int usage(const QString &message)
{
    err() << "ccpm-desk: " << message << Qt::endl << "Run 'ccpm-desk --help' for the commands." << Qt::endl;
    return 2;
}

// Opens the chosen database; returns nullptr after printing the error. A malformed URL is a
// usage error (exit 2), anything else a failure (exit 1): `*exitCode` says which. `listen`:
// follow other desks' changes (the hub, which must tell its agents of them).
std::unique_ptr<AppCore> openCore(const CommandOptions &options, bool migrate, int *exitCode,
                                  bool listen = false)
{
    QSettings settings;
    Result<DatabaseChoice> choice = chooseDatabase(options.databaseUrl, settings);
    *exitCode = 1;
    if (!choice) {
        fail(choice.error());
        *exitCode = 2;
        return nullptr;
    }
    auto core = std::make_unique<AppCore>();
    Result<AppCore::OpenReport> opened = QCoro::waitFor(core->open(*choice, {migrate, false, listen}));
    if (!opened) {
        fail(opened.error());
        return nullptr;
    }
    for (int v : opened->migrations.baselined)
        err() << "baselined migration " << v << " (the backend's schema was already there)" << Qt::endl;
    for (int v : opened->migrations.applied)
        err() << "applied migration " << v << Qt::endl;
    return core;
}

int dbStatus(const CommandOptions &options)
{
    int exitCode = 0;
    auto core = openCore(options, false, &exitCode);
    if (!core)
        return exitCode;
    auto status =
        QCoro::waitFor(core->executor().exec([](QSqlDatabase &db) { return Migrator::status(db); }));
    if (!status)
        return fail(status.error());
    out() << "database: " << core->settings().displayName() << " ("
          << DatabaseChoice::sourceName(core->source()) << ")" << Qt::endl;
    int pending = 0;
    for (const Migrator::Entry &e : *status) {
        out() << QStringLiteral("%1  %2  %3  %4")
                     .arg(e.version, 4, 10, QLatin1Char('0'))
                     .arg(Migrator::stateName(e.state), -9)
                     .arg(e.name, -24)
                     .arg(e.appliedAt.isValid() ? e.appliedAt.toString(Qt::ISODateWithMs) : QString())
              << Qt::endl;
        if (e.state == Migrator::State::Pending)
            ++pending;
        if (e.state == Migrator::State::Modified)
            return fail({Error::Kind::Schema,
                         QStringLiteral("Migration %1 was changed after it was applied.").arg(e.version),
                         {},
                         {}});
    }
    out() << (pending ? QStringLiteral("%1 pending: run 'ccpm-desk db migrate'").arg(pending)
                      : QStringLiteral("up to date"))
          << Qt::endl;
    return 0;
}

int dbMigrate(const CommandOptions &options)
{
    int exitCode = 0;
    auto core = openCore(options, true, &exitCode);
    if (!core)
        return exitCode;
    out() << "database " << core->settings().displayName() << " is up to date" << Qt::endl;
    return 0;
}

int dbSeedScale(const CommandOptions &options)
{
    int exitCode = 0;
    auto core = openCore(options, true, &exitCode);
    if (!core)
        return exitCode;
    const qint64 tasks = options.scale;
    QElapsedTimer timer;
    timer.start();
    auto job = [tasks](QSqlDatabase &db) {
        return ScaleSeeder::seed(db, tasks, [](const QString &table, qint64 done, qint64 total) {
            // From the worker thread: stderr is line-buffered and only this job writes to it now.
            std::fprintf(stderr, "%s %lld/%lld\n", qPrintable(table), static_cast<long long>(done),
                         static_cast<long long>(total));
        });
    };
    auto report = QCoro::waitFor(core->executor().exec(job));
    if (!report)
        return fail(report.error());
    out() << QStringLiteral("wrote %1 tasks, %2 agents, %3 messages and 1 user in %4 s")
                 .arg(report->tasks)
                 .arg(report->agents)
                 .arg(report->messages)
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
          << Qt::endl;
    return 0;
}

int dbSeed(const CommandOptions &options)
{
    if (options.scale > 0 && options.demo)
        return usage(QStringLiteral("'db seed' takes --demo or --scale N, not both."));
    if (options.scale > 0)
        return dbSeedScale(options);
    if (!options.demo)
        return usage(
            QStringLiteral("'db seed' needs --demo (the backend's sample data) or --scale N (synthetic)."));
    int exitCode = 0;
    auto core = openCore(options, true, &exitCode);
    if (!core)
        return exitCode;
    auto report =
        QCoro::waitFor(core->executor().exec([](QSqlDatabase &db) { return DemoSeeder::seed(db); }));
    if (!report)
        return fail(report.error());
    out() << QStringLiteral("wrote the demo data: %1 users, %2 agents, %3 tasks, %4 messages")
                 .arg(report->users)
                 .arg(report->agents)
                 .arg(report->tasks)
                 .arg(report->messages)
          << Qt::endl;
    out() << "log in as admin / admin123 (ADMIN) or testuser / user123 (USER)" << Qt::endl;
    return 0;
}

int dbConnect(const CommandOptions &options)
{
    QSettings settings;
    if (options.embedded) {
        settings.remove(savedDatabaseUrlKey());
        out() << "saved: the embedded database" << Qt::endl;
        return 0;
    }
    if (options.positional.size() != 3)
        return usage(QStringLiteral("'db connect' takes one URL, or --embedded."));
    Result<ConnectionSettings> parsed = parseDatabaseUrl(options.positional.at(2));
    if (!parsed)
        return fail(parsed.error());
    // Settings are a plain file: the password is never written there. Without it, libpq reads
    // the password from ~/.pgpass (or PGPASSFILE) when the server asks for one.
    ConnectionSettings saved = *parsed;
    saved.password.clear();
    settings.setValue(savedDatabaseUrlKey(), saved.redactedUrl());
    settings.sync();
    out() << "saved: " << saved.redactedUrl() << Qt::endl;
    if (!parsed->password.isEmpty())
        err() << "note: the password was not saved (settings are a plain file): put it in ~/.pgpass, "
                 "or give the whole URL in DATABASE_URL or --database-url"
              << Qt::endl;
    return 0;
}

int agentTokenCreate(const CommandOptions &options)
{
    if (options.positional.size() != 4)
        return usage(QStringLiteral("'agent token create' takes one agent name or id."));
    int exitCode = 0;
    auto core = openCore(options, true, &exitCode);
    if (!core)
        return exitCode;
    const QString key = options.positional.at(3);
    auto agent = QCoro::waitFor(AgentRepository(core->executor()).findByIdOrName(key));
    if (!agent)
        return fail(agent.error());
    const QString name =
        options.tokenName.isEmpty()
            ? QStringLiteral("created %1").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
            : options.tokenName;
    auto created = QCoro::waitFor(AgentTokenRepository(core->executor()).create(agent->id, name));
    if (!created)
        return fail(created.error());
    err() << "Token for agent \"" << agent->name << "\" (" << agent->id
          << "), shown once; only its SHA-256 is stored." << Qt::endl;
    out() << created->token << Qt::endl;
    return 0;
}

int runHub(const CommandOptions &options)
{
    if (options.hubPort <= 0)
        return usage(QStringLiteral("'hub' needs a port: --hub-port must be 1..65535."));
    QHostAddress address;
    if (!address.setAddress(options.hubAddress))
        return usage(QStringLiteral("--hub-address \"%1\" is not an IP address.").arg(options.hubAddress));
    const hub::HubSettings &hubSettings = options.hubSettings;
    if (hubSettings.tlsCertificateFile.isEmpty() != hubSettings.tlsKeyFile.isEmpty())
        return usage(QStringLiteral("TLS needs both --hub-tls-cert and --hub-tls-key."));
    if (!address.isLoopback() && hubSettings.tlsCertificateFile.isEmpty() && !hubSettings.allowInsecure)
        return usage(QStringLiteral("--hub-address %1 is not loopback: give --hub-tls-cert and --hub-tls-key "
                                    "(agent tokens would cross the network unencrypted), or --hub-insecure.")
                         .arg(options.hubAddress));
    int exitCode = 0;
    auto core = openCore(options, true, &exitCode, true);
    if (!core)
        return exitCode;
    if (Status s = core->startHub(address, quint16(options.hubPort), options.hubSettings); !s)
        return fail(s.error());
    out() << "agent hub listening on " << core->hub()->url().toString() << " (database "
          << core->settings().displayName() << "); Ctrl+C stops it" << Qt::endl;
    QObject::connect(core->hub(), &hub::HubHost::connectedAgentsChanged,
                     [](int count) { err() << "connected agents: " << count << Qt::endl; });
    QuitOnSignal quitOnSignal;
    QCoreApplication::exec();
    err() << "stopping the hub" << Qt::endl;
    core.reset();
    return 0;
}

} // namespace

bool isCommand(const QString &word)
{
    return word == QLatin1String("db") || word == QLatin1String("agent") || word == QLatin1String("hub") ||
           word == QLatin1String("studio");
}

int runCommand(const CommandOptions &options)
{
    const QStringList &p = options.positional;
    const QString command = p.join(QLatin1Char(' '));
    if (p.value(0) == QLatin1String("db") && p.value(1) == QLatin1String("status") && p.size() == 2)
        return dbStatus(options);
    if (p.value(0) == QLatin1String("db") && p.value(1) == QLatin1String("migrate") && p.size() == 2)
        return dbMigrate(options);
    if (p.value(0) == QLatin1String("db") && p.value(1) == QLatin1String("seed") && p.size() == 2)
        return dbSeed(options);
    if (p.value(0) == QLatin1String("db") && p.value(1) == QLatin1String("connect"))
        return dbConnect(options);
    if (p.value(0) == QLatin1String("agent") && p.value(1) == QLatin1String("token") &&
        p.value(2) == QLatin1String("create"))
        return agentTokenCreate(options);
    if (p.value(0) == QLatin1String("hub") && p.size() == 1)
        return runHub(options);
    if (p.value(0) == QLatin1String("studio"))
        return runStudioCommand(options);
    return usage(QStringLiteral("unknown command '%1'.").arg(command));
}

} // namespace ccpm
