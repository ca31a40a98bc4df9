// bench_hub: the agent hub under load (issue: 1,000 to 10,000 simulated agents on one hub).
//
//   bench_hub --database-url URL --token-file F --agents N [--chatter-ms M] [--duration S]
//             [--hub-port P]                               # our hub, in this process
//   bench_hub ... --peer-url ws://... --peer-pid PID --prefix node   # another hub (bench/peers)
//
// Our hub runs in this process the way the desktop runs it: hub::HubHost on its own thread, and
// in the main (GUI) thread the agents and tasks PagedTableModels following the change feed. The
// load is a separate process, `ccpm-agent --simulate N` (agents 1..N of the token file: line i
// is agent i), each agent sending a status or a progress update every M ms ± 20 % for S seconds
// without waiting for replies. Meanwhile the main thread measures:
//   - the longest stall of its event loop (a 5 ms timer: the largest gap minus 5 ms);
//   - send → dataChanged: a probe agent (the token file's last line, never given to the load), a
//     WebSocket in the main thread, sets its status every 100 ms and times until the agents
//     model emits dataChanged for its row with that status;
//   - CPU seconds of this process (and of each thread), of the load process and of PostgreSQL,
//     and resident memory, over the load window.
// With --db-sample, once a second during the load it also reads PostgreSQL's count of rows updated in
// "agents" and "tasks" and how many of the load's agents are online, for the rate persisted once all N are
// online (steady_*; the load's own totals include the ramp, which at 10,000 agents can take most
// of the run). With --connect-first the load connects every agent before any update (ccpm-agent
// --connect-first) and the window (CPU, stalls, probe, rates over S) starts when it says so;
// all_connected_s is then how long connecting took. Then it checks in SQL that the updates are in the
// database. Figures go to standard output as
// `<prefix>_<N>_<name>=<value>` lines; everything else goes to standard error.
//
// With --peer-url only the load, the CPU and memory of --peer-pid, PostgreSQL's CPU and the SQL
// check are measured (a peer hub does not feed this process's models).
#include "appcore.h"
#include "databaseurl.h"
#include "entityspecs.h"
#include "hub/hubhost.h"
#include "hubprobe.h"
#include "pagedtablemodel.h"
#include "procstats.h"
#include "stallmeter.h"
#include "waituntil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimer>
#include <QWebSocket>

#include <QCoro/QCoroTask>

#include <QAbstractEventDispatcher>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>

using namespace ccpm;
using ccpm::bench::Probe;
using ccpm::bench::waitUntil;

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

/// One row of `sql` with bound `values` (outside the measured window: it waits).
Result<QVariantList> queryRow(DbExecutor &executor, const QString &sql, const QVariantMap &values = {})
{
    const auto job = [sql, values](QSqlDatabase &db) -> Result<QVariantList> {
        QSqlQuery query(db);
        query.prepare(sql);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            query.bindValue(it.key(), it.value());
        if (!query.exec())
            return Error::fromSql(query.lastError(), sql);
        QVariantList row;
        if (query.next()) {
            for (int i = 0; i < query.record().count(); ++i)
                row << query.value(i);
        }
        return row;
    };
    return QCoro::waitFor(executor.exec(job));
}

void raiseFileLimit()
{
    // Each side of N connections holds N sockets; the load process inherits the limit.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

double childrenCpuS()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// name=value lines under one prefix ("hub_10000").
class Figures {
public:
    explicit Figures(QString prefix)
        : m_prefix(std::move(prefix))
    {
    }
    void put(const QString &name, double value, int decimals = 1)
    {
        std::printf("%s_%s=%.*f\n", qPrintable(m_prefix), qPrintable(name), decimals, value);
    }
    void put(const QString &name, const QString &value)
    {
        std::printf("%s_%s=%s\n", qPrintable(m_prefix), qPrintable(name), qPrintable(value));
    }

private:
    QString m_prefix;
};

int columnOf(const TableSpec &spec, const QString &name)
{
    for (int i = 0; i < spec.columns.size(); ++i) {
        if (spec.columns.at(i).name == name)
            return i;
    }
    return -1;
}

/// The load process's figures (name=value lines), how long it ran, and what it cost.
struct LoadRun {
    QHash<QString, QString> figures;
    double wallS = 0;
    double cpuS = 0;
    double maxRssMiB = 0;
    bool ok = false;
    double value(const QString &name) const { return figures.value(name).toDouble(); }
};

constexpr const char *kFirstAgents = R"sql(
    "id" LIKE 'csimagent%' AND CAST(substr("id", 10) AS integer) <= :n)sql";

