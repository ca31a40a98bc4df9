// The hub's limits over real loopback sockets against a real server (docs/agent-protocol.md,
// "Limits"): failed logins throttled per address, a cap on connections, many handshakes at
// once, and a peer that stops reading cut off before it costs unbounded memory.
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {

const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");
const QString kExpert = QStringLiteral("cmx1zcg8p00048e7dw945wyv7");

/// A client-to-server text frame (RFC 6455 5.2), masked with the all-zero key (legal, and the
/// payload then reads as is).
QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((n >> shift) & 0xff));
    }
    frame.append(4, '\0');
    return frame + payload;
}

} // namespace

class TestHubLimits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void failedLoginsAreThrottledPerAddress();
    void connectionsAreCapped();
    void manyHandshakesAtOnce();
    void peerThatStopsReadingIsCutOff();
    void aReadingPeerGetsRepliesLargerThanTheQueueLimit();
    void pingFloodIsCutOff();
    void socketsWithoutHandshakeAreDropped();
    void requestsPilingUpCloseWith1008();
    void binaryFramesAreRateLimitedAndInOrder();
    void emptyFramesCountAgainstTheRequestQueue();

private:
    std::unique_ptr<hub::HubHost> startHub(const hub::HubSettings &settings)
    {
        auto host = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
        host->setHubSettings(settings);
        return host->start(QHostAddress::LocalHost, 0) ? std::move(host) : nullptr;
    }
    /// Opens a client and waits until the hub closed it or answered a first call.
    static void openAndSettle(HubClient &client, const QUrl &url, const QString &token)
    {
        client.open(url, token);
        QTRY_VERIFY_WITH_TIMEOUT(
            client.socket->state() == QAbstractSocket::ConnectedState || client.closeCode != -1, 10000);
        if (client.closeCode != -1)
            return;
        client.call(1, "task.list", {});
        QTRY_VERIFY_WITH_TIMEOUT(!client.reply(1).isEmpty() || client.closeCode != -1, 10000);
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
};

void TestHubLimits::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("hublimits");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
}

void TestHubLimits::cleanupTestCase()
{
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestHubLimits::failedLoginsAreThrottledPerAddress()
{
    // Given a hub that throttles an address after 3 failed logins to one check per 500 ms
    hub::HubSettings settings;
    settings.maxFailedLogins = 3;
    settings.throttledLoginIntervalMs = 500;
    auto hub = startHub(settings);
    QVERIFY(hub);
    const QString good = newAgentToken(*m_executor, kBuildBot);

    // When 3 wrong tokens are tried from 127.0.0.1, each is refused with 4401
    for (int i = 0; i < 3; ++i) {
        HubClient guess;
        openAndSettle(guess, hub->url(), QString("ccpm_wrong%1").arg(i));
        QCOMPARE(guess.closeCode, 4401);
    }

    // Then one check gets through: a right token connects
    HubClient first;
    openAndSettle(first, hub->url(), good);
    QCOMPARE(first.closeCode, -1);
    QVERIFY(first.reply(1).contains("result"));

    // And the next attempt within 500 ms is closed with 4429 before any check, right token or not
    HubClient tooSoon;
    openAndSettle(tooSoon, hub->url(), good);
    QCOMPARE(tooSoon.closeCode, 4429);
    QVERIFY2(tooSoon.socket->closeReason().contains("retry in"), qPrintable(tooSoon.socket->closeReason()));

    // And after the interval, the agent gets in again (it replaces its first connection)
    QTest::qWait(600);
    HubClient later;
    openAndSettle(later, hub->url(), good);
    QCOMPARE(later.closeCode, -1);
    QVERIFY(later.reply(1).contains("result"));
}

void TestHubLimits::connectionsAreCapped()
{
    // Given a hub that holds 2 connections, with 2 agents connected
    hub::HubSettings settings;
    settings.maxConnections = 2;
    auto hub = startHub(settings);
    QVERIFY(hub);
    HubClient bot, assistant, expert;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot));
    openAndSettle(assistant, hub->url(), newAgentToken(*m_executor, kAssistant));
    QCOMPARE(hub->connectedAgents(), 2);

    // When a third connects, it is closed with 4503 (the hub is full)
    openAndSettle(expert, hub->url(), newAgentToken(*m_executor, kExpert));
    QCOMPARE(expert.closeCode, 4503);
    QCOMPARE(hub->connectedAgents(), 2);

    // And once one leaves, it gets in
    bot.socket->close();
    QTRY_COMPARE(hub->connectedAgents(), 1);
    HubClient retry;
    openAndSettle(retry, hub->url(), newAgentToken(*m_executor, kExpert));
    QCOMPARE(retry.closeCode, -1);
    QCOMPARE(hub->connectedAgents(), 2);
}

