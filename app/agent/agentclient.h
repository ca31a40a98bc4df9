#pragma once

#include "agent/agentstats.h"
#include "agent/backoff.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QUrl>

#include <QCoro/QCoroTask>

#include <coroutine>
#include <optional>

class QWebSocket;

Q_DECLARE_LOGGING_CATEGORY(lcAgent)

namespace ccpm::agent {

/// The outcome of one JSON-RPC request: the hub's result, or an error. Errors with a negative
/// code below -32768 never came from the hub: the request could not be sent, or its connection
/// closed before the reply (see AgentClient::ClientError).
struct RpcReply {
    QJsonValue result;
    int errorCode = 0; ///< 0: success
    QString errorMessage;
    QJsonValue errorData;

    bool ok() const { return errorCode == 0; }
    QJsonObject resultObject() const { return result.toObject(); }
};

/// One agent's connection to the CCPM hub (docs/agent-protocol.md): opens a WebSocket to the hub
/// with `Authorization: Bearer <token>`, sends JSON-RPC 2.0 requests and matches replies by id
/// (call() is awaitable), reports `agent.setStatus` ACTIVE once connected, and reconnects with
/// exponential backoff and full jitter (Backoff) until stop() or a close code that means "stop"
/// (4401 unauthorized, 4403 revoked, 4409 replaced).
///
/// With Settings::autoAccept it also works: the hub's `task.open` and `task.assigned`
/// notifications (and, on connect, `task.list` of its ASSIGNED and IN_PROGRESS tasks, for hubs
/// without notifications) queue tasks; one at a time it accepts a task, reports progress in steps
/// of 10 every workMs / 10, and completes it, BUSY while working and ACTIVE when idle.
/// `task.unassigned` and a `task.updated` that closes the task stop the work on it. While the
/// hub's database is away (-32000 with `data.retryable`), the work's calls are sent again with
/// backoff (0.25 s doubling to 2 s) instead of dropping the task. A dropped
/// connection drops the queue; the hub lists the tasks again after the reconnection, and an
/// IN_PROGRESS task resumes from its progress.
///
/// Units: milliseconds. Errors: refusals are close codes (stopped()), request errors are RpcReply
/// values; nothing throws. Logs to the "ccpm.agent" category.
/// Thread: one thread (the one it lives in); many clients share it without threads of their own.
class AgentClient : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QUrl url = QUrl(QStringLiteral("ws://127.0.0.1:8765"));
        QString token;
        QList<QSslCertificate> caCertificates; ///< trusted for wss:// besides the system's
        bool autoAccept = false;
        int workMs = 10000; ///< the time one task takes, in ten steps
        int initialBackoffMs = 500;
        int maxBackoffMs = 30000;
        int stableAfterMs = 10000;    ///< a connection that lasted longer resets the backoff
        int connectTimeoutMs = 10000; ///< TCP + TLS + WebSocket handshake
    };

    enum class State {
        Idle,           ///< not started
        Connecting,     ///< opening the WebSocket
        Authenticating, ///< open; waiting for the reply to agent.setStatus ACTIVE
        Online,         ///< authenticated
        Waiting,        ///< disconnected; reconnects when the backoff delay is over
        Stopping,       ///< stop() was called; closing
        Stopped,        ///< for good: stop(), or refused (closeCode())
    };
    Q_ENUM(State)

    /// Codes of errors the client makes itself (never sent by the hub).
    enum ClientError {
        NotConnected = -40001,   ///< call() while not connected: nothing was sent
        ConnectionLost = -40002, ///< the connection closed before the reply
    };

    /// `stats`, when given, must outlive the client; the client adds its figures to it.
    explicit AgentClient(Settings settings, AgentStats *stats = nullptr, QObject *parent = nullptr);
    ~AgentClient() override;

    /// Connects, and keeps connecting, until stop().
    void start();
    /// Sends no more requests, waits (at most 2 s) for the replies to those in flight, closes with
    /// 1000 (normal) and does not reconnect; stopped() follows once closed (perhaps before stop()
    /// returns).
    void stop();

    State state() const { return m_state; }
    /// The close code of the last connection (-1 before any); 4401 etc. after a refusal.
    int closeCode() const { return m_closeCode; }
    /// The agent's id, from the hub's reply to agent.setStatus (empty before).
    QString agentId() const { return m_agentId; }
    /// Connection attempts so far (the first one included).
    int attempts() const { return m_attempts; }
    /// The task being worked on (auto-accept), or empty; and the tasks waiting behind it.
    QString currentTaskId() const { return m_current ? m_current->id : QString(); }
    QStringList queuedTaskIds() const;

    /// Sends one request and resumes with its reply (or NotConnected / ConnectionLost).
    QCoro::Task<RpcReply> call(QString method, QJsonObject params);
    /// Sends one request without waiting for its reply (counted and timed all the same).
    /// False when not connected.
    bool post(const QString &method, const QJsonObject &params);

    /// Load mode: one more update, alternating agent.setStatus ACTIVE and BUSY; while a task is
    /// IN_PROGRESS every other update is task.progress with its current progress instead.
    void chatter();

