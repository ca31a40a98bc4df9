#pragma once

#include "dbexecutor.h"
#include "rows.h"

#include <chrono>

namespace ccpm {

/// Password login against "users" (bcrypt hashes written by the backend or by us), and the
/// desk's working sessions in "sessions".
///
/// Lock: after kMaxFailures failed attempts for one login (username or e-mail, case-insensitive)
/// within kLockSeconds, that login is refused without checking the password until the minute
/// since the last failure has passed (Error::Kind::Auth, detail "locked", a message with the
/// seconds left). Failures are rows of "login_failures" (migration 5), so every desk on the
/// database counts them.
///
/// Sessions: openSession() writes a "sessions" row with a random token of which only the
/// SHA-256 is stored (the `token` column), expiring after `lifetime` (12 h by default);
/// closeSession() deletes it (logout); sessionValid() says whether it still exists and has not
/// expired (an administrator may revoke it by deleting the row).
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

    struct Session {
        QString id;
        QDateTime expiresAt; ///< UTC
    };
    QCoro::Task<Result<Session>> openSession(const QString &userId,
                                             std::chrono::seconds lifetime = std::chrono::hours(12)) const;
    QCoro::Task<Status> closeSession(const QString &sessionId) const;
    QCoro::Task<Result<bool>> sessionValid(const QString &sessionId) const;

    static QString invalidCredentialsMessage();
    static constexpr int kMaxFailures = 5;
    static constexpr int kLockSeconds = 60;

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
