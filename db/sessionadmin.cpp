#include "sessionadmin.h"

#include "adminsupport.h"
#include "sqlvalues.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kActive = R"sql(
SELECT s."id", s."userId", u."username", s."createdAt"::text, s."expiresAt"::text
FROM "sessions" s JOIN "users" u ON u."id" = s."userId"
WHERE s."expiresAt" > (now() AT TIME ZONE 'UTC')
ORDER BY s."createdAt" DESC, s."id")sql";

constexpr auto kRevoke = R"sql(DELETE FROM "sessions" WHERE "id" = :id)sql";

} // namespace

QCoro::Task<Result<QList<SessionAdmin::Session>>> SessionAdmin::active(const Actor &actor) const
{
    auto job = [actor](QSqlDatabase &db) -> Result<QList<Session>> {
        return sql::inTransaction(
            db, QStringLiteral("Cannot read the sessions"), [&]() -> Result<QList<Session>> {
                if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                    return allowed.error();
                QSqlQuery q(db);
                q.setForwardOnly(true);
                if (Status s = sql::execPrepared(q, QLatin1String(kActive), {},
                                                 QStringLiteral("Cannot read the sessions"));
                    !s)
                    return s.error();
                QList<Session> sessions;
                while (q.next())
                    sessions.append(Session{q.value(0).toString(), q.value(1).toString(),
                                            q.value(2).toString(), sql::timestampFromText(q.value(3)),
                                            sql::timestampFromText(q.value(4))});
                return sessions;
            });
    };
    return m_executor->exec(job);
}

QCoro::Task<Status> SessionAdmin::revoke(const Actor &actor, const QString &sessionId) const
{
    auto job = [actor, sessionId](QSqlDatabase &db) -> Status {
        return sql::inTransaction(db, QStringLiteral("Cannot revoke the session"), [&]() -> Status {
            if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
                return allowed.error();
            QSqlQuery q(db);
            if (Status s = sql::execPrepared(q, QLatin1String(kRevoke), {{QStringLiteral(":id"), sessionId}},
                                             QStringLiteral("Cannot revoke the session"));
                !s)
                return s;
            if (q.numRowsAffected() < 1)
                return Error{Error::Kind::NotFound, QStringLiteral("The session has already ended."), {}, {}};
            return Done{};
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<Done>(m_executor->exec(job), [feed, sessionId](const Done &) {
        feed->publish(QStringLiteral("sessions"), sessionId, ChangeFeed::Op::Delete, QStringLiteral("desk"));
    });
}

} // namespace ccpm
