// The reference agent (app/agent/) against a real hub and a real server over loopback: it
// connects and reports ACTIVE, reconnects with backoff when the hub goes away and comes back,
// stops for good when refused or replaced, works on tasks with --auto-accept, runs many agents
// in one process; the ccpm-agent binary through QProcess; and the Python client printed in
// docs/agent-protocol.md, run by /usr/bin/python3 as a reader would run it.
#include "agent/agentclient.h"
#include "agent/agentfleet.h"
#include "agent/backoff.h"
#include "agent/latencyhistogram.h"
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/hubhost.h"
#include "hubfixtures.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <QCoro/QCoroTask>

using namespace ccpm;
using agent::AgentClient;
using agent::AgentFleet;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runProcess(const QString &program, const QStringList &arguments, const QStringList &extraEnv = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("CCPM_AGENT_TOKEN");
    for (const QString &kv : extraEnv)
        env.insert(kv.section('=', 0, 0), kv.section('=', 1));
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

/// name=value lines as a map.
QMap<QString, QString> figures(const QString &out)
{
    QMap<QString, QString> map;
    for (const QString &line : out.split('\n', Qt::SkipEmptyParts)) {
        if (line.contains('='))
            map.insert(line.section('=', 0, 0), line.section('=', 1));
    }
    return map;
}

/// A stand-in hub for what the real one does not send yet: it answers every request with a
/// plausible result, records them, and sends the notifications a test asks for.
class ScriptedHub : public QObject {
public:
    /// With a configuration, a wss:// server.
    explicit ScriptedHub(const std::optional<QSslConfiguration> &tls = std::nullopt)
        : m_server(QStringLiteral("scripted hub"),
                   tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode)
        , m_scheme(tls ? "wss" : "ws")
    {
        if (tls)
            m_server.setSslConfiguration(*tls);
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            m_socket.reset(m_server.nextPendingConnection());
            QObject::connect(m_socket.get(), &QWebSocket::textMessageReceived, this,
                             [this](const QString &text) { answer(text); });
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(m_scheme).arg(m_server.serverPort()));
    }
    bool connected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }
    void notify(const QString &method, const QJsonObject &params)
    {
        m_socket->sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}})
                .toJson(QJsonDocument::Compact)));
    }
    /// "method taskId/status/progress" of every request so far.
    QStringList calls;

private:
    void answer(const QString &text)
    {
        const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString method = request.value("method").toString();
        const QJsonObject params = request.value("params").toObject();
        QString summary = method;
        for (const char *key : {"taskId", "status", "progress"}) {
            if (params.contains(key))
                summary += ' ' + params.value(key).toVariant().toString();
        }
        calls << summary;
        QJsonObject result;
        if (method == "task.list")
            result = QJsonObject{{"tasks", QJsonArray()}};
        else if (method.startsWith("task."))
            result = QJsonObject{{"task", QJsonObject{{"id", params.value("taskId")},
                                                      {"status", "IN_PROGRESS"},
                                                      {"progress", params.value("progress").toInt()}}}};
        else
            result = QJsonObject{{"agentId", "cscripted"}, {"status", params.value("status")}};
        m_socket->sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{"jsonrpc", "2.0"}, {"id", request.value("id")}, {"result", result}})
                .toJson(QJsonDocument::Compact)));
    }

    QWebSocketServer m_server;
    QString m_scheme;
    std::unique_ptr<QWebSocket> m_socket;
};

QJsonObject task(const QString &id, const QString &status, int progress)
{
    return QJsonObject{{"id", id}, {"title", "Scripted task"}, {"status", status}, {"progress", progress}};
}

} // namespace

