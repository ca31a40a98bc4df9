#pragma once

#include "access.h"
#include "canceltoken.h"
#include "connectionsettings.h"
#include "dbexecutor.h"
#include "result.h"
#include "streamexport.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariant>

#include <QCoro/QCoroTask>

#include <memory>

namespace ccpm {

/// The SQL console's engine (issue 9): runs the statements a user types, one at a time, on ONE
/// dedicated connection (its own DbExecutor with one worker), so a long query never holds up the
/// app's other database work.
///
/// - Read-only mode (the default): each run() is a `BEGIN READ ONLY` transaction with
///   `SET LOCAL statement_timeout`. A row-returning statement (SELECT, VALUES, TABLE, WITH …)
///   becomes `DECLARE … SCROLL CURSOR` and only its first page is read; further rows come
///   through fetch() on demand and count() counts them (`MOVE FORWARD ALL`), so a result of
///   millions of rows is never loaded whole. The transaction stays open while the cursor is
///   read, and ends with the next run() or close(). Any other statement runs directly; the server
///   refuses one that writes (SQLSTATE 25006: the error says the console is read-only and how to
///   switch).
/// - Write mode (ADMIN only: Access::require inside the transaction of every run and commit):
///   the first run() opens a read-write transaction and it stays open across runs until
///   commit() or rollback(); nothing is committed otherwise (destroying the console rolls back).
///   Outcome::affectedRows and commandTag report what a statement did. Each statement runs in a
///   savepoint: a failed one is undone alone and the transaction stays usable.
/// - Changes: the console's connection has its own change origin (settings' + "-console"), so the
///   desk's ChangeListener publishes its committed writes on the ChangeFeed like another
///   writer's (migration 7's triggers), and the desk's models follow them.
/// - Transaction control typed by the user (BEGIN, COMMIT, ROLLBACK, SAVEPOINT…) is refused
///   (Error::Kind::Invalid): the console's commit() and rollback() do that.
/// - cancel() sends PostgreSQL's cancel request for the statement running now (DbExecutor::
///   cancel()) and abandons the current result: its queued fetches end with Kind::Cancelled.
///
/// Values are the server's text format (QString), a NULL is an invalid QVariant. Rows are
/// numbered from 0. Times are milliseconds.
///
/// Errors: Kind::Query with the server's message, detail (with the SQLSTATE), hint, sqlState and
/// position (1-based character index into the statement as passed to run(), 0 when the server
/// sent none); Kind::Cancelled after cancel(); a statement timeout is Kind::Query, SQLSTATE 57014,
/// whose message names the timeout; Kind::Forbidden for write mode without the ADMIN role;
/// Kind::Connection when the connection is lost (the open result and transaction are gone);
/// Kind::Invalid for an empty statement, transaction control, or a fetch of a closed result.
///
/// Thread: create, call and destroy in one thread with an event loop (the GUI thread); every
/// method returns at once, the work runs on the console's worker.
class SqlConsole : public QObject {
    Q_OBJECT
public:
    enum class Mode { ReadOnly, Write };

    static constexpr int kPageRows = 200;                    ///< rows of the first page of a cursor
    static constexpr int kDefaultStatementTimeoutMs = 30000; ///< 30 s

    struct Column {
        QString name;
        QString typeName; ///< format_type(oid, typmod), e.g. "character varying(20)", "integer"
        quint32 typeOid = 0;
        int typeModifier = -1; ///< PQfmod (e.g. a varchar's length + 4); -1: none
    };
    using Row = QList<QVariant>;

    /// What run() produced.
    struct Outcome {
        quint64 resultId = 0; ///< names this result for fetch() and count()
        QString statement;    ///< as passed to run()
        Mode mode = Mode::ReadOnly;
        QList<Column> columns;        ///< empty for a command that returns no rows
        QList<Row> rows;              ///< a cursor's first page; otherwise every row returned
        bool cursor = false;          ///< true: more rows through fetch() while the result is open
        bool atEnd = true;            ///< `rows` holds the last row of the result
        QString commandTag;           ///< the server's tag: "UPDATE 3", "EXPLAIN", "SELECT" for a cursor
        qint64 affectedRows = -1;     ///< PQcmdTuples: rows inserted/updated/deleted…; -1 when none
        bool transactionOpen = false; ///< write mode: changes wait for commit() or rollback()
        qint64 elapsedMs = 0;         ///< from the start of the run to its first rows / its end
    };

