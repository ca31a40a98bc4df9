// The hub's limits over real loopback sockets against a real server (docs/agent-protocol.md,
// "Limits"): failed logins throttled per address, a cap on connections, many handshakes at
// once, and a peer that stops reading cut off before it costs unbounded memory.
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "testdatabase.h"

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

private:
    QString token(const QString &agent)
    {
        auto created = QCoro::waitFor(AgentTokenRepository(*m_executor).create(agent, "limits test"));
        return created ? created->token : QString();
    }
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
    const QString good = token(kBuildBot);

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
    openAndSettle(bot, hub->url(), token(kBuildBot));
    openAndSettle(assistant, hub->url(), token(kAssistant));
    QCOMPARE(hub->connectedAgents(), 2);

    // When a third connects, it is closed with 4503 (the hub is full)
    openAndSettle(expert, hub->url(), token(kExpert));
    QCOMPARE(expert.closeCode, 4503);
    QCOMPARE(hub->connectedAgents(), 2);

    // And once one leaves, it gets in
    bot.socket->close();
    QTRY_COMPARE(hub->connectedAgents(), 1);
    HubClient retry;
    openAndSettle(retry, hub->url(), token(kExpert));
    QCOMPARE(retry.closeCode, -1);
    QCOMPARE(hub->connectedAgents(), 2);
}

void TestHubLimits::manyHandshakesAtOnce()
{
    // Given the default hub (1,024 pending handshakes, where Qt's default is 30)
    auto hub = startHub(hub::HubSettings{});
    QVERIFY(hub);
    const QString bearer = token(kBuildBot);

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
            .arg(token(kBuildBot))
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

QTEST_GUILESS_MAIN(TestHubLimits)
#include "tst_hublimits.moc"
