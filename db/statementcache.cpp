#include "statementcache.h"

#include <QHash>
#include <QSqlError>

#include <memory>

namespace ccpm::sql {

namespace {

// shared_ptr: a pointer that stays valid when the hash grows (QHash values must be copyable).
using Statements = QHash<QString, std::shared_ptr<QSqlQuery>>;

QHash<QString, Statements> &kept()
{
    thread_local QHash<QString, Statements> byConnection;
    return byConnection;
}

} // namespace

Result<QSqlQuery *> execReused(QSqlDatabase &db, const QString &sqlText, const QVariantMap &bindings,
                               const QString &what)
{
    Statements &statements = kept()[db.connectionName()];
    std::shared_ptr<QSqlQuery> &query = statements[sqlText];
    if (!query) {
        query = std::make_shared<QSqlQuery>(db);
        query->setForwardOnly(true);
        if (!query->prepare(sqlText)) {
            const Error error = Error::fromSql(query->lastError(), what);
            statements.remove(sqlText);
            return error;
        }
    }
    for (auto it = bindings.cbegin(); it != bindings.cend(); ++it)
        query->bindValue(it.key(), it.value());
    if (!query->exec()) {
        const Error error = Error::fromSql(query->lastError(), what);
        statements.remove(sqlText);
        return error;
    }
    return query.get();
}

void forgetReusedQueries(const QString &connectionName)
{
    kept().remove(connectionName);
}

qsizetype reusedQueryCount(const QString &connectionName)
{
    const auto it = kept().constFind(connectionName);
    return it == kept().cend() ? 0 : it->size();
}

} // namespace ccpm::sql
