#include "agentservice.h"

#include "agentrepository.h"

namespace ccpm {

QCoro::Task<Result<AgentRow>> AgentService::reportStatus(QString agentId, AgentStatus status) const
{
    ChangeFeed *feed = m_feed;
    Result<AgentRow> row = co_await AgentRepository(*m_executor).setStatus(agentId, status, true);
    if (row)
        feed->publish(QStringLiteral("agents"), agentId, ChangeFeed::Op::Update);
    co_return row;
}

QCoro::Task<Result<AgentRow>> AgentService::disconnected(const QString &agentId) const
{
    return reportStatus(agentId, AgentStatus::Inactive);
}

} // namespace ccpm