class TestAgentClient : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    // Units
    void backoffIsExponentialWithFullJitter();
    void latencyPercentiles();

    // Against the real hub
    void connectsReportsActiveAndCorrelatesReplies();
    void reconnectsWithBackoffUntilTheHubIsBack();
    void refusalsStopForGood_data();
    void refusalsStopForGood();
    void replacedConnectionStops();
    void autoAcceptWorksOnAssignedAndInProgressTasks();
    void simulatesTwentyAgents();

    // Notifications the real hub does not send yet; TLS, which it does not speak yet
    void connectFirstHoldsTheLoadUntilAllAreOnline();
    void followsTheHubsNotifications();
    void trustsASelfSignedHubWithCaCert();

    // The binary and the documented Python client
    void binaryUsageErrorsExitWith2_data();
    void binaryUsageErrorsExitWith2();
    void binaryRunsForItsDurationAndPrintsFigures();
    void pythonClientFromTheDocs();

private:
    QString newAgent(const QString &name)
    {
        static int n = 0;
        const QString id = QStringLiteral("ctestagent%1").arg(++n, 15, 10, QLatin1Char('0'));
        QSqlQuery q(m_db->connection());
        q.prepare("INSERT INTO agents (id, name, type, status, metadata, \"updatedAt\") "
                  "VALUES (:id, :name, 'BOT', 'INACTIVE', '{}', now())");
        q.bindValue(":id", id);
        q.bindValue(":name", name);
        return q.exec() ? id : QString();
    }
    QString tokenFor(const QString &agentId, QString *tokenId = nullptr)
    {
        auto created = QCoro::waitFor(AgentTokenRepository(*m_executor).create(agentId, "agent client test"));
        if (!created)
            return {};
        if (tokenId)
            *tokenId = created->row.id;
        return created->token;
    }
    QString taskField(const QString &task, const QString &expression) const
    {
        return m_db
            ->scalar(QStringLiteral("SELECT (%1)::text FROM tasks WHERE id = '%2'").arg(expression, task))
            .toString();
    }
    QString agentStatus(const QString &agent) const
    {
        return m_db->scalar(QStringLiteral("SELECT status::text FROM agents WHERE id = '%1'").arg(agent))
            .toString();
    }
    AgentClient::Settings settingsFor(const QString &token, const QUrl &url = {}) const
    {
        AgentClient::Settings s;
        s.url = url.isEmpty() ? m_hub->url() : url;
        s.token = token;
        s.initialBackoffMs = 20;
        s.maxBackoffMs = 200;
        return s;
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<hub::HubHost> m_hub;
};

void TestAgentClient::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("agentclient");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));
}

