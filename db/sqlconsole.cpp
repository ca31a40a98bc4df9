#include "sqlconsole.h"

namespace ccpm {

struct SqlConsole::WorkerState {};

SqlConsole::SqlConsole(ConnectionSettings settings, Actor actor, QObject *parent)
    : QObject(parent)
    , m_executor(std::make_unique<DbExecutor>(std::move(settings), 1))
    , m_state(std::make_shared<WorkerState>())
    , m_actor(std::move(actor))
{
}

SqlConsole::~SqlConsole() = default;

bool SqlConsole::setMode(Mode mode)
{
    if (m_transactionOpen && mode != m_mode)
        return false;
    m_mode = mode;
    return true;
}

QCoro::Task<Result<SqlConsole::Outcome>> SqlConsole::run(QString)
{
    co_return Error{Error::Kind::Invalid, QStringLiteral("Not implemented yet.")};
}

QCoro::Task<Result<SqlConsole::Page>> SqlConsole::fetch(quint64, qint64, int)
{
    co_return Error{Error::Kind::Invalid, QStringLiteral("Not implemented yet.")};
}

QCoro::Task<Result<qint64>> SqlConsole::count(quint64)
{
    co_return Error{Error::Kind::Invalid, QStringLiteral("Not implemented yet.")};
}

QCoro::Task<Status> SqlConsole::commit()
{
    co_return Error{Error::Kind::Invalid, QStringLiteral("Not implemented yet.")};
}

QCoro::Task<Status> SqlConsole::rollback()
{
    co_return Error{Error::Kind::Invalid, QStringLiteral("Not implemented yet.")};
}

QCoro::Task<Status> SqlConsole::close()
{
    co_return Done{};
}

void SqlConsole::cancel() {}

StreamExport::Request SqlConsole::exportRequest(const Outcome &outcome, const QString &fileName,
                                                StreamExport::Format format)
{
    StreamExport::Request request;
    request.query.text = outcome.statement;
    for (const Column &c : outcome.columns)
        request.columns << StreamExport::Column{c.name, exportformat::ValueKind::String};
    request.format = format;
    request.fileName = fileName;
    return request;
}

} // namespace ccpm
