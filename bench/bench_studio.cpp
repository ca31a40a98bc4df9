// bench_studio: Studio on a large table (issue 6's benchmark). One section per figure group, each
// a function of its own (the open, filter and sort timings are to come next to export()).
//
//   bench_studio --database-url URL [--rows 1000000] [--table studio_bench] [--recreate]
//                [--psql PATH] [--sections export]
//
// The table (bigint id, numeric, text, timestamptz, jsonb; created with generate_series, NULLs
// and quotes sprinkled in) is reused when it already holds --rows rows, otherwise created: give
// the bench an existing database (scripts/bench creates an empty one).
//
// export: the whole table, in id order, selected as Studio selects it (every column as text),
// through StreamExport to CSV and to JSON on a DbExecutor worker, then `psql \copy (SELECT …)
// TO file CSV HEADER` as the ceiling. Prints name=value lines: export_{csv,json}_s, _rows_per_s,
// _mb (file size), _peak_rss_mb (the process's VmHWM during that export), copy_csv_s,
// copy_csv_rows_per_s, copy_csv_mb, export_csv_vs_copy (our rows/s over psql's). The files are
// written to a temporary directory and removed.
#include "databaseurl.h"
#include "dbexecutor.h"
#include "keysetquery.h"
#include "sqlvalues.h"
#include "streamexport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <QCoro/QCoroTask>

#include <cstdio>

using namespace ccpm;

