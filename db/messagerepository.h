#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Reads and writes the "messages" table. Sender and receiver are ids of a user or an agent,
/// typed by the enum columns; the schema has no foreign key for them. Same threading and
/// contract rules as AgentRepository.
class MessageRepository {
public:
    explicit MessageRepository(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    QCoro::Task<Result<QList<MessageRow>>> list() const;
    QCoro::Task<Result<MessageRow>> get(const QString &id) const;

    static Result<QList<MessageRow>> select(QSqlDatabase &db, const QString &where,
                                            const QVariantMap &bindings);
    static Result<MessageRow> selectOne(QSqlDatabase &db, const QString &id);
    static Result<MessageRow> insert(QSqlDatabase &db, MessageRow row);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
