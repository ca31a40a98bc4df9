#pragma once

#include "canceltoken.h"
#include "catalog.h"
#include "dbexecutor.h"
#include "keysetquery.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

#include <optional>

namespace ccpm {

/// A Studio view to open: a table, narrowed to the rows whose `columns` equal `values` (the
/// server's text; `types` are the columns' SQL types, format_type(), for `CAST(:v AS type)`).
/// No columns: the whole table. Built by RelationQueries, restored by the breadcrumb. Pure value.
struct RelationTarget {
    QString schema;
    QString table;
    QStringList columns;
    QStringList types;
    QVariantList values;

    bool isWholeTable() const { return columns.isEmpty(); }
    bool operator==(const RelationTarget &) const = default;
};

/// One foreign key of the current row, pointing out: the row it references.
struct ForwardRelation {
    CatalogForeignKey key;
    RelationTarget target; ///< key.toTable narrowed to key.toColumns = this row's key.fromColumns
    bool isNull = false;   ///< a fromColumns value is NULL (or not given): it references nothing
    QString labelColumn;   ///< the referenced table's column that names a row (RelationQueries::labelColumn)
};

/// One foreign key pointing at the current row's table: the rows of key.fromTable that
/// reference the current row.
struct BackRelation {
    CatalogForeignKey key;
    RelationTarget target; ///< key.fromTable narrowed to key.fromColumns = this row's key.toColumns
    bool isNull = false;   ///< a referenced value is NULL (or not given): nothing can point at it
};

/// Studio's relations of one row. A row is given as its values by column name (the server's
/// text, a null QVariant for NULL), as the grid holds them.
///
/// forward() and back() only map values from one end of each foreign key to the other (no
/// SQL); count() counts every back-relation of the row in ONE statement, a UNION ALL of
/// `SELECT n, count(*) FROM child WHERE "c1" = CAST(:v AS type) AND …`, each value bound and
/// cast to the referencing column's type, every identifier quoted (sql::quoteQualified), so a
/// composite key, a self-reference or a table named `we"ird; drop` all work.
/// Errors: Error::Kind::Query from the server (a value that is not valid for the column's type),
/// Connection, Cancelled. Thread: the pure functions any thread; count(QSqlDatabase&) inside a job.
class RelationQueries {
public:
    static QList<ForwardRelation> forward(const SchemaCatalog &catalog, const CatalogTable &table,
                                          const QVariantMap &row);
    static QList<BackRelation> back(const SchemaCatalog &catalog, const CatalogTable &table,
                                    const QVariantMap &row);
    /// The foreign key a grid cell of `column` belongs to, with its target for that row (the
    /// first one when several keys share the column); nullopt when the column is in none.
    static std::optional<ForwardRelation> forwardFor(const SchemaCatalog &catalog, const CatalogTable &table,
                                                     const QString &column, const QVariantMap &row);
    /// The grid filters that show `target`'s rows: `"col" = CAST(:v AS type)` per column (IS NULL
    /// for a null value), for KeysetQuery; `alias` prefixes the columns (`t."col"`) when not empty.
    static QList<KeysetQuery::Filter> filters(const RelationTarget &target, const QString &alias = {});

    /// The column that names a row to people: the first of name, title, label, username,
    /// display_name, email (any case), else empty.
    static QString labelColumn(const CatalogTable &table);

    /// The counting statement for `relations`; nullopt when none of them can match (all NULL).
    /// `cap` > 0 stops counting a relation after cap + 1 rows (count() then reports cap + 1:
    /// "more than cap"), so a hot row of a huge child table never costs a full count.
    static std::optional<KeysetQuery::Sql> countSql(const QList<BackRelation> &relations, qint64 cap = 0);

    /// The number of referencing rows for each relation, in the same order (0 for a NULL one).
    static Result<QList<qint64>> count(QSqlDatabase &db, const QList<BackRelation> &relations,
                                       qint64 cap = 0);
    static QCoro::Task<Result<QList<qint64>>> count(DbExecutor &executor, QList<BackRelation> relations,
                                                    qint64 cap = 0, std::optional<CancelToken> token = {});

    /// The referenced rows' labels (their labelColumn's text) in ONE statement, one per forward
    /// relation in order: null when the key is NULL, the table has no label column, or the row
    /// is missing. nullopt when there is nothing to read.
    static std::optional<KeysetQuery::Sql> labelSql(const QList<ForwardRelation> &relations);
    static Result<QStringList> labels(QSqlDatabase &db, const QList<ForwardRelation> &relations);

    /// What the relations panel shows for a row: the labels, then the counts, in one job.
    struct Figures {
        QStringList labels;   ///< per forward relation
        QList<qint64> counts; ///< per back relation
    };
    static QCoro::Task<Result<Figures>> read(DbExecutor &executor, QList<ForwardRelation> forward,
                                             QList<BackRelation> back, qint64 cap = 0,
                                             std::optional<CancelToken> token = {});
};

} // namespace ccpm

Q_DECLARE_METATYPE(ccpm::RelationTarget)
