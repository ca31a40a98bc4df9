#pragma once

#include "catalog.h"

namespace ccpm::catalogqueries {

/// The rows of Catalog::load()'s queries (db/catalogqueries.cpp), one query each over every user
/// schema, before catalog.cpp assembles them into tables. Internal to ccpm_db; inside a job.

struct ColumnRow {
    quint32 table = 0;
    quint32 enumType = 0; ///< the enum (or the array's element enum) whose labels it takes
    CatalogColumn column;
};

struct KeyRow {
    quint32 table = 0;
    bool primary = false;
    QString name;
    QString column; ///< one row per column, in key order
};

struct ForeignKeyRow {
    quint32 constraint = 0;
    quint32 fromTable = 0;
    quint32 toTable = 0;
    CatalogForeignKey key; ///< names only; the columns come one row at a time
    QString fromColumn;
    QString toColumn;
};

struct EnumRow {
    quint32 type = 0;
    QString schema;
    QString name;
    QString label; ///< one row per label, in enumsortorder
};

Result<QList<CatalogTable>> relations(QSqlDatabase &db);
Result<QList<ColumnRow>> columns(QSqlDatabase &db);
Result<QList<KeyRow>> keys(QSqlDatabase &db);
Result<QList<ForeignKeyRow>> foreignKeys(QSqlDatabase &db);
Result<QList<EnumRow>> enums(QSqlDatabase &db);

} // namespace ccpm::catalogqueries
