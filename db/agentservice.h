#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// State changes of agents made on their behalf (by the hub): each successful write is
/// announced on the change feed so open views refresh that row.
/// Thread: any thread with an event loop; the feed delivers to receivers in their threads.
class AgentService {
public:
    AgentService(DbExecutor &executor, ChangeFeed &feed)
        : m_executor(&executor)
        , m_feed(&feed)
    {
    }

    /// The agent reported `status`: writes status, updatedAt and lastSeenAt.
    QCoro::Task<Result<AgentRow>> reportStatus(QString agentId, AgentStatus status) const;
    /// The agent's connection closed: it becomes INACTIVE, lastSeenAt = now.
    QCoro::Task<Result<AgentRow>> disconnected(const QString &agentId) const;

private:
    DbExecutor *m_executor;
    ChangeFeed *m_feed;
};

} // namespace ccpm
