#pragma once

#include "agentstatuswriter.h"
#include "agenttokenrepository.h"
#include "hub/closecodes.h"
#include "hub/jsonrpc.h"

#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QWebSocket>

#include <memory>

namespace ccpm::hub {

/// One agent's WebSocket connection to the hub: authenticates the bearer token sent in the
/// handshake, then answers the agent's JSON-RPC requests in the order they arrive (each one's
/// database write completes before the next starts, so a later status always wins).
/// When the socket closes, the agent becomes INACTIVE; then the object deletes itself.
///
/// Errors: a missing or unknown token closes with CloseCode::Unauthorized, a revoked one with
/// CloseCode::Revoked, a database failure during authentication with CloseCode::InternalError;
/// none of them writes anything. Request errors are JSON-RPC error responses.
/// Thread: the hub thread (the socket's thread).
class AgentConnection : public QObject {
    Q_OBJECT
public:
    AgentConnection(std::unique_ptr<QWebSocket> socket, DbExecutor &executor, AgentStatusWriter &statusWriter,
                    QObject *parent = nullptr);
    ~AgentConnection() override;

    QString agentId() const { return m_agentId; }
    QString peer() const;
    /// Closes the socket with `code`; the INACTIVE write follows as for any close unless
    /// `markInactive` is false (the agent is still connected elsewhere).
    void closeWith(CloseCode code, const QString &reason, bool markInactive = true);

signals:
    /// The token was accepted; the agent is `agentId`.
    void authenticated(const QString &agentId);
    /// The connection is over and its last write is done; the object deletes itself next.
    void finished();
    /// Internal: a frame or the close was queued for run().
    void eventQueued();

private:
    struct Event {
        enum Kind { Frame, Closed } kind;
        QByteArray payload;
    };

    QCoro::Task<> run(QString token);
    QCoro::Task<QByteArray> handle(const jsonrpc::Request &request);
    QCoro::Task<QByteArray> setStatus(const jsonrpc::Request &request);
    void enqueue(Event event);

    std::unique_ptr<QWebSocket> m_socket;
    DbExecutor *m_executor;
    AgentStatusWriter *m_statusWriter;
    QString m_peer; ///< "address:port", kept for logs after the socket closed
    QString m_agentId;
    QQueue<Event> m_events;
    bool m_markInactive = true;
    bool m_closed = false;
};

} // namespace ccpm::hub
