#pragma once

#include "access.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

namespace ccpm {

/// What a manager types into the task dialog. Tags and estimated hours live in the task's
/// `metadata` as the backend stores them: `{"tags": ["auth", "security"], "estimatedHours": 8}`;
/// other metadata keys (complexity, progressNote, result, …) are kept on update.
struct TaskDraft {
    QString title;       ///< 2..100 characters (trimmed)
    QString description; ///< 10..1000 characters (trimmed)
    Priority priority = Priority::Medium;
    QStringList tags;                     ///< each 1..50 characters, at most 20; duplicates dropped
    std::optional<double> estimatedHours; ///< 0..10000 hours; nullopt: not estimated

    /// The draft a task's row holds now (for the edit dialog).
    static TaskDraft fromRow(const TaskRow &row);
};

/// An agent the assign dialog offers for a task, ranked by TaskDesk::candidates().
struct TaskCandidate {
    AgentRow agent;
    int tagsCovered = 0; ///< how many of the task's tags the agent's capabilities hold
    int tagsTotal = 0;   ///< how many tags the task has
    int openTasks = 0;   ///< PENDING, ASSIGNED or IN_PROGRESS tasks assigned to the agent
    bool connected = false;
    /// 0: connected to the hub and ACTIVE; 1: connected and BUSY; 2: offline, or INACTIVE.
    int availability = 2;
};

/// One message of a task's conversation, with the names behind its sender and receiver
/// (users.username or agents.name, as senderType / receiverType say; empty when the row is gone).
struct ConversationEntry {
    MessageRow message;
    QString senderName;
    QString receiverName;
};

/// The manager's operations on tasks (issue #5, "Tasks" and "Messages"): create and edit,
/// assign, move on the board, and the task's conversation with its agent.
///
/// Board transitions (move(), canMove()):
///
///   PENDING     → ASSIGNED      only when the task already names an agent (otherwise: assign())
///   ASSIGNED    → IN_PROGRESS
///   ASSIGNED    → PENDING       unassigns (assignedTo NULL)
///   IN_PROGRESS → COMPLETED     completedAt = now (UTC), progress 100
///   IN_PROGRESS → FAILED
///   IN_PROGRESS → PENDING       unassigns
///   FAILED      → PENDING       retry: unassigned, progress 0
///   FAILED      → ASSIGNED      retry with the same agent (when it still has one), progress 0
///   COMPLETED is final.
///
/// Every write runs in one transaction that first checks the actor (Access::require, Role::User)
/// and is guarded in its statement (`WHERE status IN (...)`), so when two managers (or a manager
/// and an agent) race, exactly one wins; the loser gets Error::Kind::Conflict. Each change is
/// announced on the ChangeFeed (origin "desk"): "tasks" for task changes, "messages" Insert for
/// a sent message, so the models refresh and the agent hub notifies the agent (task.assigned,
/// task.unassigned, task.updated, message.received).
///
/// Errors: Error::Kind::Invalid for a field out of its rules (`detail` names the field: "title",
/// "description", "tags", "estimatedHours", "content") or a transition the board does not allow;
/// Error::Kind::Conflict when the task changed since it was read (stale `updatedAt`, lost race;
/// `detail` holds the task's status now); Error::Kind::NotFound for a task or agent that does not
/// exist; Error::Kind::Forbidden / Auth from Access. Times are UTC.
/// Thread: call from a thread with an event loop (GUI); the SQL runs on the executor's workers;
/// the feed is published in the calling thread once the transaction is committed.
class TaskDesk {
public:
    TaskDesk(DbExecutor &executor, ChangeFeed &feed);

    /// The first rule the draft breaks, or std::nullopt. The same rules the dialog applies
    /// before saving; `detail` names the field.
    static std::optional<Error> validate(const TaskDraft &draft);
    /// The readable sentence for a message's content that breaks the rules (1..10000 characters).
    static std::optional<Error> validateMessage(const QString &content);

    /// The task as it is now, with its creator's and assignee's names.
    QCoro::Task<Result<TaskRow>> task(QString taskId) const;

    QCoro::Task<Result<TaskRow>> create(Actor actor, TaskDraft draft) const;
    /// Conflict when the task's `updatedAt` is no longer `expectedUpdatedAt`.
    QCoro::Task<Result<TaskRow>> update(Actor actor, QString taskId, TaskDraft draft,
                                        QDateTime expectedUpdatedAt) const;

    /// ASSIGNED to `agentId`, from PENDING or ASSIGNED (reassigning is allowed). With
    /// `expectedAssignee`, only when the task is still assigned to that agent (a null QString:
    /// still unassigned), so two managers assigning the same task at once get one winner.
    QCoro::Task<Result<TaskRow>> assign(Actor actor, QString taskId, QString agentId,
                                        std::optional<QString> expectedAssignee = std::nullopt) const;
    /// PENDING and unassigned, from PENDING, ASSIGNED or IN_PROGRESS.
    QCoro::Task<Result<TaskRow>> unassign(Actor actor, QString taskId) const;
    /// One board transition (see above); Error::Kind::Invalid with a sentence when not allowed.
    QCoro::Task<Result<TaskRow>> move(Actor actor, QString taskId, TaskStatus to) const;
    static bool canMove(TaskStatus from, TaskStatus to, bool hasAssignee);
    /// Why canMove() is false, as one sentence; empty when it is true.
    static QString whyNotMove(TaskStatus from, TaskStatus to, bool hasAssignee);

    /// Every agent, best first: most of the task's tags covered, then availability (see
    /// TaskCandidate::availability; `connected` is the set of agent ids connected to the hub,
    /// from AgentPresence), then fewest open tasks, then name. One query.
    QCoro::Task<Result<QList<TaskCandidate>>> candidates(QString taskId, QSet<QString> connected) const;
    /// Orders candidates as candidates() does (pure; for tests and for re-ranking on presence).
    static void rank(QList<TaskCandidate> &candidates);

    /// The task's messages, oldest first.
    QCoro::Task<Result<QList<ConversationEntry>>> conversation(QString taskId) const;
    /// A message from the actor (senderType USER) to the task's agent (receiverType AGENT).
    /// Error::Kind::Invalid when the task has no agent or the content breaks the rules.
    QCoro::Task<Result<MessageRow>> sendMessage(Actor actor, QString taskId, QString content) const;

private:
    QCoro::Task<Result<TaskRow>> write(Actor actor, ChangeFeed::Op op,
                                       std::function<Result<TaskRow>(QSqlDatabase &)> work) const;

    DbExecutor *m_executor;
    QPointer<ChangeFeed> m_feed;
};

} // namespace ccpm
