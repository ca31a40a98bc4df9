#include "messageexchange.h"

#include "messagerepository.h"
#include "repositorysupport.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

Error notFound(const QString &message)
{
    return Error{Error::Kind::NotFound, message, {}, {}};
}

// True when the task is assigned to the agent; an error for a database failure.
Result<bool> holdsTask(QSqlDatabase &db, const QString &agentId, const QString &taskId)
{
    QSqlQuery q(db);
    const Status s = sql::execPrepared(
        q, QStringLiteral(R"sql(SELECT 1 FROM "tasks" WHERE "id" = :id AND "assignedTo" = :agent)sql"),
        {{QStringLiteral(":id"), taskId}, {QStringLiteral(":agent"), agentId}},
        QStringLiteral("Cannot read the task"));
    if (!s)
        return s.error();
    return q.next();
}

Result<bool> receiverExists(QSqlDatabase &db, ReceiverType type, const QString &id)
{
    QSqlQuery q(db);
    const QString table = type == ReceiverType::Agent ? QStringLiteral("agents") : QStringLiteral("users");
    const Status s = sql::execPrepared(
        q, QStringLiteral("SELECT 1 FROM %1 WHERE \"id\" = :id").arg(sql::quoteIdentifier(table)),
        {{QStringLiteral(":id"), id}}, QStringLiteral("Cannot read the receiver"));
    if (!s)
        return s.error();
    return q.next();
}

// Marks the listed messages delivered to the agent; returns the ids this call claimed.
Result<QStringList> insertDeliveries(QSqlDatabase &db, const QString &agentId, const QString &candidates,
                                     const QVariantMap &bindings)
{
    QSqlQuery q(db);
    QVariantMap all = bindings;
    all.insert(QStringLiteral(":agent"), agentId);
    const Status s =
        sql::execPrepared(q,
                          QStringLiteral(R"sql(INSERT INTO "message_deliveries" ("messageId", "agentId")
SELECT m."id", :agent FROM "messages" m
WHERE m."receiverType" = 'AGENT' AND m."receiverId" = :agent AND %1
  AND NOT EXISTS (SELECT 1 FROM "message_deliveries" d WHERE d."messageId" = m."id")
ON CONFLICT ("messageId") DO NOTHING
RETURNING "messageId")sql")
                              .arg(candidates),
                          all, QStringLiteral("Cannot mark messages delivered"));
    if (!s)
        return s.error();
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

Result<QList<MessageRow>> selectIds(QSqlDatabase &db, const QStringList &ids)
{
    if (ids.isEmpty())
        return QList<MessageRow>();
    Result<QList<MessageRow>> rows = MessageRepository::select(
        db, sql::inTextList(QStringLiteral(R"sql("id")sql"), QStringLiteral(":ids")),
        {{QStringLiteral(":ids"), sql::textArrayJson(ids)}});
    if (!rows)
        return rows;
    QList<MessageRow> oldestFirst = *rows;
    std::sort(oldestFirst.begin(), oldestFirst.end(), [](const MessageRow &a, const MessageRow &b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return oldestFirst;
}

} // namespace

QCoro::Task<Result<MessageRow>> MessageExchange::send(QString agentId, Draft draft) const
{
    auto job = [agentId, draft](QSqlDatabase &db) -> Result<MessageRow> {
        if (!draft.taskId.isNull()) {
            const Result<bool> holds = holdsTask(db, agentId, draft.taskId);
            if (!holds)
                return holds.error();
            if (!*holds)
                return notFound(QStringLiteral("No task %1 is assigned to this agent.").arg(draft.taskId));
        }
        if (draft.receiverType) {
            const Result<bool> exists = receiverExists(db, *draft.receiverType, draft.receiverId);
            if (!exists)
                return exists.error();
            if (!*exists)
                return notFound(QStringLiteral("No %1 has the id %2.")
                                    .arg(draft.receiverType == ReceiverType::Agent ? QStringLiteral("agent")
                                                                                   : QStringLiteral("user"),
                                         draft.receiverId));
        }
        MessageRow row;
        row.content = draft.content;
        row.senderId = agentId;
        row.senderType = SenderType::Agent;
        row.receiverId = draft.receiverId;
        row.receiverType = draft.receiverType;
        row.taskId = draft.taskId;
        row.metadata = draft.metadata;
        return MessageRepository::insert(db, row);
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<QList<MessageRow>>> MessageExchange::list(QString agentId, QString taskId, QDateTime since,
                                                             int limit) const
{
    auto job = [agentId, taskId, since, limit](QSqlDatabase &db) -> Result<QList<MessageRow>> {
        QString where;
        QVariantMap bindings;
        if (!taskId.isNull()) {
            const Result<bool> holds = holdsTask(db, agentId, taskId);
            if (!holds)
                return holds.error();
            if (!*holds)
                return notFound(QStringLiteral("No task %1 is assigned to this agent.").arg(taskId));
            where = QStringLiteral(R"sql("taskId" = :task)sql");
            bindings.insert(QStringLiteral(":task"), taskId);
        } else {
            where = QStringLiteral(R"sql("receiverType" = 'AGENT' AND "receiverId" = :agent)sql");
            bindings.insert(QStringLiteral(":agent"), agentId);
        }
        if (since.isValid()) {
            where += QStringLiteral(R"sql( AND "createdAt" > CAST(:since AS timestamp(3)))sql");
            bindings.insert(QStringLiteral(":since"), sql::timestampText(since));
        }
        // The oldest `limit` after `since`, so that paging forward with the last createdAt works.
        QSqlQuery q(db);
        const Status s = sql::execPrepared(
            q,
            QStringLiteral(
                R"sql(SELECT "id" FROM "messages" WHERE %1 ORDER BY "createdAt", "id" LIMIT %2)sql")
                .arg(where)
                .arg(limit),
            bindings, QStringLiteral("Cannot read messages"));
        if (!s)
            return s.error();
        QStringList ids;
        while (q.next())
            ids << q.value(0).toString();
        return selectIds(db, ids);
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<QList<MessageRow>>> MessageExchange::claimUndelivered(QString agentId, int limit) const
{
    auto job = [agentId, limit](QSqlDatabase &db) -> Result<QList<MessageRow>> {
        const QString candidates = QStringLiteral(R"sql(m."id" IN (SELECT u."id" FROM "messages" u
  WHERE u."receiverType" = 'AGENT' AND u."receiverId" = :agent
    AND NOT EXISTS (SELECT 1 FROM "message_deliveries" d WHERE d."messageId" = u."id")
  ORDER BY u."createdAt", u."id" LIMIT %1))sql")
                                       .arg(limit);
        const Result<QStringList> claimed = insertDeliveries(db, agentId, candidates, {});
        if (!claimed)
            return claimed.error();
        return selectIds(db, *claimed);
    };
    co_return co_await m_executor->exec(job);
}

QCoro::Task<Result<std::optional<MessageRow>>> MessageExchange::claim(QString messageId,
                                                                      QString agentId) const
{
    auto job = [agentId, messageId](QSqlDatabase &db) -> Result<std::optional<MessageRow>> {
        const Result<QStringList> claimed = insertDeliveries(
            db, agentId, QStringLiteral(R"sql(m."id" = :id)sql"), {{QStringLiteral(":id"), messageId}});
        if (!claimed)
            return claimed.error();
        if (claimed->isEmpty())
            return std::optional<MessageRow>();
        Result<MessageRow> row = MessageRepository::selectOne(db, messageId);
        if (!row)
            return row.error();
        return std::optional<MessageRow>(*row);
    };
    co_return co_await m_executor->exec(job);
}

} // namespace ccpm
