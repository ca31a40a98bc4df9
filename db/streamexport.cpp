#include "streamexport.h"

#include "libpqhandle.h"

#include <QElapsedTimer>
#include <QSaveFile>
#include <QSqlDriver>

#include <memory>
#include <vector>

namespace ccpm {

namespace {

using exportformat::ValueKind;

const QByteArray kCursor = QByteArrayLiteral("ccpm_export");

Error cancelledError()
{
    return Error{Error::Kind::Cancelled, QStringLiteral("The export was cancelled."), {}, {}};
}

Error serverError(PGconn *connection, const PGresult *result, const CancelToken &token)
{
    const QString sqlState =
        result ? QString::fromLatin1(PQresultErrorField(result, PG_DIAG_SQLSTATE)) : QString();
    if (token.isCancelled() && (sqlState.isEmpty() || sqlState == QLatin1String("57014")))
        return cancelledError();
    Error e;
    const char *primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    e.message = QString::fromUtf8(primary ? primary : PQerrorMessage(connection)).trimmed();
    e.sqlState = sqlState;
    if (sqlState.startsWith(QLatin1String("08")) || sqlState.startsWith(QLatin1String("57P")) ||
        PQstatus(connection) == CONNECTION_BAD)
        e.kind = Error::Kind::Connection;
    if (const char *detail = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr)
        e.detail = QString::fromUtf8(detail);
    if (!sqlState.isEmpty())
        e.detail = (e.detail.isEmpty() ? QString() : e.detail + QStringLiteral("; ")) +
                   QStringLiteral("SQLSTATE %1").arg(sqlState);
    return e;
}

QByteArray parameterText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    return value.toString().toUtf8();
}

/// Runs a statement (with parameters when given); null result on success without rows wanted.
struct Session {
    PGconn *connection;
    const CancelToken &token;

    Result<PgResult> exec(const QByteArray &sql, const QList<QVariant> &values = {},
                          ExecStatusType expected = PGRES_COMMAND_OK) const
    {
        std::vector<QByteArray> texts;
        std::vector<const char *> params;
        texts.reserve(size_t(values.size()));
        for (const QVariant &v : values) {
            texts.push_back(v.isNull() ? QByteArray() : parameterText(v));
            params.push_back(v.isNull() ? nullptr : texts.back().constData());
        }
        PgResult result(values.isEmpty() ? PQexec(connection, sql.constData())
                                         : PQexecParams(connection, sql.constData(), int(params.size()),
                                                        nullptr, params.data(), nullptr, nullptr, 0));
        if (!result || PQresultStatus(result.get()) != expected)
            return serverError(connection, result.get(), token);
        return result;
    }
};

// Ends the transaction whatever happened, so the worker's connection is clean for the next job.
struct TransactionGuard {
    PGconn *connection;
    bool open = false;
    ~TransactionGuard()
    {
        if (open)
            PQclear(PQexec(connection, "ROLLBACK"));
    }
};

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_');
}

bool isIdentifierPart(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

} // namespace

StreamExport::Positional StreamExport::positional(const QString &sql, const QVariantMap &bindings)
{
    Positional out;
    QString text;
    text.reserve(sql.size());
    QHash<QString, int> numbers;
    const qsizetype n = sql.size();
    qsizetype i = 0;
    auto copyUntil = [&](qsizetype end) {
        text += QStringView(sql).mid(i, end - i);
        i = end;
    };
    while (i < n) {
        const QChar c = sql.at(i);
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            // A quoted string or identifier, its quote doubled inside; E'' strings also escape with '\'.
            const bool backslashes =
                c == QLatin1Char('\'') && i > 0 &&
                (sql.at(i - 1) == QLatin1Char('E') || sql.at(i - 1) == QLatin1Char('e')) &&
                (i < 2 || !isIdentifierPart(sql.at(i - 2)));
            qsizetype j = i + 1;
            while (j < n) {
                if (backslashes && sql.at(j) == QLatin1Char('\\')) {
                    j += 2;
                } else if (sql.at(j) == c) {
                    if (j + 1 < n && sql.at(j + 1) == c)
                        j += 2;
                    else
                        break;
                } else {
                    ++j;
                }
            }
            copyUntil(std::min(n, j + 1));
        } else if (c == QLatin1Char('-') && i + 1 < n && sql.at(i + 1) == QLatin1Char('-')) {
            const qsizetype end = sql.indexOf(QLatin1Char('\n'), i);
            copyUntil(end < 0 ? n : end);
        } else if (c == QLatin1Char('/') && i + 1 < n && sql.at(i + 1) == QLatin1Char('*')) {
            const qsizetype end = sql.indexOf(QLatin1String("*/"), i + 2);
            copyUntil(end < 0 ? n : end + 2);
        } else if (c == QLatin1Char(':') && i + 1 < n && sql.at(i + 1) == QLatin1Char(':')) {
            copyUntil(i + 2);
        } else if (c == QLatin1Char(':') && i + 1 < n && isIdentifierStart(sql.at(i + 1))) {
            qsizetype j = i + 1;
            while (j < n && isIdentifierPart(sql.at(j)))
                ++j;
            const QString name = sql.mid(i, j - i);
            const auto binding = bindings.constFind(name);
            if (binding == bindings.cend()) {
                out.error = QStringLiteral("The query's placeholder %1 has no value.").arg(name);
                return out;
            }
            int number = numbers.value(name);
            if (number == 0) {
                out.values << *binding;
                number = int(out.values.size());
                numbers.insert(name, number);
            }
            text += QLatin1Char('$') + QString::number(number);
            i = j;
        } else {
            copyUntil(i + 1);
        }
    }
    out.sql = text.toUtf8();
    return out;
}

