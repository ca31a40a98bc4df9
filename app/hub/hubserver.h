#pragma once

#include "agentstatuswriter.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/agentconnection.h"
#include "hub/agentnotifier.h"
#include "hub/hubsettings.h"
#include "hub/messagemethods.h"
#include "hub/taskmethods.h"
#include "result.h"

#include <QHash>
#include <QHostAddress>
#include <QSet>
#include <QUrl>
#include <QWebSocketServer>

#include <QCoro/QCoroTask>

namespace ccpm::hub {

/// The agent hub: a WebSocket server (RFC 6455) where agents connect with a bearer token and
/// speak JSON-RPC 2.0 (docs/agent-protocol.md). Owns one AgentConnection per socket; an agent
/// has at most one live connection, a newer one replaces the older (closed with
/// CloseCode::Replaced).
/// Thread: lives in the hub thread (see HubHost); never in the GUI thread.
class HubServer : public QObject {
    Q_OBJECT
public:
    HubServer(DbExecutor &executor, ChangeFeed &feed, HubSettings settings = {}, QObject *parent = nullptr);
    ~HubServer() override;

    /// Starts listening; port 0 picks a free port (see url()).
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
    void onNewConnection();
    void onAuthenticated(AgentConnection *connection, const QString &agentId);
    void onFinished(AgentConnection *connection);

    QWebSocketServer m_server;
    DbExecutor *m_executor;
    HubSettings m_settings;
    AgentStatusWriter m_statusWriter;
    TaskMethods m_tasks;
    MessageMethods m_messages;
    HubServices m_services;
    AgentNotifier m_notifier;
    QSet<AgentConnection *> m_connections;
    QHash<QString, AgentConnection *> m_byAgent;
    quint64 m_accepted = 0; ///< connections accepted so far: each one's sequence number
};

} // namespace ccpm::hub
