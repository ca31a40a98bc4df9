#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "result.h"

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

/// What makes `params` unstorable, or an empty string: a string or key holding U+0000 or an
/// unpaired UTF-16 surrogate (PostgreSQL's text and jsonb refuse NUL, and a lone surrogate
/// has no UTF-8 form), or nesting deeper than `maxDepth` (the hub's JSON writer stops at
/// 1,024 levels). The hub answers such a request with -32602 before it reaches the database.
QString paramsProblem(const QJsonValue &params, int maxDepth = 32);

/// An undefined `id` (a notification's) is written as null, in result() and error().
QByteArray result(const QJsonValue &id, const QJsonValue &result);
/// -32000 for a database failure: the details (SQL, other agents' values) go to the hub's log,
/// the agent gets a generic message, with `data.retryable` true when the database could not be
/// reached (the same request may succeed later).
QByteArray databaseError(const QJsonValue &id, const ccpm::Error &error);
/// A notification (no id): what the hub sends unasked, e.g. `task.assigned`.
QByteArray notification(const QString &method, const QJsonObject &params);
/// `data` is left out of the error object when undefined (the default).
QByteArray error(const QJsonValue &id, int code, const QString &message,
                 const QJsonValue &data = QJsonValue(QJsonValue::Undefined));

} // namespace ccpm::jsonrpc
