// The agent hub end to end: a real QWebSocket over loopback, the real hub thread, a real
// PostgreSQL database loaded from the backend's fixture, and the agents model a view would show.
#include "agentadmin.h"
#include "agentrepository.h"
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "entityspecs.h"
#include "hub/closecodes.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "migrator.h"
#include "pagedtablemodel.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <QCoro/QCoroTask>

#include <numeric>

using namespace ccpm;

namespace {

const QString kBuildBotId = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistantId = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");
const QString kAdminUserId = QStringLiteral("cmx1zcg4000008e7dzffn89tr");

using Client = HubClient;

} // namespace

class TestHub : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void busyReachesDatabaseAndModelRow();
    void badRequestsGetJsonRpcErrors_data();
    void badRequestsGetJsonRpcErrors();
    void wrongOrMissingTokenIsRefusedAndChangesNothing_data();
    void wrongOrMissingTokenIsRefusedAndChangesNothing();
    void revokedTokenIsRefused();
    void revokingATokenClosesItsConnection();
    void closingMakesTheAgentInactive();
    void newerConnectionReplacesOlder();
    void oversizedMessageClosesWith1009();
    void burstOfRequestsIsAnsweredInOrder();
    void laterConnectionWinsWhateverCheckFinishesFirst_data();
    void laterConnectionWinsWhateverCheckFinishesFirst();
    void connectionClosedBeforeItsCheckChangesNothing();
    void threadsShareThePortAndTheAgents();
    void portInUseIsAClearError_data();
    void portInUseIsAClearError();
    void settingsFileSetsTheHub();
    void refusesToListenBeyondLoopback();
    void servesTlsWithACertificate();
    void tlsFilesMustBeReadable();

private:
    QString statusInDb(const QString &agentId) const
    {
        return m_db->scalar(QStringLiteral("SELECT status::text FROM agents WHERE id = '%1'").arg(agentId))
            .toString();
    }
    QString createToken(const QString &agentId)
    {
        auto created = QCoro::waitFor(AgentTokenRepository(*m_executor).create(agentId, "test"));
        return created ? created->token : QString();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<hub::HubHost> m_hub;
    std::unique_ptr<PagedTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QString m_botToken;
};

void TestHub::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("hub");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_botToken = createToken(kBuildBotId);
    QVERIFY(m_botToken.startsWith("ccpm_"));

    m_feed = std::make_unique<ChangeFeed>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));
    QVERIFY(m_hub->url().isValid());

    m_model = std::make_unique<PagedTableModel>(*m_executor, specs::agents());
    m_model->followChanges(*m_feed);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->reload();
    QTRY_COMPARE(m_model->rowCount(), 3);
    QTRY_VERIFY(m_model->isLoaded(2));
}

void TestHub::init()
{
    // The previous test's agents have gone, and their last writes (INACTIVE) are done.
    QTRY_COMPARE(m_hub->connectedAgents(), 0);
}

void TestHub::cleanupTestCase()
{
    m_hub.reset();
    m_tester.reset();
    m_model.reset();
    m_executor.reset();
    m_db.reset();
}

void TestHub::busyReachesDatabaseAndModelRow()
{
    // Given Build Bot connected with its token, and the agents model loaded
    Client client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(m_hub->connectedAgents(), 1);
    const int row = m_model->rowOf(kBuildBotId);
    QVERIFY(row >= 0);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);

    // When it reports BUSY
    client.call(1, "agent.setStatus", {{"status", "BUSY"}});

    // Then the hub answers with a JSON-RPC result
    QTRY_COMPARE(client.replies.size(), 1);
    const QJsonObject reply = client.replies.first();
    QCOMPARE(reply.value("jsonrpc").toString(), "2.0");
    QCOMPARE(reply.value("id").toInt(), 1);
    QCOMPARE(reply.value("result").toObject().value("status").toString(), "BUSY");

    // And the database row holds BUSY, with lastSeenAt and updatedAt set
    QCOMPARE(statusInDb(kBuildBotId), "BUSY");
    QVERIFY(
        !m_db->scalar(QStringLiteral("SELECT \"lastSeenAt\" FROM agents WHERE id = '%1'").arg(kBuildBotId))
             .isNull());

    // And the model emitted dataChanged for exactly that row, without a reset
    QTRY_VERIFY(!changed.isEmpty());
    const auto args = changed.last();
    QCOMPARE(args.at(0).toModelIndex().row(), row);
    QCOMPARE(args.at(1).toModelIndex().row(), row);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(m_model->index(row, specs::AgentColumns::Status).data(Qt::EditRole).toString(), "BUSY");
    QCOMPARE(m_model->index(row, specs::AgentColumns::Status).data(Qt::DisplayRole).toString(), "Busy");

    // And other agents' rows are untouched
    QCOMPARE(statusInDb(kAssistantId), "ACTIVE");
}