namespace {

struct Bench {
    ConnectionSettings settings;
    QString table;
    qint64 rows = 0;
    QString psql;
    DbExecutor *executor = nullptr;
    QTemporaryDir *dir = nullptr;
};

void print(const char *name, double value, int decimals = 1)
{
    std::printf("%s=%.*f\n", name, decimals, value);
    std::fflush(stdout);
}

double statusMb(const char *field)
{
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

// Writing 5 to clear_refs resets the peak resident size (VmHWM) to the current one.
void resetPeakRss()
{
    QFile clear("/proc/self/clear_refs");
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

/// Runs one statement (prepared when it has bindings: DDL cannot be); false after printing why.
bool execute(const QString &sql, const QVariantMap &bindings = {})
{
    QSqlQuery q(QSqlDatabase::database("bench-studio"));
    if (bindings.isEmpty()) {
        if (q.exec(sql))
            return true;
        std::fprintf(stderr, "bench_studio: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    if (const Status s = sql::execPrepared(q, sql, bindings, "bench"); !s) {
        std::fprintf(stderr, "bench_studio: %s\n", qPrintable(s.error().toString()));
        return false;
    }
    return true;
}

/// The table with `rows` rows, made with generate_series unless it is there already.
bool prepareTable(const Bench &bench, bool recreate)
{
    QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "bench-studio");
    db.setHostName(bench.settings.host);
    db.setPort(bench.settings.port);
    db.setDatabaseName(bench.settings.database);
    db.setUserName(bench.settings.user);
    db.setPassword(bench.settings.password);
    if (!db.open()) {
        std::fprintf(stderr, "bench_studio: %s\n", qPrintable(db.lastError().text()));
        return false;
    }
    const QString table = sql::quoteIdentifier(bench.table);
    QSqlQuery q(db);
    q.exec("SET client_min_messages TO warning");
    if (!recreate && q.exec(QString("SELECT count(*) FROM %1").arg(table)) && q.next() &&
        q.value(0).toLongLong() == bench.rows) {
        std::printf("# reusing %s (%lld rows)\n", qPrintable(bench.table), bench.rows);
        return true;
    }
    QElapsedTimer t;
    t.start();
    const bool ok =
        execute(QString("DROP TABLE IF EXISTS %1").arg(table)) &&
        execute(QString("CREATE TABLE %1 (id bigint PRIMARY KEY, amount numeric(12,2), label text, "
                        "created timestamptz, payload jsonb)")
                    .arg(table)) &&
        execute(
            QString("INSERT INTO %1 SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE (g * 7919 % 10000000) / "
                    "100.0 END, "
                    "'label ' || g || CASE WHEN g % 10 = 0 THEN ', with \"quotes\"' ELSE '' END, "
                    "timestamptz '2026-01-01 00:00:00+00' + g * interval '1.5 second', "
                    "jsonb_build_object('n', g, 'tag', 't' || (g % 100), 'ok', g % 2 = 0, 'price', g / 8.0) "
                    "FROM generate_series(1, CAST(:rows AS bigint)) g")
                .arg(table),
            {{":rows", bench.rows}}) &&
        execute(QString("VACUUM ANALYZE %1").arg(table));
    if (ok)
        print("create_table_s", double(t.elapsed()) / 1000.0);
    return ok;
}

/// The whole table as Studio's grid selects it, in id order.
KeysetQuery studioQuery(const Bench &bench)
{
    KeysetQuery::Source source;
    source.table = sql::quoteIdentifier(bench.table);
    source.from = source.table + " t";
    source.id = "t.\"id\"";
    source.key = {"t.\"id\""};
    source.keyTypes = {"bigint"};
    for (const char *column : {"id", "amount", "label", "created", "payload"})
        source.columns << QString("CAST(t.%1 AS text)").arg(sql::quoteIdentifier(column));
    return KeysetQuery(source, {{"t.\"id\"", true, false}});
}

bool exportOnce(const Bench &bench, StreamExport::Format format, const char *prefix, double *rowsPerS)
{
    using Kind = exportformat::ValueKind;
    const KeysetQuery query = studioQuery(bench);
    StreamExport::Request request;
    request.query = query.all();
    request.count = query.count();
    request.columns = {{"id", Kind::Number},
                       {"amount", Kind::Number},
                       {"label", Kind::String},
                       {"created", Kind::String},
                       {"payload", Kind::Json}};
    request.format = format;
    request.fileName =
        bench.dir->filePath(format == StreamExport::Format::Csv ? "export.csv" : "export.json");
    resetPeakRss();
    const double rssBefore = statusMb("VmRSS:");
    QElapsedTimer t;
    t.start();
    const Result<StreamExport::Summary> r =
        QCoro::waitFor(StreamExport::run(*bench.executor, request, CancelToken()));
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (!r) {
        std::fprintf(stderr, "bench_studio: export failed: %s\n", qPrintable(r.error().toString()));
        return false;
    }
    const auto figure = [&](const char *name, double value) {
        print(QByteArray(prefix).append(name).constData(), value);
    };
    figure("_rows", double(r->rows));
    figure("_s", seconds);
    figure("_rows_per_s", double(r->rows) / seconds);
    figure("_mb", double(r->bytes) / 1e6);
    figure("_rss_before_mb", rssBefore);
    figure("_peak_rss_mb", statusMb("VmHWM:"));
    *rowsPerS = double(r->rows) / seconds;
    QFile::remove(request.fileName);
    return true;
}

/// psql's `\copy … TO file CSV HEADER`: PostgreSQL's COPY protocol straight into a file.
bool copyCeiling(const Bench &bench, double *rowsPerS)
{
    const QString file = bench.dir->filePath("copy.csv");
    QProcess psql;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PGHOST", bench.settings.host);
    env.insert("PGPORT", QString::number(bench.settings.port));
    env.insert("PGDATABASE", bench.settings.database);
    if (!bench.settings.user.isEmpty())
        env.insert("PGUSER", bench.settings.user);
    if (!bench.settings.password.isEmpty())
        env.insert("PGPASSWORD", bench.settings.password);
    env.insert("PGTZ", "UTC");
    psql.setProcessEnvironment(env);
    const QString copy =
        QString("\\copy (SELECT id, amount, label, created, payload FROM %1 ORDER BY id) TO '%2' "
                "WITH (FORMAT csv, HEADER true)")
            .arg(sql::quoteIdentifier(bench.table), file);
    QElapsedTimer t;
    t.start();
    psql.start(bench.psql, {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", copy});
    if (!psql.waitForFinished(-1) || psql.exitCode() != 0) {
        std::fprintf(stderr, "bench_studio: psql failed: %s\n", psql.readAllStandardError().constData());
        return false;
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    print("copy_csv_s", seconds);
    print("copy_csv_rows_per_s", double(bench.rows) / seconds);
    print("copy_csv_mb", double(QFileInfo(file).size()) / 1e6);
    *rowsPerS = double(bench.rows) / seconds;
    QFile::remove(file);
    return true;
}

/// Section "export": CSV and JSON through StreamExport, then psql's \copy as the ceiling.
bool exportSection(const Bench &bench)
{
    double csv = 0;
    double json = 0;
    double copy = 0;
    // The worker opens its connection first, so the figures are the export's alone.
    auto ping = [](QSqlDatabase &db) -> Result<bool> { return QSqlQuery(db).exec("SELECT 1"); };
    if (!QCoro::waitFor(bench.executor->exec(ping)))
        return false;
    if (!exportOnce(bench, StreamExport::Format::Csv, "export_csv", &csv) ||
        !exportOnce(bench, StreamExport::Format::Json, "export_json", &json) || !copyCeiling(bench, &copy))
        return false;
    print("export_csv_vs_copy", csv / copy, 2);
    print("export_json_vs_copy", json / copy, 2);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOpt("database-url",
                                    "The database to use (required; the table is made there).", "url");
    const QCommandLineOption rowsOpt("rows", "Rows of the table (default 1000000).", "n", "1000000");
    const QCommandLineOption tableOpt("table", "The table's name (default studio_bench).", "name",
                                      "studio_bench");
    const QCommandLineOption recreateOpt("recreate", "Make the table again even when it has the rows.");
    const QCommandLineOption psqlOpt(
        "psql", "psql for the \\copy ceiling (default $CCPM_TEST_PGBIN/psql, or psql).", "path");
    const QCommandLineOption sectionsOpt("sections", "Comma-separated sections to run (default: export).",
                                         "list", "export");
    parser.addOptions({urlOpt, rowsOpt, tableOpt, recreateOpt, psqlOpt, sectionsOpt});
    parser.process(app);
    const auto settings = parseDatabaseUrl(parser.value(urlOpt));
    if (!settings) {
        std::fprintf(stderr, "bench_studio: %s\n", qPrintable(settings.error().message));
        return 2;
    }
    QTemporaryDir dir;
    DbExecutor executor(*settings, 2);
    Bench bench;
    bench.settings = *settings;
    bench.table = parser.value(tableOpt);
    bench.rows = parser.value(rowsOpt).toLongLong();
    const QString pgbin = qEnvironmentVariable("CCPM_TEST_PGBIN");
    bench.psql = parser.isSet(psqlOpt) ? parser.value(psqlOpt)
                 : pgbin.isEmpty()     ? QString("psql")
                                       : pgbin + "/psql";
    bench.executor = &executor;
    bench.dir = &dir;

    print("rows", double(bench.rows), 0);
    if (!prepareTable(bench, parser.isSet(recreateOpt)))
        return 1;
    const QStringList sections = parser.value(sectionsOpt).split(',', Qt::SkipEmptyParts);
    if (sections.contains("export") && !exportSection(bench))
        return 1;
    return 0;
}
