#pragma once

#include "dbexecutor.h"
#include "rows.h"

#include <optional>

namespace ccpm {

/// Messages as agents see them through the hub (docs/agent-protocol.md, message.* and
/// message.received):
///
///   send      an agent writes a message, as sender AGENT; on a task it holds, to a user or an
///             agent, or both. The receiver must exist (the schema has no foreign key for it).
///   list      the messages of a task the agent holds, or else the agent's inbox (messages
///             addressed to it), oldest first, after `since`, at most `limit`.
///   claim…    delivery: a message addressed to an agent is sent to it once. Claiming inserts
///             its "message_deliveries" row (migration 4) and returns the message only to the
///             one caller whose insert won, so two hubs or two connections never send it twice.
///
/// Errors: Error::Kind::NotFound for a task that is not the agent's (agents never learn about
/// others' tasks) or a receiver that does not exist; Error::Kind::Database otherwise.
/// Thread: call from a thread with an event loop; the SQL runs on the executor's workers.
class MessageExchange {
public:
    explicit MessageExchange(DbExecutor &executor)
        : m_executor(&executor)
    {
    }

    struct Draft {
        QString content;
        QString taskId;     ///< null: not about a task
        QString receiverId; ///< null together with receiverType
        std::optional<ReceiverType> receiverType;
        QJsonValue metadata = QJsonValue(QJsonObject());
    };

    QCoro::Task<Result<MessageRow>> send(QString agentId, Draft draft) const;
    QCoro::Task<Result<QList<MessageRow>>> list(QString agentId, QString taskId, QDateTime since,
                                                int limit) const;
    /// Messages addressed to the agent and not yet delivered, oldest first (at most `limit`),
    /// now marked delivered.
    QCoro::Task<Result<QList<MessageRow>>> claimUndelivered(QString agentId, int limit) const;
    /// The message if it is addressed to `agentId` and was not delivered yet, now marked
    /// delivered; std::nullopt otherwise.
    QCoro::Task<Result<std::optional<MessageRow>>> claim(QString messageId, QString agentId) const;

private:
    DbExecutor *m_executor;
};

} // namespace ccpm
