#include "hub/hubregistry.h"

#include "hub/hubserver.h"

#include <QMutexLocker>

namespace ccpm::hub {

HubRegistry::HubRegistry(const HubSettings &settings, QObject *parent)
    : QObject(parent)
    , m_maxConnections(settings.maxConnections)
    , m_throttle(settings.maxFailedLogins, settings.failedLoginWindowMs, settings.throttledLoginIntervalMs)
{
}

bool HubRegistry::reserveConnection()
{
    int open = m_open.load();
    do {
        if (open >= m_maxConnections)
            return false;
    } while (!m_open.compare_exchange_weak(open, open + 1));
    return true;
}

void HubRegistry::releaseConnection()
{
    --m_open;
}

bool HubRegistry::admitLogin(const QHostAddress &address)
{
    const QMutexLocker lock(&m_mutex);
    return m_throttle.admit(address);
}

void HubRegistry::loginFailed(const QHostAddress &address)
{
    const QMutexLocker lock(&m_mutex);
    m_throttle.failed(address);
}

qint64 HubRegistry::loginRetryAfter(const QHostAddress &address) const
{
    const QMutexLocker lock(&m_mutex);
    return m_throttle.retryAfter(address);
}

HubRegistry::Claim HubRegistry::claim(const QString &agentId, HubServer *server, quint64 sequence)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_live.constFind(agentId);
    if (it == m_live.cend()) {
        m_live.insert(agentId, Live{server, sequence});
        emit connectedAgentsChanged(int(m_live.size()));
        emit agentPresenceChanged(agentId, true);
        return {};
    }
    // The connection that arrived last wins, whichever token check finished first.
    if (it->sequence > sequence)
        return Claim{Claim::Superseded, 0};
    const Live previous = *it;
    m_live.insert(agentId, Live{server, sequence});
    if (previous.server == server)
        return Claim{Claim::Replacing, previous.sequence};
    // Posted while the lock is held: forget() takes it before that server is destroyed, so the
    // pointer is valid here (a destroyed receiver's posted events are dropped with it).
    HubServer *other = previous.server;
    QMetaObject::invokeMethod(
        other, [other, agentId, sequence = previous.sequence] { other->closeReplaced(agentId, sequence); },
        Qt::QueuedConnection);
    return {};
}

void HubRegistry::forget(HubServer *server)
{
    const QMutexLocker lock(&m_mutex);
    for (auto it = m_live.begin(); it != m_live.end();) {
        if (it->server != server) {
            ++it;
            continue;
        }
        const QString agentId = it.key();
        it = m_live.erase(it);
        emit connectedAgentsChanged(int(m_live.size()));
        emit agentPresenceChanged(agentId, false);
    }
}

bool HubRegistry::release(const QString &agentId, quint64 sequence)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_live.constFind(agentId);
    if (it == m_live.cend() || it->sequence != sequence)
        return false;
    m_live.erase(it);
    emit connectedAgentsChanged(int(m_live.size()));
    emit agentPresenceChanged(agentId, false);
    return true;
}

bool HubRegistry::isLive(const QString &agentId, quint64 sequence) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_live.constFind(agentId);
    return it != m_live.cend() && it->sequence == sequence;
}

int HubRegistry::connectedAgents() const
{
    const QMutexLocker lock(&m_mutex);
    return int(m_live.size());
}

} // namespace ccpm::hub
