#pragma once

#include "agentstatuswriter.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/agentconnection.h"
#include "hub/agentnotifier.h"
#include "hub/hubregistry.h"
#include "hub/hubsettings.h"
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

#include <atomic>
#include <memory>

#include <QCoro/QCoroTask>

namespace ccpm::hub {

/// The agent hub: a WebSocket server (RFC 6455) where agents connect with a bearer token and
/// speak JSON-RPC 2.0 (docs/agent-protocol.md). Owns one AgentConnection per socket; an agent
/// has at most one live connection, a newer one replaces the older (closed with
/// CloseCode::Replaced), even when the two are held by different hub threads (HubRegistry).
///
/// It accepts TCP (or TLS, with QSslServer) itself and hands each socket to a QWebSocketServer
/// for the upgrade, so that it controls the listen backlog, the pending handshakes, the number
/// of connections and the TLS configuration (HubSettings). Plain ws:// on a non-loopback
/// address needs HubSettings::allowInsecure: tokens would cross the network in clear.
/// With several hub threads (HubSettings::threads) each runs a HubServer of its own, listening on
/// the same port (openSharedListener) and sharing one HubRegistry.
/// Thread: lives in a hub thread (see HubHost); never in the GUI thread.
class HubServer : public QObject {
    Q_OBJECT
public:
    /// `registry` is shared with the hub's other threads and outlives them.
    HubServer(DbExecutor &executor, ChangeFeed &feed, HubRegistry &registry, HubSettings settings = {},
              QObject *parent = nullptr);
    ~HubServer() override;

    /// Starts listening; port 0 picks a free port (see url()). Errors: Error::Kind::Invalid for a
    /// non-loopback address without TLS or allowInsecure, or unreadable TLS files;
    /// Error::Kind::Environment when the port cannot be bound. `shared`: bind with SO_REUSEPORT,
    /// so that the other hub threads can listen on the same port.
    Status listen(const QHostAddress &address, quint16 port, bool shared = false);
    QUrl url() const;
    /// Connections this server holds (authenticated or not). Any thread.
    int heldConnections() const { return m_held.load(std::memory_order_relaxed); }

    /// Closes every connection (going away) and completes when their last writes are done.
    QCoro::Task<> shutdown();

    /// Closes connection `sequence` of `agentId` with CloseCode::Replaced, if this server holds
    /// it: a newer connection of the agent authenticated (here or in another hub thread, which
    /// queues the call). Its agent is not marked INACTIVE.
    void closeReplaced(const QString &agentId, quint64 sequence);

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
    HubRegistry *m_registry;
    HubSettings m_settings;
    std::unique_ptr<QTcpServer> m_listener; ///< QSslServer with TLS
    QWebSocketServer m_server;              ///< only upgrades sockets (handleConnection)
    AgentStatusWriter m_statusWriter;
    TaskMethods m_tasks;
    MessageMethods m_messages;
    HubServices m_services;
    AgentNotifier m_notifier;
    QSet<AgentConnection *> m_connections;
    std::atomic<int> m_held{0};                  ///< m_connections.size(), for other threads
    QHash<QString, AgentConnection *> m_byAgent; ///< the live connections this server holds
    /// Accepted sockets not upgraded yet, by "address:port" (the QWebSocket tells its peer).
    /// Each with its sequence number, taken when it was accepted (HubRegistry::nextSequence).
    struct Upgrading {
        QPointer<QTcpSocket> socket;
        quint64 sequence = 0; ///< 1, 2, …
    };
    QHash<QString, Upgrading> m_upgrading;
    QTimer m_watchdog; ///< checks what waits to be sent to each connection
};

} // namespace ccpm::hub
