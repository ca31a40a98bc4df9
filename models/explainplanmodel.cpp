#include "explainplanmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <functional>

namespace ccpm {

struct ExplainPlanModel::PlanNode {
    PlanNode *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<PlanNode>> children;
    QString label;
    QString relation;
    double startupCost = 0;
    double totalCost = 0;
    qint64 planRows = 0;
    bool analyzed = false;
    bool neverExecuted = false;
    double actualRows = 0;
    double actualTotalMs = 0;
    double loops = 0;
    double selfMs = 0;
    QJsonObject details;
};

namespace {

QString nodeLabel(const QJsonObject &plan)
{
    QString label = plan.value(QStringLiteral("Node Type")).toString();
    const QString strategy = plan.value(QStringLiteral("Strategy")).toString();
    if (label == QLatin1String("Aggregate") && !strategy.isEmpty() && strategy != QLatin1String("Plain"))
        label = strategy + QLatin1Char(' ') + label; // HashAggregate reads as "Hashed Aggregate"
    const QString join = plan.value(QStringLiteral("Join Type")).toString();
    if (!join.isEmpty() && join != QLatin1String("Inner"))
        label += QLatin1Char(' ') + join + QStringLiteral(" Join");
    const QString index = plan.value(QStringLiteral("Index Name")).toString();
    if (!index.isEmpty())
        label += QStringLiteral(" using ") + index;
    const QString cte = plan.value(QStringLiteral("CTE Name")).toString();
    if (!cte.isEmpty())
        label += QStringLiteral(" on ") + cte;
    const QString parentRelationship = plan.value(QStringLiteral("Subplan Name")).toString();
    if (!parentRelationship.isEmpty())
        label = parentRelationship + QStringLiteral(": ") + label;
    return label;
}

} // namespace

ExplainPlanModel::ExplainPlanModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<PlanNode>())
{
}

ExplainPlanModel::~ExplainPlanModel() = default;

Status ExplainPlanModel::setPlan(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    QJsonArray plans = document.array();
    if (document.isObject())
        plans.append(document.object());
    if (plans.isEmpty() || !plans.first().toObject().value(QStringLiteral("Plan")).isObject())
        return Error{Error::Kind::Invalid,
                     tr("The server's answer is not a plan in JSON."),
                     parseError.error == QJsonParseError::NoError ? QString() : parseError.errorString(),
                     {}};

    auto root = std::make_unique<PlanNode>();
    bool analyzed = false;
    // Builds a node under `parent`, then its children.
    std::function<void(const QJsonObject &, PlanNode *)> build = [&](const QJsonObject &plan,
                                                                     PlanNode *parent) {
        auto node = std::make_unique<PlanNode>();
        node->parent = parent;
        node->row = int(parent->children.size());
        node->label = nodeLabel(plan);
        const QString relation = plan.value(QStringLiteral("Relation Name")).toString();
        if (!relation.isEmpty()) {
            const QString schema = plan.value(QStringLiteral("Schema")).toString();
            const QString alias = plan.value(QStringLiteral("Alias")).toString();
            node->relation = schema.isEmpty() ? relation : schema + QLatin1Char('.') + relation;
            if (!alias.isEmpty() && alias != relation)
                node->relation += QLatin1Char(' ') + alias;
        } else if (plan.contains(QStringLiteral("Function Name"))) {
            node->relation = plan.value(QStringLiteral("Function Name")).toString() + QStringLiteral("()");
        }
        node->startupCost = plan.value(QStringLiteral("Startup Cost")).toDouble();
        node->totalCost = plan.value(QStringLiteral("Total Cost")).toDouble();
        node->planRows = plan.value(QStringLiteral("Plan Rows")).toInteger();
        node->analyzed = plan.contains(QStringLiteral("Actual Loops"));
        analyzed = analyzed || node->analyzed;
        node->loops = plan.value(QStringLiteral("Actual Loops")).toDouble();
        node->neverExecuted = node->analyzed && node->loops == 0;
        node->actualRows = plan.value(QStringLiteral("Actual Rows")).toDouble();
        node->actualTotalMs = plan.value(QStringLiteral("Actual Total Time")).toDouble();
        QJsonObject details = plan;
        details.remove(QStringLiteral("Plans"));
        node->details = details;
        PlanNode *raw = node.get();
        parent->children.push_back(std::move(node));
        double childrenMs = 0;
        for (const QJsonValue &child : plan.value(QStringLiteral("Plans")).toArray()) {
            build(child.toObject(), raw);
            const PlanNode &built = *raw->children.back();
            // An InitPlan or SubPlan's time is inside its parent's too; a CTE scan's source as well.
            childrenMs += built.actualTotalMs * built.loops;
        }
        raw->selfMs = qMax(0.0, raw->actualTotalMs * raw->loops - childrenMs);
    };
    double planningMs = -1;
    double executionMs = -1;
    for (const QJsonValue &value : plans) {
        const QJsonObject object = value.toObject();
        if (!object.value(QStringLiteral("Plan")).isObject())
            continue;
        build(object.value(QStringLiteral("Plan")).toObject(), root.get());
        planningMs = object.value(QStringLiteral("Planning Time")).toDouble(planningMs);
        executionMs = object.value(QStringLiteral("Execution Time")).toDouble(executionMs);
    }

    // The most expensive node: most self time when analyzed, else the highest cost of its own
    // (its total cost less its children's, since a parent's cost includes theirs).
    auto weight = [analyzed](const PlanNode *node) {
        if (analyzed)
            return node->selfMs;
        double own = node->totalCost;
        for (const auto &child : node->children)
            own -= child->totalCost;
        return own;
    };
    PlanNode *expensive = nullptr;
    std::function<void(PlanNode *)> pick = [&](PlanNode *node) {
        for (const auto &child : node->children) {
            if (!expensive || weight(child.get()) > weight(expensive))
                expensive = child.get();
            pick(child.get());
        }
    };
    pick(root.get());

    beginResetModel();
    m_root = std::move(root);
    m_expensive = expensive;
    m_analyzed = analyzed;
    m_planningMs = planningMs;
    m_executionMs = executionMs;
    endResetModel();
    return Done{};
}

