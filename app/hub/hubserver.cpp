#include "hub/hubserver.h"

#include "hub/agentconnection.h"
#include "hub/sharedlistener.h"

#include "agenttokenrepository.h"

#include <QFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslKey>
#include <QSslServer>
#include <QWebSocketCorsAuthenticator>

#include <QCoro/QCoroSignal>

#include <sys/resource.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHubServer, "ccpm.hub")

namespace ccpm::hub {

namespace {

Error invalid(const QString &message, const QString &detail = {})
{
    return Error{Error::Kind::Invalid, message, detail, {}};
}

// Every connection is a file descriptor: lift the soft limit to the hard one (often 1024 →
// 524288), so that maxConnections is reachable without the user running `ulimit -n`.
void raiseFileLimit(int wanted)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= rlim_t(wanted) + 256)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
        qCInfo(lcHubServer) << "open-file limit raised from" << before << "to" << limit.rlim_cur;
    if (limit.rlim_cur < rlim_t(wanted) + 256)
        qCWarning(lcHubServer) << "the open-file limit" << limit.rlim_cur << "is below the" << wanted
                               << "connections the hub may hold";
}

Result<QSslConfiguration> tlsConfiguration(const HubSettings &settings)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(settings.tlsCertificateFile, QSsl::Pem);
    if (chain.isEmpty())
        return invalid(
            QStringLiteral("No PEM certificate could be read from %1.").arg(settings.tlsCertificateFile),
            QStringLiteral("--hub-tls-cert takes a PEM file with the certificate (and its chain)."));
    QFile keyFile(settings.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return invalid(
            QStringLiteral("Cannot read the TLS key %1: %2").arg(settings.tlsKeyFile, keyFile.errorString()));
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return invalid(QStringLiteral("No unencrypted PEM private key (RSA or EC) could be read from %1.")
                           .arg(settings.tlsKeyFile));
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(chain.first());
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // agents authenticate with their token
    config.setProtocol(QSsl::TlsV1_2OrLater);
    return config;
}

} // namespace

