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
    /// Error::Kind::Constraint naming the field (see clash()).
    static Result<UserRow> insert(QSqlDatabase &db, UserRow row, const QString &passwordHash);
    /// A unique violation on "users" as a readable Error whose `detail` is the field that clashes,
    /// "username" or "email"; any other error is returned as it is.
    static Error clash(Error error, const QString &username, const QString &email);

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
