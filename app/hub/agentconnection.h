#pragma once

#include "agentstatuswriter.h"
#include "agenttokenrepository.h"
#include "hub/closecodes.h"
#include "hub/hubregistry.h"
#include "hub/hubsettings.h"
#include "hub/jsonrpc.h"
#include "hub/messagemethods.h"
#include "hub/requestdecoder.h"
#include "hub/taskmethods.h"

#include <QElapsedTimer>
#include <QObject>
#include <QQueue>
#include <QWebSocket>

#include <deque>
#include <memory>
#include <optional>

namespace ccpm::hub {

/// What every connection of one HubServer shares. Owned by the HubServer; its hub thread
/// (the registry is shared by all hub threads).
struct HubServices {
    DbExecutor *executor;
    AgentStatusWriter *statusWriter;
    TaskMethods *tasks;
    MessageMethods *messages;
    const HubSettings *settings;
    const HubRegistry *registry;
};

/// One agent's WebSocket connection to the hub: authenticates the bearer token sent in the
/// handshake, or else the token of a first `agent.hello` request sent within
/// HubSettings::helloTimeoutMs (4401 otherwise), then answers the agent's JSON-RPC requests in the
/// order they arrive. Status and progress reports sent back to back (pipelined) are written
/// together, by the same group commit batch, so one connection is not held to one report per
/// commit; of two reports on the same agent or task the later wins. Any other request waits
/// until the reports before it are written, and the requests after it wait for it.
/// At most kMaxRunning answers are under way per connection. When the socket closes (after the
/// answers under way), the agent becomes INACTIVE; then the object deletes itself.
///
/// Frames are queued as they arrive and drained by one coroutine at a time; nothing waits on a
/// signal, so a burst of frames cannot resume anything twice.
///
/// Errors: a missing or unknown token closes with CloseCode::Unauthorized, a revoked one with
/// CloseCode::Revoked, a database failure during authentication with CloseCode::InternalError;
/// none of them writes anything, and neither does a connection that closed before its token was
/// checked. Request errors are JSON-RPC error responses.
/// Thread: the hub thread (the socket's thread).
class AgentConnection : public QObject {
    Q_OBJECT
public:
    /// `sequence` orders connections by arrival: of two connections of one agent, the later
    /// one wins, whichever token check finishes first.
    AgentConnection(std::unique_ptr<QWebSocket> socket, quint64 sequence, const HubServices &services,
                    QObject *parent = nullptr);
    ~AgentConnection() override;

    QString agentId() const { return m_agentId; }
    /// The accepted token's row id (agent_tokens.id); empty before authentication.
    QString tokenId() const { return m_tokenId; }
    quint64 sequence() const { return m_sequence; }
    QString peer() const { return m_peer; }
    /// Stops answering requests and closes the socket with `code`. When the socket has closed,
    /// the agent is marked INACTIVE unless `markInactive` is false (it is connected elsewhere).
    void closeWith(CloseCode code, const QString &reason, bool markInactive);
    /// Sends a notification (a frame the agent did not ask for). False when the connection is
    /// not authenticated or is closing.
    bool notify(const QByteArray &frame);
    enum class Check { Periodic, OnSend };
    /// Cuts the connection off when the peer stopped reading: more than
    /// HubSettings::maxQueuedBytes wait to be sent to it (pongs to a ping flood count too) and
    /// none was taken since the last periodic check; or when more than kHardQueueFactor times
    /// that wait at all. The hub calls it periodically (every 250 ms), send() after each frame.
    void checkOutgoing(Check check = Check::Periodic);

signals:
    /// The token was accepted; the agent is `agentId`. A receiver may closeWith() at once.
    void authenticated(const QString &agentId);
    /// The token was missing, unknown or revoked (for the per-address login throttle).
    void tokenRefused();
    /// The connection is over and its last write is done; the object deletes itself next.
    void finished();

private:
    static constexpr std::size_t kMaxRunning = 8;
    static constexpr qint64 kHardQueueFactor = 4;
    /// What a waiting frame costs beyond its payload (the event, the queue's slot), so that empty
    /// or binary frames (kept without payload) count against HubSettings::maxQueuedBytes too.
    static constexpr qint64 kEventOverheadBytes = 64;

    struct Event {
        enum Kind { Frame, Binary, Closed } kind;
        QByteArray payload;
        /// What it counts against maxQueuedBytes while it waits; the close counts nothing.
        qint64 cost() const { return kind == Closed ? 0 : kEventOverheadBytes + payload.size(); }
    };

    QCoro::Task<> authenticate(QString token);
    /// Checks the token; on refusal closes the connection. True when accepted.
    QCoro::Task<bool> checkToken(QString token);
    QByteArray helloResult(const QJsonValue &id) const;
    void awaitHello();
    void startHeartbeat();
    /// Counts a request against the rate limit; the -32005 reply when over it, else empty.
    QByteArray rateLimited(const QJsonValue &id);
    /// One frame of an authenticated agent, checked: the call to run, or the reply to send.
    struct Prepared {
        std::optional<Call> call;
        QByteArray reply;          ///< the error reply when there is no call
        bool notification = false; ///< no id: carried out, not answered
    };
    /// Parses and decodes a frame and counts it against the rate limit.
    Prepared prepare(const Event &event);
    /// Status and progress reports, and error replies, may run beside each other.
    static bool runsAlongside(const Prepared &prepared);
    /// The reply to a prepared frame (empty for a notification).
    QCoro::Task<QByteArray> answer(Prepared prepared);
    /// Waits for the oldest answer under way and sends it.
    QCoro::Task<> sendOldest(std::deque<QCoro::Task<QByteArray>> &running);
    QCoro::Task<> drain();
    /// Runs a call decodeRequest() checked.
    QCoro::Task<QByteArray> handle(Call call);
    QCoro::Task<QByteArray> setStatus(Call call);
    void enqueue(Event event);
    /// Sends a frame; cuts off a peer that stopped reading (HubSettings::maxQueuedBytes).
    void send(const QByteArray &frame);
    void finish();

    std::unique_ptr<QWebSocket> m_socket;
    quint64 m_sequence;
    HubServices m_services;
    QString m_peer; ///< "address:port", kept for logs after the socket closed
    QString m_agentId;
    QString m_token;   ///< the accepted token: a later agent.hello must carry the same
    QString m_tokenId; ///< its row in agent_tokens (closed when an administrator revokes it)
    QQueue<Event> m_events;
    qint64 m_queuedBytes = 0;     ///< bytes in m_events: payloads, plus kEventOverheadBytes each
    bool m_checked = false;       ///< the token check is over (accepted or not)
    bool m_authenticated = false; ///< the token was accepted
    bool m_closing = false;       ///< closeWith() was called: no more requests are answered
    bool m_closeQueued = false;   ///< the socket's close is in m_events
    bool m_draining = false;      ///< drain() is running
    bool m_markInactive = true;
    bool m_awaitingHello = false; ///< no header token: the first frame must be agent.hello
    int m_helloTimeoutMs;
    int m_pingIntervalMs;
    int m_silenceTimeoutMs;
    int m_closeGraceMs;
    QElapsedTimer m_lastHeard;        ///< restarted by every frame and pong
    qint64 m_bytesWritten = 0;        ///< bytes the socket handed to the network so far
    qint64 m_bytesWrittenChecked = 0; ///< m_bytesWritten at the last periodic check
    int m_maxRequests;
    int m_windowMs;
    QElapsedTimer m_window; ///< the current rate-limit window
    int m_windowRequests = 0;
};

} // namespace ccpm::hub
