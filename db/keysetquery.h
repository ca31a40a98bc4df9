#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace ccpm {

/// Builds the SQL that pages through a table with keyset pagination (no OFFSET): each page
/// starts after (or before) the sort-key values of a boundary row, so reaching row 900,000 costs
/// the same as reaching row 1. The sort always ends with the id, so ties are stable and every
/// row has exactly one place.
///
/// Ordering: an ascending key sorts NULLs last, a descending one NULLs first (PostgreSQL's
/// defaults), so a backward page is the forward order with every direction flipped.
///
/// Safety: column expressions (`TableSource`, `SortColumn::expression`, `Filter::expression`) are
/// code, never user input; every value (cursor, filter) is a bound parameter. Text filters escape
/// `%`, `_` and `\` for ILIKE. Cursor values travel as text and PostgreSQL casts them to the
/// column's type (each page selects the keys as `::text`), so timestamps, enums and numerics
/// compare exactly.
/// Pure value type, any thread; run the SQL inside a DbExecutor job.
class KeysetQuery {
public:
    struct Source {
        QString from;        ///< FROM clause, e.g. `"tasks" t LEFT JOIN "agents" a ON ...`
        QStringList columns; ///< select expressions, shown in this order
        QString id;          ///< the unique key expression, e.g. `t."id"`, compared as text
        QString table;       ///< the table counted by estimate(), e.g. `"tasks"` (optional)
        /// A key of several columns, or of one not to be compared as text (Studio: any primary
        /// key): its expressions and their SQL types. Used instead of `id` when not empty; a
        /// row's id is then the JSON array of the key values' text (rowId()).
        QStringList key;
        QStringList keyTypes;
    };
    struct SortColumn {
        QString expression;
        bool ascending = true;
        bool nullable = true; ///< false lets the first key use an index range
    };
    struct Filter {
        enum class Op {
            Contains,
            StartsWith,
            Equals,
            InSet,
            AtLeast,
            Below,
            IsNull,
            IsNotNull,
            NotEquals, ///< `IS DISTINCT FROM`: rows holding NULL match too
            AtMost,
            Above,
            JsonHasKey,     ///< jsonb `?` (json is cast to jsonb)
            JsonPathEquals, ///< the value at `path` (`#>>`) equals the text given
            ArrayContains,  ///< one of the array's elements equals the value
        };
        Filter() = default;
        Filter(QString expression_, Op op_, QVariant value_ = {}, QString cast_ = {}, QStringList path_ = {})
            : expression(std::move(expression_))
            , op(op_)
            , value(std::move(value_))
            , cast(std::move(cast_))
            , path(std::move(path_))
        {
        }
        QString expression;
        Op op = Op::Equals;
        QVariant value; ///< the text for Contains/StartsWith, the set (QStringList) for InSet
        /// The SQL type the bound value is cast to before comparing (`numeric`, `uuid`,
        /// `timestamptz`; the element type for ArrayContains); empty: compared as bound. Code
        /// (from the catalog's format_type()), never user input.
        QString cast;
        QStringList path; ///< JsonPathEquals: the keys from the root (array indexes as digits)
    };
    struct Sql {
        QString text;
        QVariantMap bindings;
    };
    enum class Direction { Forward, Backward };

    KeysetQuery(Source source, QList<SortColumn> sort, QList<Filter> filters = {}, QString quickSearch = {},
                QStringList quickSearchColumns = {});

    /// A page of at most `limit` rows. Without a cursor: the first page (Forward) or the last
    /// page (Backward). With one: the rows after (Forward) or before (Backward) the cursor row.
    /// Backward pages come in reverse order. Each row holds the `Source::columns`, then one text
    /// column per sort key and the id as text: cursorFromRecord() takes them back.
    Sql page(Direction direction, const std::optional<QVariantList> &cursor, int limit) const;
    /// The rows among `ids` that match the filters, with the same columns as a page row, any
    /// order (for refreshing changed rows in place, a burst in one query). Ids compare as text.
    Sql rows(const QStringList &ids) const;
    /// Every matching row in the forward order of page(), without cursor and LIMIT (an export:
    /// run it through a cursor). Each row holds the Source::columns only.
    Sql all() const;
    /// Exact number of rows matching the filters.
    Sql count() const;
    /// Every `every`-th row's cursor (row numbers every, 2*every, ...; first column the 1-based
    /// row number, then the cursor columns): with them, row N is reached by a keyset page from the
    /// nearest anchor, never by OFFSET. One pass over the matching rows.
    Sql anchors(int every) const;
    /// PostgreSQL's estimate of the table's rows (instant on any size), when there is no filter.
    std::optional<Sql> estimate() const;

    /// Filters every row must pass whatever setMatchAny() says (Studio: the relation a table
    /// was opened through, under the user's own filters).
    void setRequiredFilters(QList<Filter> filters) { m_required = std::move(filters); }
    /// Filters combine with OR instead of AND (the quick search still narrows the result).
    void setMatchAny(bool any) { m_matchAny = any; }
    bool matchesAny() const { return m_matchAny; }

    /// A page row's id: the id column's text, or for a composite `Source::key` the JSON array of
    /// the key values' text (`["7","en"]`), as rows() takes them back.
    QString rowId(const QVariantList &row) const;

    int columnCount() const { return int(m_source.columns.size()); }
    /// The number of trailing cursor columns in a page row (sort keys + the key's columns).
    int cursorColumnCount() const { return int(m_sort.size()); }

    /// `%`, `_` and `\` escaped for `ILIKE ... ESCAPE '\'`.
    static QString escapeLike(const QString &text);

private:
    QString whereClause(QVariantMap &bindings) const;
    QStringList selectList() const; ///< the source's columns, then the cursor columns
    QString orderBy(bool forward) const;
    QString keyList() const; ///< the key's expressions, comma-separated
    QString keyRow() const;  ///< the key as one value: `k` or the row constructor `(k1, k2)`
    QString afterCursor(bool forward, const QVariantList &cursor, QVariantMap &bindings) const;

    Source m_source;
    QList<SortColumn> m_sort; ///< ends with the id
    QList<Filter> m_filters;
    QString m_quickSearch;
    QStringList m_quickSearchColumns;
    bool m_matchAny = false;
    QList<Filter> m_required;
};

} // namespace ccpm
