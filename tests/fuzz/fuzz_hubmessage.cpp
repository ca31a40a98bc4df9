// libFuzzer target: the hub's handling of one WebSocket text frame from an agent, up to the
// point where SQL would run (app/hub/requestdecoder.h: jsonrpc::parse, then the params checks
// of every method). The frame is the raw bytes as a UTF-8 text frame would carry them.
// Invariants: exactly one of a call and an error reply; an error reply is a JSON-RPC 2.0 error
// object with a code the protocol defines, echoing the request's id when it had a valid one;
// a decoded call's values are within the protocol's limits and its params are storable.
#include "fuzzcheck.h"
#include "hub/requestdecoder.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace ccpm;
using namespace ccpm::hub;
using Method = Call::Method;

namespace {

void checkErrorReply(const QByteArray &reply, const QByteArray &frame)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(reply, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(), "the reply is a JSON object");
    const QJsonObject object = doc.object();
    FUZZ_CHECK(object.value(QLatin1String("jsonrpc")).toString() == QLatin1String("2.0"), "jsonrpc 2.0");
    FUZZ_CHECK(object.contains(QLatin1String("id")), "the reply has an id");
    const QJsonObject err = object.value(QLatin1String("error")).toObject();
    const int code = err.value(QLatin1String("code")).toInt();
    static const QList<int> codes{jsonrpc::ParseError, jsonrpc::InvalidRequest, jsonrpc::MethodNotFound,
                                  jsonrpc::InvalidParams, jsonrpc::PayloadTooLarge};
    FUZZ_CHECK(codes.contains(code), "an error code the protocol defines for bad input");
    FUZZ_CHECK(!err.value(QLatin1String("message")).toString().isEmpty(), "the error says why");

    // The id echoed: the request's own when it was a valid one (string, number, null).
    const jsonrpc::Parsed parsed = jsonrpc::parse(frame);
    if (parsed.request && !parsed.request->id.isUndefined())
        FUZZ_CHECK(object.value(QLatin1String("id")) == parsed.request->id, "the reply echoes the id");
    const QJsonValue id = object.value(QLatin1String("id"));
    FUZZ_CHECK(id.isNull() || id.isString() || id.isDouble(), "the echoed id is a valid id");
}

void checkCall(const Call &call)
{
    FUZZ_CHECK(jsonrpc::paramsProblem(call.request.params).isEmpty(), "a call's params are storable");
    switch (call.method) {
    case Method::TaskAccept:
    case Method::TaskProgress:
    case Method::TaskComplete:
    case Method::TaskFail:
    case Method::TaskRelease:
        FUZZ_CHECK(!call.taskId.isEmpty() && call.taskId.size() <= kMaxIdChars, "a task id");
        break;
    default:
        FUZZ_CHECK(call.taskId.isNull() || (!call.taskId.isEmpty() && call.taskId.size() <= kMaxIdChars),
                   "an optional task id");
    }
    if (call.method == Method::TaskProgress) {
        FUZZ_CHECK(call.progress >= 0 && call.progress <= 100, "progress 0..100");
        FUZZ_CHECK(call.text.size() <= kMaxTextChars, "note within its limit");
    }
    if (call.method == Method::TaskFail)
        FUZZ_CHECK(!call.text.trimmed().isEmpty() && call.text.size() <= kMaxTextChars, "a reason");
    if (call.method == Method::MessageSend) {
        FUZZ_CHECK(!call.text.trimmed().isEmpty() && call.text.toUcs4().size() <= kMaxContentChars,
                   "content");
        FUZZ_CHECK(call.receiverId.isNull() == !call.receiverType, "receiver id and type together");
        FUZZ_CHECK(call.metadata.isObject(), "metadata is an object");
        FUZZ_CHECK(QJsonDocument(call.metadata.toObject()).toJson(QJsonDocument::Compact).size() <=
                       kMaxMetadataBytes,
                   "metadata within its limit");
    }
    if (call.method == Method::MessageList)
        FUZZ_CHECK(call.limit >= 1 && call.limit <= kMaxListLimit, "a list limit");
    // What the hub builds from a call must serialize: the reply echoes the id.
    const QByteArray reply = jsonrpc::result(call.request.id, QJsonValue(true));
    FUZZ_CHECK(QJsonDocument::fromJson(reply).isObject(), "a result reply is JSON");
}

} // namespace

CCPM_FUZZ_TARGET(fuzz_hubmessage)
{
    // A text frame is UTF-8: QWebSocket hands the hub a QString, which it turns back into UTF-8.
    const QByteArray frame = fuzzText(data, size).toUtf8();
    const Decoded decoded = decodeFrame(frame);
    FUZZ_CHECK(decoded.call.has_value() != !decoded.errorReply.isEmpty(), "a call or an error reply");
    if (decoded.call)
        checkCall(*decoded.call);
    else
        checkErrorReply(decoded.errorReply, frame);
    return;
}
