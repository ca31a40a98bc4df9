#pragma once

#include "dbexecutor.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace ccpm {

/// The dashboard's figures, read in one snapshot (one REPEATABLE READ, READ ONLY transaction).
/// Counts are exact. Days are UTC calendar days (TIMESTAMP(3) columns hold UTC wall-clock time).
struct DashboardStats {
    struct Count {
        QString label; ///< the enum's database label ("IN_PROGRESS"), or a day's ISO date
        qint64 count = 0;
    };
    struct OpenTask {
        QString id;
        QString title;
        QString status;
        QString priority;
        QDateTime createdAt; ///< UTC
        QString assignee;    ///< the agent's name; empty when unassigned
    };

    QList<Count> tasksByStatus;    ///< every TaskStatus, in the enum's order, zeros included
    QList<Count> tasksByPriority;  ///< every Priority, in the enum's order, zeros included
    QList<Count> agentsByStatus;   ///< every AgentStatus, in the enum's order, zeros included
    qint64 agents = 0;             ///< all agents
    qint64 agentsConnected = 0;    ///< of those, the ones whose id was given as connected
    QList<QDate> days;             ///< the last 14 UTC days, oldest first, today last
    QList<qint64> completedPerDay; ///< tasks whose completedAt falls on days[i]
    QList<OpenTask> longestOpen;   ///< up to 10 tasks neither COMPLETED nor FAILED, oldest first
    QDateTime serverTime;          ///< the server's now, UTC

    qint64 agentsOffline() const { return agents - agentsConnected; }
    qint64 tasks() const;
};

/// Reads DashboardStats. Stays fast on millions of tasks: the counts by status and priority are
/// one index-only scan, the 14 days and the longest-open tasks are index range scans
/// (migrations 0003 and 0006).
///
/// `connectedAgentIds` are the agents connected to the hub (AgentPresence): the hub knows them,
/// the database does not; ids of agents that no longer exist are not counted.
/// Errors: Error::Kind::Connection or Query from the server. Thread: as DbExecutor.
class DashboardQueries {
public:
    static constexpr int kDays = 14;
    static constexpr int kLongestOpen = 10;

    static QCoro::Task<Result<DashboardStats>> load(DbExecutor &executor,
                                                    const QStringList &connectedAgentIds);
    /// The same, synchronously on `db` (inside a job).
    static Result<DashboardStats> read(QSqlDatabase &db, const QStringList &connectedAgentIds);
};

} // namespace ccpm
