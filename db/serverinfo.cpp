#include "serverinfo.h"

#include <QElapsedTimer>
#include <QSqlQuery>

namespace ccpm {

QCoro::Task<Result<QString>> ServerInfo::version(DbExecutor &executor)
{
    return executor.exec([](QSqlDatabase &db) -> Result<QString> {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SHOW server_version")) || !q.next())
            return Error::fromSql(q.lastError(), QStringLiteral("Cannot read the server version"));
        return QStringLiteral("PostgreSQL %1").arg(q.value(0).toString().section(QLatin1Char(' '), 0, 0));
    });
}

QCoro::Task<Result<double>> ServerInfo::ping(DbExecutor &executor)
{
    QElapsedTimer timer;
    timer.start();
    Result<Done> r = co_await executor.exec([](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT 1")) || !q.next())
            return Error::fromSql(q.lastError(), QStringLiteral("The server did not answer"));
        return Done{};
    });
    if (!r)
        co_return r.error();
    co_return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace ccpm
