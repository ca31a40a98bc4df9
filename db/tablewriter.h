#pragma once

#include "result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantMap>

#include <functional>

#include <optional>

namespace ccpm {

/// Staged changes to one table, written together by TableWriter::apply().
///
/// Values travel as PostgreSQL text (the form a page selects with `::text`; a text[] as the JSON
/// array `array_to_json` gives) and are cast to `sqlType` in SQL, so no driver conversion touches
/// them. A null QVariant is SQL NULL. Column and table names are identifiers, quoted by the
/// driver; `sqlType` is code (a type name as `format_type()` prints it), never user input.
struct ColumnValue {
    QString column;
    QString sqlType; ///< e.g. `text`, `smallint`, `"TaskStatus"`, `timestamp(3)`, `jsonb`, `text[]`
    QVariant text;
    bool isDefault = false; ///< write the keyword DEFAULT (the column's default) instead of `text`
};

struct RowWrite {
    enum class Kind { Insert, Update, Delete };
    Kind kind = Kind::Update;
    QString id;
    /// Insert: the columns given (the rest take their defaults). Update: the changed columns.
    QList<ColumnValue> values;
    /// Optimistic concurrency (update and delete): the values this row had when it was loaded,
    /// which must still hold, e.g. `updatedAt`. When one does not, nothing is written.
    QList<ColumnValue> expected;
};

struct ChangeSet {
    QString schema; ///< empty: the search_path
    QString table;
    QString idColumn = QStringLiteral("id");
    /// A composite key (or one not compared as text): its columns and SQL types; RowWrite::id is
    /// then the JSON array of the key values' text. Empty: `idColumn`, compared as text.
    QStringList keyColumns;
    QStringList keyTypes;
    /// Inserts write RowWrite::id into `idColumn` (the ccpm tables' client-made cuid). Off
    /// (Studio): an insert writes only its values, and the key comes from them or the defaults.
    bool insertKey = true;
    /// Set to the server's UTC time on every insert and update (Prisma's `@updatedAt`); optional.
    QString touchColumn;
    QList<RowWrite> rows;
    /// Runs first inside the transaction (e.g. Access::require); an error there writes nothing
    /// and is returned as the save's error.
    std::function<Status(QSqlDatabase &db)> guard;
};

/// Why a save wrote nothing: which row failed and how.
struct SaveFailure {
    int row = -1;          ///< index into ChangeSet::rows
    Error error;           ///< the server's message, or a conflict
    QString constraint;    ///< the violated constraint's name, when the server named one
    QString column;        ///< the column the server named (not-null, unique key), when it did
    bool conflict = false; ///< another writer changed or deleted the row since it was loaded
    /// For a conflict: the row as it is now (column → text), for the columns written and
    /// expected; empty when the row was deleted.
    QVariantMap current;
};

struct SaveReport {
    bool ok() const { return !failure.has_value(); }
    std::optional<SaveFailure> failure;
    /// After a successful save: each written row's new `touchColumn` value, by id.
    QVariantMap touched;
};

/// Writes a ChangeSet in one transaction: every row or none. Inserts, then updates, then
/// deletes, in the order given; the first failure rolls everything back and is reported with
/// the row's index. An update or delete whose `expected` values no longer hold changes nothing
/// and is reported as a conflict (Error::Kind::Conflict) with the row's current values. A row
/// that another session keeps locked for 5 s fails the save (SQLSTATE 55P03, lock_timeout).
/// Thread: run inside a DbExecutor job (the connection's thread).
class TableWriter {
public:
    /// One statement of a save as apply() runs it: its SQL with `:v0`-style placeholders and the
    /// values bound to them (Studio's save preview). Pure; any thread.
    struct Statement {
        QString text;
        QVariantMap bindings;
    };
    static QList<Statement> statements(const ChangeSet &changes);

    /// An Error when the transaction itself could not run (connection lost, BEGIN or COMMIT
    /// refused); a SaveReport with a failure when a row was refused.
    static Result<SaveReport> apply(QSqlDatabase &db, const ChangeSet &changes);
};

} // namespace ccpm
