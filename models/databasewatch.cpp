#include "databasewatch.h"

#include "changelistener.h"
#include "serverinfo.h"

namespace ccpm {

DatabaseWatch::DatabaseWatch(DbExecutor &executor, QObject *parent)
    : QObject(parent)
    , m_executor(&executor)
{
    m_pingTimer.setInterval(5000);
    connect(&m_pingTimer, &QTimer::timeout, this, &DatabaseWatch::ping);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &DatabaseWatch::tick);
}

void DatabaseWatch::start()
{
    m_pingTimer.start();
    ping();
}

void DatabaseWatch::suspect()
{
    if (!m_unavailable)
        ping();
}

void DatabaseWatch::retryWhenListening(const ChangeListener &listener)
{
    // Emitted in the listener's thread; queued to this one.
    connect(&listener, &ChangeListener::listening, this, [this](bool reconnected) {
        if (reconnected && m_unavailable)
            retryNow();
    });
}

void DatabaseWatch::retryNow()
{
    ping();
}

void DatabaseWatch::ping()
{
    if (m_pinging)
        return; // the previous ping has not come back: do not pile up
    m_pinging = true;
    if (m_unavailable) {
        m_tick.stop();
        m_secondsLeft = 0;
        emit countdown(0);
    }
    QCoro::connect(ServerInfo::ping(*m_executor), this, [this](Result<double> r) { answered(r); });
}

void DatabaseWatch::answered(const Result<double> &result)
{
    m_pinging = false;
    if (result) {
        m_roundTripMs = *result;
        m_available = true;
        if (m_unavailable) {
            m_unavailable = false;
            m_delay = 0;
            m_tick.stop();
            m_pingTimer.start();
            emit pinged(m_roundTripMs);
            emit restored();
            return;
        }
        emit pinged(m_roundTripMs);
        return;
    }
    if (result.error().kind != Error::Kind::Connection) {
        if (m_unavailable) { // still away as far as we know: count down again to the next retry
            m_secondsLeft = m_delay;
            m_tick.start();
            emit countdown(m_secondsLeft);
        }
        return;
    }
    m_lastError = result.error();
    m_available = false;
    const bool wentAway = !m_unavailable;
    m_unavailable = true;
    m_delay = wentAway ? 1 : std::min(m_delay * 2, m_maxDelay);
    m_secondsLeft = m_delay;
    m_pingTimer.stop(); // the countdown retries instead
    m_tick.start();
    if (wentAway)
        emit unavailable(m_lastError);
    emit countdown(m_secondsLeft);
}

void DatabaseWatch::tick()
{
    if (--m_secondsLeft > 0) {
        emit countdown(m_secondsLeft);
        return;
    }
    ping();
}

} // namespace ccpm
