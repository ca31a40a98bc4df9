// libFuzzer target: the decoding of database cells and typed values (db/sqlvalues.h,
// models/valuetext.h): jsonb text, text[] as JSON, PostgreSQL array literals `{a,"b c",NULL}`,
// JSON arrays, bytea, decimals, dates and times. Invariants: what decodes re-encodes and decodes
// to the same thing; normal forms are fixed points; NULL stays distinct from ''.
#include "fuzzcheck.h"
#include "sqlvalues.h"
#include "valuetext.h"

#include <QJsonDocument>

using namespace ccpm;
namespace vt = ccpm::valuetext;

namespace {

/// A PostgreSQL array literal of `elements`, every element quoted (null QString → NULL).
QString pgArrayLiteral(const QStringList &elements)
{
    QStringList parts;
    for (const QString &e : elements) {
        if (e.isNull()) {
            parts << QStringLiteral("NULL");
            continue;
        }
        QString q = e;
        q.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        parts << QLatin1Char('"') + q + QLatin1Char('"');
    }
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

/// Equal lists, telling a null element (SQL NULL) from an empty one ('').
bool sameElements(const QStringList &a, const QStringList &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a.at(i) != b.at(i) || a.at(i).isNull() != b.at(i).isNull())
            return false;
    return true;
}

/// Whether every string in `list` can travel through JSON unchanged (no lone surrogate, which
/// UTF-8 cannot hold).
bool utf8Safe(const QStringList &list)
{
    for (const QString &s : list)
        if (QString::fromUtf8(s.toUtf8()) != s)
            return false;
    return true;
}

void checkArrays(const QString &text)
{
    // text[] as the repositories read it: array_to_json text.
    const std::optional<QStringList> fromJson = sql::textArrayFromJson(text);
    FUZZ_CHECK(fromJson.has_value(), "a non-NULL cell is an array (possibly empty)");
    const QVariant bound = sql::textArrayJson(fromJson);
    const std::optional<QStringList> again = sql::textArrayFromJson(bound);
    FUZZ_CHECK(again && sameElements(*fromJson, *again), "text[] JSON round-trips");
    FUZZ_CHECK(!sql::textArrayFromJson(QVariant()).has_value(), "NULL stays NULL");

    // PostgreSQL array literal.
    if (const std::optional<QStringList> pg = vt::pgArrayElements(text)) {
        const std::optional<QStringList> back = vt::pgArrayElements(pgArrayLiteral(*pg));
        FUZZ_CHECK(back && sameElements(*pg, *back), "array literal round-trips");
        if (utf8Safe(*pg)) {
            const std::optional<QStringList> viaJson = vt::jsonArrayElements(vt::jsonStringArray(*pg));
            FUZZ_CHECK(viaJson && sameElements(*pg, *viaJson), "array literal → JSON array round-trips");
        }
    }

    // A JSON array's elements as text.
    if (const std::optional<QStringList> elements = vt::jsonArrayElements(text)) {
        FUZZ_CHECK(vt::isJson(text), "a JSON array is JSON");
        const std::optional<QStringList> back = vt::jsonArrayElements(vt::compactJson(text));
        FUZZ_CHECK(back && sameElements(*elements, *back), "compactJson keeps the elements");
        if (utf8Safe(*elements)) {
            const std::optional<QStringList> viaString =
                vt::jsonArrayElements(vt::jsonStringArray(*elements));
            FUZZ_CHECK(viaString && sameElements(*elements, *viaString), "string array round-trips");
        }
    }
}

void checkJson(const QString &text)
{
    const Result<QJsonValue> value = sql::jsonFromText(text);
    FUZZ_CHECK(sql::jsonFromText(QVariant())->isNull(), "NULL cell is JSON null");
    if (value) {
        const QString written = sql::jsonText(*value);
        const Result<QJsonValue> reread = sql::jsonFromText(written);
        FUZZ_CHECK(bool(reread), "jsonText output parses");
        FUZZ_CHECK(*reread == *value, "jsonb text round-trips");
        FUZZ_CHECK(vt::isJson(written), "jsonText output is JSON by the grammar");
    }
    if (vt::isJson(text)) {
        const QString compact = vt::compactJson(text);
        FUZZ_CHECK(vt::isJson(compact), "compactJson keeps JSON valid");
        FUZZ_CHECK(vt::compactJson(compact) == compact, "compactJson is idempotent");
    }
}

void checkScalars(const QString &text)
{
    if (vt::isDecimal(text)) {
        const QString key = vt::decimalKey(text);
        FUZZ_CHECK(vt::decimalKey(key) == key, "decimalKey is a fixed point");
    }
    if (vt::isWholeNumber(text))
        FUZZ_CHECK(vt::isDecimal(text), "a whole number is a decimal");
    if (vt::isUuid(text)) {
        const QString key = vt::uuidKey(text);
        FUZZ_CHECK(key.size() == 32 && vt::isUuid(key) && vt::uuidKey(key) == key,
                   "uuidKey is 32 hex digits");
    }
    if (const std::optional<QByteArray> bytes = vt::byteaBytes(text)) {
        const std::optional<QString> normal = vt::normalBytea(text);
        FUZZ_CHECK(normal.has_value(), "bytea that decodes has a normal form");
        FUZZ_CHECK(vt::byteaBytes(*normal) == bytes, "normal bytea holds the same bytes");
        FUZZ_CHECK(vt::normalBytea(*normal) == normal, "normal bytea is a fixed point");
    }
    if (const std::optional<QString> date = vt::normalDate(text))
        FUZZ_CHECK(vt::normalDate(*date) == date, "normalDate is a fixed point");
    for (const bool zone : {false, true})
        if (const std::optional<QString> time = vt::normalTime(text, zone))
            FUZZ_CHECK(vt::normalTime(*time, zone) == time, "normalTime is a fixed point");
    if (const std::optional<vt::DateTimeText> dt = vt::parseDateTime(text)) {
        FUZZ_CHECK(dt->date.isValid(), "a parsed date is valid");
        const QString written = vt::dateTimeText(dt->date, dt->time, dt->fraction);
        const std::optional<vt::DateTimeText> again = vt::parseDateTime(written);
        FUZZ_CHECK(again && again->date == dt->date && again->fraction == dt->fraction &&
                       (!dt->hasTime || again->time == dt->time),
                   "dateTimeText re-parses to the same time");
        if (dt->offsetSeconds)
            (void)vt::offsetText(*dt->offsetSeconds), (void)vt::offsetDisplay(*dt->offsetSeconds);
    }
    (void)vt::integerDigits(text);
    (void)vt::isInterval(text);
    (void)vt::isInet(text, false);
    (void)vt::isInet(text, true);
    (void)vt::isSpecialDateTime(text);
    (void)sql::timestampFromText(text);
    (void)sql::quoteIdentifier(text);
}

} // namespace

CCPM_FUZZ_TARGET(fuzz_values)
{
    const QString text = fuzzText(data, size);
    checkArrays(text);
    checkJson(text);
    checkScalars(text);
    return;
}
