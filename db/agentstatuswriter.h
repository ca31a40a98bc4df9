#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QHash>
#include <QObject>
#include <QPromise>

#include <memory>

namespace ccpm {

/// Writes agents' status reports with group commit: reports that arrive while a write is under
/// way are collected and written together in the next single-statement transaction, so a burst
/// of agents costs one commit (one fsync) per batch instead of one per report. When it is idle a
/// report is written at once, so a lone agent waits no longer than before.
///
/// Each report completes when its row is committed (the hub answers the agent only then). Two
/// reports of one agent in the same batch: the later status wins and both get the final row.
/// Every written row is announced on the change feed.
///
/// Errors: the batch's database error is every waiter's error; nothing is retried here.
/// Thread: one thread with an event loop (the hub thread); not thread-safe.
class AgentStatusWriter : public QObject {
    Q_OBJECT
public:
    AgentStatusWriter(DbExecutor &executor, ChangeFeed &feed, QObject *parent = nullptr);
    ~AgentStatusWriter() override;

    /// Sets status, updatedAt and lastSeenAt of `agentId`.
    QCoro::Task<Result<AgentRow>> report(QString agentId, AgentStatus status);

private:
    using Promise = QPromise<Result<AgentRow>>;
    struct Pending {
        AgentStatus status;
        QList<std::shared_ptr<Promise>> waiters;
    };

    QCoro::Task<> flush();

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    QHash<QString, Pending> m_pending;
    bool m_flushing = false;
};

} // namespace ccpm
