// bench_console: the SQL console on a large result (issue 9's benchmark), side by side with psql
// in the same run.
//
//   bench_console --database-url URL [--query "SELECT * FROM tasks"] [--psql PATH]
//
// Ours, through the real parts (SqlConsole on its own connection, SqlResultModel):
// - console_first_rows_ms: run() of the query to its first page (200 rows, the connection warm);
// - console_count_ms: the exact row count (MOVE FORWARD ALL on the cursor), console_rows;
// - console_jump_end_ms: 100 jumps down the result (as a scrollbar dragged to the end), each to
//   its row shown, the last one the result's last row;
// - console_scroll_all_s: every page in order, from the first row to the last (the view
//   scrolled through everything); console_scroll_rows_per_s;
// - console_rss_before_mb (before the run), console_peak_rss_mb (VmHWM over everything above),
//   console_rss_end_mb, console_cached_rows (rows the model holds at the end).
// psql (`psql -X -P pager=off -c QUERY`, output read and dropped by this process):
// - psql_first_rows_ms: to the first byte of output (psql reads the whole result first),
//   psql_total_s, psql_peak_rss_mb (psql's VmHWM, polled);
// - psql_fetch200_*: the same with `\set FETCH_COUNT 200` (psql reads through a cursor).
#include "databaseurl.h"
#include "procstats.h"
#include "sqlconsole.h"
#include "sqlresultmodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <QCoro/QCoroTask>

#include <cstdio>

using namespace ccpm;

