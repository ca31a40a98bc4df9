#include "relationqueries.h"

#include "sqlvalues.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

QString columnType(const CatalogTable *table, const QString &column)
{
    if (!table)
        return {};
    const int index = table->columnIndex(column);
    return index < 0 ? QString() : table->columns.at(index).type;
}

/// `target` narrowed to `targetColumns` = the row's `valueColumns`, typed from `targetTable`
/// (or, when the catalog lacks it, from the row's own table: the two ends have matching types).
RelationTarget narrow(const QString &schema, const QString &name, const QStringList &targetColumns,
                      const CatalogTable *targetTable, const CatalogTable &rowTable,
                      const QStringList &valueColumns, const QVariantMap &row, bool *isNull)
{
    RelationTarget target{schema, name, targetColumns, {}, {}};
    *isNull = false;
    for (int i = 0; i < targetColumns.size(); ++i) {
        const QString valueColumn = valueColumns.value(i);
        QString type = columnType(targetTable, targetColumns.at(i));
        if (type.isEmpty())
            type = columnType(&rowTable, valueColumn);
        target.types.append(type);
        const QVariant value = row.value(valueColumn);
        target.values.append(value);
        if (value.isNull())
            *isNull = true;
    }
    return target;
}

} // namespace

QList<ForwardRelation> RelationQueries::forward(const SchemaCatalog &catalog, const CatalogTable &table,
                                                const QVariantMap &row)
{
    QList<ForwardRelation> out;
    for (const CatalogForeignKey &key : table.foreignKeys) {
        ForwardRelation relation;
        relation.key = key;
        const CatalogTable *referenced = catalog.find(key.toSchema, key.toTable);
        relation.target = narrow(key.toSchema, key.toTable, key.toColumns, referenced, table, key.fromColumns,
                                 row, &relation.isNull);
        if (referenced)
            relation.labelColumn = labelColumn(*referenced);
        out.append(relation);
    }
    return out;
}

QList<BackRelation> RelationQueries::back(const SchemaCatalog &catalog, const CatalogTable &table,
                                          const QVariantMap &row)
{
    QList<BackRelation> out;
    for (const CatalogForeignKey &key : table.referencedBy) {
        BackRelation relation{key, {}, false};
        relation.target =
            narrow(key.fromSchema, key.fromTable, key.fromColumns,
                   catalog.find(key.fromSchema, key.fromTable), table, key.toColumns, row, &relation.isNull);
        out.append(relation);
    }
    return out;
}

std::optional<ForwardRelation> RelationQueries::forwardFor(const SchemaCatalog &catalog,
                                                           const CatalogTable &table, const QString &column,
                                                           const QVariantMap &row)
{
    const QList<ForwardRelation> relations = forward(catalog, table, row);
    for (const ForwardRelation &relation : relations) {
        if (relation.key.fromColumns.contains(column))
            return relation;
    }
    return std::nullopt;
}

QList<KeysetQuery::Filter> RelationQueries::filters(const RelationTarget &target, const QString &alias)
{
    QList<KeysetQuery::Filter> out;
    for (int i = 0; i < target.columns.size(); ++i) {
        const QString column = sql::quoteIdentifier(target.columns.at(i));
        const QString expression = alias.isEmpty() ? column : QString(alias + QLatin1Char('.') + column);
        const QVariant value = target.values.value(i);
        if (value.isNull())
            out.append(KeysetQuery::Filter(expression, KeysetQuery::Filter::Op::IsNull));
        else
            out.append(KeysetQuery::Filter(expression, KeysetQuery::Filter::Op::Equals, value.toString(),
                                           target.types.value(i)));
    }
    return out;
}

QString RelationQueries::labelColumn(const CatalogTable &table)
{
    static const QStringList names{QStringLiteral("name"),         QStringLiteral("title"),
                                   QStringLiteral("label"),        QStringLiteral("username"),
                                   QStringLiteral("display_name"), QStringLiteral("email")};
    for (const QString &wanted : names) {
        for (const CatalogColumn &column : table.columns) {
            if (column.name.compare(wanted, Qt::CaseInsensitive) == 0)
                return column.name;
        }
    }
    return {};
}

namespace {

/// `"c1" = CAST(:p0 AS type) AND …` for a target, its values bound under `prefix`.
QString keyCondition(const RelationTarget &target, const QString &prefix, QVariantMap &bindings)
{
    QStringList conditions;
    for (int c = 0; c < target.columns.size(); ++c) {
        const QString name = QStringLiteral(":%1c%2").arg(prefix).arg(c);
        const QString type = target.types.value(c);
        // The types are format_type() text from the catalog: code, never user input
        conditions.append(sql::quoteIdentifier(target.columns.at(c)) + QStringLiteral(" = ") +
                          (type.isEmpty() ? name : QStringLiteral("CAST(%1 AS %2)").arg(name, type)));
        bindings.insert(name, target.values.at(c).toString());
    }
    return conditions.join(QStringLiteral(" AND "));
}

} // namespace

