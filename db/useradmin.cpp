#include "useradmin.h"

#include "adminsupport.h"
#include "password.h"
#include "sqlvalues.h"
#include "userrepository.h"

#include <QSqlError>
#include <QSqlQuery>

namespace ccpm {

namespace {

const QString kDesk = QStringLiteral("desk");

// Taken first by every operation that can remove an ADMIN, in id order so that two such
// operations queue instead of deadlocking; the second then reads the first's committed change.
constexpr auto kLockAdmins = R"sql(
SELECT "id" FROM "users" WHERE "role" = 'ADMIN' ORDER BY "id" FOR UPDATE)sql";

constexpr auto kUpdate = R"sql(
UPDATE "users"
SET "username" = :username, "email" = :email, "role" = CAST(:role AS "Role"),
    "updatedAt" = now() AT TIME ZONE 'UTC'
WHERE "id" = :id AND "updatedAt" = CAST(:expected AS timestamp(3))
RETURNING "id")sql";

constexpr auto kSetPassword = R"sql(
UPDATE "users" SET "password" = :hash, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = :id)sql";

constexpr auto kDeleteSessions = R"sql(
DELETE FROM "sessions" WHERE "userId" = :id RETURNING "id")sql";

constexpr auto kImpact = R"sql(
SELECT (SELECT count(*) FROM "tasks" WHERE "createdBy" = :id),
       (SELECT count(*) FROM "sessions" WHERE "userId" = :id),
       (SELECT count(*) FROM "messages" m JOIN "tasks" t ON t."id" = m."taskId" WHERE t."createdBy" = :id))sql";

constexpr auto kDelete = R"sql(DELETE FROM "users" WHERE "id" = :id)sql";

Error forbidden(const QString &message, const QString &detail)
{
    return Error{Error::Kind::Forbidden, message, detail, {}};
}

// The ids of the ADMIN rows, locked until the transaction ends.
Result<QStringList> lockAdmins(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = sql::execPrepared(q, QLatin1String(kLockAdmins), {},
                                     QStringLiteral("Cannot lock the administrators"));
        !s)
        return s.error();
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

// Done unless `id` is the only ADMIN left.
Status notTheLastAdmin(const QStringList &admins, const QString &id, const QString &what)
{
    if (admins.contains(id) && admins.size() <= 1)
        return forbidden(
            QStringLiteral("The last administrator cannot be %1: make another user an administrator first.")
                .arg(what),
            QStringLiteral("last-admin"));
    return Done{};
}

Result<QStringList> deleteSessions(QSqlDatabase &db, const QString &userId)
{
    QSqlQuery q(db);
    if (Status s = sql::execPrepared(q, QLatin1String(kDeleteSessions), {{QStringLiteral(":id"), userId}},
                                     QStringLiteral("Cannot end the user's sessions"));
        !s)
        return s.error();
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

Result<UserAdmin::Impact> readImpact(QSqlDatabase &db, const QString &id)
{
    QSqlQuery q(db);
    if (Status s = sql::execPrepared(q, QLatin1String(kImpact), {{QStringLiteral(":id"), id}},
                                     QStringLiteral("Cannot count what the user owns"));
        !s)
        return s.error();
    if (!q.next())
        return Error{Error::Kind::Query, QStringLiteral("Cannot count what the user owns."), {}, {}};
    return UserAdmin::Impact{q.value(0).toInt(), q.value(1).toInt(), q.value(2).toInt()};
}

Result<QString> hashPassword(const QString &password)
{
    if (Status s = UserAdmin::checkPassword(password); !s)
        return s.error();
    return Password::hash(password); // cost 12
}

} // namespace

Status UserAdmin::checkFields(const QString &username, const QString &email)
{
    if (username.trimmed().isEmpty())
        return Error{
            Error::Kind::Invalid, QStringLiteral("Enter a username."), QStringLiteral("username"), {}};
    if (username.trimmed() != username)
        return Error{Error::Kind::Invalid,
                     QStringLiteral("A username cannot begin or end with a space."),
                     QStringLiteral("username"),
                     {}};
    const QString trimmed = email.trimmed();
    if (trimmed.size() < 3 || !trimmed.contains(QLatin1Char('@')) || trimmed != email)
        return Error{Error::Kind::Invalid,
                     QStringLiteral("Enter an e-mail address such as name@example.com."),
                     QStringLiteral("email"),
                     {}};
    return Done{};
}

Status UserAdmin::checkPassword(const QString &password)
{
    if (password.size() < kMinPasswordLength)
        return Error{Error::Kind::Invalid,
                     QStringLiteral("A password needs at least %1 characters.").arg(kMinPasswordLength),
                     QStringLiteral("password"),
                     {}};
    return Done{};
}

