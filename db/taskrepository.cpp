#include "taskrepository.h"

#include "repositorysupport.h"
#include "statementcache.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

// %1 is the source of the rows: the table, or the name of a CTE that returns whole task rows.
constexpr auto kSelectFrom = R"sql(
SELECT t."id", t."title", t."description", t."status"::text, t."priority"::text, t."createdBy",
       t."assignedTo", t."createdAt"::text, t."updatedAt"::text, t."completedAt"::text,
       t."metadata"::text, t."progress", u."username", a."name"
FROM %1 t
LEFT JOIN "users" u ON u."id" = t."createdBy"
LEFT JOIN "agents" a ON a."id" = t."assignedTo")sql";

constexpr auto kInsert = R"sql(
INSERT INTO "tasks" ("id", "title", "description", "status", "priority", "createdBy", "assignedTo",
                     "createdAt", "updatedAt", "completedAt", "metadata", "progress")
VALUES (:id, :title, :description, CAST(:status AS "TaskStatus"), CAST(:priority AS "Priority"),
        :createdBy, :assignedTo, CAST(:createdAt AS timestamp(3)), CAST(:updatedAt AS timestamp(3)),
        CAST(:completedAt AS timestamp(3)), CAST(:metadata AS jsonb), :progress))sql";

TaskRow fromQuery(const QSqlQuery &q)
{
    TaskRow row;
    row.id = q.value(0).toString();
    row.title = q.value(1).toString();
    row.description = q.value(2).toString();
    row.status = fromDb<TaskStatus>(q.value(3).toString()).value_or(TaskStatus::Pending);
    row.priority = fromDb<Priority>(q.value(4).toString()).value_or(Priority::Medium);
    row.createdBy = q.value(5).toString();
    row.assignedTo = q.value(6).isNull() ? QString() : q.value(6).toString();
    row.createdAt = sql::timestampFromText(q.value(7));
    row.updatedAt = sql::timestampFromText(q.value(8));
    row.completedAt = sql::timestampFromText(q.value(9));
    row.metadata = sql::jsonFromText(q.value(10)).value();
    row.progress = q.value(11).toInt();
    row.createdByName = q.value(12).toString();
    row.assignedToName = q.value(13).toString();
    return row;
}

} // namespace

Result<QList<TaskRow>> TaskRepository::select(QSqlDatabase &db, const QString &where,
                                              const QVariantMap &bindings)
{
    static const QString fromTable = QLatin1String(kSelectFrom).arg(QLatin1String(R"sql("tasks")sql"));
    return sql::selectRows<TaskRow>(db, fromTable, where, QLatin1String("t.\"createdAt\" DESC, t.\"id\""),
                                    bindings, QStringLiteral("Cannot read tasks"), fromQuery);
}

Result<QList<TaskRow>> TaskRepository::updateReturning(QSqlDatabase &db, const QString &update,
                                                       const QVariantMap &bindings, const QString &what)
{
    const QString sqlText = QStringLiteral("WITH changed AS (%1 RETURNING t.*) ").arg(update) +
                            QLatin1String(kSelectFrom).arg(QLatin1String("changed"));
    const Result<QSqlQuery *> q = sql::execReused(db, sqlText, bindings, what);
    if (!q)
        return q.error();
    QList<TaskRow> rows;
    while ((*q)->next())
        rows.append(fromQuery(**q));
    return rows;
}

Result<TaskRow> TaskRepository::selectOne(QSqlDatabase &db, const QString &id)
{
    return sql::onlyRow(select(db, QStringLiteral("t.\"id\" = :id"), {{QStringLiteral(":id"), id}}),
                        QStringLiteral("task"), id);
}

Result<TaskRow> TaskRepository::insert(QSqlDatabase &db, TaskRow row)
{
    sql::stampNewRow(row);
    QSqlQuery q(db);
    Status s = sql::execPrepared(
        q, QLatin1String(kInsert),
        {{QStringLiteral(":id"), row.id},
         {QStringLiteral(":title"), row.title},
         {QStringLiteral(":description"), row.description},
         {QStringLiteral(":status"), toDb(row.status)},
         {QStringLiteral(":priority"), toDb(row.priority)},
         {QStringLiteral(":createdBy"), row.createdBy},
         {QStringLiteral(":assignedTo"), sql::nullableText(row.assignedTo)},
         {QStringLiteral(":createdAt"), sql::timestampText(row.createdAt)},
         {QStringLiteral(":updatedAt"), sql::timestampText(row.updatedAt)},
         {QStringLiteral(":completedAt"), sql::nullableText(sql::timestampText(row.completedAt))},
         {QStringLiteral(":metadata"), sql::jsonText(row.metadata)},
         {QStringLiteral(":progress"), row.progress}},
        QStringLiteral("Cannot create task \"%1\"").arg(row.title));
    if (!s)
        return s.error();
    return selectOne(db, row.id);
}

QCoro::Task<Result<QList<TaskRow>>> TaskRepository::list() const
{
    return m_executor->exec([](QSqlDatabase &db) { return select(db, {}, {}); });
}

QCoro::Task<Result<TaskRow>> TaskRepository::get(const QString &id) const
{
    return m_executor->exec([id](QSqlDatabase &db) { return selectOne(db, id); });
}

} // namespace ccpm
