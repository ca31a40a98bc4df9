#include "tasksmodel.h"

#include "displayformat.h"
#include "taskrepository.h"

namespace ccpm {

namespace {
// A foreign key shows the related name; the edit and raw roles keep the id.
QVariant reference(const QString &name, const QString &id, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return name;
    case Qt::ToolTipRole:
    case Qt::EditRole:
    case EntityTableModel::RawValueRole:
        return id.isNull() ? QVariant() : QVariant(id);
    default:
        return {};
    }
}
} // namespace

TasksModel::TasksModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent)
    : RowTableModel(executor, feed, QStringLiteral("tasks"), parent)
{
    setColumns({
        {tr("Title"),
         [](const TaskRow &r, int role) -> QVariant {
             if (role == Qt::ToolTipRole)
                 return r.description;
             return role == Qt::DisplayRole || role == Qt::EditRole || role == RawValueRole
                        ? QVariant(r.title)
                        : QVariant();
         }},
        {tr("Status"),
         [](const TaskRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return display::label(r.status);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(toDb(r.status)) : QVariant();
         }},
        {tr("Priority"),
         [](const TaskRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return display::label(r.priority);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(toDb(r.priority)) : QVariant();
         }},
        {tr("Assignee"),
         [](const TaskRow &r, int role) { return reference(r.assignedToName, r.assignedTo, role); }},
        {tr("Created by"),
         [](const TaskRow &r, int role) { return reference(r.createdByName, r.createdBy, role); }},
        {tr("Progress"),
         [](const TaskRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return QStringLiteral("%1 %").arg(r.progress);
             if (role == Qt::TextAlignmentRole)
                 return int(Qt::AlignRight | Qt::AlignVCenter);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(r.progress) : QVariant();
         }},
        {tr("Created"), [](const TaskRow &r, int role) { return display::timestampRole(r.createdAt, role); }},
        {tr("Completed"),
         [](const TaskRow &r, int role) { return display::timestampRole(r.completedAt, role); }},
    });
}

QCoro::Task<Result<QList<TaskRow>>> TasksModel::fetchAll() const
{
    return TaskRepository(executor()).list();
}

QCoro::Task<Result<TaskRow>> TasksModel::fetchOne(const QString &id) const
{
    return TaskRepository(executor()).get(id);
}

} // namespace ccpm
