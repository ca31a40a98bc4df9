#pragma once

#include "connectionsettings.h"
#include "result.h"

#include <QString>

#include <memory>

class QLockFile;

namespace ccpm {

/// The app's own PostgreSQL cluster: the default database when the user configured none.
///
/// Layout under rootDir(): `data/` (the cluster), `run/` (its Unix socket), `postgres.log`,
/// `control.lock` and `instances/`. The server listens on no TCP address, only on the socket
/// in `run/` (mode 0700, trust authentication, role and database `ccpm`), so only the owner of
/// the cluster and root can connect.
///
/// Root directory rule: the default is `<AppDataLocation>/postgres`. PostgreSQL refuses to run
/// as root, so when the process runs as root, initdb and pg_ctl run as the owner of an existing
/// `data/`, else as `postgres`, else as `nobody` (via runuser), and the default root is
/// `/var/lib/ccpm-desk/postgres` because root's AppDataLocation under /root is not reachable by
/// that user. A root directory given explicitly is always kept; start() fails with
/// Kind::Environment if the cluster user cannot traverse it.
///
/// Sharing rule: every instance that called start() holds `instances/<pid>-<n>.lock` until
/// release(). A second instance reuses a running cluster. release() (and the destructor) drops
/// the lock and stops the server (`pg_ctl stop -m fast`) when no other instance lock is held;
/// locks of crashed processes count as free, so a server left by a crash is reused by the next
/// instance and stopped by the last one. `control.lock` serialises start and stop.
///
/// Thread: the API is synchronous and waits for child processes (initdb takes seconds, a start
/// up to 30 s), so call it off the GUI thread, from one thread at a time; the destructor waits
/// for the server to stop when it is the last user (fast mode, usually under a second).
/// Errors are values: Kind::Environment for a missing or unusable installation, with the server
/// log's tail as the detail when the server did not start.
class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(QString rootDir = defaultRootDir());
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    /// The root directory used when none is given (see the rule above); needs the application
    /// name set on QCoreApplication first.
    static QString defaultRootDir();
    /// The directory holding initdb and pg_ctl: `pg_config --bindir` when that has them, else
    /// the highest `/usr/lib/postgresql/<version>/bin`. Kind::Environment when none is found.
    static Result<QString> findBinDir();

    /// Creates the cluster on first use, starts the server unless it already runs, creates the
    /// database `ccpm` if missing and returns how to connect (socket directory, user `ccpm`,
    /// no password). Calling it again is harmless.
    Result<ConnectionSettings> start();
    /// Stops using the cluster; stops the server if no other instance uses it. Idempotent.
    void release();

    QString rootDir() const { return m_rootDir; }
    QString dataDir() const;
    QString logFile() const;
    QString socketDir() const;
    /// The port in the socket's name (`.s.PGSQL.<port>`); no TCP port is opened.
    static constexpr int port = 5432;

private:
    struct ProcessResult;

    Result<ConnectionSettings> startLocked();
    Status prepareClusterUser();
    Status ensureReachable() const;
    Result<QString> binDirForCluster() const;
    Status initCluster();
    Status writeSocketConfig(const QString &dataDir) const;
    Status startServer();
    Status ensureDatabase();
    bool isServerRunning() const;
    void releaseLocked();
    bool otherInstanceHoldsCluster() const;
    void stopServer();

    ProcessResult run(const QString &program, const QStringList &arguments, int timeoutMs, bool asClusterUser,
                      bool newSession = false) const;
    QString tool(const QString &name) const;
    void giveToClusterUser(const QString &path) const;
    QString logTail(qint64 from = 0) const; ///< last lines written at or after byte `from`

    QString m_rootDir;
    QString m_binDir;
    QString m_clusterUser; ///< empty unless running as root
    std::unique_ptr<QLockFile> m_instanceLock;
};

} // namespace ccpm
