#include "hub/taskmethods.h"

#include <QJsonArray>

#include <cmath>

namespace ccpm::hub {

namespace {

constexpr int kMaxTextChars = 10000; ///< a note, a reason

QString utc(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QByteArray invalid(const QJsonValue &id, const QString &what)
{
    return jsonrpc::error(id, jsonrpc::InvalidParams, QStringLiteral("Invalid params: %1").arg(what));
}

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

bool TaskMethods::handles(const QString &method)
{
    static const QStringList methods{QStringLiteral("task.list"),     QStringLiteral("task.accept"),
                                     QStringLiteral("task.progress"), QStringLiteral("task.complete"),
                                     QStringLiteral("task.fail"),     QStringLiteral("task.release")};
    return methods.contains(method);
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
                       {QStringLiteral("createdAt"), utc(task.createdAt)},
                       {QStringLiteral("updatedAt"), utc(task.updatedAt)},
                       {QStringLiteral("completedAt"), task.completedAt.isValid()
                                                           ? QJsonValue(utc(task.completedAt))
                                                           : QJsonValue(QJsonValue::Null)}};
}

QCoro::Task<QByteArray> TaskMethods::list(QString agentId, jsonrpc::Request request)
{
    const QJsonValue statusValue = request.params.toObject().value(QLatin1String("status"));
    std::optional<TaskStatus> status;
    if (!statusValue.isUndefined() && !statusValue.isNull()) {
        status = fromDb<TaskStatus>(statusValue.toString());
        if (!statusValue.isString() || !status)
            co_return invalid(request.id, QStringLiteral("\"status\" must be one of %1")
                                              .arg(enumLabels<TaskStatus>().join(QStringLiteral(", "))));
    }
    const Result<QList<TaskRow>> tasks = co_await m_lifecycle.listFor(agentId, status);
    if (!tasks)
        co_return failure(request.id, tasks.error());
    QJsonArray out;
    for (const TaskRow &task : *tasks)
        out.append(toJson(task));
    co_return jsonrpc::result(request.id, QJsonObject{{QStringLiteral("tasks"), out}});
}

QCoro::Task<QByteArray> TaskMethods::call(QString agentId, jsonrpc::Request request)
{
    if (request.method == QLatin1String("task.list"))
        co_return co_await list(agentId, request);
    if (!request.params.isObject())
        co_return invalid(request.id, QStringLiteral("params must be an object with \"taskId\""));
    const QJsonObject params = request.params.toObject();
    const QJsonValue taskId = params.value(QLatin1String("taskId"));
    if (!taskId.isString() || taskId.toString().isEmpty() || taskId.toString().size() > 64)
        co_return invalid(request.id, QStringLiteral("\"taskId\" must be a task id (a string)"));
    const QString id = taskId.toString();

    Result<TaskRow> row = Error{Error::Kind::Invalid, {}, {}, {}};
    if (request.method == QLatin1String("task.accept")) {
        row = co_await m_lifecycle.accept(agentId, id);
    } else if (request.method == QLatin1String("task.progress")) {
        const QJsonValue progress = params.value(QLatin1String("progress"));
        const QJsonValue note = params.value(QLatin1String("note"));
        if (!progress.isDouble() || progress.toDouble() != std::floor(progress.toDouble()) ||
            progress.toDouble() < 0 || progress.toDouble() > 100)
            co_return invalid(request.id,
                              QStringLiteral("\"progress\" must be a whole number from 0 to 100"));
        if (!note.isUndefined() && !note.isNull() &&
            (!note.isString() || note.toString().size() > kMaxTextChars))
            co_return invalid(
                request.id,
                QStringLiteral("\"note\" must be a string of at most %1 characters").arg(kMaxTextChars));
        // Named, not temporaries: GCC 12 may destroy a temporary of a co_await expression twice.
        const QString noteText = note.isString() ? note.toString() : QString();
        row = co_await m_lifecycle.progress(agentId, id, progress.toInt(), noteText);
    } else if (request.method == QLatin1String("task.complete")) {
        const QJsonValue result = params.value(QLatin1String("result"));
        row = co_await m_lifecycle.complete(agentId, id, result);
    } else if (request.method == QLatin1String("task.fail")) {
        const QJsonValue reason = params.value(QLatin1String("reason"));
        if (!reason.isString() || reason.toString().trimmed().isEmpty() ||
            reason.toString().size() > kMaxTextChars)
            co_return invalid(request.id,
                              QStringLiteral("\"reason\" must be a non-empty string of at most %1 characters")
                                  .arg(kMaxTextChars));
        const QString reasonText = reason.toString();
        row = co_await m_lifecycle.fail(agentId, id, reasonText);
    } else {
        row = co_await m_lifecycle.release(agentId, id);
    }
    if (!row)
        co_return failure(request.id, row.error());
    m_feed->publish(QStringLiteral("tasks"), row->id, ChangeFeed::Op::Update, QStringLiteral("hub"));
    if (m_onChanged)
        m_onChanged(*row);
    co_return jsonrpc::result(request.id, QJsonObject{{QStringLiteral("task"), toJson(*row)}});
}

} // namespace ccpm::hub
