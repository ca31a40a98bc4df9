// bench_paging: the paging engine (PagedTableModel over KeysetQuery) against QSqlTableModel on
// the same table, as a view would use them. One mode per process, so memory figures are clean.
//
//   bench_paging --database-url URL --setup N     create bench_tasks with N rows (once)
//   bench_paging --database-url URL --mode ours|baseline
//
// Prints name=value lines: first_screen_ms, last_rows_ms, resort_ms, refilter_ms, rss_growth_mb
// (prefixed baseline_ for QSqlTableModel). Loopback/socket only; bounded by the table size.
#include "databaseurl.h"
#include "dbexecutor.h"
#include "keysetquery.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlTableModel>

#include <cstdio>

using namespace ccpm;

namespace {

constexpr int kScreenRows = 40;

double rssMb(const char *field = "VmRSS:")
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

void print(const char *name, double value)
{
    std::printf("%s=%.1f\n", name, value);
    std::fflush(stdout);
}

QSqlDatabase openDirect(const ConnectionSettings &s)
{
    QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "bench");
    db.setHostName(s.host);
    db.setPort(s.port);
    db.setDatabaseName(s.database);
    db.setUserName(s.user);
    db.setPassword(s.password);
    db.open();
    return db;
}

int setup(const ConnectionSettings &settings, int rows)
{
    QSqlDatabase db = openDirect(settings);
    QSqlQuery q(db);
    QElapsedTimer t;
    t.start();
    const QStringList statements{
        "SET client_min_messages TO warning",
        "DROP TABLE IF EXISTS bench_tasks",
        "CREATE TABLE bench_tasks (id text PRIMARY KEY, title text NOT NULL, status text NOT NULL, "
        "priority int NOT NULL, \"createdAt\" timestamp(3) NOT NULL, description text NOT NULL)",
        QString("INSERT INTO bench_tasks SELECT 'c' || lpad(to_hex(g), 24, '0'), 'Task ' || g || ' ' || "
                "md5(g::text), "
                "(ARRAY['PENDING','ASSIGNED','IN_PROGRESS','COMPLETED','FAILED'])[g % 5 + 1], g % 3, "
                "timestamp '2026-01-01' + g * interval '1 second', repeat('description ', 4) || g "
                "FROM generate_series(1, %1) g")
            .arg(rows),
        "CREATE INDEX ON bench_tasks (\"createdAt\")",
        "CREATE INDEX ON bench_tasks (title)",
        "VACUUM ANALYZE bench_tasks"};
    for (const QString &s : statements) {
        if (!q.exec(s)) {
            std::fprintf(stderr, "setup failed: %s\n", qPrintable(q.lastError().text()));
            return 1;
        }
    }
    print("setup_rows", rows);
    print("setup_ms", double(t.elapsed()));
    return 0;
}

