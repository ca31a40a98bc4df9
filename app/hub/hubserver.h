#pragma once

#include "agentstatuswriter.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/agentconnection.h"
#include "hub/agentnotifier.h"
#include "hub/hubsettings.h"
#include "hub/loginthrottle.h"
#include "hub/messagemethods.h"
#include "hub/taskmethods.h"
#include "result.h"

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>
#include <QWebSocketServer>

#include <memory>

#include <QCoro/QCoroTask>

namespace ccpm::hub {

/// The agent hub: a WebSocket server (RFC 6455) where agents connect with a bearer token and
/// speak JSON-RPC 2.0 (docs/agent-protocol.md). Owns one AgentConnection per socket; an agent
/// has at most one live connection, a newer one replaces the older (closed with
/// CloseCode::Replaced).
///
/// It accepts TCP (or TLS, with QSslServer) itself and hands each socket to a QWebSocketServer
/// for the upgrade, so that it controls the listen backlog, the pending handshakes, the number
/// of connections and the TLS configuration (HubSettings). Plain ws:// on a non-loopback
/// address needs HubSettings::allowInsecure: tokens would cross the network in clear.
/// Thread: lives in the hub thread (see HubHost); never in the GUI thread.
class HubServer : public QObject {
    Q_OBJECT
public:
    HubServer(DbExecutor &executor, ChangeFeed &feed, HubSettings settings = {}, QObject *parent = nullptr);
    ~HubServer() override;

    /// Starts listening; port 0 picks a free port (see url()). Errors: Error::Kind::Invalid for a
    /// non-loopback address without TLS or allowInsecure, or unreadable TLS files;
    /// Error::Kind::Environment when the port cannot be bound.
    Status listen(const QHostAddress &address, quint16 port);
    QUrl url() const;
    int connectedAgents() const { return int(m_byAgent.size()); }

    /// Closes every connection (going away) and completes when their last writes are done.
    QCoro::Task<> shutdown();

signals:
    void connectedAgentsChanged(int count);
    /// An agent's live connection opened or ended (not emitted for a replacement).
    void agentPresenceChanged(const QString &agentId, bool connected);

private:
    void onTcpConnection();
    void onNewConnection();
    Status createListener();
    void onAuthenticated(AgentConnection *connection, const QString &agentId);
    void onFinished(AgentConnection *connection);
    /// An administrator revoked a token or deleted an agent (the feed): the connections that
    /// hold it close with CloseCode::Revoked, after the database confirms the token is gone.
    void onCredentialsChanged(const QString &table, const QString &id, ChangeFeed::Op op);

    DbExecutor *m_executor;
    HubSettings m_settings;
    std::unique_ptr<QTcpServer> m_listener; ///< QSslServer with TLS
    QWebSocketServer m_server;              ///< only upgrades sockets (handleConnection)
    LoginThrottle m_throttle;
    AgentStatusWriter m_statusWriter;
    TaskMethods m_tasks;
    MessageMethods m_messages;
    HubServices m_services;
    AgentNotifier m_notifier;
    QSet<AgentConnection *> m_connections;
    QHash<QString, AgentConnection *> m_byAgent;
    /// Accepted sockets not upgraded yet, by "address:port" (the QWebSocket tells its peer).
    QHash<QString, QPointer<QTcpSocket>> m_upgrading;
    QTimer m_watchdog;      ///< checks what waits to be sent to each connection
    quint64 m_accepted = 0; ///< connections accepted so far: each one's sequence number
};

} // namespace ccpm::hub