signals:
    void stateChanged(ccpm::agent::AgentClient::State state);
    /// Authenticated: the hub answered agent.setStatus ACTIVE.
    void connected();
    /// The connection closed (`closeCode` as received; 1000 also stands for "no close frame").
    void disconnected(int closeCode);
    /// A reconnection is due in `delayMs`, drawn from [0, ceilingMs] (the backoff's bound now).
    void reconnectScheduled(int delayMs, int ceilingMs);
    /// For good: after stop() (1000), or refused (4401, 4403, 4409).
    void stopped(int closeCode);
    /// Every notification from the hub, after the client acted on it.
    void notificationReceived(const QString &method, const QJsonObject &params);
    /// Auto-accept: a task was completed (task.complete answered).
    void taskCompleted(const QString &taskId);

private:
    struct WorkItem {
        QString id;
        QString status;
        int progress = 0;
    };
    /// Suspends call() until its reply; registered in m_pending while suspended.
    class ReplyAwaiter;
    struct Pending {
        qint64 sentNs = 0;
        ReplyAwaiter *awaiter = nullptr; ///< null for post()
    };

    void setState(State state);
    void openSocket();
    /// Sends the close frame (1000) once; cuts the connection off if the hub does not answer.
    void closeSocket();
    void onSocketConnected();
    void onSocketGone(bool networkError);
    void scheduleReconnect();
    void onText(const QString &text);
    void onReply(const QJsonObject &reply);
    void onNotification(const QString &method, const QJsonObject &params);
    qint64 send(const QString &method, const QJsonObject &params, ReplyAwaiter *awaiter);
    /// Sends one JSON-RPC message on the open socket, written to it at once.
    void write(const QJsonObject &message);
    /// Every pending request ends with ConnectionLost; their callers resume from the event loop,
    /// after the caller of failPending() is done.
    void failPending();
    QCoro::Task<> greet(quint64 session);

    // Auto-accept work queue
    void offer(const QJsonObject &task);
    void withdraw(const QString &taskId, const QString &why);
    void startNext();
    /// The current task is over (done, failed or withdrawn): the next one, or ACTIVE.
    void endCurrent();
    /// The connection is gone: forget the current and queued tasks.
    void dropWork();
    QCoro::Task<> work(WorkItem item, quint64 generation);
    /// call() again while the hub answers -32000 with `data.retryable` (the database is away),
    /// 0.25 s doubling to 2 s apart, as long as this work is current; then the last reply.
    /// Safe because accept, progress, complete and fail are idempotent.
    QCoro::Task<RpcReply> callUntilStored(QString method, QJsonObject params, quint64 generation);
    static constexpr int kServerError = -32000;
    static constexpr int kStoreRetryMinMs = 250;
    static constexpr int kStoreRetryMaxMs = 2000;

    Settings m_settings;
    AgentStats *m_stats;
    std::optional<AgentStats> m_ownStats; ///< when no shared stats were given
    Backoff m_backoff;
    QWebSocket *m_socket = nullptr; ///< child; a new one for every attempt
    State m_state = State::Idle;
    quint64 m_session = 0;        ///< counts attempts; stale continuations compare it
    bool m_attemptOver = true;    ///< onSocketGone() ran for the current socket
    bool m_closing = false;       ///< closeSocket() ran for the current socket
    bool m_everConnected = false; ///< the socket of this attempt completed its handshake
    bool m_sawError = false;      ///< the socket of this attempt reported an error
    bool m_online = false;        ///< counted in AgentStats::connected
    int m_attempts = 0;
    int m_closeCode = -1;
    QString m_agentId;
    QElapsedTimer m_connectedFor;
    qint64 m_nextId = 1;
    QHash<qint64, Pending> m_pending;

    QList<WorkItem> m_queue;
    std::optional<WorkItem> m_current;
    quint64 m_workGeneration = 0; ///< bumped whenever the current work must stop
    bool m_busy = false;          ///< BUSY was reported for the current run of work
    int m_chatterTick = 0;
    bool m_chatterBusy = false;
};

} // namespace ccpm::agent
