#include "agentstatuswriter.h"

#include "agentrepository.h"
#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace ccpm {

namespace {

// One statement for the whole batch; the batch travels as one bound JSON array.
constexpr auto kUpdateBatch = R"sql(
UPDATE "agents" AS a
SET "status" = CAST(b."status" AS "AgentStatus"),
    "updatedAt" = now() AT TIME ZONE 'UTC',
    "lastSeenAt" = now() AT TIME ZONE 'UTC'
FROM jsonb_to_recordset(CAST(:batch AS jsonb)) AS b("id" text, "status" text)
WHERE a."id" = b."id"
RETURNING a."id")sql";

} // namespace

AgentStatusWriter::AgentStatusWriter(DbExecutor &executor, ChangeFeed &feed, QObject *parent)
    : QObject(parent)
    , m_executor(&executor)
    , m_feed(&feed)
{
}

AgentStatusWriter::~AgentStatusWriter()
{
    // Anyone still waiting learns that the write will not happen.
    const Error gone{
        Error::Kind::Connection, QStringLiteral("The status writer stopped before the write."), {}, {}};
    for (Pending &pending : m_pending) {
        for (const auto &promise : pending.waiters) {
            promise->addResult(Result<AgentRow>(gone));
            promise->finish();
        }
    }
}

QCoro::Task<Result<AgentRow>> AgentStatusWriter::report(QString agentId, AgentStatus status)
{
    auto promise = std::make_shared<Promise>();
    QFuture<Result<AgentRow>> future = promise->future();
    promise->start();
    Pending &pending = m_pending[agentId];
    pending.status = status; // the latest report wins
    pending.waiters.append(promise);
    if (!m_flushing)
        flush();
    co_return co_await future;
}

QCoro::Task<> AgentStatusWriter::flush()
{
    m_flushing = true;
    while (!m_pending.isEmpty()) {
        const QHash<QString, Pending> batch = std::exchange(m_pending, {});
        QJsonArray rows;
        for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
            rows.append(
                QJsonObject{{QStringLiteral("id"), it.key()}, {QStringLiteral("status"), toDb(it->status)}});
        }
        const QString json = QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
        // Named, not a temporary inside the co_await: see "GCC 12 and lambdas" in docs/architecture.md.
        const auto write = [json](QSqlDatabase &db) -> Result<QList<AgentRow>> {
            QSqlQuery q(db);
            if (Status s =
                    sql::execPrepared(q, QLatin1String(kUpdateBatch), {{QStringLiteral(":batch"), json}},
                                      QStringLiteral("Cannot write the agents' status"));
                !s)
                return s.error();
            return AgentRepository::select(
                db,
                QStringLiteral(
                    "\"id\" IN (SELECT b->>'id' FROM jsonb_array_elements(CAST(:batch AS jsonb)) b)"),
                {{QStringLiteral(":batch"), json}});
        };
        Result<QList<AgentRow>> written = co_await m_executor->exec(write);
        QHash<QString, AgentRow> byId;
        if (written) {
            for (const AgentRow &row : *written)
                byId.insert(row.id, row);
        }
        for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
            Result<AgentRow> result =
                !written ? Result<AgentRow>(written.error())
                : byId.contains(it.key())
                    ? Result<AgentRow>(byId.value(it.key()))
                    : Result<AgentRow>(Error{Error::Kind::NotFound,
                                             QStringLiteral("No agent has the id %1.").arg(it.key()),
                                             {},
                                             {}});
            if (result)
                m_feed->publish(QStringLiteral("agents"), it.key(), ChangeFeed::Op::Update);
            for (const auto &promise : it->waiters) {
                promise->addResult(result);
                promise->finish();
            }
        }
    }
    m_flushing = false;
}

} // namespace ccpm