template <typename Pred>
bool waitFor(Pred done, int timeoutMs = 600000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

// Reads the first screen the way a view does, and waits until it is there.
bool firstScreen(PagedTableModel &model)
{
    if (!waitFor([&] { return model.rowCount() > 0; }))
        return false;
    for (int r = 0; r < kScreenRows && r < model.rowCount(); ++r)
        model.data(model.index(r, 0), Qt::DisplayRole);
    return waitFor([&] { return model.isLoaded(std::min(kScreenRows, model.rowCount()) - 1); });
}

int ours(const ConnectionSettings &settings)
{
    DbExecutor executor(settings, 2);
    PagedTableModel model(executor, {"id", "title", "status", "priority", "createdAt"});
    const KeysetQuery::Source source{
        "bench_tasks", {"id", "title", "status", "priority", "\"createdAt\""}, "id", "bench_tasks"};
    const double rssBefore = rssMb();
    QElapsedTimer t;

    t.start();
    model.setQuery(KeysetQuery(source, {{"\"createdAt\"", true, false}}));
    if (!firstScreen(model))
        return 1;
    print("first_screen_ms", double(t.nsecsElapsed()) / 1e6);

    // Ctrl+End: the last rows, as soon as the count allows it
    if (!waitFor([&] { return model.countIsExact(); }))
        return 1;
    const int last = model.rowCount() - 1;
    model.data(model.index(last, 0), Qt::DisplayRole);
    if (!waitFor([&] { return model.isLoaded(last); }))
        return 1;
    print("last_rows_ms", double(t.nsecsElapsed()) / 1e6);
    print("rows", model.rowCount());

    t.restart();
    model.setQuery(KeysetQuery(source, {{"title", false, false}}));
    if (!firstScreen(model))
        return 1;
    print("resort_ms", double(t.nsecsElapsed()) / 1e6);

    t.restart();
    model.setQuery(KeysetQuery(source, {{"title", false, false}},
                               {{"status", KeysetQuery::Filter::Op::Equals, "FAILED"}}));
    if (!firstScreen(model))
        return 1;
    print("refilter_ms", double(t.nsecsElapsed()) / 1e6);

    // Scroll the whole table, a screen at a time, as fast as pages come
    model.setQuery(KeysetQuery(source, {{"\"createdAt\"", true, false}}));
    if (!waitFor([&] { return model.countIsExact(); }))
        return 1;
    t.restart();
    for (int r = 0; r < model.rowCount(); r += kScreenRows) {
        model.data(model.index(r, 0), Qt::DisplayRole);
        if (!waitFor([&] { return model.isLoaded(r); }))
            return 1;
    }
    print("full_scroll_ms", double(t.nsecsElapsed()) / 1e6);
    print("rss_growth_mb", rssMb("VmHWM:") - rssBefore);
    return 0;
}

int baseline(const ConnectionSettings &settings)
{
    QSqlDatabase db = openDirect(settings);
    const double rssBefore = rssMb();
    QSqlTableModel model(nullptr, db);
    model.setTable("bench_tasks");
    QElapsedTimer t;

    t.start();
    model.setSort(model.fieldIndex("createdAt"), Qt::AscendingOrder);
    if (!model.select())
        return 1;
    for (int r = 0; r < kScreenRows; ++r)
        model.data(model.index(r, 1));
    print("baseline_first_screen_ms", double(t.nsecsElapsed()) / 1e6);
    while (model.canFetchMore())
        model.fetchMore();
    model.data(model.index(model.rowCount() - 1, 1));
    print("baseline_last_rows_ms", double(t.nsecsElapsed()) / 1e6);
    print("baseline_rows", model.rowCount());

    t.restart();
    model.setSort(model.fieldIndex("title"), Qt::DescendingOrder);
    model.select();
    for (int r = 0; r < kScreenRows; ++r)
        model.data(model.index(r, 1));
    print("baseline_resort_ms", double(t.nsecsElapsed()) / 1e6);

    t.restart();
    model.setFilter("status = 'FAILED'");
    model.select();
    for (int r = 0; r < kScreenRows; ++r)
        model.data(model.index(r, 1));
    print("baseline_refilter_ms", double(t.nsecsElapsed()) / 1e6);

    model.setFilter(QString());
    model.setSort(model.fieldIndex("createdAt"), Qt::AscendingOrder);
    model.select();
    while (model.canFetchMore())
        model.fetchMore();
    for (int r = 0; r < model.rowCount(); r += kScreenRows)
        model.data(model.index(r, 1));
    print("baseline_rss_growth_mb", rssMb("VmHWM:") - rssBefore);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOpt("database-url", "The database (required).", "url");
    const QCommandLineOption setupOpt("setup", "Create bench_tasks with this many rows.", "rows");
    const QCommandLineOption modeOpt("mode", "ours or baseline.", "mode");
    parser.addOptions({urlOpt, setupOpt, modeOpt});
    parser.process(app);
    auto settings = parseDatabaseUrl(parser.value(urlOpt));
    if (!settings) {
        std::fprintf(stderr, "%s\n", qPrintable(settings.error().message));
        return 2;
    }
    if (parser.isSet(setupOpt))
        return setup(*settings, std::clamp(parser.value(setupOpt).toInt(), 1000, 20000000));
    if (parser.value(modeOpt) == "baseline")
        return baseline(*settings);
    return ours(*settings);
}
