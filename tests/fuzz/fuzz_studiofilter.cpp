// libFuzzer target: Studio's filter builder (models/studiofilter.h) over a fixed table with one
// column of every type. The input is either a line as typed in the filter bar (parseLine), or
// (first byte 0x01) one pill given field by field (buildFilter). Invariants: a line that parses
// gives pills that buildFilter accepts; every built filter's SQL names only the spec's columns;
// no typed text ever reaches the SQL text (values are bound).
#include "columnspecs.h"
#include "fuzzcheck.h"
#include "keysetquery.h"
#include "studiofilter.h"
#include "tablespec.h"

using namespace ccpm;
using Type = ColumnSpec::Type;
using Op = KeysetQuery::Filter::Op;
namespace sf = ccpm::studiofilter;

namespace {

ColumnSpec col(const char *name, Type type, const char *sqlType, bool nullable = true)
{
    return column(QString::fromLatin1(name), type, QString::fromLatin1(sqlType), nullable);
}

TableSpec makeSpec()
{
    TableSpec s;
    s.schema = QStringLiteral("fz");
    s.table = QStringLiteral("items");
    s.idColumn = QStringLiteral("id");
    s.clientKeys = false;
    s.columns << col("id", Type::Integer, "integer", false) << col("name", Type::Text, "text")
              << col("qty", Type::Integer, "integer") << col("big", Type::Integer, "bigint")
              << col("price", Type::Decimal, "numeric(12,2)") << col("flag", Type::Boolean, "boolean");
    ColumnSpec mood = col("mood", Type::Enum, "mood");
    mood.values = QStringList{QStringLiteral("sad"), QStringLiteral("ok"), QStringLiteral("happy")};
    s.columns << mood << col("at", Type::ZonedTimestamp, "timestamp with time zone")
              << col("day", Type::Date, "date") << col("uid", Type::Uuid, "uuid")
              << col("data", Type::Json, "jsonb");
    ColumnSpec nums = col("nums", Type::Array, "integer[]");
    nums.elementType = QStringLiteral("integer");
    s.columns << nums << col("tags", Type::TextArray, "text[]")
              << col("code", Type::Text, "character varying(5)");
    ColumnSpec small = col("small", Type::Integer, "smallint");
    small.minimum = -32768;
    small.maximum = 32767;
    s.columns << small << col("dbl", Type::Decimal, "double precision") << col("ip", Type::Inet, "inet")
              << col("iv", Type::Interval, "interval") << col("bin", Type::Bytea, "bytea")
              << col("js", Type::Json, "json") << col("tm", Type::Time, "time without time zone")
              << col("ts", Type::LocalTimestamp, "timestamp without time zone")
              << col("stamp", Type::Timestamp, "timestamp(3)") << col("cidr", Type::Inet, "cidr")
              << col("Mixed Name", Type::Text, "text") << col("other", Type::Other, "point");
    ColumnSpec moods = col("moods", Type::Array, "mood[]");
    moods.elementType = QStringLiteral("mood");
    moods.values = mood.values;
    s.columns << moods << col("req", Type::Text, "text", false);
    return s;
}

const TableSpec &spec()
{
    static const TableSpec s = makeSpec();
    return s;
}

/// The SQL of the spec's query without filters: any text in it may appear in a filtered query.
const QString &baseSql()
{
    static const QString sql = [] {
        QString all = spec().query({{0, true}}, {}, false).page(KeysetQuery::Direction::Forward, {}, 50).text;
        for (int i = 0; i < spec().columns.size(); ++i)
            all += spec().expression(i) + spec().columns.at(i).sqlType + spec().columns.at(i).elementType;
        return all;
    }();
    return sql;
}

/// Typed text that must not appear in SQL: long enough to be noticed, not already in the base SQL.
bool mustStayOut(const QString &typed)
{
    return typed.size() >= 6 && !baseSql().contains(typed) &&
           !QStringLiteral("CAST( AS jsonb)CAST( AS text)IS DISTINCT FROM ILIKE ESCAPE").contains(typed);
}

void checkFilters(const QList<StudioFilter> &pills, bool matchAny)
{
    const Result<QList<KeysetQuery::Filter>> filters = sf::buildFilters(spec(), pills);
    if (!filters) {
        FUZZ_CHECK(filters.error().kind == Error::Kind::Invalid, "a refused pill is Invalid");
        return;
    }
    FUZZ_CHECK(filters->size() == pills.size(), "one filter per pill");
    for (const KeysetQuery::Filter &f : *filters) {
        bool fromSpec = false;
        for (int i = 0; i < spec().columns.size() && !fromSpec; ++i)
            fromSpec = f.expression.contains(spec().expression(i));
        FUZZ_CHECK(fromSpec, "the filter's expression is a spec column");
    }
    for (const StudioFilter &p : pills)
        (void)sf::describe(spec(), p);
    const KeysetQuery query = spec().query({{0, true}}, *filters, matchAny);
    for (const KeysetQuery::Sql &sql :
         {query.page(KeysetQuery::Direction::Forward, {}, 50), query.count(), query.all()}) {
        for (const StudioFilter &p : pills) {
            QStringList typed = p.values + p.path;
            typed << p.value << p.column;
            for (const QString &t : typed) {
                if (mustStayOut(t) && sql.text.contains(t))
                    std::fprintf(stderr, "typed: %s\nsql: %s\n", qPrintable(t), qPrintable(sql.text));
                FUZZ_CHECK(!mustStayOut(t) || !sql.text.contains(t), "typed text never reaches the SQL text");
            }
        }
    }
}

} // namespace

CCPM_FUZZ_TARGET(fuzz_studiofilter)
{
    if (size > 0 && data[0] == 0x01) {
        // One pill: column \x1f op-number \x1f value \x1f values (\x1e-separated) \x1f path
        const QStringList fields = fuzzText(data + 1, size - 1).split(QChar(0x1f));
        StudioFilter pill;
        pill.column = fields.value(0);
        pill.op = Op(fields.value(1).toUInt() % (unsigned(Op::ArrayContains) + 1));
        pill.value = fields.value(2);
        if (fields.size() > 3)
            pill.values = fields.at(3).split(QChar(0x1e));
        if (fields.size() > 4)
            pill.path = fields.at(4).split(QChar(0x1e));
        const Result<KeysetQuery::Filter> one = sf::buildFilter(spec(), pill);
        FUZZ_CHECK(bool(one) || !one.error().message.isEmpty(), "a refusal says why");
        (void)sf::splitList(pill.value);
        (void)sf::splitPath(pill.value);
        checkFilters({pill}, false);
        return;
    }
    const QString line = fuzzText(data, size);
    const Result<sf::ParsedFilterLine> parsed = sf::parseLine(spec(), line);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().kind == Error::Kind::Invalid, "a refused line is Invalid");
        FUZZ_CHECK(!parsed.error().message.isEmpty(), "a refusal says why");
        return;
    }
    for (const StudioFilter &p : parsed->pills)
        FUZZ_CHECK(bool(sf::buildFilter(spec(), p)), "parseLine's pills pass buildFilter");
    checkFilters(parsed->pills, parsed->matchAny);
    return;
}
