#pragma once

#include "access.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// The administrator's operations on "users" (issue #5): create, edit, reset a password,
/// delete, and the first administrator of an empty database.
///
/// Every operation but createFirstAdmin() and hasUsers() checks Access::require(actor, ADMIN)
/// inside the transaction that acts, so a USER is refused (Error::Kind::Forbidden) whatever path
/// they take, and changes nothing. Each change is announced on the ChangeFeed with origin "desk"
/// once it is committed ("users", and "sessions"/"tasks" for what a reset or a delete removes).
///
/// Rules:
/// - Passwords have at least kMinPasswordLength characters and are hashed with bcrypt cost 12
///   (Password::hash's default) on the worker thread.
/// - A duplicate username or e-mail is Error::Kind::Constraint with `detail` "username" or
///   "email" (the field to show it at); an empty username or an e-mail without "@" is
///   Error::Kind::Invalid with the same `detail`; a short password has detail "password".
/// - Nobody demotes or deletes the last ADMIN (Error::Kind::Forbidden, detail "last-admin"): the
///   ADMIN rows are locked FOR UPDATE first in the transaction, so two administrators demoting
///   each other at once cannot both succeed (the second sees the first's change, and is refused).
/// - An administrator cannot delete their own account (Forbidden, detail "self"): another
///   administrator can. This keeps a desk from deleting the user it is signed in as.
/// - update() writes only when "updatedAt" still equals `expectedUpdatedAt`, else
///   Error::Kind::Conflict (someone else changed the user since it was read).
///
/// Thread: call from a thread with an event loop; SQL and bcrypt run on the executor's workers.
/// The executor and the feed must outlive the tasks; the UserAdmin object itself need not.
class UserAdmin {
public:
    UserAdmin(DbExecutor &executor, ChangeFeed &feed)
        : m_executor(&executor)
        , m_feed(&feed)
    {
    }

    static constexpr int kMinPasswordLength = 8;

    /// What deleting a user takes with it (ON DELETE CASCADE): the tasks they created, their
    /// sessions, and the messages of those tasks.
    struct Impact {
        int tasks = 0;
        int sessions = 0;
        int messages = 0;
    };

    QCoro::Task<Result<UserRow>> create(const Actor &actor, const QString &username, const QString &email,
                                        Role role, const QString &password) const;
    QCoro::Task<Result<UserRow>> update(const Actor &actor, const QString &id, const QString &username,
                                        const QString &email, Role role,
                                        const QDateTime &expectedUpdatedAt) const;
    /// Sets a new password and deletes all of the user's sessions (their desks ask again).
    QCoro::Task<Status> resetPassword(Actor actor, QString id, QString password) const;
    QCoro::Task<Result<Impact>> deletionImpact(const Actor &actor, const QString &id) const;
    QCoro::Task<Status> remove(Actor actor, QString id) const;

    /// Whether "users" has any row (the desk asks for a first administrator when not). No actor.
    static QCoro::Task<Result<bool>> hasUsers(DbExecutor &executor);
    /// Creates an ADMIN, but only while "users" is empty (checked under a table lock, so two
    /// desks racing create one administrator); otherwise Error::Kind::Forbidden. No actor: there
    /// is nobody to be yet.
    static QCoro::Task<Result<UserRow>> createFirstAdmin(DbExecutor &executor, ChangeFeed &feed,
                                                         const QString &username, const QString &email,
                                                         const QString &password);

    /// Field checks shared with the dialogs: an Error naming the field in `detail`, or Done.
    static Status checkFields(const QString &username, const QString &email);
    static Status checkPassword(const QString &password);

private:
    DbExecutor *m_executor;
    ChangeFeed *m_feed;
};

} // namespace ccpm