void TestAgentClient::cleanupTestCase()
{
    m_hub.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestAgentClient::backoffIsExponentialWithFullJitter()
{
    QRandomGenerator random(42);
    agent::Backoff backoff(500, 30000, &random);
    // The bound doubles from 500 ms up to the 30 s cap; every delay lies in [0, bound].
    const QList<int> bounds{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (int bound : bounds) {
        QCOMPARE(backoff.ceilingMs(), bound);
        const int delay = backoff.nextDelayMs();
        QVERIFY2(delay >= 0 && delay <= bound, qPrintable(QString::number(delay)));
    }
    // Full jitter: at the cap the delays spread over the whole range.
    int low = 30000, high = 0;
    for (int i = 0; i < 200; ++i) {
        const int delay = backoff.nextDelayMs();
        low = std::min(low, delay);
        high = std::max(high, delay);
    }
    QVERIFY2(low < 3000 && high > 27000, qPrintable(QStringLiteral("%1..%2").arg(low).arg(high)));
    backoff.reset();
    QCOMPARE(backoff.ceilingMs(), 500);
    QCOMPARE(backoff.attempts(), 0);
}

void TestAgentClient::latencyPercentiles()
{
    agent::LatencyHistogram histogram;
    QCOMPARE(histogram.percentile(50), 0);
    for (int ms = 1; ms <= 1000; ++ms)
        histogram.record(ms * 1000);
    histogram.record(0);
    histogram.record(5);
    QCOMPARE(histogram.count(), quint64(1002));
    const qint64 p50 = histogram.percentile(50);
    const qint64 p99 = histogram.percentile(99);
    QVERIFY2(std::abs(p50 - 500000) <= 1000, qPrintable(QString::number(p50))); // within 0.2 %
    QVERIFY2(std::abs(p99 - 991000) <= 2000, qPrintable(QString::number(p99)));
    QCOMPARE(histogram.percentile(0.05), 0); // exact below 1,024 µs
    QCOMPARE(histogram.percentile(0.15), 5);
}

void TestAgentClient::connectsReportsActiveAndCorrelatesReplies()
{
    // Given an INACTIVE agent and its token
    const QString agentId = newAgent("Client Bot");
    const QString token = tokenFor(agentId);
    QVERIFY(!token.isEmpty());
    QCOMPARE(agentStatus(agentId), QStringLiteral("INACTIVE"));

    // When the client starts, it authenticates and reports ACTIVE
    AgentClient client(settingsFor(token));
    QSignalSpy connected(&client, &AgentClient::connected);
    client.start();
    QVERIFY(connected.wait(10000));
    QCOMPARE(client.state(), AgentClient::State::Online);
    QCOMPARE(client.agentId(), agentId);
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("ACTIVE"));

    // Requests in flight together each get their own reply, results and errors alike
    auto busy = client.call("agent.setStatus", QJsonObject{{"status", "BUSY"}});
    auto unknown = client.call("agent.fly", QJsonObject{});
    auto listed = client.call("task.list", QJsonObject{{"status", "COMPLETED"}});
    const agent::RpcReply listReply = QCoro::waitFor(listed);
    const agent::RpcReply unknownReply = QCoro::waitFor(unknown);
    const agent::RpcReply busyReply = QCoro::waitFor(busy);
    QVERIFY(listReply.ok());
    QVERIFY(listReply.resultObject().value("tasks").isArray());
    QCOMPARE(unknownReply.errorCode, -32601);
    QVERIFY(unknownReply.errorMessage.contains("agent.fly"));
    QCOMPARE(busyReply.resultObject().value("status").toString(), QStringLiteral("BUSY"));
    QCOMPARE(agentStatus(agentId), QStringLiteral("BUSY"));

    // stop() closes with 1000 and the hub marks the agent INACTIVE; calls then fail at once
    QSignalSpy stopped(&client, &AgentClient::stopped);
    client.stop();
    QTRY_COMPARE(stopped.size(), 1); // may come before stop() returns
    QCOMPARE(stopped.first().first().toInt(), 1000);
    QCOMPARE(client.state(), AgentClient::State::Stopped);
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("INACTIVE"));
    auto late = client.call("task.list", QJsonObject{});
    QCOMPARE(QCoro::waitFor(late).errorCode, int(AgentClient::NotConnected));
}

