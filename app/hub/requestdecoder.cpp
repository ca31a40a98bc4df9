#include "hub/requestdecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace ccpm::hub {

namespace {

using Method = Call::Method;

Decoded refuse(QByteArray reply)
{
    return Decoded{std::nullopt, std::move(reply)};
}

Decoded invalid(const QJsonValue &id, const QString &what)
{
    return refuse(jsonrpc::error(id, jsonrpc::InvalidParams, QStringLiteral("Invalid params: %1").arg(what)));
}

Decoded tooLarge(const QJsonValue &id, const QString &what, qsizetype size, int limit)
{
    return refuse(jsonrpc::error(id, jsonrpc::PayloadTooLarge,
                                 QStringLiteral("Payload too large: %1").arg(what).arg(size).arg(limit),
                                 QJsonObject{{QStringLiteral("limit"), limit}}));
}

// An optional id param: null QString when absent or null; false when of another type.
bool optionalId(const QJsonObject &params, const QString &key, QString *out)
{
    const QJsonValue value = params.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString() || value.toString().isEmpty() || value.toString().size() > kMaxIdChars)
        return false;
    *out = value.toString();
    return true;
}

Decoded setStatus(Call call)
{
    const QJsonValue params = call.request.params;
    const QJsonValue statusValue = params.toObject().value(QLatin1String("status"));
    const std::optional<AgentStatus> status = fromDb<AgentStatus>(statusValue.toString());
    if (!params.isObject() || !statusValue.isString() || !status)
        return refuse(jsonrpc::error(
            call.request.id, jsonrpc::InvalidParams,
            QStringLiteral("Invalid params: \"status\" must be one of ACTIVE, BUSY, INACTIVE"),
            QJsonObject{{QStringLiteral("allowed"), QJsonArray::fromStringList(enumLabels<AgentStatus>())}}));
    call.status = *status;
    return {std::move(call), {}};
}

Decoded taskList(Call call)
{
    const QJsonValue statusValue = call.request.params.toObject().value(QLatin1String("status"));
    if (!statusValue.isUndefined() && !statusValue.isNull()) {
        call.taskStatus = fromDb<TaskStatus>(statusValue.toString());
        if (!statusValue.isString() || !call.taskStatus)
            return invalid(call.request.id, QStringLiteral("\"status\" must be one of %1")
                                                .arg(enumLabels<TaskStatus>().join(QStringLiteral(", "))));
    }
    return {std::move(call), {}};
}