void TestHubLimits::manyHandshakesAtOnce()
{
    // Given the default hub (1,024 pending handshakes, where Qt's default is 30)
    auto hub = startHub(hub::HubSettings{});
    QVERIFY(hub);
    const QString bearer = newAgentToken(*m_executor, kBuildBot);

    // When 300 connections open at once (one agent: each replaces the one before)
    std::vector<std::unique_ptr<HubClient>> clients;
    int upgraded = 0;
    for (int i = 0; i < 300; ++i) {
        clients.push_back(std::make_unique<HubClient>());
        QObject::connect(clients.back()->socket.get(), &QWebSocket::connected, [&upgraded] { ++upgraded; });
        clients.back()->open(hub->url(), bearer);
    }

    // Then every handshake completes: none is reset or dropped
    QTRY_COMPARE_WITH_TIMEOUT(upgraded, 300, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(hub->connectedAgents(), 1, 10000);
}

void TestHubLimits::peerThatStopsReadingIsCutOff()
{
    // Given a hub that queues at most 1 MiB to a peer, and Build Bot connected over a raw socket
    // that never reads (a 4 KiB buffer that stays full)
    hub::HubSettings settings;
    settings.maxQueuedBytes = 1024 * 1024;
    auto hub = startHub(settings);
    QVERIFY(hub);
    QTcpSocket raw;
    raw.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    raw.setReadBufferSize(4096);
    raw.connectToHost(QHostAddress::LocalHost, quint16(hub->url().port()));
    QVERIFY(raw.waitForConnected(5000));
    raw.write(
        QStringLiteral("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                       "Authorization: Bearer %1\r\n\r\n")
            .arg(newAgentToken(*m_executor, kBuildBot))
            .toLatin1());
    QTRY_VERIFY(raw.bytesAvailable() > 0);
    QVERIFY(raw.read(12).startsWith("HTTP/1.1 101"));
    QTRY_COMPARE(hub->connectedAgents(), 1);

    // When it sends 60 requests whose replies echo a 400 kB id (24 MB in all) and reads nothing
    const QByteArray request =
        R"({"jsonrpc":"2.0","method":"nope","id":")" + QByteArray(400 * 1000, 'x') + R"("})";
    for (int i = 0; i < 60 && raw.state() == QAbstractSocket::ConnectedState; ++i) {
        raw.write(maskedTextFrame(request));
        QTest::qWait(20);
    }

    // Then the hub cuts it off, and the agent is INACTIVE
    QTRY_COMPARE_WITH_TIMEOUT(hub->connectedAgents(), 0, 20000);
    QTRY_COMPARE(
        m_db->scalar(QString("SELECT status::text FROM agents WHERE id = '%1'").arg(kBuildBot)).toString(),
        QString("INACTIVE"));
}

void TestHubLimits::aReadingPeerGetsRepliesLargerThanTheQueueLimit()
{
    // Given a hub that queues at most 256 KiB to a peer that stopped reading, and Build Bot
    // connected with a client that reads
    hub::HubSettings settings;
    settings.maxQueuedBytes = 256 * 1024;
    auto hub = startHub(settings);
    QVERIFY(hub);
    HubClient bot;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot));
    QCOMPARE(bot.closeCode, -1);

    // When it lists its tasks three times, one after another, and one task carries 600 kB of
    // metadata (each reply is larger than what may wait for a peer that does not read)
    const QString task = insertTask(*m_db, kBuildBot, "ASSIGNED");
    auto removeTask = qScopeGuard([this, task] { // later tests connect as Build Bot too
        m_db->scalar(QString("DELETE FROM tasks WHERE id = '%1' RETURNING 1").arg(task));
    });
    QCOMPARE(
        m_db->scalar(QString("UPDATE tasks SET metadata = jsonb_build_object('blob', repeat('x', 600000)) "
                             "WHERE id = '%1' RETURNING 1")
                         .arg(task))
            .toInt(),
        1);
    QList<QJsonObject> replies;
    for (int i = 0; i < 3; ++i)
        replies << bot.request("task.list", {});

    // Then each reply arrives whole, and the connection stays
    for (const QJsonObject &reply : replies) {
        const QJsonArray tasks = reply.value("result").toObject().value("tasks").toArray();
        QVERIFY(std::any_of(tasks.begin(), tasks.end(), [&](const QJsonValue &t) {
            return t.toObject().value("id").toString() == task &&
                   t.toObject().value("metadata").toObject().value("blob").toString().size() == 600000;
        }));
    }
    QCOMPARE(bot.socket->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(hub->connectedAgents(), 1);
}

void TestHubLimits::pingFloodIsCutOff()
{
    // Given a hub that queues at most 256 KiB to a peer, and a raw peer that never reads and
    // has not even authenticated
    hub::HubSettings settings;
    settings.maxQueuedBytes = 256 * 1024;
    auto hub = startHub(settings);
    QVERIFY(hub);
    QTcpSocket raw;
    raw.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    raw.setReadBufferSize(4096);
    raw.connectToHost(QHostAddress::LocalHost, quint16(hub->url().port()));
    QVERIFY(raw.waitForConnected(5000));
    raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(raw.bytesAvailable() > 0);
    QVERIFY(raw.read(12).startsWith("HTTP/1.1 101"));

    // When it floods pings (125 bytes each, masked), whose pongs Qt queues on its own
    QByteArray ping;
    ping.append(char(0x89)).append(char(0x80 | 125)).append(4, '\0').append(125, 'P');
    QByteArray burst;
    for (int i = 0; i < 2000; ++i)
        burst += ping;
    for (int i = 0; i < 100 && raw.state() == QAbstractSocket::ConnectedState; ++i) {
        raw.write(burst);
        QTest::qWait(10);
    }

    // Then the hub cuts it off long before the hello timeout
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestHubLimits::socketsWithoutHandshakeAreDropped()
{
    hub::HubSettings settings;
    settings.handshakeTimeoutMs = 300;
    auto hub = startHub(settings);
    QVERIFY(hub);
    // An idle TCP connection, and one that sends its handshake one byte at a time
    QTcpSocket idle, slow;
    idle.connectToHost(QHostAddress::LocalHost, quint16(hub->url().port()));
    slow.connectToHost(QHostAddress::LocalHost, quint16(hub->url().port()));
    QVERIFY(idle.waitForConnected(5000) && slow.waitForConnected(5000));
    const QByteArray request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < request.size() && slow.state() == QAbstractSocket::ConnectedState; ++i) {
        slow.write(request.mid(i, 1));
        QTest::qWait(50);
    }
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::UnconnectedState, 3000);
    QVERIFY(timer.elapsed() < 3000);
    // And a real agent still gets in
    HubClient bot;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot));
    QCOMPARE(bot.closeCode, -1);
}

