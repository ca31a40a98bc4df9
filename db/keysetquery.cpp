#include "keysetquery.h"

#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ccpm {

KeysetQuery::KeysetQuery(Source source, QList<SortColumn> sort, QList<Filter> filters, QString quickSearch,
                         QStringList quickSearchColumns)
    : m_source(std::move(source))
    , m_sort(std::move(sort))
    , m_filters(std::move(filters))
    , m_quickSearch(std::move(quickSearch))
    , m_quickSearchColumns(std::move(quickSearchColumns))
{
    // The key ends every order, in the first sort key's direction, so ties are stable.
    const bool idAscending = m_sort.isEmpty() || m_sort.first().ascending;
    if (m_source.key.isEmpty()) {
        m_sort.append(SortColumn{m_source.id, idAscending, false});
    } else {
        for (const QString &key : std::as_const(m_source.key))
            m_sort.append(SortColumn{key, idAscending, false});
    }
}

QString KeysetQuery::keyList() const
{
    return m_source.key.isEmpty() ? m_source.id : m_source.key.join(QStringLiteral(", "));
}

QString KeysetQuery::keyRow() const
{
    return m_source.key.size() > 1 ? QLatin1Char('(') + keyList() + QLatin1Char(')') : keyList();
}

QString KeysetQuery::rowId(const QVariantList &row) const
{
    if (m_source.key.isEmpty())
        return row.isEmpty() ? QString() : row.last().toString();
    QJsonArray key;
    for (qsizetype i = row.size() - m_source.key.size(); i < row.size(); ++i)
        key.append(i >= 0 ? QJsonValue(row.at(i).toString()) : QJsonValue());
    return QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
}

QString KeysetQuery::escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

