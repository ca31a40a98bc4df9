#pragma once

#include "enums.h"
#include "hub/jsonrpc.h"

#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace ccpm::hub {

/// One agent request, checked and decoded, ready to run: the JSON-RPC envelope is valid, the
/// method is one the hub answers, and the params have the types and limits of
/// docs/agent-protocol.md. Only what needs the database (does the task exist, is it this
/// agent's, may it move to that state) is left to the method that runs it.
struct Call {
    enum class Method {
        Hello,
        SetStatus,
        TaskList,
        TaskAccept,
        TaskProgress,
        TaskComplete,
        TaskFail,
        TaskRelease,
        MessageSend,
        MessageList,
    };
    Method method = Method::Hello;
    jsonrpc::Request request;

    std::optional<QString> token;             ///< Hello: the token given (its text; "" when not a string)
    AgentStatus status = AgentStatus::Active; ///< SetStatus
    std::optional<TaskStatus> taskStatus;     ///< TaskList: only tasks in this state
    QString taskId;     ///< task.* but list: 1..64 characters; message.*: the task (null: none)
    int progress = 0;   ///< TaskProgress: 0..100
    QString text;       ///< TaskProgress: the note (null: none); TaskFail: the reason; MessageSend: content
    QJsonValue result;  ///< TaskComplete: any JSON (undefined when absent)
    QString receiverId; ///< MessageSend: null together with receiverType
    std::optional<ReceiverType> receiverType;
    QJsonValue metadata = QJsonValue(QJsonObject()); ///< MessageSend: an object
    QDateTime since;                                 ///< MessageList: invalid for none
    int limit = 100;                                 ///< MessageList: 1..1000
};

/// A decoded call, or the error reply to send instead (never both).
struct Decoded {
    std::optional<Call> call;
    QByteArray errorReply;
};

/// The hub's request checks, before any SQL, as pure functions (the fuzz target
/// tests/fuzz/fuzz_hubmessage drives them with raw frames).
/// - decodeRequest(): params that PostgreSQL could not store (jsonrpc::paramsProblem), an unknown
///   method (-32601), params of the wrong type or out of their limits (-32602), content or
///   metadata over their size limits (-32006).
/// - decodeFrame(): jsonrpc::parse() (-32700, -32600), then decodeRequest().
/// Errors are the JSON-RPC error replies, echoing the request's id. The replies of notifications
/// are built too; the connection does not send them.
/// Pure functions, any thread.
Decoded decodeRequest(const jsonrpc::Request &request);
Decoded decodeFrame(const QByteArray &frame);

/// Limits of the agent protocol (docs/agent-protocol.md).
constexpr int kMaxIdChars = 64;              ///< a task or receiver id
constexpr int kMaxTextChars = 10000;         ///< a progress note, a failure reason
constexpr int kMaxContentChars = 10000;      ///< a message's content, in code points
constexpr int kMaxMetadataBytes = 64 * 1024; ///< a message's metadata, compact JSON
constexpr int kDefaultListLimit = 100;
constexpr int kMaxListLimit = 1000;

} // namespace ccpm::hub
