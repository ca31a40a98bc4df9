// bench_hub: how fast agent status reports travel: WebSocket → JSON-RPC → PostgreSQL → change
// feed → the agents model's dataChanged, and how long the GUI event loop stalls meanwhile.
//
//   bench_hub [--agents N] [--updates M] [--database-url URL]
//
// Without --database-url it runs its own PostgreSQL cluster in a temporary directory.
// Loopback only; every loop is bounded by --agents × --updates and a 120 s deadline.
#include "agentrepository.h"
#include "agenttokenrepository.h"
#include "appcore.h"
#include "databaseurl.h"
#include "embeddedpostgres.h"
#include "entityspecs.h"
#include "hub/hubhost.h"
#include "pagedtablemodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <QCoro/QCoroTask>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <unistd.h>

using namespace ccpm;

namespace {

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
    const QCommandLineOption agentsOpt("agents", "Connected agents.", "n", "100");
    const QCommandLineOption updatesOpt("updates", "Status reports per agent.", "m", "20");
    const QCommandLineOption urlOpt("database-url", "Use this database instead of a temporary cluster.",
                                    "url");
    parser.addOptions({agentsOpt, updatesOpt, urlOpt});
    parser.process(app);
    const int agents = std::clamp(parser.value(agentsOpt).toInt(), 1, 2000);
    const int updates = std::clamp(parser.value(updatesOpt).toInt(), 1, 10000);

    QTemporaryDir dir(QStringLiteral("/tmp/ccpm-bench-XXXXXX"));
    if (geteuid() == 0)
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                              QFileDevice::ExeOther | QFileDevice::ReadGroup |
                                              QFileDevice::ExeGroup);
    std::unique_ptr<EmbeddedPostgres> embedded;
    ConnectionSettings settings;
    if (parser.isSet(urlOpt)) {
        auto parsed = parseDatabaseUrl(parser.value(urlOpt));
        if (!parsed) {
            std::fprintf(stderr, "%s\n", qPrintable(parsed.error().message));
            return 2;
        }
        settings = *parsed;
    } else {
        embedded = std::make_unique<EmbeddedPostgres>(dir.path());
        auto started = embedded->start();
        if (!started) {
            std::fprintf(stderr, "%s\n%s\n", qPrintable(started.error().message),
                         qPrintable(started.error().detail));
            return 1;
        }
        settings = *started;
    }

    AppCore core;
    auto opened = QCoro::waitFor(
        core.open(DatabaseChoice{DatabaseChoice::Source::CommandLine, settings}, {true, false}));
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }

    // Agents and tokens for this run.
    QStringList ids, tokens;
    for (int i = 0; i < agents; ++i) {
        AgentRow row;
        row.name = QStringLiteral("bench agent %1").arg(i);
        row.type = AgentType::Bot;
        row.capabilities = QStringList{QStringLiteral("bench")};
        auto inserted = QCoro::waitFor(
            core.executor().exec([row](QSqlDatabase &db) { return AgentRepository::insert(db, row); }));
        auto token = QCoro::waitFor(
            AgentTokenRepository(core.executor()).create(inserted->id, QStringLiteral("bench")));
        ids << inserted->id;
        tokens << token->token;
    }

    PagedTableModel model(core.executor(), specs::agents());
    model.followChanges(core.feed());
    model.reload();
    QElapsedTimer loadTimer;
    loadTimer.start();
    while (model.rowCount() < agents && loadTimer.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);

    if (Status s = core.startHub(QHostAddress::LocalHost, 0); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error().message));
        return 1;
    }
    const QUrl url = core.hub()->url();

    // Event-loop stall probe: a 5 ms timer; the largest gap beyond 5 ms is the worst stall.
    QElapsedTimer probeClock;
    probeClock.start();
    qint64 lastTick = 0, worstStall = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = probeClock.elapsed();
        worstStall = std::max(worstStall, now - lastTick - 5);
        lastTick = now;
    });

    // The agents run in a thread of their own, so the probe below measures only what the hub
    // and the model cost the model's (GUI) thread.
    QThread clientThread;
    clientThread.setObjectName("bench-agents");
    clientThread.start();
    QObject fleet;
    fleet.moveToThread(&clientThread);
    std::vector<std::unique_ptr<QWebSocket>> sockets;
    std::vector<double> latencies;
    std::vector<QElapsedTimer> sentAt(static_cast<size_t>(agents));
    std::vector<int> remaining(static_cast<size_t>(agents), updates);
    std::atomic<int> connected{0}, replies{0}, errors{0};
    latencies.reserve(size_t(agents) * size_t(updates));

    auto sendNext = [&](int i) {
        const char *status = remaining[size_t(i)] % 2 ? "BUSY" : "ACTIVE";
        sentAt[size_t(i)].start();
        sockets[size_t(i)]->sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonObject{{"jsonrpc", "2.0"},
                                                        {"id", remaining[size_t(i)]},
                                                        {"method", "agent.setStatus"},
                                                        {"params", QJsonObject{{"status", status}}}})
                                  .toJson(QJsonDocument::Compact)));
    };

    int modelUpdates = 0;
    QObject::connect(&model, &QAbstractItemModel::dataChanged, [&] { ++modelUpdates; });
    probe.start(5);
    QElapsedTimer wall;
    wall.start();
    QMetaObject::invokeMethod(&fleet, [&] {
        for (int i = 0; i < agents; ++i) {
            auto socket = std::make_unique<QWebSocket>();
            QWebSocket *s = socket.get();
            QObject::connect(s, &QWebSocket::connected, [&, i] {
                ++connected;
                sendNext(i);
            });
            QObject::connect(s, &QWebSocket::textMessageReceived, [&, i](const QString &m) {
                latencies.push_back(double(sentAt[size_t(i)].nsecsElapsed()) / 1e6);
                if (!QJsonDocument::fromJson(m.toUtf8()).object().contains("result"))
                    ++errors;
                if (--remaining[size_t(i)] > 0)
                    sendNext(i);
                ++replies;
            });
            QNetworkRequest request(url);
            request.setRawHeader("Authorization", "Bearer " + tokens.at(i).toLatin1());
            s->open(request);
            sockets.push_back(std::move(socket));
        }
    });
    const int expected = agents * updates;
    while (replies < expected && wall.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    // Let the last change-feed refreshes land.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    probe.stop();
    QMetaObject::invokeMethod(
        &fleet,
        [&] {
            for (auto &s : sockets)
                s->close();
            sockets.clear();
        },
        Qt::BlockingQueuedConnection);
    clientThread.quit();
    clientThread.wait();

    std::printf("bench_hub: %d agents x %d status reports over ws://loopback, PostgreSQL %s\n", agents,
                updates, embedded ? "temporary cluster" : "given by --database-url");
    std::printf("  connected            %d/%d\n", connected.load(), agents);
    std::printf("  replies              %d/%d (%d errors) in %.2f s = %.0f reports/s\n", replies.load(),
                expected, errors.load(), seconds, double(replies.load()) / seconds);
    std::printf("  reply latency ms     p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n", percentile(latencies, 0.5),
                percentile(latencies, 0.95), percentile(latencies, 0.99), percentile(latencies, 1.0));
    std::printf("  model row refreshes  %d dataChanged (no resets) for %d writes\n", modelUpdates,
                replies.load());
    std::printf("  worst event-loop stall on the model's (GUI) thread: %lld ms\n", worstStall);

    core.stopHub();
    return replies == expected && errors == 0 ? 0 : 1;
}
