// EpollEventDispatcher: the whole test runs on it (main() installs it before the application),
// so every QTRY_ and QSignalSpy::wait below waits through it as well.
#include "eventloop/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using ccpm::EpollEventDispatcher;

namespace {

/// A connected pair of Unix sockets, closed on destruction (fd -1 once closed by the test).
struct SocketPair {
    int fd[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) == 0); }
    ~SocketPair()
    {
        for (int f : fd)
            if (f >= 0)
                ::close(f);
    }
    void closeFirst()
    {
        ::close(fd[0]);
        fd[0] = -1;
    }
    void makeReadable() const { QCOMPARE(::write(fd[1], "x", 1), ssize_t(1)); }
};

/// Counts the timer events it gets, with the time of each.
class TimerCounter : public QObject {
public:
    QList<qint64> firedAtMs;
    QElapsedTimer clock;
    TimerCounter() { clock.start(); }

protected:
    void timerEvent(QTimerEvent *) override { firedAtMs.append(clock.elapsed()); }
};

} // namespace

class tst_EpollEventDispatcher : public QObject {
    Q_OBJECT

private slots:
    void installedForTheApplication();
    void threadsGetItUnlessTheEnvironmentSaysQt();

    void singleShotTimersFireInDeadlineOrderNotEarly();
    void repeatingTimerKeepsItsCadence();
    void timerStoppedByAnEarlierSlotDoesNotFire();
    void registeredTimersAndRemainingTime();
    void zeroTimerDoesNotStarveSockets();

    void tcpEchoOfEightMebibytes();
    void peerCloseIsSeen();
    void notifierDisabledByAnEarlierSlotIsNotActivated();
    void reusedDescriptorGetsNoStaleEvent();
    void regularFileIsAlwaysReady();
    void excludeSocketNotifiersLeavesThemAlone();
    void nestedLoopInASlotDoesNotActivateTwice();

    void postFromAnotherThreadWakesTheWait();
    void interruptFromAnotherThreadEndsTheWait();
    void noWakeUpIsLostUnderConcurrentPosts();
};

void tst_EpollEventDispatcher::installedForTheApplication()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

void tst_EpollEventDispatcher::threadsGetItUnlessTheEnvironmentSaysQt()
{
    // Given a thread given makeSocketEventDispatcher()'s dispatcher
    QThread thread;
    QAbstractEventDispatcher *dispatcher = ccpm::makeSocketEventDispatcher();
    QVERIFY(qobject_cast<EpollEventDispatcher *>(dispatcher));
    thread.setEventDispatcher(dispatcher);
    thread.start();
    // Then a timer started there fires there
    QObject context;
    context.moveToThread(&thread);
    std::atomic<bool> fired{false};
    QMetaObject::invokeMethod(&context, [&] { QTimer::singleShot(5, &context, [&] { fired = true; }); });
    QTRY_VERIFY(fired.load());
    QCOMPARE(QAbstractEventDispatcher::instance(&thread), dispatcher);
    thread.quit();
    QVERIFY(thread.wait(5000));

    // And the environment can ask for Qt's own
    qputenv("CCPM_EVENT_DISPATCHER", "qt");
    QCOMPARE(ccpm::makeSocketEventDispatcher(), nullptr);
    qunsetenv("CCPM_EVENT_DISPATCHER");
}

void tst_EpollEventDispatcher::singleShotTimersFireInDeadlineOrderNotEarly()
{
    QElapsedTimer clock;
    clock.start();
    QList<int> order;
    QList<qint64> at;
    for (const int ms : {40, 10, 25, 0}) {
        QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
            order.append(ms);
            at.append(clock.elapsed());
        });
    }
    QTRY_COMPARE(order.size(), 4);
    QCOMPARE(order, (QList<int>{0, 10, 25, 40}));
    for (int i = 0; i < order.size(); ++i)
        QVERIFY2(at[i] >= order[i],
                 qPrintable(QString("%1 ms timer fired at %2 ms").arg(order[i]).arg(at[i])));
}

