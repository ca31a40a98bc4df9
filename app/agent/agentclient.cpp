#include "agent/agentclient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QWebSocket>

#include <QCoro/QCoroTimer>

// Debug messages (every connection attempt of every agent) are off unless QT_LOGGING_RULES asks.
Q_LOGGING_CATEGORY(lcAgent, "ccpm.agent", QtInfoMsg)

namespace ccpm::agent {

namespace {

const QString kAssigned = QStringLiteral("ASSIGNED");
const QString kInProgress = QStringLiteral("IN_PROGRESS");

/// Monotonic nanoseconds, one clock for every client of the process.
qint64 nowNs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}

bool isOpen(const QString &status)
{
    return status == kAssigned || status == kInProgress;
}

/// Close codes after which reconnecting cannot help (docs/agent-protocol.md, "Close codes").
bool stopsForGood(int code)
{
    return code == 4401 || code == 4403 || code == 4409;
}

QJsonObject statusParams(const QString &status)
{
    return QJsonObject{{QStringLiteral("status"), status}};
}

QJsonObject taskParams(const QString &taskId)
{
    return QJsonObject{{QStringLiteral("taskId"), taskId}};
}

RpcReply clientError(int code, const QString &message)
{
    RpcReply reply;
    reply.errorCode = code;
    reply.errorMessage = message;
    return reply;
}

bool isClientError(const RpcReply &reply)
{
    return reply.errorCode == AgentClient::NotConnected || reply.errorCode == AgentClient::ConnectionLost;
}

} // namespace

class AgentClient::ReplyAwaiter {
public:
    ReplyAwaiter(AgentClient &client, const QString &method, const QJsonObject &params)
        : client(&client)
        , method(method)
        , params(params)
    {
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        handle = awaiting;
        if (client->send(method, params, this) != 0)
            return true;
        reply = clientError(NotConnected, QStringLiteral("not connected to the hub"));
        return false; // resume at once
    }
    RpcReply await_resume() { return std::move(reply); }

    AgentClient *client;
    QString method;
    QJsonObject params;
    std::coroutine_handle<> handle;
    RpcReply reply; ///< set by the client before it resumes `handle`
};

AgentClient::AgentClient(Settings settings, AgentStats *stats, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_stats(stats)
    , m_backoff(m_settings.initialBackoffMs, m_settings.maxBackoffMs)
{
    if (!m_stats)
        m_stats = &m_ownStats.emplace();
    ++m_stats->agents;
}

AgentClient::~AgentClient()
{
    ++m_workGeneration;
    if (m_online)
        m_stats->onDisconnected();
    failPending();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QStringList AgentClient::queuedTaskIds() const
{
    QStringList ids;
    for (const WorkItem &item : m_queue)
        ids << item.id;
    return ids;
}

void AgentClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void AgentClient::start()
{
    if (m_state != State::Idle && m_state != State::Stopped)
        return;
    m_backoff.reset();
    openSocket();
}

void AgentClient::stop()
{
    switch (m_state) {
    case State::Idle:
    case State::Waiting:
        setState(State::Stopped); // a pending reconnection sees the state and does nothing
        emit stopped(1000);
        break;
    case State::Connecting:
        setState(State::Stopping);
        onSocketGone(false);
        break;
    case State::Authenticating:
    case State::Online: {
        // No new requests from here on; the ones in flight get their replies first (for at
        // most 2 s), so a clean stop loses nothing.
        setState(State::Stopping);
        if (m_pending.isEmpty()) {
            closeSocket();
        } else {
            QTimer::singleShot(2000, this, [this, session = m_session] {
                if (session == m_session && m_state == State::Stopping)
                    closeSocket();
            });
        }
        break;
    }
    case State::Stopping:
    case State::Stopped:
        break;
    }
}

void AgentClient::closeSocket()
{
    if (!m_socket || m_closing)
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("agent stopping"));
    // A hub that does not answer the close frame is cut off. (Timers take the client as their
    // context, never the socket: a socket can outlive its client; the session tells stale ones.)
    QTimer::singleShot(3000, this, [this, session = m_session] {
        if (session == m_session && m_state == State::Stopping)
            onSocketGone(false);
    });
}

void AgentClient::openSocket()
{
    ++m_session;
    if (++m_attempts > 1)
        ++m_stats->reconnects;
    m_attemptOver = false;
    m_closing = false;
    m_everConnected = false;
    m_sawError = false;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QWebSocket *socket = m_socket;
    if (!m_settings.caCertificates.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_settings.caCertificates);
        socket->setSslConfiguration(ssl);
    }
    connect(socket, &QWebSocket::connected, this, &AgentClient::onSocketConnected);
    connect(socket, &QWebSocket::disconnected, this, [this] { onSocketGone(false); });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                qCDebug(lcAgent).noquote() << "socket error:" << socket->errorString();
                m_sawError = true;
                if (!m_everConnected)
                    onSocketGone(true); // no disconnected() follows a failed handshake
            });
    connect(socket, &QWebSocket::sslErrors, this, [](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            qCWarning(lcAgent).noquote() << "TLS:" << e.errorString();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, &AgentClient::onText);

    QNetworkRequest request(m_settings.url);
    request.setRawHeader("Authorization", "Bearer " + m_settings.token.toUtf8());
    setState(State::Connecting);
    qCDebug(lcAgent).noquote() << "connecting to" << m_settings.url.toString() << "attempt" << m_attempts;
    QTimer::singleShot(m_settings.connectTimeoutMs, this, [this, session = m_session] {
        if (session == m_session && m_state == State::Connecting) {
            qCDebug(lcAgent) << "no handshake within" << m_settings.connectTimeoutMs << "ms";
            onSocketGone(true);
        }
    });
    socket->open(request);
}

