#include "taskdesk.h"

#include "messagerepository.h"
#include "repositorysupport.h"
#include "taskrepository.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace ccpm {

namespace {

constexpr auto kNow = "(now() AT TIME ZONE 'UTC')";
// The new version of a changed row: now, but always after the version it replaces, so that two
// writes within one millisecond still tell a stale `updatedAt` apart (optimistic concurrency).
constexpr auto kNextVersion = "GREATEST(now() AT TIME ZONE 'UTC', \"updatedAt\" + interval '1 millisecond')";
constexpr int kMaxTags = 20;
constexpr int kMaxTagLength = 50;
constexpr double kMaxHours = 10000;
constexpr int kMaxMessage = 10000;

using TaskWork = std::function<Result<TaskRow>(QSqlDatabase &)>;

Error invalid(const QString &message, const QString &field)
{
    return Error{Error::Kind::Invalid, message, field, {}};
}

QStringList cleanTags(const QStringList &tags)
{
    QStringList out;
    for (const QString &tag : tags) {
        const QString t = tag.trimmed();
        if (!t.isEmpty() && !out.contains(t))
            out << t;
    }
    return out;
}

// The keys of `metadata` the dialog owns, as the backend writes them.
QJsonObject draftMetadata(const TaskDraft &draft)
{
    QJsonObject meta;
    const QStringList tags = cleanTags(draft.tags);
    if (!tags.isEmpty())
        meta.insert(QStringLiteral("tags"), QJsonArray::fromStringList(tags));
    if (draft.estimatedHours)
        meta.insert(QStringLiteral("estimatedHours"), *draft.estimatedHours);
    return meta;
}

// Runs `work` in a transaction that first checks the actor; commits only when it succeeds.
template <typename T, typename F>
Result<T> inTransaction(QSqlDatabase &db, const Actor &actor, const QString &what, F work)
{
    if (!db.transaction())
        return Error::fromSql(db.lastError(), what);
    if (Status allowed = Access::require(db, actor, Role::User); !allowed) {
        db.rollback();
        return allowed.error();
    }
    Result<T> result = work(db);
    if (!result) {
        db.rollback();
        return result;
    }
    if (!db.commit()) {
        const Error error = Error::fromSql(db.lastError(), what);
        db.rollback();
        return error;
    }
    return result;
}

struct TaskState {
    TaskStatus status = TaskStatus::Pending;
    QString assignedTo;
    QString title;
};

Result<std::optional<TaskState>> readState(QSqlDatabase &db, const QString &taskId)
{
    QSqlQuery q(db);
    const Status s = sql::execPrepared(
        q,
        QStringLiteral(R"sql(SELECT "status"::text, "assignedTo", "title" FROM "tasks" WHERE "id" = :id)sql"),
        {{QStringLiteral(":id"), taskId}}, QStringLiteral("Cannot read the task"));
    if (!s)
        return s.error();
    if (!q.next())
        return std::optional<TaskState>();
    return std::optional<TaskState>(
        TaskState{fromDb<TaskStatus>(q.value(0).toString()).value_or(TaskStatus::Pending),
                  q.value(1).isNull() ? QString() : q.value(1).toString(), q.value(2).toString()});
}

Error noTask(const QString &taskId)
{
    return Error{Error::Kind::NotFound, QStringLiteral("No task has the id %1.").arg(taskId), {}, {}};
}

QString statusWords(TaskStatus status)
{
    switch (status) {
    case TaskStatus::Pending:
        return QStringLiteral("pending");
    case TaskStatus::Assigned:
        return QStringLiteral("assigned");
    case TaskStatus::InProgress:
        return QStringLiteral("in progress");
    case TaskStatus::Completed:
        return QStringLiteral("completed");
    case TaskStatus::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

bool needsAssignee(TaskStatus to)
{
    return to == TaskStatus::Assigned || to == TaskStatus::InProgress;
}

bool inTable(TaskStatus from, TaskStatus to)
{
    using S = TaskStatus;
    switch (from) {
    case S::Pending:
        return to == S::Assigned;
    case S::Assigned:
        return to == S::InProgress || to == S::Pending;
    case S::InProgress:
        return to == S::Completed || to == S::Failed || to == S::Pending;
    case S::Failed:
        return to == S::Pending || to == S::Assigned;
    case S::Completed:
        return false;
    }
    return false;
}

// `"status" IN (...)` over bound labels :s0, :s1, …
QString statusGuard(const QList<TaskStatus> &states, QVariantMap &bindings)
{
    QStringList parts;
    for (int i = 0; i < states.size(); ++i) {
        parts << QStringLiteral("CAST(:s%1 AS \"TaskStatus\")").arg(i);
        bindings.insert(QStringLiteral(":s%1").arg(i), toDb(states.at(i)));
    }
    return QStringLiteral(R"sql("status" IN (%1))sql").arg(parts.join(QStringLiteral(", ")));
}

Result<bool> agentExists(QSqlDatabase &db, const QString &agentId)
{
    QSqlQuery q(db);
    const Status s =
        sql::execPrepared(q, QStringLiteral(R"sql(SELECT 1 FROM "agents" WHERE "id" = :id)sql"),
                          {{QStringLiteral(":id"), agentId}}, QStringLiteral("Cannot read the agent"));
    if (!s)
        return s.error();
    return q.next();
}

Error lostRace(const TaskState &now, const QString &what)
{
    return Error{Error::Kind::Conflict,
                 QStringLiteral("Cannot %1: the task is %2 now.").arg(what, statusWords(now.status)),
                 toDb(now.status),
                 {}};
}

} // namespace

TaskDraft TaskDraft::fromRow(const TaskRow &row)
{
    TaskDraft draft;
    draft.title = row.title;
    draft.description = row.description;
    draft.priority = row.priority;
    const QJsonObject meta = row.metadata.toObject();
    for (const QJsonValue &tag : meta.value(QStringLiteral("tags")).toArray()) {
        if (tag.isString())
            draft.tags << tag.toString();
    }
    const QJsonValue hours = meta.value(QStringLiteral("estimatedHours"));
    if (hours.isDouble())
        draft.estimatedHours = hours.toDouble();
    return draft;
}

TaskDesk::TaskDesk(DbExecutor &executor, ChangeFeed &feed)
    : m_executor(&executor)
    , m_feed(&feed)
{
}

std::optional<Error> TaskDesk::validate(const TaskDraft &draft)
{
    const qsizetype title = draft.title.trimmed().size();
    if (title < 2 || title > 100)
        return invalid(QStringLiteral("The title must have 2 to 100 characters (it has %1).").arg(title),
                       QStringLiteral("title"));
    const qsizetype description = draft.description.trimmed().size();
    if (description < 10 || description > 1000)
        return invalid(
            QStringLiteral("The description must have 10 to 1000 characters (it has %1).").arg(description),
            QStringLiteral("description"));
    const QStringList tags = cleanTags(draft.tags);
    if (tags.size() > kMaxTags)
        return invalid(QStringLiteral("A task can have at most %1 tags.").arg(kMaxTags),
                       QStringLiteral("tags"));
    for (const QString &tag : tags) {
        if (tag.size() > kMaxTagLength)
            return invalid(QStringLiteral("The tag \"%1…\" is longer than %2 characters.")
                               .arg(tag.left(20))
                               .arg(kMaxTagLength),
                           QStringLiteral("tags"));
    }
    if (draft.estimatedHours && (!std::isfinite(*draft.estimatedHours) || *draft.estimatedHours < 0 ||
                                 *draft.estimatedHours > kMaxHours))
        return invalid(QStringLiteral("The estimate must be between 0 and %1 hours.").arg(kMaxHours),
                       QStringLiteral("estimatedHours"));
    return std::nullopt;
}

std::optional<Error> TaskDesk::validateMessage(const QString &content)
{
    if (content.trimmed().isEmpty())
        return invalid(QStringLiteral("The message is empty."), QStringLiteral("content"));
    if (content.size() > kMaxMessage)
        return invalid(QStringLiteral("A message can have at most %1 characters (this one has %2).")
                           .arg(kMaxMessage)
                           .arg(content.size()),
                       QStringLiteral("content"));
    return std::nullopt;
}

QCoro::Task<Result<TaskRow>> TaskDesk::task(QString taskId) const
{
    auto job = [taskId](QSqlDatabase &db) { return TaskRepository::selectOne(db, taskId); };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<TaskRow>> TaskDesk::write(Actor actor, ChangeFeed::Op op,
                                             std::function<Result<TaskRow>(QSqlDatabase &)> work) const
{
    const QPointer<ChangeFeed> feed = m_feed; // `this` may be gone when the job comes back
    auto job = [actor, work](QSqlDatabase &db) {
        return inTransaction<TaskRow>(db, actor, QStringLiteral("Cannot change the task"), work);
    };
    Result<TaskRow> result = co_await m_executor->exec(job);
    if (result && feed)
        feed->publish(QStringLiteral("tasks"), result->id, op, QStringLiteral("desk"));
    co_return result;
}

QCoro::Task<Result<TaskRow>> TaskDesk::create(Actor actor, TaskDraft draft) const
{
    if (std::optional<Error> wrong = validate(draft))
        co_return *wrong;
    const TaskWork work = [actor, draft](QSqlDatabase &db) {
        TaskRow row;
        row.title = draft.title.trimmed();
        row.description = draft.description.trimmed();
        row.priority = draft.priority;
        row.createdBy = actor.userId;
        row.metadata = draftMetadata(draft);
        return TaskRepository::insert(db, row);
    };
    co_return co_await write(actor, ChangeFeed::Op::Insert, work);
}

QCoro::Task<Result<TaskRow>> TaskDesk::update(Actor actor, QString taskId, TaskDraft draft,
                                              QDateTime expectedUpdatedAt) const
{
    if (std::optional<Error> wrong = validate(draft))
        co_return *wrong;
    const TaskWork work = [taskId, draft, expectedUpdatedAt](QSqlDatabase &db) -> Result<TaskRow> {
        QSqlQuery q(db);
        // Only the keys the dialog owns are replaced; the agents' keys (result, progressNote, …) stay.
        const QString sqlText = QStringLiteral(R"sql(
UPDATE "tasks" SET "title" = :title, "description" = :description,
    "priority" = CAST(:priority AS "Priority"),
    "metadata" = (CASE WHEN jsonb_typeof("metadata") = 'object' THEN "metadata" - 'tags' - 'estimatedHours'
                       ELSE '{}'::jsonb END) || CAST(:meta AS jsonb),
    "updatedAt" = %1
WHERE "id" = :id AND "updatedAt" = CAST(:expected AS timestamp(3))
RETURNING "id")sql")
                                    .arg(QLatin1String(kNextVersion));
        const Status s =
            sql::execPrepared(q, sqlText,
                              {{QStringLiteral(":title"), draft.title.trimmed()},
                               {QStringLiteral(":description"), draft.description.trimmed()},
                               {QStringLiteral(":priority"), toDb(draft.priority)},
                               {QStringLiteral(":meta"), sql::jsonText(draftMetadata(draft))},
                               {QStringLiteral(":id"), taskId},
                               {QStringLiteral(":expected"), sql::timestampText(expectedUpdatedAt)}},
                              QStringLiteral("Cannot save the task"));
        if (!s)
            return s.error();
        if (!q.next()) {
            Result<std::optional<TaskState>> now = readState(db, taskId);
            if (!now)
                return now.error();
            if (!*now)
                return noTask(taskId);
            return Error{
                Error::Kind::Conflict,
                QStringLiteral("Someone else changed this task after you opened it. Close the dialog "
                               "and open it again to see their changes."),
                toDb((*now)->status),
                {}};
        }
        return TaskRepository::selectOne(db, taskId);
    };
    co_return co_await write(actor, ChangeFeed::Op::Update, work);
}

QCoro::Task<Result<TaskRow>> TaskDesk::assign(Actor actor, QString taskId, QString agentId,
                                              std::optional<QString> expectedAssignee) const
{
    const TaskWork work = [taskId, agentId, expectedAssignee](QSqlDatabase &db) -> Result<TaskRow> {
        Result<bool> exists = agentExists(db, agentId);
        if (!exists)
            return exists.error();
        if (!*exists)
            return Error{
                Error::Kind::NotFound, QStringLiteral("No agent has the id %1.").arg(agentId), {}, {}};
        QVariantMap bindings{{QStringLiteral(":id"), taskId}, {QStringLiteral(":agent"), agentId}};
        QString guard = statusGuard({TaskStatus::Pending, TaskStatus::Assigned}, bindings);
        if (expectedAssignee) {
            guard += QStringLiteral(R"sql( AND "assignedTo" IS NOT DISTINCT FROM :expected)sql");
            bindings.insert(QStringLiteral(":expected"), sql::nullableText(*expectedAssignee));
        }
        QSqlQuery q(db);
        const Status s = sql::execPrepared(
            q,
            QStringLiteral(
                R"sql(UPDATE "tasks" SET "status" = 'ASSIGNED', "assignedTo" = :agent, "updatedAt" = %1
WHERE "id" = :id AND %2 RETURNING "id")sql")
                .arg(QLatin1String(kNextVersion), guard),
            bindings, QStringLiteral("Cannot assign the task"));
        if (!s)
            return s.error();
        if (!q.next()) {
            Result<std::optional<TaskState>> now = readState(db, taskId);
            if (!now)
                return now.error();
            if (!*now)
                return noTask(taskId);
            if ((*now)->status == TaskStatus::Pending || (*now)->status == TaskStatus::Assigned)
                return Error{Error::Kind::Conflict,
                             QStringLiteral("Someone else assigned this task meanwhile."),
                             toDb((*now)->status),
                             {}};
            return Error{Error::Kind::Invalid,
                         QStringLiteral("Only a pending or assigned task can be assigned; this one is %1.")
                             .arg(statusWords((*now)->status)),
                         toDb((*now)->status),
                         {}};
        }
        return TaskRepository::selectOne(db, taskId);
    };
    co_return co_await write(actor, ChangeFeed::Op::Update, work);
}

QCoro::Task<Result<TaskRow>> TaskDesk::unassign(Actor actor, QString taskId) const
{
    const TaskWork work = [taskId](QSqlDatabase &db) -> Result<TaskRow> {
        QVariantMap bindings{{QStringLiteral(":id"), taskId}};
        const QString guard =
            statusGuard({TaskStatus::Pending, TaskStatus::Assigned, TaskStatus::InProgress}, bindings);
        QSqlQuery q(db);
        const Status s = sql::execPrepared(
            q,
            QStringLiteral(
                R"sql(UPDATE "tasks" SET "status" = 'PENDING', "assignedTo" = NULL, "updatedAt" = %1
WHERE "id" = :id AND %2 RETURNING "id")sql")
                .arg(QLatin1String(kNextVersion), guard),
            bindings, QStringLiteral("Cannot unassign the task"));
        if (!s)
            return s.error();
        if (!q.next()) {
            Result<std::optional<TaskState>> now = readState(db, taskId);
            if (!now)
                return now.error();
            if (!*now)
                return noTask(taskId);
            return Error{Error::Kind::Invalid,
                         QStringLiteral("A %1 task cannot be unassigned.").arg(statusWords((*now)->status)),
                         toDb((*now)->status),
                         {}};
        }
        return TaskRepository::selectOne(db, taskId);
    };
    co_return co_await write(actor, ChangeFeed::Op::Update, work);
}

bool TaskDesk::canMove(TaskStatus from, TaskStatus to, bool hasAssignee)
{
    return inTable(from, to) && (hasAssignee || !needsAssignee(to));
}

QString TaskDesk::whyNotMove(TaskStatus from, TaskStatus to, bool hasAssignee)
{
    if (canMove(from, to, hasAssignee))
        return {};
    if (from == to)
        return QStringLiteral("The task is %1 already.").arg(statusWords(from));
    if (from == TaskStatus::Completed)
        return QStringLiteral("A completed task is final: it cannot move any more.");
    if (inTable(from, to))
        return QStringLiteral("The task has no agent: assign it to one first.");
    return QStringLiteral("A %1 task cannot become %2.").arg(statusWords(from), statusWords(to));
}

QCoro::Task<Result<TaskRow>> TaskDesk::move(Actor actor, QString taskId, TaskStatus to) const
{
    const TaskWork work = [taskId, to](QSqlDatabase &db) -> Result<TaskRow> {
        QList<TaskStatus> from;
        for (TaskStatus s : {TaskStatus::Pending, TaskStatus::Assigned, TaskStatus::InProgress,
                             TaskStatus::Completed, TaskStatus::Failed}) {
            if (inTable(s, to))
                from << s;
        }
        Result<std::optional<TaskState>> before = readState(db, taskId);
        if (!before)
            return before.error();
        if (!*before)
            return noTask(taskId);
        const TaskState was = **before;
        if (!canMove(was.status, to, !was.assignedTo.isEmpty()))
            return Error{Error::Kind::Invalid,
                         whyNotMove(was.status, to, !was.assignedTo.isEmpty()),
                         toDb(was.status),
                         {}};

        QVariantMap bindings{{QStringLiteral(":id"), taskId}, {QStringLiteral(":to"), toDb(to)}};
        QString guard = statusGuard(from, bindings);
        if (needsAssignee(to))
            guard += QStringLiteral(R"sql( AND "assignedTo" IS NOT NULL)sql");
        QString set = QStringLiteral(R"sql("status" = CAST(:to AS "TaskStatus"))sql");
        switch (to) {
        case TaskStatus::Completed:
            set += QStringLiteral(R"sql(, "completedAt" = %1, "progress" = 100)sql").arg(QLatin1String(kNow));
            break;
        case TaskStatus::Pending:
            set += QStringLiteral(R"sql(, "assignedTo" = NULL)sql");
            break;
        default:
            break;
        }
        if (was.status == TaskStatus::Failed)
            set += QStringLiteral(R"sql(, "progress" = 0)sql");
        QSqlQuery q(db);
        const Status s = sql::execPrepared(q,
                                           QStringLiteral(R"sql(UPDATE "tasks" SET %1, "updatedAt" = %2
WHERE "id" = :id AND %3 RETURNING "id")sql")
                                               .arg(set, QLatin1String(kNextVersion), guard),
                                           bindings, QStringLiteral("Cannot move the task"));
        if (!s)
            return s.error();
        if (!q.next()) {
            // Changed between the read and the update: another writer won.
            Result<std::optional<TaskState>> now = readState(db, taskId);
            if (!now)
                return now.error();
            if (!*now)
                return noTask(taskId);
            return lostRace(**now, QStringLiteral("make it %1").arg(statusWords(to)));
        }
        return TaskRepository::selectOne(db, taskId);
    };
    co_return co_await write(actor, ChangeFeed::Op::Update, work);
}

void TaskDesk::rank(QList<TaskCandidate> &candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const TaskCandidate &a, const TaskCandidate &b) {
                         if (a.tagsCovered != b.tagsCovered)
                             return a.tagsCovered > b.tagsCovered;
                         if (a.availability != b.availability)
                             return a.availability < b.availability;
                         if (a.openTasks != b.openTasks)
                             return a.openTasks < b.openTasks;
                         return a.agent.name.localeAwareCompare(b.agent.name) < 0;
                     });
}

QCoro::Task<Result<QList<TaskCandidate>>> TaskDesk::candidates(QString taskId, QSet<QString> connected) const
{
    auto job = [taskId, connected](QSqlDatabase &db) -> Result<QList<TaskCandidate>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // The task's tags once, the open-task counts in one pass over the open tasks.
        const Status s =
            sql::execPrepared(q, QStringLiteral(R"sql(
WITH task AS (
    SELECT ARRAY(SELECT DISTINCT jsonb_array_elements_text(
                     CASE WHEN jsonb_typeof(t."metadata"->'tags') = 'array' THEN t."metadata"->'tags'
                          ELSE '[]'::jsonb END)) AS "tags"
    FROM "tasks" t WHERE t."id" = :id),
open AS (
    SELECT o."assignedTo" AS "agentId", count(*) AS "n" FROM "tasks" o
    WHERE o."assignedTo" IS NOT NULL AND o."status" IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS')
    GROUP BY o."assignedTo")
SELECT a."id", a."name", a."type"::text, a."status"::text, array_to_json(a."capabilities")::text,
       a."metadata"::text, a."lastSeenAt"::text,
       (SELECT count(*) FROM unnest(task."tags") AS tag WHERE tag = ANY(COALESCE(a."capabilities", '{}'))),
       cardinality(task."tags"), COALESCE(open."n", 0)
FROM task CROSS JOIN "agents" a LEFT JOIN open ON open."agentId" = a."id")sql"),
                              {{QStringLiteral(":id"), taskId}}, QStringLiteral("Cannot rank the agents"));
        if (!s)
            return s.error();
        QList<TaskCandidate> out;
        while (q.next()) {
            TaskCandidate c;
            c.agent.id = q.value(0).toString();
            c.agent.name = q.value(1).toString();
            c.agent.type = fromDb<AgentType>(q.value(2).toString()).value_or(AgentType::Ai);
            c.agent.status = fromDb<AgentStatus>(q.value(3).toString()).value_or(AgentStatus::Active);
            c.agent.capabilities = sql::textArrayFromJson(q.value(4));
            c.agent.metadata = sql::jsonFromText(q.value(5)).value();
            c.agent.lastSeenAt = sql::timestampFromText(q.value(6));
            c.tagsCovered = q.value(7).toInt();
            c.tagsTotal = q.value(8).toInt();
            c.openTasks = q.value(9).toInt();
            c.connected = connected.contains(c.agent.id);
            c.availability = !c.connected || c.agent.status == AgentStatus::Inactive ? 2
                             : c.agent.status == AgentStatus::Busy                   ? 1
                                                                                     : 0;
            out << c;
        }
        if (out.isEmpty()) {
            // No agents, or no task: tell the two apart.
            Result<std::optional<TaskState>> task = readState(db, taskId);
            if (!task)
                return task.error();
            if (!*task)
                return noTask(taskId);
        }
        rank(out);
        return out;
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<QList<ConversationEntry>>> TaskDesk::conversation(QString taskId) const
{
    auto job = [taskId](QSqlDatabase &db) -> Result<QList<ConversationEntry>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        const Status s = sql::execPrepared(q, QStringLiteral(R"sql(
SELECT m."id", m."content", m."senderId", m."senderType"::text, m."receiverId", m."receiverType"::text,
       m."taskId", m."createdAt"::text, m."updatedAt"::text, m."metadata"::text,
       CASE m."senderType" WHEN 'USER' THEN su."username" ELSE sa."name" END,
       CASE m."receiverType" WHEN 'USER' THEN ru."username" WHEN 'AGENT' THEN ra."name" END
FROM "messages" m
LEFT JOIN "users" su ON m."senderType" = 'USER' AND su."id" = m."senderId"
LEFT JOIN "agents" sa ON m."senderType" = 'AGENT' AND sa."id" = m."senderId"
LEFT JOIN "users" ru ON m."receiverType" = 'USER' AND ru."id" = m."receiverId"
LEFT JOIN "agents" ra ON m."receiverType" = 'AGENT' AND ra."id" = m."receiverId"
WHERE m."taskId" = :task
ORDER BY m."createdAt", m."id")sql"),
                                           {{QStringLiteral(":task"), taskId}},
                                           QStringLiteral("Cannot read the task's conversation"));
        if (!s)
            return s.error();
        QList<ConversationEntry> out;
        while (q.next()) {
            ConversationEntry e;
            e.message.id = q.value(0).toString();
            e.message.content = q.value(1).toString();
            e.message.senderId = q.value(2).toString();
            e.message.senderType = fromDb<SenderType>(q.value(3).toString()).value_or(SenderType::User);
            e.message.receiverId = q.value(4).isNull() ? QString() : q.value(4).toString();
            if (!q.value(5).isNull())
                e.message.receiverType = fromDb<ReceiverType>(q.value(5).toString());
            e.message.taskId = q.value(6).toString();
            e.message.createdAt = sql::timestampFromText(q.value(7));
            e.message.updatedAt = sql::timestampFromText(q.value(8));
            e.message.metadata = sql::jsonFromText(q.value(9)).value();
            e.senderName = q.value(10).toString();
            e.receiverName = q.value(11).toString();
            out << e;
        }
        return out;
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<MessageRow>> TaskDesk::sendMessage(Actor actor, QString taskId, QString content) const
{
    if (std::optional<Error> wrong = validateMessage(content))
        co_return *wrong;
    const QPointer<ChangeFeed> feed = m_feed;
    auto job = [actor, taskId, content](QSqlDatabase &db) {
        auto work = [&](QSqlDatabase &conn) -> Result<MessageRow> {
            Result<std::optional<TaskState>> task = readState(conn, taskId);
            if (!task)
                return task.error();
            if (!*task)
                return noTask(taskId);
            if ((*task)->assignedTo.isEmpty())
                return invalid(QStringLiteral("This task has no agent to write to: assign it to one first."),
                               QStringLiteral("content"));
            MessageRow row;
            row.content = content;
            row.senderId = actor.userId;
            row.senderType = SenderType::User;
            row.receiverId = (*task)->assignedTo;
            row.receiverType = ReceiverType::Agent;
            row.taskId = taskId;
            return MessageRepository::insert(conn, row);
        };
        return inTransaction<MessageRow>(db, actor, QStringLiteral("Cannot send the message"), work);
    };
    Result<MessageRow> sent = co_await m_executor->exec(job);
    // The hub delivers it live (message.received) when the agent is connected.
    if (sent && feed)
        feed->publish(QStringLiteral("messages"), sent->id, ChangeFeed::Op::Insert, QStringLiteral("desk"));
    co_return sent;
}

} // namespace ccpm
