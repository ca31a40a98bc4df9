#pragma once

#include "connectionsettings.h"
#include "result.h"

#include <QObject>
#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <optional>

namespace ccpm {

/// One database connection and the thread it lives in (internal to DbExecutor).
/// Every member except pending() runs in the worker's own thread.
class DbWorker : public QObject {
    Q_OBJECT
public:
    using Job = std::function<void(QSqlDatabase *db, const Error *openError)>;

    DbWorker(ConnectionSettings settings, QString connectionName);

    /// Runs `job` with an open connection (or the reason it could not be opened).
    void execute(const Job &job);
    /// Closes and removes the connection; called in the worker thread before it stops.
    void shutdown();

    std::atomic<int> &pending() { return m_pending; }

private:
    std::optional<Error> ensureOpen();

    ConnectionSettings m_settings;
    QString m_connectionName;
    std::atomic<int> m_pending{0};
};

} // namespace ccpm
