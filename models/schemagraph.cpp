#include "schemagraph.h"

#include <QHash>
#include <QSet>

namespace ccpm {

namespace {

bool isDiagramTable(const CatalogTable &table)
{
    return table.kind == QLatin1Char('r') || table.kind == QLatin1Char('p') || table.kind == QLatin1Char('f');
}

QString key(const QString &schema, const QString &name)
{
    return schema + QChar(0) + name;
}

// The enum a column holds (or holds an array of): its pg_type name, without the array's `_`.
QString enumTypeName(const CatalogColumn &column)
{
    if (column.typeKind == QLatin1Char('e'))
        return column.typeName;
    if (column.elementKind == QLatin1Char('e') && column.typeName.startsWith(QLatin1Char('_')))
        return column.typeName.mid(1);
    return {};
}

SchemaGraph::Node tableNode(const CatalogTable &table, bool external, const QStringList &onlyColumns = {})
{
    SchemaGraph::Node node;
    node.schema = table.schema;
    node.name = table.name;
    node.external = external;
    QSet<QString> foreign;
    for (const CatalogForeignKey &fk : table.foreignKeys) {
        for (const QString &column : fk.fromColumns)
            foreign.insert(column);
    }
    QSet<QString> unique;
    for (const CatalogUniqueKey &key : table.uniqueKeys) {
        if (key.columns.size() == 1)
            unique.insert(key.columns.first());
    }
    for (const CatalogColumn &column : table.columns) {
        if (!onlyColumns.isEmpty() && !onlyColumns.contains(column.name))
            continue;
        SchemaGraph::Column row;
        row.name = column.name;
        row.type = column.type;
        row.primaryKey = table.primaryKey.contains(column.name);
        row.foreignKey = foreign.contains(column.name);
        row.unique = unique.contains(column.name) && !(table.primaryKey == QStringList{column.name});
        row.notNull = !column.nullable;
        node.columns << row;
    }
    return node;
}

int columnIndex(const SchemaGraph::Node &node, const QString &name)
{
    for (int i = 0; i < node.columns.size(); ++i) {
        if (node.columns.at(i).name == name)
            return i;
    }
    return -1;
}

} // namespace

QString SchemaGraph::Node::title() const
{
    return external ? schema + QLatin1Char('.') + name : name;
}

int SchemaGraph::nodeIndex(const QString &nodeSchema, const QString &name) const
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).schema == nodeSchema && nodes.at(i).name == name)
            return i;
    }
    return -1;
}

SchemaGraph SchemaGraph::build(const SchemaCatalog &catalog, const QString &schema)
{
    SchemaGraph graph;
    graph.schema = schema;
    QHash<QString, int> index; // key(schema, name) → node
    QList<const CatalogTable *> tables;
    for (const CatalogTable &table : catalog.tables) {
        if (table.schema == schema && isDiagramTable(table)) {
            index.insert(key(table.schema, table.name), int(graph.nodes.size()));
            graph.nodes << tableNode(table, false);
            tables << &table;
        }
    }

    // Tables of other schemas that a foreign key points to: only the referenced columns.
    QHash<QString, QStringList> externalColumns;
    QStringList externalOrder;
    for (const CatalogTable *table : std::as_const(tables)) {
        for (const CatalogForeignKey &fk : table->foreignKeys) {
            if (fk.toSchema == schema)
                continue;
            const QString k = key(fk.toSchema, fk.toTable);
            if (!externalColumns.contains(k))
                externalOrder << k;
            QStringList &columns = externalColumns[k];
            for (const QString &column : fk.toColumns) {
                if (!columns.contains(column))
                    columns << column;
            }
        }
    }
    std::sort(externalOrder.begin(), externalOrder.end());
    for (const QString &k : std::as_const(externalOrder)) {
        const QStringList parts = k.split(QChar(0));
        if (const CatalogTable *target = catalog.find(parts.at(0), parts.at(1))) {
            index.insert(k, int(graph.nodes.size()));
            graph.nodes << tableNode(*target, true, externalColumns.value(k));
        }
    }

    QHash<QString, int> enumIndex; // enum name in this schema → node
    for (const CatalogEnum &type : catalog.enums) {
        if (type.schema != schema)
            continue;
        Node node;
        node.kind = NodeKind::Enum;
        node.schema = type.schema;
        node.name = type.name;
        node.enumValues = type.values;
        enumIndex.insert(type.name, int(graph.nodes.size()));
        graph.nodes << node;
    }

    for (int t = 0; t < tables.size(); ++t) {
        const CatalogTable &table = *tables.at(t);
        for (int c = 0; c < table.columns.size(); ++c) {
            const QString typeName = enumTypeName(table.columns.at(c));
            if (!typeName.isEmpty())
                graph.nodes[t].columns[c].enumNode = enumIndex.value(typeName, -1);
        }
        for (const CatalogForeignKey &fk : table.foreignKeys) {
            Edge edge;
            edge.name = fk.name;
            edge.fromNode = t;
            edge.toNode = index.value(key(fk.toSchema, fk.toTable), -1);
            if (edge.toNode < 0)
                continue; // a table the catalog does not list (not a user table)
            for (int i = 0; i < fk.fromColumns.size() && i < fk.toColumns.size(); ++i) {
                edge.fromColumns << columnIndex(graph.nodes.at(t), fk.fromColumns.at(i));
                edge.toColumns << columnIndex(graph.nodes.at(edge.toNode), fk.toColumns.at(i));
            }
            if (!edge.fromColumns.contains(-1) && !edge.toColumns.contains(-1))
                graph.edges << edge;
        }
    }
    return graph;
}

} // namespace ccpm
