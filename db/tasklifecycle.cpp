#include "tasklifecycle.h"

#include "sqlvalues.h"
#include "taskrepository.h"

#include <QJsonObject>
#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kNow = "(now() AT TIME ZONE 'UTC')";

// Why a guarded UPDATE changed nothing.
Error whyNot(QSqlDatabase &db, const QString &agentId, const QString &taskId, const QString &name,
             const QStringList &from)
{
    QSqlQuery q(db);
    const Status s = sql::execPrepared(
        q, QStringLiteral(R"sql(SELECT "status"::text, "assignedTo" FROM "tasks" WHERE "id" = :id)sql"),
        {{QStringLiteral(":id"), taskId}}, QStringLiteral("Cannot read the task"));
    if (!s)
        return s.error();
    if (!q.next() || q.value(1).toString() != agentId)
        return Error{Error::Kind::NotFound,
                     QStringLiteral("No task %1 is assigned to this agent.").arg(taskId),
                     {},
                     {}};
    const QString status = q.value(0).toString();
    return Error{Error::Kind::Conflict,
                 QStringLiteral("Cannot %1 a task that is %2 (it must be %3).")
                     .arg(name, status, from.join(QStringLiteral(" or "))),
                 status,
                 {}};
}

// `{"key": value}` as compact JSON text, merged into metadata with `||`.
QString jsonObjectText(const QString &key, const QJsonValue &value)
{
    return sql::jsonText(QJsonObject{{key, value}});
}

} // namespace

QCoro::Task<Result<QList<TaskRow>>> TaskLifecycle::listFor(const QString &agentId,
                                                           std::optional<TaskStatus> status) const
{
    const QString filter = status ? toDb(*status) : QString();
    auto job = [agentId, filter](QSqlDatabase &db) {
        QString where = QStringLiteral(R"sql(t."assignedTo" = :agent)sql");
        QVariantMap bindings{{QStringLiteral(":agent"), agentId}};
        if (!filter.isEmpty()) {
            where += QStringLiteral(R"sql( AND t."status" = CAST(:status AS "TaskStatus"))sql");
            bindings.insert(QStringLiteral(":status"), filter);
        }
        return TaskRepository::select(db, where, bindings);
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<QList<TaskRow>>> TaskLifecycle::openFor(const QString &agentId) const
{
    auto job = [agentId](QSqlDatabase &db) -> Result<QList<TaskRow>> {
        Result<QList<TaskRow>> rows = TaskRepository::select(
            db,
            QStringLiteral(
                R"sql(t."assignedTo" = :agent AND t."status" IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS'))sql"),
            {{QStringLiteral(":agent"), agentId}});
        if (!rows)
            return rows;
        QList<TaskRow> oldestFirst = *rows;
        std::sort(oldestFirst.begin(), oldestFirst.end(), [](const TaskRow &a, const TaskRow &b) {
            return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
        });
        return oldestFirst;
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<QList<TaskRow>>> TaskLifecycle::tasks(const QStringList &ids) const
{
    auto job = [ids](QSqlDatabase &db) {
        return TaskRepository::select(
            db, QStringLiteral(R"sql(t."id" IN (SELECT jsonb_array_elements_text(CAST(:ids AS jsonb))))sql"),
            {{QStringLiteral(":ids"), sql::textArrayJson(ids)}});
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::transition(const QString &agentId, const QString &taskId,
                                                       Transition t) const
{
    auto job = [agentId, taskId, t](QSqlDatabase &db) -> Result<TaskRow> {
        QStringList states;
        QVariantMap bindings{{QStringLiteral(":id"), taskId}, {QStringLiteral(":agent"), agentId}};
        for (int i = 0; i < t.from.size(); ++i) {
            states << QStringLiteral("CAST(:s%1 AS \"TaskStatus\")").arg(i);
            bindings.insert(QStringLiteral(":s%1").arg(i), t.from.at(i));
        }
        bindings.insert(t.values);
        QSqlQuery q(db);
        QString guard = QStringLiteral(R"sql("assignedTo" = :agent AND "status" IN (%1))sql")
                            .arg(states.join(QStringLiteral(", ")));
        if (t.claimsPending)
            guard =
                QStringLiteral(R"sql((%1 OR ("assignedTo" IS NULL AND "status" = 'PENDING')))sql").arg(guard);
        const QString sql = QStringLiteral(R"sql(UPDATE "tasks" SET %1, "updatedAt" = %2
WHERE "id" = :id AND %3 RETURNING "id")sql")
                                .arg(t.set, QLatin1String(kNow), guard);
        if (Status s = sql::execPrepared(q, sql, bindings, QStringLiteral("Cannot %1 the task").arg(t.name));
            !s)
            return s.error();
        if (!q.next())
            return whyNot(db, agentId, taskId, t.name, t.from);
        return TaskRepository::selectOne(db, taskId);
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::accept(const QString &agentId, const QString &taskId) const
{
    return transition(agentId, taskId,
                      {QStringLiteral("accept"),
                       {QStringLiteral("PENDING"), QStringLiteral("ASSIGNED")},
                       QStringLiteral(R"sql("status" = 'IN_PROGRESS', "assignedTo" = :agent)sql"),
                       {},
                       true});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::progress(const QString &agentId, const QString &taskId,
                                                     int percent, const QString &note) const
{
    QString set = QStringLiteral(R"sql("progress" = CAST(:percent AS smallint))sql");
    QVariantMap values{{QStringLiteral(":percent"), QString::number(percent)}};
    if (!note.isNull()) {
        set += QStringLiteral(R"sql(, "metadata" = "metadata" || CAST(:note AS jsonb))sql");
        values.insert(QStringLiteral(":note"), jsonObjectText(QStringLiteral("progressNote"), note));
    }
    return transition(agentId, taskId,
                      {QStringLiteral("report progress on"), {QStringLiteral("IN_PROGRESS")}, set, values});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::complete(const QString &agentId, const QString &taskId,
                                                     const QJsonValue &result) const
{
    const QString set = QStringLiteral(R"sql("status" = 'COMPLETED', "progress" = 100, "completedAt" = %1,
"metadata" = "metadata" || CAST(:result AS jsonb))sql")
                            .arg(QLatin1String(kNow));
    const QString value =
        result.isUndefined() ? QStringLiteral("{}") : jsonObjectText(QStringLiteral("result"), result);
    return transition(agentId, taskId,
                      {QStringLiteral("complete"),
                       {QStringLiteral("ASSIGNED"), QStringLiteral("IN_PROGRESS")},
                       set,
                       {{QStringLiteral(":result"), value}}});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::fail(const QString &agentId, const QString &taskId,
                                                 const QString &reason) const
{
    const QString set =
        QStringLiteral(R"sql("status" = 'FAILED', "metadata" = "metadata" || CAST(:reason AS jsonb))sql");
    return transition(
        agentId, taskId,
        {QStringLiteral("fail"),
         {QStringLiteral("ASSIGNED"), QStringLiteral("IN_PROGRESS")},
         set,
         {{QStringLiteral(":reason"), jsonObjectText(QStringLiteral("failureReason"), reason)}}});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::release(const QString &agentId, const QString &taskId) const
{
    return transition(agentId, taskId,
                      {QStringLiteral("release"),
                       {QStringLiteral("ASSIGNED"), QStringLiteral("IN_PROGRESS")},
                       QStringLiteral(R"sql("status" = 'PENDING', "assignedTo" = NULL)sql"),
                       {}});
}

} // namespace ccpm