void TestAgentClient::reconnectsWithBackoffUntilTheHubIsBack()
{
    // Given a hub of its own, on a port that will be reused
    const QString agentId = newAgent("Reconnecting Bot");
    const QString token = tokenFor(agentId);
    hub::HubHost hub(m_db->settings(), *m_feed);
    CCPM_VERIFY_OK(hub.start(QHostAddress::LocalHost, 0));
    const QUrl url = hub.url();
    const auto port = quint16(url.port());
    AgentClient::Settings settings = settingsFor(token, url);
    // Long enough that the status check below cannot outlast it on a busy machine
    settings.stableAfterMs = 2000;
    AgentClient client(settings);
    QSignalSpy connected(&client, &AgentClient::connected);
    QSignalSpy scheduled(&client, &AgentClient::reconnectScheduled);
    QSignalSpy stopped(&client, &AgentClient::stopped);
    client.start();
    QVERIFY(connected.wait(10000));

    // When the hub stops (1001) and stays away for a while
    QSignalSpy disconnected(&client, &AgentClient::disconnected);
    hub.stop();
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.first().first().toInt(), 1001);
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 6, 10000);

    // Then every delay is drawn below a bound that doubles from 20 ms to the 200 ms cap
    for (int i = 0; i < scheduled.size(); ++i) {
        const int delay = scheduled.at(i).at(0).toInt();
        const int ceiling = scheduled.at(i).at(1).toInt();
        QCOMPARE(ceiling, std::min(200, 20 << i));
        QVERIFY(delay >= 0 && delay <= ceiling);
    }
    QVERIFY(client.state() != AgentClient::State::Stopped);

    // And when the hub is back on the same port, the client is back too
    CCPM_VERIFY_OK(hub.start(QHostAddress::LocalHost, port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("ACTIVE"));
    QVERIFY(client.attempts() >= 7);

    // A short-lived connection does not reset the backoff...
    scheduled.clear();
    hub.stop();
    QTRY_VERIFY(!scheduled.isEmpty());
    QCOMPARE(scheduled.first().at(1).toInt(), 200);
    CCPM_VERIFY_OK(hub.start(QHostAddress::LocalHost, port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 3, 10000);

    // ...one that lasted longer than stableAfterMs does
    QTest::qWait(settings.stableAfterMs + 100); // the connection has to last: nothing to wait for
    scheduled.clear();
    hub.stop();
    QTRY_VERIFY(!scheduled.isEmpty());
    QCOMPARE(scheduled.first().at(1).toInt(), 20);
    QVERIFY(stopped.isEmpty());
    client.stop();
    QCOMPARE(stopped.size(), 1);
}

void TestAgentClient::refusalsStopForGood_data()
{
    QTest::addColumn<QString>("which");
    QTest::addColumn<int>("code");
    QTest::newRow("unknown token") << "unknown" << 4401;
    QTest::newRow("revoked token") << "revoked" << 4403;
}

void TestAgentClient::refusalsStopForGood()
{
    QFETCH(QString, which);
    QFETCH(int, code);
    QString token = QStringLiteral("ccpm_this-token-was-never-issued-by-the-hub-000000");
    if (which == "revoked") {
        QString tokenId;
        token = tokenFor(newAgent("Revoked Bot"), &tokenId);
        CCPM_VERIFY_OK(QCoro::waitFor(AgentTokenRepository(*m_executor).revoke(tokenId)));
    }
    AgentClient client(settingsFor(token));
    QSignalSpy stopped(&client, &AgentClient::stopped);
    QSignalSpy scheduled(&client, &AgentClient::reconnectScheduled);
    QSignalSpy connected(&client, &AgentClient::connected);
    client.start();
    QVERIFY(stopped.wait(10000));
    QCOMPARE(stopped.first().first().toInt(), code);
    QCOMPARE(client.closeCode(), code);
    QCOMPARE(client.state(), AgentClient::State::Stopped);
    // No retry: ten times the first backoff bound later, still one attempt and nothing scheduled.
    QTest::qWait(10 * 20);
    QCOMPARE(client.attempts(), 1);
    QVERIFY(scheduled.isEmpty());
    QVERIFY(connected.isEmpty());
}

void TestAgentClient::replacedConnectionStops()
{
    // Given an agent connected once, when it connects a second time with the same token
    const QString agentId = newAgent("Twice Bot");
    const QString token = tokenFor(agentId);
    AgentClient first(settingsFor(token));
    AgentClient second(settingsFor(token));
    QSignalSpy firstStopped(&first, &AgentClient::stopped);
    QSignalSpy firstConnected(&first, &AgentClient::connected);
    QSignalSpy secondConnected(&second, &AgentClient::connected);
    first.start();
    QVERIFY(firstConnected.wait(10000));
    second.start();
    // Then the older connection is closed with 4409 and does not come back; the newer one stays
    QVERIFY(firstStopped.wait(10000));
    QCOMPARE(firstStopped.first().first().toInt(), 4409);
    QTRY_COMPARE(secondConnected.size(), 1);
    QCOMPARE(second.state(), AgentClient::State::Online);
    QCOMPARE(first.attempts(), 1);
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("ACTIVE"));
}

