#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "hub/jsonrpc.h"
#include "hub/requestdecoder.h"
#include "tasklifecycle.h"

#include <QCoro/QCoroTask>

#include <functional>

namespace ccpm::hub {

/// The agent protocol's task methods (docs/agent-protocol.md): task.list, task.accept,
/// task.progress, task.complete, task.fail, task.release. Runs a call decodeRequest() checked
/// (requestdecoder.h: the params' types and limits), makes the
/// transition with TaskLifecycle (guarded in SQL: of two racing agents exactly one wins),
/// announces the changed row on the ChangeFeed (the GUI's tasks view repaints it; progress
/// reports are announced per committed batch, not per report), and builds
/// the JSON-RPC reply. The write is committed before the reply is built.
/// Errors: -32002 not found (or not this agent's), -32003 invalid
/// transition (`data.status` is the task's state), -32000 database.
/// Thread: the hub thread.
class TaskMethods {
public:
    TaskMethods(DbExecutor &executor, ChangeFeed &feed);

    /// Called after each transition an agent made, with the task as it is now.
    void setOnChanged(std::function<void(const TaskRow &task)> onChanged)
    {
        m_onChanged = std::move(onChanged);
    }

    static bool handles(Call::Method method);
    QCoro::Task<QByteArray> call(QString agentId, Call call);

    /// A task as the protocol shows it (also used by notifications).
    static QJsonObject toJson(const TaskRow &task);

private:
    QCoro::Task<QByteArray> list(QString agentId, Call call);

    TaskLifecycle m_lifecycle;
    ChangeFeed *m_feed;
    std::function<void(const TaskRow &)> m_onChanged;
};

} // namespace ccpm::hub