void AgentClient::onSocketConnected()
{
    m_everConnected = true;
    m_connectedFor.start();
    if (m_state == State::Stopping) {
        closeSocket();
        return;
    }
    setState(State::Authenticating);
    greet(m_session);
}

QCoro::Task<> AgentClient::greet(quint64 session)
{
    QPointer<AgentClient> self(this);
    const QString method = QStringLiteral("agent.setStatus");
    const QJsonObject params = statusParams(QStringLiteral("ACTIVE"));
    const RpcReply reply = co_await call(method, params);
    if (!self || session != m_session || m_state != State::Authenticating || isClientError(reply))
        co_return;
    // The hub answers nothing before the token is accepted: any answer means we are in.
    if (!reply.ok())
        qCWarning(lcAgent).noquote() << "agent.setStatus ACTIVE refused:" << reply.errorMessage;
    m_agentId = reply.resultObject().value(QLatin1String("agentId")).toString();
    m_online = true;
    m_stats->onConnected();
    setState(State::Online);
    qCDebug(lcAgent).noquote() << "agent" << m_agentId << "connected";
    emit connected(); // the open tasks came with task.open, before this reply
}

void AgentClient::onSocketGone(bool networkError)
{
    if (m_attemptOver)
        return;
    m_attemptOver = true;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    int code = int(socket->closeCode());
    if (!m_everConnected || ((networkError || m_sawError) && code == 1000))
        code = int(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    m_closeCode = code;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();

    const bool wasConnected = m_everConnected;
    const qint64 lasted = wasConnected ? m_connectedFor.elapsed() : 0;
    if (m_online) {
        m_online = false;
        m_stats->onDisconnected();
    }
    dropWork();
    failPending();
    if (wasConnected) {
        qCDebug(lcAgent).noquote() << "agent" << m_agentId << "disconnected, close code" << code
                                   << socket->closeReason();
        emit disconnected(code);
    }

    if (m_state == State::Stopping) {
        setState(State::Stopped);
        emit stopped(1000);
    } else if (stopsForGood(code)) {
        qCWarning(lcAgent).noquote() << "the hub closed the connection with" << code << socket->closeReason()
                                     << "- not reconnecting";
        ++m_stats->stoppedForGood;
        setState(State::Stopped);
        emit stopped(code);
    } else {
        if (lasted > m_settings.stableAfterMs)
            m_backoff.reset();
        scheduleReconnect();
    }
}

void AgentClient::scheduleReconnect()
{
    const int ceiling = m_backoff.ceilingMs();
    const int delay = m_backoff.nextDelayMs();
    setState(State::Waiting);
    qCDebug(lcAgent) << "reconnecting in" << delay << "ms (backoff up to" << ceiling << "ms)";
    emit reconnectScheduled(delay, ceiling);
    QTimer::singleShot(delay, this, [this, session = m_session] {
        if (session == m_session && m_state == State::Waiting)
            openSocket();
    });
}

qint64 AgentClient::send(const QString &method, const QJsonObject &params, ReplyAwaiter *awaiter)
{
    if (!m_socket || (m_state != State::Authenticating && m_state != State::Online))
        return 0;
    const qint64 id = m_nextId++;
    const QJsonObject request{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                              {QStringLiteral("id"), id},
                              {QStringLiteral("method"), method},
                              {QStringLiteral("params"), params}};
    m_pending.insert(id, Pending{nowNs(), awaiter});
    ++m_stats->requests;
    write(request);
    return id;
}

void AgentClient::write(const QJsonObject &message)
{
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    m_socket->flush(); // now, not on the write notifier's next wake-up (as the hub does)
}

QCoro::Task<RpcReply> AgentClient::call(QString method, QJsonObject params)
{
    ReplyAwaiter awaiter(*this, method, params);
    co_return co_await awaiter;
}

bool AgentClient::post(const QString &method, const QJsonObject &params)
{
    return send(method, params, nullptr) != 0;
}

void AgentClient::failPending()
{
    const QHash<qint64, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        ++m_stats->errors;
        if (!p.awaiter)
            continue;
        p.awaiter->reply =
            clientError(ConnectionLost, QStringLiteral("the connection closed before the reply"));
        const std::coroutine_handle<> handle = p.awaiter->handle;
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), [handle] { handle.resume(); }, Qt::QueuedConnection);
    }
}