void TestAgentClient::autoAcceptWorksOnAssignedAndInProgressTasks()
{
    // Given, before the agent connects, an ASSIGNED task and an IN_PROGRESS one at 60 %
    const QString agentId = newAgent("Worker Bot");
    const QString token = tokenFor(agentId);
    const QString inProgress = insertTask(*m_db, agentId, "IN_PROGRESS", 60);
    const QString assigned = insertTask(*m_db, agentId, "ASSIGNED");
    QVERIFY(!inProgress.isEmpty() && !assigned.isEmpty());

    // When the agent connects with auto-accept and 0.3 s of work per task
    AgentClient::Settings settings = settingsFor(token);
    settings.autoAccept = true;
    settings.workMs = 300;
    AgentClient client(settings);
    QSignalSpy completed(&client, &AgentClient::taskCompleted);
    client.start();

    // Then it resumes the IN_PROGRESS task, then accepts and completes the ASSIGNED one
    QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 2, 15000);
    QCOMPARE(completed.at(0).first().toString(), inProgress);
    QCOMPARE(completed.at(1).first().toString(), assigned);
    for (const QString &task : {inProgress, assigned}) {
        QCOMPARE(taskField(task, "status || ' ' || progress"), QStringLiteral("COMPLETED 100"));
        QCOMPARE(taskField(task, "metadata->'result'->>'by'"), QStringLiteral("ccpm-agent"));
        QVERIFY(!taskField(task, "\"completedAt\"").isEmpty());
    }
    // And, idle again, it is ACTIVE
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("ACTIVE"));
    QVERIFY(client.currentTaskId().isEmpty());
}

void TestAgentClient::simulatesTwentyAgents()
{
    // Given twenty agents with a token each
    QStringList ids, tokens;
    for (int i = 0; i < 20; ++i) {
        ids << newAgent(QStringLiteral("Fleet Bot %1").arg(i));
        tokens << tokenFor(ids.last());
        QVERIFY(!tokens.last().isEmpty());
    }
    const QString inList = "'" + ids.join("','") + "'";

    // When they run in one fleet, five connections at a time, each sending an update every 50 ms
    AgentFleet::Settings settings;
    settings.agent = settingsFor({});
    settings.connectBatch = 5;
    settings.chatterMs = 50;
    AgentFleet fleet(settings, tokens);
    fleet.start();
    QCOMPARE(fleet.opened(), 5);

    // Then all twenty are connected at once, and each is seen in the database
    QTRY_COMPARE_WITH_TIMEOUT(fleet.stats().connected, 20, 20000);
    QTRY_COMPARE(
        m_db->scalar("SELECT count(*) FROM agents WHERE status <> 'INACTIVE' AND id IN (" + inList + ")")
            .toInt(),
        20);
    QTRY_VERIFY_WITH_TIMEOUT(fleet.stats().replies >= 20 * 5, 10000); // the load mode talks

    // And they stop cleanly, every request answered
    QSignalSpy allStopped(&fleet, &AgentFleet::allStopped);
    fleet.stop();
    QTRY_COMPARE(allStopped.size(), 1);
    const agent::AgentStats &stats = fleet.stats();
    QCOMPARE(stats.agents, 20);
    QCOMPARE(stats.maxConnected, 20);
    QCOMPARE(stats.connected, 0);
    QCOMPARE(stats.errors, quint64(0));
    QCOMPARE(stats.replies, stats.requests);
    QCOMPARE(stats.reconnects, quint64(0));
    QVERIFY(stats.replyLatency.percentile(50) > 0);
    QTRY_COMPARE(
        m_db->scalar("SELECT count(*) FROM agents WHERE status = 'INACTIVE' AND id IN (" + inList + ")")
            .toInt(),
        20);
    const QString text = stats.figures();
    for (const char *name :
         {"agents=20\n", "connected=20\n", "errors=0\n", "reconnects=0\n", "reply_p50_ms=", "reply_p99_ms="})
        QVERIFY2(text.contains(name), qPrintable(text));
}

