#include "hub/taskmethods.h"

#include "sqlvalues.h"

#include <QJsonArray>

namespace ccpm::hub {

namespace {

QByteArray failure(const QJsonValue &id, const Error &error)
{
    switch (error.kind) {
    case Error::Kind::NotFound:
        return jsonrpc::error(id, jsonrpc::NotFound, error.message);
    case Error::Kind::Conflict:
        return jsonrpc::error(id, jsonrpc::InvalidTransition, error.message,
                              QJsonObject{{QStringLiteral("status"), error.detail}});
    default:
        return jsonrpc::databaseError(id, error);
    }
}

} // namespace

TaskMethods::TaskMethods(DbExecutor &executor, ChangeFeed &feed)
    : m_lifecycle(executor)
    , m_feed(&feed)
{
    m_lifecycle.setProgressWritten([this](const QList<TaskRow> &rows) {
        QStringList ids;
        ids.reserve(rows.size());
        for (const TaskRow &row : rows) {
            ids << row.id;
            if (m_onChanged)
                m_onChanged(row);
        }
        m_feed->publishRows(QStringLiteral("tasks"), ids, ChangeFeed::Op::Update, QStringLiteral("hub"));
    });
}

bool TaskMethods::handles(Call::Method method)
{
    using M = Call::Method;
    return method == M::TaskList || method == M::TaskAccept || method == M::TaskProgress ||
           method == M::TaskComplete || method == M::TaskFail || method == M::TaskRelease;
}

QJsonObject TaskMethods::toJson(const TaskRow &task)
{
    return QJsonObject{{QStringLiteral("id"), task.id},
                       {QStringLiteral("title"), task.title},
                       {QStringLiteral("description"), task.description},
                       {QStringLiteral("status"), toDb(task.status)},
                       {QStringLiteral("priority"), toDb(task.priority)},
                       {QStringLiteral("progress"), task.progress},
                       {QStringLiteral("createdBy"), task.createdByName},
                       {QStringLiteral("metadata"), task.metadata},
                       {QStringLiteral("createdAt"), sql::isoUtcText(task.createdAt)},
                       {QStringLiteral("updatedAt"), sql::isoUtcText(task.updatedAt)},
                       {QStringLiteral("completedAt"), task.completedAt.isValid()
                                                           ? QJsonValue(sql::isoUtcText(task.completedAt))
                                                           : QJsonValue(QJsonValue::Null)}};
}

QCoro::Task<QByteArray> TaskMethods::list(QString agentId, Call call)
{
    const std::optional<TaskStatus> status = call.taskStatus;
    const Result<QList<TaskRow>> tasks = co_await m_lifecycle.listFor(agentId, status);
    if (!tasks)
        co_return failure(call.request.id, tasks.error());
    QJsonArray out;
    for (const TaskRow &task : *tasks)
        out.append(toJson(task));
    co_return jsonrpc::result(call.request.id, QJsonObject{{QStringLiteral("tasks"), out}});
}

QCoro::Task<QByteArray> TaskMethods::call(QString agentId, Call call)
{
    using M = Call::Method;
    if (call.method == M::TaskList)
        co_return co_await list(agentId, call);
    const QString id = call.taskId;
    Result<TaskRow> row = Error{Error::Kind::Invalid, {}, {}, {}};
    if (call.method == M::TaskAccept) {
        row = co_await m_lifecycle.accept(agentId, id);
    } else if (call.method == M::TaskProgress) {
        // Named, not temporaries: GCC 12 may destroy a temporary of a co_await expression twice.
        const QString noteText = call.text;
        row = co_await m_lifecycle.progress(agentId, id, call.progress, noteText);
    } else if (call.method == M::TaskComplete) {
        const QJsonValue result = call.result;
        row = co_await m_lifecycle.complete(agentId, id, result);
    } else if (call.method == M::TaskFail) {
        const QString reasonText = call.text;
        row = co_await m_lifecycle.fail(agentId, id, reasonText);
    } else {
        row = co_await m_lifecycle.release(agentId, id);
    }
    if (!row)
        co_return failure(call.request.id, row.error());
    if (call.method != M::TaskProgress) { // progress: announced per batch (constructor)
        m_feed->publish(QStringLiteral("tasks"), row->id, ChangeFeed::Op::Update, QStringLiteral("hub"));
        if (m_onChanged)
            m_onChanged(*row);
    }
    co_return jsonrpc::result(call.request.id, QJsonObject{{QStringLiteral("task"), toJson(*row)}});
}

} // namespace ccpm::hub
