#include "messagerepository.h"

#include "repositorysupport.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kSelect = R"sql(
SELECT "id", "content", "senderId", "senderType"::text, "receiverId", "receiverType"::text, "taskId",
       "createdAt"::text, "updatedAt"::text, "metadata"::text
FROM "messages")sql";

constexpr auto kInsert = R"sql(
INSERT INTO "messages" ("id", "content", "senderId", "senderType", "receiverId", "receiverType", "taskId",
                        "createdAt", "updatedAt", "metadata")
VALUES (:id, :content, :senderId, CAST(:senderType AS "SenderType"), :receiverId,
        CAST(:receiverType AS "ReceiverType"), :taskId, CAST(:createdAt AS timestamp(3)),
        CAST(:updatedAt AS timestamp(3)), CAST(:metadata AS jsonb)))sql";

QString nullIfNull(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

MessageRow fromQuery(const QSqlQuery &q)
{
    MessageRow row;
    row.id = q.value(0).toString();
    row.content = q.value(1).toString();
    row.senderId = q.value(2).toString();
    row.senderType = fromDb<SenderType>(q.value(3).toString()).value_or(SenderType::User);
    row.receiverId = nullIfNull(q.value(4));
    row.receiverType = q.value(5).isNull() ? std::nullopt : fromDb<ReceiverType>(q.value(5).toString());
    row.taskId = nullIfNull(q.value(6));
    row.createdAt = sql::timestampFromText(q.value(7));
    row.updatedAt = sql::timestampFromText(q.value(8));
    row.metadata = sql::jsonFromText(q.value(9)).value();
    return row;
}

} // namespace

Result<QList<MessageRow>> MessageRepository::select(QSqlDatabase &db, const QString &where,
                                                    const QVariantMap &bindings)
{
    return sql::selectRows<MessageRow>(db, QLatin1String(kSelect), where,
                                       QLatin1String("\"createdAt\" DESC, \"id\""), bindings,
                                       QStringLiteral("Cannot read messages"), fromQuery);
}

Result<MessageRow> MessageRepository::selectOne(QSqlDatabase &db, const QString &id)
{
    return sql::onlyRow(select(db, QStringLiteral("\"id\" = :id"), {{QStringLiteral(":id"), id}}),
                        QStringLiteral("message"), id);
}

Result<MessageRow> MessageRepository::insert(QSqlDatabase &db, MessageRow row)
{
    sql::stampNewRow(row);
    QSqlQuery q(db);
    Status s = sql::execPrepared(
        q, QLatin1String(kInsert),
        {{QStringLiteral(":id"), row.id},
         {QStringLiteral(":content"), row.content},
         {QStringLiteral(":senderId"), row.senderId},
         {QStringLiteral(":senderType"), toDb(row.senderType)},
         {QStringLiteral(":receiverId"), sql::nullableText(row.receiverId)},
         {QStringLiteral(":receiverType"),
          row.receiverType ? QVariant(toDb(*row.receiverType)) : QVariant(QMetaType::fromType<QString>())},
         {QStringLiteral(":taskId"), sql::nullableText(row.taskId)},
         {QStringLiteral(":createdAt"), sql::timestampText(row.createdAt)},
         {QStringLiteral(":updatedAt"), sql::timestampText(row.updatedAt)},
         {QStringLiteral(":metadata"), sql::jsonText(row.metadata)}},
        QStringLiteral("Cannot create message"));
    if (!s)
        return s.error();
    return selectOne(db, row.id);
}

QCoro::Task<Result<QList<MessageRow>>> MessageRepository::list() const
{
    return m_executor->exec([](QSqlDatabase &db) { return select(db, {}, {}); });
}

QCoro::Task<Result<MessageRow>> MessageRepository::get(const QString &id) const
{
    return m_executor->exec([id](QSqlDatabase &db) { return selectOne(db, id); });
}

} // namespace ccpm
