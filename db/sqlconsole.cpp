#include "sqlconsole.h"

#include "sqlconsolesession.h"

#include <QCoro/QCoroTask>

#include <QPointer>

namespace ccpm {

// The session lives as long as the jobs that hold it: a job may still run after the console went.
struct SqlConsole::WorkerState {
    SqlConsoleSession session;
};

namespace {

Error cancelled()
{
    return Error{Error::Kind::Cancelled, QStringLiteral("The statement was cancelled.")};
}

/// The console writes arbitrary rows: it cannot publish them on the ChangeFeed itself. Its own
/// origin makes this desk's ChangeListener take its committed changes as another writer's and
/// publish them, so the desk's models follow (migration 7's triggers announce them at commit).
ConnectionSettings withConsoleOrigin(ConnectionSettings settings)
{
    if (!settings.changeOrigin.isEmpty())
        settings.changeOrigin += QStringLiteral("-console");
    return settings;
}

} // namespace

SqlConsole::SqlConsole(ConnectionSettings settings, Actor actor, QObject *parent)
    : QObject(parent)
    , m_executor(std::make_unique<DbExecutor>(withConsoleOrigin(std::move(settings)), 1))
    , m_state(std::make_shared<WorkerState>())
    , m_actor(std::move(actor))
{
    m_idleClose.setSingleShot(true);
    m_idleClose.setInterval(kDefaultIdleCloseMs);
    connect(&m_idleClose, &QTimer::timeout, this, [this] {
        if (isRunning())
            return m_idleClose.start();
        if (m_resultId && !m_transactionOpen)
            QCoro::connect(close(), this, [](const Status &) {});
    });
}

void SqlConsole::touchResult()
{
    if (m_resultId && !m_transactionOpen)
        m_idleClose.start();
    else
        m_idleClose.stop();
}

// The executor's worker closes its connection: the server rolls back whatever is still open.
SqlConsole::~SqlConsole() = default;

bool SqlConsole::setMode(Mode mode)
{
    if (m_transactionOpen && mode != m_mode)
        return false;
    m_mode = mode;
    return true;
}

void SqlConsole::setTransactionOpen(bool open)
{
    if (open == m_transactionOpen)
        return;
    m_transactionOpen = open;
    emit transactionOpenChanged(open);
}

void SqlConsole::closeResult()
{
    if (!m_resultId)
        return;
    const quint64 id = m_resultId;
    m_resultId = 0;
    emit resultClosed(id);
}

void SqlConsole::begin()
{
    if (m_running++ == 0)
        emit runningChanged(true);
}

void SqlConsole::end()
{
    if (--m_running == 0)
        emit runningChanged(false);
}

QCoro::Task<Result<SqlConsole::Outcome>> SqlConsole::run(QString statement)
{
    QPointer<SqlConsole> self(this);
    closeResult();
    m_token = CancelToken();
    SqlConsoleSession::RunRequest request{std::move(statement), m_mode, m_statementTimeoutMs, m_actor,
                                          m_nextResultId++};
    auto job = [state = m_state, request, token = m_token](QSqlDatabase &db) {
        return state->session.run(db, request, token);
    };
    begin();
    Result<Outcome> result = co_await m_executor->exec(job, m_token);
    if (!self)
        co_return result;
    end();
    if (result && result->cursor && !m_token.isCancelled())
        m_resultId = result->resultId;
    setTransactionOpen(m_state->session.writeTransaction.load());
    touchResult();
    if (!result && result.error().kind == Error::Kind::Cancelled)
        co_return cancelled(); // also when it never started
    co_return result;
}

QCoro::Task<Result<SqlConsole::Page>> SqlConsole::fetch(quint64 resultId, qint64 firstRow, int count)
{
    QPointer<SqlConsole> self(this);
    auto job = [state = m_state, resultId, firstRow, count, token = m_token](QSqlDatabase &db) {
        return state->session.fetch(db, resultId, firstRow, count, token);
    };
    Result<Page> page = co_await m_executor->exec(job, m_token);
    if (!self)
        co_return page;
    if (!page && resultId == m_resultId)
        closeResult();
    setTransactionOpen(m_state->session.writeTransaction.load());
    touchResult();
    co_return page;
}

QCoro::Task<Result<qint64>> SqlConsole::count(quint64 resultId)
{
    QPointer<SqlConsole> self(this);
    auto job = [state = m_state, resultId, token = m_token](QSqlDatabase &db) {
        return state->session.count(db, resultId, token);
    };
    begin();
    Result<qint64> rows = co_await m_executor->exec(job, m_token);
    if (!self)
        co_return rows;
    end();
    if (!rows && resultId == m_resultId)
        closeResult();
    setTransactionOpen(m_state->session.writeTransaction.load());
    touchResult();
    co_return rows;
}

QCoro::Task<Status> SqlConsole::commit()
{
    QPointer<SqlConsole> self(this);
    closeResult();
    auto job = [state = m_state, actor = m_actor](QSqlDatabase &db) {
        return state->session.commit(db, actor);
    };
    begin();
    Status status = co_await m_executor->exec(job);
    if (!self)
        co_return status;
    end();
    setTransactionOpen(m_state->session.writeTransaction.load());
    co_return status;
}

QCoro::Task<Status> SqlConsole::rollback()
{
    QPointer<SqlConsole> self(this);
    closeResult();
    auto job = [state = m_state](QSqlDatabase &db) { return state->session.rollback(db); };
    begin();
    Status status = co_await m_executor->exec(job);
    if (!self)
        co_return status;
    end();
    setTransactionOpen(m_state->session.writeTransaction.load());
    co_return status;
}

QCoro::Task<Status> SqlConsole::close()
{
    QPointer<SqlConsole> self(this);
    closeResult();
    auto job = [state = m_state](QSqlDatabase &db) { return state->session.close(db); };
    Status status = co_await m_executor->exec(job);
    if (self)
        setTransactionOpen(m_state->session.writeTransaction.load());
    co_return status;
}

void SqlConsole::cancel()
{
    m_executor->cancel(m_token);
    closeResult();
}

StreamExport::Request SqlConsole::exportRequest(const Outcome &outcome, const QString &fileName,
                                                StreamExport::Format format)
{
    StreamExport::Request request;
    QString statement = outcome.statement.trimmed();
    while (statement.endsWith(QLatin1Char(';')))
        statement = statement.chopped(1).trimmed();
    request.query.text = statement;
    for (const Column &c : outcome.columns)
        request.columns << StreamExport::Column{c.name, exportformat::ValueKind::String};
    request.format = format;
    request.fileName = fileName;
    return request;
}

} // namespace ccpm
