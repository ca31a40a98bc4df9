#include "catalogtreemodel.h"

#include <QColor>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace ccpm {

namespace {

constexpr quintptr kSchemaItem = 0;

bool isTableLike(QChar kind)
{
    return kind == QLatin1Char('r') || kind == QLatin1Char('p');
}

// A grid: a filled header band over two rows of cells, in `color`, in the square [0, 16].
void paintGrid(QPainter &p, const QRectF &r, const QColor &color)
{
    p.setPen(QPen(color, 1.1));
    p.setBrush(Qt::white);
    p.drawRoundedRect(r, 1.5, 1.5);
    const qreal header = r.height() * 0.3;
    p.fillRect(QRectF(r.left(), r.top(), r.width(), header), color);
    p.drawLine(QPointF(r.left(), r.top() + header + (r.height() - header) / 2),
               QPointF(r.right(), r.top() + header + (r.height() - header) / 2));
    p.drawLine(QPointF(r.center().x(), r.top() + header), QPointF(r.center().x(), r.bottom()));
}

void paintKind(QPainter &p, QChar kind)
{
    const QColor blue(0x3b, 0x6e, 0xb4), green(0x2e, 0x8b, 0x57), purple(0x7b, 0x4f, 0xb0),
        orange(0xc7, 0x6b, 0x12), grey(0x8a, 0x8f, 0x98);
    switch (kind.unicode()) {
    case 'p': // partitioned: a stack of tables
        paintGrid(p, QRectF(4.5, 1.5, 10, 8), blue.lighter(140));
        paintGrid(p, QRectF(1.5, 5.5, 11, 9), blue);
        break;
    case 'v': { // view: an eye
        QPainterPath eye;
        eye.moveTo(1, 8);
        eye.quadTo(8, 0.5, 15, 8);
        eye.quadTo(8, 15.5, 1, 8);
        p.setPen(QPen(green, 1.3));
        p.setBrush(Qt::white);
        p.drawPath(eye);
        p.setBrush(green);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QPointF(8, 8), 2.6, 2.6);
        break;
    }
    case 'm': // materialized view: a grid with an eye-green header and a stored (solid) corner
        paintGrid(p, QRectF(1.5, 2.5, 13, 11), purple);
        p.setBrush(purple);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QPointF(12.5, 12.5), 2.5, 2.5);
        break;
    case 'f': // foreign: a globe
        p.setPen(QPen(orange, 1.2));
        p.setBrush(Qt::white);
        p.drawEllipse(QPointF(8, 8), 6.5, 6.5);
        p.drawEllipse(QPointF(8, 8), 2.8, 6.5);
        p.drawLine(QPointF(1.5, 8), QPointF(14.5, 8));
        break;
    case 's': { // a schema: a folder
        QPainterPath folder;
        folder.moveTo(1.5, 3);
        folder.lineTo(6, 3);
        folder.lineTo(7.5, 4.5);
        folder.lineTo(14.5, 4.5);
        folder.lineTo(14.5, 13.5);
        folder.lineTo(1.5, 13.5);
        folder.closeSubpath();
        p.setPen(QPen(grey.darker(130), 1));
        p.setBrush(QColor(0xe8, 0xc5, 0x6a));
        p.drawPath(folder);
        break;
    }
    default: // 'r': a table
        paintGrid(p, QRectF(1.5, 2.5, 13, 11), blue);
        break;
    }
}

QPixmap iconPixmap(QChar kind, bool badge, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 16.0, size / 16.0);
    paintKind(p, kind);
    if (badge) { // no primary key: an amber disc with "!" at the bottom right
        p.setPen(QPen(Qt::white, 1));
        p.setBrush(QColor(0xe0, 0x8a, 0x00));
        p.drawEllipse(QPointF(12, 12), 3.8, 3.8);
        p.setPen(QPen(Qt::white, 1.4));
        p.drawLine(QPointF(12, 9.8), QPointF(12, 12.6));
        p.drawPoint(QPointF(12, 14.2));
    }
    return pixmap;
}

} // namespace

CatalogTreeModel::CatalogTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

QString CatalogTreeModel::key(const QString &schema, const QString &name)
{
    return schema + QChar(0x1f) + name;
}