HubServer::HubServer(DbExecutor &executor, ChangeFeed &feed, HubRegistry &registry, HubSettings settings,
                     QObject *parent)
    : QObject(parent)
    , m_executor(&executor)
    , m_registry(&registry)
    , m_settings(settings)
    , m_server(QStringLiteral("ccpm-desk hub"), QWebSocketServer::NonSecureMode)
    , m_statusWriter(executor, feed)
    , m_tasks(executor, feed)
    , m_messages(executor, feed)
    , m_services{&executor, &m_statusWriter, &m_tasks, &m_messages, &m_settings, &registry}
    , m_notifier(executor, feed, [this](const QString &agentId, const QByteArray &frame) {
        AgentConnection *connection = m_byAgent.value(agentId);
        return connection && connection->notify(frame);
    })
{
    m_server.setHandshakeTimeout(m_settings.handshakeTimeoutMs);
    // Pongs to a ping flood are queued by Qt without us sending anything: look regularly.
    m_watchdog.setInterval(250);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        const auto connections = m_connections;
        for (AgentConnection *connection : connections)
            connection->checkOutgoing();
    });
    m_watchdog.start();
    m_tasks.setOnChanged([this](const TaskRow &task) { m_notifier.taskChangedByAgent(task); });
    connect(&feed, &ChangeFeed::rowsChanged, this,
            [this](const QString &table, const QStringList &ids, ChangeFeed::Op op, const QString &) {
                const bool agentDeleted = table == QLatin1String("agents") && op == ChangeFeed::Op::Delete;
                if (!agentDeleted && table != QLatin1String("agent_tokens"))
                    return; // not about credentials (the hub's own status writes: thousands a second)
                for (const QString &id : ChangeFeed::eachId(ids))
                    onCredentialsChanged(table, id, op);
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
    m_registry->forget(this); // connections still open after a shutdown that timed out
    if (m_listener)
        m_listener->close();
}

Status HubServer::createListener()
{
    const bool tls = !m_settings.tlsCertificateFile.isEmpty() || !m_settings.tlsKeyFile.isEmpty();
    if (!tls) {
        m_listener = std::make_unique<QTcpServer>();
        return Done{};
    }
    if (m_settings.tlsCertificateFile.isEmpty() || m_settings.tlsKeyFile.isEmpty())
        return invalid(QStringLiteral("TLS needs both --hub-tls-cert and --hub-tls-key."));
    Result<QSslConfiguration> config = tlsConfiguration(m_settings);
    if (!config)
        return config.error();
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(*config);
    connect(server.get(), &QSslServer::errorOccurred, this,
            [](QSslSocket *socket, QAbstractSocket::SocketError) {
                qCInfo(lcHubServer).noquote() << "TLS handshake with" << socket->peerAddress().toString()
                                              << "failed:" << socket->errorString();
            });
    m_listener = std::move(server);
    return Done{};
}

Status HubServer::listen(const QHostAddress &address, quint16 port, bool shared)
{
    const bool tls = !m_settings.tlsCertificateFile.isEmpty() || !m_settings.tlsKeyFile.isEmpty();
    if (!address.isLoopback() && !tls && !m_settings.allowInsecure)
        return invalid(
            QStringLiteral("The agent hub listens on %1 only with TLS: agent tokens would cross the network "
                           "unencrypted.")
                .arg(address.toString()),
            QStringLiteral(
                "Give --hub-tls-cert and --hub-tls-key (PEM files), or --hub-insecure on a network "
                "you trust, or listen on 127.0.0.1."));
    if (Status s = createListener(); !s)
        return s;
    raiseFileLimit(m_settings.maxConnections);
    m_listener->setMaxPendingConnections(m_settings.maxPendingHandshakes);
    m_listener->setListenBacklogSize(m_settings.maxPendingHandshakes);
    m_server.setMaxPendingConnections(m_settings.maxPendingHandshakes);
    // QSslServer announces a socket once its TLS handshake is done (pendingConnectionAvailable,
    // Qt 6.4); newConnection may come earlier, with nothing pending yet.
    connect(m_listener.get(), &QTcpServer::pendingConnectionAvailable, this, &HubServer::onTcpConnection);
    connect(m_listener.get(), &QTcpServer::newConnection, this, &HubServer::onTcpConnection);
    if (shared) {
        const Result<qintptr> socket = openSharedListener(address, port, m_settings.maxPendingHandshakes);
        if (!socket)
            return socket.error();
        if (!m_listener->setSocketDescriptor(*socket)) {
            ::close(int(*socket));
            return cannotListen(address, port, m_listener->errorString());
        }
        return Done{};
    }
    if (!m_listener->listen(address, port))
        return cannotListen(address, port, m_listener->errorString());
    return Done{};
}

QUrl HubServer::url() const
{
    if (!m_listener || !m_listener->isListening())
        return {};
    QUrl url;
    url.setScheme(qobject_cast<QSslServer *>(m_listener.get()) ? QStringLiteral("wss")
                                                               : QStringLiteral("ws"));
    url.setHost(m_listener->serverAddress().toString());
    url.setPort(m_listener->serverPort());
    return url;
}

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char(':') + QString::number(port);
}
} // namespace

void HubServer::onTcpConnection()
{
    // With TLS, QSslServer hands over sockets whose TLS handshake is done.
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        m_upgrading.removeIf([](const auto &it) { return it.value().socket.isNull(); });
        if (m_upgrading.size() >= m_settings.maxPendingHandshakes) {
            qCWarning(lcHubServer).noquote() << "dropped" << socket->peerAddress().toString() << ":"
                                             << m_upgrading.size() << "handshakes pending";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Replies are small frames written as they are ready: without TCP_NODELAY, a reply behind
        // an unacknowledged one waits for the agent's delayed ACK (Nagle, RFC 896), about 40 ms.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString key = peerKey(socket->peerAddress(), socket->peerPort());
        // Numbered on arrival: of two connections of one agent, the one accepted later wins.
        m_upgrading.insert(key, Upgrading{socket, m_registry->nextSequence()});
        // Idle and slow-loris sockets: no upgrade in time, no slot.
        QTimer::singleShot(m_settings.handshakeTimeoutMs, socket, [this, key, socket] {
            if (m_upgrading.value(key).socket == socket) {
                m_upgrading.remove(key);
                qCInfo(lcHubServer).noquote() << "dropped" << key << ": no WebSocket handshake in time";
                socket->abort();
            }
        });
        m_server.handleConnection(socket);
    }
}

