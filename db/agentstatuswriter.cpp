#include "agentstatuswriter.h"

#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace ccpm {

namespace {

// One statement for the whole batch; the batch travels as one bound JSON array, its ids once
// more as the `= ANY` list that makes the planner use the primary key (sql::inTextList()).
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
    const QStringList ids = batch.keys();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(
            q,
            QLatin1String(kUpdateBatch)
                .arg(sql::inTextList(QStringLiteral(R"sql(a."id")sql"), QStringLiteral(":ids"))),
            {{QStringLiteral(":batch"),
              QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))},
             {QStringLiteral(":ids"), sql::textArrayJson(ids)}},
            QStringLiteral("Cannot write the agents' status"));
        !s)
        return s.error();
    Outcome outcome;
    while (q.next()) {
        AgentRow row;
        row.id = q.value(0).toString();
        row.status = fromDb<AgentStatus>(q.value(1).toString()).value_or(AgentStatus::Inactive);
        row.updatedAt = sql::timestampFromText(q.value(2));
        row.lastSeenAt = sql::timestampFromText(q.value(3));
        outcome.insert(row.id, row);
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