void CatalogTreeModel::setCatalog(const SchemaCatalog &catalog)
{
    beginResetModel();
    m_catalog = catalog;
    m_counts.clear(); // a new catalog: counts of the old one may be stale
    rebuild();
    endResetModel();
}

void CatalogTreeModel::setFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filter)
        return;
    beginResetModel();
    m_filter = trimmed;
    rebuild();
    endResetModel();
}

void CatalogTreeModel::rebuild()
{
    m_nodes.clear();
    QHash<QString, int> nodeOf; // the catalog lists tables by schema; this keeps any order grouped
    for (int i = 0; i < m_catalog.tables.size(); ++i) {
        const CatalogTable &table = m_catalog.tables.at(i);
        if (!m_filter.isEmpty() &&
            !QString(table.schema + QLatin1Char('.') + table.name).contains(m_filter, Qt::CaseInsensitive))
            continue;
        auto node = nodeOf.find(table.schema);
        if (node == nodeOf.end()) {
            node = nodeOf.insert(table.schema, int(m_nodes.size()));
            m_nodes.append({table.schema, {}});
        }
        m_nodes[*node].tables.append(i);
    }
}

int CatalogTreeModel::visibleTableCount() const
{
    int n = 0;
    for (const SchemaNode &node : m_nodes)
        n += int(node.tables.size());
    return n;
}

QModelIndex CatalogTreeModel::firstTable() const
{
    return m_nodes.isEmpty() ? QModelIndex() : index(0, NameColumn, index(0, NameColumn));
}

QModelIndex CatalogTreeModel::tableIndex(const QString &schema, const QString &name, int column) const
{
    for (int s = 0; s < m_nodes.size(); ++s) {
        if (m_nodes.at(s).name != schema)
            continue;
        const QList<int> &tables = m_nodes.at(s).tables;
        for (int t = 0; t < tables.size(); ++t) {
            if (m_catalog.tables.at(tables.at(t)).name == name)
                return createIndex(t, column, quintptr(s + 1));
        }
    }
    return {};
}

const CatalogTable *CatalogTreeModel::tableAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == kSchemaItem)
        return nullptr;
    const SchemaNode &node = m_nodes.at(int(index.internalId() - 1));
    return &m_catalog.tables.at(node.tables.at(index.row()));
}

void CatalogTreeModel::setCounting(const QString &schema, const QString &name, bool counting)
{
    CountState &state = m_counts[key(schema, name)];
    state.counting = counting;
    if (counting)
        state.error.clear();
    countChanged(schema, name);
}

void CatalogTreeModel::setExactCount(const QString &schema, const QString &name, qint64 rows)
{
    CountState &state = m_counts[key(schema, name)];
    state.counting = false;
    state.exact = rows;
    state.error.clear();
    countChanged(schema, name);
}

void CatalogTreeModel::setCountError(const QString &schema, const QString &name, const QString &message)
{
    CountState &state = m_counts[key(schema, name)];
    state.counting = false;
    state.error = message;
    countChanged(schema, name);
}

void CatalogTreeModel::countChanged(const QString &schema, const QString &name)
{
    const QModelIndex first = tableIndex(schema, name, NameColumn);
    if (first.isValid())
        emit dataChanged(first, tableIndex(schema, name, RowsColumn));
}

QString CatalogTreeModel::estimateText(qint64 rows)
{
    if (rows < 0)
        return QStringLiteral("?");
    const QLocale locale;
    auto scaled = [&locale](double value, const QString &unit) {
        return QStringLiteral("~%1 %2").arg(locale.toString(value, 'f', value < 100 ? 1 : 0), unit);
    };
    if (rows < 1000)
        return QStringLiteral("~%1").arg(rows);
    if (rows < 1000000)
        return scaled(double(rows) / 1e3, QStringLiteral("k"));
    if (rows < 1000000000)
        return scaled(double(rows) / 1e6, QStringLiteral("M"));
    return scaled(double(rows) / 1e9, QStringLiteral("G"));
}

QString CatalogTreeModel::kindName(QChar kind)
{
    switch (kind.unicode()) {
    case 'p':
        return tr("partitioned table");
    case 'v':
        return tr("view");
    case 'm':
        return tr("materialized view");
    case 'f':
        return tr("foreign table");
    default:
        return tr("table");
    }
}