void TestHubLimits::requestsPilingUpCloseWith1008()
{
    // Given a hub that lets at most 1 MiB of requests wait per connection
    hub::HubSettings settings;
    settings.maxQueuedBytes = 1024 * 1024;
    auto hub = startHub(settings);
    QVERIFY(hub);
    HubClient bot;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot));
    QCOMPARE(bot.closeCode, -1);

    // When it pipelines 40 requests of 400 kB (16 MB) that each need the database
    const QByteArray request = R"({"jsonrpc":"2.0","id":7,"method":"task.list","params":{"padding":")" +
                               QByteArray(400 * 1000, 'x') + R"("}})";
    for (int i = 0; i < 40; ++i)
        bot.send(request);

    // Then the hub closes with 1008 instead of holding them all
    QTRY_COMPARE_WITH_TIMEOUT(bot.closeCode, 1008, 20000);
}

void TestHubLimits::binaryFramesAreRateLimitedAndInOrder()
{
    hub::HubSettings settings;
    settings.maxRequests = 5;
    settings.windowMs = 60000;
    auto hub = startHub(settings);
    QVERIFY(hub);
    HubClient bot;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot)); // one request used
    // A text request, a binary frame, then 4 binary frames: answered in order, the last two refused
    bot.call(2, "task.list", {});
    for (int i = 0; i < 5; ++i)
        bot.socket->sendBinaryMessage("x");
    QTRY_COMPARE(bot.replies.size(), 7);
    QCOMPARE(bot.replies.at(1).value("id").toInt(), 2);
    for (int i = 2; i < 5; ++i)
        QCOMPARE(bot.replies.at(i).value("error").toObject().value("code").toInt(), -32600);
    for (int i = 5; i < 7; ++i)
        QCOMPARE(bot.replies.at(i).value("error").toObject().value("code").toInt(), -32005);

    // And a binary frame instead of agent.hello is refused like any other first frame
    HubClient anonymous;
    anonymous.open(hub->url(), QString());
    QTRY_COMPARE(anonymous.socket->state(), QAbstractSocket::ConnectedState);
    anonymous.socket->sendBinaryMessage("hello?");
    QTRY_COMPARE_WITH_TIMEOUT(anonymous.closeCode, 4401, 5000);
}