void AgentClient::onText(const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!document.isObject()) {
        qCWarning(lcAgent).noquote() << "ignoring a frame that is not a JSON-RPC message:"
                                     << parseError.errorString();
        return;
    }
    const QJsonObject message = document.object();
    const QString method = message.value(QLatin1String("method")).toString();
    if (method.isEmpty()) {
        onReply(message);
    } else if (message.contains(QLatin1String("id"))) {
        // The hub sends no requests; answer as JSON-RPC asks.
        const QJsonObject reply{
            {QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
            {QStringLiteral("id"), message.value(QLatin1String("id"))},
            {QStringLiteral("error"),
             QJsonObject{{QStringLiteral("code"), -32601},
                         {QStringLiteral("message"), QStringLiteral("Method not found: %1").arg(method)}}}};
        if (m_socket)
            write(reply);
    } else {
        onNotification(method, message.value(QLatin1String("params")).toObject());
    }
}

void AgentClient::onReply(const QJsonObject &message)
{
    const qint64 id = message.value(QLatin1String("id")).toInteger(-1);
    const auto it = m_pending.constFind(id);
    if (it == m_pending.cend()) {
        qCWarning(lcAgent).noquote() << "a reply to no request of ours:"
                                     << QJsonDocument(message).toJson(QJsonDocument::Compact);
        return;
    }
    const Pending pending = *it;
    m_pending.erase(it);
    ++m_stats->replies;
    m_stats->replyLatency.record((nowNs() - pending.sentNs) / 1000);

    RpcReply reply;
    if (message.contains(QLatin1String("error"))) {
        const QJsonObject error = message.value(QLatin1String("error")).toObject();
        reply.errorCode = error.value(QLatin1String("code")).toInt(-32603);
        if (reply.errorCode == 0)
            reply.errorCode = -32603;
        reply.errorMessage = error.value(QLatin1String("message")).toString();
        reply.errorData = error.value(QLatin1String("data"));
        ++m_stats->errors;
    } else {
        reply.result = message.value(QLatin1String("result"));
    }
    if (pending.awaiter) {
        QPointer<AgentClient> self(this);
        pending.awaiter->reply = std::move(reply);
        pending.awaiter->handle.resume(); // runs the caller on, which may even delete us
        if (!self)
            return;
    } else if (!reply.ok()) {
        qCDebug(lcAgent).noquote() << "request" << id << "failed:" << reply.errorCode << reply.errorMessage;
    }
    if (m_state == State::Stopping && m_pending.isEmpty())
        closeSocket(); // the last reply stop() waited for
}

