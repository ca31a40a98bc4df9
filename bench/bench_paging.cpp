// bench_paging: the tasks view's model (PagedTableModel over specs::tasks(): keyset pages with the
// assignee's and creator's names joined) against QSqlTableModel on the same `tasks` table, as a
// view would use them. One mode per process, so memory figures are clean. The table comes from
// `ccpm-desk db seed --scale N` (scripts/bench runs it).
//
//   bench_paging --database-url URL --mode ours|baseline
//
// Prints name=value lines: first_screen_ms, last_rows_ms, resort_ms, refilter_ms, rss_growth_mb
// (prefixed baseline_ for QSqlTableModel). Loopback/socket only; bounded by the table size.
#include "databaseurl.h"
#include "dbexecutor.h"
#include "entityspecs.h"
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
    PagedTableModel model(executor, specs::tasks());
    using Columns = specs::TaskColumns;
    const double rssBefore = rssMb();
    QElapsedTimer t;

    t.start();
    model.sort(Columns::Created, Qt::AscendingOrder);
    if (!firstScreen(model))
        return 1;
    print("first_screen_ms", double(t.nsecsElapsed()) / 1e6);

    // Ctrl+End right after the first screen: the last rows, while the count may still be the
    // estimate (a backward page from the end)
    if (!waitFor([&] {
            const int last = model.rowCount() - 1;
            model.data(model.index(last, 0), Qt::DisplayRole);
            return model.isLoaded(last);
        }))
        return 1;
    print("last_rows_ms", double(t.nsecsElapsed()) / 1e6);
    if (!waitFor([&] { return model.countIsExact(); }))
        return 1;
    print("exact_count_ms", double(t.nsecsElapsed()) / 1e6);
    print("rows", model.rowCount());

    t.restart();
    model.sort(Columns::Title, Qt::DescendingOrder);
    if (!firstScreen(model))
        return 1;
    print("resort_ms", double(t.nsecsElapsed()) / 1e6);

    t.restart();
    model.setFilters({{Columns::Status, KeysetQuery::Filter::Op::Equals, "FAILED"}});
    if (!firstScreen(model))
        return 1;
    print("refilter_ms", double(t.nsecsElapsed()) / 1e6);

    // Scroll the whole table, a screen at a time, as fast as pages come
    model.setFilters({});
    model.sort(Columns::Created, Qt::AscendingOrder);
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
    model.setTable("tasks");
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
    const QCommandLineOption modeOpt("mode", "ours or baseline.", "mode");
    parser.addOptions({urlOpt, modeOpt});
    parser.process(app);
    auto settings = parseDatabaseUrl(parser.value(urlOpt));
    if (!settings) {
        std::fprintf(stderr, "%s\n", qPrintable(settings.error().message));
        return 2;
    }
    if (parser.value(modeOpt) == "baseline")
        return baseline(*settings);
    return ours(*settings);
}
