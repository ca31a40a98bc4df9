#pragma once

#include "result.h"

#include <QAbstractItemModel>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace ccpm {

/// A query plan as a tree, from `EXPLAIN (FORMAT JSON[, ANALYZE])` output: one row per plan node
/// (children under their parent, as PostgreSQL nests them), with the columns below. Costs are in
/// the planner's units, times in milliseconds; with ANALYZE, times and rows are per loop as
/// PostgreSQL reports them, and Self time is the node's own time over all its loops
/// (total × loops minus its children's). The most expensive node (by self time when analyzed,
/// else by total cost) answers true to ExpensiveRole and has a highlighted background.
/// setPlan() refuses text that is not such a plan (Error::Kind::Invalid) and keeps the old one.
/// Thread: GUI (pure parsing, no SQL).
class ExplainPlanModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        Node,
        Relation,
        StartupCost,
        TotalCost,
        PlanRows,
        ActualRows,
        ActualTime,
        Loops,
        SelfTime,
        ColumnCount
    };
    static constexpr int ExpensiveRole = Qt::UserRole + 1; ///< bool
    static constexpr int DetailsRole = Qt::UserRole + 2;   ///< QJsonObject: the node's fields without "Plans"

    explicit ExplainPlanModel(QObject *parent = nullptr);
    ~ExplainPlanModel() override;

    /// Builds the tree from the JSON text EXPLAIN printed (`[{"Plan": {…}, "Planning Time": …}]`).
    Status setPlan(const QByteArray &json);
    void clear();

    bool analyzed() const { return m_analyzed; }
    double planningTimeMs() const { return m_planningMs; }   ///< -1 when not reported
    double executionTimeMs() const { return m_executionMs; } ///< -1 without ANALYZE
    /// The highlighted node, or an invalid index when there is no plan.
    QModelIndex mostExpensive() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct PlanNode;
    PlanNode *nodeOf(const QModelIndex &index) const;

    std::unique_ptr<PlanNode> m_root; ///< invisible; its children are the top-level plans
    PlanNode *m_expensive = nullptr;
    bool m_analyzed = false;
    double m_planningMs = -1;
    double m_executionMs = -1;
};

} // namespace ccpm
