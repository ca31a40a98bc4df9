#pragma once

#include "changefeed.h"
#include "hub/jsonrpc.h"
#include "messageexchange.h"

#include <QCoro/QCoroTask>

namespace ccpm::hub {

/// The agent protocol's message methods (docs/agent-protocol.md): `message.send` and
/// `message.list`. Checks the params, reads and writes through MessageExchange, announces a
/// sent message on the ChangeFeed (the Messages view shows it; a receiving agent that is
/// connected gets `message.received`), and builds the JSON-RPC reply after the commit.
/// Limits: content 1..10,000 characters and metadata up to 64 KiB of JSON (-32006 above),
/// list pages of at most 1,000 messages (default 100).
/// Errors: -32602 invalid params, -32006 payload too large, -32002 not found (a task that is
/// not the agent's, a receiver that does not exist), -32000 database.
/// Thread: the hub thread.
class MessageMethods {
public:
    MessageMethods(DbExecutor &executor, ChangeFeed &feed)
        : m_exchange(executor)
        , m_feed(&feed)
    {
    }

    static bool handles(const QString &method);
    QCoro::Task<QByteArray> call(QString agentId, jsonrpc::Request request);

    /// A message as the protocol shows it (replies and `message.received`).
    static QJsonObject toJson(const MessageRow &message);

    static constexpr int kMaxContentChars = 10000;
    static constexpr int kMaxMetadataBytes = 64 * 1024;
    static constexpr int kDefaultListLimit = 100;
    static constexpr int kMaxListLimit = 1000;

private:
    QCoro::Task<QByteArray> send(QString agentId, jsonrpc::Request request);
    QCoro::Task<QByteArray> list(QString agentId, jsonrpc::Request request);

    MessageExchange m_exchange;
    ChangeFeed *m_feed;
};

} // namespace ccpm::hub
