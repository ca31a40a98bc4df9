#include "hub/agentnotifier.h"

#include "hub/jsonrpc.h"
#include "hub/messagemethods.h"
#include "hub/taskmethods.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcNotify, "ccpm.hub.notify")

namespace ccpm::hub {

namespace {

constexpr int kMissedMessagesPerConnect = 1000;

bool isOpen(const TaskRow &task)
{
    return !task.assignedTo.isEmpty() &&
           (task.status == TaskStatus::Pending || task.status == TaskStatus::Assigned ||
            task.status == TaskStatus::InProgress);
}

QByteArray taskNotification(const QString &method, const TaskRow &task)
{
    return jsonrpc::notification(method, QJsonObject{{QStringLiteral("task"), TaskMethods::toJson(task)}});
}

} // namespace

AgentNotifier::AgentNotifier(DbExecutor &executor, ChangeFeed &feed, Send send, QObject *parent)
    : QObject(parent)
    , m_tasks(executor)
    , m_messages(executor)
    , m_messageRows(executor)
    , m_send(std::move(send))
{
    connect(&feed, &ChangeFeed::rowsChanged, this,
            [this](const QString &table, const QStringList &ids, ChangeFeed::Op op, const QString &origin) {
                if (table != QLatin1String("tasks") && table != QLatin1String("messages"))
                    return; // agents' status, tokens, users: nothing to forward
                if (table == QLatin1String("tasks") && origin == QLatin1String("hub"))
                    return; // the agents' own progress: each agent has its reply
                for (const QString &id : ChangeFeed::eachId(ids))
                    onRowChanged(table, id, op, origin);
            });
}

void AgentNotifier::agentConnected(const QString &agentId)
{
    m_connected.insert(agentId);
    welcome(agentId);
}

void AgentNotifier::agentDisconnected(const QString &agentId)
{
    m_connected.remove(agentId);
    // By the agent's own list: when 10,000 agents leave at once, a scan of every held task per
    // agent would be quadratic.
    for (const QString &taskId : m_heldBy.take(agentId))
        m_holder.remove(taskId);
}

void AgentNotifier::hold(const TaskRow &task)
{
    if (isOpen(task) && m_connected.contains(task.assignedTo))
        setHolder(task.id, task.assignedTo);
    else
        setHolder(task.id, {});
}

void AgentNotifier::setHolder(const QString &taskId, const QString &agentId)
{
    const QString previous = m_holder.value(taskId);
    if (previous == agentId)
        return;
    if (!previous.isEmpty()) {
        auto held = m_heldBy.find(previous);
        if (held != m_heldBy.end()) {
            held->remove(taskId);
            if (held->isEmpty())
                m_heldBy.erase(held);
        }
    }
    if (agentId.isEmpty()) {
        m_holder.remove(taskId);
    } else {
        m_holder.insert(taskId, agentId);
        m_heldBy[agentId].insert(taskId);
    }
}

void AgentNotifier::taskChangedByAgent(const TaskRow &task)
{
    hold(task);
}

QCoro::Task<> AgentNotifier::welcome(QString agentId)
{
    // A detached coroutine: the notifier may be gone when a query comes back.
    const QPointer<AgentNotifier> self(this);
    const Result<QList<TaskRow>> open = co_await m_tasks.openFor(agentId);
    if (!self)
        co_return; // the hub stopped meanwhile
    if (!m_connected.contains(agentId))
        co_return; // gone meanwhile
    if (!open) {
        qCWarning(lcNotify).noquote()
            << "cannot read the open tasks of" << agentId << ":" << open.error().toString();
    } else {
        QJsonArray tasks;
        for (const TaskRow &task : *open) {
            hold(task);
            tasks.append(TaskMethods::toJson(task));
        }
        m_send(agentId, jsonrpc::notification(QStringLiteral("task.open"),
                                              QJsonObject{{QStringLiteral("tasks"), tasks}}));
    }
    const Result<QList<MessageRow>> missed =
        co_await m_messages.claimUndelivered(agentId, kMissedMessagesPerConnect);
    if (!self)
        co_return; // the hub stopped meanwhile
    if (!missed) {
        qCWarning(lcNotify).noquote()
            << "cannot read the messages of" << agentId << ":" << missed.error().toString();
        co_return;
    }
    for (const MessageRow &message : *missed)
        m_send(agentId, jsonrpc::notification(
                            QStringLiteral("message.received"),
                            QJsonObject{{QStringLiteral("message"), MessageMethods::toJson(message)}}));
}

void AgentNotifier::onRowChanged(const QString &table, const QString &id, ChangeFeed::Op op,
                                 const QString &origin)
{
    if (table == QLatin1String("messages") && op == ChangeFeed::Op::Insert) {
        deliver(id);
        return;
    }
    if (table != QLatin1String("tasks") || origin == QLatin1String("hub"))
        return;
    if (op == ChangeFeed::Op::TableChanged) {
        recheckOpenTasks();
        return;
    }
    m_changedTasks.insert(id);
    if (!m_reading)
        readChangedTasks();
}

QCoro::Task<> AgentNotifier::recheckOpenTasks()
{
    // A detached coroutine: the notifier may be gone when a query comes back.
    const QPointer<AgentNotifier> self(this);
    // Any task may have changed: those the connected agents hold, and those now open for them.
    QSet<QString> ids(m_holder.keyBegin(), m_holder.keyEnd());
    const QStringList agents(m_connected.cbegin(), m_connected.cend());
    for (const QString &agentId : agents) {
        const Result<QList<TaskRow>> open = co_await m_tasks.openFor(agentId);
        if (!self)
            co_return; // the hub stopped meanwhile
        if (!open) {
            qCWarning(lcNotify).noquote()
                << "cannot read the open tasks of" << agentId << ":" << open.error().toString();
            continue;
        }
        for (const TaskRow &task : *open)
            ids.insert(task.id);
    }
    m_changedTasks.unite(ids);
    if (!m_reading)
        readChangedTasks();
}

QCoro::Task<> AgentNotifier::readChangedTasks()
{
    // A detached coroutine: the notifier may be gone when a query comes back.
    const QPointer<AgentNotifier> self(this);
    m_reading = true;
    while (!m_changedTasks.isEmpty() && !m_connected.isEmpty()) {
        const QStringList ids(m_changedTasks.cbegin(), m_changedTasks.cend());
        m_changedTasks.clear();
        const Result<QList<TaskRow>> rows = co_await m_tasks.tasks(ids);
        if (!self)
            co_return; // the hub stopped meanwhile
        if (!rows) {
            qCWarning(lcNotify).noquote() << "cannot read changed tasks:" << rows.error().toString();
            continue;
        }
        QHash<QString, const TaskRow *> byId;
        for (const TaskRow &row : *rows)
            byId.insert(row.id, &row);
        for (const QString &id : ids)
            notifyTaskChange(id, byId.value(id));
    }
    m_changedTasks.clear();
    m_reading = false;
}

void AgentNotifier::notifyTaskChange(const QString &taskId, const TaskRow *task)
{
    const QString previous = m_holder.value(taskId);
    const QString current = task ? task->assignedTo : QString();
    if (!previous.isEmpty() && previous != current) {
        const QString reason = !task               ? QStringLiteral("deleted")
                               : current.isEmpty() ? QStringLiteral("unassigned")
                                                   : QStringLiteral("reassigned");
        m_send(previous, jsonrpc::notification(QStringLiteral("task.unassigned"),
                                               QJsonObject{{QStringLiteral("taskId"), taskId},
                                                           {QStringLiteral("reason"), reason}}));
    }
    if (!task) {
        setHolder(taskId, {});
        return;
    }
    if (m_connected.contains(current)) {
        const bool newlyHeld = previous != current && isOpen(*task);
        m_send(current,
               taskNotification(newlyHeld ? QStringLiteral("task.assigned") : QStringLiteral("task.updated"),
                                *task));
    }
    hold(*task);
}

QCoro::Task<> AgentNotifier::deliver(QString messageId)
{
    // A detached coroutine: the notifier may be gone when a query comes back.
    const QPointer<AgentNotifier> self(this);
    // Whom is it for? Only a connected agent's message is claimed now; the rest wait for
    // their agent's next connection.
    if (m_connected.isEmpty())
        co_return;
    const Result<MessageRow> row = co_await m_messageRows.get(messageId);
    if (!self)
        co_return; // the hub stopped meanwhile
    if (!row) {
        if (row.error().kind != Error::Kind::NotFound)
            qCWarning(lcNotify).noquote()
                << "cannot read message" << messageId << ":" << row.error().toString();
        co_return;
    }
    if (row->receiverType != ReceiverType::Agent || !m_connected.contains(row->receiverId))
        co_return;
    const QString agentId = row->receiverId;
    const Result<std::optional<MessageRow>> claimed = co_await m_messages.claim(messageId, agentId);
    if (!self)
        co_return; // the hub stopped meanwhile
    if (!claimed) {
        qCWarning(lcNotify).noquote()
            << "cannot mark message" << messageId << "delivered:" << claimed.error().toString();
        co_return;
    }
    if (*claimed && !m_send(agentId, jsonrpc::notification(QStringLiteral("message.received"),
                                                           QJsonObject{{QStringLiteral("message"),
                                                                        MessageMethods::toJson(**claimed)}})))
        qCInfo(lcNotify).noquote() << "message" << messageId << "was claimed for" << agentId
                                   << "who left meanwhile; it is in message.list";
}

} // namespace ccpm::hub