void HubServer::onNewConnection()
{
    while (QWebSocket *raw = m_server.nextPendingConnection()) {
        const quint64 accepted = m_upgrading.take(peerKey(raw->peerAddress(), raw->peerPort())).sequence;
        const quint64 sequence = accepted > 0 ? accepted : m_registry->nextSequence(); // 0: not found
        // One JSON-RPC request is small; a larger frame is closed with 1009 (RFC 6455 7.4.1).
        raw->setMaxAllowedIncomingFrameSize(quint64(m_settings.maxMessageBytes));
        raw->setMaxAllowedIncomingMessageSize(quint64(m_settings.maxMessageBytes));
        const QHostAddress peer = raw->peerAddress();
        if (!m_registry->reserveConnection()) {
            qCWarning(lcHubServer).noquote() << "refused" << peer.toString() << ": already"
                                             << m_registry->openConnections() << "connections";
            raw->close(toQt(CloseCode::HubFull), QStringLiteral("the hub is full: try again later"));
            raw->deleteLater();
            continue;
        }
        if (!m_registry->admitLogin(peer)) {
            m_registry->releaseConnection();
            raw->close(toQt(CloseCode::TooManyFailures),
                       QStringLiteral("too many failed logins from this address: retry in %1 ms")
                           .arg(std::max<qint64>(1, m_registry->loginRetryAfter(peer))));
            raw->deleteLater();
            continue;
        }
        auto *connection = new AgentConnection(std::unique_ptr<QWebSocket>(raw), sequence, m_services, this);
        m_connections.insert(connection);
        ++m_held;
        connect(connection, &AgentConnection::authenticated, this,
                [this, connection](const QString &agentId) { onAuthenticated(connection, agentId); });
        connect(connection, &AgentConnection::tokenRefused, this,
                [this, peer] { m_registry->loginFailed(peer); });
        connect(connection, &AgentConnection::finished, this, [this, connection] { onFinished(connection); });
    }
}

void HubServer::onAuthenticated(AgentConnection *connection, const QString &agentId)
{
    const HubRegistry::Claim claim = m_registry->claim(agentId, this, connection->sequence());
    if (claim.kind == HubRegistry::Claim::Superseded) {
        // The loser must not mark the agent INACTIVE on its way out.
        connection->closeWith(CloseCode::Replaced, QStringLiteral("a newer connection of this agent is open"),
                              false);
        return;
    }
    if (claim.kind == HubRegistry::Claim::Replacing) // held here; another thread's is told by claim()
        closeReplaced(agentId, claim.previous);
    m_byAgent.insert(agentId, connection);
    m_notifier.agentConnected(agentId);
}

void HubServer::closeReplaced(const QString &agentId, quint64 sequence)
{
    AgentConnection *connection = m_byAgent.value(agentId);
    if (!connection || connection->sequence() != sequence)
        return; // over already
    m_byAgent.remove(agentId);
    m_notifier.agentDisconnected(agentId);
    connection->closeWith(CloseCode::Replaced, QStringLiteral("replaced by a newer connection"), false);
}

void HubServer::onFinished(AgentConnection *connection)
{
    m_connections.remove(connection);
    --m_held;
    m_registry->releaseConnection();
    const QString agentId = connection->agentId();
    if (agentId.isEmpty())
        return;
    if (m_byAgent.value(agentId) == connection) {
        m_byAgent.remove(agentId);
        m_notifier.agentDisconnected(agentId);
    }
    m_registry->release(agentId, connection->sequence());
}

QCoro::Task<> HubServer::shutdown()
{
    if (m_listener)
        m_listener->close();
    const auto connections = m_connections;
    for (AgentConnection *connection : connections)
        connection->closeWith(CloseCode::GoingAway, QStringLiteral("the hub is shutting down"), true);
    while (!m_connections.isEmpty()) {
        AgentConnection *connection = *m_connections.begin();
        co_await qCoro(connection, &AgentConnection::finished);
    }
}

void HubServer::onCredentialsChanged(const QString &table, const QString &id, ChangeFeed::Op op)
{
    if (table == QLatin1String("agents") && op == ChangeFeed::Op::Delete) {
        // The agent's tokens went with it (ON DELETE CASCADE).
        if (AgentConnection *connection = m_byAgent.value(id))
            connection->closeWith(CloseCode::Revoked, QStringLiteral("the agent was deleted"), false);
        return;
    }
    if (table != QLatin1String("agent_tokens") || op == ChangeFeed::Op::Insert || id.isEmpty())
        return;
    QPointer<HubServer> self(this);
    QCoro::connect(AgentTokenRepository(*m_executor).isLive(id), this, [self, id](const Result<bool> &live) {
        if (!self || !live || *live)
            return; // unchanged, or unknown now: checked again at the agent's next connection
        const auto connections = self->m_connections;
        for (AgentConnection *connection : connections) {
            if (connection->tokenId() == id)
                // Like any other close but a replacement: the agent is INACTIVE afterwards.
                connection->closeWith(CloseCode::Revoked, QStringLiteral("the token was revoked"), true);
        }
    });
}

} // namespace ccpm::hub
