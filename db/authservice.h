#pragma once

#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// Password login against "users" (bcrypt hashes written by the backend or by us).
///
/// Errors: a wrong username, e-mail or password all give the same Error::Kind::Auth message,
/// "Invalid username or password", so a caller cannot tell which part was wrong; an unknown
/// user costs one bcrypt verification too, so timing does not tell either.
/// Thread: the bcrypt work runs in the executor's worker, never in the caller's thread.
class AuthService {
public:
    explicit AuthService(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    /// `login` is a username or an e-mail address.
    QCoro::Task<Result<UserRow>> login(const QString &login, const QString &password) const;

    static QString invalidCredentialsMessage();

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
