#pragma once

#include "keysetquery.h"
#include "result.h"
#include "tablespec.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ccpm {

/// One Studio filter pill as the user made it: a column named by its catalog name, an operator,
/// and the text typed. Nothing in it is trusted: buildFilter() checks the column against the
/// TableSpec and the value against the column's type before any SQL exists.
/// Pure value type, any thread.
struct StudioFilter {
    using Op = KeysetQuery::Filter::Op;

    QString column; ///< ColumnSpec::name, as typed or picked
    Op op = Op::Equals;
    QString value;      ///< every op with one value (the key for JsonHasKey, the element for ArrayContains)
    QStringList values; ///< InSet: the list, each element as typed
    QStringList path;   ///< JsonPathEquals: the keys from the root (array indexes as digits)

    bool operator==(const StudioFilter &other) const = default;
};

/// What Studio's filter pills offer and how they become KeysetQuery filters.
///
/// - ops(): the operators a column's type offers, in the order a menu shows them.
/// - buildFilter(): one pill → one KeysetQuery::Filter whose column expression comes from
///   TableSpec::expression() (never from the pill's text) and whose value is bound and cast to
///   the column's type (`numeric`, `uuid`, the enum type, an array's element type). A pill that
///   names no column of the spec, uses an operator its type does not offer, or holds a value the
///   type cannot parse is refused with one sentence naming the column (`price: 'abc' is not a
///   number.`, Error::Kind::Invalid), so the server never sees it.
/// - A zoned timestamp typed without a zone is local time, as the grid shows it; it is sent as
///   UTC. NotEquals matches NULLs too (`IS DISTINCT FROM`).
/// - describe(): the pill as one line (`price ≥ 10`, `tags contains 'x'`).
/// Pure functions, any thread.
namespace studiofilter {

using Op = KeysetQuery::Filter::Op;

/// The operators offered for `column`, in menu order; is null / is not null only when nullable.
QList<Op> ops(const ColumnSpec &column);
/// `=`, `≠`, `<`, `≤`, `>`, `≥`, or the words (`contains`, `in`, `is null`, `has key`, …).
QString symbol(Op op);
/// The combo box entry: `≥  at least`, `contains`, …
QString menuText(Op op);
/// Whether `op` takes no value (is null, is not null).
bool takesNoValue(Op op);

/// `pill` as a KeysetQuery filter on `spec`, or why not (one sentence, Error::Kind::Invalid).
Result<KeysetQuery::Filter> buildFilter(const TableSpec &spec, const StudioFilter &pill);
/// Every pill built; the first refused one fails the whole list with its sentence.
Result<QList<KeysetQuery::Filter>> buildFilters(const TableSpec &spec, const QList<StudioFilter> &pills);

/// The pill as the bar shows it: `price ≥ 10`, `name contains 'ab'`, `status in (A, B)`,
/// `data → a.b = 'x'`, `note is null`. Values are shown as typed; long ones are elided.
QString describe(const TableSpec &spec, const StudioFilter &pill);

/// The expressions the quick search looks in: the spec's text columns.
QStringList quickSearchColumns(const TableSpec &spec);

/// Pills typed as one line, as the filter bar's search box takes them on Enter:
/// `price >= 10 and status in (draft, active)`, `name contains 'O''Brien' or note is null`,
/// `data->a.b = x`, `tags contains red`, `"Mixed Name" != 3`. Operators: `= != <> ≠ < <= ≤ > >= ≥`,
/// `contains` (an array's element on arrays), `starts with`, `in (…)`, `is null`, `is not null`,
/// `has key`; words in any case. A value is a bare word or 'quoted' ('' is a quote). Clauses
/// join with `and` or with `or`, not both. Each pill is then checked by buildFilter(); the first
/// problem (syntax or value) fails the line with one sentence.
struct ParsedFilterLine {
    QList<StudioFilter> pills;
    bool matchAny = false;
};
Result<ParsedFilterLine> parseLine(const TableSpec &spec, const QString &line);

/// A list typed in one field: one element per line when there are several lines, otherwise
/// separated by commas; `"a, b"` in double quotes keeps its comma (`""` is a quote). Elements
/// are trimmed unless quoted.
QStringList splitList(const QString &text);
/// A JSON path typed in one field: `a.b.0`, or a JSON array `["a.b", "c"]` for keys with dots.
QStringList splitPath(const QString &text);

} // namespace studiofilter

} // namespace ccpm