/// PostgreSQL's side of the load, sampled once a second during it: rows updated in "agents" and
/// "tasks" so far (pg_stat_user_tables; each backend publishes its counts about once a second)
/// and how many of the load's agents are online (not INACTIVE) in the database. From these,
/// the persisted rate once every agent is online, which the load process's totals (whole run,
/// ramp included) cannot give.
struct DbSample {
    double t = 0;         ///< seconds since the load started, when the query ran
    double agentRows = 0; ///< rows updated in "agents" so far
    double taskRows = 0;  ///< and in "tasks"
    int online = 0;
};

QCoro::Task<> sampleDb(DbExecutor &db, int agents, std::chrono::steady_clock::time_point start,
                       std::vector<DbSample> *out, bool *busy)
{
    *busy = true;
    const QString sql = QStringLiteral(R"sql(
        SELECT (SELECT coalesce(sum("n_tup_upd"), 0) FROM pg_stat_user_tables WHERE "relname" = 'agents'),
               (SELECT coalesce(sum("n_tup_upd"), 0) FROM pg_stat_user_tables WHERE "relname" = 'tasks'),
               (SELECT count(*) FROM "agents" WHERE %1 AND "status" <> 'INACTIVE'))sql")
                            .arg(QLatin1String(kFirstAgents));
    // Named, not written inside the co_await: GCC 12 destroys such a lambda twice
    // (docs/architecture.md, "GCC 12 and lambdas in coroutines").
    const auto job = [sql, agents, start](QSqlDatabase &d) -> Result<DbSample> {
        QSqlQuery query(d);
        query.prepare(sql);
        query.bindValue(QStringLiteral(":n"), agents);
        const auto ran = std::chrono::steady_clock::now();
        if (!query.exec() || !query.next())
            return Error::fromSql(query.lastError(), sql);
        return DbSample{std::chrono::duration<double>(ran - start).count(), query.value(0).toDouble(),
                        query.value(1).toDouble(), query.value(2).toInt()};
    };
    const Result<DbSample> sample = co_await db.exec(job);
    if (sample)
        out->push_back(*sample);
    *busy = false;
}

} // namespace