void TestAgentClient::connectFirstHoldsTheLoadUntilAllAreOnline()
{
    // Given twelve agents, the last of which can only connect after the first batch has settled
    QStringList tokens;
    for (int i = 0; i < 12; ++i)
        tokens << tokenFor(newAgent(QStringLiteral("Patient Bot %1").arg(i)));

    // When a fleet with connect-first opens them four at a time, each to send an update every 20 ms
    AgentFleet::Settings settings;
    settings.agent = settingsFor({});
    settings.connectBatch = 4;
    settings.chatterMs = 20;
    settings.connectFirst = true;
    AgentFleet fleet(settings, tokens);
    QSignalSpy allConnected(&fleet, &AgentFleet::allConnected);
    int connectedAtSignal = 0;
    connect(&fleet, &AgentFleet::allConnected, this, [&] { connectedAtSignal = fleet.stats().connected; });
    fleet.start();

    // Then nobody sends an update before all twelve are online, and then everybody does
    QTRY_COMPARE_WITH_TIMEOUT(allConnected.size(), 1, 20000);
    QCOMPARE(connectedAtSignal, 12);
    // (connecting costs each agent one request, its agent.setStatus ACTIVE: no update went out)
    QCOMPARE(fleet.stats().rampRequests, quint64(12));
    QTRY_VERIFY_WITH_TIMEOUT(fleet.stats().replies >= 12 * 3, 10000);
    QSignalSpy allStopped(&fleet, &AgentFleet::allStopped);
    fleet.stop();
    QTRY_COMPARE(allStopped.size(), 1);
    QCOMPARE(fleet.stats().errors, quint64(0));
    QCOMPARE(allConnected.size(), 1);
}

void TestAgentClient::followsTheHubsNotifications()
{
    ScriptedHub hub;
    AgentClient::Settings settings = settingsFor("ccpm_scripted", hub.url());
    settings.autoAccept = true;
    settings.workMs = 200;
    AgentClient client(settings);
    QSignalSpy completed(&client, &AgentClient::taskCompleted);
    QSignalSpy connected(&client, &AgentClient::connected);
    client.start();
    QVERIFY(connected.wait(5000));
    QVERIFY(hub.connected());

    // task.open with an IN_PROGRESS task at 80 %: resumed, 90 %, completed
    hub.notify("task.open", QJsonObject{{"tasks", QJsonArray{task("t1", "IN_PROGRESS", 80)}}});
    QVERIFY(completed.wait(5000));
    QCOMPARE(completed.first().first().toString(), QStringLiteral("t1"));
    QTRY_VERIFY(hub.calls.contains("agent.setStatus ACTIVE"));
    QVERIFY(!hub.calls.contains("task.accept t1"));
    QVERIFY(!hub.calls.contains("task.progress t1 80"));
    QVERIFY(hub.calls.indexOf("agent.setStatus BUSY") < hub.calls.indexOf("task.progress t1 90"));
    QVERIFY(hub.calls.indexOf("task.progress t1 90") < hub.calls.indexOf("task.complete t1"));
    QTRY_COMPARE(hub.calls.last(), QStringLiteral("agent.setStatus ACTIVE"));

    // task.assigned twice: the first is accepted and worked on, the second waits its turn
    hub.calls.clear();
    hub.notify("task.assigned", QJsonObject{{"task", task("t2", "ASSIGNED", 0)}});
    hub.notify("task.assigned", QJsonObject{{"task", task("t3", "ASSIGNED", 0)}});
    QTRY_COMPARE(client.currentTaskId(), QStringLiteral("t2"));
    QCOMPARE(client.queuedTaskIds(), QStringList{"t3"});
    QTRY_VERIFY(hub.calls.contains("task.progress t2 10"));
    QVERIFY(hub.calls.contains("task.accept t2"));

    // task.unassigned of the waiting one drops it; task.updated that cancels the current one stops it
    hub.notify("task.unassigned", QJsonObject{{"taskId", "t3"}, {"reason", "reassigned"}});
    QTRY_VERIFY(client.queuedTaskIds().isEmpty());
    hub.notify("task.updated", QJsonObject{{"task", task("t2", "CANCELLED", 10)}});
    QTRY_VERIFY(client.currentTaskId().isEmpty());
    QTRY_COMPARE(hub.calls.last(), QStringLiteral("agent.setStatus ACTIVE"));
    const qsizetype callsWhenStopped = hub.calls.size();
    QTest::qWait(settings.workMs); // two more steps would have been reported by now
    QCOMPARE(hub.calls.size(), callsWhenStopped);
    QVERIFY(!hub.calls.contains("task.accept t3"));
    QVERIFY(!hub.calls.contains("task.complete t2"));
    QCOMPARE(completed.size(), 1);

    // message.received is logged
    QTest::ignoreMessage(QtInfoMsg,
                         QRegularExpression("^message m1 from USER u1 about task t2: please hurry$"));
    QSignalSpy notified(&client, &AgentClient::notificationReceived);
    hub.notify("message.received",
               QJsonObject{{"message", QJsonObject{{"id", "m1"},
                                                   {"content", "please hurry"},
                                                   {"senderId", "u1"},
                                                   {"senderType", "USER"},
                                                   {"receiverId", "cscripted"},
                                                   {"receiverType", "AGENT"},
                                                   {"taskId", "t2"},
                                                   {"metadata", QJsonObject()},
                                                   {"createdAt", "2026-01-01T00:00:00.000Z"}}}});
    QVERIFY(notified.wait(5000));
    QCOMPARE(notified.first().first().toString(), QStringLiteral("message.received"));
}

