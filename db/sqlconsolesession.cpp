#include "sqlconsolesession.h"

#include "libpqhandle.h"

#include <QElapsedTimer>
#include <QSqlDriver>
#include <QStringList>

#include <memory>

namespace ccpm {

namespace {

const QByteArray kCursor = QByteArrayLiteral("ccpm_console_cursor");
const QByteArray kDeclarePrefix = QByteArrayLiteral("DECLARE ccpm_console_cursor SCROLL CURSOR FOR ");
const char *const kClose = "CLOSE ccpm_console_cursor";
const char *const kStatementSavepoint = "ccpm_console_statement";
const char *const kFetchSavepoint = "ccpm_console_fetch";

QString field(const PGresult *result, int code)
{
    const char *value = result ? PQresultErrorField(result, code) : nullptr;
    return value ? QString::fromUtf8(value) : QString();
}

/// The server's error as the console shows it. `offset`: characters the console put before the
/// user's statement (DECLARE …), taken off the error position.
Error serverError(PGconn *connection, const PGresult *result, const CancelToken &token, int offset = 0,
                  int timeoutMs = 0)
{
    Error e;
    e.sqlState = field(result, PG_DIAG_SQLSTATE);
    e.message = field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (e.message.isEmpty())
        e.message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
    e.hint = field(result, PG_DIAG_MESSAGE_HINT);
    const int position = field(result, PG_DIAG_STATEMENT_POSITION).toInt();
    e.position = position > offset ? position - offset : 0;
    const QString serverDetail = field(result, PG_DIAG_MESSAGE_DETAIL);
    e.detail = serverDetail;
    if (!e.sqlState.isEmpty())
        e.detail = (e.detail.isEmpty() ? QString() : e.detail + QStringLiteral("; ")) +
                   QStringLiteral("SQLSTATE %1").arg(e.sqlState);

    if (e.sqlState.startsWith(QLatin1String("08")) || e.sqlState.startsWith(QLatin1String("57P")) ||
        PQstatus(connection) == CONNECTION_BAD) {
        e.kind = Error::Kind::Connection;
    } else if (e.sqlState == QLatin1String("57014") || (e.sqlState.isEmpty() && token.isCancelled())) {
        if (token.isCancelled()) {
            e.kind = Error::Kind::Cancelled;
            e.message = QStringLiteral("The statement was cancelled.");
        } else if (e.message.contains(QLatin1String("statement timeout"))) {
            e.message = QStringLiteral("The statement ran longer than the statement timeout (%1 s) and was "
                                       "stopped: raise the timeout to let it finish.")
                            .arg(double(timeoutMs) / 1000.0);
        }
    } else if (e.sqlState == QLatin1String("25006")) {
        e.message =
            QStringLiteral("The console is read-only (%1). Switch to Write mode (ADMIN only) to change "
                           "data.")
                .arg(e.message);
    } else if (e.sqlState.startsWith(QLatin1String("23"))) {
        e.kind = Error::Kind::Constraint;
    }
    return e;
}

Error invalid(const QString &message)
{
    return Error{Error::Kind::Invalid, message};
}

Error closedResult()
{
    return invalid(QStringLiteral("This result is closed: run the statement again."));
}

/// Our own statements: a failure is reported as is.
Result<PgResult> exec(PGconn *connection, const QByteArray &sql, const CancelToken &token,
                      ExecStatusType expected = PGRES_COMMAND_OK, int timeoutMs = 0)
{
    PgResult result(PQexec(connection, sql.constData()));
    if (!result || PQresultStatus(result.get()) != expected)
        return serverError(connection, result.get(), token, 0, timeoutMs);
    return result;
}

QByteArray savepoint(const char *verb, const char *name)
{
    return QByteArray(verb) + ' ' + name;
}

QList<SqlConsole::Row> rowsOf(const PGresult *result)
{
    const int rows = PQntuples(result);
    const int columns = PQnfields(result);
    QList<SqlConsole::Row> out;
    out.reserve(rows);
    for (int r = 0; r < rows; ++r) {
        SqlConsole::Row row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(result, r, c))
                row << QVariant();
            else
                row << QString::fromUtf8(PQgetvalue(result, r, c), PQgetlength(result, r, c));
        }
        out << row;
    }
    return out;
}

