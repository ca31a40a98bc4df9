#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include "result.h"

#include <optional>

namespace ccpm::sql {

/// Conversions between Qt values and the exact text forms PostgreSQL uses for the schema's
/// column types. Repositories select these columns as text and bind text, so no value passes
/// through the driver's own (time-zone-dependent) conversions.
///
/// - TIMESTAMP(3): UTC wall-clock time without a zone (schema contract), millisecond precision.
///   Select with `"col"::text`, bind with `CAST(:v AS timestamp(3))`.
/// - jsonb: any JSON value, scalars included. Select with `"col"::text`, bind with
///   `CAST(:v AS jsonb)`.
/// - text[]: select with `array_to_json("col")::text` (NULL array stays NULL, NULL elements
///   become JSON null), bind through textArrayExpression(). An empty array is not NULL.
///   In a QStringList, a null QString is an SQL NULL element; an empty QString is ''.
/// Pure functions, any thread.

QString timestampText(const QDateTime &utc);       ///< "2026-11-29 15:14:20.850", or null QString
QDateTime timestampFromText(const QVariant &text); ///< invalid QDateTime for NULL
/// ISO 8601 in UTC with milliseconds, "2026-11-29T15:14:20.850Z" (what
/// `toUTC().toString(Qt::ISODateWithMs)` writes; the agent protocol's timestamps), or a null
/// QString for an invalid QDateTime. Written by hand: the hub writes thousands a second, and
/// QDateTime::toString formats each field through QString::asprintf.
QString isoUtcText(const QDateTime &when);

QString jsonText(const QJsonValue &value); ///< compact JSON, scalars allowed
Result<QJsonValue> jsonFromText(const QVariant &text);

QVariant textArrayJson(const std::optional<QStringList> &list); ///< bind value for the expression below
std::optional<QStringList> textArrayFromJson(const QVariant &text);
/// SQL expression turning a bound JSON array (placeholder `param`, e.g. ":caps") into text[],
/// keeping order, NULL elements and NULL itself.
QString textArrayExpression(const QString &param);
/// `expression = ANY (ARRAY(…))` over a bound JSON array of text (placeholder `param`, bound
/// with textArrayJson()): "is one of these ids". Written as an array rather than
/// `IN (SELECT jsonb_array_elements_text(…))` on purpose: the planner estimates a set-returning
/// function at 100 rows, and against a table of a few thousand rows or more it then chooses a
/// sequential scan and a hash join for every lookup (measured in the hub's writes: a whole
/// `agents` scan per batch of 2). An `= ANY` over an InitPlan array uses the primary key's index.
QString inTextList(const QString &expression, const QString &param);

/// A bind value for a nullable text column: a null QString binds SQL NULL.
inline QVariant nullableText(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

/// "true" or "false", bound as text and cast in SQL (`CAST(:v AS boolean)`) so that no driver
/// formatting of booleans is relied on.
inline QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

/// `name` quoted as one SQL identifier (`"createdAt"`, embedded quotes doubled), for SQL built
/// outside a job (item models). The QPSQL driver quotes it, except for the names its quoting
/// leaves open (one that starts or ends with `"` is returned as is, a `.` splits it into
/// schema and name): those are quoted by the SQL standard's rule here. Any name, any thread.
QString quoteIdentifier(const QString &name);
/// `"schema"."name"`, or quoteIdentifier(name) when `schema` is empty.
QString quoteQualified(const QString &schema, const QString &name);

/// A staged "set this column to its DEFAULT" (Studio): a QVariant of this type is written as
/// the keyword DEFAULT, never as a value.
struct ColumnDefault {
    bool operator==(const ColumnDefault &) const { return true; }
};
QVariant columnDefault();
bool isColumnDefault(const QVariant &value);

/// Wraps QSqlQuery::prepare + bindValue + exec with a readable Error naming `what` on failure.
Status execPrepared(QSqlQuery &query, const QString &sql, const QVariantMap &bindings, const QString &what);

/// execPrepared() for a statement the server may refuse as the caller expects (a duplicate
/// username). Inside a transaction it runs in a savepoint that is rolled back at once when the
/// statement fails, while its prepared statement still exists: the transaction stays usable,
/// and QPSQL frees the statement cleanly instead of logging "Unable to free statement: current
/// transaction is aborted". Outside a transaction it is execPrepared(). Inside a job.
Status execPreparedMayFail(QSqlQuery &query, const QString &sql, const QVariantMap &bindings,
                           const QString &what);

} // namespace ccpm::sql
