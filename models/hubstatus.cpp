#include "hubstatus.h"

namespace ccpm {

void HubStatus::setRunning(const QUrl &url, int connections)
{
    m_running = true;
    m_url = url;
    m_connections = connections;
    m_offReason.clear();
    emit changed();
}

void HubStatus::setOff(const QString &reason)
{
    m_running = false;
    m_url.clear();
    m_connections = 0;
    m_offReason = reason;
    emit changed();
}

} // namespace ccpm