std::optional<KeysetQuery::Sql> RelationQueries::labelSql(const QList<ForwardRelation> &relations)
{
    QStringList selects;
    QVariantMap bindings;
    for (int n = 0; n < relations.size(); ++n) {
        const ForwardRelation &relation = relations.at(n);
        if (relation.isNull || relation.labelColumn.isEmpty() || relation.target.columns.isEmpty())
            continue;
        // The key is the referenced table's primary or unique key: one row at most
        selects.append(QStringLiteral("SELECT %1, CAST(%2 AS text) FROM %3 WHERE %4")
                           .arg(QString::number(n), sql::quoteIdentifier(relation.labelColumn),
                                sql::quoteQualified(relation.target.schema, relation.target.table),
                                keyCondition(relation.target, QStringLiteral("f%1").arg(n), bindings)));
    }
    if (selects.isEmpty())
        return std::nullopt;
    return KeysetQuery::Sql{selects.join(QStringLiteral("\nUNION ALL\n")), bindings};
}

Result<QStringList> RelationQueries::labels(QSqlDatabase &db, const QList<ForwardRelation> &relations)
{
    QStringList out(relations.size());
    const std::optional<KeysetQuery::Sql> statement = labelSql(relations);
    if (!statement)
        return out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, statement->text, statement->bindings,
                                     QStringLiteral("read the referenced rows"));
        !s)
        return s.error();
    while (q.next()) {
        const int n = q.value(0).toInt();
        if (n >= 0 && n < out.size())
            out[n] = q.value(1).toString();
    }
    return out;
}

QCoro::Task<Result<RelationQueries::Figures>> RelationQueries::read(DbExecutor &executor,
                                                                    QList<ForwardRelation> forward,
                                                                    QList<BackRelation> back, qint64 cap,
                                                                    std::optional<CancelToken> token)
{
    auto job = [forward = std::move(forward), back = std::move(back),
                cap](QSqlDatabase &db) -> Result<Figures> {
        Result<QStringList> names = labels(db, forward);
        if (!names)
            return names.error();
        Result<QList<qint64>> counts = count(db, back, cap);
        if (!counts)
            return counts.error();
        return Figures{std::move(names).value(), std::move(counts).value()};
    };
    co_return co_await executor.exec(job, std::move(token));
}

std::optional<KeysetQuery::Sql> RelationQueries::countSql(const QList<BackRelation> &relations, qint64 cap)
{
    QStringList selects;
    QVariantMap bindings;
    for (int n = 0; n < relations.size(); ++n) {
        const BackRelation &relation = relations.at(n);
        if (relation.isNull || relation.target.columns.isEmpty())
            continue;
        const QString from = sql::quoteQualified(relation.target.schema, relation.target.table);
        const QString where = keyCondition(relation.target, QStringLiteral("r%1").arg(n), bindings);
        if (cap > 0) {
            selects.append(
                QStringLiteral("SELECT %1, count(*) FROM (SELECT 1 FROM %2 WHERE %3 LIMIT %4) AS s%1")
                    .arg(n)
                    .arg(from, where)
                    .arg(cap + 1));
        } else {
            selects.append(QStringLiteral("SELECT %1, count(*) FROM %2 WHERE %3").arg(n).arg(from, where));
        }
    }
    if (selects.isEmpty())
        return std::nullopt;
    return KeysetQuery::Sql{selects.join(QStringLiteral("\nUNION ALL\n")), bindings};
}

Result<QList<qint64>> RelationQueries::count(QSqlDatabase &db, const QList<BackRelation> &relations,
                                             qint64 cap)
{
    QList<qint64> counts(relations.size(), 0);
    const std::optional<KeysetQuery::Sql> statement = countSql(relations, cap);
    if (!statement)
        return counts;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, statement->text, statement->bindings,
                                     QStringLiteral("count the related rows"));
        !s)
        return s.error();
    while (q.next()) {
        const int n = q.value(0).toInt();
        if (n >= 0 && n < counts.size())
            counts[n] = q.value(1).toLongLong();
    }
    return counts;
}

QCoro::Task<Result<QList<qint64>>> RelationQueries::count(DbExecutor &executor, QList<BackRelation> relations,
                                                          qint64 cap, std::optional<CancelToken> token)
{
    auto job = [relations = std::move(relations), cap](QSqlDatabase &db) {
        return count(db, relations, cap);
    };
    co_return co_await executor.exec(job, std::move(token));
}

} // namespace ccpm
