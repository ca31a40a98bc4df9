#pragma once

#include "changefeed.h"
#include "hub/jsonrpc.h"
#include "hub/requestdecoder.h"
#include "messageexchange.h"

#include <QCoro/QCoroTask>

namespace ccpm::hub {

/// The agent protocol's message methods (docs/agent-protocol.md): `message.send` and
/// `message.list`. Runs a call decodeRequest() checked (requestdecoder.h: the params' types
/// and limits), reads and writes through MessageExchange, announces a
/// sent message on the ChangeFeed (the Messages view shows it; a receiving agent that is
/// connected gets `message.received`), and builds the JSON-RPC reply after the commit.
/// Errors: -32002 not found (a task that is
/// not the agent's, a receiver that does not exist), -32000 database.
/// Thread: the hub thread.
class MessageMethods {
public:
    MessageMethods(DbExecutor &executor, ChangeFeed &feed)
        : m_exchange(executor)
        , m_feed(&feed)
    {
    }

    static bool handles(Call::Method method);
    QCoro::Task<QByteArray> call(QString agentId, Call call);

    /// A message as the protocol shows it (replies and `message.received`).
    static QJsonObject toJson(const MessageRow &message);

private:
    QCoro::Task<QByteArray> send(QString agentId, Call call);
    QCoro::Task<QByteArray> list(QString agentId, Call call);

    MessageExchange m_exchange;
    ChangeFeed *m_feed;
};

} // namespace ccpm::hub
