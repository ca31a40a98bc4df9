#include "quitonsignal.h"

#include <QCoreApplication>

#include <atomic>
#include <csignal>

namespace ccpm {

namespace {
std::atomic<bool> s_quitRequested{false};

extern "C" void requestQuit(int)
{
    s_quitRequested = true;
}
} // namespace

QuitOnSignal::QuitOnSignal(QObject *parent)
    : QObject(parent)
{
    std::signal(SIGINT, requestQuit);
    std::signal(SIGTERM, requestQuit);
    connect(&m_poll, &QTimer::timeout, this, [] {
        if (s_quitRequested.exchange(false))
            QCoreApplication::quit();
    });
    m_poll.start(100);
}

} // namespace ccpm