void ExplainPlanModel::clear()
{
    beginResetModel();
    m_root = std::make_unique<PlanNode>();
    m_expensive = nullptr;
    m_analyzed = false;
    m_planningMs = -1;
    m_executionMs = -1;
    endResetModel();
}

QModelIndex ExplainPlanModel::mostExpensive() const
{
    return m_expensive ? createIndex(m_expensive->row, 0, m_expensive) : QModelIndex();
}

ExplainPlanModel::PlanNode *ExplainPlanModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<PlanNode *>(index.internalPointer()) : m_root.get();
}

QModelIndex ExplainPlanModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    PlanNode *node = nodeOf(parent);
    return createIndex(row, column, node->children.at(std::size_t(row)).get());
}

QModelIndex ExplainPlanModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    PlanNode *node = nodeOf(child)->parent;
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, 0, node);
}

int ExplainPlanModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ExplainPlanModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ExplainPlanModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const PlanNode *node = nodeOf(index);
    const bool expensive = node == m_expensive;
    const QLocale locale;
    auto ms = [&locale](double value) { return locale.toString(value, 'f', 3); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Node:
            return node->label;
        case Relation:
            return node->relation;
        case StartupCost:
            return locale.toString(node->startupCost, 'f', 2);
        case TotalCost:
            return locale.toString(node->totalCost, 'f', 2);
        case PlanRows:
            return locale.toString(node->planRows);
        case ActualRows:
            return !node->analyzed       ? QVariant()
                   : node->neverExecuted ? tr("never executed")
                                         : QVariant(locale.toString(node->actualRows, 'f', 0));
        case ActualTime:
            return node->analyzed && !node->neverExecuted ? QVariant(ms(node->actualTotalMs)) : QVariant();
        case Loops:
            return node->analyzed ? QVariant(locale.toString(node->loops, 'f', 0)) : QVariant();
        case SelfTime:
            return node->analyzed && !node->neverExecuted ? QVariant(ms(node->selfMs)) : QVariant();
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() >= StartupCost ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::BackgroundRole:
        return expensive ? QVariant(QBrush(QColor(255, 214, 153))) : QVariant();
    case Qt::FontRole:
        if (expensive) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        return QString::fromUtf8(QJsonDocument(node->details).toJson(QJsonDocument::Indented));
    case ExpensiveRole:
        return expensive;
    case DetailsRole:
        return node->details;
    default:
        return {};
    }
}

QVariant ExplainPlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Node:
        return tr("Node");
    case Relation:
        return tr("Relation");
    case StartupCost:
        return tr("Startup cost");
    case TotalCost:
        return tr("Total cost");
    case PlanRows:
        return tr("Plan rows");
    case ActualRows:
        return tr("Actual rows");
    case ActualTime:
        return tr("Time (ms)");
    case Loops:
        return tr("Loops");
    case SelfTime:
        return tr("Self time (ms)");
    default:
        return {};
    }
}

} // namespace ccpm
