#pragma once

#include "connectionsettings.h"

#include <QString>
#include <QTemporaryDir>

/// A PostgreSQL server of the test's own, which it may stop and start (the shared test server
/// must never be stopped): initdb in a temporary directory, a Unix socket only, trust
/// authentication, fsync off, as scripts/throwaway-pg.sh does. As root, initdb and pg_ctl run as
/// the `postgres` user (runuser), because PostgreSQL refuses to run as root.
/// Errors: start()/stop() return an empty string or what failed (with the server log's tail).
/// Thread: the test's; every call waits for pg_ctl (a start takes about a second).
class PrivateCluster {
public:
    PrivateCluster();
    ~PrivateCluster(); ///< stops the server (immediate) and removes the directory
    PrivateCluster(const PrivateCluster &) = delete;
    PrivateCluster &operator=(const PrivateCluster &) = delete;

    /// initdb on the first call, then `pg_ctl start -w`.
    QString start();
    /// `pg_ctl stop -m <mode> -w` (fast: sessions are ended, the last checkpoint is written).
    QString stop(const QString &mode = QStringLiteral("fast"));

    /// User postgres, database postgres, on the socket directory.
    ccpm::ConnectionSettings settings() const;
    QString socketDir() const { return m_dir.path(); }
    /// The directory holding psql, initdb and pg_ctl.
    static QString binDir();
    /// Points the environment of tests/support/testdatabase.h (CCPM_TEST_PGHOST, _PORT, _USER) at
    /// this server, so that TestDatabase creates its databases here.
    void exportForTestDatabase() const;

private:
    QString run(const QStringList &arguments, int timeoutMs) const;
    QString logTail() const;

    QTemporaryDir m_dir;
    bool m_initialized = false;
    bool m_running = false;
};