int main(int argc, char **argv)
{
    hub::preferUnixEventDispatcher(); // as ccpm-desk does; CCPM_HUB_GLIB=1 measures glib's
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "The agent hub under load; see the comment at the top of bench_hub.cpp.");
    parser.addHelpOption();
    const QCommandLineOption urlOpt("database-url", "The database (migrated, with the agents fixture).",
                                    "url");
    const QCommandLineOption tokensOpt(
        "token-file", "Tokens of ccpm_bench_make_agents; the last one is the probe's.", "file");
    const QCommandLineOption agentsOpt("agents", "Simulated agents (the token file's first N lines).", "n",
                                       "1000");
    const QCommandLineOption chatterOpt("chatter-ms", "Each agent sends one update every M ms (±20 %).", "ms",
                                        "400");
    const QCommandLineOption connectFirstOpt(
        "connect-first", "The load connects every agent first; the figures cover only the updates after.");
    const QCommandLineOption durationOpt("duration", "Seconds of load.", "s", "20");
    const QCommandLineOption portOpt("hub-port", "Our hub's port (0: any free port).", "port", "0");
    const QCommandLineOption hubThreadsOpt("hub-threads",
                                           "Our hub's threads (0: its default, one per 4 cores).", "n", "0");
    const QCommandLineOption peerUrlOpt("peer-url", "Load another hub at this URL instead of ours.", "url");
    const QCommandLineOption peerPidOpt("peer-pid", "That hub's process, for its CPU and memory.", "pid");
    const QCommandLineOption prefixOpt("prefix", "Figure names start with <prefix>_<N>_ (hub, node).",
                                       "name");
    const QCommandLineOption agentBinOpt("agent-bin", "The load generator (default: ../app/ccpm-agent).",
                                         "path");
    const QCommandLineOption batchOpt("connect-batch", "The load opens this many connections at a time.", "n",
                                      "200");
    const QCommandLineOption noGuiOpt("no-gui",
                                      "Our hub without the models and the probe (what they cost it).");
    const QCommandLineOption loadLogOpt("load-log", "Where the load generator's log goes.", "file",
                                        "/dev/null");
    // Off by default: runs with it aborted with heap corruption 4 times in 11 (docs/performance.md).
    const QCommandLineOption dbSampleOpt(
        "db-sample", "Sample PostgreSQL once a second during the load (steady_* figures).");
    parser.addOptions({urlOpt, tokensOpt, agentsOpt, chatterOpt, durationOpt, connectFirstOpt, portOpt,
                       peerUrlOpt, peerPidOpt, prefixOpt, agentBinOpt, batchOpt, noGuiOpt, loadLogOpt,
                       dbSampleOpt, hubThreadsOpt});
    parser.process(app);
    if (!parser.isSet(urlOpt) || !parser.isSet(tokensOpt)) {
        std::fprintf(stderr, "bench_hub: --database-url and --token-file are required\n");
        return 2;
    }
    const bool peer = parser.isSet(peerUrlOpt);
    const bool gui = !parser.isSet(noGuiOpt);
    const int agents = parser.value(agentsOpt).toInt();
    const int chatterMs = parser.value(chatterOpt).toInt();
    const double duration = parser.value(durationOpt).toDouble();
    const pid_t peerPid = pid_t(parser.value(peerPidOpt).toLong());
    const QString prefix =
        parser.value(prefixOpt).isEmpty() ? QString(peer ? "peer" : "hub") : parser.value(prefixOpt);
    Figures out(QStringLiteral("%1_%2").arg(prefix).arg(agents));
    out.put("dispatcher",
            QString::fromLatin1(QAbstractEventDispatcher::instance()->metaObject()->className()));

    QFile tokenFile(parser.value(tokensOpt));
    if (!tokenFile.open(QIODevice::ReadOnly | QIODevice::Text)) {
        std::fprintf(stderr, "bench_hub: cannot read %s\n", qPrintable(tokenFile.fileName()));
        return 2;
    }
    const QList<QByteArray> tokens = tokenFile.readAll().trimmed().split('\n');
    if (agents < 1 || agents >= tokens.size()) {
        std::fprintf(stderr, "bench_hub: --agents must be 1 to %lld (the last token is the probe's)\n",
                     qlonglong(tokens.size() - 1));
        return 2;
    }
    const QString probeToken = QString::fromLatin1(tokens.last().trimmed());
    raiseFileLimit();

    AppCore core;
    auto parsed = parseDatabaseUrl(parser.value(urlOpt));
    if (!parsed) {
        std::fprintf(stderr, "bench_hub: %s\n", qPrintable(parsed.error().message));
        return 2;
    }
    auto opened = QCoro::waitFor(
        core.open(DatabaseChoice{DatabaseChoice::Source::CommandLine, *parsed}, {true, false, true}));
    if (!opened) {
        std::fprintf(stderr, "bench_hub: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    DbExecutor &db = core.executor();
    const auto backend = queryRow(db, "SELECT pg_backend_pid()");
    const pid_t postmaster =
        backend && !backend->isEmpty()
            ? bench::readStat(QStringLiteral("/proc/%1/stat").arg(backend->at(0).toInt())).ppid
            : 0;

    // The GUI side, as the desktop holds it: both views open, following the change feed. The
    // agents view in name order shows sim-00001.. (agents of every load); the tasks view is
    // sorted by title so that it too shows the tasks of agents 1..250. The probe's row (the last
    // agent) is brought into the agents model's cache as a scrolled view would.
    PagedTableModel agentsModel(db, specs::agents());
    PagedTableModel tasksModel(db, specs::tasks());
    std::unique_ptr<hub::HubHost> host;
    int hubThreads = 0;
    std::unique_ptr<Probe> probe;
    int modelChanges = 0, feedChanges = 0;
    QUrl hubUrl(parser.value(peerUrlOpt));
    QString probeId;
    if (!peer && gui) {
        const auto probeAgent = queryRow(db, R"sql(
            SELECT a."id", (SELECT count(*) FROM "agents" b WHERE b."name" < a."name")
            FROM "agent_tokens" t JOIN "agents" a ON a."id" = t."agentId"
            WHERE t."tokenHash" = encode(sha256(convert_to(:token, 'UTF8')), 'hex'))sql",
                                         {{":token", probeToken}});
        if (!probeAgent || probeAgent->isEmpty()) {
            std::fprintf(stderr, "bench_hub: the probe's token (the last line) names no agent\n");
            return 1;
        }
        const QString probeAgentId = probeAgent->at(0).toString();
        agentsModel.followChanges(core.feed());
        tasksModel.followChanges(core.feed());
        agentsModel.sort(columnOf(agentsModel.spec(), "name"), Qt::AscendingOrder);
        tasksModel.sort(columnOf(tasksModel.spec(), "title"), Qt::AscendingOrder);
        if (!waitUntil(
                [&] {
                    return agentsModel.countIsExact() && tasksModel.countIsExact() &&
                           agentsModel.isLoaded(0) && tasksModel.isLoaded(0);
                },
                30000)) {
            std::fprintf(stderr, "bench_hub: the models did not load within 30 s\n");
            return 1;
        }
        const int probeRow = probeAgent->at(1).toInt();
        agentsModel.data(agentsModel.index(probeRow, 0), Qt::DisplayRole); // fetches its page
        if (!waitUntil([&] { return agentsModel.rowOf(probeAgentId) >= 0; }, 30000)) {
            std::fprintf(stderr, "bench_hub: the probe's row %d did not load\n", probeRow);
            return 1;
        }
        QObject::connect(&agentsModel, &QAbstractItemModel::dataChanged, [&] { ++modelChanges; });
        QObject::connect(&tasksModel, &QAbstractItemModel::dataChanged, [&] { ++modelChanges; });
        QObject::connect(&core.feed(), &ChangeFeed::rowsChanged,
                         [&](const QString &, const QStringList &ids) {
                             feedChanges += int(std::max<qsizetype>(1, ids.size()));
                         });
        probeId = probeAgentId;
    }
    if (!peer) {
        host = std::make_unique<hub::HubHost>(core.settings(), core.feed());
        // The probe is one connection more than the load's N (the hub's default limit is 10,000).
        hub::HubSettings limits;
        limits.maxConnections = std::max(limits.maxConnections, agents + 1);
        limits.threads = parser.value(hubThreadsOpt).toInt();
        host->setHubSettings(limits);
        if (Status s = host->start(QHostAddress::LocalHost, quint16(parser.value(portOpt).toUInt())); !s) {
            std::fprintf(stderr, "bench_hub: %s\n", qPrintable(s.error().message));
            return 1;
        }
        hubUrl = host->url();
        hubThreads = host->threadCount();
        out.put("hub_dispatcher", host->eventDispatcherName());
    }
    if (!peer && gui) {
        probe = std::make_unique<Probe>(agentsModel, agentsModel.rowOf(probeId),
                                        columnOf(agentsModel.spec(), "status"));
        if (!probe->open(hubUrl, probeToken)) {
            std::fprintf(stderr, "bench_hub: the probe agent could not connect to %s\n",
                         qPrintable(hubUrl.toString()));
            return 1;
        }
    }

    // The load window: from starting the load process to its exit (connecting, S seconds of
    // updates, up to 2 s for the replies in flight, closing).
    const auto startRow =
        queryRow(db, R"sql(SELECT CAST(now() AT TIME ZONE 'UTC' AS timestamp(3))::text)sql");
    const QString windowStart = startRow && !startRow->isEmpty() ? startRow->at(0).toString() : QString();
    bench::StallMeter stalls;
    const pid_t self = getpid();
    const pid_t measured = peer ? peerPid : self;
    double cpuBefore = measured > 0 ? bench::processCpuS(measured) : 0;
    auto threadsBefore = bench::threadCpu(self);
    double pgBefore = postmaster > 0 ? bench::processTreeCpuS(postmaster) : 0;
    const double childrenBefore = childrenCpuS();
    const double rssBefore = measured > 0 ? bench::statusMiB(measured, "VmRSS") : 0;

    QProcess load;
    load.setProgram(parser.isSet(agentBinOpt)
                        ? parser.value(agentBinOpt)
                        : QCoreApplication::applicationDirPath() + "/../app/ccpm-agent");
    // --auto-accept --work-seconds 86400: every agent resumes its IN_PROGRESS task and, with
    // --chatter-ms, alternates agent.setStatus and task.progress (no step of its own for a day).
    load.setArguments({"--simulate", QString::number(agents), "--token-file", tokenFile.fileName(),
                       "--chatter-ms", QString::number(chatterMs), "--duration", QString::number(duration),
                       "--url", hubUrl.toString(), "--auto-accept", "--work-seconds", "86400",
                       "--connect-batch", parser.value(batchOpt)});
    const bool connectFirst = parser.isSet(connectFirstOpt);
    if (connectFirst)
        load.setArguments(load.arguments() << "--connect-first");
    load.setStandardErrorFile(parser.value(loadLogOpt));
    QElapsedTimer wall;
    int hubConnectedMax = 0;
    QList<int> spreadAtMax; // connections per hub thread when most agents were connected
    double allConnectedS = -1, rssMax = rssBefore;
    std::vector<DbSample> dbSamples;
    bool dbSampling = false;
    auto loadStart = std::chrono::steady_clock::now();
    QTimer dbSampler;
    QObject::connect(&dbSampler, &QTimer::timeout, [&] {
        if (!dbSampling)
            sampleDb(db, agents, loadStart, &dbSamples, &dbSampling);
    });
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        rssMax = std::max(rssMax, bench::statusMiB(measured, "VmRSS"));
        if (host) {
            if (host->connectedAgents() > hubConnectedMax) {
                hubConnectedMax = host->connectedAgents();
                spreadAtMax = host->connectionsPerThread();
            }
            if (allConnectedS < 0 && host->connectedAgents() >= agents)
                allConnectedS = double(wall.elapsed()) / 1000.0;
        }
    });
    if (!peer)
        stalls.start();
    if (probe)
        probe->start();
    sampler.start(100);
    wall.start();
    loadStart = std::chrono::steady_clock::now();
    // --connect-first: the window starts again when the load says every agent is online
    // (connected_all_s=): CPU, stalls and the probe count from there.
    QByteArray loadOutput;
    double connectAllS = -1, loadCpuAtStart = 0;
    QObject::connect(&load, &QProcess::readyReadStandardOutput, [&] {
        loadOutput += load.readAllStandardOutput();
        if (!connectFirst || connectAllS >= 0 || !loadOutput.contains("connected_all_s="))
            return;
        connectAllS = double(wall.elapsed()) / 1000.0;
        cpuBefore = measured > 0 ? bench::processCpuS(measured) : 0;
        threadsBefore = bench::threadCpu(self);
        pgBefore = postmaster > 0 ? bench::processTreeCpuS(postmaster) : 0;
        loadCpuAtStart = bench::processCpuS(pid_t(load.processId()));
        stalls.reset();
        if (probe)
            probe->reset();
        wall.restart();
    });
    load.start();
    if (parser.isSet(dbSampleOpt)) {
        sampleDb(db, agents, loadStart, &dbSamples, &dbSampling);
        dbSampler.start(1000);
    }
    const int limitMs = int(duration * 1000) + (connectFirst ? 400000 : 120000);
    const bool finished = waitUntil([&] { return load.state() == QProcess::NotRunning; }, limitMs);
    LoadRun run;
    run.wallS = double(wall.nsecsElapsed()) / 1e9;
    const double cpuAfter = measured > 0 ? bench::processCpuS(measured) : 0;
    const auto threadsAfter = bench::threadCpu(self);
    const double pgAfter = postmaster > 0 ? bench::processTreeCpuS(postmaster) : 0;
    const double rssAfter = measured > 0 ? bench::statusMiB(measured, "VmRSS") : 0;
    const double hwm = measured > 0 ? bench::statusMiB(measured, "VmHWM") : 0;
    sampler.stop();
    dbSampler.stop();
    waitUntil([&] { return !dbSampling; }, 5000);
    stalls.stop();
    if (probe)
        probe->stop();
    if (!finished) {
        std::fprintf(stderr, "bench_hub: the load did not finish within %d s; killed\n", limitMs / 1000);
        load.kill();
        load.waitForFinished(5000);
    }
    run.ok = finished && load.exitStatus() == QProcess::NormalExit && load.exitCode() == 0;
    run.cpuS = childrenCpuS() - childrenBefore - loadCpuAtStart;
    {
        rusage usage{};
        getrusage(RUSAGE_CHILDREN, &usage);
        run.maxRssMiB = double(usage.ru_maxrss) / 1024.0;
    }
    loadOutput += load.readAllStandardOutput();
    for (const QByteArray &line : loadOutput.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            run.figures.insert(QString::fromUtf8(line.left(eq)),
                               QString::fromUtf8(line.mid(eq + 1)).trimmed());
    }

    // The hub marks each agent INACTIVE when its connection closes; how long until the last one
    // is (drain_s) shows the backlog it still had when the load stopped. Then the check: the
    // agents and tasks the load touched carry times from the load window.
    const QString checkSql = QStringLiteral(R"sql(
        SELECT (SELECT count(*) FROM "agents" WHERE %1 AND "lastSeenAt" >= CAST(:start AS timestamp(3))),
               (SELECT count(*) FROM "tasks" WHERE "assignedTo" IN (SELECT "id" FROM "agents" WHERE %1)
                                              AND "updatedAt" >= CAST(:start AS timestamp(3))),
               (SELECT count(*) FROM "agents" WHERE %1 AND "status" <> 'INACTIVE'))sql")
                                 .arg(QLatin1String(kFirstAgents));
    const QVariantMap checkValues{{":n", agents}, {":start", windowStart}};
    QElapsedTimer drain;
    drain.start();
    Result<QVariantList> check = queryRow(db, checkSql, checkValues);
    while (check && check->size() == 3 && check->at(2).toInt() > 0 && drain.elapsed() < 30000) {
        QElapsedTimer pause;
        pause.start();
        waitUntil([&] { return pause.elapsed() > 250; }, 1000);
        check = queryRow(db, checkSql, checkValues);
    }
    const double drainS = double(drain.elapsed()) / 1000.0;
    if (host)
        host->stop(10000);

    // Replies counted by the load: results, error replies, plus "errors" for requests whose
    // connection closed before the reply. Updates persisted = results (agent.setStatus and
    // task.progress: since main's 6f92784 ccpm-agent gets its open tasks from task.open and sends
    // no task.list on connecting; the runs in docs/performance.md, before it, subtracted the two
    // task.list of each connection).
    const double requests = run.value("requests"), replies = run.value("replies");
    const double unanswered = std::max(0.0, requests - replies);
    const double errorReplies = std::max(0.0, run.value("errors") - unanswered);
    const double updates = std::max(0.0, replies - errorReplies);
    out.put("offered_per_s", requests / duration, 0);
    out.put("updates_per_s", updates / duration, 0);
    out.put("connected", run.value("connected"), 0);
    if (host) {
        out.put("hub_connected_max", hubConnectedMax, 0);
        out.put("hub_threads", hubThreads, 0);
        QStringList spread;
        for (int held : std::as_const(spreadAtMax))
            spread << QString::number(held);
        out.put("connections_per_thread", spread.join(QLatin1Char('/')));
        out.put("all_connected_s", connectFirst ? connectAllS : allConnectedS, 1);
    }
    out.put("requests", requests, 0);
    out.put("replies", replies, 0);
    out.put("unanswered", unanswered, 0);
    out.put("error_replies", errorReplies, 0);
    out.put("reconnects", run.value("reconnects"), 0);
    out.put("reply_p50_ms", run.value("reply_p50_ms"), 1);
    out.put("reply_p99_ms", run.value("reply_p99_ms"), 1);
    if (probe) {
        out.put("datachanged_p50_ms", percentile(probe->changedMs(), 0.5), 1);
        out.put("datachanged_p99_ms", percentile(probe->changedMs(), 0.99), 1);
        out.put("datachanged_max_ms", percentile(probe->changedMs(), 1.0), 1);
        out.put("probe_updates", probe->changedMs().size(), 0);
        out.put("probe_missed", probe->missed(), 0);
        out.put("probe_reply_p50_ms", percentile(probe->replyMs(), 0.5), 1);
        out.put("probe_reply_p99_ms", percentile(probe->replyMs(), 0.99), 1);
        out.put("gui_stall_max_ms", stalls.worstMs(), 1);
        out.put("gui_stalls_over_50ms", stalls.over50(), 0);
        out.put("model_datachanged", modelChanges, 0);
        out.put("feed_changes", feedChanges, 0);
    }
    {
        // Persisted once every agent is online (steady_*): rows updated per second between the
        // first sample with all N online and the last sample before the updates stop (S s after
        // the load started). If they never were all online, over the last 5 s of updates, with
        // steady_online saying how many were.
        int onlineMax = 0;
        double allOnlineS = -1;
        for (const DbSample &sample : dbSamples) {
            onlineMax = std::max(onlineMax, sample.online);
            if (allOnlineS < 0 && sample.online >= agents)
                allOnlineS = sample.t;
        }
        const DbSample *first = nullptr, *last = nullptr;
        const double from = allOnlineS >= 0 ? allOnlineS : duration - 5;
        for (const DbSample &sample : dbSamples) {
            if (sample.t > duration - 0.2)
                break;
            if (!first && sample.t >= from)
                first = &sample;
            last = &sample;
        }
        out.put("db_online_max", onlineMax, 0);
        out.put("db_all_online_s", allOnlineS, 1);
        if (first && last && last->t - first->t >= 2) {
            out.put("steady_from_s", first->t, 1);
            out.put("steady_to_s", last->t, 1);
            out.put("steady_online", first->online, 0);
            // The load alternates agent.setStatus and task.progress, so the updates persisted are
            // about twice the task rows updated (a hub may touch "agents" more than once per
            // status update; "tasks" only by task.progress here).
            const double span = last->t - first->t;
            const double taskRows = (last->taskRows - first->taskRows) / span;
            out.put("steady_agent_rows_per_s", (last->agentRows - first->agentRows) / span, 0);
            out.put("steady_task_rows_per_s", taskRows, 0);
            out.put("steady_updates_per_s", 2 * taskRows, 0);
        } else {
            out.put("steady_updates_per_s", -1, 0);
        }
    }
    out.put("window_s", run.wallS, 1);
    out.put("drain_s", drainS, 1);
    out.put("cpu_s", cpuAfter - cpuBefore, 1);
    out.put("cpu_pct", 100.0 * (cpuAfter - cpuBefore) / run.wallS, 0);
    out.put("rss_mb", rssAfter, 0);
    out.put("rss_before_mb", rssBefore, 0);
    out.put("rss_peak_mb", std::max({rssMax, rssAfter, hwm}), 0);
    if (!peer) {
        // Per thread: the hub thread, its and the GUI's database workers, the main thread.
        QHash<QString, double> byName;
        for (auto it = threadsAfter.cbegin(); it != threadsAfter.cend(); ++it) {
            const double before = threadsBefore.value(it.key()).cpuS;
            QString name = it.key() == self ? QStringLiteral("main") : it->comm;
            name.replace(QRegularExpression("[^A-Za-z0-9]+"), "_");
            byName[name] += it->cpuS - before;
        }
        for (auto it = byName.cbegin(); it != byName.cend(); ++it) {
            if (it.value() >= 0.05)
                out.put("thread_" + it.key() + "_cpu_s", it.value(), 1);
        }
    }
    out.put("pg_cpu_s", pgAfter - pgBefore, 1);
    out.put("load_cpu_s", run.cpuS, 1);
    out.put("load_rss_mb", run.maxRssMiB, 0);
    if (check && check->size() == 3) {
        out.put("check_agents_seen", check->at(0).toDouble(), 0);
        out.put("check_tasks_updated", check->at(1).toDouble(), 0);
        out.put("check_agents_left_active", check->at(2).toDouble(), 0);
    } else {
        std::fprintf(stderr, "bench_hub: check failed: %s\n",
                     check ? "no row" : qPrintable(check.error().toString()));
    }
    if (!run.ok)
        std::fprintf(stderr, "bench_hub: the load process failed (exit %d)\n", load.exitCode());
    return run.ok ? 0 : 1;
}
