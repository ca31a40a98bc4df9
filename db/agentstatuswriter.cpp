#include "agentstatuswriter.h"

#include "sqlvalues.h"
#include "statementcache.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

namespace ccpm {

namespace {

// One statement for the whole batch; the batch travels as one bound JSON array, its ids once
// more as the `= ANY` list that makes the planner use the primary key (sql::inTextList()). It is
// prepared once per connection (sql::execReused()).
constexpr auto kUpdateBatch = R"sql(
UPDATE "agents" AS a
SET "status" = CAST(b."status" AS "AgentStatus"),
    "updatedAt" = now() AT TIME ZONE 'UTC',
    "lastSeenAt" = now() AT TIME ZONE 'UTC'
FROM jsonb_to_recordset(CAST(:batch AS jsonb)) AS b("id" text, "status" text)
WHERE a."id" = b."id" AND %1
RETURNING a."id", a."status"::text, a."updatedAt"::text, a."lastSeenAt"::text)sql";

using Outcome = GroupCommit<QString, AgentStatus, AgentRow>::Outcome;

Result<Outcome> writeBatch(QSqlDatabase &db, const QHash<QString, AgentStatus> &batch)
{
    QJsonArray rows;
    for (auto it = batch.cbegin(); it != batch.cend(); ++it)
        rows.append(
            QJsonObject{{QStringLiteral("id"), it.key()}, {QStringLiteral("status"), toDb(it.value())}});
    static const QString update =
        QLatin1String(kUpdateBatch)
            .arg(sql::inTextList(QStringLiteral(R"sql(a."id")sql"), QStringLiteral(":ids")));
    const Result<QSqlQuery *> q =
        sql::execReused(db, update,
                        {{QStringLiteral(":batch"), sql::jsonText(rows)},
                         {QStringLiteral(":ids"), sql::textArrayJson(batch.keys())}},
                        QStringLiteral("Cannot write the agents' status"));
    if (!q)
        return q.error();
    Outcome outcome;
    while ((*q)->next()) {
        const QSqlQuery &row = **q;
        AgentRow agent;
        agent.id = row.value(0).toString();
        agent.status = fromDb<AgentStatus>(row.value(1).toString()).value_or(AgentStatus::Inactive);
        agent.updatedAt = sql::timestampFromText(row.value(2));
        agent.lastSeenAt = sql::timestampFromText(row.value(3));
        outcome.insert(agent.id, agent);
    }
    for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
        if (!outcome.contains(it.key()))
            outcome.insert(it.key(), Error{Error::Kind::NotFound,
                                           QStringLiteral("No agent has the id %1.").arg(it.key()),
                                           {},
                                           {}});
    }
    return outcome;
}

} // namespace

AgentStatusWriter::AgentStatusWriter(DbExecutor &executor, ChangeFeed &feed)
    : m_commit(executor, writeBatch, [feed = &feed](const QList<AgentRow> &rows) {
        QStringList ids;
        ids.reserve(rows.size());
        for (const AgentRow &row : rows)
            ids << row.id;
        feed->publishRows(QStringLiteral("agents"), ids, ChangeFeed::Op::Update, QStringLiteral("hub"));
    })
{
}

QCoro::Task<Result<AgentRow>> AgentStatusWriter::report(QString agentId, AgentStatus status)
{
    return m_commit.submit(std::move(agentId), status);
}

} // namespace ccpm
