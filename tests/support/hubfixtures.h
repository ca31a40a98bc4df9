#pragma once

#include "agenttokenrepository.h"
#include "dbexecutor.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QSqlQuery>

#include <QCoro/QCoroTask>

/// What the hub's tests write into the backend's seeded fixture. Thread: the test's.

/// A new token for `agent`; an empty string when it cannot be created.
inline QString newAgentToken(ccpm::DbExecutor &executor, const QString &agent,
                             const QString &label = QStringLiteral("test"))
{
    auto created = QCoro::waitFor(ccpm::AgentTokenRepository(executor).create(agent, label));
    return created ? created->token : QString();
}

/// A task created by the fixture's admin, assigned to `agent` (null: to nobody), in `status`
/// with `progress`, written as the backend would; its id, or an empty string on failure.
inline QString insertTask(TestDatabase &db, const QString &agent, const QString &status, int progress = 0)
{
    static int n = 0;
    const QString id = QStringLiteral("ctesttask%1").arg(++n, 16, 10, QLatin1Char('0'));
    QSqlQuery q(db.connection());
    q.prepare(
        "INSERT INTO tasks (id, title, description, status, progress, \"createdBy\", \"assignedTo\", "
        "\"updatedAt\", metadata) VALUES (:id, 'Test task', 'A task made by the test', "
        "CAST(:s AS \"TaskStatus\"), :p, (SELECT id FROM users WHERE username = 'admin'), :agent, now(), "
        "'{}')");
    q.bindValue(":id", id);
    q.bindValue(":s", status);
    q.bindValue(":p", progress);
    q.bindValue(":agent", ccpm::sql::nullableText(agent));
    return q.exec() ? id : QString();
}