QList<SqlConsole::Column> columnsOf(const PGresult *result)
{
    QList<SqlConsole::Column> columns;
    for (int c = 0; c < PQnfields(result); ++c)
        columns << SqlConsole::Column{QString::fromUtf8(PQfname(result, c)), QString(),
                                      quint32(PQftype(result, c)), PQfmod(result, c)};
    return columns;
}

bool isRowReturning(const QString &keyword)
{
    static const QStringList kinds = {QStringLiteral("SELECT"), QStringLiteral("VALUES"),
                                      QStringLiteral("TABLE"), QStringLiteral("WITH"), QStringLiteral("(")};
    return kinds.contains(keyword);
}

bool isTransactionControl(const QString &statement, const QString &keyword)
{
    static const QStringList kinds = {QStringLiteral("BEGIN"),     QStringLiteral("START"),
                                      QStringLiteral("COMMIT"),    QStringLiteral("END"),
                                      QStringLiteral("ROLLBACK"),  QStringLiteral("ABORT"),
                                      QStringLiteral("SAVEPOINT"), QStringLiteral("RELEASE")};
    if (kinds.contains(keyword))
        return true;
    return keyword == QLatin1String("PREPARE") &&
           statement.simplified().toUpper().contains(QLatin1String("PREPARE TRANSACTION"));
}

/// The statement without the blanks and semicolons that end it.
QString trimmedEnd(const QString &statement)
{
    qsizetype end = statement.size();
    while (end > 0 && (statement.at(end - 1).isSpace() || statement.at(end - 1) == QLatin1Char(';')))
        --end;
    return statement.left(end);
}

} // namespace

QString SqlConsoleSession::firstKeyword(const QString &statement)
{
    const qsizetype n = statement.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = statement.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == QLatin1Char('-') && i + 1 < n && statement.at(i + 1) == QLatin1Char('-')) {
            const qsizetype end = statement.indexOf(QLatin1Char('\n'), i);
            i = end < 0 ? n : end + 1;
        } else if (c == QLatin1Char('/') && i + 1 < n && statement.at(i + 1) == QLatin1Char('*')) {
            int depth = 1; // block comments nest in PostgreSQL
            i += 2;
            while (i < n && depth > 0) {
                if (statement.mid(i, 2) == QLatin1String("/*")) {
                    ++depth;
                    i += 2;
                } else if (statement.mid(i, 2) == QLatin1String("*/")) {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            }
        } else if (c == QLatin1Char('(')) {
            return QStringLiteral("(");
        } else {
            qsizetype j = i;
            while (j < n && (statement.at(j).isLetter() || statement.at(j) == QLatin1Char('_')))
                ++j;
            return statement.mid(i, std::max<qsizetype>(j - i, 1)).toUpper();
        }
    }
    return {};
}

PGconn *SqlConsoleSession::attach(QSqlDatabase &db)
{
    PGconn *connection = pgConnection(db);
    const int pid = connection ? PQbackendPID(connection) : 0;
    if (connection != m_connection || pid != m_backendPid) {
        reset();
        m_connection = connection;
        m_backendPid = pid;
    }
    return connection;
}

void SqlConsoleSession::reset()
{
    m_transaction = false;
    m_cursorResult = 0;
    writeTransaction = false;
}

void SqlConsoleSession::recover(const char *name)
{
    if (!m_connection || PQstatus(m_connection) == CONNECTION_BAD) {
        reset();
        return;
    }
    if (writeTransaction) {
        // The statement is undone alone; the transaction keeps what earlier statements did.
        PQclear(PQexec(m_connection, savepoint("ROLLBACK TO SAVEPOINT", name).constData()));
        PQclear(PQexec(m_connection, savepoint("RELEASE SAVEPOINT", name).constData()));
        if (PQtransactionStatus(m_connection) != PQTRANS_INTRANS) {
            PQclear(PQexec(m_connection, "ROLLBACK"));
            reset();
        }
    } else {
        PQclear(PQexec(m_connection, "ROLLBACK"));
        reset();
    }
}

