#include "hub/messagemethods.h"

#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace ccpm::hub {

namespace {

QByteArray invalid(const QJsonValue &id, const QString &what)
{
    return jsonrpc::error(id, jsonrpc::InvalidParams, QStringLiteral("Invalid params: %1").arg(what));
}

QByteArray failure(const QJsonValue &id, const Error &error)
{
    return error.kind == Error::Kind::NotFound ? jsonrpc::error(id, jsonrpc::NotFound, error.message)
                                               : jsonrpc::databaseError(id, error);
}

QJsonValue nullable(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// An optional string param: null QString when absent or null; false when of another type.
bool optionalString(const QJsonObject &params, const QString &key, QString *out)
{
    const QJsonValue value = params.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString() || value.toString().isEmpty() || value.toString().size() > 64)
        return false;
    *out = value.toString();
    return true;
}

} // namespace

bool MessageMethods::handles(const QString &method)
{
    return method == QLatin1String("message.send") || method == QLatin1String("message.list");
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
                       {QStringLiteral("createdAt"), message.createdAt.toUTC().toString(Qt::ISODateWithMs)}};
}

QCoro::Task<QByteArray> MessageMethods::call(QString agentId, jsonrpc::Request request)
{
    if (!request.params.isObject() && !request.params.isUndefined())
        co_return invalid(request.id, QStringLiteral("params must be an object"));
    if (request.method == QLatin1String("message.send"))
        co_return co_await send(agentId, request);
    co_return co_await list(agentId, request);
}

QCoro::Task<QByteArray> MessageMethods::send(QString agentId, jsonrpc::Request request)
{
    const QJsonObject params = request.params.toObject();
    const QJsonValue content = params.value(QLatin1String("content"));
    if (!content.isString() || content.toString().trimmed().isEmpty())
        co_return invalid(request.id, QStringLiteral("\"content\" must be a non-empty string"));
    // Characters are code points: an emoji is one, not two UTF-16 units.
    const qsizetype characters = content.toString().toUcs4().size();
    if (characters > kMaxContentChars)
        co_return jsonrpc::error(
            request.id, jsonrpc::PayloadTooLarge,
            QStringLiteral("Payload too large: \"content\" has %1 characters, at most %2")
                .arg(characters)
                .arg(kMaxContentChars),
            QJsonObject{{QStringLiteral("limit"), kMaxContentChars}});
    MessageExchange::Draft draft;
    draft.content = content.toString();
    if (!optionalString(params, QStringLiteral("taskId"), &draft.taskId))
        co_return invalid(request.id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    if (!optionalString(params, QStringLiteral("receiverId"), &draft.receiverId))
        co_return invalid(request.id, QStringLiteral("\"receiverId\" must be an id (a string)"));
    const QJsonValue receiverType = params.value(QLatin1String("receiverType"));
    if (!receiverType.isUndefined() && !receiverType.isNull()) {
        draft.receiverType = fromDb<ReceiverType>(receiverType.toString());
        if (!receiverType.isString() || !draft.receiverType)
            co_return invalid(request.id, QStringLiteral("\"receiverType\" must be USER or AGENT"));
    }
    if (draft.receiverId.isNull() != !draft.receiverType)
        co_return invalid(request.id, QStringLiteral("\"receiverId\" and \"receiverType\" go together"));
    const QJsonValue metadata = params.value(QLatin1String("metadata"));
    if (!metadata.isUndefined() && !metadata.isNull()) {
        if (!metadata.isObject())
            co_return invalid(request.id, QStringLiteral("\"metadata\" must be an object"));
        const qsizetype bytes = QJsonDocument(metadata.toObject()).toJson(QJsonDocument::Compact).size();
        if (bytes > kMaxMetadataBytes)
            co_return jsonrpc::error(
                request.id, jsonrpc::PayloadTooLarge,
                QStringLiteral("Payload too large: \"metadata\" has %1 bytes, at most %2")
                    .arg(bytes)
                    .arg(kMaxMetadataBytes),
                QJsonObject{{QStringLiteral("limit"), kMaxMetadataBytes}});
        draft.metadata = metadata;
    }
    const Result<MessageRow> row = co_await m_exchange.send(agentId, draft);
    if (!row)
        co_return failure(request.id, row.error());
    m_feed->publish(QStringLiteral("messages"), row->id, ChangeFeed::Op::Insert, QStringLiteral("hub"));
    co_return jsonrpc::result(request.id, QJsonObject{{QStringLiteral("message"), toJson(*row)}});
}

QCoro::Task<QByteArray> MessageMethods::list(QString agentId, jsonrpc::Request request)
{
    const QJsonObject params = request.params.toObject();
    QString taskId;
    if (!optionalString(params, QStringLiteral("taskId"), &taskId))
        co_return invalid(request.id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    QDateTime since;
    const QJsonValue sinceValue = params.value(QLatin1String("since"));
    if (!sinceValue.isUndefined() && !sinceValue.isNull()) {
        since = QDateTime::fromString(sinceValue.toString(), Qt::ISODateWithMs);
        if (!sinceValue.isString() || !since.isValid())
            co_return invalid(
                request.id,
                QStringLiteral("\"since\" must be an ISO 8601 time, e.g. 2026-11-29T18:05:40.112Z"));
    }
    int limit = kDefaultListLimit;
    const QJsonValue limitValue = params.value(QLatin1String("limit"));
    if (!limitValue.isUndefined() && !limitValue.isNull()) {
        const double l = limitValue.toDouble(-1);
        if (!limitValue.isDouble() || l != std::floor(l) || l < 1 || l > kMaxListLimit)
            co_return invalid(
                request.id,
                QStringLiteral("\"limit\" must be a whole number from 1 to %1").arg(kMaxListLimit));
        limit = int(l);
    }
    const Result<QList<MessageRow>> rows = co_await m_exchange.list(agentId, taskId, since, limit);
    if (!rows)
        co_return failure(request.id, rows.error());
    QJsonArray out;
    for (const MessageRow &row : *rows)
        out.append(toJson(row));
    co_return jsonrpc::result(request.id, QJsonObject{{QStringLiteral("messages"), out}});
}

} // namespace ccpm::hub
