#pragma once

#include <QRandomGenerator>

namespace ccpm::agent {

/// Reconnection delays: exponential backoff with full jitter. The n-th delay (n from 0) is drawn
/// uniformly from [0, min(cap, initial * 2^n)] milliseconds, so a thousand agents that lost the
/// hub at the same moment do not all come back at the same moment. reset() starts over (after a
/// connection that proved stable).
/// Units: milliseconds. Errors: none. Thread: plain value, any thread; not shared.
class Backoff {
public:
    explicit Backoff(int initialMs = 500, int capMs = 30000, QRandomGenerator *random = nullptr)
        : m_initialMs(initialMs)
        , m_capMs(capMs)
        , m_random(random ? random : QRandomGenerator::global())
    {
    }

    /// The upper bound of the next delay: min(cap, initial * 2^attempts()).
    int ceilingMs() const
    {
        qint64 ceiling = m_initialMs;
        for (int i = 0; i < m_attempts && ceiling < m_capMs; ++i)
            ceiling *= 2;
        return int(std::min<qint64>(ceiling, m_capMs));
    }

    /// Draws the next delay and counts the attempt.
    int nextDelayMs()
    {
        const int ceiling = ceilingMs();
        ++m_attempts;
        return int(m_random->bounded(quint32(ceiling) + 1));
    }

    void reset() { m_attempts = 0; }
    /// Delays drawn since the last reset().
    int attempts() const { return m_attempts; }

private:
    int m_initialMs;
    int m_capMs;
    QRandomGenerator *m_random;
    int m_attempts = 0;
};

} // namespace ccpm::agent
