#include "sqlvalues.h"

#include <QSqlDriver>

#include <libpq-fe.h>

#include <algorithm>
#include <array>

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

QString isoUtcText(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    const QDateTime utc = when.toUTC();
    const QDate date = utc.date();
    const QTime time = utc.time();
    if (date.year() < 0 || date.year() > 9999)
        return utc.toString(Qt::ISODateWithMs);
    std::array<char16_t, 24> text{};
    std::size_t at = 0;
    const auto field = [&text, &at](int value, int digits, char16_t after) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            text[at + i] = char16_t(u'0' + value % 10);
        at += digits;
        text[at++] = after;
    };
    field(date.year(), 4, u'-');
    field(date.month(), 2, u'-');
    field(date.day(), 2, u'T');
    field(time.hour(), 2, u':');
    field(time.minute(), 2, u':');
    field(time.second(), 2, u'.');
    field(time.msec(), 3, u'Z');
    return QString::fromUtf16(text.data(), qsizetype(text.size()));
}

QDateTime timestampFromText(const QVariant &text)
{
    if (text.isNull())
        return {};
    // PostgreSQL prints "2026-11-29 15:14:20.85": trailing zeros of the fraction are dropped.
    // Read by hand rather than through QDateTime::fromString, which builds a local time first
    // (mktime, a stat of /etc/localtime per value): the hub reads thousands of these a second.
    const QString s = text.toString();
    const auto number = [&s](qsizetype from, qsizetype digits) {
        int value = 0;
        for (qsizetype i = from; i < from + digits; ++i) {
            const QChar c = s.at(i);
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return -1;
            value = value * 10 + (c.unicode() - '0');
        }
        return value;
    };
    if (s.size() < 19 || s.at(4) != QLatin1Char('-') || s.at(7) != QLatin1Char('-') ||
        s.at(10) != QLatin1Char(' ') || s.at(13) != QLatin1Char(':') || s.at(16) != QLatin1Char(':'))
        return {};
    int ms = 0;
    if (s.size() > 19) {
        if (s.at(19) != QLatin1Char('.') || s.size() == 20 || s.size() > 26)
            return {};
        const qsizetype digits = s.size() - 20;
        const int fraction = number(20, std::min<qsizetype>(digits, 3));
        if (fraction < 0 || number(20, digits) < 0)
            return {};
        ms = digits == 1 ? fraction * 100 : digits == 2 ? fraction * 10 : fraction;
    }
    const int year = number(0, 4);
    if (year < 0)
        return {};
    const QDate date(year, number(5, 2), number(8, 2));
    const QTime time(number(11, 2), number(14, 2), number(17, 2), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
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

QString inTextList(const QString &expression, const QString &param)
{
    return QStringLiteral("%1 = ANY (ARRAY(SELECT jsonb_array_elements_text(CAST(%2 AS jsonb))))")
        .arg(expression, param);
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
