#pragma once

#include "rows.h"
#include "rowtablemodel.h"

namespace ccpm {

/// Agents, one row each: name, type, status, capabilities, last seen, updated.
/// Status changes reported through the hub arrive via the change feed and repaint one row.
class AgentsModel : public RowTableModel<AgentRow> {
    Q_OBJECT
public:
    enum Column { Name, Type, Status, Capabilities, LastSeen, Updated };
    AgentsModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent = nullptr);

protected:
    QCoro::Task<Result<QList<AgentRow>>> fetchAll() const override;
    QCoro::Task<Result<AgentRow>> fetchOne(const QString &id) const override;
};

} // namespace ccpm
