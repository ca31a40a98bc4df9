#include "hub/hubserver.h"

#include "hub/agentconnection.h"

#include <QLoggingCategory>
#include <QWebSocketCorsAuthenticator>

#include <QCoro/QCoroSignal>

Q_LOGGING_CATEGORY(lcHubServer, "ccpm.hub")

namespace ccpm::hub {

namespace {
constexpr quint64 kMaxMessageBytes = 1024 * 1024;
} // namespace

HubServer::HubServer(DbExecutor &executor, ChangeFeed &feed, HubSettings settings, QObject *parent)
    : QObject(parent)
    , m_server(QStringLiteral("ccpm-desk hub"), QWebSocketServer::NonSecureMode)
    , m_executor(&executor)
    , m_settings(settings)
    , m_statusWriter(executor, feed)
    , m_tasks(executor, feed)
    , m_messages(executor, feed)
    , m_services{&executor, &m_statusWriter, &m_tasks, &m_messages, &m_settings}
    , m_notifier(executor, feed, [this](const QString &agentId, const QByteArray &frame) {
        AgentConnection *connection = m_byAgent.value(agentId);
        return connection && connection->notify(frame);
    })
{
    m_tasks.setOnChanged([this](const QString &agentId, const TaskRow &task) {
        m_notifier.taskChangedByAgent(agentId, task);
    });
    connect(&m_server, &QWebSocketServer::newConnection, this, &HubServer::onNewConnection);
    // Qt asks for every handshake, with an empty origin when there is no Origin header (agents
    // send none; browsers always do).
    connect(&m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                const bool allowed = authenticator->origin().isEmpty() ||
                                     m_settings.allowedOrigins.contains(authenticator->origin());
                if (!allowed)
                    qCInfo(lcHubServer).noquote()
                        << "refused a handshake from origin" << authenticator->origin();
                authenticator->setAllowed(allowed);
            });
}

HubServer::~HubServer()
{
    m_server.close();
}

Status HubServer::listen(const QHostAddress &address, quint16 port)
{
    // Tokens travel in clear over ws://: until the hub speaks TLS, it serves this machine only.
    if (!address.isLoopback())
        return Error{
            Error::Kind::Invalid,
            QStringLiteral("The agent hub only listens on a loopback address (127.0.0.1 or ::1); %1 would "
                           "send agent tokens over the network unencrypted.")
                .arg(address.toString()),
            QStringLiteral("TLS for remote agents is planned; until then run the agents on this machine."),
            {}};
    if (!m_server.listen(address, port))
        return Error{Error::Kind::Environment,
                     QStringLiteral("The agent hub cannot listen on %1:%2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(m_server.errorString()),
                     QStringLiteral("Choose another port with --hub-port, or 0 to turn the hub off."),
                     {}};
    return Done{};
}

QUrl HubServer::url() const
{
    return m_server.isListening() ? m_server.serverUrl() : QUrl();
}

void HubServer::onNewConnection()
{
    while (QWebSocket *raw = m_server.nextPendingConnection()) {
        // One JSON-RPC request is small; a larger frame is closed with 1009 (RFC 6455 7.4.1).
        raw->setMaxAllowedIncomingFrameSize(kMaxMessageBytes);
        raw->setMaxAllowedIncomingMessageSize(kMaxMessageBytes);
        auto *connection =
            new AgentConnection(std::unique_ptr<QWebSocket>(raw), ++m_accepted, m_services, this);
        m_connections.insert(connection);
        connect(connection, &AgentConnection::authenticated, this,
                [this, connection](const QString &agentId) { onAuthenticated(connection, agentId); });
        connect(connection, &AgentConnection::finished, this, [this, connection] { onFinished(connection); });
    }
}

void HubServer::onAuthenticated(AgentConnection *connection, const QString &agentId)
{
    if (AgentConnection *previous = m_byAgent.value(agentId); previous && previous != connection) {
        // The connection that arrived last wins, whichever token check finished first; the loser
        // must not mark the agent INACTIVE on its way out.
        if (previous->sequence() > connection->sequence()) {
            connection->closeWith(CloseCode::Replaced,
                                  QStringLiteral("a newer connection of this agent is open"), false);
            return;
        }
        previous->closeWith(CloseCode::Replaced, QStringLiteral("replaced by a newer connection"), false);
    }
    const bool arrived = !m_byAgent.contains(agentId);
    m_byAgent.insert(agentId, connection);
    m_notifier.agentConnected(agentId);
    if (arrived) {
        emit connectedAgentsChanged(connectedAgents());
        emit agentPresenceChanged(agentId, true);
    }
}

void HubServer::onFinished(AgentConnection *connection)
{
    m_connections.remove(connection);
    const QString agentId = connection->agentId();
    if (!agentId.isEmpty() && m_byAgent.value(agentId) == connection) {
        m_byAgent.remove(agentId);
        m_notifier.agentDisconnected(agentId);
        emit connectedAgentsChanged(connectedAgents());
        emit agentPresenceChanged(agentId, false);
    }
}

QCoro::Task<> HubServer::shutdown()
{
    m_server.close();
    const auto connections = m_connections;
    for (AgentConnection *connection : connections)
        connection->closeWith(CloseCode::GoingAway, QStringLiteral("the hub is shutting down"), true);
    while (!m_connections.isEmpty()) {
        AgentConnection *connection = *m_connections.begin();
        co_await qCoro(connection, &AgentConnection::finished);
    }
}

} // namespace ccpm::hub