void tst_EpollEventDispatcher::repeatingTimerKeepsItsCadence()
{
    // A repeating timer's k-th event comes no earlier than k intervals after its start.
    TimerCounter counter;
    const int id = counter.startTimer(15, Qt::PreciseTimer);
    QVERIFY(id > 0);
    QTRY_VERIFY(counter.firedAtMs.size() >= 5);
    counter.killTimer(id);
    for (int k = 0; k < counter.firedAtMs.size(); ++k)
        QVERIFY2(counter.firedAtMs[k] >= 15 * (k + 1),
                 qPrintable(QString("event %1 at %2 ms").arg(k + 1).arg(counter.firedAtMs[k])));
    const qsizetype fired = counter.firedAtMs.size();
    QTest::qWait(50);
    QCOMPARE(counter.firedAtMs.size(), fired); // killed: no more
}

void tst_EpollEventDispatcher::timerStoppedByAnEarlierSlotDoesNotFire()
{
    // Given two timers due in the same pass, each stopping the other from its slot
    QTimer first, second;
    for (QTimer *timer : {&first, &second}) {
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
    }
    int fired = 0;
    connect(&first, &QTimer::timeout, this, [&] {
        ++fired;
        second.stop();
    });
    connect(&second, &QTimer::timeout, this, [&] {
        ++fired;
        first.stop();
    });
    first.start(5);
    second.start(5);
    QThread::msleep(20); // both are due before the next pass
    // When that pass runs
    QCoreApplication::processEvents();
    QTest::qWait(30);
    // Then only one of them fired
    QCOMPARE(fired, 1);
}

void tst_EpollEventDispatcher::registeredTimersAndRemainingTime()
{
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    TimerCounter counter;
    const int slow = counter.startTimer(60000, Qt::CoarseTimer);
    const int fast = counter.startTimer(20, Qt::PreciseTimer);
    const auto timers = dispatcher->registeredTimers(&counter);
    QCOMPARE(timers.size(), 2);
    for (const auto &timer : timers) {
        QVERIFY(timer.timerId == slow || timer.timerId == fast);
        QCOMPARE(timer.interval, timer.timerId == slow ? 60000 : 20);
        QCOMPARE(timer.timerType, timer.timerId == slow ? Qt::CoarseTimer : Qt::PreciseTimer);
    }
    const int left = dispatcher->remainingTime(slow);
    QVERIFY2(left > 50000 && left <= 60000, qPrintable(QString::number(left)));

    counter.killTimer(slow);
    QCOMPARE(dispatcher->remainingTime(slow), -1);
    QCOMPARE(dispatcher->registeredTimers(&counter).size(), 1);

    // Unregistering an object's timers stops them all
    QVERIFY(dispatcher->unregisterTimers(&counter));
    QVERIFY(dispatcher->registeredTimers(&counter).isEmpty());
    QVERIFY(!dispatcher->unregisterTimers(&counter));
    QTest::qWait(60);
    QVERIFY(counter.firedAtMs.isEmpty());
}

void tst_EpollEventDispatcher::zeroTimerDoesNotStarveSockets()
{
    // Given a 0 ms timer that is always due
    QTimer busy;
    int spins = 0;
    connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
    busy.start(0);
    // Then a socket still gets its turn, and so does a posted call
    SocketPair pair;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    bool posted = false;
    QMetaObject::invokeMethod(
        this, [&] { posted = true; }, Qt::QueuedConnection);
    pair.makeReadable();
    QTRY_VERIFY(activated.size() > 0 && posted);
    QVERIFY(spins > 0);
}

