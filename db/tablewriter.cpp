#include "tablewriter.h"

#include "sqlvalues.h"

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr int kLockTimeoutMs = 5000;

QString quoted(QSqlDatabase &db, const QString &identifier)
{
    return db.driver()->escapeIdentifier(identifier, QSqlDriver::FieldName);
}

// The SQL expression that turns a bound text value into the column's type.
QString valueExpression(const ColumnValue &value, const QString &param)
{
    if (value.sqlType == QLatin1String("text[]"))
        return sql::textArrayExpression(param);
    return QStringLiteral("CAST(%1 AS %2)").arg(param, value.sqlType);
}

// A column read back as the text a page shows.
QString textExpression(QSqlDatabase &db, const ColumnValue &value)
{
    if (value.sqlType == QLatin1String("text[]"))
        return QStringLiteral("CAST(array_to_json(%1) AS text)").arg(quoted(db, value.column));
    return QStringLiteral("CAST(%1 AS text)").arg(quoted(db, value.column));
}

struct Statement {
    QString text;
    QVariantMap bindings;
    int next = 0;

    QString bind(const QVariant &value)
    {
        const QString name = QStringLiteral(":v%1").arg(next++);
        bindings.insert(name, value);
        return name;
    }
};

QString expectedClause(QSqlDatabase &db, const RowWrite &row, Statement &st)
{
    QString clause;
    for (const ColumnValue &e : row.expected) {
        clause += QStringLiteral(" AND %1 IS NOT DISTINCT FROM %2")
                      .arg(quoted(db, e.column), valueExpression(e, st.bind(e.text)));
    }
    return clause;
}

Statement buildStatement(QSqlDatabase &db, const ChangeSet &changes, const RowWrite &row)
{
    Statement st;
    const QString table = db.driver()->escapeIdentifier(changes.table, QSqlDriver::TableName);
    const QString id = quoted(db, changes.idColumn);
    const QString now = QStringLiteral("(now() AT TIME ZONE 'UTC')");
    const QString returning =
        changes.touchColumn.isEmpty()
            ? QString()
            : QStringLiteral(" RETURNING CAST(%1 AS text)").arg(quoted(db, changes.touchColumn));
    switch (row.kind) {
    case RowWrite::Kind::Insert: {
        QStringList columns{id};
        QStringList values{st.bind(row.id)};
        for (const ColumnValue &v : row.values) {
            if (v.column == changes.idColumn || v.column == changes.touchColumn)
                continue;
            columns << quoted(db, v.column);
            values << valueExpression(v, st.bind(v.text));
        }
        if (!changes.touchColumn.isEmpty()) {
            columns << quoted(db, changes.touchColumn);
            values << now;
        }
        st.text =
            QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)%4")
                .arg(table, columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")), returning);
        break;
    }
    case RowWrite::Kind::Update: {
        QStringList sets;
        for (const ColumnValue &v : row.values)
            sets << QStringLiteral("%1 = %2").arg(quoted(db, v.column), valueExpression(v, st.bind(v.text)));
        if (!changes.touchColumn.isEmpty())
            sets << QStringLiteral("%1 = %2").arg(quoted(db, changes.touchColumn), now);
        const QString idParam = st.bind(row.id);
        st.text = QStringLiteral("UPDATE %1 SET %2 WHERE %3 = %4%5%6")
                      .arg(table, sets.join(QStringLiteral(", ")), id, idParam, expectedClause(db, row, st),
                           returning);
        break;
    }
    case RowWrite::Kind::Delete: {
        const QString idParam = st.bind(row.id);
        st.text = QStringLiteral("DELETE FROM %1 WHERE %2 = %3%4")
                      .arg(table, id, idParam, expectedClause(db, row, st));
        break;
    }
    }
    return st;
}

