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
    static Result<TaskRow> selectOne(QSqlDatabase &db, const QString &id);
    static Result<TaskRow> insert(QSqlDatabase &db, TaskRow row);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