void SqlConsoleSession::lookUpTypes(QList<SqlConsole::Column> &columns)
{
    QStringList oids, mods;
    for (const SqlConsole::Column &c : columns) {
        if (!m_typeNames.contains({c.typeOid, c.typeModifier})) {
            oids << QString::number(c.typeOid);
            mods << QString::number(c.typeModifier);
        }
    }
    if (!oids.isEmpty()) {
        const QByteArray a = "{" + oids.join(QLatin1Char(',')).toLatin1() + "}";
        const QByteArray b = "{" + mods.join(QLatin1Char(',')).toLatin1() + "}";
        const char *params[] = {a.constData(), b.constData()};
        PgResult r(PQexecParams(m_connection,
                                "SELECT t, m, format_type(t, m) FROM unnest($1::oid[], $2::int[]) AS u(t, m)",
                                2, nullptr, params, nullptr, nullptr, 0));
        if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK) {
            for (int i = 0; i < PQntuples(r.get()); ++i)
                m_typeNames.insert({QByteArray(PQgetvalue(r.get(), i, 0)).toUInt(),
                                    QByteArray(PQgetvalue(r.get(), i, 1)).toInt()},
                                   QString::fromUtf8(PQgetvalue(r.get(), i, 2)));
        }
    }
    for (SqlConsole::Column &c : columns)
        c.typeName = m_typeNames.value({c.typeOid, c.typeModifier});
}

