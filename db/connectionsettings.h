#pragma once

#include <QString>

namespace ccpm {

/// Where and how to reach a PostgreSQL database. Parsed from a Prisma-style DATABASE_URL
/// (see databaseurl.h) or produced by the embedded cluster manager.
/// The password is held here only to open connections: displayName() and redactedUrl() never
/// contain it, and nothing that logs or shows settings may use anything else.
struct ConnectionSettings {
    QString host;     ///< host name or address, or an absolute Unix-socket directory
    int port = 5432;  ///< TCP port, also the number in the socket file name (.s.PGSQL.<port>)
    QString database; ///< database name
    QString user;     ///< role name; empty means libpq's default (the OS user)
    QString password; ///< may be empty (trust, peer or .pgpass)
    QString schema = QStringLiteral("public"); ///< becomes the search_path
    QString sslMode;                ///< libpq sslmode (disable, prefer, require, ...); empty: libpq default
    int connectTimeoutSeconds = 10; ///< libpq connect_timeout, seconds
    /// Set as the session's ccpm.origin on every connection (empty: not set). The change
    /// triggers (migration 7) put it in their notifications, so the desk that wrote a change can
    /// skip it when it comes back (ChangeListener). One random value per app core.
    QString changeOrigin;

    bool isUnixSocket() const { return host.startsWith(QLatin1Char('/')); }
    /// "host:port/database" or "socket-dir/database": safe for titles, logs and status bars.
    QString displayName() const;
    /// A postgresql:// URL with the password replaced by "***" (or absent when there is none).
    QString redactedUrl() const;
    /// libpq connect options for QSqlDatabase::setConnectOptions (sslmode, connect_timeout,
    /// application_name).
    QString connectOptions(const QString &applicationName) const;
};

} // namespace ccpm
