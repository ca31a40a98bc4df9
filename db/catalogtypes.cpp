// The small helpers of the catalog's value types (db/catalog.h), apart from Catalog::load so
// that code using a hand-built SchemaCatalog links without the pg_catalog reader.
#include "catalog.h"

#include "sqlvalues.h"

namespace ccpm {

QString CatalogTable::qualifiedName() const
{
    return sql::quoteQualified(schema, name);
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
    QStringList out;
    for (const CatalogTable &table : tables) {
        if (!out.contains(table.schema))
            out.append(table.schema);
    }
    return out;
}

const CatalogTable *SchemaCatalog::find(const QString &schema, const QString &name) const
{
    for (const CatalogTable &table : tables) {
        if (table.schema == schema && table.name == name)
            return &table;
    }
    return nullptr;
}

} // namespace ccpm