void TestAgentClient::trustsASelfSignedHubWithCaCert()
{
    // Given a wss:// hub with a self-signed certificate for 127.0.0.1
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath("hub.pem");
    const QString key = dir.filePath("hub.key");
    const Run made = runProcess("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                            "-subj", "/CN=127.0.0.1", "-addext",
                                            "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    QFile certFile(cert), keyFile(key);
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QList<QSslCertificate> certificates = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
    QCOMPARE(certificates.size(), 1);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificates.first());
    tls.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    ScriptedHub hub(tls);
    QCOMPARE(hub.url().scheme(), QStringLiteral("wss"));

    // When a client does not trust it, the handshake fails and it keeps retrying
    {
        AgentClient distrustful(settingsFor("ccpm_tls", hub.url()));
        QSignalSpy scheduled(&distrustful, &AgentClient::reconnectScheduled);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^TLS: .*self-signed"));
        distrustful.start();
        QVERIFY(scheduled.wait(10000));
        QVERIFY(!hub.connected());
        distrustful.stop();
    }

    // Then, with the certificate trusted (--ca-cert), it connects
    AgentClient::Settings settings = settingsFor("ccpm_tls", hub.url());
    settings.caCertificates = certificates;
    AgentClient trusting(settings);
    QSignalSpy connected(&trusting, &AgentClient::connected);
    trusting.start();
    QVERIFY(connected.wait(10000));
    QVERIFY(hub.connected());
    QCOMPARE(trusting.agentId(), QStringLiteral("cscripted"));
}

void TestAgentClient::binaryUsageErrorsExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString twoTokens = QDir::tempPath() + "/tst_agentclient-two-tokens.txt";
    QFile file(twoTokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("ccpm_a\nccpm_b\n");
    QTest::newRow("unknown option") << QStringList{"--token", "t", "--bogus"} << "Unknown option";
    QTest::newRow("missing value") << QStringList{"--token"} << "Missing value";
    QTest::newRow("no token") << QStringList{} << "no token";
    QTest::newRow("bad url") << QStringList{"--token", "t", "--url", "http://127.0.0.1:1"} << "--url";
    QTest::newRow("work seconds not a number")
        << QStringList{"--token", "t", "--work-seconds", "soon"} << "--work-seconds";
    QTest::newRow("simulate without a token file") << QStringList{"--simulate", "3"} << "--token-file";
    QTest::newRow("more agents than tokens")
        << QStringList{"--simulate", "3", "--token-file", twoTokens} << "needs 3 tokens";
    QTest::newRow("missing token file")
        << QStringList{"--token-file", "/nonexistent/tokens"} << "cannot read";
    QTest::newRow("negative duration") << QStringList{"--token", "t", "--duration", "-1"} << "--duration";
    QTest::newRow("missing certificate")
        << QStringList{"--token", "t", "--ca-cert", "/nonexistent/ca.pem"} << "--ca-cert";
    QTest::newRow("certificate that is not one")
        << QStringList{"--token", "t", "--ca-cert", twoTokens} << "no certificate";
}

