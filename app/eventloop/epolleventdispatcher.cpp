#include "eventloop/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>

#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <vector>

Q_LOGGING_CATEGORY(lcEpoll, "ccpm.eventloop")

namespace ccpm {

namespace {

// The wake-up's epoll data; a watch's is its descriptor, which is never this.
constexpr quint64 wakeUpData = std::numeric_limits<quint64>::max();
// Events handled per wait; more ready sockets than this are reported by the next wait.
constexpr int readyPerWait = 512;

bool belongsHere(const QObject *object, const QObject *dispatcher, const char *what)
{
    if (object->thread() == dispatcher->thread() && dispatcher->thread() == QThread::currentThread())
        return true;
    qCWarning(lcEpoll, "%s from another thread is ignored", what);
    return false;
}

} // namespace

QAbstractEventDispatcher *makeSocketEventDispatcher()
{
    if (qEnvironmentVariable("CCPM_EVENT_DISPATCHER") == QLatin1String("qt"))
        return nullptr;
    return new EpollEventDispatcher;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeEpoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeEpoll < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create the epoll set or eventfd: %s", std::strerror(errno));
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = wakeUpData;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &wake) != 0 ||
        epoll_ctl(m_wakeEpoll, EPOLL_CTL_ADD, m_wakeFd, &wake) != 0)
        qFatal("EpollEventDispatcher: cannot watch its eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_wakeEpoll);
    ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool timers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool notifiers = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    // No "are events still posted?" check as Qt's has: every postEvent() calls wakeUp(), which
    // leaves the eventfd readable until the next pass has sent them.
    const bool canWait =
        flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted.load(std::memory_order_relaxed);
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;

    // On the stack: a slot may run a nested event loop, whose waits must not overwrite this one's.
    std::array<epoll_event, readyPerWait> ready;
    applyChanges();
    const int timeout = canWait ? waitTimeout(timers, notifiers) : 0;
    const int count = epoll_wait(notifiers ? m_epoll : m_wakeEpoll, ready.data(), readyPerWait, timeout);
    if (count < 0 && errno != EINTR)
        qCWarning(lcEpoll, "epoll_wait: %s", std::strerror(errno));
    const quint64 wait = ++m_waits;

    int handled = 0;
    for (int i = 0; i < count; ++i) {
        if (ready[i].data.u64 == wakeUpData) {
            drainWakeUp();
            ++handled;
        } else {
            handled += activateSocket(ready[i].data.u64, ready[i].events, wait);
        }
    }
    if (notifiers && m_unpollableCount > 0)
        handled += activateUnpollable();
    if (timers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::waitTimeout(bool timers, bool notifiers) const
{
    if (notifiers && m_unpollableCount > 0)
        return 0;
    if (!timers || m_deadlines.empty())
        return -1;
    const auto left = m_deadlines.begin()->first - Clock::now();
    if (left <= Clock::duration::zero())
        return 0;
    // Rounded up: waking before the deadline would only wait again.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
}

void EpollEventDispatcher::drainWakeUp()
{
    // Read, then cleared, as Qt's own thread pipe does. A wakeUp() in between writes nothing,
    // which is fine: the next pass sends every event posted before it. Cleared first, the read
    // could swallow a write made after the clearing and leave the flag set with nothing to
    // read, and every later wakeUp() would be lost.
    quint64 count = 0;
    while (::read(m_wakeFd, &count, sizeof count) < 0 && errno == EINTR) {
    }
    m_woken.store(false, std::memory_order_release);
}

void EpollEventDispatcher::wakeUp()
{
    if (m_woken.exchange(true, std::memory_order_acq_rel))
        return; // the eventfd is already readable
    const quint64 one = 1;
    while (::write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

// --- socket notifiers ---

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    if (!belongsHere(notifier, this, "Enabling a socket notifier"))
        return;
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    QSocketNotifier *&slot = watch.notifiers[notifier->type()];
    if (slot && slot != notifier)
        qCWarning(lcEpoll, "two socket notifiers of one type for socket %d; the later one wins", fd);
    slot = notifier;
    watch.setAfterWait[notifier->type()] = m_waits;
    markDirty(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    if (!belongsHere(notifier, this, "Disabling a socket notifier"))
        return;
    const int fd = int(notifier->socket());
    const auto found = m_watches.find(fd);
    if (found == m_watches.end() || found->second.notifiers[notifier->type()] != notifier)
        return;
    Watch &watch = found->second;
    watch.notifiers[notifier->type()] = nullptr;
    if (!watch.notifiers[0] && !watch.notifiers[1] && !watch.notifiers[2])
        watch.emptied = true;
    markDirty(fd, watch);
}

void EpollEventDispatcher::markDirty(int fd, Watch &watch)
{
    if (!watch.dirty) {
        watch.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::applyChanges()
{
    for (const int fd : m_dirty) {
        const auto found = m_watches.find(fd);
        if (found == m_watches.end())
            continue;
        Watch &watch = found->second;
        watch.dirty = false;
        quint32 wanted = 0;
        if (watch.notifiers[QSocketNotifier::Read])
            wanted |= EPOLLIN;
        if (watch.notifiers[QSocketNotifier::Write])
            wanted |= EPOLLOUT;
        if (watch.notifiers[QSocketNotifier::Exception])
            wanted |= EPOLLPRI;

        if (wanted == 0) {
            // Removed rather than kept with no events: epoll reports hang-ups and errors anyway.
            // ENOENT/EBADF: the descriptor was closed, which removed it already.
            if (watch.inEpoll && epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != ENOENT &&
                errno != EBADF)
                qCWarning(lcEpoll, "epoll_ctl(DEL, %d): %s", fd, std::strerror(errno));
            m_unpollableCount -= watch.unpollable ? 1 : 0;
            m_watches.erase(found);
            continue;
        }
        // Emptied and filled again in one pass, the descriptor may have been closed and its
        // number reused: the set is told again, whatever it was told before.
        if (watch.unpollable && watch.emptied) {
            watch.unpollable = false;
            --m_unpollableCount;
        }
        if (watch.unpollable || (watch.inEpoll && wanted == watch.kernelEvents && !watch.emptied))
            continue;
        watch.emptied = false;
        epoll_event event{};
        event.events = wanted;
        event.data.u64 = quint64(quint32(fd));
        int op = watch.inEpoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        int result = epoll_ctl(m_epoll, op, fd, &event);
        if (result != 0 && op == EPOLL_CTL_MOD && errno == ENOENT) // closed and reopened
            result = epoll_ctl(m_epoll, op = EPOLL_CTL_ADD, fd, &event);
        else if (result != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
            result = epoll_ctl(m_epoll, op = EPOLL_CTL_MOD, fd, &event);
        if (result == 0) {
            watch.inEpoll = true;
            watch.kernelEvents = wanted;
        } else if (errno == EPERM) {
            watch.unpollable = true; // a regular file or a directory: poll() calls those always ready
            watch.inEpoll = false;
            ++m_unpollableCount;
        } else {
            qCWarning(lcEpoll, "epoll_ctl(%s, %d): %s; its notifiers will not fire",
                      op == EPOLL_CTL_ADD ? "ADD" : "MOD", fd, std::strerror(errno));
        }
    }
    m_dirty.clear();
}

int EpollEventDispatcher::activateSocket(quint64 data, quint32 events, quint64 wait)
{
    const int fd = int(quint32(data));
    // As poll() maps them for QEventDispatcherUNIX.
    const quint32 readiness[3] = {EPOLLIN | EPOLLHUP | EPOLLERR, EPOLLOUT | EPOLLERR, EPOLLPRI};
    int activated = 0;
    for (int type = 0; type < 3; ++type) {
        if (!(events & readiness[type]))
            continue;
        // Looked up again each time: the previous notifier's slots may have changed the set. A
        // nested loop's later wait may have handled the socket already.
        const auto found = m_watches.find(fd);
        if (found == m_watches.end() || found->second.handledInWait > wait)
            break;
        Watch &watch = found->second;
        QSocketNotifier *notifier = watch.notifiers[type];
        if (!notifier || wait <= watch.setAfterWait[type])
            continue;
        watch.handledInWait = wait;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

int EpollEventDispatcher::activateUnpollable()
{
    std::vector<std::pair<int, QSocketNotifier *>> ready;
    for (const auto &[fd, watch] : m_watches) {
        if (!watch.unpollable)
            continue;
        for (QSocketNotifier *notifier : watch.notifiers) {
            if (notifier && notifier->type() != QSocketNotifier::Exception)
                ready.emplace_back(fd, notifier);
        }
    }
    int activated = 0;
    for (const auto &[fd, notifier] : ready) {
        const auto found = m_watches.find(fd);
        if (found == m_watches.end() || found->second.notifiers[notifier->type()] != notifier)
            continue; // disabled by an earlier one's slot
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

// --- timers ---

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qCWarning(lcEpoll, "registerTimer: invalid arguments");
        return;
    }
    if (!belongsHere(object, this, "Starting a timer"))
        return;
    if (const auto old = m_timers.find(timerId); old != m_timers.end()) {
        forgetTimer(timerId, old->second);
        m_timers.erase(old);
    }
    Timer timer{object,          interval, timerType, Clock::now() + std::chrono::milliseconds(interval),
                ++m_timerSerial, false};
    m_deadlines.emplace(timer.deadline, timerId);
    m_timersOf.emplace(object, timerId);
    m_timers.emplace(timerId, timer);
}

void EpollEventDispatcher::forgetTimer(int timerId, const Timer &timer)
{
    m_deadlines.erase({timer.deadline, timerId});
    auto [first, last] = m_timersOf.equal_range(timer.object);
    for (auto it = first; it != last; ++it) {
        if (it->second == timerId) {
            m_timersOf.erase(it);
            break;
        }
    }
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto found = m_timers.find(timerId);
    if (found == m_timers.end())
        return false;
    if (!belongsHere(found->second.object, this, "Stopping a timer"))
        return false;
    forgetTimer(timerId, found->second);
    m_timers.erase(found);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    auto [first, last] = m_timersOf.equal_range(object);
    if (first == last)
        return false;
    if (!belongsHere(object, this, "Stopping timers"))
        return false;
    for (auto it = first; it != last; ++it) {
        const auto timer = m_timers.find(it->second);
        m_deadlines.erase({timer->second.deadline, it->second});
        m_timers.erase(timer);
    }
    m_timersOf.erase(object);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    auto [first, last] = m_timersOf.equal_range(object);
    for (auto it = first; it != last; ++it) {
        const Timer &timer = m_timers.at(it->second);
        timers.append(TimerInfo(it->second, int(timer.interval), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto found = m_timers.find(timerId);
    if (found == m_timers.end())
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(found->second.deadline - Clock::now());
    return int(std::max<qint64>(left.count(), 0));
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const Clock::time_point now = Clock::now();
    // The timers due now, taken before any fires: one that a slot starts, or that comes due again
    // (an interval of 0), waits for the next pass, so timers cannot starve sockets.
    std::vector<std::pair<int, quint64>> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.emplace_back(it->second, m_timers.at(it->second).serial);

    int fired = 0;
    for (const auto &[timerId, serial] : due) {
        auto found = m_timers.find(timerId);
        // Gone, replaced by a new timer under the same id, or still in its slot (a nested loop).
        if (found == m_timers.end() || found->second.serial != serial || found->second.firing)
            continue;
        Timer &timer = found->second;
        // Rescheduled before it fires so that its slot may stop or restart it. As Qt's precise
        // timers: the next deadline keeps the cadence unless the thread fell behind it.
        m_deadlines.erase({timer.deadline, timerId});
        timer.deadline += std::chrono::milliseconds(timer.interval);
        if (timer.deadline < now)
            timer.deadline = now + std::chrono::milliseconds(timer.interval);
        m_deadlines.emplace(timer.deadline, timerId);
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        if (found = m_timers.find(timerId); found != m_timers.end() && found->second.serial == serial)
            found->second.firing = false;
    }
    return fired;
}

} // namespace ccpm
