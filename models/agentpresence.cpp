#include "agentpresence.h"

namespace ccpm {

AgentPresence::AgentPresence(QObject *parent)
    : QObject(parent)
{
}

void AgentPresence::setConnected(const QString &agentId, bool connected)
{
    if (agentId.isEmpty() || connected == isConnected(agentId))
        return;
    if (connected)
        m_since.insert(agentId, QDateTime::currentDateTimeUtc());
    else
        m_since.remove(agentId);
    emit changed(agentId);
}

} // namespace ccpm