// The row as it is now, for the columns the change wrote or expected; empty when it is gone.
Result<QVariantMap> currentValues(QSqlDatabase &db, const ChangeSet &changes, const RowWrite &row)
{
    QList<ColumnValue> columns = row.expected;
    columns += row.values;
    QStringList select;
    for (const ColumnValue &c : std::as_const(columns))
        select << textExpression(db, c);
    if (select.isEmpty())
        select << QStringLiteral("1");
    QSqlQuery q(db);
    const QString text = QStringLiteral("SELECT %1 FROM %2 WHERE %3 = :id")
                             .arg(select.join(QStringLiteral(", ")),
                                  db.driver()->escapeIdentifier(changes.table, QSqlDriver::TableName),
                                  quoted(db, changes.idColumn));
    if (Status s = sql::execPrepared(q, text, {{QStringLiteral(":id"), row.id}},
                                     QStringLiteral("Cannot read the row's current values"));
        !s)
        return s.error();
    QVariantMap current;
    if (q.next()) {
        for (int i = 0; i < columns.size(); ++i)
            current.insert(columns.at(i).column, q.value(i));
    }
    return current;
}

// The server names the constraint and the column in its message (PostgreSQL's wording for
// SQLSTATE class 23); the quoted names survive translation of the server's messages.
void nameTheCulprit(SaveFailure &failure)
{
    static const QRegularExpression quotedName(QStringLiteral("\"([^\"]+)\""));
    static const QRegularExpression keyColumn(QStringLiteral("\\(\"?([^)=\"]+)\"?\\)=\\("));
    QStringList names;
    for (auto it = quotedName.globalMatch(failure.error.message); it.hasNext();)
        names << it.next().captured(1);
    const QString state = failure.error.sqlState;
    if (state == QLatin1String("23502")) { // not_null_violation: column "c" of relation "t"
        failure.column = names.value(0);
    } else if (state == QLatin1String("23505")) { // unique_violation: constraint "c"; Key (col)=(v)
        failure.constraint = names.value(0);
    } else if (state == QLatin1String("23503") || state == QLatin1String("23514")) {
        failure.constraint = names.value(names.size() - 1); // ... on table "t" ... constraint "c"
    }
    if (failure.column.isEmpty()) {
        const QRegularExpressionMatch key = keyColumn.match(failure.error.message);
        if (key.hasMatch())
            failure.column = key.captured(1);
    }
}

} // namespace

Result<SaveReport> TableWriter::apply(QSqlDatabase &db, const ChangeSet &changes)
{
    SaveReport report;
    if (changes.rows.isEmpty())
        return report;
    if (!db.transaction())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot start the save"));
    {
        // A row another session holds locked fails the save after a while instead of hanging it.
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SET LOCAL lock_timeout = '%1ms'").arg(kLockTimeoutMs))) {
            const Error error = Error::fromSql(q.lastError(), QStringLiteral("Cannot start the save"));
            db.rollback();
            return error;
        }
    }
    if (changes.guard) {
        if (Status allowed = changes.guard(db); !allowed) {
            db.rollback();
            return allowed.error();
        }
    }
    auto fail = [&](SaveFailure failure) -> Result<SaveReport> {
        db.rollback();
        report.failure = std::move(failure);
        return report;
    };
    for (int i = 0; i < changes.rows.size(); ++i) {
        const RowWrite &row = changes.rows.at(i);
        Statement st = buildStatement(db, changes, row);
        QSqlQuery q(db);
        if (Status s =
                sql::execPrepared(q, st.text, st.bindings, QStringLiteral("The server refused the change"));
            !s) {
            if (s.error().kind == Error::Kind::Connection) {
                db.rollback();
                return s.error();
            }
            SaveFailure failure{i, s.error(), {}, {}, false, {}};
            nameTheCulprit(failure);
            return fail(std::move(failure));
        }
        const bool written = changes.touchColumn.isEmpty() || row.kind == RowWrite::Kind::Delete
                                 ? q.numRowsAffected() > 0
                                 : q.next();
        if (!written) {
            Result<QVariantMap> current = currentValues(db, changes, row);
            if (!current) {
                db.rollback();
                return current.error();
            }
            const bool gone = current->isEmpty();
            Error error{Error::Kind::Conflict,
                        gone ? QStringLiteral("Someone else deleted this row after it was loaded.")
                             : QStringLiteral("Someone else changed this row after it was loaded."),
                        {},
                        {}};
            return fail(SaveFailure{i, error, {}, {}, true, std::move(current).value()});
        }
        if (!changes.touchColumn.isEmpty() && row.kind != RowWrite::Kind::Delete)
            report.touched.insert(row.id, q.value(0));
    }
    if (!db.commit()) {
        const Error error = Error::fromSql(db.lastError(), QStringLiteral("Cannot commit the save"));
        db.rollback();
        return error;
    }
    return report;
}

} // namespace ccpm
