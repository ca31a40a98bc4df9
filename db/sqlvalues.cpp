#include "sqlvalues.h"

#include <QSqlDriver>

#include <libpq-fe.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>

namespace ccpm::sql {

QString timestampText(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QDateTime timestampFromText(const QVariant &text)
{
    if (text.isNull())
        return {};
    // PostgreSQL prints "2026-11-29 15:14:20.85": trailing zeros of the fraction are dropped.
    QString s = text.toString();
    QString fraction;
    const qsizetype dot = s.indexOf(QLatin1Char('.'));
    if (dot >= 0) {
        fraction = s.mid(dot + 1);
        s.truncate(dot);
    }
    const QDateTime local = QDateTime::fromString(s, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!local.isValid())
        return {};
    const QDateTime dt(local.date(), local.time(), Qt::UTC);
    const int ms = fraction.isEmpty() ? 0 : fraction.left(3).leftJustified(3, QLatin1Char('0')).toInt();
    return dt.addMSecs(ms);
}

QString jsonText(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays: wrap scalars in an array and unwrap the text.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

Result<QJsonValue> jsonFromText(const QVariant &text)
{
    if (text.isNull())
        return QJsonValue(QJsonValue::Null);
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + text.toString().toUtf8() + QByteArray("]"), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return Error{
            Error::Kind::Invalid, QStringLiteral("Invalid JSON value: %1").arg(error.errorString()), {}, {}};
    return doc.array().first();
}

QVariant textArrayJson(const std::optional<QStringList> &list)
{
    if (!list)
        return QVariant(QMetaType::fromType<QString>());
    QJsonArray array;
    for (const QString &element : *list)
        array.append(element.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(element));
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

std::optional<QStringList> textArrayFromJson(const QVariant &text)
{
    if (text.isNull())
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toString().toUtf8());
    QStringList list;
    const QJsonArray array = doc.array();
    list.reserve(array.size());
    for (const QJsonValue &v : array) {
        if (v.isNull()) {
            list.append(QString());
        } else {
            QString s = v.toString();
            if (s.isNull())
                s = QStringLiteral(""); // keep '' distinct from NULL
            list.append(s);
        }
    }
    return list;
}

QString textArrayExpression(const QString &param)
{
    return QStringLiteral("CASE WHEN CAST(%1 AS jsonb) IS NULL THEN NULL ELSE ARRAY(SELECT e FROM "
                          "jsonb_array_elements_text(CAST(%1 AS jsonb)) WITH ORDINALITY AS t(e, n) "
                          "ORDER BY n)::text[] END")
        .arg(param);
}

QString quoteIdentifier(const QString &name)
{
    // The driver's quoting needs no open connection; this one is never opened.
    static QSqlDriver *const driver =
        QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("ccpm-identifier-quoting"))
            .driver();
    // QPSQL leaves a name that starts or ends with `"` unquoted and splits one at each `.`:
    // such names get the standard rule (wrap in quotes, double the quotes inside).
    if (name.startsWith(QLatin1Char('"')) || name.endsWith(QLatin1Char('"')) ||
        name.contains(QLatin1Char('.')))
        return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
               QLatin1Char('"');
    return driver->escapeIdentifier(name, QSqlDriver::FieldName);
}

QString quoteQualified(const QString &schema, const QString &name)
{
    return schema.isEmpty() ? quoteIdentifier(name)
                            : quoteIdentifier(schema) + QLatin1Char('.') + quoteIdentifier(name);
}

QVariant columnDefault()
{
    return QVariant::fromValue(ColumnDefault{});
}

bool isColumnDefault(const QVariant &value)
{
    return value.metaType() == QMetaType::fromType<ColumnDefault>();
}

Status execPrepared(QSqlQuery &query, const QString &sql, const QVariantMap &bindings, const QString &what)
{
    if (!query.prepare(sql))
        return Error::fromSql(query.lastError(), what);
    for (auto it = bindings.cbegin(); it != bindings.cend(); ++it)
        query.bindValue(it.key(), it.value());
    if (!query.exec())
        return Error::fromSql(query.lastError(), what);
    return Done{};
}

namespace {

PGconn *connectionOf(const QSqlQuery &query)
{
    if (!query.driver())
        return nullptr;
    const QVariant handle = query.driver()->handle();
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0)
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

bool run(PGconn *connection, const char *command)
{
    PGresult *result = PQexec(connection, command);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    return ok;
}

} // namespace

Status execPreparedMayFail(QSqlQuery &query, const QString &sql, const QVariantMap &bindings,
                           const QString &what)
{
    PGconn *connection = connectionOf(query);
    if (!connection || PQtransactionStatus(connection) != PQTRANS_INTRANS ||
        !run(connection, "SAVEPOINT ccpm_may_fail"))
        return execPrepared(query, sql, bindings, what);
    Status s = execPrepared(query, sql, bindings, what);
    run(connection, s ? "RELEASE SAVEPOINT ccpm_may_fail" : "ROLLBACK TO SAVEPOINT ccpm_may_fail");
    return s;
}

} // namespace ccpm::sql
