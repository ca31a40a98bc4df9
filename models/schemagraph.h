#pragma once

#include "catalog.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ccpm {

/// The schema diagram as a plain graph, made from a SchemaCatalog (Catalog::load) for one schema:
/// a node per table (with its columns and their markers), a node per enum type (with its values),
/// and an edge per foreign key, from the referencing columns to the referenced ones. A foreign
/// key that points into another schema brings that table in as an `external` node holding only
/// the referenced columns. Views and materialized views are left out (they have no keys).
/// Pure value type, no Qt widgets: built on any thread, laid out by SchemaLayout.
struct SchemaGraph {
    struct Column {
        QString name;
        QString type; ///< format_type(): `text`, `timestamp(3) without time zone`, `"Role"`
        bool primaryKey = false;
        bool foreignKey = false;
        bool unique = false; ///< a one-column unique key (a composite one marks no column)
        bool notNull = false;
        int enumNode = -1; ///< index in nodes of the enum type of this column (or its arrays), or -1
    };

    enum class NodeKind { Table, Enum };

    struct Node {
        NodeKind kind = NodeKind::Table;
        QString schema;
        QString name;
        bool external = false;  ///< a table of another schema that a foreign key points to
        QList<Column> columns;  ///< a table's columns in attnum order (empty for an enum)
        QStringList enumValues; ///< an enum's labels in sort order (empty for a table)

        /// `name`, or `schema.name` for an external table (for titles, never for SQL).
        QString title() const;
        /// Rows under the title: columns or enum values.
        int rowCount() const { return int(kind == NodeKind::Enum ? enumValues.size() : columns.size()); }
    };

    /// A foreign key: fromColumns[i] refers to toColumns[i] (indexes into the nodes' columns).
    struct Edge {
        QString name; ///< the constraint's name
        int fromNode = -1;
        int toNode = -1;
        QList<int> fromColumns;
        QList<int> toColumns;
    };

    QString schema;
    QList<Node> nodes; ///< the schema's tables by name, then external tables, then enums by name
    QList<Edge> edges; ///< by referencing table, then constraint name

    /// The diagram of `schema` in `catalog`; empty (no nodes) when the schema has no table or enum.
    static SchemaGraph build(const SchemaCatalog &catalog, const QString &schema);
    /// Index of a node by schema and name (tables and enums share the lookup), or -1.
    int nodeIndex(const QString &nodeSchema, const QString &name) const;
};

} // namespace ccpm