void tst_EpollEventDispatcher::tcpEchoOfEightMebibytes()
{
    // Large writes go out in pieces, each waiting for a write notifier.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    std::unique_ptr<QTcpSocket> accepted;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        connect(accepted.get(), &QTcpSocket::readyRead, this, [&] { accepted->write(accepted->readAll()); });
    });
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(5000) || client.state() == QAbstractSocket::ConnectedState);

    QByteArray sent(8 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < sent.size(); ++i)
        sent[i] = char(i * 7 + (i >> 12));
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.write(sent);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent.size(), 20000);
    QVERIFY(received == sent);
}

void tst_EpollEventDispatcher::peerCloseIsSeen()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> accepted(server.nextPendingConnection());
    QSignalSpy disconnected(accepted.get(), &QTcpSocket::disconnected);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.disconnectFromHost();
    QVERIFY(disconnected.wait(5000));
}

void tst_EpollEventDispatcher::notifierDisabledByAnEarlierSlotIsNotActivated()
{
    // Given two readable sockets, each notifier disabling the other from its slot
    SocketPair a, b;
    QSocketNotifier na(a.fd[0], QSocketNotifier::Read), nb(b.fd[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&na, &QSocketNotifier::activated, this, [&] {
        ++activations;
        nb.setEnabled(false);
        na.setEnabled(false);
    });
    connect(&nb, &QSocketNotifier::activated, this, [&] {
        ++activations;
        na.setEnabled(false);
        nb.setEnabled(false);
    });
    a.makeReadable();
    b.makeReadable();
    // When one pass sees both ready
    QCoreApplication::processEvents();
    QTest::qWait(20);
    // Then only the first is activated
    QCOMPARE(activations, 1);
}

void tst_EpollEventDispatcher::reusedDescriptorGetsNoStaleEvent()
{
    // Given two readable sockets; whichever slot runs first closes the other's descriptor and
    // opens a new, silent socket that gets the same number
    SocketPair a, b;
    auto na = std::make_unique<QSocketNotifier>(a.fd[0], QSocketNotifier::Read);
    auto nb = std::make_unique<QSocketNotifier>(b.fd[0], QSocketNotifier::Read);
    std::unique_ptr<SocketPair> fresh;
    std::unique_ptr<QSocketNotifier> freshNotifier;
    int reusedFd = -1, freshFd = -1, freshActivations = 0;
    const auto replace = [&](std::unique_ptr<QSocketNotifier> &victim, SocketPair &pair) {
        if (fresh)
            return;
        reusedFd = pair.fd[0];
        victim.reset();
        pair.closeFirst();
        fresh = std::make_unique<SocketPair>();
        freshFd = fresh->fd[0];
        freshNotifier = std::make_unique<QSocketNotifier>(freshFd, QSocketNotifier::Read);
        connect(freshNotifier.get(), &QSocketNotifier::activated, this, [&] {
            ++freshActivations;
            char byte;
            (void)::read(freshFd, &byte, 1);
        });
    };
    connect(na.get(), &QSocketNotifier::activated, this, [&] { replace(nb, b); });
    connect(nb.get(), &QSocketNotifier::activated, this, [&] { replace(na, a); });
    a.makeReadable();
    b.makeReadable();
    // When one pass sees both ready
    QCoreApplication::processEvents();
    QTest::qWait(20);
    // Then the closed socket's readiness did not reach the new one
    QVERIFY(fresh);
    QCOMPARE(freshFd, reusedFd); // the test's premise: the lowest free number comes back
    QCOMPARE(freshActivations, 0);
    // And the new one works
    fresh->makeReadable();
    QTRY_COMPARE(freshActivations, 1);
}

void tst_EpollEventDispatcher::regularFileIsAlwaysReady()
{
    // epoll refuses regular files; poll() calls them readable, and so does the dispatcher.
    QTemporaryFile file;
    QVERIFY(file.open());
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    QTRY_VERIFY(activated.size() > 0);
    notifier.setEnabled(false);
    const qsizetype seen = activated.size();
    QTest::qWait(20);
    QCOMPARE(activated.size(), seen);
}

void tst_EpollEventDispatcher::excludeSocketNotifiersLeavesThemAlone()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    pair.makeReadable();
    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(activated.size(), 0);
    QTRY_VERIFY(activated.size() > 0);
}

