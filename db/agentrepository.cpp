#include "agentrepository.h"

#include "repositorysupport.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kSelect = R"sql(
SELECT "id", "name", "type"::text, array_to_json("capabilities")::text, "status"::text,
       "metadata"::text, "createdAt"::text, "updatedAt"::text, "lastSeenAt"::text
FROM "agents")sql";

constexpr auto kInsert = R"sql(
INSERT INTO "agents" ("id", "name", "type", "capabilities", "status", "metadata", "createdAt", "updatedAt")
VALUES (:id, :name, CAST(:type AS "AgentType"), %1, CAST(:status AS "AgentStatus"), CAST(:metadata AS jsonb),
        CAST(:createdAt AS timestamp(3)), CAST(:updatedAt AS timestamp(3))))sql";

constexpr auto kSetStatus = R"sql(
UPDATE "agents"
SET "status" = CAST(:status AS "AgentStatus"),
    "updatedAt" = now() AT TIME ZONE 'UTC',
    "lastSeenAt" = CASE WHEN CAST(:seen AS boolean) THEN now() AT TIME ZONE 'UTC' ELSE "lastSeenAt" END
WHERE "id" = :id)sql";

AgentRow fromQuery(const QSqlQuery &q)
{
    AgentRow row;
    row.id = q.value(0).toString();
    row.name = q.value(1).toString();
    row.type = fromDb<AgentType>(q.value(2).toString()).value_or(AgentType::Ai);
    row.capabilities = sql::textArrayFromJson(q.value(3));
    row.status = fromDb<AgentStatus>(q.value(4).toString()).value_or(AgentStatus::Inactive);
    row.metadata = sql::jsonFromText(q.value(5)).value();
    row.createdAt = sql::timestampFromText(q.value(6));
    row.updatedAt = sql::timestampFromText(q.value(7));
    row.lastSeenAt = sql::timestampFromText(q.value(8));
    return row;
}

} // namespace

Result<QList<AgentRow>> AgentRepository::select(QSqlDatabase &db, const QString &where,
                                                const QVariantMap &bindings)
{
    return sql::selectRows<AgentRow>(db, QLatin1String(kSelect), where, QLatin1String("\"name\", \"id\""),
                                     bindings, QStringLiteral("Cannot read agents"), fromQuery);
}

Result<AgentRow> AgentRepository::selectOne(QSqlDatabase &db, const QString &id)
{
    return sql::onlyRow(select(db, QStringLiteral("\"id\" = :id"), {{QStringLiteral(":id"), id}}),
                        QStringLiteral("agent"), id);
}

Result<AgentRow> AgentRepository::insert(QSqlDatabase &db, AgentRow row)
{
    sql::stampNewRow(row);
    QSqlQuery q(db);
    Status s = sql::execPrepared(
        q, QString::fromLatin1(kInsert).arg(sql::textArrayExpression(QStringLiteral(":caps"))),
        {{QStringLiteral(":id"), row.id},
         {QStringLiteral(":name"), row.name},
         {QStringLiteral(":type"), toDb(row.type)},
         {QStringLiteral(":caps"), sql::textArrayJson(row.capabilities)},
         {QStringLiteral(":status"), toDb(row.status)},
         {QStringLiteral(":metadata"), sql::jsonText(row.metadata)},
         {QStringLiteral(":createdAt"), sql::timestampText(row.createdAt)},
         {QStringLiteral(":updatedAt"), sql::timestampText(row.updatedAt)}},
        QStringLiteral("Cannot create agent \"%1\"").arg(row.name));
    if (!s)
        return s.error();
    return selectOne(db, row.id);
}

QCoro::Task<Result<QList<AgentRow>>> AgentRepository::list() const
{
    return m_executor->exec([](QSqlDatabase &db) { return select(db, {}, {}); });
}

QCoro::Task<Result<AgentRow>> AgentRepository::get(const QString &id) const
{
    return m_executor->exec([id](QSqlDatabase &db) { return selectOne(db, id); });
}

QCoro::Task<Result<AgentRow>> AgentRepository::findByIdOrName(const QString &idOrName) const
{
    return m_executor->exec([idOrName](QSqlDatabase &db) -> Result<AgentRow> {
        auto rows = select(db, QStringLiteral("\"id\" = :key OR \"name\" = :key"),
                           {{QStringLiteral(":key"), idOrName}});
        if (!rows)
            return rows.error();
        for (const AgentRow &row : *rows) {
            if (row.id == idOrName)
                return row;
        }
        if (rows->size() > 1)
            return Error{Error::Kind::Invalid,
                         QStringLiteral("%1 agents are named \"%2\"; give the agent's id instead.")
                             .arg(rows->size())
                             .arg(idOrName),
                         {},
                         {}};
        if (rows->isEmpty())
            return Error{Error::Kind::NotFound,
                         QStringLiteral("No agent has the id or name \"%1\".").arg(idOrName),
                         {},
                         {}};
        return rows->first();
    });
}

QCoro::Task<Result<AgentRow>> AgentRepository::setStatus(const QString &id, AgentStatus status,
                                                         bool seen) const
{
    return m_executor->exec([id, status, seen](QSqlDatabase &db) -> Result<AgentRow> {
        QSqlQuery q(db);
        Status s = sql::execPrepared(q, QLatin1String(kSetStatus),
                                     {{QStringLiteral(":status"), toDb(status)},
                                      {QStringLiteral(":seen"), sql::boolText(seen)},
                                      {QStringLiteral(":id"), id}},
                                     QStringLiteral("Cannot set the agent's status"));
        if (!s)
            return s.error();
        if (q.numRowsAffected() != 1)
            return Error{Error::Kind::NotFound, QStringLiteral("No agent has the id %1.").arg(id), {}, {}};
        return selectOne(db, id);
    });
}

} // namespace ccpm
