// How far a desk's views fall behind changes made by another connection (issue #7):
//   - another connection (a thread of this process with its own PostgreSQL connection, as the
//     backend or another desk would be) writes --rate single-row UPDATEs per second (in 10 ms
//     ticks: one transaction of rate/100 statements) for --seconds;
//   - PostgreSQL's triggers NOTIFY, the desk's ChangeListener publishes on the feed, a users
//     PagedTableModel (every row cached, as an open view) fetches the rows again → dataChanged;
//   - the delay from each write's COMMIT to the dataChanged that shows it: p50 / p99 / max;
//   - the longest stall of the GUI event loop (a 5 ms timer: the largest gap minus 5 ms).
// Prints name=value figures. See docs/performance.md.
//
//   bench_notify --database-url postgresql://… [--seconds 5] [--rate 1000] [--rows 1000]
#include "appcore.h"
#include "databaseurl.h"
#include "entityspecs.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "stallmeter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include <QCoro/QCoroTask>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace ccpm;

namespace {

bool waitUntil(const std::function<bool()> &done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return done();
}

QString rowId(int i)
{
    return QStringLiteral("cbenchnotify%1").arg(i, 13, 10, QLatin1Char('0'));
}

/// Writes `total` changes at `rate` per second, recording each one's commit time (ns on `clock`).
void writeLoad(const ConnectionSettings &settings, int total, int rate, int rows, const QElapsedTimer &clock,
               std::vector<std::atomic<qint64>> &committedAt, std::atomic<int> &written,
               std::atomic<bool> &failed)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bench-writer"));
        db.setHostName(settings.host);
        db.setPort(settings.port);
        db.setDatabaseName(settings.database);
        db.setUserName(settings.user);
        db.setPassword(settings.password);
        if (!db.open()) {
            std::fprintf(stderr, "bench_notify: writer: %s\n", qPrintable(db.lastError().text()));
            failed = true;
            return;
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE users SET email = :email, \"updatedAt\" = now() WHERE id = :id"));
        const int perTick = std::max(1, rate / 100);
        const qint64 tickNs = qint64(perTick) * 1'000'000'000LL / rate;
        const qint64 start = clock.nsecsElapsed();
        int seq = 0;
        for (int tick = 0; seq < total; ++tick) {
            const qint64 due = start + tick * tickNs;
            const qint64 now = clock.nsecsElapsed();
            if (due > now)
                std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
            db.transaction();
            const int first = seq;
            for (int k = 0; k < perTick && seq < total; ++k, ++seq) {
                q.bindValue(QStringLiteral(":email"), QStringLiteral("w%1@bench").arg(seq));
                q.bindValue(QStringLiteral(":id"), rowId(seq % rows));
                if (!q.exec()) {
                    std::fprintf(stderr, "bench_notify: writer: %s\n", qPrintable(q.lastError().text()));
                    failed = true;
                    return;
                }
            }
            if (!db.commit()) {
                failed = true;
                return;
            }
            const qint64 committed = clock.nsecsElapsed();
            for (int s = first; s < seq; ++s)
                committedAt[size_t(s)] = committed;
            written = seq;
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-writer"));
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOpt("database-url", "The database (migrated on open).", "url");
    const QCommandLineOption secondsOpt("seconds", "Seconds of load.", "s", "5");
    const QCommandLineOption rateOpt("rate", "Changes per second.", "n", "1000");
    const QCommandLineOption rowsOpt("rows", "Rows the changes cycle through (all in the view).", "n",
                                     "1000");
    parser.addOptions({urlOpt, secondsOpt, rateOpt, rowsOpt});
    parser.process(app);
    if (!parser.isSet(urlOpt)) {
        std::fprintf(stderr, "bench_notify: --database-url is required\n");
        return 2;
    }
    const int seconds = parser.value(secondsOpt).toInt();
    const int rate = parser.value(rateOpt).toInt();
    const int rows = parser.value(rowsOpt).toInt();
    if (seconds < 1 || rate < 1 || rows < 1) {
        std::fprintf(stderr, "bench_notify: --seconds, --rate and --rows must be positive\n");
        return 2;
    }
    auto parsed = parseDatabaseUrl(parser.value(urlOpt));
    if (!parsed) {
        std::fprintf(stderr, "bench_notify: %s\n", qPrintable(parsed.error().message));
        return 2;
    }

    // The desk: an app core (listener included) and the users view following its feed
    AppCore core;
    auto opened = QCoro::waitFor(core.open(DatabaseChoice{DatabaseChoice::Source::CommandLine, *parsed}, {}));
    if (!opened) {
        std::fprintf(stderr, "bench_notify: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bench-setup"));
        db.setHostName(parsed->host);
        db.setPort(parsed->port);
        db.setDatabaseName(parsed->database);
        db.setUserName(parsed->user);
        db.setPassword(parsed->password);
        QSqlQuery q(db);
        if (!db.open() ||
            !q.exec(
                QStringLiteral("INSERT INTO users (id, username, email, password, role, \"createdAt\", "
                               "\"updatedAt\") SELECT 'cbenchnotify' || lpad(g::text, 13, '0'), 'bench' || "
                               "lpad(g::text, 6, '0'), 'bench' || g || '@bench', 'x', 'USER', now(), now() "
                               "FROM generate_series(0, %1) g ON CONFLICT DO NOTHING")
                    .arg(rows - 1))) {
            std::fprintf(stderr, "bench_notify: cannot create the rows: %s\n",
                         qPrintable(q.lastError().text()));
            return 1;
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-setup"));

    PagedTableModel model(core.executor(), specs::users());
    model.followChanges(core.feed());
    model.reload();
    if (!waitUntil([&] { return model.countIsExact() && model.rowCount() >= rows; }, 30000)) {
        std::fprintf(stderr, "bench_notify: the view did not count its rows\n");
        return 1;
    }
    const auto allCached = [&] {
        for (int r = 0; r < model.rowCount(); ++r) {
            if (!model.isLoaded(r)) {
                model.data(model.index(r, 0), Qt::DisplayRole); // fetches its page
                return false;
            }
        }
        return true;
    };
    if (!waitUntil(allCached, 60000) || model.rowOf(rowId(rows - 1)) < 0) {
        std::fprintf(stderr, "bench_notify: the view did not load all rows\n");
        return 1;
    }

    const int total = seconds * rate;
    const size_t changeCount = size_t(total);
    std::vector<std::atomic<qint64>> committedAt(changeCount);
    std::vector<char> seen(size_t(total), 0);
    std::vector<double> delaysMs;
    delaysMs.reserve(size_t(total));
    int modelChanges = 0;
    QElapsedTimer clock;
    clock.start();
    const int emailColumn = specs::UserColumns::Email;
    QObject::connect(
        &model, &QAbstractItemModel::dataChanged, [&](const QModelIndex &tl, const QModelIndex &br) {
            const qint64 now = clock.nsecsElapsed();
            ++modelChanges;
            for (int r = tl.row(); r <= br.row(); ++r) {
                const QString email = model.index(r, emailColumn).data(roles::RawValue).toString();
                if (!email.startsWith(QLatin1Char('w')))
                    continue;
                bool ok = false;
                const int seq = email.mid(1, email.indexOf(QLatin1Char('@')) - 1).toInt(&ok);
                if (!ok || seq < 0 || seq >= total || seen[size_t(seq)])
                    continue;
                const qint64 committed = committedAt[size_t(seq)].load();
                seen[size_t(seq)] = 1;
                // Recorded right after COMMIT returned: visible a hair earlier at most
                delaysMs.push_back(committed > 0 ? std::max(0.0, double(now - committed) / 1e6) : 0.0);
            }
        });
    int resets = 0;
    QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { ++resets; });

    bench::StallMeter stalls;
    stalls.start();
    std::atomic<int> written{0};
    std::atomic<bool> failed{false};
    std::thread writer(writeLoad, *parsed, total, rate, rows, std::cref(clock), std::ref(committedAt),
                       std::ref(written), std::ref(failed));
    const qint64 loadStart = clock.nsecsElapsed();
    waitUntil([&] { return failed || written == total; }, seconds * 1000 * 3 + 10000);
    const double loadSeconds = double(clock.nsecsElapsed() - loadStart) / 1e9;
    writer.join();
    // The last changes: until every row shows its latest write, or 5 s
    waitUntil(
        [&] {
            return delaysMs.size() >= size_t(std::min(total, rows)) &&
                   model.index(model.rowOf(rowId((total - 1) % rows)), emailColumn)
                           .data(roles::RawValue)
                           .toString() == QStringLiteral("w%1@bench").arg(total - 1);
        },
        5000);
    stalls.stop();
    if (failed)
        return 1;

    const auto put = [](const char *name, double value, int decimals) {
        std::printf("notify_%s=%.*f\n", name, decimals, value);
    };
    put("changes_written", written, 0);
    put("write_rate_per_s", written / loadSeconds, 0);
    put("changes_seen", double(delaysMs.size()), 0);
    put("model_datachanged", modelChanges, 0);
    put("model_resets", resets, 0);
    put("delay_p50_ms", percentile(delaysMs, 0.50), 1);
    put("delay_p99_ms", percentile(delaysMs, 0.99), 1);
    put("delay_max_ms", delaysMs.empty() ? 0 : *std::max_element(delaysMs.cbegin(), delaysMs.cend()), 1);
    put("gui_stall_max_ms", stalls.worstMs(), 1);
    put("gui_stalls_over_50ms", stalls.over50(), 0);
    return 0;
}