void TestHub::badRequestsGetJsonRpcErrors_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("code");
    QTest::newRow("not json") << QByteArray("{\"jsonrpc\": \"2.0\", ") << -32700;
    QTest::newRow("no version") << QByteArray(
                                       R"({"id":1,"method":"agent.setStatus","params":{"status":"BUSY"}})")
                                << -32600;
    QTest::newRow("scalar") << QByteArray("1") << -32600;
    QTest::newRow("null") << QByteArray("null") << -32600;
    QTest::newRow("two values") << QByteArray("1, 2") << -32700;
    QTest::newRow("number beyond a double")
        << QByteArray(
               R"({"jsonrpc":"2.0","id":1,"method":"task.progress","params":{"taskId":"t","progress":1e400}})")
        << -32700;
    QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"agent.setStatus"}])")
                           << -32600;
    QTest::newRow("unknown method") << QByteArray(
                                           R"({"jsonrpc":"2.0","id":1,"method":"agent.fly","params":{}})")
                                    << -32601;
    QTest::newRow("bad status")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"agent.setStatus","params":{"status":"SLEEPING"}})")
        << -32602;
    QTest::newRow("status not a string")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"agent.setStatus","params":{"status":3}})")
        << -32602;
    QTest::newRow("no params") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"agent.setStatus"})")
                               << -32602;
    QTest::newRow("lower case")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"agent.setStatus","params":{"status":"busy"}})")
        << -32602;
}

void TestHub::badRequestsGetJsonRpcErrors()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, code);
    // Given a connected agent in a known state
    Client client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    client.call(0, "agent.setStatus", {{"status", "ACTIVE"}});
    QTRY_COMPARE(client.replies.size(), 1);

    // When it sends a broken request
    client.send(frame);

    // Then it gets the JSON-RPC error, stays connected, and the row is unchanged
    QTRY_COMPARE(client.replies.size(), 2);
    QCOMPARE(client.replies.at(1).value("error").toObject().value("code").toInt(), code);
    QVERIFY(!client.replies.at(1).value("error").toObject().value("message").toString().isEmpty());
    QVERIFY(client.replies.at(1).contains("id"));
    QVERIFY(!client.replies.at(1).contains("result"));
    QCOMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(statusInDb(kBuildBotId), "ACTIVE");
}

void TestHub::wrongOrMissingTokenIsRefusedAndChangesNothing_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("wrong") << QStringLiteral("ccpm_not-a-real-token");
    QTest::newRow("missing") << QString();
    QTest::newRow("empty") << QStringLiteral("");
}

void TestHub::wrongOrMissingTokenIsRefusedAndChangesNothing()
{
    QFETCH(QString, token);
    // Given the agents table as it is
    const QStringList before = m_db->dumpRows("agents", {"id", "status", "updatedAt", "lastSeenAt"});
    const QStringList tokensBefore = m_db->dumpRows("agent_tokens", {"id", "lastUsedAt", "revokedAt"});

    // When a client connects with a bad token and tries to set a status
    Client client;
    client.open(m_hub->url(), token);
    QTRY_VERIFY(client.socket->state() == QAbstractSocket::ConnectedState || client.closeCode != -1);
    if (client.socket->state() == QAbstractSocket::ConnectedState)
        client.call(1, "agent.setStatus", {{"status", "BUSY"}});

    // Then the hub closes the connection with 4401 and nothing in the database changed
    QTRY_COMPARE(client.closeCode, int(hub::CloseCode::Unauthorized));
    QVERIFY(client.replies.isEmpty());
    QCOMPARE(m_db->dumpRows("agents", {"id", "status", "updatedAt", "lastSeenAt"}), before);
    QCOMPARE(m_db->dumpRows("agent_tokens", {"id", "lastUsedAt", "revokedAt"}), tokensBefore);
}

