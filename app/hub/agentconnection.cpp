#include "hub/agentconnection.h"

#include "sqlvalues.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>

#include <deque>

Q_LOGGING_CATEGORY(lcHub, "ccpm.hub")

namespace ccpm::hub {

namespace {

QString bearerToken(const QWebSocket &socket)
{
    const QByteArray header = socket.request().rawHeader("Authorization").trimmed();
    static const QByteArray scheme("bearer ");
    if (header.size() <= scheme.size() || header.left(scheme.size()).toLower() != scheme)
        return {};
    return QString::fromLatin1(header.mid(scheme.size()).trimmed());
}

} // namespace

AgentConnection::AgentConnection(std::unique_ptr<QWebSocket> socket, quint64 sequence,
                                 const HubServices &services, QObject *parent)
    : QObject(parent)
    , m_socket(std::move(socket))
    , m_sequence(sequence)
    , m_services(services)
    , m_peer(QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort()))
    , m_helloTimeoutMs(services.settings->helloTimeoutMs)
    , m_pingIntervalMs(services.settings->pingIntervalMs)
    , m_silenceTimeoutMs(services.settings->silenceTimeoutMs)
    , m_closeGraceMs(services.settings->closeGraceMs)
    , m_maxRequests(services.settings->maxRequests)
    , m_windowMs(services.settings->windowMs)
{
    m_lastHeard.start();
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, [this](const QString &message) {
        m_lastHeard.restart();
        enqueue({Event::Frame, message.toUtf8()});
    });
    connect(m_socket.get(), &QWebSocket::pong, this, [this] { m_lastHeard.restart(); });
    connect(m_socket.get(), &QWebSocket::bytesWritten, this,
            [this](qint64 bytes) { m_bytesWritten += bytes; });
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        m_lastHeard.restart();
        enqueue({Event::Binary, {}}); // answered in order, rate limited, like any other frame
    });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] { enqueue({Event::Closed, {}}); });
    // Started from the event loop, so the owner has connected to our signals before any is emitted.
    QMetaObject::invokeMethod(
        this, [this, token = bearerToken(*m_socket)] { authenticate(token); }, Qt::QueuedConnection);
}

AgentConnection::~AgentConnection() = default;

void AgentConnection::closeWith(CloseCode code, const QString &reason, bool markInactive)
{
    m_closing = true;
    m_markInactive = m_markInactive && markInactive;
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->close(toQt(code), reason);
    QTimer::singleShot(m_closeGraceMs, this, [this] { m_socket->abort(); });
}