Decoded taskCall(Call call)
{
    const QJsonValue &id = call.request.id;
    if (!call.request.params.isObject())
        return invalid(id, QStringLiteral("params must be an object with \"taskId\""));
    const QJsonObject params = call.request.params.toObject();
    const QJsonValue taskId = params.value(QLatin1String("taskId"));
    if (!taskId.isString() || taskId.toString().isEmpty() || taskId.toString().size() > kMaxIdChars)
        return invalid(id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    call.taskId = taskId.toString();

    if (call.method == Method::TaskProgress) {
        const QJsonValue progress = params.value(QLatin1String("progress"));
        const QJsonValue note = params.value(QLatin1String("note"));
        if (!progress.isDouble() || progress.toDouble() != std::floor(progress.toDouble()) ||
            progress.toDouble() < 0 || progress.toDouble() > 100)
            return invalid(id, QStringLiteral("\"progress\" must be a whole number from 0 to 100"));
        if (!note.isUndefined() && !note.isNull() &&
            (!note.isString() || note.toString().size() > kMaxTextChars))
            return invalid(
                id, QStringLiteral("\"note\" must be a string of at most %1 characters").arg(kMaxTextChars));
        call.progress = progress.toInt();
        call.text = note.isString() ? note.toString() : QString();
    } else if (call.method == Method::TaskComplete) {
        call.result = params.value(QLatin1String("result"));
    } else if (call.method == Method::TaskFail) {
        const QJsonValue reason = params.value(QLatin1String("reason"));
        if (!reason.isString() || reason.toString().trimmed().isEmpty() ||
            reason.toString().size() > kMaxTextChars)
            return invalid(id,
                           QStringLiteral("\"reason\" must be a non-empty string of at most %1 characters")
                               .arg(kMaxTextChars));
        call.text = reason.toString();
    }
    return {std::move(call), {}};
}

Decoded messageSend(Call call)
{
    const QJsonValue &id = call.request.id;
    const QJsonObject params = call.request.params.toObject();
    const QJsonValue content = params.value(QLatin1String("content"));
    if (!content.isString() || content.toString().trimmed().isEmpty())
        return invalid(id, QStringLiteral("\"content\" must be a non-empty string"));
    // Characters are code points: an emoji is one, not two UTF-16 units.
    const qsizetype characters = content.toString().toUcs4().size();
    if (characters > kMaxContentChars)
        return tooLarge(id, QStringLiteral("\"content\" has %1 characters, at most %2"), characters,
                        kMaxContentChars);
    call.text = content.toString();
    if (!optionalId(params, QStringLiteral("taskId"), &call.taskId))
        return invalid(id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    if (!optionalId(params, QStringLiteral("receiverId"), &call.receiverId))
        return invalid(id, QStringLiteral("\"receiverId\" must be an id (a string)"));
    const QJsonValue receiverType = params.value(QLatin1String("receiverType"));
    if (!receiverType.isUndefined() && !receiverType.isNull()) {
        call.receiverType = fromDb<ReceiverType>(receiverType.toString());
        if (!receiverType.isString() || !call.receiverType)
            return invalid(id, QStringLiteral("\"receiverType\" must be USER or AGENT"));
    }
    if (call.receiverId.isNull() != !call.receiverType)
        return invalid(id, QStringLiteral("\"receiverId\" and \"receiverType\" go together"));
    const QJsonValue metadata = params.value(QLatin1String("metadata"));
    if (!metadata.isUndefined() && !metadata.isNull()) {
        if (!metadata.isObject())
            return invalid(id, QStringLiteral("\"metadata\" must be an object"));
        const qsizetype bytes = QJsonDocument(metadata.toObject()).toJson(QJsonDocument::Compact).size();
        if (bytes > kMaxMetadataBytes)
            return tooLarge(id, QStringLiteral("\"metadata\" has %1 bytes, at most %2"), bytes,
                            kMaxMetadataBytes);
        call.metadata = metadata;
    }
    return {std::move(call), {}};
}

Decoded messageList(Call call)
{
    const QJsonValue &id = call.request.id;
    const QJsonObject params = call.request.params.toObject();
    if (!optionalId(params, QStringLiteral("taskId"), &call.taskId))
        return invalid(id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    const QJsonValue sinceValue = params.value(QLatin1String("since"));
    if (!sinceValue.isUndefined() && !sinceValue.isNull()) {
        call.since = QDateTime::fromString(sinceValue.toString(), Qt::ISODateWithMs);
        if (!sinceValue.isString() || !call.since.isValid())
            return invalid(
                id, QStringLiteral("\"since\" must be an ISO 8601 time, e.g. 2026-11-29T18:05:40.112Z"));
    }
    const QJsonValue limitValue = params.value(QLatin1String("limit"));
    if (!limitValue.isUndefined() && !limitValue.isNull()) {
        const double l = limitValue.toDouble(-1);
        if (!limitValue.isDouble() || l != std::floor(l) || l < 1 || l > kMaxListLimit)
            return invalid(
                id, QStringLiteral("\"limit\" must be a whole number from 1 to %1").arg(kMaxListLimit));
        call.limit = int(l);
    }
    return {std::move(call), {}};
}

std::optional<Method> methodOf(const QString &name)
{
    static const QList<std::pair<QString, Method>> methods{
        {QStringLiteral("agent.hello"), Method::Hello},
        {QStringLiteral("agent.setStatus"), Method::SetStatus},
        {QStringLiteral("task.list"), Method::TaskList},
        {QStringLiteral("task.accept"), Method::TaskAccept},
        {QStringLiteral("task.progress"), Method::TaskProgress},
        {QStringLiteral("task.complete"), Method::TaskComplete},
        {QStringLiteral("task.fail"), Method::TaskFail},
        {QStringLiteral("task.release"), Method::TaskRelease},
        {QStringLiteral("message.send"), Method::MessageSend},
        {QStringLiteral("message.list"), Method::MessageList},
    };
    for (const auto &[text, method] : methods)
        if (text == name)
            return method;
    return std::nullopt;
}

} // namespace

Decoded decodeRequest(const jsonrpc::Request &request)
{
    const QJsonValue &id = request.id;
    if (const QString problem = jsonrpc::paramsProblem(request.params); !problem.isEmpty())
        return invalid(id, problem);
    const std::optional<Method> method = methodOf(request.method);
    if (!method)
        return refuse(jsonrpc::error(id, jsonrpc::MethodNotFound,
                                     QStringLiteral("Method not found: %1").arg(request.method)));
    Call call;
    call.method = *method;
    call.request = request;
    switch (*method) {
    case Method::Hello: {
        const QJsonValue token = request.params.toObject().value(QLatin1String("token"));
        if (!token.isUndefined())
            call.token = token.toString();
        return {std::move(call), {}};
    }
    case Method::SetStatus:
        return setStatus(std::move(call));
    case Method::TaskList:
        return taskList(std::move(call));
    case Method::TaskAccept:
    case Method::TaskProgress:
    case Method::TaskComplete:
    case Method::TaskFail:
    case Method::TaskRelease:
        return taskCall(std::move(call));
    case Method::MessageSend:
    case Method::MessageList:
        if (!request.params.isObject() && !request.params.isUndefined())
            return invalid(id, QStringLiteral("params must be an object"));
        return *method == Method::MessageSend ? messageSend(std::move(call)) : messageList(std::move(call));
    }
    return invalid(id, QStringLiteral("unknown method")); // not reached
}

Decoded decodeFrame(const QByteArray &frame)
{
    const jsonrpc::Parsed parsed = jsonrpc::parse(frame);
    if (!parsed.request)
        return refuse(parsed.errorResponse);
    return decodeRequest(*parsed.request);
}

} // namespace ccpm::hub