void tst_EpollEventDispatcher::nestedLoopInASlotDoesNotActivateTwice()
{
    // Given two readable sockets; A's slot runs a nested loop until B's slot has read
    SocketPair a, b;
    QSocketNotifier na(a.fd[0], QSocketNotifier::Read), nb(b.fd[0], QSocketNotifier::Read);
    int activationsOfB = 0, spuriousOfB = 0;
    QEventLoop nested;
    const auto readOne = [](int fd) {
        char byte;
        return ::read(fd, &byte, 1) == 1;
    };
    connect(&na, &QSocketNotifier::activated, this, [&] {
        QVERIFY(readOne(a.fd[0]));
        na.setEnabled(false);
        if (activationsOfB == 0)
            nested.exec();
    });
    connect(&nb, &QSocketNotifier::activated, this, [&] {
        ++activationsOfB;
        if (!readOne(b.fd[0]))
            ++spuriousOfB; // nothing to read: a stale activation
        nested.quit();
    });
    a.makeReadable();
    b.makeReadable();
    // When one pass sees both, and A's slot runs first (or B's, in which case A's loop is not run)
    QTRY_VERIFY(!na.isEnabled() && activationsOfB > 0);
    QTest::qWait(20);
    // Then B was activated once: the outer pass did not replay what the nested loop handled
    QCOMPARE(activationsOfB, 1);
    QCOMPARE(spuriousOfB, 0);
}

void tst_EpollEventDispatcher::postFromAnotherThreadWakesTheWait()
{
    // Given a loop waiting with nothing to do but a 10 s guard
    QEventLoop loop;
    bool guardFired = false;
    QTimer::singleShot(10000, &loop, [&] {
        guardFired = true;
        loop.quit();
    });
    // When another thread posts a call to it
    std::thread poster([&] {
        QThread::msleep(50);
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    loop.exec();
    poster.join();
    // Then the wait ended for the post, not the guard
    QVERIFY(!guardFired);
}

void tst_EpollEventDispatcher::interruptFromAnotherThreadEndsTheWait()
{
    // Given a wait with nothing to do but a 10 s guard
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    QObject guard;
    bool guardFired = false;
    QTimer::singleShot(10000, &guard, [&] { guardFired = true; });
    // When another thread interrupts it
    std::atomic<bool> interrupting{false};
    std::thread interrupter([&] {
        QThread::msleep(50);
        interrupting = true;
        dispatcher->interrupt();
    });
    while (!interrupting && !guardFired)
        dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    interrupter.join();
    // Then the wait ended for the interrupt, not the guard
    QVERIFY(!guardFired);
}

void tst_EpollEventDispatcher::noWakeUpIsLostUnderConcurrentPosts()
{
    // Given a thread on the dispatcher, with no timers to wake it
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    thread.start();
    QObject receiver;
    receiver.moveToThread(&thread);
    std::atomic<int> received{0};
    // When two threads post 20,000 calls each as fast as they can
    const auto post = [&] {
        for (int i = 0; i < 20000; ++i)
            QMetaObject::invokeMethod(
                &receiver, [&] { ++received; }, Qt::QueuedConnection);
    };
    std::thread first(post), second(post);
    first.join();
    second.join();
    QTRY_COMPARE_WITH_TIMEOUT(received.load(), 40000, 20000);
    // Then a post made once it sleeps still wakes it: a lost wake-up would leave it asleep
    for (int round = 1; round <= 20; ++round) {
        QThread::msleep(2);
        QMetaObject::invokeMethod(
            &receiver, [&] { ++received; }, Qt::QueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(received.load(), 40000 + round, 5000);
    }
    QMetaObject::invokeMethod(
        &receiver, [&] { receiver.moveToThread(QCoreApplication::instance()->thread()); },
        Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(5000));
}

int main(int argc, char **argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
