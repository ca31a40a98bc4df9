#pragma once

#include "enums.h"
#include "keysetquery.h"

#include <QStringList>
#include <QVariant>

#include <functional>
#include <optional>

namespace ccpm {

/// One column as the item models show, edit, validate and write it.
///
/// Values are held as PostgreSQL text (what `::text` gives; a text[] as its `array_to_json`
/// text); a null QVariant is SQL NULL. display(), editValue() and fromEdit() convert for views
/// and editors; problem() checks a value before it is saved. Pure value type, any thread.
struct ColumnSpec {
    /// The ccpm schema's types (Text … Reference), then those Studio meets in any database. Every
    /// value is still held as the server's text, so nothing is rounded or shifted on the way.
    enum class Type {
        Text,
        Integer, ///< smallint, integer, bigint: exact (bigint beyond 2^53 stays exact)
        Boolean,
        Enum,
        Timestamp, ///< the ccpm schema's timestamp(3), UTC by contract: shown in local time
        Json,      ///< json or jsonb: any JSON value, scalars included
        TextArray,
        Reference,
        Decimal,        ///< numeric, real, double precision: exact text, never a double
        Uuid,           ///< uuid
        Bytea,          ///< bytea: shown as its size and hex, edited as `\x…` hex
        ZonedTimestamp, ///< timestamp with time zone: local time, UTC in the tooltip
        LocalTimestamp, ///< timestamp without time zone (outside the ccpm contract): shown as stored
        Date,
        Time,     ///< time with or without time zone, as stored
        Interval, ///< PostgreSQL's interval text (`1 day 02:00:00`)
        Inet,     ///< inet or cidr
        Array,    ///< a one-dimensional array of `elementType` other than text[]
        Other,    ///< any other type: its text, cast back on write
    };

    QString name;   ///< the table's column
    QString header; ///< translated
    Type type = Type::Text;
    QString sqlType = QStringLiteral("text"); ///< for writing: `CAST(:v AS sqlType)`
    bool nullable = false;
    bool editable = true;
    bool hasDefault = false; ///< a new row may leave it out (the database fills it)
    QVariant initial;        ///< text a new row starts with; null for none
    QStringList values;      ///< enum values, as stored
    std::function<QString(const QString &value)> label; ///< enum value → translated label
    int minLength = 0;             ///< in UTF-16 code units, like the backend's JavaScript `length`
    int maxLength = 0;             ///< 0: no limit
    std::optional<qint64> minimum; ///< integers
    std::optional<qint64> maximum;
    QString refTable;   ///< Reference: the table whose `id` this column holds
    QString refDisplay; ///< Reference: the column shown instead of the id (`name`, `username`)
    /// A reference whose table depends on another column (messages.senderId is a user's or an
    /// agent's id, as senderType says; the schema has no foreign key): `refTypeColumn` names that
    /// column, `refTargets` the table and display column for each of its values. refTable is
    /// empty then.
    struct RefTarget {
        QString typeValue; ///< the enum label, e.g. `USER` (a constant of the code, never input)
        QString table;
        QString display;
    };
    QString refTypeColumn;
    QList<RefTarget> refTargets;
    // Studio: what the catalog says beyond the type.
    QString elementType;       ///< Array: the element's SQL type (`integer`, `numeric(10,2)`)
    QString defaultExpression; ///< the column's default as pg_get_expr() prints it; empty for none
    QString comment;           ///< COMMENT ON COLUMN
    bool generated = false;    ///< a generated column or `GENERATED ALWAYS AS IDENTITY`: never written

