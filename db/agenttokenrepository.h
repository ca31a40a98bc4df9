#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Agent access tokens ("agent_tokens", migration 2). A token is shown once at creation; only
/// its SHA-256 (AgentToken::hash) is stored and looked up, so a database leak does not leak
/// tokens. Same threading rules as AgentRepository.
class AgentTokenRepository {
public:
    explicit AgentTokenRepository(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    struct Created {
        AgentTokenRow row;
        QString token; ///< the plain token: print it once, never store it
    };

    /// Creates a new random token for `agentId`.
    QCoro::Task<Result<Created>> create(const QString &agentId, const QString &name) const;

    /// The agent a token belongs to. Unknown tokens are Error::Kind::Auth "invalid", revoked ones
    /// Error::Kind::Auth with detail "revoked". Marks the token used (lastUsedAt).
    QCoro::Task<Result<AgentTokenRow>> authenticate(const QString &token) const;

    QCoro::Task<Status> revoke(const QString &tokenId) const;
    /// Whether the token with this id still exists and is not revoked (the hub asks after an
    /// administrator's change, to close connections that hold a revoked token).
    QCoro::Task<Result<bool>> isLive(const QString &tokenId) const;

    /// The same inside a job the caller owns (AgentAdmin checks the role in that transaction).
    static Result<Created> insert(QSqlDatabase &db, const QString &agentId, const QString &name);
    /// Sets revokedAt; NotFound when no live token has this id.
    static Status revokeRow(QSqlDatabase &db, const QString &tokenId);
    /// The agent's tokens, newest first, revoked ones included (tokenHash left empty).
    static Result<QList<AgentTokenRow>> listFor(QSqlDatabase &db, const QString &agentId);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
