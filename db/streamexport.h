#pragma once

#include "canceltoken.h"
#include "dbexecutor.h"
#include "exportformat.h"
#include "keysetquery.h"
#include "result.h"

#include <QCoro/QCoroTask>

#include <functional>
#include <optional>

namespace ccpm {

/// Streams the rows of a query to a file as CSV or JSON (Studio's export of the current view),
/// so a million rows never sit in memory: one READ ONLY, REPEATABLE READ transaction,
/// `DECLARE … NO SCROLL CURSOR FOR <query>` and `FETCH 5000` until the end, each batch encoded
/// and written before the next is read. Values are the server's text (libpq's text format; bytea
/// in the hex form `\x…` whatever the connection's bytea_output) and are encoded as
/// exportformat.h says (arrays selected as Studio selects them are JSON arrays, which COPY … FROM
/// does not read as PostgreSQL arrays):
/// - CSV: RFC 4180, a header row of the column names, CRLF, UTF-8 without BOM; NULL is an empty
///   unquoted field, the empty string `""` (COPY … CSV reads both back as they were).
/// - JSON: an array with one object per line (`[`, `{…},` …, `]`), keys the column names in
///   order, values typed by each column's ValueKind (numbers verbatim, never through a double).
///
/// The file goes through QSaveFile: a failed or cancelled export leaves no file, and a file that
/// was there before stays untouched. Only the first `columns.size()` columns of each row are
/// written (a KeysetQuery source may select more, such as joined names).
///
/// Bindings: the query's `:name` placeholders are bound as text parameters (libpq's
/// PQexecParams: QPSQL's PREPARE cannot hold a DECLARE); a null QVariant binds NULL.
///
/// Errors: the server's message (Error::Kind::Query, SQLSTATE in detail), a file that cannot be
/// written (Environment), Cancelled when the token was cancelled (between batches, or the server
/// cancelled the FETCH through DbExecutor::cancel()).
/// Thread: write() runs inside a DbExecutor job (the worker's thread; the progress callback is
/// called there too); run() from any thread with an event loop.
class StreamExport {
public:
    enum class Format { Csv, Json };
    struct Column {
        QString name;
        exportformat::ValueKind kind = exportformat::ValueKind::String;
    };
    struct Request {
        KeysetQuery::Sql query; ///< e.g. KeysetQuery::all()
        /// Counted in the same snapshot first, for the progress's total (e.g. KeysetQuery::count());
        /// none: the total is unknown (-1).
        std::optional<KeysetQuery::Sql> count;
        QList<Column> columns;
        Format format = Format::Csv;
        QString fileName;
    };
    struct Summary {
        qint64 rows = 0;
        qint64 bytes = 0;
        qint64 elapsedMs = 0;
    };
    /// Rows written so far and the expected total (-1 when unknown); after every batch and at
    /// the end. Called in the worker's thread: hand it over to yours (an atomic, a queued call).
    using ProgressCallback = std::function<void(qint64 rows, qint64 total)>;

    static constexpr int kFetchRows = 5000;

    /// Synchronous, inside a job on `db`'s thread.
    static Result<Summary> write(QSqlDatabase &db, const Request &request, const CancelToken &token,
                                 const ProgressCallback &progress = {});
    /// write() as a job on `executor`, carrying `token` (cancel with executor.cancel(token)).
    static QCoro::Task<Result<Summary>> run(DbExecutor &executor, Request request, CancelToken token,
                                            ProgressCallback progress = {});

    /// `sql` with its `:name` placeholders as `$1`, `$2`… (a name used twice gets one number)
    /// and the values in that order; quoted strings, quoted identifiers and `::` casts are left
    /// alone. Invalid when a placeholder has no binding. For write(); public for its test.
    struct Positional {
        QByteArray sql;
        QList<QVariant> values;
        QString error; ///< empty: fine
    };
    static Positional positional(const QString &sql, const QVariantMap &bindings);
};

} // namespace ccpm
