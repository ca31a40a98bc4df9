#pragma once

#include "enums.h"
#include "result.h"

#include <QSqlDatabase>
#include <QString>

namespace ccpm {

/// Who performs a desk operation: the signed-in user.
struct Actor {
    QString userId;
};

/// The role rules of the desk (issue #5), checked below the UI: ADMIN may do everything; USER
/// (a manager) may create, edit, assign and comment on tasks, and reads users, agents and
/// sessions. Every operation that needs a role calls require() inside its own transaction, on
/// the row as it is now (not the role seen at login), so a user demoted a second ago is refused.
///
/// Errors: Error::Kind::Forbidden for a role that is not enough, Error::Kind::Auth for a user
/// that no longer exists. Thread: inside a DbExecutor job (the connection's thread).
class Access {
public:
    /// The actor's role as stored now. Within a transaction the row is locked FOR SHARE, so a
    /// concurrent demotion waits for the operation that checked it.
    static Result<Role> roleOf(QSqlDatabase &db, const Actor &actor);
    /// Done when the actor's role is `needed` or above (ADMIN is above USER).
    static Status require(QSqlDatabase &db, const Actor &actor, Role needed);
    /// The sentence a refusal carries, for tests and dialogs.
    static QString refusal(Role needed);
};

} // namespace ccpm
