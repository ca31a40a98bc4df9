#include "tablespec.h"

#include "sqlvalues.h"

namespace ccpm {

namespace {

const QString kAlias = QStringLiteral("t");

QString refAlias(int column)
{
    return QStringLiteral("r%1").arg(column);
}

QString qualified(const QString &alias, const QString &column)
{
    return alias + QLatin1Char('.') + sql::quoteIdentifier(column);
}

} // namespace

QString TableSpec::expression(int column) const
{
    return qualified(kAlias, columns.at(column).name);
}

QString TableSpec::refNameExpression(int column) const
{
    const ColumnSpec &c = columns.at(column);
    if (c.type != ColumnSpec::Type::Reference)
        return {};
    if (c.refTypeColumn.isEmpty())
        return qualified(refAlias(column), c.refDisplay);
    QStringList names;
    for (int k = 0; k < c.refTargets.size(); ++k)
        names << qualified(refAlias(column) + QStringLiteral("_%1").arg(k), c.refTargets.at(k).display);
    return QStringLiteral("COALESCE(%1)").arg(names.join(QStringLiteral(", ")));
}

int TableSpec::columnOf(const QString &name) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == name)
            return i;
    }
    return -1;
}

int TableSpec::refNameIndex(int column) const
{
    if (columns.at(column).type != ColumnSpec::Type::Reference)
        return -1;
    int index = int(columns.size());
    for (int i = 0; i < column; ++i)
        index += columns.at(i).type == ColumnSpec::Type::Reference ? 1 : 0;
    return index;
}

int TableSpec::versionIndex() const
{
    if (versionColumn.isEmpty())
        return -1;
    int index = int(columns.size());
    for (const ColumnSpec &c : columns)
        index += c.type == ColumnSpec::Type::Reference ? 1 : 0;
    return index;
}

KeysetQuery::Source TableSpec::source() const
{
    KeysetQuery::Source source;
    source.table = sql::quoteQualified(schema, table);
    source.from = source.table + QLatin1Char(' ') + kAlias;
    // Without a key column (a view), the row's whole text is its id: pages are still stable,
    // though rows that are equal in every column show once per page boundary they straddle.
    source.id =
        idColumn.isEmpty() ? QStringLiteral("CAST(%1 AS text)").arg(kAlias) : qualified(kAlias, idColumn);
    for (int k = 0; k < keyColumns.size(); ++k) {
        source.key << qualified(kAlias, keyColumns.at(k));
        source.keyTypes << keyTypes.value(k, QStringLiteral("text"));
    }
    QStringList names;
    for (int i = 0; i < columns.size(); ++i) {
        const ColumnSpec &c = columns.at(i);
        source.columns << (c.type == ColumnSpec::Type::TextArray || c.type == ColumnSpec::Type::Array
                               ? QStringLiteral("CAST(array_to_json(%1) AS text)").arg(expression(i))
                               : QStringLiteral("CAST(%1 AS text)").arg(expression(i)));
        if (c.type == ColumnSpec::Type::Reference && c.refTypeColumn.isEmpty()) {
            source.from += QStringLiteral(" LEFT JOIN %1 %2 ON %3 = %4")
                               .arg(sql::quoteIdentifier(c.refTable), refAlias(i),
                                    qualified(refAlias(i), idColumn), expression(i));
            names << refNameExpression(i);
        } else if (c.type == ColumnSpec::Type::Reference) {
            for (int k = 0; k < c.refTargets.size(); ++k) {
                const ColumnSpec::RefTarget &target = c.refTargets.at(k);
                const QString alias = refAlias(i) + QStringLiteral("_%1").arg(k);
                source.from += QStringLiteral(" LEFT JOIN %1 %2 ON %3 = %4 AND CAST(%5 AS text) = '%6'")
                                   .arg(sql::quoteIdentifier(target.table), alias, qualified(alias, idColumn),
                                        expression(i), qualified(kAlias, c.refTypeColumn), target.typeValue);
            }
            names << refNameExpression(i);
        }
    }
    source.columns << names;
    if (!versionColumn.isEmpty())
        source.columns << QStringLiteral("CAST(%1 AS text)").arg(qualified(kAlias, versionColumn));
    return source;
}

KeysetQuery TableSpec::query(int sortColumn, bool ascending, const QList<ColumnFilter> &filters,
                             const QString &quickSearch) const
{
    using Filter = KeysetQuery::Filter;
    QList<KeysetQuery::SortColumn> sort;
    if (sortColumn >= 0 && sortColumn < columns.size())
        sort << sortKey(sortColumn, ascending);
    QList<Filter> sqlFilters;
    for (const ColumnFilter &f : filters) {
        if (f.column < 0 || f.column >= columns.size())
            continue;
        const ColumnSpec &c = columns.at(f.column);
        const bool byName = c.type == ColumnSpec::Type::Reference &&
                            (f.op == Filter::Op::Contains || f.op == Filter::Op::StartsWith);
        sqlFilters << Filter{byName ? refNameExpression(f.column) : expression(f.column), f.op, f.value};
    }
    return KeysetQuery(source(), std::move(sort), std::move(sqlFilters), quickSearch,
                       quickSearchExpressions());
}

KeysetQuery::SortColumn TableSpec::sortKey(int column, bool ascending) const
{
    const ColumnSpec &c = columns.at(column);
    // A reference sorts by the name it shows; json has no order of its own, so it sorts as text.
    if (c.type == ColumnSpec::Type::Reference)
        return {refNameExpression(column), ascending, true};
    if (c.sqlType == QLatin1String("json"))
        return {QStringLiteral("CAST(%1 AS text)").arg(expression(column)), ascending, c.nullable};
    return {expression(column), ascending, c.nullable};
}

QStringList TableSpec::quickSearchExpressions() const
{
    QStringList searched;
    for (int i = 0; i < columns.size(); ++i) {
        const ColumnSpec &c = columns.at(i);
        if (c.type == ColumnSpec::Type::Text)
            searched << expression(i);
        else if (c.type == ColumnSpec::Type::Reference)
            searched << refNameExpression(i);
    }
    return searched;
}

KeysetQuery TableSpec::query(const QList<QPair<int, bool>> &sortColumns, QList<KeysetQuery::Filter> filters,
                             bool matchAny, const QString &quickSearch) const
{
    QList<KeysetQuery::SortColumn> sort;
    for (const auto &[column, ascending] : sortColumns) {
        if (column >= 0 && column < columns.size())
            sort << sortKey(column, ascending);
    }
    KeysetQuery query(source(), std::move(sort), std::move(filters), quickSearch, quickSearchExpressions());
    query.setMatchAny(matchAny);
    return query;
}

KeysetQuery TableSpec::query(QList<KeysetQuery::SortColumn> sort, QList<KeysetQuery::Filter> filters) const
{
    return KeysetQuery(source(), std::move(sort), std::move(filters));
}

} // namespace ccpm
