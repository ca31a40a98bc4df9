#pragma once

#include "access.h"
#include "changefeed.h"
#include "dbexecutor.h"

#include <QDateTime>

namespace ccpm {

/// The administrator's view of the desks' working sessions ("sessions", issue #5): the active
/// ones, and revoking one (deleting its row, so that desk asks for the password again, see
/// AuthService and SessionWatch). Both check Access::require(actor, ADMIN) inside their
/// transaction (Error::Kind::Forbidden for a USER); a revoke is announced on the ChangeFeed
/// ("sessions", Delete, origin "desk"). Times are UTC. Thread: as UserAdmin.
class SessionAdmin {
public:
    SessionAdmin(DbExecutor &executor, ChangeFeed &feed)
        : m_executor(&executor)
        , m_feed(&feed)
    {
    }

    struct Session {
        QString id;
        QString userId;
        QString username;
        QDateTime createdAt;
        QDateTime expiresAt;
    };

    /// Sessions that have not expired, newest first.
    QCoro::Task<Result<QList<Session>>> active(const Actor &actor) const;
    /// NotFound when the session is already gone.
    QCoro::Task<Status> revoke(const Actor &actor, const QString &sessionId) const;

private:
    DbExecutor *m_executor;
    ChangeFeed *m_feed;
};

} // namespace ccpm
