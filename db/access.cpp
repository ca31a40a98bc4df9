#include "access.h"

#include "repositorysupport.h"

#include <QSqlQuery>

namespace ccpm {

Result<Role> Access::roleOf(QSqlDatabase &db, const Actor &actor)
{
    QSqlQuery q(db);
    Status s =
        sql::execPrepared(q, QStringLiteral(R"(SELECT "role"::text FROM "users" WHERE "id" = :id FOR SHARE)"),
                          {{QStringLiteral(":id"), actor.userId}}, QStringLiteral("Cannot check your role"));
    if (!s)
        return s.error();
    if (!q.next())
        return Error{Error::Kind::Auth, QStringLiteral("Your user account no longer exists."), {}, {}};
    return fromDb<Role>(q.value(0).toString()).value_or(Role::User);
}

Status Access::require(QSqlDatabase &db, const Actor &actor, Role needed)
{
    Result<Role> role = roleOf(db, actor);
    if (!role)
        return role.error();
    if (needed == Role::Admin && *role != Role::Admin)
        return Error{Error::Kind::Forbidden, refusal(needed), {}, {}};
    return Done{};
}

QString Access::refusal(Role needed)
{
    return needed == Role::Admin ? QStringLiteral("Only an administrator may do this.")
                                 : QStringLiteral("You must be signed in to do this.");
}

} // namespace ccpm