namespace {

void print(const char *name, double value, int decimals = 1)
{
    std::printf("%s=%.*f\n", name, decimals, value);
    std::fflush(stdout);
}

double statusMb(const char *field)
{
    return bench::statusMiB(getpid(), field);
}

void resetPeakRss()
{
    QFile clear("/proc/self/clear_refs");
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

/// Runs the event loop until `done` or `ms` pass; false on timeout.
template <typename Done>
bool waitUntil(Done done, int ms = 600000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

/// Shows row `row` as a view would: asks for it, waits for the page.
bool show(SqlResultModel &model, int row)
{
    const QModelIndex index = model.index(row, 0);
    return waitUntil([&] {
        return model.data(index, SqlResultModel::RawValueRole).isValid() ||
               model.data(index, SqlResultModel::NullRole).toBool();
    });
}

bool benchOurs(const ConnectionSettings &settings, const QString &query)
{
    SqlConsole console(settings, Actor{});
    console.setStatementTimeout(0);
    // The connection opens on the first run: the figure is a warm console's.
    if (Result<SqlConsole::Outcome> warm = QCoro::waitFor(console.run("select 1")); !warm) {
        std::fprintf(stderr, "bench_console: %s\n", qPrintable(warm.error().toString()));
        return false;
    }
    resetPeakRss();
    print("console_rss_before_mb", statusMb("VmRSS"));
    QElapsedTimer t;
    t.start();
    Result<SqlConsole::Outcome> outcome = QCoro::waitFor(console.run(query));
    if (!outcome) {
        std::fprintf(stderr, "bench_console: %s\n", qPrintable(outcome.error().toString()));
        return false;
    }
    print("console_first_rows_ms", double(t.nsecsElapsed()) / 1e6);

    SqlResultModel model;
    model.setResult(&console, *outcome);
    t.restart();
    model.countRows();
    if (!waitUntil([&] { return model.rowCountExact(); }))
        return false;
    print("console_count_ms", double(t.nsecsElapsed()) / 1e6);
    const int rows = model.rowCount();
    print("console_rows", rows, 0);

    t.restart();
    for (int step = 1; step <= 100; ++step) {
        if (!show(model, int(qint64(rows - 1) * step / 100)))
            return false;
    }
    print("console_jump_end_ms", double(t.nsecsElapsed()) / 1e6);

    t.restart();
    for (int row = 0; row < rows; row += SqlResultModel::kPageRows) {
        if (!show(model, row))
            return false;
    }
    if (!show(model, rows - 1))
        return false;
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    print("console_scroll_all_s", seconds, 2);
    print("console_scroll_rows_per_s", double(rows) / seconds, 0);
    print("console_peak_rss_mb", statusMb("VmHWM"));
    print("console_rss_end_mb", statusMb("VmRSS"));
    print("console_cached_rows", model.cachedRowCount(), 0);
    return true;
}

/// psql runs `query`; its output is read and dropped here while its peak memory is polled.
bool benchPsql(const ConnectionSettings &settings, const QString &psqlPath, const QString &query,
               const char *prefix, bool fetch200)
{
    QProcess psql;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PGHOST", settings.host);
    env.insert("PGPORT", QString::number(settings.port));
    env.insert("PGDATABASE", settings.database);
    if (!settings.user.isEmpty())
        env.insert("PGUSER", settings.user);
    if (!settings.password.isEmpty())
        env.insert("PGPASSWORD", settings.password);
    psql.setProcessEnvironment(env);
    QStringList args = {"-X", "-P", "pager=off", "-v", "ON_ERROR_STOP=1"};
    if (fetch200)
        args << "-c"
             << "\\set FETCH_COUNT 200";
    args << "-c" << query;

    double firstMs = -1;
    double peakMb = 0;
    qint64 bytes = 0;
    QElapsedTimer t;
    QObject::connect(&psql, &QProcess::readyReadStandardOutput, [&] {
        const qint64 n = psql.readAllStandardOutput().size();
        if (firstMs < 0 && n > 0)
            firstMs = double(t.nsecsElapsed()) / 1e6;
        bytes += n;
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout,
                     [&] { peakMb = std::max(peakMb, bench::statusMiB(pid_t(psql.processId()), "VmHWM")); });
    t.start();
    psql.start(psqlPath, args);
    poll.start(5);
    if (!psql.waitForStarted() || !waitUntil([&] { return psql.state() == QProcess::NotRunning; }) ||
        psql.exitCode() != 0) {
        std::fprintf(stderr, "bench_console: psql failed: %s\n", psql.readAllStandardError().constData());
        return false;
    }
    const double total = double(t.nsecsElapsed()) / 1e9;
    bytes += psql.readAllStandardOutput().size();
    auto name = [prefix](const char *figure) { return QByteArray(QByteArray(prefix) + figure); };
    print(name("_first_rows_ms").constData(), firstMs);
    print(name("_total_s").constData(), total, 2);
    print(name("_peak_rss_mb").constData(), peakMb);
    print(name("_output_mb").constData(), double(bytes) / 1e6);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("The SQL console on a large result, side by side with psql.");
    parser.addHelpOption();
    const QCommandLineOption urlOpt("database-url", "postgresql://… of the database.", "url");
    const QCommandLineOption queryOpt("query", "The statement (default SELECT * FROM tasks).", "sql",
                                      "SELECT * FROM tasks");
    const QCommandLineOption psqlOpt("psql", "psql (default $CCPM_TEST_PGBIN/psql, or psql).", "path");
    parser.addOptions({urlOpt, queryOpt, psqlOpt});
    parser.process(app);

    const Result<ConnectionSettings> settings = parseDatabaseUrl(parser.value(urlOpt));
    if (!settings) {
        std::fprintf(stderr, "bench_console: %s\n", qPrintable(settings.error().toString()));
        return 2;
    }
    const QString pgbin = qEnvironmentVariable("CCPM_TEST_PGBIN");
    const QString psql = parser.isSet(psqlOpt) ? parser.value(psqlOpt)
                         : pgbin.isEmpty()     ? QString("psql")
                                               : pgbin + "/psql";
    const QString query = parser.value(queryOpt);

    // psql first: our process's peak memory is its own (psql's output is not kept here).
    if (!benchPsql(*settings, psql, query, "psql", false) ||
        !benchPsql(*settings, psql, query, "psql_fetch200", true) || !benchOurs(*settings, query))
        return 1;
    return 0;
}
