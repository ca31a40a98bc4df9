#include "tasklifecycle.h"

#include "sqlvalues.h"
#include "taskrepository.h"

#include <QJsonArray>
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

// One guarded UPDATE for a batch of progress reports that returns the rows it changed (one
// statement); a report that changed nothing is explained like any other refused transition.
Result<QHash<QString, Result<TaskRow>>>
TaskLifecycle::writeProgress(QSqlDatabase &db, const QHash<QString, ProgressReport> &batch)
{
    QJsonArray rows;
    QStringList ids;
    for (const ProgressReport &report : batch) {
        ids << report.taskId;
        rows.append(QJsonObject{{QStringLiteral("id"), report.taskId},
                                {QStringLiteral("agent"), report.agentId},
                                {QStringLiteral("progress"), report.percent},
                                {QStringLiteral("note"), report.note.isNull() ? QJsonValue(QJsonValue::Null)
                                                                              : QJsonValue(report.note)}});
    }
    static const QString update =
        QStringLiteral(R"sql(
UPDATE "tasks" AS t
SET "progress" = b."progress",
    "metadata" = CASE WHEN b."note" IS NULL THEN t."metadata"
                      ELSE t."metadata" || jsonb_build_object('progressNote', b."note") END,
    "updatedAt" = %1
FROM jsonb_to_recordset(CAST(:batch AS jsonb)) AS b("id" text, "agent" text, "progress" smallint, "note" text)
WHERE t."id" = b."id" AND t."assignedTo" = b."agent" AND t."status" = 'IN_PROGRESS' AND %2)sql")
            .arg(QLatin1String(kNow),
                 sql::inTextList(QStringLiteral(R"sql(t."id")sql"), QStringLiteral(":ids")));
    const Result<QList<TaskRow>> changed = TaskRepository::updateReturning(
        db, update,
        {{QStringLiteral(":batch"), sql::jsonText(rows)}, {QStringLiteral(":ids"), sql::textArrayJson(ids)}},
        QStringLiteral("Cannot report progress on the tasks"));
    if (!changed)
        return changed.error();
    QHash<QString, TaskRow> byId;
    for (const TaskRow &row : *changed)
        byId.insert(row.id, row);
    QHash<QString, Result<TaskRow>> outcome;
    for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
        const auto row = byId.constFind(it->taskId);
        outcome.insert(it.key(), row != byId.cend() && row->assignedTo == it->agentId
                                     ? Result<TaskRow>(*row)
                                     : Result<TaskRow>(whyNot(db, it->agentId, it->taskId,
                                                              QStringLiteral("report progress on"),
                                                              {QStringLiteral("IN_PROGRESS")})));
    }
    return outcome;
}

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

TaskLifecycle::TaskLifecycle(DbExecutor &executor)
    : m_executor(&executor)
    , m_progress(
          executor, writeProgress,
          [this](const QList<TaskRow> &rows) {
              if (m_progressWritten)
                  m_progressWritten(rows);
          },
          [](ProgressReport &waiting, ProgressReport later) {
              // The later percentage wins; a note is kept unless a later report brings its own,
              // as if each report had been written in turn.
              if (later.note.isNull())
                  later.note = std::move(waiting.note);
              waiting = std::move(later);
          })
{
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
            db, sql::inTextList(QStringLiteral(R"sql(t."id")sql"), QStringLiteral(":ids")),
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
        if (!q.next()) {
            Error why = whyNot(db, agentId, taskId, t.name, t.from);
            // A retry of a call that already succeeded: the task is where it would take it.
            if (why.kind == Error::Kind::Conflict && !t.done.isEmpty() && why.detail == t.done)
                return TaskRepository::selectOne(db, taskId);
            return why;
        }
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
                       true,
                       QStringLiteral("IN_PROGRESS")});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::progress(QString agentId, QString taskId, int percent,
                                                     QString note)
{
    const QString key = taskId + QLatin1Char('/') + agentId;
    return m_progress.submit(key,
                             ProgressReport{std::move(agentId), std::move(taskId), percent, std::move(note)});
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
                       {{QStringLiteral(":result"), value}},
                       false,
                       QStringLiteral("COMPLETED")});
}

QCoro::Task<Result<TaskRow>> TaskLifecycle::fail(const QString &agentId, const QString &taskId,
                                                 const QString &reason) const
{
    const QString set =
        QStringLiteral(R"sql("status" = 'FAILED', "metadata" = "metadata" || CAST(:reason AS jsonb))sql");
    return transition(agentId, taskId,
                      {QStringLiteral("fail"),
                       {QStringLiteral("ASSIGNED"), QStringLiteral("IN_PROGRESS")},
                       set,
                       {{QStringLiteral(":reason"), jsonObjectText(QStringLiteral("failureReason"), reason)}},
                       false,
                       QStringLiteral("FAILED")});
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
