#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Reads and writes the "users" table. UserRow never carries the password hash; only
/// insert() (which takes an already hashed password) and AuthService touch that column.
/// Same threading rules as AgentRepository.
class UserRepository {
public:
    explicit UserRepository(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    QCoro::Task<Result<QList<UserRow>>> list() const;
    QCoro::Task<Result<UserRow>> get(const QString &id) const;

    static Result<QList<UserRow>> select(QSqlDatabase &db, const QString &where, const QVariantMap &bindings);
    static Result<UserRow> selectOne(QSqlDatabase &db, const QString &id);
    /// `passwordHash` must be a bcrypt hash (Password::hash); a duplicate username or e-mail is
    /// Error::Kind::Constraint naming the field.
    static Result<UserRow> insert(QSqlDatabase &db, UserRow row, const QString &passwordHash);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
