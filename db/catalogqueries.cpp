// The pg_catalog queries behind Catalog::load(): one per kind of object, each over every user
// schema at once. They take no input: nothing is built from a name, and names come back as
// values.
#include "catalogqueries.h"

#include "sqlvalues.h"

#include <QSqlQuery>

namespace ccpm::catalogqueries {

namespace {

// A user schema: not the system's own (pg_catalog, information_schema, pg_toast*, pg_temp_*).
#define CCPM_USER_SCHEMA                                                                                     \
    " n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"            \
    " AND n.nspname NOT LIKE 'pg\\_temp\\_%' "

constexpr auto kRelations = R"sql(
SELECT c.oid, n.nspname, c.relname, c.relkind::text,
       CASE WHEN c.reltuples < 0 THEN -1 ELSE c.reltuples::bigint END,
       obj_description(c.oid, 'pg_class')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND)sql" CCPM_USER_SCHEMA R"sql(
ORDER BY n.nspname, c.relname)sql";

// An array's element is read from pg_type.typelem only for real arrays (category A): other
// types (name, point) have a typelem too. An enum array gets its element enum's oid.
constexpr auto kColumns = R"sql(
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), t.typname,
       t.typcategory::text, t.typtype::text,
       CASE WHEN e.oid IS NOT NULL THEN format_type(e.oid, a.atttypmod) END, e.typtype::text,
       CASE WHEN t.typtype = 'e' THEN t.oid WHEN e.typtype = 'e' THEN e.oid END,
       a.attndims, a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text,
       a.attgenerated::text, col_description(a.attrelid, a.attnum)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND)sql" CCPM_USER_SCHEMA
                          R"sql(
ORDER BY a.attrelid, a.attnum)sql";

// Primary keys and every unique index over plain columns: a UNIQUE constraint has one, and
// Prisma's @unique is a bare unique index. Partial and expression indexes name no key.
constexpr auto kKeys = R"sql(
SELECT i.indrelid, i.indisprimary, ic.relname, a.attname
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
  AND k.ord <= i.indnkeyatts AND)sql" CCPM_USER_SCHEMA R"sql(
ORDER BY i.indrelid, i.indisprimary DESC, ic.relname, k.ord)sql";

// Foreign keys whose either end is in a user schema; conkey and confkey are unnested together,
// so each referencing column is paired with the referenced one at the same position.
constexpr auto kForeignKeys = R"sql(
SELECT con.oid, con.conname, con.conrelid, fn.nspname, fc.relname, con.confrelid, tn.nspname, tc.relname,
       fa.attname, ta.attname
FROM pg_constraint con
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(fromnum, tonum, ord)
JOIN pg_class fc ON fc.oid = con.conrelid
JOIN pg_namespace fn ON fn.oid = fc.relnamespace
JOIN pg_class tc ON tc.oid = con.confrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_attribute fa ON fa.attrelid = con.conrelid AND fa.attnum = k.fromnum
JOIN pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = k.tonum
WHERE con.contype = 'f'
ORDER BY fn.nspname, fc.relname, con.conname, con.oid, k.ord)sql";

constexpr auto kEnums = R"sql(
SELECT t.oid, n.nspname, t.typname, e.enumlabel
FROM pg_enum e
JOIN pg_type t ON t.oid = e.enumtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE)sql" CCPM_USER_SCHEMA R"sql(
ORDER BY n.nspname, t.typname, t.oid, e.enumsortorder)sql";

#undef CCPM_USER_SCHEMA

QChar firstChar(const QVariant &value)
{
    const QString s = value.toString();
    return s.isEmpty() ? QChar() : s.at(0);
}

Status run(QSqlQuery &q, const char *sql, const QString &what)
{
    q.setForwardOnly(true);
    return sql::execPrepared(q, QLatin1String(sql), {}, what);
}

} // namespace

Result<QList<CatalogTable>> relations(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = run(q, kRelations, QStringLiteral("Cannot read the tables")); !s)
        return s.error();
    QList<CatalogTable> rows;
    while (q.next()) {
        CatalogTable t;
        t.oid = q.value(0).toUInt();
        t.schema = q.value(1).toString();
        t.name = q.value(2).toString();
        t.kind = firstChar(q.value(3));
        t.estimatedRows = q.value(4).toLongLong();
        t.comment = q.value(5).toString();
        rows.append(std::move(t));
    }
    return rows;
}

Result<QList<ColumnRow>> columns(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = run(q, kColumns, QStringLiteral("Cannot read the columns")); !s)
        return s.error();
    QList<ColumnRow> rows;
    while (q.next()) {
        ColumnRow row;
        row.table = q.value(0).toUInt();
        CatalogColumn &c = row.column;
        c.position = q.value(1).toInt();
        c.name = q.value(2).toString();
        c.type = q.value(3).toString();
        c.typeName = q.value(4).toString();
        c.typeCategory = firstChar(q.value(5));
        c.typeKind = firstChar(q.value(6));
        c.elementType = q.value(7).toString();
        c.elementKind = firstChar(q.value(8));
        row.enumType = q.value(9).toUInt();
        c.dimensions = q.value(10).toInt();
        c.nullable = !q.value(11).toBool();
        c.identity = firstChar(q.value(13));
        c.generated = c.identity.isNull() && q.value(14).toString() == QLatin1String("s");
        // A generated column's adbin is its expression, not a default.
        (c.generated ? c.generationExpression : c.defaultExpression) = q.value(12).toString();
        c.comment = q.value(15).toString();
        rows.append(std::move(row));
    }
    return rows;
}

Result<QList<KeyRow>> keys(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = run(q, kKeys, QStringLiteral("Cannot read the keys")); !s)
        return s.error();
    QList<KeyRow> rows;
    while (q.next())
        rows.append(
            KeyRow{q.value(0).toUInt(), q.value(1).toBool(), q.value(2).toString(), q.value(3).toString()});
    return rows;
}

Result<QList<ForeignKeyRow>> foreignKeys(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = run(q, kForeignKeys, QStringLiteral("Cannot read the foreign keys")); !s)
        return s.error();
    QList<ForeignKeyRow> rows;
    while (q.next()) {
        ForeignKeyRow row;
        row.constraint = q.value(0).toUInt();
        row.fromTable = q.value(2).toUInt();
        row.toTable = q.value(5).toUInt();
        row.key.name = q.value(1).toString();
        row.key.fromSchema = q.value(3).toString();
        row.key.fromTable = q.value(4).toString();
        row.key.toSchema = q.value(6).toString();
        row.key.toTable = q.value(7).toString();
        row.fromColumn = q.value(8).toString();
        row.toColumn = q.value(9).toString();
        rows.append(std::move(row));
    }
    return rows;
}

Result<QList<EnumRow>> enums(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (Status s = run(q, kEnums, QStringLiteral("Cannot read the enums")); !s)
        return s.error();
    QList<EnumRow> rows;
    while (q.next())
        rows.append(EnumRow{q.value(0).toUInt(), q.value(1).toString(), q.value(2).toString(),
                            q.value(3).toString()});
    return rows;
}

} // namespace ccpm::catalogqueries