void TestHub::revokedTokenIsRefused()
{
    // Given a token that an administrator revoked
    const QString token = createToken(kAssistantId);
    QVERIFY(!token.isEmpty());
    const QString tokenId =
        m_db->scalar("SELECT id FROM agent_tokens WHERE \"agentId\" = 'cmx1zcg8i00038e7d4rutgnst'")
            .toString();
    CCPM_VERIFY_OK(QCoro::waitFor(AgentTokenRepository(*m_executor).revoke(tokenId)));
    const QStringList before = m_db->dumpRows("agents", {"id", "status", "updatedAt", "lastSeenAt"});

    // When the agent connects with it
    Client client;
    client.open(m_hub->url(), token);

    // Then it is refused with 4403 and nothing changes
    QTRY_COMPARE(client.closeCode, int(hub::CloseCode::Revoked));
    QCOMPARE(m_db->dumpRows("agents", {"id", "status", "updatedAt", "lastSeenAt"}), before);
}

void TestHub::revokingATokenClosesItsConnection()
{
    // Given the assistant connected with a token of its own, and Build Bot with another
    AgentAdmin admin(*m_executor, *m_feed);
    const Result<AgentTokenRepository::Created> issued =
        QCoro::waitFor(admin.issueToken(Actor{kAdminUserId}, kAssistantId, QStringLiteral("laptop")));
    CCPM_VERIFY_OK(issued);
    Client assistant;
    assistant.open(m_hub->url(), issued->token);
    Client bot;
    bot.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(m_hub->connectedAgents(), 2);
    assistant.call(1, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_COMPARE(assistant.replies.size(), 1);
    QCOMPARE(statusInDb(kAssistantId), "BUSY");

    // When an administrator revokes the assistant's token
    CCPM_VERIFY_OK(QCoro::waitFor(admin.revokeToken(Actor{kAdminUserId}, issued->row.id)));

    // Then its connection closes with 4403 at once, and the other agent stays connected
    QTRY_COMPARE(assistant.closeCode, int(hub::CloseCode::Revoked));
    QTRY_COMPARE(m_hub->connectedAgents(), 1);
    QCOMPARE(bot.socket->state(), QAbstractSocket::ConnectedState);
    // And the assistant is INACTIVE, as after any close but a replacement
    QTRY_COMPARE(statusInDb(kAssistantId), "INACTIVE");
    bot.socket->close();
}

void TestHub::closingMakesTheAgentInactive()
{
    // Given Build Bot connected and BUSY
    Client client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    client.call(1, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_COMPARE(client.replies.size(), 1);
    QCOMPARE(statusInDb(kBuildBotId), "BUSY");
    const int row = m_model->rowOf(kBuildBotId);

    // When it closes the socket
    client.socket->close();

    // Then the agent becomes INACTIVE in the database and in the model, and the hub count drops
    QTRY_COMPARE(statusInDb(kBuildBotId), QStringLiteral("INACTIVE"));
    QTRY_COMPARE(m_model->index(row, specs::AgentColumns::Status).data(Qt::EditRole).toString(),
                 QStringLiteral("INACTIVE"));
    QTRY_COMPARE(m_hub->connectedAgents(), 0);
}

void TestHub::newerConnectionReplacesOlder()
{
    // Given Build Bot connected
    Client first;
    first.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(first.socket->state(), QAbstractSocket::ConnectedState);
    first.call(1, "agent.setStatus", {{"status", "ACTIVE"}});
    QTRY_COMPARE(first.replies.size(), 1);

    // When it connects again
    Client second;
    second.open(m_hub->url(), m_botToken);

    // Then the older connection is closed with 4409, the agent stays ACTIVE and connected once
    QTRY_COMPARE(first.closeCode, int(hub::CloseCode::Replaced));
    second.call(2, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_COMPARE(second.replies.size(), 1);
    QCOMPARE(statusInDb(kBuildBotId), "BUSY");
    QCOMPARE(m_hub->connectedAgents(), 1);
    second.socket->close();
    QTRY_COMPARE(statusInDb(kBuildBotId), QStringLiteral("INACTIVE"));
}

void TestHub::oversizedMessageClosesWith1009()
{
    // Given a connected agent
    Client client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    // When it sends a 2 MiB frame
    client.send(QByteArray(2 * 1024 * 1024, 'x'));
    // Then the hub closes with "message too big" and is still there for the next agent
    QTRY_COMPARE(client.closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));
    Client next;
    next.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(next.socket->state(), QAbstractSocket::ConnectedState);
    next.call(1, "agent.setStatus", {{"status", "ACTIVE"}});
    QTRY_COMPARE(next.replies.size(), 1);
}

void TestHub::refusesToListenBeyondLoopback()
{
    hub::HubHost host(m_db->settings(), *m_feed);
    Status s = host.start(QHostAddress::AnyIPv4, 0);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().message.contains("only with TLS"), qPrintable(s.error().message));
    QVERIFY2(s.error().detail.contains("--hub-insecure"), qPrintable(s.error().detail));
    CCPM_VERIFY_OK(host.start(QHostAddress::LocalHostIPv6, 0));
    QCOMPARE(QHostAddress(host.url().host()), QHostAddress(QHostAddress::LocalHostIPv6));

    // An explicit --hub-insecure lets it listen on every address
    hub::HubHost insecure(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.allowInsecure = true;
    insecure.setHubSettings(settings);
    CCPM_VERIFY_OK(insecure.start(QHostAddress::AnyIPv4, 0));
    QCOMPARE(insecure.url().scheme(), QString("ws"));
}

void TestHub::servesTlsWithACertificate()
{
    // Given a certificate for 127.0.0.1 and its key (PEM, as openssl writes them)
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath("hub.pem");
    const QString key = dir.filePath("hub.key");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                              "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);

    // When the hub starts with them, on any address
    hub::HubHost host(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.tlsCertificateFile = cert;
    settings.tlsKeyFile = key;
    host.setHubSettings(settings);
    CCPM_VERIFY_OK(host.start(QHostAddress::AnyIPv4, 0));
    QCOMPARE(host.url().scheme(), QString("wss"));

    // Then an agent that trusts the certificate connects over wss:// and is served
    Client client;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(cert));
    client.socket->setSslConfiguration(tls);
    QUrl url = host.url();
    url.setHost("127.0.0.1");
    client.open(url, m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    client.call(1, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_COMPARE(client.replies.size(), 1);
    QCOMPARE(client.replies.first().value("result").toObject().value("status").toString(), QString("BUSY"));

    // And a plain ws:// client gets no WebSocket at all
    Client plain;
    url.setScheme("ws");
    plain.open(url, m_botToken);
    QTRY_VERIFY_WITH_TIMEOUT(
        plain.closeCode != -1 || plain.socket->error() != QAbstractSocket::UnknownSocketError, 10000);
    QVERIFY(plain.replies.isEmpty());
}

void TestHub::tlsFilesMustBeReadable()
{
    hub::HubHost host(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.tlsCertificateFile = "/nonexistent/hub.pem";
    settings.tlsKeyFile = "/nonexistent/hub.key";
    host.setHubSettings(settings);
    const Status s = host.start(QHostAddress::LocalHost, 0);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().message.contains("/nonexistent/hub.pem"), qPrintable(s.error().message));
    settings.tlsKeyFile.clear();
    host.setHubSettings(settings);
    const Status half = host.start(QHostAddress::LocalHost, 0);
    QVERIFY(!half.ok());
    QVERIFY2(half.error().message.contains("both"), qPrintable(half.error().message));
}

void TestHub::burstOfRequestsIsAnsweredInOrder()
{
    // Given a connected agent
    Client client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);

    // When it sends 1000 status reports without waiting for any answer
    const QStringList statuses{"ACTIVE", "BUSY", "INACTIVE"};
    for (int i = 1; i <= 1000; ++i)
        client.call(i, "agent.setStatus", {{"status", statuses.at(i % 3)}});

    // Then every one is answered, in order, and the last one is what the database holds
    QTRY_COMPARE_WITH_TIMEOUT(client.replies.size(), 1000, 60000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(client.replies.at(i).value("id").toInt(), i + 1);
    QCOMPARE(statusInDb(kBuildBotId), statuses.at(1000 % 3));
    QCOMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
}

void TestHub::laterConnectionWinsWhateverCheckFinishesFirst_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("one hub thread") << 1;
    QTest::newRow("two hub threads") << 2;
}

void TestHub::laterConnectionWinsWhateverCheckFinishesFirst()
{
    QFETCH(int, threads);
    hub::HubHost host(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.threads = threads;
    host.setHubSettings(settings);
    CCPM_VERIFY_OK(host.start(QHostAddress::LocalHost, 0));
    for (int round = 0; round < 15; ++round) {
        // Given two connections of one agent opened back to back (their token checks race)
        Client first;
        Client second;
        first.open(host.url(), m_botToken);
        // Two threads accept in parallel: "later" is only defined once the first is accepted.
        if (threads > 1)
            QTRY_COMPARE(first.socket->state(), QAbstractSocket::ConnectedState);
        second.open(host.url(), m_botToken);

        // Then the one that arrived later stays and the earlier one is replaced
        QTRY_COMPARE(first.closeCode, int(hub::CloseCode::Replaced));
        second.call(1, "agent.setStatus", {{"status", "BUSY"}});
        QTRY_COMPARE(second.replies.size(), 1);
        QCOMPARE(second.closeCode, -1);
        QCOMPARE(statusInDb(kBuildBotId), QStringLiteral("BUSY"));
        second.socket->close();
        QTRY_COMPARE(host.connectedAgents(), 0);
    }
}

void TestHub::connectionClosedBeforeItsCheckChangesNothing()
{
    for (int round = 0; round < 15; ++round) {
        // Given a connection that closes at once, then another of the same agent
        Client gone;
        gone.open(m_hub->url(), m_botToken);
        QTRY_COMPARE(gone.socket->state(), QAbstractSocket::ConnectedState);
        gone.socket->close();
        Client live;
        live.open(m_hub->url(), m_botToken);
        QTRY_COMPARE(live.socket->state(), QAbstractSocket::ConnectedState);
        live.call(1, "agent.setStatus", {{"status", "BUSY"}});
        QTRY_COMPARE(live.replies.size(), 1);

        // Then the live one is never replaced and the agent stays BUSY
        QTest::qWait(50);
        QCOMPARE(live.closeCode, -1);
        QCOMPARE(statusInDb(kBuildBotId), QStringLiteral("BUSY"));
        live.socket->close();
        QTRY_COMPARE(statusInDb(kBuildBotId), QStringLiteral("INACTIVE"));
        QTRY_COMPARE(m_hub->connectedAgents(), 0);
    }
}

namespace {
int sum(const QList<int> &counts)
{
    return std::accumulate(counts.cbegin(), counts.cend(), 0);
}
} // namespace

void TestHub::threadsShareThePortAndTheAgents()
{
    // Given a hub with two threads
    hub::HubHost host(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.threads = 2;
    host.setHubSettings(settings);
    CCPM_VERIFY_OK(host.start(QHostAddress::LocalHost, 0));
    QCOMPARE(host.threadCount(), 2);
    // What every hub test runs on
    QCOMPARE(host.eventDispatcherName(), QString("ccpm::EpollEventDispatcher"));
    QSignalSpy presence(&host, &hub::HubHost::agentPresenceChanged);

    // When 16 connections open on its one port
    std::vector<std::unique_ptr<Client>> waiting;
    for (int i = 0; i < 16; ++i) {
        waiting.push_back(std::make_unique<Client>());
        waiting.back()->open(host.url(), QString()); // no token yet: held until agent.hello
    }

    // Then the kernel spreads them over both threads
    QTRY_COMPARE(sum(host.connectionsPerThread()), 16);
    const QList<int> spread = host.connectionsPerThread();
    QVERIFY2(spread.at(0) > 0 && spread.at(1) > 0,
             qPrintable(QStringLiteral("%1 and %2 connections").arg(spread.at(0)).arg(spread.at(1))));
    waiting.clear();
    QTRY_COMPARE(sum(host.connectionsPerThread()), 0);

    // When Build Bot connects 16 times in a row, wherever each connection lands
    std::unique_ptr<Client> previous;
    QSet<int> liveIn; // the threads that held its live connection
    for (int round = 0; round < 16; ++round) {
        auto next = std::make_unique<Client>();
        next->open(host.url(), m_botToken);
        const QString status = round % 2 ? QStringLiteral("BUSY") : QStringLiteral("ACTIVE");
        QTRY_COMPARE(next->socket->state(), QAbstractSocket::ConnectedState);
        const QJsonObject reply = next->request("agent.setStatus", {{"status", status}});
        QCOMPARE(reply.value("result").toObject().value("status").toString(), status);

        // Then each replaces the one before (4409), and only one is held
        if (previous)
            QTRY_COMPARE(previous->closeCode, int(hub::CloseCode::Replaced));
        QTRY_COMPARE(sum(host.connectionsPerThread()), 1);
        liveIn.insert(int(host.connectionsPerThread().indexOf(1)));
        QCOMPARE(statusInDb(kBuildBotId), status);
        previous = std::move(next);
    }
    QCOMPARE(liveIn.size(), 2); // replaced across threads, not only within one

    // And the agent stayed connected throughout: one "connected", its last status kept
    QCOMPARE(host.connectedAgents(), 1);
    QCOMPARE(presence.size(), 1);
    QCOMPARE(presence.at(0).at(1).toBool(), true);
    QCOMPARE(statusInDb(kBuildBotId), QStringLiteral("BUSY"));

    // When its last connection closes, it is INACTIVE and disconnected
    previous->socket->close();
    QTRY_COMPARE(statusInDb(kBuildBotId), QStringLiteral("INACTIVE"));
    QTRY_COMPARE(presence.size(), 2);
    QCOMPARE(presence.at(1).at(1).toBool(), false);
    QCOMPARE(host.connectedAgents(), 0);
}

void TestHub::portInUseIsAClearError_data()
{
    laterConnectionWinsWhateverCheckFinishesFirst_data(); // one hub thread, then two
}

void TestHub::portInUseIsAClearError()
{
    // Given a port another program listens on
    QFETCH(int, threads);
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));

    // When the hub is started on it
    hub::HubHost host(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.threads = threads;
    host.setHubSettings(settings);
    const Status started = host.start(QHostAddress::LocalHost, other.serverPort());

    // Then it says so, names the port and runs no thread
    QVERIFY(!started);
    QCOMPARE(started.error().kind, Error::Kind::Environment);
    QVERIFY2(started.error().message.contains(QString::number(other.serverPort())),
             qPrintable(started.error().message));
    QVERIFY(!host.url().isValid());
    QCOMPARE(host.threadCount(), 0);
}

void TestHub::settingsFileSetsTheHub()
{
    // Given a settings file with a [hub] group, one value not a number and one not positive
    QTemporaryDir dir;
    QSettings file(dir.filePath("ccpm-desk.conf"), QSettings::IniFormat);
    file.setValue("hub/threads", 3);
    file.setValue("hub/maxConnections", 50);
    file.setValue("hub/pingIntervalMs", "often");
    file.setValue("hub/maxRequests", -5);
    file.setValue("hub/allowedOrigins", QStringList{"https://tools.example.com"});

    // Then its numbers replace the defaults, and the rest keep theirs
    const hub::HubSettings read = hub::HubSettings::fromSettings(file);
    const hub::HubSettings defaults;
    QCOMPARE(read.threads, 3);
    QCOMPARE(read.maxConnections, 50);
    QCOMPARE(read.pingIntervalMs, defaults.pingIntervalMs);
    QCOMPARE(read.maxRequests, defaults.maxRequests);
    QCOMPARE(read.allowedOrigins, QStringList{"https://tools.example.com"});

    // And a hub started with it runs that many threads
    hub::HubHost host(m_db->settings(), *m_feed);
    host.setHubSettings(read);
    CCPM_VERIFY_OK(host.start(QHostAddress::LocalHost, 0));
    QCOMPARE(host.threadCount(), 3);
    QCOMPARE(host.connectionsPerThread(), QList<int>({0, 0, 0}));
}

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