void AgentClient::onNotification(const QString &method, const QJsonObject &params)
{
    if (method == QLatin1String("task.open")) {
        const QJsonArray tasks = params.value(QLatin1String("tasks")).toArray();
        qCInfo(lcAgent).noquote() << "open tasks on connect:" << tasks.size();
        for (const QJsonValue &task : tasks)
            offer(task.toObject());
    } else if (method == QLatin1String("task.assigned")) {
        const QJsonObject task = params.value(QLatin1String("task")).toObject();
        qCInfo(lcAgent).noquote() << "task assigned:" << task.value(QLatin1String("id")).toString()
                                  << task.value(QLatin1String("title")).toString();
        offer(task);
    } else if (method == QLatin1String("task.unassigned")) {
        withdraw(params.value(QLatin1String("taskId")).toString(),
                 params.value(QLatin1String("reason")).toString());
    } else if (method == QLatin1String("task.updated")) {
        const QJsonObject task = params.value(QLatin1String("task")).toObject();
        const QString status = task.value(QLatin1String("status")).toString();
        if (isOpen(status))
            offer(task);
        else
            withdraw(task.value(QLatin1String("id")).toString(), QStringLiteral("now %1").arg(status));
    } else if (method == QLatin1String("message.received")) {
        const QJsonObject m = params.value(QLatin1String("message")).toObject();
        const QString taskId = m.value(QLatin1String("taskId")).toString();
        qCInfo(lcAgent).noquote() << QStringLiteral("message %1 from %2 %3%4: %5")
                                         .arg(m.value(QLatin1String("id")).toString(),
                                              m.value(QLatin1String("senderType")).toString(),
                                              m.value(QLatin1String("senderId")).toString(),
                                              taskId.isEmpty() ? QString()
                                                               : QStringLiteral(" about task ") + taskId,
                                              m.value(QLatin1String("content")).toString());
    } else {
        qCDebug(lcAgent).noquote() << "ignoring notification" << method;
    }
    emit notificationReceived(method, params);
}

void AgentClient::chatter()
{
    if (m_state != State::Online)
        return;
    const bool progressTurn = (m_chatterTick++ % 2) == 1;
    if (progressTurn && m_current && m_current->status == kInProgress) {
        QJsonObject params = taskParams(m_current->id);
        params.insert(QStringLiteral("progress"), m_current->progress);
        post(QStringLiteral("task.progress"), params);
        return;
    }
    m_chatterBusy = !m_chatterBusy;
    post(QStringLiteral("agent.setStatus"),
         statusParams(m_chatterBusy ? QStringLiteral("BUSY") : QStringLiteral("ACTIVE")));
}

// ---- auto-accept -------------------------------------------------------------------------

void AgentClient::offer(const QJsonObject &task)
{
    if (!m_settings.autoAccept)
        return;
    WorkItem item{task.value(QLatin1String("id")).toString(), task.value(QLatin1String("status")).toString(),
                  task.value(QLatin1String("progress")).toInt()};
    if (item.id.isEmpty() || !isOpen(item.status))
        return;
    if (m_current && m_current->id == item.id)
        return; // already working on it; a listing may be older than our own changes
    for (WorkItem &queued : m_queue) {
        if (queued.id == item.id) {
            queued = item;
            return;
        }
    }
    m_queue.append(item);
    startNext();
}

void AgentClient::withdraw(const QString &taskId, const QString &why)
{
    if (m_current && m_current->id == taskId) {
        qCInfo(lcAgent).noquote() << "stopping work on task" << taskId << "(" << why << ")";
        endCurrent();
        return;
    }
    const auto removed = m_queue.removeIf([&taskId](const WorkItem &item) { return item.id == taskId; });
    if (removed > 0)
        qCInfo(lcAgent).noquote() << "dropping queued task" << taskId << "(" << why << ")";
}

void AgentClient::startNext()
{
    if (m_current || m_queue.isEmpty() || (m_state != State::Authenticating && m_state != State::Online))
        return;
    m_current = m_queue.takeFirst();
    if (!m_busy) {
        m_busy = true;
        post(QStringLiteral("agent.setStatus"), statusParams(QStringLiteral("BUSY")));
    }
    work(*m_current, m_workGeneration);
}