Result<StreamExport::Summary> StreamExport::write(QSqlDatabase &db, const Request &request,
                                                  const CancelToken &token, const ProgressCallback &progress)
{
    QElapsedTimer clock;
    clock.start();
    PGconn *connection = pgConnection(db);
    if (!connection)
        return Error{
            Error::Kind::Connection, QStringLiteral("The export has no database connection."), {}, {}};
    if (request.columns.isEmpty())
        return Error{Error::Kind::Invalid, QStringLiteral("The export has no columns."), {}, {}};
    const Positional query = positional(request.query.text, request.query.bindings);
    if (!query.error.isEmpty())
        return Error{Error::Kind::Invalid, query.error, {}, {}};

    QSaveFile file(request.fileName);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Error::Kind::Environment,
                     QStringLiteral("Cannot write %1: %2").arg(request.fileName, file.errorString()),
                     {},
                     {}};

    const Session session{connection, token};
    TransactionGuard transaction{connection};
    // REPEATABLE READ: the count and the cursor see the same rows.
    if (Result<PgResult> r = session.exec("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"); !r)
        return r.error();
    transaction.open = true;
    // QPSQL sets bytea_output to escape for its own parser; an export writes the hex form, as
    // COPY and psql do (for this transaction only).
    if (Result<PgResult> r = session.exec("SET LOCAL bytea_output TO hex"); !r)
        return r.error();

    qint64 total = -1;
    if (request.count) {
        const Positional count = positional(request.count->text, request.count->bindings);
        if (!count.error.isEmpty())
            return Error{Error::Kind::Invalid, count.error, {}, {}};
        Result<PgResult> r = session.exec(count.sql, count.values, PGRES_TUPLES_OK);
        if (!r)
            return r.error();
        if (PQntuples(r->get()) > 0)
            total = QByteArray(PQgetvalue(r->get(), 0, 0)).toLongLong();
    }
    if (Result<PgResult> r = session.exec(
            QByteArrayLiteral("DECLARE ") + kCursor + " NO SCROLL CURSOR FOR " + query.sql, query.values);
        !r)
        return r.error();

    const int columns = int(request.columns.size());
    const bool json = request.format == Format::Json;
    // What precedes each value: the JSON keys, or the CSV separators.
    QList<QByteArray> prefixes;
    QByteArray header;
    for (int c = 0; c < columns; ++c) {
        const QByteArray name = request.columns.at(c).name.toUtf8();
        QByteArray prefix = c == 0 ? QByteArray(json ? "{" : "") : QByteArray(",");
        if (json) {
            exportformat::appendJsonString(prefix, name.constData(), name.size());
            prefix += ':';
        } else {
            header += prefix;
            exportformat::appendCsvField(header, name.constData(), name.size(), false);
        }
        prefixes << prefix;
    }
    QByteArray buffer = json ? QByteArrayLiteral("[") : header + "\r\n";

    const QByteArray fetch =
        QByteArrayLiteral("FETCH ") + QByteArray::number(kFetchRows) + " FROM " + kCursor;
    qint64 rows = 0;
    qint64 bytes = 0;
    for (;;) {
        if (token.isCancelled())
            return cancelledError();
        Result<PgResult> r = session.exec(fetch, {}, PGRES_TUPLES_OK);
        if (!r)
            return r.error();
        PGresult *batch = r->get();
        const int n = PQntuples(batch);
        if (PQnfields(batch) < columns)
            return Error{Error::Kind::Invalid,
                         QStringLiteral("The query returns %1 columns, the export expects %2.")
                             .arg(PQnfields(batch))
                             .arg(columns),
                         {},
                         {}};
        for (int row = 0; row < n; ++row) {
            if (json)
                buffer += rows + row == 0 ? "\n" : ",\n";
            for (int c = 0; c < columns; ++c) {
                buffer += prefixes.at(c);
                const char *value = PQgetvalue(batch, row, c);
                const qsizetype size = PQgetlength(batch, row, c);
                const bool isNull = PQgetisnull(batch, row, c);
                if (json)
                    exportformat::appendJsonValue(buffer, value, size, isNull, request.columns.at(c).kind);
                else
                    exportformat::appendCsvField(buffer, value, size, isNull);
            }
            buffer += json ? "}" : "\r\n";
        }
        r.value().reset(); // the batch goes before the next one comes
        rows += n;
        if (n < kFetchRows && json)
            buffer += "\n]\n";
        if (file.write(buffer) != buffer.size())
            return Error{Error::Kind::Environment,
                         QStringLiteral("Cannot write %1: %2").arg(request.fileName, file.errorString()),
                         {},
                         {}};
        bytes += buffer.size();
        buffer.clear();
        if (progress)
            progress(rows, total);
        if (n < kFetchRows)
            break;
    }
    if (Result<PgResult> r = session.exec(QByteArrayLiteral("CLOSE ") + kCursor); !r)
        return r.error();
    if (Result<PgResult> r = session.exec("COMMIT"); !r)
        return r.error();
    transaction.open = false;
    if (token.isCancelled())
        return cancelledError();
    if (!file.commit())
        return Error{Error::Kind::Environment,
                     QStringLiteral("Cannot write %1: %2").arg(request.fileName, file.errorString()),
                     {},
                     {}};
    return Summary{rows, bytes, clock.elapsed()};
}

QCoro::Task<Result<StreamExport::Summary>> StreamExport::run(DbExecutor &executor, Request request,
                                                             CancelToken token, ProgressCallback progress)
{
    auto job = [request = std::move(request), token, progress = std::move(progress)](QSqlDatabase &db) {
        return write(db, request, token, progress);
    };
    Result<Summary> result = co_await executor.exec(job, token);
    if (!result && result.error().kind == Error::Kind::Cancelled)
        co_return cancelledError(); // also when it never started
    co_return result;
}

} // namespace ccpm
