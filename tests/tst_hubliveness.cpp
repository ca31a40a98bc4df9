// Heartbeats over real loopback sockets: the hub pings, a peer that answers (any WebSocket
// library answers pings by itself) stays connected, and a peer that stays silent (a raw TCP
// socket that finished the handshake and then reads nothing) is closed and its agent marked
// INACTIVE with lastSeenAt. Intervals are shortened through HubSettings.
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {
const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");
} // namespace

class TestHubLiveness : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void silentPeerIsClosedAndMarkedInactive();
    void answeringPeerStaysConnected();
    void requestFloodIsRateLimited();

private:
    QString agentField(const QString &agent, const QString &expression) const
    {
        return m_db
            ->scalar(QStringLiteral("SELECT (%1)::text FROM agents WHERE id = '%2'").arg(expression, agent))
            .toString();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<hub::HubHost> m_hub;
};

void TestHubLiveness::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("hubliveness");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.pingIntervalMs = 100;
    settings.silenceTimeoutMs = 400;
    settings.closeGraceMs = 200;
    settings.maxRequests = 20;
    settings.windowMs = 60000;
    m_hub->setHubSettings(settings);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));
}

void TestHubLiveness::cleanupTestCase()
{
    m_hub.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestHubLiveness::silentPeerIsClosedAndMarkedInactive()
{
    // Given Build Bot BUSY, never seen
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE agents SET status = 'BUSY', \"lastSeenAt\" = NULL WHERE id = '%1'")
                       .arg(kBuildBot)));
    const QString bearer = newAgentToken(*m_executor, kBuildBot);
    QVERIFY(!bearer.isEmpty());

    // When a peer completes the WebSocket handshake with its token, then answers nothing
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, quint16(m_hub->url().port()));
    QVERIFY(raw.waitForConnected(5000));
    raw.write(
        QStringLiteral("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                       "Authorization: Bearer %1\r\n\r\n")
            .arg(bearer)
            .toLatin1());
    QTRY_VERIFY(raw.bytesAvailable() > 0);
    QVERIFY2(raw.readAll().startsWith("HTTP/1.1 101"), "the handshake is accepted");

    // Then the hub closes it after the silence timeout, and the agent is INACTIVE, last seen now
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(agentField(kBuildBot, "status"), QStringLiteral("INACTIVE"));
    QVERIFY(!agentField(kBuildBot, "\"lastSeenAt\"").isEmpty());
}

void TestHubLiveness::answeringPeerStaysConnected()
{
    // Given the Assistant connected with a real WebSocket client, which answers pings
    HubClient assistant;
    assistant.open(m_hub->url(), newAgentToken(*m_executor, kAssistant));
    QTRY_COMPARE(assistant.socket->state(), QAbstractSocket::ConnectedState);
    assistant.call(1, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_VERIFY(!assistant.reply(1).isEmpty());

    // When it sends nothing for three silence timeouts
    QTest::qWait(1200);

    // Then it is still connected and still BUSY
    QCOMPARE(assistant.socket->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(assistant.closeCode, -1);
    QCOMPARE(agentField(kAssistant, "status"), QStringLiteral("BUSY"));
}

void TestHubLiveness::requestFloodIsRateLimited()
{
    // Given an agent connected (20 requests per minute in this test's settings)
    HubClient flood;
    flood.open(m_hub->url(), newAgentToken(*m_executor, kBuildBot));
    QTRY_COMPARE(flood.socket->state(), QAbstractSocket::ConnectedState);

    // When it sends 30 status reports without waiting, the last one INACTIVE
    for (int id = 1; id <= 30; ++id)
        flood.call(id, "agent.setStatus", {{"status", id == 30 ? "INACTIVE" : "BUSY"}});
    QTRY_COMPARE(flood.replies.size(), 30);

    // Then 20 are carried out and 10 refused with -32005 and a retry time, in order
    for (int id = 1; id <= 30; ++id) {
        const QJsonObject reply = flood.reply(id);
        if (id <= 20) {
            QVERIFY2(reply.contains("result"), qPrintable(QString::number(id)));
        } else {
            QCOMPARE(reply.value("error").toObject().value("code").toInt(), -32005);
            QVERIFY(reply.value("error").toObject().value("data").toObject().value("retryAfterMs").toInt() >
                    0);
        }
    }
    QCOMPARE(agentField(kBuildBot, "status"), QStringLiteral("BUSY")); // the refused INACTIVE never ran
    QCOMPARE(flood.socket->state(), QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(TestHubLiveness)
#include "tst_hubliveness.moc"
