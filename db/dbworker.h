#pragma once

#include "canceltoken.h"
#include "connectionsettings.h"
#include "result.h"

#include <QMutex>
#include <QObject>
#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <optional>

struct pg_cancel;

namespace ccpm {

/// One database connection and the thread it lives in (internal to DbExecutor).
/// Every member except pending() and cancelIfRunning() runs in the worker's own thread.
class DbWorker : public QObject {
    Q_OBJECT
public:
    using Job = std::function<void(QSqlDatabase *db, const Error *openError)>;

    DbWorker(ConnectionSettings settings, QString connectionName);
    ~DbWorker() override;

    /// Runs `job` with an open connection (or the reason it could not be opened, or
    /// Error::Kind::Cancelled when its token was cancelled before it started).
    void execute(const Job &job, const std::optional<CancelToken> &token);
    /// Asks the server to cancel the running statement if it belongs to the token `id`. Any
    /// thread.
    void cancelIfRunning(const void *id);
    /// Closes and removes the connection; called in the worker thread before it stops.
    void shutdown();

    std::atomic<int> &pending() { return m_pending; }

private:
    std::optional<Error> ensureOpen();

    ConnectionSettings m_settings;
    QString m_connectionName;
    void setCancelHandle(QSqlDatabase *db);

    std::atomic<int> m_pending{0};
    QMutex m_cancelMutex;            ///< guards the two members below
    const void *m_running = nullptr; ///< the token of the running job
    pg_cancel *m_cancel = nullptr;   ///< libpq's cancel handle of the open connection
};

} // namespace ccpm
