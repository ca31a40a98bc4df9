#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace ccpm {

/// Which agents are connected to the agent hub right now, and since when. This is not the
/// status an agent reports (`agents.status`: ACTIVE / BUSY / INACTIVE, in the database): an
/// agent can be BUSY in the table and gone (until the hub marks it INACTIVE on close), or
/// connected and INACTIVE. Fed by HubHost::agentPresenceChanged; read by the Agents view
/// (wireAgentPresence() in ui/).
///
/// Times are UTC. Nothing is persisted: a new instance knows of no connected agent.
/// Thread: GUI (the object's thread; setConnected() is a slot for queued connections).
class AgentPresence : public QObject {
    Q_OBJECT
public:
    explicit AgentPresence(QObject *parent = nullptr);

    bool isConnected(const QString &agentId) const { return m_since.contains(agentId); }
    /// When the agent connected (UTC), or an invalid QDateTime when it is not connected.
    QDateTime since(const QString &agentId) const { return m_since.value(agentId); }
    int connectedCount() const { return int(m_since.size()); }
    /// The ids of the connected agents.
    QSet<QString> connectedIds() const { return QSet<QString>(m_since.keyBegin(), m_since.keyEnd()); }

public slots:
    /// Marks the agent connected (since now) or not. Repeating the current state changes
    /// nothing: a connected agent keeps its first time, and changed() is not emitted.
    void setConnected(const QString &agentId, bool connected);

signals:
    void changed(const QString &agentId);

private:
    QHash<QString, QDateTime> m_since; ///< connected agent id → since (UTC)
};

} // namespace ccpm
