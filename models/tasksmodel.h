#pragma once

#include "rows.h"
#include "rowtablemodel.h"

namespace ccpm {

/// Tasks: title, status, priority, assignee and creator by name (ids in the edit role), progress, times.
class TasksModel : public RowTableModel<TaskRow> {
    Q_OBJECT
public:
    TasksModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent = nullptr);

protected:
    QCoro::Task<Result<QList<TaskRow>>> fetchAll() const override;
    QCoro::Task<Result<TaskRow>> fetchOne(const QString &id) const override;
};

} // namespace ccpm