bool AgentConnection::notify(const QByteArray &frame)
{
    if (!m_authenticated || m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    send(frame);
    return true;
}

void AgentConnection::send(const QByteArray &frame)
{
    if (m_closing && m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    // Written now rather than when the socket's write notifier next fires: that costs the thread
    // an extra wake-up per reply, and the event dispatcher two changes to its epoll set.
    m_socket->flush();
    checkOutgoing(Check::OnSend);
}

void AgentConnection::checkOutgoing(Check check)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const qint64 queued = m_socket->bytesToWrite();
    const qint64 limit = m_services.settings->maxQueuedBytes;
    const bool stalled =
        check == Check::Periodic && queued > limit && m_bytesWritten == m_bytesWrittenChecked;
    if (check == Check::Periodic)
        m_bytesWrittenChecked = m_bytesWritten;
    // A peer that reads keeps taking bytes, however large one reply is; one that stopped reading
    // takes none between two checks. Past 4 times the limit it is cut off even while reading.
    if (!stalled && queued <= kHardQueueFactor * limit)
        return;
    // A close frame would wait behind the same queue: cut the connection. The agent
    // becomes INACTIVE like after any other loss of connection.
    qCWarning(lcHub).noquote() << "agent" << (m_agentId.isEmpty() ? m_peer : m_agentId)
                               << (stalled ? "stopped reading (" : "reads too slowly (") << queued
                               << "bytes queued): cutting it off";
    m_closing = true;
    m_socket->abort();
}

void AgentConnection::enqueue(Event event)
{
    if (m_closeQueued)
        return;
    if (event.kind == Event::Closed)
        m_closeQueued = true;
    if (m_closing && event.kind != Event::Closed)
        return; // not answered anyway
    // The close always gets in: it is what ends the connection.
    const qint64 cost = event.cost();
    if (cost > 0 && m_queuedBytes + cost > m_services.settings->maxQueuedBytes) {
        qCWarning(lcHub).noquote() << (m_agentId.isEmpty() ? m_peer : m_agentId) << "sent more than"
                                   << m_services.settings->maxQueuedBytes
                                   << "bytes of requests without reading: closing";
        closeWith(CloseCode::PolicyViolation, QStringLiteral("too many requests waiting: read the replies"),
                  true);
        return;
    }
    m_queuedBytes += cost;
    m_events.enqueue(std::move(event));
    if (m_checked && !m_draining)
        drain();
}

QCoro::Task<bool> AgentConnection::checkToken(QString token)
{
    Result<AgentTokenRow> auth = co_await AgentTokenRepository(*m_services.executor).authenticate(token);
    if (m_closeQueued) {
        // Gone before the check finished: it never counts as connected and writes nothing.
        m_closing = true;
        m_markInactive = false;
        co_return false;
    }
    if (!auth) {
        const bool authError = auth.error().kind == Error::Kind::Auth;
        const bool revoked = auth.error().detail == QLatin1String("revoked");
        qCInfo(lcHub).noquote() << "refused" << m_peer << ":" << auth.error().message;
        if (authError)
            emit tokenRefused();
        closeWith(!authError ? CloseCode::InternalError
                  : revoked  ? CloseCode::Revoked
                             : CloseCode::Unauthorized,
                  !authError ? QStringLiteral("cannot check the token now") : auth.error().message, false);
        co_return false;
    }
    m_agentId = auth->agentId;
    m_token = token;
    m_tokenId = auth->id;
    m_authenticated = true;
    qCInfo(lcHub).noquote() << "agent" << m_agentId << "connected from" << m_peer;
    emit authenticated(m_agentId); // may closeWith(Replaced) right away
    startHeartbeat();
    co_return true;
}

QCoro::Task<> AgentConnection::authenticate(QString token)
{
    if (token.isEmpty())
        awaitHello();
    else
        co_await checkToken(token);
    m_checked = true;
    if (!m_draining && !m_events.isEmpty())
        drain();
}

void AgentConnection::awaitHello()
{
    m_awaitingHello = true;
    QTimer::singleShot(m_helloTimeoutMs, this, [this] {
        if (m_awaitingHello && !m_closing) {
            qCInfo(lcHub).noquote() << "refused" << m_peer << ": no agent.hello in time";
            emit tokenRefused();
            closeWith(CloseCode::Unauthorized, QStringLiteral("no token: send agent.hello with it first"),
                      false);
        }
    });
}

QByteArray AgentConnection::rateLimited(const QJsonValue &id)
{
    if (!m_window.isValid() || m_window.elapsed() >= m_windowMs) {
        m_window.start();
        m_windowRequests = 0;
    }
    if (++m_windowRequests <= m_maxRequests)
        return {};
    if (m_windowRequests == m_maxRequests + 1)
        qCInfo(lcHub).noquote() << "agent" << m_agentId << "is over" << m_maxRequests << "requests per"
                                << m_windowMs << "ms";
    const qint64 retryAfter = std::max<qint64>(1, m_windowMs - m_window.elapsed());
    return jsonrpc::error(id, jsonrpc::RateLimited,
                          QStringLiteral("Rate limited: at most %1 requests per %2 s")
                              .arg(m_maxRequests)
                              .arg(m_windowMs / 1000.0),
                          QJsonObject{{QStringLiteral("retryAfterMs"), retryAfter}});
}

void AgentConnection::startHeartbeat()
{
    auto *heartbeat = new QTimer(this);
    heartbeat->setInterval(m_pingIntervalMs);
    connect(heartbeat, &QTimer::timeout, this, [this, heartbeat] {
        if (m_closing) {
            heartbeat->stop();
        } else if (m_lastHeard.elapsed() > m_silenceTimeoutMs) {
            heartbeat->stop();
            qCInfo(lcHub).noquote() << "agent" << m_agentId << "silent for" << m_lastHeard.elapsed()
                                    << "ms: closing";
            closeWith(CloseCode::Silent, QStringLiteral("no answer to pings"), true);
        } else {
            if (m_socket->state() == QAbstractSocket::ConnectedState)
                m_socket->ping();
        }
    });
    heartbeat->start();
}

QByteArray AgentConnection::helloResult(const QJsonValue &id) const
{
    return jsonrpc::result(id, QJsonObject{{QStringLiteral("agentId"), m_agentId},
                                           {QStringLiteral("protocol"), QStringLiteral("ccpm.agent.v1")}});
}

bool AgentConnection::runsAlongside(const Prepared &prepared)
{
    return !prepared.call || prepared.call->method == Call::Method::SetStatus ||
           prepared.call->method == Call::Method::TaskProgress;
}

QCoro::Task<> AgentConnection::sendOldest(std::deque<QCoro::Task<QByteArray>> &running)
{
    QCoro::Task<QByteArray> oldest = std::move(running.front());
    running.pop_front();
    const QByteArray reply = co_await oldest;
    if (!reply.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState)
        send(reply);
}

QCoro::Task<> AgentConnection::drain()
{
    m_draining = true;
    // Answers under way, in frame order. Status and progress reports (and error replies) run side
    // by side, so the reports an agent sends while one batch is written join the next batch;
    // any other request waits for them, then runs alone. Replies leave in frame order.
    std::deque<QCoro::Task<QByteArray>> running;
    while (!m_events.isEmpty() || !running.empty()) {
        if (!running.empty() &&
            (m_events.isEmpty() || running.front().isReady() || running.size() >= kMaxRunning)) {
            co_await sendOldest(running);
            continue;
        }
        const Event event = m_events.dequeue();
        if (event.kind == Event::Closed) {
            while (!running.empty()) // their writes first: a status sent before the close loses
                co_await sendOldest(running);
            // Not when a newer connection of the agent is live, in this hub thread or another
            // (whose request to close this one may still be on its way).
            if (m_authenticated && m_markInactive && m_services.registry->isLive(m_agentId, m_sequence)) {
                Result<AgentRow> row =
                    co_await m_services.statusWriter->report(m_agentId, AgentStatus::Inactive);
                if (!row)
                    qCWarning(lcHub).noquote()
                        << "could not mark agent" << m_agentId << "inactive:" << row.error().toString();
            }
            finish();
            co_return;
        }
        if (m_closing)
            continue; // refused or closing: requests are not answered
        m_queuedBytes -= event.cost();
        if (m_awaitingHello) {
            const jsonrpc::Parsed parsed = jsonrpc::parse(event.payload); // a binary frame: empty, refused
            // The first request must be agent.hello with the token; anything else closes.
            const QJsonValue token = parsed.request
                                         ? parsed.request->params.toObject().value(QLatin1String("token"))
                                         : QJsonValue();
            if (!parsed.request || parsed.request->method != QLatin1String("agent.hello") ||
                !token.isString() || token.toString().isEmpty()) {
                m_awaitingHello = false;
                emit tokenRefused();
                closeWith(CloseCode::Unauthorized, QStringLiteral("send agent.hello with the token first"),
                          false);
                continue;
            }
            m_awaitingHello = false;
            const QString tokenText = token.toString();
            const bool accepted = co_await checkToken(tokenText);
            if (accepted && !m_closing && !parsed.request->isNotification() &&
                m_socket->state() == QAbstractSocket::ConnectedState)
                send(helloResult(parsed.request->id));
            continue;
        }
        if (!m_authenticated)
            continue;
        Prepared prepared = prepare(event);
        if (runsAlongside(prepared)) {
            running.push_back(answer(std::move(prepared)));
            continue;
        }
        // task.accept after a status report, task.complete after a progress report: in the
        // order sent, each on the row the one before it left.
        while (!running.empty())
            co_await sendOldest(running);
        running.push_back(answer(std::move(prepared)));
        co_await sendOldest(running);
    }
    m_draining = false;
}

AgentConnection::Prepared AgentConnection::prepare(const Event &event)
{
    const jsonrpc::Parsed parsed =
        event.kind == Event::Binary
            ? jsonrpc::Parsed{std::nullopt,
                              jsonrpc::error(QJsonValue::Null, jsonrpc::InvalidRequest,
                                             QStringLiteral("Invalid Request: send JSON-RPC as text frames"))}
            : jsonrpc::parse(event.payload);
    const QJsonValue id = parsed.request ? parsed.request->id : QJsonValue(QJsonValue::Null);
    Prepared prepared;
    prepared.notification = parsed.request && parsed.request->isNotification();
    // Every frame counts against the rate limit, answerable or not; over it: refused, not carried out.
    prepared.reply = rateLimited(id);
    if (prepared.reply.isEmpty() && !parsed.request)
        prepared.reply = parsed.errorResponse;
    if (prepared.reply.isEmpty()) {
        Decoded decoded = decodeRequest(*parsed.request);
        prepared.call = std::move(decoded.call);
        prepared.reply = std::move(decoded.errorReply);
    }
    return prepared;
}

QCoro::Task<QByteArray> AgentConnection::answer(Prepared prepared)
{
    QByteArray reply = prepared.reply;
    if (prepared.call)
        reply = co_await handle(*prepared.call);
    if (prepared.notification)
        reply.clear();
    co_return reply;
}

void AgentConnection::finish()
{
    qCInfo(lcHub).noquote() << "connection closed:" << (m_agentId.isEmpty() ? m_peer : m_agentId);
    emit finished();
    deleteLater();
}

QCoro::Task<QByteArray> AgentConnection::handle(Call call)
{
    if (call.method == Call::Method::SetStatus)
        co_return co_await setStatus(call);
    if (call.method == Call::Method::Hello) {
        // Already authenticated (by header or an earlier hello): the same token is fine, another
        // one does not switch the connection to another agent.
        if (call.token && *call.token != m_token)
            co_return jsonrpc::error(
                call.request.id, jsonrpc::NotPermitted,
                QStringLiteral("Not permitted: this connection is agent %1; another token needs "
                               "its own connection")
                    .arg(m_agentId));
        co_return helloResult(call.request.id);
    }
    if (TaskMethods::handles(call.method))
        co_return co_await m_services.tasks->call(m_agentId, call);
    co_return co_await m_services.messages->call(m_agentId, call);
}

QCoro::Task<QByteArray> AgentConnection::setStatus(Call call)
{
    const AgentStatus status = call.status;
    Result<AgentRow> row = co_await m_services.statusWriter->report(m_agentId, status);
    if (!row)
        co_return jsonrpc::databaseError(call.request.id, row.error());
    co_return jsonrpc::result(call.request.id,
                              QJsonObject{{QStringLiteral("agentId"), row->id},
                                          {QStringLiteral("status"), toDb(row->status)},
                                          {QStringLiteral("lastSeenAt"), sql::isoUtcText(row->lastSeenAt)}});
}

} // namespace ccpm::hub