    /// DisplayRole text for a stored value (`refName`: the referenced row's display column).
    /// NULL gives a null QVariant (views paint it as NULL, apart from an empty string); a staged
    /// DEFAULT (sql::columnDefault()) gives "DEFAULT". Numbers show exactly as stored,
    /// timestamptz in local time with its offset (`2026-11-29 13:30:00 -05:00`), timestamp
    /// without time zone as stored, bytea as `N bytes · 0a1b2c…`, arrays as `1, 2, NULL`.
    QVariant display(const QVariant &text, const QVariant &refName = {}) const;
    /// roles::RawValue: a typed value (QDateTime in UTC, qlonglong, bool, QStringList, text).
    QVariant raw(const QVariant &text) const;
    /// EditRole: what an editor starts from (local time as text, an int, the id of a
    /// reference, a list as "a, b" or, when commas cannot express it, as a JSON array).
    QVariant editValue(const QVariant &text) const;
    /// The stored text for what an editor gave back (a QDateTime in any zone, "a, b" for a
    /// list); a null QVariant stays NULL, sql::columnDefault() stays DEFAULT. Malformed input is
    /// kept as typed, so that problem() names it. Typed timestamptz text is local time unless it
    /// names an offset, and is stored as UTC (`…+00`); timestamp text is stored as typed. An
    /// Array takes a JSON array, a PostgreSQL literal (`{1,NULL}`) or a QStringList (a null
    /// element is NULL) and gives a JSON array of strings and nulls.
    QVariant fromEdit(const QVariant &value) const;
    /// Whether two stored texts mean the same value ("…20.85" and "…20.850"; `{"a":1}` and
    /// `{"a": 1}`), so that an editor closed unchanged stages nothing.
    bool sameValue(const QVariant &a, const QVariant &b) const;
    /// Why `text` cannot be saved in this column, or an empty string.
    QString problem(const QVariant &text) const;
    /// Qt::ToolTipRole text for a stored value, or empty: UTC for timestamps, "no zone" for a
    /// timestamp without time zone, the whole text of long values, the default's expression for
    /// a staged DEFAULT.
    QString toolTip(const QVariant &text) const;
    /// Array: a column describing one element (its type from `elementType`, enum `values`,
    /// nullable), which display(), fromEdit() and problem() of the elements use.
    ColumnSpec elementSpec() const;
};

/// A filter on one column of a TableSpec (a typed filter of the issue: contains, equals, in a
/// set, a time range, is null).
struct ColumnFilter {
    int column = 0;
    KeysetQuery::Filter::Op op = KeysetQuery::Filter::Op::Equals;
    QVariant value;
};

/// A table as the item models page, show and edit it: its columns, its id and its version
/// column (optimistic concurrency), and the SQL to read it (a KeysetQuery source that joins each
/// reference's display name). Identifiers are quoted by the driver (sql::quoteIdentifier).
///
/// A page row holds, in order: the columns' text, one display name per reference column, the
/// version column's text, then KeysetQuery's cursor columns.
/// Pure value type, any thread.
struct TableSpec {
    QString schema; ///< empty: the connection's search_path (the ccpm views); Studio names it
    QString table;
    QString idColumn = QStringLiteral("id");
    /// A composite (or non-`id`) primary key: its columns in key order, with their SQL types.
    /// Empty: the key is `idColumn` alone, compared as text (the ccpm schema's text ids). A row's
    /// id (roles::RowId, refreshRow()) is then the JSON array of the key values' text.
    QStringList keyColumns;
    QStringList keyTypes;
    /// Whether the model makes up the key of a new row (a cuid, as the backend does); Studio
    /// leaves it to the values typed or to the column defaults.
    bool clientKeys = true;
    /// Non-empty: the table cannot be edited, and this says why (no primary key; a view).
    QString readOnlyReason;
    QString versionColumn; ///< `updatedAt`: set on every write, matched on update and delete
    QList<ColumnSpec> columns;
    bool canInsert = true;
    bool canDelete = true;
    /// The role that may write this table (Access): users, agents and sessions are ADMIN's.
    Role writeRole = Role::User;
    int defaultSortColumn = 0;
    bool defaultAscending = true;

    KeysetQuery::Source source() const;
    KeysetQuery query(int sortColumn, bool ascending, const QList<ColumnFilter> &filters = {},
                      const QString &quickSearch = {}) const;
    /// Studio: sorted by several columns (column, ascending) in turn, filtered by SQL filters
    /// (KeysetQuery::Filter over expression()) combined with AND, or OR when `matchAny`.
    KeysetQuery query(const QList<QPair<int, bool>> &sortColumns, QList<KeysetQuery::Filter> filters,
                      bool matchAny, const QString &quickSearch = {}) const;
    /// The sort key of one column: a reference by the name it shows, json as text.
    KeysetQuery::SortColumn sortKey(int column, bool ascending) const;
    /// The expressions the quick search looks in: text columns and the names references show.
    QStringList quickSearchExpressions() const;
    /// For tests and benchmarks: any multi-key sort over expressions of `source()`.
    KeysetQuery query(QList<KeysetQuery::SortColumn> sort, QList<KeysetQuery::Filter> filters = {}) const;

    /// `t."column"`, the column in the page query.
    QString expression(int column) const;
    /// The SQL of the name a reference column shows (the joined display column); empty otherwise.
    QString refNameExpression(int column) const;
    /// Where a page row keeps column `column`'s reference name; -1 if it is not a reference.
    int refNameIndex(int column) const;
    /// Where a page row keeps the version column's text; -1 without one.
    int versionIndex() const;
    int columnOf(const QString &name) const;
};

} // namespace ccpm
