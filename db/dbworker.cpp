#include "dbworker.h"

#include "libpqhandle.h"
#include "statementcache.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcDb, "ccpm.db")

namespace ccpm {

namespace {

/// True when the server closed this idle connection (a restart, an administrator's
/// pg_terminate_backend): libpq notices only when it next reads, so a job would fail on it.
/// Reading what is waiting is non-blocking (libpq's socket always is) and costs one recv().
bool closedWhileIdle(const QSqlDatabase &db)
{
    PGconn *connection = pgConnection(db);
    if (!connection)
        return false;
    for (int i = 0; i < 2; ++i) { // the server's goodbye message first, then the end of the stream
        if (PQconsumeInput(connection) == 0 || PQstatus(connection) == CONNECTION_BAD)
            return true;
    }
    return false;
}

/// libpq's message on one line, as sentences: "…failed: No such file or directory\n\tIs the
/// server running…?" becomes "…failed: No such file or directory. Is the server running…?".
QString oneLine(const QString &message)
{
    QString out;
    for (const QString &piece : message.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString line = piece.simplified();
        if (line.isEmpty())
            continue;
        if (!out.isEmpty())
            out += QStringLiteral(".?!:").contains(out.back()) ? QStringLiteral(" ") : QStringLiteral(". ");
        out += line;
    }
    return out;
}

} // namespace

bool connectionLost(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return true;
    PGconn *connection = pgConnection(db);
    return !connection || PQstatus(connection) == CONNECTION_BAD;
}

DbWorker::DbWorker(ConnectionSettings settings, QString connectionName)
    : m_settings(std::move(settings))
    , m_connectionName(std::move(connectionName))
{
}

DbWorker::~DbWorker()
{
    // shutdown() frees it, but DbExecutor's queued shutdown() may not run before the thread's
    // event loop quits (LeakSanitizer found the handle leaked in tst_hublimits).
    setCancelHandle(nullptr);
}

std::optional<Error> DbWorker::ensureOpen()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (db.isValid() && db.isOpen()) {
        if (!closedWhileIdle(db))
            return std::nullopt;
        qCDebug(lcDb) << "the server closed the idle connection: reconnecting";
        sql::forgetReusedQueries(m_connectionName);
        db.close();
        setCancelHandle(nullptr);
    }
    if (!db.isValid()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
        if (!db.isValid())
            return Error{Error::Kind::Environment,
                         QStringLiteral("The Qt PostgreSQL driver (QPSQL) is not installed."),
                         QStringLiteral("Install the Debian package libqt6sql6-psql."),
                         {}};
        db.setHostName(m_settings.host);
        db.setPort(m_settings.port);
        db.setDatabaseName(m_settings.database);
        db.setUserName(m_settings.user);
        db.setPassword(m_settings.password);
        db.setConnectOptions(m_settings.connectOptions(QStringLiteral("ccpm-desk")));
    }
    if (!db.open()) {
        Error e = Error::fromSql(db.lastError());
        e.kind = Error::Kind::Connection;
        e.message =
            QStringLiteral("Cannot connect to %1: %2")
                .arg(m_settings.displayName(), oneLine(db.lastError().databaseText().trimmed().isEmpty()
                                                           ? db.lastError().driverText()
                                                           : db.lastError().databaseText()));
        qCDebug(lcDb).noquote() << e.message; // the caller reports it
        return e;
    }
    QSqlQuery q(db);
    const QString schema = db.driver()->escapeIdentifier(m_settings.schema, QSqlDriver::TableName);
    if (!q.exec(QStringLiteral("SET TIME ZONE 'UTC'")) ||
        !q.exec(QStringLiteral("SET client_min_messages TO warning")) ||
        !q.exec(QStringLiteral("SET search_path TO %1").arg(schema))) {
        Error e = Error::fromSql(q.lastError(), QStringLiteral("Cannot prepare the session"));
        db.close();
        return e;
    }
    if (!m_settings.changeOrigin.isEmpty()) {
        q.prepare(QStringLiteral("SELECT set_config('ccpm.origin', :origin, false)"));
        q.bindValue(QStringLiteral(":origin"), m_settings.changeOrigin);
        if (!q.exec()) {
            Error e = Error::fromSql(q.lastError(), QStringLiteral("Cannot prepare the session"));
            db.close();
            return e;
        }
    }
    setCancelHandle(&db);
    return std::nullopt;
}

void DbWorker::setCancelHandle(QSqlDatabase *db)
{
    PGconn *connection = db ? pgConnection(*db) : nullptr;
    PGcancel *handle = connection ? PQgetCancel(connection) : nullptr;
    QMutexLocker lock(&m_cancelMutex);
    if (m_cancel)
        PQfreeCancel(m_cancel);
    m_cancel = handle;
}

void DbWorker::cancelIfRunning(const void *id)
{
    QMutexLocker lock(&m_cancelMutex);
    if (m_running != id || !m_cancel)
        return;
    char error[256];
    if (!PQcancel(m_cancel, error, sizeof error))
        qCDebug(lcDb) << "cancel request not sent:" << error;
}

void DbWorker::execute(const Job &job, const std::optional<CancelToken> &token)
{
    if (token && token->isCancelled()) {
        const Error cancelled{Error::Kind::Cancelled, QStringLiteral("Cancelled: no longer needed."), {}, {}};
        job(nullptr, &cancelled);
        --m_pending;
        return;
    }
    std::optional<Error> openError = ensureOpen();
    if (openError) {
        job(nullptr, &*openError);
    } else {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        {
            QMutexLocker lock(&m_cancelMutex);
            m_running = token ? token->id() : nullptr;
        }
        job(&db, nullptr);
        {
            QMutexLocker lock(&m_cancelMutex);
            m_running = nullptr;
        }
        // A lost connection is reopened by the next job instead of failing forever.
        if (connectionLost(db)) {
            sql::forgetReusedQueries(m_connectionName); // QPSQL warns it cannot free them
            db.close();
            setCancelHandle(nullptr);
        }
    }
    --m_pending;
}

void DbWorker::shutdown()
{
    setCancelHandle(nullptr);
    sql::forgetReusedQueries(m_connectionName);
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

} // namespace ccpm
