#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "groupcommit.h"
#include "rows.h"

namespace ccpm {

/// Writes agents' status reports with group commit (GroupCommit): reports that arrive while a
/// write is under way are written together by the next single statement, so a burst of agents
/// costs one commit per batch instead of one per report; when idle, a report is written at once.
///
/// Each report completes when its row is committed (the hub answers the agent only then). Two
/// reports of one agent in the same batch: the later status wins and both get the final row.
/// The rows of each batch are announced on the change feed together (ChangeFeed::publishRows).
///
/// Errors: the batch's database error is every waiter's error; an unknown agent is
/// Error::Kind::NotFound; nothing is retried here.
/// Thread: one thread with an event loop (the hub thread); not thread-safe.
class AgentStatusWriter {
public:
    AgentStatusWriter(DbExecutor &executor, ChangeFeed &feed);

    /// Sets status, updatedAt and lastSeenAt of `agentId`. The row holds id, status, updatedAt
    /// and lastSeenAt as written.
    QCoro::Task<Result<AgentRow>> report(QString agentId, AgentStatus status);

private:
    GroupCommit<QString, AgentStatus, AgentRow> m_commit;
};

} // namespace ccpm