Result<SqlConsole::Outcome> SqlConsoleSession::run(QSqlDatabase &db, const RunRequest &request,
                                                   const CancelToken &token)
{
    QElapsedTimer clock;
    clock.start();
    PGconn *connection = attach(db);
    if (!connection)
        return Error{Error::Kind::Connection, QStringLiteral("The console has no database connection.")};
    const QString statement = trimmedEnd(request.statement);
    const QString keyword = firstKeyword(statement);
    if (keyword.isEmpty())
        return invalid(QStringLiteral("There is no statement to run."));
    if (isTransactionControl(statement, keyword))
        return invalid(
            QStringLiteral("The console manages transactions itself: use Commit or Roll back in write "
                           "mode instead of %1.")
                .arg(keyword));
    const bool write = request.mode == SqlConsole::Mode::Write;
    if (!write && writeTransaction)
        return invalid(QStringLiteral("A write transaction is open: commit or roll it back first."));

    // The previous result goes: its read-only transaction, or just its cursor.
    if (m_transaction && !writeTransaction) {
        PQclear(PQexec(connection, "ROLLBACK"));
        reset();
    } else if (m_cursorResult) {
        PQclear(PQexec(connection, kClose));
        m_cursorResult = 0;
    }

    const bool begins = !m_transaction;
    if (begins) {
        if (Result<PgResult> r = exec(connection, write ? "BEGIN" : "BEGIN READ ONLY", token); !r)
            return r.error();
        m_transaction = true;
        writeTransaction = write;
    }
    if (write) {
        if (Status allowed = Access::require(db, request.actor, Role::Admin); !allowed) {
            if (begins || PQtransactionStatus(connection) != PQTRANS_INTRANS) {
                PQclear(PQexec(connection, "ROLLBACK"));
                reset();
            }
            return allowed.error();
        }
    }
    m_timeoutMs = request.statementTimeoutMs;
    const QByteArray setup =
        "SET LOCAL statement_timeout = " + QByteArray::number(request.statementTimeoutMs) +
        "; SET LOCAL bytea_output = hex; SAVEPOINT " + kStatementSavepoint;
    if (Result<PgResult> r = exec(connection, setup, token); !r) {
        recover(kStatementSavepoint);
        return r.error();
    }

    SqlConsole::Outcome outcome;
    outcome.resultId = request.resultId;
    outcome.statement = request.statement;
    outcome.mode = request.mode;
    const QByteArray sql = statement.toUtf8();
    PgResult result;
    if (isRowReturning(keyword)) {
        result.reset(PQexecParams(connection, QByteArray(kDeclarePrefix + sql).constData(), 0, nullptr,
                                  nullptr, nullptr, nullptr, 0));
        const QString state = result ? field(result.get(), PG_DIAG_SQLSTATE) : QString();
        if (result && PQresultStatus(result.get()) == PGRES_COMMAND_OK) {
            const QByteArray fetch =
                "FETCH FORWARD " + QByteArray::number(SqlConsole::kPageRows) + " FROM " + kCursor;
            result.reset(PQexec(connection, fetch.constData()));
            if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
                Error e = serverError(connection, result.get(), token, 0, m_timeoutMs);
                recover(kStatementSavepoint);
                return e;
            }
            outcome.cursor = true;
            outcome.commandTag = QStringLiteral("SELECT");
            outcome.atEnd = PQntuples(result.get()) < SqlConsole::kPageRows;
            m_cursorResult = request.resultId;
        } else if (state == QLatin1String("0A000") ||
                   (state == QLatin1String("42601") && field(result.get(), PG_DIAG_MESSAGE_PRIMARY)
                                                           .contains(QLatin1String("INTO is not allowed")))) {
            // Not a cursor's query (a data-modifying WITH, FOR UPDATE, SELECT … INTO): it runs directly.
            PQclear(PQexec(connection, savepoint("ROLLBACK TO SAVEPOINT", kStatementSavepoint).constData()));
            result.reset();
        } else {
            Error e = serverError(connection, result.get(), token, int(kDeclarePrefix.size()), m_timeoutMs);
            recover(kStatementSavepoint);
            return e;
        }
    }
    if (!result) {
        // The extended protocol runs one statement only: "select 1; delete …" is refused.
        result.reset(PQexecParams(connection, sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0));
        const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            if (status == PGRES_COPY_IN)
                PQputCopyEnd(connection, "not supported by the console");
            char *buffer = nullptr;
            while (status != PGRES_COPY_IN && PQgetCopyData(connection, &buffer, 0) > 0)
                PQfreemem(buffer);
            while (PGresult *rest = PQgetResult(connection))
                PQclear(rest);
            recover(kStatementSavepoint);
            return invalid(
                QStringLiteral("COPY to or from the client does not run in the console: use Export, "
                               "or COPY … TO a file on the server."));
        }
        if (status == PGRES_EMPTY_QUERY) {
            recover(kStatementSavepoint);
            return invalid(QStringLiteral("There is no statement to run."));
        }
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            Error e = serverError(connection, result.get(), token, 0, m_timeoutMs);
            recover(kStatementSavepoint);
            return e;
        }
        outcome.commandTag = QString::fromUtf8(PQcmdStatus(result.get()));
        const QByteArray affected = PQcmdTuples(result.get());
        if (!affected.isEmpty())
            outcome.affectedRows = affected.toLongLong();
    }
    outcome.elapsedMs = clock.elapsed();
    if (PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
        outcome.columns = columnsOf(result.get());
        outcome.rows = rowsOf(result.get());
    }
    result.reset();
    PQclear(PQexec(connection, savepoint("RELEASE SAVEPOINT", kStatementSavepoint).constData()));
    lookUpTypes(outcome.columns);
    if (!outcome.cursor && !writeTransaction) {
        PQclear(PQexec(connection, "ROLLBACK"));
        reset();
    }
    if (PQtransactionStatus(connection) == PQTRANS_IDLE && m_transaction)
        reset(); // the statement ended the transaction itself
    outcome.transactionOpen = writeTransaction;
    return outcome;
}