void AgentClient::endCurrent()
{
    ++m_workGeneration;
    m_current.reset();
    if (m_queue.isEmpty()) {
        m_busy = false;
        post(QStringLiteral("agent.setStatus"), statusParams(QStringLiteral("ACTIVE")));
    } else {
        startNext();
    }
}

void AgentClient::dropWork()
{
    ++m_workGeneration;
    m_current.reset();
    m_queue.clear();
    m_busy = false;
}

QCoro::Task<RpcReply> AgentClient::callUntilStored(QString method, QJsonObject params, quint64 generation)
{
    QPointer<AgentClient> self(this);
    int delayMs = kStoreRetryMinMs;
    for (;;) {
        RpcReply reply = co_await call(method, params);
        const bool retryable = reply.errorCode == kServerError &&
                               reply.errorData.toObject().value(QLatin1String("retryable")).toBool();
        if (!self || m_workGeneration != generation || !retryable)
            co_return reply;
        qCInfo(lcAgent).noquote() << method << "not stored (" << reply.errorMessage << "): again in"
                                  << delayMs << "ms";
        const std::chrono::milliseconds pause(delayMs);
        co_await QCoro::sleepFor(pause);
        if (!self || m_workGeneration != generation)
            co_return reply;
        delayMs = std::min(delayMs * 2, kStoreRetryMaxMs);
    }
}

QCoro::Task<> AgentClient::work(WorkItem item, quint64 generation)
{
    QPointer<AgentClient> self(this);
    // Still this work's turn? (The client may be gone, or the task withdrawn or dropped.)
    const auto mine = [&self, this, generation] { return self && m_workGeneration == generation; };

    if (item.status == kAssigned) {
        const QString method = QStringLiteral("task.accept");
        const QJsonObject params = taskParams(item.id);
        const RpcReply accepted = co_await callUntilStored(method, params, generation);
        if (!mine())
            co_return;
        if (!accepted.ok()) {
            qCWarning(lcAgent).noquote()
                << "could not accept task" << item.id << ":" << accepted.errorMessage;
            endCurrent();
            co_return;
        }
        qCInfo(lcAgent).noquote() << "accepted task" << item.id;
        const QJsonObject task = accepted.resultObject().value(QLatin1String("task")).toObject();
        item.progress = task.value(QLatin1String("progress")).toInt();
        m_current->status = kInProgress;
        m_current->progress = item.progress;
    } else {
        qCInfo(lcAgent).noquote() << "resuming task" << item.id << "at" << item.progress << "%";
    }

    const std::chrono::milliseconds step(std::max(1, m_settings.workMs / 10));
    for (int progress = (item.progress / 10 + 1) * 10; progress < 100; progress += 10) {
        co_await QCoro::sleepFor(step);
        if (!mine())
            co_return;
        const QString method = QStringLiteral("task.progress");
        QJsonObject params = taskParams(item.id);
        params.insert(QStringLiteral("progress"), progress);
        const RpcReply reported = co_await callUntilStored(method, params, generation);
        if (!mine())
            co_return;
        if (!reported.ok()) {
            qCWarning(lcAgent).noquote()
                << "could not report progress on task" << item.id << ":" << reported.errorMessage;
            endCurrent();
            co_return;
        }
        m_current->progress = progress;
    }
    co_await QCoro::sleepFor(step);
    if (!mine())
        co_return;
    const QString method = QStringLiteral("task.complete");
    QJsonObject params = taskParams(item.id);
    params.insert(QStringLiteral("result"),
                  QJsonObject{{QStringLiteral("by"), QStringLiteral("ccpm-agent")}});
    const RpcReply completed = co_await callUntilStored(method, params, generation);
    if (!mine())
        co_return;
    if (!completed.ok()) {
        qCWarning(lcAgent).noquote() << "could not complete task" << item.id << ":" << completed.errorMessage;
        endCurrent();
        co_return;
    }
    qCInfo(lcAgent).noquote() << "completed task" << item.id;
    endCurrent();
    emit taskCompleted(item.id);
}

} // namespace ccpm::agent