void TestAgentClient::binaryUsageErrorsExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runProcess(QStringLiteral(CCPM_AGENT_BINARY), arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestAgentClient::binaryRunsForItsDurationAndPrintsFigures()
{
    // Given an agent's token in the environment
    const QString agentId = newAgent("Binary Bot");
    const QString token = tokenFor(agentId);
    QElapsedTimer clock;
    clock.start();
    // When ccpm-agent runs for 2 s in load mode
    const Run run = runProcess(QStringLiteral(CCPM_AGENT_BINARY),
                               {"--url", m_hub->url().toString(), "--duration", "2", "--chatter-ms", "100"},
                               {"CCPM_AGENT_TOKEN=" + token});
    // Then it exits 0 after about 2 s, having closed cleanly, and prints its figures
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(clock.elapsed() >= 1990 && clock.elapsed() < 10000,
             qPrintable(QString::number(clock.elapsed())));
    const QMap<QString, QString> f = figures(run.out);
    for (const char *name : {"agents", "connected", "requests", "replies", "errors", "reconnects",
                             "reply_p50_ms", "reply_p99_ms"})
        QVERIFY2(f.contains(name), qPrintable(run.out));
    QCOMPARE(f.value("agents"), QStringLiteral("1"));
    QCOMPARE(f.value("connected"), QStringLiteral("1"));
    QCOMPARE(f.value("errors"), QStringLiteral("0"));
    QCOMPARE(f.value("reconnects"), QStringLiteral("0"));
    QVERIFY2(f.value("requests").toInt() >= 10, qPrintable(run.out)); // ~20 updates in 2 s, and ACTIVE
    QCOMPARE(f.value("replies"), f.value("requests"));
    bool ok = false;
    QVERIFY(f.value("reply_p50_ms").toDouble(&ok) > 0 && ok);
    QVERIFY(f.value("reply_p99_ms").toDouble() >= f.value("reply_p50_ms").toDouble());
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("INACTIVE"));
}

void TestAgentClient::pythonClientFromTheDocs()
{
    // Given the Python client exactly as docs/agent-protocol.md prints it
    QFile doc(QStringLiteral(CCPM_SOURCE_DIR "/docs/agent-protocol.md"));
    QVERIFY(doc.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString text = QString::fromUtf8(doc.readAll());
    const qsizetype begin = text.indexOf("<!-- python-client:begin -->");
    const qsizetype end = text.indexOf("<!-- python-client:end -->");
    QVERIFY2(begin >= 0 && end > begin, "the python-client markers are missing");
    const QRegularExpression fence("```python\\n(.*)\\n```", QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = fence.match(text.mid(begin, end - begin));
    QVERIFY2(match.hasMatch(), "no ```python block between the markers");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile script(dir.filePath("client.py"));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(match.captured(1).toUtf8() + '\n');
    script.close();

    // And an agent with an ASSIGNED task
    const QString agentId = newAgent("Python Bot");
    const QString token = tokenFor(agentId);
    const QString taskId = insertTask(*m_db, agentId, "ASSIGNED");
    QVERIFY(!taskId.isEmpty());

    // When Debian's Python runs it (not a python3 from PATH: it may lack the websockets module)
    const Run run = runProcess("/usr/bin/python3", {script.fileName()},
                               {"CCPM_AGENT_TOKEN=" + token, "CCPM_HUB_URL=" + m_hub->url().toString()});

    // Then it completed the task and printed its id
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(taskId), qPrintable(run.out));
    QCOMPARE(taskField(taskId, "status || ' ' || progress"), QStringLiteral("COMPLETED 100"));
    QTRY_COMPARE(agentStatus(agentId), QStringLiteral("INACTIVE")); // it closed its connection
}

QTEST_GUILESS_MAIN(TestAgentClient)
#include "tst_agentclient.moc"
