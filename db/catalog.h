#pragma once

#include "result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace ccpm {

/// What Studio knows of one column, read from pg_catalog (pg_attribute, pg_type, pg_attrdef,
/// pg_description). Pure value type.
struct CatalogColumn {
    QString name;
    int position = 0;    ///< attnum
    QString type;        ///< format_type(atttypid, atttypmod): `numeric(12,2)`, `"TaskStatus"`, `integer[]`
    QString typeName;    ///< pg_type.typname: `numeric`, `TaskStatus`, `_int4`
    QChar typeCategory;  ///< pg_type.typcategory: N S B D U A E I T …
    QChar typeKind;      ///< pg_type.typtype: b (base), e (enum), d (domain), c (composite), r (range)
    QString elementType; ///< arrays: format_type() of the element (`integer`, `"Role"`)
    QChar elementKind;   ///< arrays: the element's typtype (`e` for an array of an enum)
    QStringList enumValues;    ///< an enum's (or an enum array's) labels, in sort order
    int dimensions = 0;        ///< attndims as declared (0 when not declared; arrays still have `A`)
    bool nullable = true;      ///< not attnotnull
    QString defaultExpression; ///< pg_get_expr(adbin): `nextval('t_id_seq'::regclass)`, `now()`
    QChar identity;            ///< attidentity: 'a' (ALWAYS), 'd' (BY DEFAULT), or null
    bool generated = false;    ///< attgenerated = 's'
    QString comment;
    /// A generated column's expression (pg_get_expr(adbin)); its defaultExpression is empty.
    QString generationExpression;
};

/// A foreign key (pg_constraint contype 'f'), seen from either end.
struct CatalogForeignKey {
    QString name;
    QString fromSchema;
    QString fromTable;
    QStringList fromColumns; ///< in key order
    QString toSchema;
    QString toTable;
    QStringList toColumns; ///< matching fromColumns one by one
};

struct CatalogUniqueKey {
    QString name;
    QStringList columns;
};

/// One table, partitioned table, view, materialized view or foreign table.
struct CatalogTable {
    quint32 oid = 0;
    QString schema;
    QString name;
    QChar kind;                ///< relkind: r p v m f
    qint64 estimatedRows = -1; ///< pg_class.reltuples (-1: never analyzed); an estimate, not a count
    QString comment;
    QList<CatalogColumn> columns; ///< in attnum order, dropped columns left out
    QStringList primaryKey;       ///< in key order; empty without one
    QList<CatalogUniqueKey> uniqueKeys;
    QList<CatalogForeignKey> foreignKeys;  ///< this table's, pointing out
    QList<CatalogForeignKey> referencedBy; ///< other tables' (or its own), pointing here

    /// `"schema"."name"`, quoted for SQL.
    QString qualifiedName() const;
    /// `schema.name` as people read it, unquoted (for lists and titles, never for SQL).
    QString displayName() const;
    bool isView() const { return kind == QLatin1Char('v'); }
    int columnIndex(const QString &column) const; ///< -1 when there is none
};

struct CatalogEnum {
    QString schema;
    QString name;
    QStringList values; ///< in sort order (enumsortorder)
};

/// Every user schema of a database at one moment (pg_catalog, information_schema, pg_toast and
/// the temporary schemas left out), for Studio's sidebar, grid specs, relations and
/// `--list-tables`. Pure value type.
struct SchemaCatalog {
    QList<CatalogTable> tables; ///< by schema, then name
    QList<CatalogEnum> enums;

    QStringList schemas() const;
    const CatalogTable *find(const QString &schema, const QString &name) const;
};

/// Reads a SchemaCatalog from pg_catalog in five queries (no per-table round trips), on any
/// PostgreSQL database, ccpm schema or not; reads only, takes no locks beyond the catalog's.
/// Outside a transaction the queries share one REPEATABLE READ, READ ONLY transaction (one
/// snapshot); inside the caller's, they run in it. Unique keys are the unique indexes over plain
/// columns (UNIQUE constraints and Prisma's @unique indexes alike; no partial or expression
/// index); foreign keys are listed at both ends when both are user tables.
/// Errors: Error::Kind::Connection or Query with the server's message.
/// Thread: inside a DbExecutor job (the connection's thread).
class Catalog {
public:
    static Result<SchemaCatalog> load(QSqlDatabase &db);
};

} // namespace ccpm
