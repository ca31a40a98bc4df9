#include "hub/messagemethods.h"

#include "sqlvalues.h"

#include <QJsonArray>

namespace ccpm::hub {

namespace {

QByteArray failure(const QJsonValue &id, const Error &error)
{
    return error.kind == Error::Kind::NotFound ? jsonrpc::error(id, jsonrpc::NotFound, error.message)
                                               : jsonrpc::databaseError(id, error);
}

QJsonValue nullable(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

bool MessageMethods::handles(Call::Method method)
{
    return method == Call::Method::MessageSend || method == Call::Method::MessageList;
}

QJsonObject MessageMethods::toJson(const MessageRow &message)
{
    return QJsonObject{{QStringLiteral("id"), message.id},
                       {QStringLiteral("content"), message.content},
                       {QStringLiteral("senderId"), message.senderId},
                       {QStringLiteral("senderType"), toDb(message.senderType)},
                       {QStringLiteral("receiverId"), nullable(message.receiverId)},
                       {QStringLiteral("receiverType"), message.receiverType
                                                            ? QJsonValue(toDb(*message.receiverType))
                                                            : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("taskId"), nullable(message.taskId)},
                       {QStringLiteral("metadata"), message.metadata},
                       {QStringLiteral("createdAt"), sql::isoUtcText(message.createdAt)}};
}

QCoro::Task<QByteArray> MessageMethods::call(QString agentId, Call call)
{
    if (call.method == Call::Method::MessageSend)
        co_return co_await send(agentId, call);
    co_return co_await list(agentId, call);
}

QCoro::Task<QByteArray> MessageMethods::send(QString agentId, Call call)
{
    MessageExchange::Draft draft;
    draft.content = call.text;
    draft.taskId = call.taskId;
    draft.receiverId = call.receiverId;
    draft.receiverType = call.receiverType;
    draft.metadata = call.metadata;
    const Result<MessageRow> row = co_await m_exchange.send(agentId, draft);
    if (!row)
        co_return failure(call.request.id, row.error());
    m_feed->publish(QStringLiteral("messages"), row->id, ChangeFeed::Op::Insert, QStringLiteral("hub"));
    co_return jsonrpc::result(call.request.id, QJsonObject{{QStringLiteral("message"), toJson(*row)}});
}

QCoro::Task<QByteArray> MessageMethods::list(QString agentId, Call call)
{
    const QString taskId = call.taskId;
    const QDateTime since = call.since;
    const int limit = call.limit;
    const Result<QList<MessageRow>> rows = co_await m_exchange.list(agentId, taskId, since, limit);
    if (!rows)
        co_return failure(call.request.id, rows.error());
    QJsonArray out;
    for (const MessageRow &row : *rows)
        out.append(toJson(row));
    co_return jsonrpc::result(call.request.id, QJsonObject{{QStringLiteral("messages"), out}});
}

} // namespace ccpm::hub
