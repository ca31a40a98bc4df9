#include "sessionwatch.h"

#include "authservice.h"

namespace ccpm {

SessionWatch::SessionWatch(DbExecutor &executor, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_executor(&executor)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SessionWatch::check);
}

void SessionWatch::watch(const QString &sessionId)
{
    m_sessionId = sessionId;
    m_timer.start();
}

void SessionWatch::check()
{
    if (m_checking || m_sessionId.isEmpty())
        return;
    m_checking = true;
    const QString watched = m_sessionId;
    QCoro::connect(AuthService(*m_executor).sessionValid(watched), this, [this, watched](Result<bool> valid) {
        m_checking = false;
        if (!valid || watched != m_sessionId)
            return; // unreachable database: try again next time
        if (!*valid) {
            m_timer.stop();
            m_sessionId.clear();
            emit ended();
        }
    });
}

} // namespace ccpm
