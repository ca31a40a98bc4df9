#include "agenttokenrepository.h"

#include "agenttoken.h"
#include "cuid.h"
#include "sqlvalues.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kInsert = R"sql(
INSERT INTO "agent_tokens" ("id", "agentId", "name", "tokenHash", "createdAt")
VALUES (:id, :agentId, :name, :hash, now() AT TIME ZONE 'UTC')
RETURNING "createdAt"::text)sql";

// Marks a live token used and returns it; a revoked token is left untouched.
constexpr auto kAuthenticate = R"sql(
UPDATE "agent_tokens" SET "lastUsedAt" = now() AT TIME ZONE 'UTC'
WHERE "tokenHash" = :hash AND "revokedAt" IS NULL
RETURNING "id", "agentId", "name", "createdAt"::text, "lastUsedAt"::text)sql";

constexpr auto kIsRevoked = R"sql(
SELECT 1 FROM "agent_tokens" WHERE "tokenHash" = :hash AND "revokedAt" IS NOT NULL)sql";

constexpr auto kRevoke = R"sql(
UPDATE "agent_tokens" SET "revokedAt" = now() AT TIME ZONE 'UTC'
WHERE "id" = :id AND "revokedAt" IS NULL)sql";

constexpr auto kList = R"sql(
SELECT "id", "name", "createdAt"::text, "lastUsedAt"::text, "revokedAt"::text
FROM "agent_tokens" WHERE "agentId" = :agent ORDER BY "createdAt" DESC, "id")sql";

} // namespace

Result<AgentTokenRepository::Created> AgentTokenRepository::insert(QSqlDatabase &db, const QString &agentId,
                                                                   const QString &name)
{
    Created created;
    created.token = AgentToken::generate();
    created.row.id = newCuid();
    created.row.agentId = agentId;
    created.row.name = name;
    created.row.tokenHash = AgentToken::hash(created.token);
    QSqlQuery q(db);
    Status s = sql::execPrepared(q, QLatin1String(kInsert),
                                 {{QStringLiteral(":id"), created.row.id},
                                  {QStringLiteral(":agentId"), agentId},
                                  {QStringLiteral(":name"), name},
                                  {QStringLiteral(":hash"), created.row.tokenHash}},
                                 QStringLiteral("Cannot store the agent token"));
    if (!s)
        return s.error();
    if (q.next())
        created.row.createdAt = sql::timestampFromText(q.value(0));
    return created;
}

Status AgentTokenRepository::revokeRow(QSqlDatabase &db, const QString &tokenId)
{
    QSqlQuery q(db);
    if (Status s = sql::execPrepared(q, QLatin1String(kRevoke), {{QStringLiteral(":id"), tokenId}},
                                     QStringLiteral("Cannot revoke the agent token"));
        !s)
        return s;
    if (q.numRowsAffected() < 1)
        return Error{
            Error::Kind::NotFound, QStringLiteral("No live agent token has the id %1.").arg(tokenId), {}, {}};
    return Done{};
}

Result<QList<AgentTokenRow>> AgentTokenRepository::listFor(QSqlDatabase &db, const QString &agentId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, QLatin1String(kList), {{QStringLiteral(":agent"), agentId}},
                                     QStringLiteral("Cannot read the agent's tokens"));
        !s)
        return s.error();
    QList<AgentTokenRow> rows;
    while (q.next()) {
        AgentTokenRow row;
        row.id = q.value(0).toString();
        row.agentId = agentId;
        row.name = q.value(1).toString();
        row.createdAt = sql::timestampFromText(q.value(2));
        row.lastUsedAt = sql::timestampFromText(q.value(3));
        row.revokedAt = sql::timestampFromText(q.value(4));
        rows.append(row);
    }
    return rows;
}

QCoro::Task<Result<AgentTokenRepository::Created>> AgentTokenRepository::create(const QString &agentId,
                                                                                const QString &name) const
{
    return m_executor->exec([agentId, name](QSqlDatabase &db) { return insert(db, agentId, name); });
}

QCoro::Task<Result<bool>> AgentTokenRepository::isLive(const QString &tokenId) const
{
    return m_executor->exec([tokenId](QSqlDatabase &db) -> Result<bool> {
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(
                q, QStringLiteral("SELECT 1 FROM agent_tokens WHERE id = :id AND \"revokedAt\" IS NULL"),
                {{QStringLiteral(":id"), tokenId}}, QStringLiteral("Cannot check the agent token"));
            !s)
            return s.error();
        return q.next();
    });
}

QCoro::Task<Result<AgentTokenRow>> AgentTokenRepository::authenticate(const QString &token) const
{
    const QString hash = AgentToken::hash(token);
    return m_executor->exec([hash](QSqlDatabase &db) -> Result<AgentTokenRow> {
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(q, QLatin1String(kAuthenticate), {{QStringLiteral(":hash"), hash}},
                                         QStringLiteral("Cannot check the agent token"));
            !s)
            return s.error();
        if (!q.next()) {
            QSqlQuery revoked(db);
            if (Status s =
                    sql::execPrepared(revoked, QLatin1String(kIsRevoked), {{QStringLiteral(":hash"), hash}},
                                      QStringLiteral("Cannot check the agent token"));
                !s)
                return s.error();
            if (revoked.next())
                return Error{Error::Kind::Auth,
                             QStringLiteral("The agent token has been revoked."),
                             QStringLiteral("revoked"),
                             {}};
            return Error{Error::Kind::Auth,
                         QStringLiteral("The agent token is not valid."),
                         QStringLiteral("invalid"),
                         {}};
        }
        AgentTokenRow row;
        row.id = q.value(0).toString();
        row.agentId = q.value(1).toString();
        row.name = q.value(2).toString();
        row.tokenHash = hash;
        row.createdAt = sql::timestampFromText(q.value(3));
        row.lastUsedAt = sql::timestampFromText(q.value(4));
        return row;
    });
}

QCoro::Task<Status> AgentTokenRepository::revoke(const QString &tokenId) const
{
    // Revoking twice is not an error here (the CLI's revoke is idempotent).
    return m_executor->exec([tokenId](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        return sql::execPrepared(q, QLatin1String(kRevoke), {{QStringLiteral(":id"), tokenId}},
                                 QStringLiteral("Cannot revoke the agent token"));
    });
}

} // namespace ccpm
