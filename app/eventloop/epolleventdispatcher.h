#pragma once

#include <QAbstractEventDispatcher>

#include <atomic>
#include <chrono>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace ccpm {

/// An event dispatcher for threads that hold thousands of sockets: the agent hub's threads and
/// the load generator (`ccpm-agent --simulate`).
///
/// Qt's own UNIX dispatcher hands every socket notifier to `poll()` on every wake-up and walks
/// them all again afterwards, so each wake-up costs O(sockets). With 10,000 agents that was about
/// 15 % of the hub thread's time and 35 % of the load generator's (docs/performance.md, "an epoll
/// event dispatcher"). This one keeps the notifiers in a Linux `epoll` set (epoll(7),
/// level-triggered, the same readiness `poll()` reports), so a wake-up costs O(ready sockets).
/// Timers are kept ordered by deadline. Changes to the set wait until the thread is about to
/// wait: a write notifier that a socket enables for a reply and disables once it has flushed it,
/// in one pass, costs no system call.
///
/// Behaviour follows QEventDispatcherUNIX: posted events first, then ready socket notifiers (a
/// read notifier on POLLIN/HUP/ERR, a write notifier on POLLOUT/ERR, an exception notifier on
/// POLLPRI), then due timers, each at most once per pass. Every timer type is kept precise to the
/// millisecond (Qt may let coarse timers drift by 5 %). A notifier enabled after a wait gets
/// none of that wait's events, as with Qt's; level triggering reports them again if they hold.
/// A file `epoll` refuses (a regular file) counts as always ready, as `poll()` says.
///
/// Thread: it belongs to one thread (QThread::setEventDispatcher before start(), or
/// QCoreApplication::setEventDispatcher before the application); only wakeUp() and interrupt()
/// may be called from others. Errors: failing to create the epoll set or the eventfd is fatal
/// (qFatal), as it is for Qt's own dispatcher; other system-call failures are logged.
class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    /// The notifiers of one file descriptor, by QSocketNotifier::Type (Read, Write, Exception).
    struct Watch {
        QSocketNotifier *notifiers[3] = {};
        quint64 setAfterWait[3] = {}; // a notifier ignores the events of this wait and earlier ones
        quint64 handledInWait = 0;    // the wait whose events last reached it
        quint32 kernelEvents = 0;     // what the epoll set was last told
        bool inEpoll = false;
        bool emptied = false;    // lost every notifier since: the descriptor may be a new one
        bool dirty = false;      // in m_dirty
        bool unpollable = false; // epoll refused it: always ready
    };
    struct Timer {
        QObject *object = nullptr;
        qint64 interval = 0; // ms
        Qt::TimerType type = Qt::CoarseTimer;
        Clock::time_point deadline;
        quint64 serial = 0; // tells a re-registered id from the timer that was due
        bool firing = false;
    };

    void markDirty(int fd, Watch &watch);
    void applyChanges();
    int waitTimeout(bool timers, bool notifiers) const;
    int activateSocket(quint64 data, quint32 events, quint64 wait);
    int activateUnpollable();
    int activateTimers();
    void drainWakeUp();
    void forgetTimer(int timerId, const Timer &timer);

    int m_epoll = -1;     // the notifiers and the wake-up
    int m_wakeEpoll = -1; // the wake-up alone, for passes that exclude socket notifiers
    int m_wakeFd = -1;    // eventfd(2)
    std::atomic<bool> m_woken{false};
    std::atomic<bool> m_interrupted{false};
    quint64 m_waits = 0; // epoll_wait calls so far, nested ones included

    std::unordered_map<int, Watch> m_watches; // by file descriptor
    std::vector<int> m_dirty;                 // watches changed since the last wait
    int m_unpollableCount = 0;

    std::unordered_map<int, Timer> m_timers; // by timer id
    std::set<std::pair<Clock::time_point, int>> m_deadlines;
    std::unordered_multimap<QObject *, int> m_timersOf;
    quint64 m_timerSerial = 0;
};

/// The dispatcher for a thread that will hold many sockets: an EpollEventDispatcher, or nullptr
/// (Qt's default) when the environment says CCPM_EVENT_DISPATCHER=qt, which is how the benchmark
/// compares the two. The caller installs it and Qt owns it from then on.
QAbstractEventDispatcher *makeSocketEventDispatcher();

} // namespace ccpm
