#pragma once
// The longest GUI stall a benchmark saw: the largest gap between ticks of a 5 ms timer beyond its
// interval, i.e. how long the thread's event loop could not run anything. Thread: the one whose
// event loop is measured (create, start and read it there).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace ccpm::bench {

class StallMeter {
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gapMs = double(now - m_last) / 1e6 - kIntervalMs;
            m_worstMs = std::max(m_worstMs, gapMs);
            if (gapMs > 50)
                ++m_over50;
            m_last = now;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_timer.start(kIntervalMs);
    }
    void stop() { m_timer.stop(); }
    /// Forgets the stalls so far (a measurement window starts).
    void reset()
    {
        m_worstMs = 0;
        m_over50 = 0;
    }
    double worstMs() const { return m_worstMs; }
    int over50() const { return m_over50; }

private:
    static constexpr int kIntervalMs = 5;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_worstMs = 0;
    int m_over50 = 0;
};

} // namespace ccpm::bench
