#pragma once

#include <QHash>
#include <QHostAddress>

#include <functional>

namespace ccpm::hub {

/// Slows down token guessing, per remote address (all loopback addresses count as one): after `maxFailures`
/// failed token checks within `windowMs`, the address gets one check per `intervalMs` until its window has
/// passed (HubSettings). It throttles instead of locking out, because every local agent shares 127.0.0.1: one
/// misconfigured agent must not keep the others out, only slow them to a check per second, and reconnecting
/// agents get through on their next try. Units: milliseconds of a monotonic clock (injectable for tests).
/// Thread: the hub thread.
class LoginThrottle {
public:
    using Clock = std::function<qint64()>; ///< milliseconds, monotonic

    LoginThrottle(int maxFailures, int windowMs, int intervalMs, Clock clock = {});

    /// May a connection from `address` have its token checked now? Counts the check when the
    /// address is throttled.
    bool admit(const QHostAddress &address);
    void failed(const QHostAddress &address);
    /// Milliseconds until `address` may try again (0 when it may now).
    qint64 retryAfter(const QHostAddress &address) const;
    qsizetype trackedAddresses() const { return m_entries.size(); }

private:
    struct Entry {
        qint64 windowStart = 0;
        int failures = 0;
        qint64 lastCheck = -1;
    };
    bool throttled(const Entry &entry, qint64 now) const;
    void forgetOld(qint64 now);

    int m_maxFailures;
    int m_windowMs;
    int m_intervalMs;
    Clock m_clock;
    QHash<QHostAddress, Entry> m_entries;
};

} // namespace ccpm::hub
