#include "hub/loginthrottle.h"

#include <QElapsedTimer>

namespace ccpm::hub {

namespace {
// Every address of 127.0.0.0/8 (and ::1) is this machine: one key, or a guesser would only
// need to change its source address to escape the throttle.
QHostAddress keyOf(const QHostAddress &address)
{
    return address.isLoopback() ? QHostAddress(QHostAddress::LocalHost) : address;
}
} // namespace

LoginThrottle::LoginThrottle(int maxFailures, int windowMs, int intervalMs, Clock clock)
    : m_maxFailures(maxFailures)
    , m_windowMs(windowMs)
    , m_intervalMs(intervalMs)
    , m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
}

bool LoginThrottle::throttled(const Entry &entry, qint64 now) const
{
    return entry.failures >= m_maxFailures && now - entry.windowStart < m_windowMs;
}

bool LoginThrottle::admit(const QHostAddress &address)
{
    const qint64 now = m_clock();
    const auto it = m_entries.find(keyOf(address));
    if (it == m_entries.end() || !throttled(*it, now))
        return true;
    if (it->lastCheck >= 0 && now - it->lastCheck < m_intervalMs)
        return false;
    it->lastCheck = now;
    return true;
}

void LoginThrottle::failed(const QHostAddress &address)
{
    const qint64 now = m_clock();
    forgetOld(now);
    Entry &entry = m_entries[keyOf(address)];
    if (entry.failures == 0 || now - entry.windowStart >= m_windowMs)
        entry = Entry{now, 0, -1};
    ++entry.failures;
}

qint64 LoginThrottle::retryAfter(const QHostAddress &address) const
{
    const qint64 now = m_clock();
    const auto it = m_entries.constFind(keyOf(address));
    if (it == m_entries.cend() || !throttled(*it, now) || it->lastCheck < 0)
        return 0;
    return std::max<qint64>(0, m_intervalMs - (now - it->lastCheck));
}

void LoginThrottle::forgetOld(qint64 now)
{
    // Bounded memory under a spray of addresses: windows that ended carry nothing.
    if (m_entries.size() < 4096)
        return;
    m_entries.removeIf([this, now](const auto &it) { return now - it.value().windowStart >= m_windowMs; });
}

} // namespace ccpm::hub
