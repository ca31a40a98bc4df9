#include "agentsmodel.h"

#include "agentrepository.h"
#include "displayformat.h"

#include <QColor>

namespace ccpm {

AgentsModel::AgentsModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent)
    : RowTableModel(executor, feed, QStringLiteral("agents"), parent)
{
    setColumns({
        {tr("Name"),
         [](const AgentRow &r, int role) -> QVariant {
             return role == Qt::DisplayRole || role == Qt::EditRole || role == RawValueRole ? QVariant(r.name)
                                                                                            : QVariant();
         }},
        {tr("Type"),
         [](const AgentRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return display::label(r.type);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(toDb(r.type)) : QVariant();
         }},
        {tr("Status"),
         [](const AgentRow &r, int role) -> QVariant {
             switch (role) {
             case Qt::DisplayRole:
                 return display::label(r.status);
             case Qt::EditRole:
             case RawValueRole:
                 return toDb(r.status);
             case Qt::ForegroundRole:
                 return r.status == AgentStatus::Active ? QColor(0x1b, 0x7f, 0x3b)
                        : r.status == AgentStatus::Busy ? QColor(0xb3, 0x6b, 0x00)
                                                        : QColor(0x80, 0x80, 0x80);
             default:
                 return {};
             }
         }},
        {tr("Capabilities"),
         [](const AgentRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
                 return display::list(r.capabilities);
             if (role == Qt::EditRole || role == RawValueRole)
                 return r.capabilities ? QVariant(*r.capabilities) : QVariant();
             return {};
         }},
        {tr("Last seen"),
         [](const AgentRow &r, int role) { return display::timestampRole(r.lastSeenAt, role); }},
        {tr("Updated"),
         [](const AgentRow &r, int role) { return display::timestampRole(r.updatedAt, role); }},
    });
}

QCoro::Task<Result<QList<AgentRow>>> AgentsModel::fetchAll() const
{
    return AgentRepository(executor()).list();
}

QCoro::Task<Result<AgentRow>> AgentsModel::fetchOne(const QString &id) const
{
    return AgentRepository(executor()).get(id);
}

} // namespace ccpm
