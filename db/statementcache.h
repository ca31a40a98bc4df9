#pragma once

#include "result.h"

#include <QSqlQuery>
#include <QString>
#include <QVariantMap>

namespace ccpm::sql {

/// Prepared statements kept for reuse, per database connection, for the statements a worker
/// runs many times a second (the hub's group commits). execPrepared() prepares, executes and
/// frees a statement each time: with QPSQL that is three round trips (PREPARE, EXECUTE,
/// DEALLOCATE) and a new plan each time. A statement run through execReused() is prepared once
/// on its connection and then only executed, and PostgreSQL may reuse its plan (a generic plan
/// after five executions, "PREPARE" in the PostgreSQL manual).
///
/// Thread: a connection lives in one thread, and so do its statements (thread-local storage).
/// Whoever closes or removes a connection calls forgetReusedQueries() first (DbWorker does);
/// a statement that fails is forgotten too, so the next call prepares it again.

/// Binds `bindings`, executes the kept statement for `sqlText` on `db` (preparing it the first
/// time), and returns it positioned before its first row, forward-only. The pointer is valid
/// until the next execReused() of the same text on the same connection, or
/// forgetReusedQueries(). On failure, an Error naming `what`, as execPrepared().
Result<QSqlQuery *> execReused(QSqlDatabase &db, const QString &sqlText, const QVariantMap &bindings,
                               const QString &what);

/// Frees the statements kept for `connectionName` on this thread (before it closes).
void forgetReusedQueries(const QString &connectionName);

/// How many statements are kept for `connectionName` on this thread (tests).
qsizetype reusedQueryCount(const QString &connectionName);

} // namespace ccpm::sql
