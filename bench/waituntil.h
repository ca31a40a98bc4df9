#pragma once
// Waiting in a benchmark's main thread without spinning it. Thread: the caller's (with an event loop).

#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QTimer>

namespace ccpm::bench {

/// Runs the event loop until `done()` or `timeoutMs`; false on timeout. The loop sleeps between
/// events (QCoreApplication::processEvents(flags, ms) never waits, so calling it in a loop would
/// spin the main thread and take a core from the hub).
template <typename Done>
bool waitUntil(Done done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(10);
    loop.exec();
    return done();
}

} // namespace ccpm::bench
