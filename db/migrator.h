#pragma once

#include "result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace ccpm {

/// Versioned SQL migrations embedded as Qt resources (db/migrations/NNNN_name.sql), recorded in
/// the table "_ccpm_migrations" (version, name, SHA-256 checksum, appliedAt, durationMs, baselined).
///
/// - Each migration runs in its own transaction, and the whole run holds a PostgreSQL advisory
///   lock, so two instances never migrate at once (the second waits, then finds nothing to do).
/// - A migration whose file changed after it was applied stops the run (Error::Kind::Schema).
/// - Migration 1 is the backend's schema. When the backend already created it, migration 1 is
///   baselined: the five tables (with their columns) and seven enum types (with their values)
///   are checked and the migration is recorded without running. A partial or different schema
///   stops the run with a message naming what differs.
///
/// Thread: the functions are synchronous and take the connection they must use; call them inside
/// a DbExecutor job (they hold the connection for the whole run).
class Migrator {
public:
    struct Migration {
        int version = 0;
        QString name;
        QString checksum; ///< lower-case hex SHA-256 of the file
        QString sql;
    };

    enum class State { Pending, Applied, Baselined, Modified };
    struct Entry {
        int version = 0;
        QString name;
        State state = State::Pending;
        QDateTime appliedAt; ///< UTC; invalid when pending
        int durationMs = 0;
    };

    struct Report {
        QList<int> applied;
        QList<int> baselined;
    };

    /// The migrations this build carries, by version.
    static QList<Migration> available();
    /// Applied and pending migrations; Modified where a recorded checksum differs from the file.
    static Result<QList<Entry>> status(QSqlDatabase &db);
    /// Applies every pending migration; `schema` is created when missing.
    static Result<Report> migrate(QSqlDatabase &db, const QString &schema);

    /// Splits a script into statements on top-level semicolons, respecting quotes, dollar quotes
    /// and comments.
    static QStringList splitStatements(const QString &script);
    static QString stateName(State state);
};

} // namespace ccpm