QString KeysetQuery::whereClause(QVariantMap &bindings) const
{
    QStringList conditions;
    int n = 0;
    auto bind = [&](const QVariant &value) {
        const QString name = QStringLiteral(":f%1").arg(n++);
        bindings.insert(name, value);
        return name;
    };
    // The bound value, cast to the column's type when the filter names one.
    auto typed = [&](const Filter &f, const QVariant &value) {
        const QString name = bind(value);
        return f.cast.isEmpty() ? name : QStringLiteral("CAST(%1 AS %2)").arg(name, f.cast);
    };
    // Required filters (a relation followed) always narrow; the others combine by m_matchAny.
    QStringList filters;
    const QList<Filter> all = m_required + m_filters;
    for (qsizetype i = 0; i < all.size(); ++i) {
        const Filter &f = all.at(i);
        QStringList &out = i < m_required.size() ? conditions : filters;
        switch (f.op) {
        case Filter::Op::Contains:
            out << QStringLiteral("CAST(%1 AS text) ILIKE %2 ESCAPE '\\'")
                       .arg(f.expression, bind(QString(QLatin1Char('%') + escapeLike(f.value.toString()) +
                                                       QLatin1Char('%'))));
            break;
        case Filter::Op::StartsWith:
            out << QStringLiteral("CAST(%1 AS text) ILIKE %2 ESCAPE '\\'")
                       .arg(f.expression, bind(QString(escapeLike(f.value.toString()) + QLatin1Char('%'))));
            break;
        case Filter::Op::Equals:
            out << QStringLiteral("%1 = %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::NotEquals:
            out << QStringLiteral("%1 IS DISTINCT FROM %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::InSet: {
            const QString set =
                QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(f.value.toStringList()))
                                      .toJson(QJsonDocument::Compact));
            // With a cast, the elements are compared as the column's type: numeric 10 is in
            // ("10.0"), a timestamptz in any zone's spelling, a uuid in upper case.
            if (f.cast.isEmpty())
                out << QStringLiteral(
                           "CAST(%1 AS text) IN (SELECT jsonb_array_elements_text(CAST(%2 AS jsonb)))")
                           .arg(f.expression, bind(set));
            else
                out << QStringLiteral("%1 IN (SELECT CAST(e AS %3) FROM jsonb_array_elements_text(CAST(%2 "
                                      "AS jsonb)) AS e)")
                           .arg(f.expression, bind(set), f.cast);
            break;
        }
        case Filter::Op::AtLeast:
            out << QStringLiteral("%1 >= %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::AtMost:
            out << QStringLiteral("%1 <= %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::Below:
            out << QStringLiteral("%1 < %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::Above:
            out << QStringLiteral("%1 > %2").arg(f.expression, typed(f, f.value));
            break;
        case Filter::Op::IsNull:
            out << QStringLiteral("%1 IS NULL").arg(f.expression);
            break;
        case Filter::Op::IsNotNull:
            out << QStringLiteral("%1 IS NOT NULL").arg(f.expression);
            break;
        case Filter::Op::JsonHasKey:
            // jsonb_exists() is the `?` operator, which the driver would take for a placeholder.
            out << QStringLiteral("jsonb_exists(CAST(%1 AS jsonb), CAST(%2 AS text))")
                       .arg(f.expression, bind(f.value));
            break;
        case Filter::Op::JsonPathEquals: {
            const QString path = QString::fromUtf8(
                QJsonDocument(QJsonArray::fromStringList(f.path)).toJson(QJsonDocument::Compact));
            out << QStringLiteral("CAST(%1 AS jsonb) #>> ARRAY(SELECT jsonb_array_elements_text(CAST(%2 AS "
                                  "jsonb))) = CAST(%3 AS text)")
                       .arg(f.expression, bind(path), bind(f.value));
            break;
        }
        case Filter::Op::ArrayContains:
            out << QStringLiteral("%1 = ANY(%2)").arg(typed(f, f.value), f.expression);
            break;
        }
    }
    if (!filters.isEmpty()) {
        conditions << (filters.size() == 1
                           ? filters.first()
                           : QLatin1Char('(') +
                                 filters.join(m_matchAny ? QStringLiteral(" OR ") : QStringLiteral(" AND ")) +
                                 QLatin1Char(')'));
    }
    if (!m_quickSearch.isEmpty() && !m_quickSearchColumns.isEmpty()) {
        const QString pattern =
            bind(QString(QLatin1Char('%') + escapeLike(m_quickSearch) + QLatin1Char('%')));
        QStringList any;
        for (const QString &column : m_quickSearchColumns)
            any << QStringLiteral("%1 ILIKE %2 ESCAPE '\\'").arg(column, pattern);
        conditions << QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    return conditions.join(QStringLiteral(" AND "));
}

QString KeysetQuery::orderBy(bool forward) const
{
    QStringList parts;
    for (const SortColumn &s : m_sort) {
        const bool ascending = s.ascending == forward;
        parts << s.expression +
                     (ascending ? QStringLiteral(" ASC NULLS LAST") : QStringLiteral(" DESC NULLS FIRST"));
    }
    return parts.join(QStringLiteral(", "));
}

// Rows strictly after the cursor in the page's order: OR over i of (keys before i equal AND key i
// after). NULL sorts as the largest value, which decides each part's form.
QString KeysetQuery::afterCursor(bool forward, const QVariantList &cursor, QVariantMap &bindings) const
{
    QStringList alternatives;
    QStringList equalSoFar;
    for (int i = 0; i < m_sort.size() && i < cursor.size(); ++i) {
        const SortColumn &s = m_sort.at(i);
        const bool ascending = s.ascending == forward;
        const QVariant value = cursor.at(i);
        QString after;
        QString equal;
        if (value.isNull()) {
            after = ascending ? QString() : QStringLiteral("%1 IS NOT NULL").arg(s.expression);
            equal = QStringLiteral("%1 IS NULL").arg(s.expression);
        } else {
            const QString name = QStringLiteral(":k%1").arg(i);
            bindings.insert(name, value);
            after = ascending
                        ? (s.nullable ? QStringLiteral("(%1 > %2 OR %1 IS NULL)") : QStringLiteral("%1 > %2"))
                              .arg(s.expression, name)
                        : QStringLiteral("%1 < %2").arg(s.expression, name);
            equal = QStringLiteral("%1 = %2").arg(s.expression, name);
        }
        if (!after.isEmpty()) {
            QStringList terms = equalSoFar;
            terms << after;
            alternatives << QLatin1Char('(') + terms.join(QStringLiteral(" AND ")) + QLatin1Char(')');
        }
        equalSoFar << equal;
    }
    if (alternatives.isEmpty())
        return QStringLiteral("false");
    QString predicate = QLatin1Char('(') + alternatives.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    // A sargable bound on the first key lets PostgreSQL start from an index instead of scanning.
    const SortColumn &first = m_sort.first();
    if (!first.nullable && !cursor.value(0).isNull()) {
        const bool ascending = first.ascending == forward;
        predicate += QStringLiteral(" AND %1 %2 :k0")
                         .arg(first.expression, ascending ? QStringLiteral(">=") : QStringLiteral("<="));
    }
    return predicate;
}

QStringList KeysetQuery::selectList() const
{
    QStringList select = m_source.columns;
    // Aliased: PostgreSQL names a cast after its column, which would make ORDER BY ambiguous.
    for (int i = 0; i < m_sort.size(); ++i)
        select << QStringLiteral("CAST(%1 AS text) AS \"_ccpm_key%2\"")
                      .arg(m_sort.at(i).expression, QString::number(i));
    return select;
}

KeysetQuery::Sql KeysetQuery::page(Direction direction, const std::optional<QVariantList> &cursor,
                                   int limit) const
{
    Sql sql;
    const bool forward = direction == Direction::Forward;
    QStringList where;
    if (const QString filters = whereClause(sql.bindings); !filters.isEmpty())
        where << filters;
    if (cursor)
        where << afterCursor(forward, *cursor, sql.bindings);
    // A deferred join: the inner query sorts and limits ids only, so the select list (casts of
    // every column, JSON as text) is computed for the page's rows, not for every row a sort
    // without an index has to read.
    QString ids = QStringLiteral("SELECT %1 FROM %2").arg(keyList(), m_source.from);
    if (!where.isEmpty())
        ids += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    ids += QStringLiteral(" ORDER BY ") + orderBy(forward) + QStringLiteral(" LIMIT :limit");
    sql.text =
        QStringLiteral("SELECT %1 FROM %2 WHERE %3 IN (%4) ORDER BY %5")
            .arg(selectList().join(QStringLiteral(", ")), m_source.from, keyRow(), ids, orderBy(forward));
    sql.bindings.insert(QStringLiteral(":limit"), limit);
    return sql;
}

KeysetQuery::Sql KeysetQuery::anchors(int every) const
{
    Sql sql;
    QStringList keys;
    QStringList outer;
    for (int i = 0; i < m_sort.size(); ++i) {
        keys << QStringLiteral("CAST(%1 AS text) AS \"_ccpm_key%2\"")
                    .arg(m_sort.at(i).expression, QString::number(i));
        outer << QStringLiteral("\"_ccpm_key%1\"").arg(i);
    }
    const QString filters = whereClause(sql.bindings);
    sql.text = QStringLiteral(
                   "SELECT \"_ccpm_rn\", %1 FROM (SELECT row_number() OVER (ORDER BY %2) AS \"_ccpm_rn\", %3 "
                   "FROM %4%5) AS numbered WHERE \"_ccpm_rn\" % :every = 0 ORDER BY \"_ccpm_rn\"")
                   .arg(outer.join(QStringLiteral(", ")), orderBy(true), keys.join(QStringLiteral(", ")),
                        m_source.from, filters.isEmpty() ? QString() : QStringLiteral(" WHERE ") + filters);
    sql.bindings.insert(QStringLiteral(":every"), every);
    return sql;
}

KeysetQuery::Sql KeysetQuery::rows(const QStringList &ids) const
{
    Sql sql;
    QStringList where;
    if (const QString filters = whereClause(sql.bindings); !filters.isEmpty())
        where << filters;
    if (m_source.key.isEmpty()) {
        where << sql::inTextList(m_source.id, QStringLiteral(":rowIds"));
        sql.bindings.insert(QStringLiteral(":rowIds"), sql::textArrayJson(ids));
    } else {
        // Each id is the JSON array of the key's text; the pairs are cast back to the key's types
        // so that the primary key's index finds them.
        QStringList typed;
        for (int i = 0; i < m_source.key.size(); ++i)
            typed << QStringLiteral("CAST(e.v ->> %1 AS %2)")
                         .arg(QString::number(i), m_source.keyTypes.value(i, QStringLiteral("text")));
        QJsonArray list;
        for (const QString &id : ids)
            list.append(QJsonDocument::fromJson(id.toUtf8()).array());
        where << QStringLiteral("%1 IN (SELECT %2 FROM jsonb_array_elements(CAST(:rowIds AS jsonb)) AS e(v))")
                     .arg(keyRow(), typed.join(QStringLiteral(", ")));
        sql.bindings.insert(QStringLiteral(":rowIds"),
                            QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact)));
    }
    sql.text =
        QStringLiteral("SELECT %1 FROM %2 WHERE %3")
            .arg(selectList().join(QStringLiteral(", ")), m_source.from, where.join(QStringLiteral(" AND ")));
    return sql;
}

KeysetQuery::Sql KeysetQuery::count() const
{
    Sql sql;
    const QString filters = whereClause(sql.bindings);
    sql.text = QStringLiteral("SELECT count(*) FROM %1").arg(m_source.from);
    if (!filters.isEmpty())
        sql.text += QStringLiteral(" WHERE ") + filters;
    return sql;
}

std::optional<KeysetQuery::Sql> KeysetQuery::estimate() const
{
    // The planner's row estimate for the whole table (kept current by autovacuum's ANALYZE);
    // -1 or 0 before the first ANALYZE. EXPLAIN cannot be prepared, so filtered queries have none.
    if (!m_filters.isEmpty() || !m_required.isEmpty() || !m_quickSearch.isEmpty() || m_source.table.isEmpty())
        return std::nullopt;
    return Sql{
        QStringLiteral("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(:table)"),
        {{QStringLiteral(":table"), m_source.table}}};
}

KeysetQuery::Sql KeysetQuery::all() const
{
    Sql sql;
    const QString filters = whereClause(sql.bindings);
    sql.text =
        QStringLiteral("SELECT %1 FROM %2").arg(m_source.columns.join(QStringLiteral(", ")), m_source.from);
    if (!filters.isEmpty())
        sql.text += QStringLiteral(" WHERE ") + filters;
    sql.text += QStringLiteral(" ORDER BY ") + orderBy(true);
    return sql;
}

} // namespace ccpm