QIcon CatalogTreeModel::kindIcon(QChar kind, bool noPrimaryKey)
{
    static QHash<QString, QIcon> cache;
    const QString id = QString(kind) + (noPrimaryKey ? QStringLiteral("!") : QString());
    auto it = cache.find(id);
    if (it == cache.end()) {
        QIcon icon;
        icon.addPixmap(iconPixmap(kind, noPrimaryKey, 16));
        icon.addPixmap(iconPixmap(kind, noPrimaryKey, 32));
        it = cache.insert(id, icon);
    }
    return *it;
}

QModelIndex CatalogTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_nodes.size() ? createIndex(row, column, kSchemaItem) : QModelIndex();
    if (parent.internalId() != kSchemaItem || parent.column() != NameColumn || parent.row() >= m_nodes.size())
        return {};
    if (row >= m_nodes.at(parent.row()).tables.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex CatalogTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kSchemaItem)
        return {};
    return createIndex(int(child.internalId() - 1), NameColumn, kSchemaItem);
}

int CatalogTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_nodes.size());
    if (parent.internalId() == kSchemaItem && parent.column() == NameColumn)
        return int(m_nodes.at(parent.row()).tables.size());
    return 0;
}

int CatalogTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::ItemFlags CatalogTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kSchemaItem)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant CatalogTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Table") : tr("Rows");
}

QVariant CatalogTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (index.internalId() == kSchemaItem)
        return schemaData(m_nodes.at(index.row()), index.column(), role);
    return tableData(*tableAt(index), index.column(), role);
}

QVariant CatalogTreeModel::schemaData(const SchemaNode &node, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return column == NameColumn ? QVariant(node.name) : QVariant();
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(kindIcon(QLatin1Char('s'))) : QVariant();
    case Qt::ToolTipRole:
        return tr("Schema %1: %n table(s) listed", nullptr, int(node.tables.size())).arg(node.name);
    case SchemaRole:
        return node.name;
    default:
        return {};
    }
}

QVariant CatalogTreeModel::tableData(const CatalogTable &table, int column, int role) const
{
    const bool noKey = isTableLike(table.kind) && table.primaryKey.isEmpty();
    const CountState count = m_counts.value(key(table.schema, table.name));
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return table.name;
        if (count.counting)
            return tr("counting…");
        if (count.exact >= 0)
            return locale.toString(count.exact);
        if (table.kind == QLatin1Char('v'))
            return QString(); // a view has no estimate: its rows are computed when read
        return estimateText(table.estimatedRows);
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(kindIcon(table.kind, noKey)) : QVariant();
    case Qt::TextAlignmentRole:
        return column == RowsColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
        // An estimate is grey, an exact count in the normal colour
        if (column == RowsColumn && count.exact < 0)
            return QColor(0x80, 0x80, 0x80);
        return {};
    case Qt::ToolTipRole: {
        QStringList lines;
        lines << tr("%1.%2 (%3)").arg(table.schema, table.name, kindName(table.kind));
        if (!count.error.isEmpty())
            lines << tr("Counting failed: %1").arg(count.error);
        if (count.exact >= 0)
            lines << tr("%1 rows, counted exactly").arg(locale.toString(count.exact));
        else if (table.estimatedRows >= 0 && table.kind != QLatin1Char('v'))
            lines << tr("About %1 rows: PostgreSQL's estimate. Right-click to count them exactly.")
                         .arg(locale.toString(table.estimatedRows));
        else
            lines << tr("No estimate (never analysed, or a view). Right-click to count the rows exactly.");
        if (noKey)
            lines << tr("No primary key: this table opens read-only.");
        if (!table.comment.isEmpty())
            lines << table.comment;
        return lines.join(QLatin1Char('\n'));
    }
    case SchemaRole:
        return table.schema;
    case TableRole:
        return table.name;
    case KindRole:
        return table.kind;
    case EstimatedRowsRole:
        return table.estimatedRows;
    case ExactRowsRole:
        return count.exact >= 0 ? QVariant(count.exact) : QVariant();
    case HasPrimaryKeyRole:
        return !table.primaryKey.isEmpty();
    case CountingRole:
        return count.counting;
    default:
        return {};
    }
}

} // namespace ccpm
