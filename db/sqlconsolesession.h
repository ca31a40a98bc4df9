#pragma once

#include "sqlconsole.h"

#include <QHash>
#include <QPair>

#include <atomic>

struct pg_conn;

namespace ccpm {

/// SqlConsole's side of the connection: libpq calls on the console worker's PGconn, and what the
/// connection holds between jobs (the console's transaction and its cursor). Internal to
/// SqlConsole, which documents the behaviour.
///
/// Errors: Result values as SqlConsole says. Thread: every member runs inside a job on the
/// console's single worker (jobs run one at a time, in order), except writeTransaction, which
/// the GUI thread reads once a job has completed.
class SqlConsoleSession {
public:
    struct RunRequest {
        QString statement;
        SqlConsole::Mode mode = SqlConsole::Mode::ReadOnly;
        int statementTimeoutMs = 0;
        Actor actor;
        quint64 resultId = 0;
    };

    Result<SqlConsole::Outcome> run(QSqlDatabase &db, const RunRequest &request, const CancelToken &token);
    Result<SqlConsole::Page> fetch(QSqlDatabase &db, quint64 resultId, qint64 firstRow, int count,
                                   const CancelToken &token);
    Result<qint64> count(QSqlDatabase &db, quint64 resultId, const CancelToken &token);
    Status commit(QSqlDatabase &db, const Actor &actor);
    Status rollback(QSqlDatabase &db);
    Status close(QSqlDatabase &db);

    /// True while a write transaction is open (waiting for commit or rollback).
    std::atomic_bool writeTransaction{false};

    /// The first keyword of `statement` in upper case, past blanks, comments and '(' (public
    /// for the test).
    static QString firstKeyword(const QString &statement);

private:
    /// The worker's PGconn; forgets the transaction and cursor when the connection changed.
    pg_conn *attach(QSqlDatabase &db);
    void reset();
    /// Ends what a failed statement left: the savepoint (write mode) or the whole transaction.
    void recover(const char *savepoint);
    void lookUpTypes(QList<SqlConsole::Column> &columns);

    pg_conn *m_connection = nullptr;
    int m_backendPid = 0;
    bool m_transaction = false;
    quint64 m_cursorResult = 0;                      ///< the result whose cursor is open; 0: none
    int m_timeoutMs = 0;                             ///< of the open transaction, for the timeout's message
    QHash<QPair<quint32, int>, QString> m_typeNames; ///< (oid, typmod) → format_type
};

} // namespace ccpm