void TestHubLimits::emptyFramesCountAgainstTheRequestQueue()
{
    // Given a hub that lets at most 8 KiB of requests wait per connection, Build Bot connected,
    // and its agents row locked by another session, so that its status report waits
    hub::HubSettings settings;
    settings.maxQueuedBytes = 8 * 1024;
    auto hub = startHub(settings);
    QVERIFY(hub);
    HubClient bot;
    openAndSettle(bot, hub->url(), newAgentToken(*m_executor, kBuildBot));
    QCOMPARE(bot.closeCode, -1);
    QSqlDatabase other = m_db->connection();
    QVERIFY(other.transaction());
    QSqlQuery lock(other);
    QVERIFY(lock.exec(QString("SELECT 1 FROM agents WHERE id = '%1' FOR UPDATE").arg(kBuildBot)));
    auto release = qScopeGuard([&other] { other.rollback(); }); // also when a check fails

    // When it sends a status report, then 1,000 empty binary frames (no payload at all)
    bot.call(2, "agent.setStatus", {{"status", "BUSY"}});
    for (int i = 0; i < 1000; ++i)
        bot.socket->sendBinaryMessage(QByteArray());

    // Then the frames waiting behind the report fill the queue: the hub closes the connection
    // while the report still waits (1008; a close frame the client may lose to a reset, 1006)
    QTRY_VERIFY_WITH_TIMEOUT(bot.closeCode != -1, 10000);
    QVERIFY2(bot.closeCode == 1008 || bot.closeCode == 1006, qPrintable(QString::number(bot.closeCode)));
    release.dismiss();
    QVERIFY(other.rollback());
    QTRY_COMPARE(hub->connectedAgents(), 0);
}

QTEST_GUILESS_MAIN(TestHubLimits)
#include "tst_hublimits.moc"
