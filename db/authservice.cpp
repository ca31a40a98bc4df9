#include "authservice.h"

#include "agenttoken.h"
#include "cuid.h"
#include "password.h"
#include "sqlvalues.h"
#include "userrepository.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kSelectCredentials = R"sql(
SELECT "id", "password" FROM "users" WHERE "username" = :login OR "email" = :login
ORDER BY ("username" = :login) DESC LIMIT 1)sql";

// A valid bcrypt hash of a random string, verified when the user does not exist so that an
// unknown username takes as long as a wrong password.
constexpr auto kDummyHash = "$2b$10$57RBtPP04vu0btNE9fcFguMyGBP6AMZmiMKoV1ldX3WJoKK6PVJMG";

} // namespace

QString AuthService::invalidCredentialsMessage()
{
    return QStringLiteral("Invalid username or password");
}

QCoro::Task<Result<UserRow>> AuthService::login(const QString &login, const QString &password) const
{
    return m_executor->exec([login = login.trimmed(), password](QSqlDatabase &db) -> Result<UserRow> {
        const QVariantMap who{{QStringLiteral(":who"), login.toLower()}};
        QSqlQuery lock(db);
        if (Status s = sql::execPrepared(lock,
                                         QStringLiteral(R"sql(
SELECT count(*), CAST(EXTRACT(EPOCH FROM max("failedAt") + interval '%1 seconds' - (now() AT TIME ZONE 'UTC')) AS integer) + 1
FROM "login_failures"
WHERE "login" = :who AND "failedAt" > (now() AT TIME ZONE 'UTC') - interval '%1 seconds')sql")
                                             .arg(kLockSeconds),
                                         who, QStringLiteral("Cannot check the login"));
            !s)
            return s.error();
        if (lock.next() && lock.value(0).toInt() >= kMaxFailures)
            return Error{Error::Kind::Auth,
                         QStringLiteral("Too many failed attempts for %1: try again in %2 s.")
                             .arg(login)
                             .arg(std::max(1, lock.value(1).toInt())),
                         QStringLiteral("locked"),
                         {}};

        QSqlQuery q(db);
        if (Status s =
                sql::execPrepared(q, QLatin1String(kSelectCredentials), {{QStringLiteral(":login"), login}},
                                  QStringLiteral("Cannot check the login"));
            !s)
            return s.error();
        const Error invalid{Error::Kind::Auth, invalidCredentialsMessage(), {}, {}};
        bool ok = false;
        QString id;
        if (!q.next()) {
            (void)Password::verify(password, QLatin1String(kDummyHash));
        } else {
            id = q.value(0).toString();
            ok = Password::verify(password, q.value(1).toString());
        }
        QSqlQuery record(db);
        const QString sqlText =
            ok ? QStringLiteral(R"sql(DELETE FROM "login_failures" WHERE "login" = :who)sql")
               : QStringLiteral(R"sql(WITH pruned AS (DELETE FROM "login_failures"
  WHERE "failedAt" < (now() AT TIME ZONE 'UTC') - interval '1 day')
INSERT INTO "login_failures" ("login") VALUES (:who))sql");
        if (Status s = sql::execPrepared(record, sqlText, who, QStringLiteral("Cannot record the login")); !s)
            return s.error();
        if (!ok)
            return invalid;
        return UserRepository::selectOne(db, id);
    });
}

QCoro::Task<Result<AuthService::Session>> AuthService::openSession(const QString &userId,
                                                                   std::chrono::seconds lifetime) const
{
    return m_executor->exec([userId, lifetime](QSqlDatabase &db) -> Result<Session> {
        Session session{newCuid(), {}};
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(
                q, QStringLiteral(R"sql(
INSERT INTO "sessions" ("id", "userId", "token", "expiresAt", "createdAt")
VALUES (:id, :user, :token, (now() AT TIME ZONE 'UTC') + CAST(:lifetime AS interval), now() AT TIME ZONE 'UTC')
RETURNING "expiresAt"::text)sql"),
                {{QStringLiteral(":id"), session.id},
                 {QStringLiteral(":user"), userId},
                 {QStringLiteral(":token"), AgentToken::hash(AgentToken::generate())},
                 {QStringLiteral(":lifetime"), QStringLiteral("%1 seconds").arg(lifetime.count())}},
                QStringLiteral("Cannot open a session"));
            !s)
            return s.error();
        if (q.next())
            session.expiresAt = sql::timestampFromText(q.value(0));
        return session;
    });
}

QCoro::Task<Status> AuthService::closeSession(const QString &sessionId) const
{
    return m_executor->exec([sessionId](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        return sql::execPrepared(q, QStringLiteral(R"sql(DELETE FROM "sessions" WHERE "id" = :id)sql"),
                                 {{QStringLiteral(":id"), sessionId}},
                                 QStringLiteral("Cannot close the session"));
    });
}

QCoro::Task<Result<bool>> AuthService::sessionValid(const QString &sessionId) const
{
    return m_executor->exec([sessionId](QSqlDatabase &db) -> Result<bool> {
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(q, QStringLiteral(R"sql(SELECT 1 FROM "sessions"
WHERE "id" = :id AND "expiresAt" > (now() AT TIME ZONE 'UTC'))sql"),
                                         {{QStringLiteral(":id"), sessionId}},
                                         QStringLiteral("Cannot check the session"));
            !s)
            return s.error();
        return q.next();
    });
}

} // namespace ccpm
