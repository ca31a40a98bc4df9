#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QSqlError>

#include <QCoro/QCoroTask>

#include <functional>

namespace ccpm::sql {

/// What the admin services (UserAdmin, AgentAdmin, SessionAdmin) share: run a body inside one
/// transaction (rolled back on any error), and announce a change only once it is committed.

/// BEGIN; body(); COMMIT, or ROLLBACK when body() or COMMIT fails. Inside a DbExecutor job.
template <typename F>
auto inTransaction(QSqlDatabase &db, const QString &what, F body) -> decltype(body())
{
    if (!db.transaction())
        return Error::fromSql(db.lastError(), what);
    auto result = body();
    if (!result) {
        db.rollback();
        return result;
    }
    if (!db.commit()) {
        Error error = Error::fromSql(db.lastError(), what);
        db.rollback();
        return error;
    }
    return result;
}

/// Awaits `task` and, when it succeeded, calls `publish` with its value in the awaiting thread.
/// `publish` must not refer to the service object that started the task (it may be a temporary).
template <typename T>
QCoro::Task<Result<T>> thenPublish(QCoro::Task<Result<T>> task, std::function<void(const T &)> publish)
{
    Result<T> result = co_await std::move(task);
    if (result && publish)
        publish(*result);
    co_return result;
}

} // namespace ccpm::sql
