#include "userrepository.h"

#include "repositorysupport.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kSelect = R"sql(
SELECT "id", "username", "email", "role"::text, "createdAt"::text, "updatedAt"::text
FROM "users")sql";

constexpr auto kInsert = R"sql(
INSERT INTO "users" ("id", "username", "email", "password", "role", "createdAt", "updatedAt")
VALUES (:id, :username, :email, :password, CAST(:role AS "Role"),
        CAST(:createdAt AS timestamp(3)), CAST(:updatedAt AS timestamp(3))))sql";

UserRow fromQuery(const QSqlQuery &q)
{
    UserRow row;
    row.id = q.value(0).toString();
    row.username = q.value(1).toString();
    row.email = q.value(2).toString();
    row.role = fromDb<Role>(q.value(3).toString()).value_or(Role::User);
    row.createdAt = sql::timestampFromText(q.value(4));
    row.updatedAt = sql::timestampFromText(q.value(5));
    return row;
}

} // namespace

Result<QList<UserRow>> UserRepository::select(QSqlDatabase &db, const QString &where,
                                              const QVariantMap &bindings)
{
    return sql::selectRows<UserRow>(db, QLatin1String(kSelect), where, QLatin1String("\"username\", \"id\""),
                                    bindings, QStringLiteral("Cannot read users"), fromQuery);
}

Result<UserRow> UserRepository::selectOne(QSqlDatabase &db, const QString &id)
{
    return sql::onlyRow(select(db, QStringLiteral("\"id\" = :id"), {{QStringLiteral(":id"), id}}),
                        QStringLiteral("user"), id);
}

Result<UserRow> UserRepository::insert(QSqlDatabase &db, UserRow row, const QString &passwordHash)
{
    sql::stampNewRow(row);
    QSqlQuery q(db);
    Status s = sql::execPreparedMayFail(q, QLatin1String(kInsert),
                                        {{QStringLiteral(":id"), row.id},
                                         {QStringLiteral(":username"), row.username},
                                         {QStringLiteral(":email"), row.email},
                                         {QStringLiteral(":password"), passwordHash},
                                         {QStringLiteral(":role"), toDb(row.role)},
                                         {QStringLiteral(":createdAt"), sql::timestampText(row.createdAt)},
                                         {QStringLiteral(":updatedAt"), sql::timestampText(row.updatedAt)}},
                                        QStringLiteral("Cannot create user \"%1\"").arg(row.username));
    if (!s)
        return clash(s.error(), row.username, row.email);
    return selectOne(db, row.id);
}

Error UserRepository::clash(Error e, const QString &username, const QString &email)
{
    if (e.kind != Error::Kind::Constraint)
        return e;
    const bool isEmail = e.message.contains(QLatin1String("users_email_key"));
    e.message = isEmail ? QStringLiteral("The e-mail address \"%1\" is already taken.").arg(email)
                        : QStringLiteral("The username \"%1\" is already taken.").arg(username);
    e.detail = isEmail ? QStringLiteral("email") : QStringLiteral("username");
    return e;
}

QCoro::Task<Result<QList<UserRow>>> UserRepository::list() const
{
    return m_executor->exec([](QSqlDatabase &db) { return select(db, {}, {}); });
}

QCoro::Task<Result<UserRow>> UserRepository::get(const QString &id) const
{
    return m_executor->exec([id](QSqlDatabase &db) { return selectOne(db, id); });
}

} // namespace ccpm
