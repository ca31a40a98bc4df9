#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Reads and writes the "agents" table. Async methods run on the executor's workers and resume
/// in the caller's thread; the static ones run inside a job the caller already owns (for
/// transactions that span tables). Every insert and update sets "updatedAt"; metadata is never
/// NULL (schema contract, seed-backend.md).
class AgentRepository {
public:
    explicit AgentRepository(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    QCoro::Task<Result<QList<AgentRow>>> list() const;
    QCoro::Task<Result<AgentRow>> get(const QString &id) const;
    /// Finds an agent by id, else by exact name; an ambiguous name is an Invalid error.
    QCoro::Task<Result<AgentRow>> findByIdOrName(const QString &idOrName) const;
    /// Sets status and, when `seen`, lastSeenAt = now (both with updatedAt), in one statement.
    QCoro::Task<Result<AgentRow>> setStatus(const QString &id, AgentStatus status, bool seen) const;

    static Result<QList<AgentRow>> select(QSqlDatabase &db, const QString &where,
                                          const QVariantMap &bindings);
    static Result<AgentRow> selectOne(QSqlDatabase &db, const QString &id);
    static Result<AgentRow> insert(QSqlDatabase &db, AgentRow row);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
