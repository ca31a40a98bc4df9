#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Reads and writes the "tasks" table; rows carry the creator's username and the assignee's
/// name for display. Same threading and contract rules as AgentRepository.
class TaskRepository {
public:
    explicit TaskRepository(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    QCoro::Task<Result<QList<TaskRow>>> list() const;
    QCoro::Task<Result<TaskRow>> get(const QString &id) const;

    static Result<QList<TaskRow>> select(QSqlDatabase &db, const QString &where, const QVariantMap &bindings);
    /// Runs `update`, an UPDATE of "tasks" aliased `t` without a RETURNING clause, and returns
    /// the rows it changed as select() reads them, in one statement (a data-modifying CTE). The
    /// statement is kept prepared on the connection (sql::execReused()): `update` must be one
    /// of a few fixed texts, its values bound.
    static Result<QList<TaskRow>> updateReturning(QSqlDatabase &db, const QString &update,
                                                  const QVariantMap &bindings, const QString &what);
    static Result<TaskRow> selectOne(QSqlDatabase &db, const QString &id);
    static Result<TaskRow> insert(QSqlDatabase &db, TaskRow row);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
