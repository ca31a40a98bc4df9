#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "messageexchange.h"
#include "messagerepository.h"
#include "tasklifecycle.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace ccpm::hub {

/// What the hub tells agents without being asked (docs/agent-protocol.md, "Notifications"):
///
///   task.open         on connect: the agent's open tasks (PENDING, ASSIGNED, IN_PROGRESS)
///   task.assigned     a manager assigned a task to the agent
///   task.unassigned   a manager took it away (reassigned, unassigned or deleted it)
///   task.updated      a manager changed a task the agent holds
///   message.received  a message addressed to the agent: live, or on its next connection
///
/// Task changes arrive on the ChangeFeed from the desk (the hub's own changes, origin "hub",
/// are the agent's doing and are not echoed). To tell "taken away" from "changed", the notifier
/// remembers who holds each open task of the connected agents; a burst of changes is read back
/// in one query; a table-changed event (a bulk statement, or a listener that reconnected)
/// re-reads the connected agents' open tasks. Each message is delivered once (MessageExchange::claim).
///
/// Errors: a failed read is logged and that notification is skipped; agents can always catch up
/// with task.list and message.list.
/// Thread: the hub thread.
class AgentNotifier : public QObject {
    Q_OBJECT
public:
    /// Sends one frame to the agent's live connection; false when it has none.
    using Send = std::function<bool(const QString &agentId, const QByteArray &frame)>;

    AgentNotifier(DbExecutor &executor, ChangeFeed &feed, Send send, QObject *parent = nullptr);

    /// The agent is connected: sends task.open, then the messages it missed.
    void agentConnected(const QString &agentId);
    void agentDisconnected(const QString &agentId);
    /// The agent changed the task through the hub (accept, release, …).
    void taskChangedByAgent(const TaskRow &task);

private:
    void onRowChanged(const QString &table, const QString &id, ChangeFeed::Op op, const QString &origin);
    QCoro::Task<> welcome(QString agentId);
    QCoro::Task<> readChangedTasks();
    /// After a table-changed event on tasks: reads back every task a connected agent holds or
    /// has open (those unchanged are sent again as task.updated).
    QCoro::Task<> recheckOpenTasks();
    void notifyTaskChange(const QString &taskId, const TaskRow *task);
    QCoro::Task<> deliver(QString messageId);
    void hold(const TaskRow &task);
    /// Records who holds a task open (empty: nobody), in both directions.
    void setHolder(const QString &taskId, const QString &agentId);

    TaskLifecycle m_tasks;
    MessageExchange m_messages;
    MessageRepository m_messageRows;
    Send m_send;
    QSet<QString> m_connected;
    QHash<QString, QString> m_holder;       ///< task id → connected agent holding it open
    QHash<QString, QSet<QString>> m_heldBy; ///< the same, agent id → task ids
    QSet<QString> m_changedTasks;           ///< desk changes waiting to be read back
    bool m_reading = false;
};

} // namespace ccpm::hub