Result<SqlConsole::Page> SqlConsoleSession::fetch(QSqlDatabase &db, quint64 resultId, qint64 firstRow,
                                                  int count, const CancelToken &token)
{
    PGconn *connection = attach(db);
    if (!connection || !m_cursorResult || m_cursorResult != resultId)
        return closedResult();
    // In a write transaction a failed FETCH (a timeout) must not undo the statements before it;
    // a read-only transaction ends on any failure anyway, and saves the round trip.
    const bool guarded = writeTransaction;
    const QByteArray sql = (guarded ? savepoint("SAVEPOINT", kFetchSavepoint) + "; " : QByteArray()) +
                           "MOVE ABSOLUTE " + QByteArray::number(std::max<qint64>(0, firstRow)) + " IN " +
                           kCursor + "; FETCH FORWARD " + QByteArray::number(std::max(0, count)) + " FROM " +
                           kCursor;
    Result<PgResult> r = exec(connection, sql, token, PGRES_TUPLES_OK, m_timeoutMs);
    if (!r) {
        recover(kFetchSavepoint);
        if (m_transaction)
            PQclear(PQexec(connection, kClose));
        m_cursorResult = 0;
        return r.error();
    }
    SqlConsole::Page page;
    page.resultId = resultId;
    page.firstRow = firstRow;
    page.rows = rowsOf(r->get());
    page.atEnd = page.rows.size() < count;
    r.value().reset();
    if (guarded)
        PQclear(PQexec(connection, savepoint("RELEASE SAVEPOINT", kFetchSavepoint).constData()));
    return page;
}

Result<qint64> SqlConsoleSession::count(QSqlDatabase &db, quint64 resultId, const CancelToken &token)
{
    PGconn *connection = attach(db);
    if (!connection || !m_cursorResult || m_cursorResult != resultId)
        return closedResult();
    const QByteArray sql = savepoint("SAVEPOINT", kFetchSavepoint) + "; MOVE ABSOLUTE 0 IN " + kCursor +
                           "; MOVE FORWARD ALL IN " + kCursor;
    Result<PgResult> r = exec(connection, sql, token, PGRES_COMMAND_OK, m_timeoutMs);
    if (!r) {
        recover(kFetchSavepoint);
        if (m_transaction)
            PQclear(PQexec(connection, kClose));
        m_cursorResult = 0;
        return r.error();
    }
    const qint64 rows = QByteArray(PQcmdTuples(r->get())).toLongLong();
    r.value().reset();
    PQclear(PQexec(connection, savepoint("RELEASE SAVEPOINT", kFetchSavepoint).constData()));
    return rows;
}

Status SqlConsoleSession::commit(QSqlDatabase &db, const Actor &actor)
{
    PGconn *connection = attach(db);
    if (!connection || !writeTransaction)
        return invalid(QStringLiteral("There is no open transaction to commit."));
    if (Status allowed = Access::require(db, actor, Role::Admin); !allowed)
        return allowed.error(); // the transaction stays open: it can still be rolled back
    Result<PgResult> r = exec(connection, "COMMIT", {});
    const bool committed = r && QByteArray(PQcmdStatus(r->get())) == "COMMIT";
    if (!r || !committed)
        PQclear(PQexec(connection, "ROLLBACK"));
    reset();
    if (!r)
        return r.error();
    if (!committed)
        return Error{Error::Kind::Query,
                     QStringLiteral("The transaction could not be committed and was rolled back.")};
    return Done{};
}

Status SqlConsoleSession::rollback(QSqlDatabase &db)
{
    PGconn *connection = attach(db);
    if (!connection || !m_transaction)
        return Done{};
    Result<PgResult> r = exec(connection, "ROLLBACK", {});
    reset();
    if (!r)
        return r.error();
    return Done{};
}

Status SqlConsoleSession::close(QSqlDatabase &db)
{
    PGconn *connection = attach(db);
    if (!connection || !m_transaction)
        return Done{};
    if (writeTransaction) {
        if (m_cursorResult)
            PQclear(PQexec(connection, kClose));
        m_cursorResult = 0;
        return Done{};
    }
    return rollback(db);
}

} // namespace ccpm
