#pragma once

#include "canceltoken.h"
#include "connectionsettings.h"
#include "result.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QSqlDatabase>

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace ccpm {

class DbWorker;

/// True when the connection's socket to the server is gone (libpq's PQstatus is CONNECTION_BAD),
/// as opposed to a statement that failed on a live connection.
bool connectionLost(const QSqlDatabase &db);

/// Runs database work on worker threads that own their connections.
///
/// Each of the `connections` workers is a QThread holding one QSqlDatabase (QPSQL), opened on
/// first use and reopened after the server drops it. A job is a function `Result<T>(QSqlDatabase&)`
/// that runs entirely in the worker's thread; `run()` returns a QCoro::Task that resumes in the
/// calling thread (GUI, hub or test) when the job is done, so callers never block on the server.
/// Jobs on one worker run in order; jobs are spread over the workers by load.
///
/// Every connection sets `TimeZone=UTC` (TIMESTAMP(3) columns hold UTC wall-clock time, see the
/// schema contract) and `search_path` to the settings' schema.
///
/// Errors: a connection that cannot be opened yields Error::Kind::Connection with libpq's message
/// (never the password). Thread: create and destroy in one thread; run() may be called from any
/// thread that has an event loop.
class DbExecutor : public QObject {
    Q_OBJECT
public:
    explicit DbExecutor(ConnectionSettings settings, int connections = 2, QObject *parent = nullptr);
    ~DbExecutor() override;

    const ConnectionSettings &settings() const { return m_settings; }

    /// Queues `work` on a worker and completes with what it returns; with a token, cancel()
    /// may end it early (Error::Kind::Cancelled before it starts, or the server's 57014).
    template <typename T>
    QCoro::Task<Result<T>> run(std::function<Result<T>(QSqlDatabase &)> work,
                               std::optional<CancelToken> token = {})
    {
        auto promise = std::make_shared<QPromise<Result<T>>>();
        QFuture<Result<T>> future = promise->future();
        promise->start();
        post(std::move(token), [promise, work = std::move(work)](QSqlDatabase *db, const Error *openError) {
            if (openError) {
                promise->addResult(Result<T>(*openError));
            } else {
                Result<T> result = work(*db);
                if (!result && result.error().kind != Error::Kind::Connection && connectionLost(*db)) {
                    Error lost = result.error();
                    lost.kind = Error::Kind::Connection;
                    lost.message =
                        QStringLiteral("The connection to the database was lost. %1").arg(lost.message);
                    result = lost;
                }
                promise->addResult(std::move(result));
            }
            promise->finish();
        });
        co_return co_await future;
    }

    /// Same as run(), deducing T from the callable.
    template <typename F>
    auto exec(F work, std::optional<CancelToken> token = {})
    {
        using R = std::invoke_result_t<F, QSqlDatabase &>;
        using T = std::remove_cvref_t<decltype(std::declval<R>().value())>;
        return run<T>(std::function<Result<T>(QSqlDatabase &)>(std::move(work)), std::move(token));
    }

    /// Abandons the work carrying `token`: queued jobs are skipped, a running statement is
    /// cancelled on the server. Work without the token is not touched (a cancel request that
    /// reaches the server just as its statement ends is ignored by PostgreSQL). Any thread.
    void cancel(const CancelToken &token);

private:
    using Job = std::function<void(QSqlDatabase *db, const Error *openError)>;
    void post(std::optional<CancelToken> token, Job job);

    ConnectionSettings m_settings;
    QThread *m_cancelThread; ///< sends cancel requests (PQcancel blocks while it connects)
    QObject *m_canceller;    ///< lives in m_cancelThread
    std::vector<QThread *> m_threads;
    std::vector<DbWorker *> m_workers;
};

} // namespace ccpm
