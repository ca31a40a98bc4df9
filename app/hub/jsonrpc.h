#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace ccpm::jsonrpc {

/// JSON-RPC 2.0 framing (https://www.jsonrpc.org/specification): parsing one request from a
/// WebSocket text frame and writing responses. Error codes are the specification's; hub-specific
/// errors use the server range -32000..-32099 (see docs/agent-protocol.md).
/// Pure functions, any thread.

enum ErrorCode {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    ServerError = -32000,       ///< the database refused or could not be reached
    NotPermitted = -32001,      ///< the agent may not do this (unauthorized)
    NotFound = -32002,          ///< no such task, or not this agent's
    InvalidTransition = -32003, ///< the task is not in a state this method accepts
    Conflict = -32004,          ///< another writer changed it first
    RateLimited = -32005,       ///< too many requests; retry after `data.retryAfterMs`
    PayloadTooLarge = -32006,   ///< a value is over its limit
};

struct Request {
    QJsonValue id; ///< string, number or null; undefined for a notification
    QString method;
    QJsonValue params; ///< object, array or undefined
    bool isNotification() const { return id.isUndefined(); }
};

/// Either a request, or the error response to send (for an unparseable or invalid message).
struct Parsed {
    std::optional<Request> request;
    QByteArray errorResponse;
};

Parsed parse(const QByteArray &frame);

QByteArray result(const QJsonValue &id, const QJsonValue &result);
/// A notification (no id): what the hub sends unasked, e.g. `task.assigned`.
QByteArray notification(const QString &method, const QJsonObject &params);
/// `data` is left out of the error object when undefined (the default).
QByteArray error(const QJsonValue &id, int code, const QString &message,
                 const QJsonValue &data = QJsonValue(QJsonValue::Undefined));

} // namespace ccpm::jsonrpc