QCoro::Task<Result<UserRow>> UserAdmin::create(const Actor &actor, const QString &username,
                                               const QString &email, Role role, const QString &password) const
{
    auto job = [actor, username, email, role, password](QSqlDatabase &db) -> Result<UserRow> {
        if (Status s = checkFields(username, email); !s)
            return s.error();
        const Result<QString> hash = hashPassword(password);
        if (!hash)
            return hash.error();
        return sql::inTransaction(db, QStringLiteral("Cannot create the user"), [&]() -> Result<UserRow> {
            if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                return allowed.error();
            UserRow row;
            row.username = username;
            row.email = email;
            row.role = role;
            return UserRepository::insert(db, row, *hash);
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<UserRow>(m_executor->exec(job), [feed](const UserRow &row) {
        feed->publish(QStringLiteral("users"), row.id, ChangeFeed::Op::Insert, kDesk);
    });
}

QCoro::Task<Result<UserRow>> UserAdmin::update(const Actor &actor, const QString &id, const QString &username,
                                               const QString &email, Role role,
                                               const QDateTime &expectedUpdatedAt) const
{
    auto job = [actor, id, username, email, role, expectedUpdatedAt](QSqlDatabase &db) -> Result<UserRow> {
        if (Status s = checkFields(username, email); !s)
            return s.error();
        return sql::inTransaction(db, QStringLiteral("Cannot change the user"), [&]() -> Result<UserRow> {
            const Result<QStringList> admins = lockAdmins(db);
            if (!admins)
                return admins.error();
            if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                return allowed.error();
            if (role != Role::Admin) {
                if (Status s = notTheLastAdmin(*admins, id, QStringLiteral("demoted")); !s)
                    return s.error();
            }
            QSqlQuery q(db);
            if (Status s = sql::execPreparedMayFail(
                    q, QLatin1String(kUpdate),
                    {{QStringLiteral(":id"), id},
                     {QStringLiteral(":username"), username},
                     {QStringLiteral(":email"), email},
                     {QStringLiteral(":role"), toDb(role)},
                     {QStringLiteral(":expected"), sql::timestampText(expectedUpdatedAt)}},
                    QStringLiteral("Cannot change the user"));
                !s)
                return UserRepository::clash(s.error(), username, email);
            if (!q.next()) {
                Result<UserRow> current = UserRepository::selectOne(db, id);
                if (!current)
                    return current.error();
                return Error{
                    Error::Kind::Conflict,
                    QStringLiteral("Someone else changed this user after it was loaded: load it again."),
                    {},
                    {}};
            }
            return UserRepository::selectOne(db, id);
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<UserRow>(m_executor->exec(job), [feed](const UserRow &row) {
        feed->publish(QStringLiteral("users"), row.id, ChangeFeed::Op::Update, kDesk);
    });
}

QCoro::Task<Status> UserAdmin::resetPassword(Actor actor, QString id, QString password) const
{
    auto job = [actor, id, password](QSqlDatabase &db) -> Result<QStringList> {
        const Result<QString> hash = hashPassword(password);
        if (!hash)
            return hash.error();
        return sql::inTransaction(
            db, QStringLiteral("Cannot reset the password"), [&]() -> Result<QStringList> {
                if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                    return allowed.error();
                QSqlQuery q(db);
                if (Status s =
                        sql::execPrepared(q, QLatin1String(kSetPassword),
                                          {{QStringLiteral(":id"), id}, {QStringLiteral(":hash"), *hash}},
                                          QStringLiteral("Cannot reset the password"));
                    !s)
                    return s.error();
                if (q.numRowsAffected() < 1)
                    return Error{
                        Error::Kind::NotFound, QStringLiteral("No user has the id %1.").arg(id), {}, {}};
                return deleteSessions(db, id);
            });
    };
    ChangeFeed *feed = m_feed;
    Result<QStringList> ended = co_await m_executor->exec(job);
    if (!ended)
        co_return ended.error();
    feed->publish(QStringLiteral("users"), id, ChangeFeed::Op::Update, kDesk);
    for (const QString &session : std::as_const(*ended))
        feed->publish(QStringLiteral("sessions"), session, ChangeFeed::Op::Delete, kDesk);
    co_return Done{};
}

QCoro::Task<Result<UserAdmin::Impact>> UserAdmin::deletionImpact(const Actor &actor, const QString &id) const
{
    auto job = [actor, id](QSqlDatabase &db) -> Result<Impact> {
        return sql::inTransaction(db, QStringLiteral("Cannot count what the user owns"),
                                  [&]() -> Result<Impact> {
                                      if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                                          return allowed.error();
                                      return readImpact(db, id);
                                  });
    };
    return m_executor->exec(job);
}

QCoro::Task<Status> UserAdmin::remove(Actor actor, QString id) const
{
    auto job = [actor, id](QSqlDatabase &db) -> Result<Impact> {
        return sql::inTransaction(db, QStringLiteral("Cannot delete the user"), [&]() -> Result<Impact> {
            const Result<QStringList> admins = lockAdmins(db);
            if (!admins)
                return admins.error();
            if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                return allowed.error();
            if (Status s = notTheLastAdmin(*admins, id, QStringLiteral("deleted")); !s)
                return s.error();
            if (id == actor.userId)
                return forbidden(
                    QStringLiteral("You cannot delete your own account: another administrator can."),
                    QStringLiteral("self"));
            const Result<Impact> impact = readImpact(db, id);
            if (!impact)
                return impact.error();
            QSqlQuery q(db);
            if (Status s = sql::execPrepared(q, QLatin1String(kDelete), {{QStringLiteral(":id"), id}},
                                             QStringLiteral("Cannot delete the user"));
                !s)
                return s.error();
            if (q.numRowsAffected() < 1)
                return Error{Error::Kind::NotFound, QStringLiteral("No user has the id %1.").arg(id), {}, {}};
            return impact;
        });
    };
    ChangeFeed *feed = m_feed;
    Result<Impact> removed = co_await m_executor->exec(job);
    if (!removed)
        co_return removed.error();
    // Rows that went with the user (ON DELETE CASCADE): one announcement per table makes the
    // models count again; the ids are gone and not worth reading for thousands of tasks.
    feed->publish(QStringLiteral("users"), id, ChangeFeed::Op::Delete, kDesk);
    if (removed->sessions > 0)
        feed->publish(QStringLiteral("sessions"), {}, ChangeFeed::Op::Delete, kDesk);
    if (removed->tasks > 0)
        feed->publish(QStringLiteral("tasks"), {}, ChangeFeed::Op::Delete, kDesk);
    if (removed->messages > 0)
        feed->publish(QStringLiteral("messages"), {}, ChangeFeed::Op::Delete, kDesk);
    co_return Done{};
}

QCoro::Task<Result<bool>> UserAdmin::hasUsers(DbExecutor &executor)
{
    auto job = [](QSqlDatabase &db) -> Result<bool> {
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(q, QStringLiteral(R"sql(SELECT EXISTS (SELECT 1 FROM "users"))sql"),
                                         {}, QStringLiteral("Cannot read the users"));
            !s)
            return s.error();
        return q.next() && q.value(0).toBool();
    };
    return executor.exec(job);
}

QCoro::Task<Result<UserRow>> UserAdmin::createFirstAdmin(DbExecutor &executor, ChangeFeed &feed,
                                                         const QString &username, const QString &email,
                                                         const QString &password)
{
    auto job = [username, email, password](QSqlDatabase &db) -> Result<UserRow> {
        if (Status s = checkFields(username, email); !s)
            return s.error();
        const Result<QString> hash = hashPassword(password);
        if (!hash)
            return hash.error();
        return sql::inTransaction(
            db, QStringLiteral("Cannot create the administrator"), [&]() -> Result<UserRow> {
                // Conflicts with itself and with every insert: two desks racing see one another.
                // LOCK cannot be prepared; it has no values to bind.
                QSqlQuery lock(db);
                if (!lock.exec(QStringLiteral(R"sql(LOCK TABLE "users" IN SHARE ROW EXCLUSIVE MODE)sql")))
                    return Error::fromSql(lock.lastError(), QStringLiteral("Cannot lock the users"));
                QSqlQuery any(db);
                if (Status s = sql::execPrepared(
                        any, QStringLiteral(R"sql(SELECT EXISTS (SELECT 1 FROM "users"))sql"), {},
                        QStringLiteral("Cannot read the users"));
                    !s)
                    return s.error();
                if (any.next() && any.value(0).toBool())
                    return forbidden(
                        QStringLiteral("The database already has users: an administrator must create yours."),
                        QStringLiteral("not-empty"));
                UserRow row;
                row.username = username;
                row.email = email;
                row.role = Role::Admin;
                return UserRepository::insert(db, row, *hash);
            });
    };
    ChangeFeed *published = &feed;
    return sql::thenPublish<UserRow>(executor.exec(job), [published](const UserRow &row) {
        published->publish(QStringLiteral("users"), row.id, ChangeFeed::Op::Insert, kDesk);
    });
}

} // namespace ccpm
