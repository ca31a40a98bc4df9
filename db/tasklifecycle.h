#pragma once

#include "dbexecutor.h"
#include "groupcommit.h"
#include "rows.h"

#include <QJsonValue>

#include <optional>

namespace ccpm {

/// The task transitions an agent makes through the hub (docs/agent-protocol.md, task.*):
///
///   accept    PENDING or ASSIGNED (to this agent), or PENDING and unassigned → IN_PROGRESS, assigned to it
///   progress  IN_PROGRESS             → IN_PROGRESS, progress 0..100 (+ metadata.progressNote)
///   complete  ASSIGNED | IN_PROGRESS  → COMPLETED, completedAt, progress 100 (+ metadata.result)
///   fail      ASSIGNED | IN_PROGRESS  → FAILED (+ metadata.failureReason)
///   release   ASSIGNED | IN_PROGRESS  → PENDING, unassigned
///
/// Each transition is checked in the statement that makes it (`WHERE id = :id AND "assignedTo" =
/// :agent AND status IN (...)`), so when agents or a manager race, exactly one wins. When no row
/// changes, the task is read again to say why: Error::Kind::NotFound (no such task, or not
/// assigned to this agent: agents never learn about others' tasks) or Error::Kind::Conflict
/// (the task is in another state; `detail` holds that state). Times are the server's UTC.
///
/// Accept, complete and fail are idempotent: when the task is already where the call would
/// take it (IN_PROGRESS, COMPLETED, FAILED) and still assigned to this agent, the call succeeds
/// with the task as it is and changes nothing (the first complete's result and the first fail's
/// reason stay). An agent can therefore retry a call whose reply it never got (the connection or
/// the database went away after the commit) without being told the transition is invalid.
///
/// Progress reports, the most frequent, are coalesced with group commit (GroupCommit): the
/// reports that arrive while one batch is written go together into the next single UPDATE,
/// each still guarded, each still answered with its own task or error after the commit. Two
/// reports on one task in one batch are written as one: the later percentage, and the later
/// note, or the earlier when the later has none.
/// Thread: call from a thread with an event loop; the SQL runs on the executor's workers.
class TaskLifecycle {
public:
    explicit TaskLifecycle(DbExecutor &executor);

    /// The agent's tasks (all states, or one), newest first.
    QCoro::Task<Result<QList<TaskRow>>> listFor(const QString &agentId,
                                                std::optional<TaskStatus> status) const;
    /// The agent's open tasks (PENDING, ASSIGNED or IN_PROGRESS and assigned to it), oldest first.
    QCoro::Task<Result<QList<TaskRow>>> openFor(const QString &agentId) const;
    /// Several tasks by id (those that exist), any order.
    QCoro::Task<Result<QList<TaskRow>>> tasks(const QStringList &ids) const;
    QCoro::Task<Result<TaskRow>> accept(const QString &agentId, const QString &taskId) const;
    /// `note` null: metadata.progressNote stays as it is.
    QCoro::Task<Result<TaskRow>> progress(QString agentId, QString taskId, int percent, QString note);
    /// Called once per committed batch of progress reports with the rows as written (the hub
    /// announces them together), before the reports' callers resume.
    void setProgressWritten(std::function<void(const QList<TaskRow> &rows)> written)
    {
        m_progressWritten = std::move(written);
    }
    QCoro::Task<Result<TaskRow>> complete(const QString &agentId, const QString &taskId,
                                          const QJsonValue &result) const;
    QCoro::Task<Result<TaskRow>> fail(const QString &agentId, const QString &taskId,
                                      const QString &reason) const;
    QCoro::Task<Result<TaskRow>> release(const QString &agentId, const QString &taskId) const;

private:
    struct Transition {
        QString name;               ///< "accept", for messages
        QStringList from;           ///< states the task may be in
        QString set;                ///< the SET clause; its parameters are in `values`
        QVariantMap values;         ///< ":name" → text
        bool claimsPending = false; ///< also takes an unassigned PENDING task
        /// The state this transition leaves the task in, when a retry of it must succeed
        /// (idempotence); empty for transitions that are not idempotent.
        QString done = {};
    };
    QCoro::Task<Result<TaskRow>> transition(const QString &agentId, const QString &taskId,
                                            Transition t) const;

    struct ProgressReport {
        QString agentId;
        QString taskId;
        int percent = 0;
        QString note;
    };

    static Result<QHash<QString, Result<TaskRow>>> writeProgress(QSqlDatabase &db,
                                                                 const QHash<QString, ProgressReport> &batch);

    DbExecutor *m_executor;
    std::function<void(const QList<TaskRow> &)> m_progressWritten;
    GroupCommit<QString, ProgressReport, TaskRow> m_progress;
};

} // namespace ccpm
