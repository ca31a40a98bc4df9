#include "authservice.h"

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
        QSqlQuery q(db);
        if (Status s =
                sql::execPrepared(q, QLatin1String(kSelectCredentials), {{QStringLiteral(":login"), login}},
                                  QStringLiteral("Cannot check the login"));
            !s)
            return s.error();
        const Error invalid{Error::Kind::Auth, invalidCredentialsMessage(), {}, {}};
        if (!q.next()) {
            (void)Password::verify(password, QLatin1String(kDummyHash));
            return invalid;
        }
        const QString id = q.value(0).toString();
        if (!Password::verify(password, q.value(1).toString()))
            return invalid;
        return UserRepository::selectOne(db, id);
    });
}

} // namespace ccpm
