#include "catalog.h"

#include "catalogqueries.h"
#include "sqlvalues.h"

#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <libpq-fe.h>

namespace ccpm {

namespace {

// QPSQL's handle is a PGconn* (as in dbworker.cpp).
bool outsideTransaction(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return false;
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0)
        return false;
    PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
    return connection && PQtransactionStatus(connection) == PQTRANS_IDLE;
}

/// One snapshot for all the queries, when the caller has no transaction of its own; rolled back
/// (it wrote nothing) when it goes out of scope.
class ReadOnlySnapshot {
public:
    explicit ReadOnlySnapshot(QSqlDatabase &db)
        : m_db(db)
    {
        if (!outsideTransaction(db))
            return;
        QSqlQuery q(db);
        m_open = q.exec(QStringLiteral("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
        if (!m_open)
            m_error = Error::fromSql(q.lastError(), QStringLiteral("Cannot read the catalog"));
    }
    ~ReadOnlySnapshot()
    {
        if (m_open)
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    }
    ReadOnlySnapshot(const ReadOnlySnapshot &) = delete;
    ReadOnlySnapshot &operator=(const ReadOnlySnapshot &) = delete;

    const Error *error() const { return m_error.message.isEmpty() ? nullptr : &m_error; }

private:
    QSqlDatabase &m_db;
    bool m_open = false;
    Error m_error;
};

void addForeignKeys(SchemaCatalog &catalog, const QHash<quint32, int> &byOid,
                    const QList<catalogqueries::ForeignKeyRow> &rows)
{
    for (qsizetype i = 0; i < rows.size();) {
        const catalogqueries::ForeignKeyRow &first = rows.at(i);
        CatalogForeignKey key = first.key;
        for (; i < rows.size() && rows.at(i).constraint == first.constraint; ++i) {
            key.fromColumns << rows.at(i).fromColumn;
            key.toColumns << rows.at(i).toColumn;
        }
        if (const int from = byOid.value(first.fromTable, -1); from >= 0)
            catalog.tables[from].foreignKeys << key;
        if (const int to = byOid.value(first.toTable, -1); to >= 0)
            catalog.tables[to].referencedBy << key;
    }
}

} // namespace

QString CatalogTable::qualifiedName() const
{
    return sql::quoteQualified(schema, name);
}

QString CatalogTable::displayName() const
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

int CatalogTable::columnIndex(const QString &column) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == column)
            return i;
    }
    return -1;
}

QStringList SchemaCatalog::schemas() const
{
    QStringList names;
    for (const CatalogTable &t : tables) {
        if (names.isEmpty() || names.last() != t.schema)
            names << t.schema;
    }
    names.removeDuplicates();
    return names;
}

const CatalogTable *SchemaCatalog::find(const QString &schema, const QString &name) const
{
    for (const CatalogTable &t : tables) {
        if (t.schema == schema && t.name == name)
            return &t;
    }
    return nullptr;
}

Result<SchemaCatalog> Catalog::load(QSqlDatabase &db)
{
    ReadOnlySnapshot snapshot(db);
    if (snapshot.error())
        return *snapshot.error();
    Result<QList<CatalogTable>> relations = catalogqueries::relations(db);
    if (!relations)
        return relations.error();
    Result<QList<catalogqueries::ColumnRow>> columns = catalogqueries::columns(db);
    if (!columns)
        return columns.error();
    Result<QList<catalogqueries::KeyRow>> keys = catalogqueries::keys(db);
    if (!keys)
        return keys.error();
    Result<QList<catalogqueries::ForeignKeyRow>> foreignKeys = catalogqueries::foreignKeys(db);
    if (!foreignKeys)
        return foreignKeys.error();
    Result<QList<catalogqueries::EnumRow>> enums = catalogqueries::enums(db);
    if (!enums)
        return enums.error();

    SchemaCatalog catalog;
    QHash<quint32, QStringList> labels;
    for (const catalogqueries::EnumRow &row : *enums) {
        if (!labels.contains(row.type))
            catalog.enums << CatalogEnum{row.schema, row.name, {}};
        labels[row.type] << row.label;
        catalog.enums.last().values << row.label;
    }

    catalog.tables = std::move(relations.value());
    QHash<quint32, int> byOid;
    for (int i = 0; i < catalog.tables.size(); ++i)
        byOid.insert(catalog.tables.at(i).oid, i);

    for (catalogqueries::ColumnRow &row : columns.value()) {
        const int table = byOid.value(row.table, -1);
        if (table < 0)
            continue; // created after the relations were read (only without a snapshot)
        if (row.enumType)
            row.column.enumValues = labels.value(row.enumType);
        catalog.tables[table].columns << std::move(row.column);
    }

    for (qsizetype i = 0; i < keys->size();) {
        const catalogqueries::KeyRow &first = keys->at(i);
        QStringList keyColumns;
        for (; i < keys->size() && keys->at(i).table == first.table && keys->at(i).name == first.name; ++i)
            keyColumns << keys->at(i).column;
        const int table = byOid.value(first.table, -1);
        if (table < 0)
            continue;
        if (first.primary)
            catalog.tables[table].primaryKey = keyColumns;
        else
            catalog.tables[table].uniqueKeys << CatalogUniqueKey{first.name, keyColumns};
    }

    // Rows come by referencing table, so referencedBy lists are in that order too.
    addForeignKeys(catalog, byOid, *foreignKeys);
    return catalog;
}

} // namespace ccpm
