#include "tablewriter.h"

#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr int kLockTimeoutMs = 5000;

QString quoted(const QString &identifier)
{
    return sql::quoteIdentifier(identifier);
}

bool isArray(const QString &sqlType)
{
    return sqlType.endsWith(QLatin1String("[]"));
}

// The SQL expression that turns a bound text value into the column's type. An array travels as
// the JSON array of its elements' text (NULL elements as null) and each element is cast.
QString valueExpression(const ColumnValue &value, const QString &param)
{
    if (value.sqlType == QLatin1String("text[]"))
        return sql::textArrayExpression(param);
    if (isArray(value.sqlType))
        return QStringLiteral("CAST(%1 AS %2)").arg(sql::textArrayExpression(param), value.sqlType);
    return QStringLiteral("CAST(%1 AS %2)").arg(param, value.sqlType);
}

// A column read back as the text a page shows.
QString textExpression(const ColumnValue &value)
{
    if (isArray(value.sqlType))
        return QStringLiteral("CAST(array_to_json(%1) AS text)").arg(quoted(value.column));
    return QStringLiteral("CAST(%1 AS text)").arg(quoted(value.column));
}

QString tableName(const ChangeSet &changes)
{
    return sql::quoteQualified(changes.schema, changes.table);
}

// The row's key: `"id" = :v` (text), or each key column equal to its value cast to its type.
QString keyCondition(const ChangeSet &changes, const QString &id,
                     const std::function<QString(const QVariant &)> &bind)
{
    if (changes.keyColumns.isEmpty())
        return QStringLiteral("%1 = %2").arg(quoted(changes.idColumn), bind(id));
    const QJsonArray values = QJsonDocument::fromJson(id.toUtf8()).array();
    QStringList terms;
    for (int k = 0; k < changes.keyColumns.size(); ++k) {
        const QJsonValue v = values.at(k);
        terms << QStringLiteral("%1 = CAST(%2 AS %3)")
                     .arg(quoted(changes.keyColumns.at(k)),
                          bind(v.isString() ? QVariant(v.toString())
                                            : QVariant(QMetaType::fromType<QString>())),
                          changes.keyTypes.value(k, QStringLiteral("text")));
    }
    return terms.join(QStringLiteral(" AND "));
}

struct SqlStatement {
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

// Compared as the text the page loaded, which is exact for every type (json has no `=`).
QString expectedClause(const RowWrite &row, SqlStatement &st)
{
    QString clause;
    for (const ColumnValue &e : row.expected) {
        clause += QStringLiteral(" AND %1 IS NOT DISTINCT FROM CAST(%2 AS text)")
                      .arg(textExpression(e), st.bind(e.text));
    }
    return clause;
}

QString valueOrDefault(const ColumnValue &v, SqlStatement &st)
{
    return v.isDefault || sql::isColumnDefault(v.text) ? QStringLiteral("DEFAULT")
                                                       : valueExpression(v, st.bind(v.text));
}

SqlStatement buildStatement(const ChangeSet &changes, const RowWrite &row)
{
    SqlStatement st;
    const QString table = tableName(changes);
    auto bind = [&st](const QVariant &value) { return st.bind(value); };
    const QString now = QStringLiteral("(now() AT TIME ZONE 'UTC')");
    const QString returning =
        changes.touchColumn.isEmpty()
            ? QString()
            : QStringLiteral(" RETURNING CAST(%1 AS text)").arg(quoted(changes.touchColumn));
    switch (row.kind) {
    case RowWrite::Kind::Insert: {
        QStringList columns;
        QStringList values;
        if (changes.insertKey) {
            columns << quoted(changes.idColumn);
            values << st.bind(row.id);
        }
        for (const ColumnValue &v : row.values) {
            if ((changes.insertKey && v.column == changes.idColumn) || v.column == changes.touchColumn)
                continue;
            columns << quoted(v.column);
            values << valueOrDefault(v, st);
        }
        if (!changes.touchColumn.isEmpty()) {
            columns << quoted(changes.touchColumn);
            values << now;
        }
        st.text = columns.isEmpty() ? QStringLiteral("INSERT INTO %1 DEFAULT VALUES%2").arg(table, returning)
                                    : QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)%4")
                                          .arg(table, columns.join(QStringLiteral(", ")),
                                               values.join(QStringLiteral(", ")), returning);
        break;
    }
    case RowWrite::Kind::Update: {
        QStringList sets;
        for (const ColumnValue &v : row.values)
            sets << QStringLiteral("%1 = %2").arg(quoted(v.column), valueOrDefault(v, st));
        if (!changes.touchColumn.isEmpty())
            sets << QStringLiteral("%1 = %2").arg(quoted(changes.touchColumn), now);
        const QString key = keyCondition(changes, row.id, bind);
        st.text = QStringLiteral("UPDATE %1 SET %2 WHERE %3%4%5")
                      .arg(table, sets.join(QStringLiteral(", ")), key, expectedClause(row, st), returning);
        break;
    }
    case RowWrite::Kind::Delete: {
        const QString key = keyCondition(changes, row.id, bind);
        st.text = QStringLiteral("DELETE FROM %1 WHERE %2%3").arg(table, key, expectedClause(row, st));
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
        select << textExpression(c);
    if (select.isEmpty())
        select << QStringLiteral("1");
    QSqlQuery q(db);
    SqlStatement st;
    auto bind = [&st](const QVariant &value) { return st.bind(value); };
    const QString text =
        QStringLiteral("SELECT %1 FROM %2 WHERE %3")
            .arg(select.join(QStringLiteral(", ")), tableName(changes), keyCondition(changes, row.id, bind));
    if (Status s =
            sql::execPrepared(q, text, st.bindings, QStringLiteral("Cannot read the row's current values"));
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

QList<TableWriter::Statement> TableWriter::statements(const ChangeSet &changes)
{
    QList<Statement> out;
    for (const RowWrite &row : changes.rows) {
        const SqlStatement st = buildStatement(changes, row);
        out << Statement{st.text, st.bindings};
    }
    return out;
}

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
        SqlStatement st = buildStatement(changes, row);
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