    /// Rows [firstRow, firstRow + rows.size()) of a cursor result.
    struct Page {
        quint64 resultId = 0;
        qint64 firstRow = 0;
        QList<Row> rows;
        bool atEnd = false; ///< fewer rows than asked for: the result ends here
    };

    /// `actor` is the signed-in user (write mode checks its role). The connection opens on the
    /// first run().
    SqlConsole(ConnectionSettings settings, Actor actor, QObject *parent = nullptr);
    ~SqlConsole() override;

    Mode mode() const { return m_mode; }
    /// False (and nothing changes) while a write transaction is open: commit or roll back first.
    bool setMode(Mode mode);

    /// Milliseconds; 0 switches the timeout off. Applies from the next run() (and its fetches).
    void setStatementTimeout(int ms) { m_statementTimeoutMs = qMax(0, ms); }
    int statementTimeout() const { return m_statementTimeoutMs; }

    bool isRunning() const { return m_running > 0; }
    bool transactionOpen() const { return m_transactionOpen; }
    /// The result fetch() and count() serve now (0: none).
    quint64 currentResultId() const { return m_resultId; }

    /// Runs one statement (a trailing `;` is fine; two statements are refused by the server).
    QCoro::Task<Result<Outcome>> run(QString statement);
    /// `count` rows of result `resultId` from `firstRow` (FETCH ABSOLUTE on the scroll cursor).
    QCoro::Task<Result<Page>> fetch(quint64 resultId, qint64 firstRow, int count);
    /// The exact number of rows of result `resultId` (MOVE FORWARD ALL; reads the whole result
    /// on the server, nothing comes over the wire).
    QCoro::Task<Result<qint64>> count(quint64 resultId);
    /// Commits the open write transaction (ADMIN checked again first).
    QCoro::Task<Status> commit();
    /// Rolls the open write transaction back.
    QCoro::Task<Status> rollback();
    /// Closes the current result (and a read-only transaction); a write transaction stays open.
    QCoro::Task<Status> close();
    /// Stops the running statement and abandons the current result. Returns at once.
    void cancel();

    /// A read-only result left unread this long is closed (its transaction holds a snapshot and
    /// locks that would hold up vacuum and DDL); a write transaction is never closed. Milliseconds.
    static constexpr int kDefaultIdleCloseMs = 10 * 60 * 1000;
    void setIdleClose(int ms) { m_idleClose.setInterval(ms); }

    /// A StreamExport request (CSV) for `outcome`'s statement. Run it on the app's executor,
    /// not this console's (its connection holds the console's transaction): it sees committed
    /// data only.
    static StreamExport::Request exportRequest(const Outcome &outcome, const QString &fileName,
                                               StreamExport::Format format = StreamExport::Format::Csv);

signals:
    void runningChanged(bool running);
    void transactionOpenChanged(bool open);
    /// The current result can no longer be fetched (a new run, an error, cancel, close).
    void resultClosed(quint64 resultId);

private:
    struct WorkerState; // the connection's transaction and cursor; touched by jobs only
    void setTransactionOpen(bool open);
    void closeResult();
    void touchResult(); ///< restarts the idle close while a read-only result is open
    void begin();
    void end();

    std::unique_ptr<DbExecutor> m_executor;
    std::shared_ptr<WorkerState> m_state;
    Actor m_actor;
    Mode m_mode = Mode::ReadOnly;
    int m_statementTimeoutMs = kDefaultStatementTimeoutMs;
    int m_running = 0;
    bool m_transactionOpen = false;
    quint64 m_resultId = 0;
    quint64 m_nextResultId = 1;
    CancelToken m_token;
    QTimer m_idleClose;
};

} // namespace ccpm
