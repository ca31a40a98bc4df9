// Studio's filter pills against the real PostgreSQL: every operator on every type returns the
// rows it should (AND and OR), values built to inject SQL are bound and match only what they
// literally match, and unknown or injected column names and malformed values are refused before
// any SQL exists.
#include "catalog.h"
#include "columnspecs.h"
#include "keysetquery.h"
#include "sqlvalues.h"
#include "studiofilter.h"
#include "studiospec.h"
#include "tablespec.h"
#include "testdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;
using Op = KeysetQuery::Filter::Op;
using Type = ColumnSpec::Type;
namespace sf = ccpm::studiofilter;

Q_DECLARE_METATYPE(ccpm::StudioFilter)
Q_DECLARE_METATYPE(QList<ccpm::StudioFilter>)

namespace {

const QString kSchema = QStringLiteral(R"(
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE %1 (
    id integer PRIMARY KEY,
    name text,
    qty integer,
    big bigint,
    price numeric(12,2),
    flag boolean,
    mood mood,
    at timestamptz,
    day date,
    uid uuid,
    data jsonb,
    nums integer[],
    tags text[],
    code varchar(5),
    small smallint,
    dbl double precision,
    ip inet,
    iv interval,
    bin bytea,
    js json,
    tm time,
    ts timestamp,
    moods mood[],
    req text NOT NULL DEFAULT ''
);
INSERT INTO %1 VALUES
 (1, 'Apple', 10, 9007199254740993, 83261.85, true, 'happy', '2026-11-29 18:30:00+00', '2026-11-29',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": {"b": "x"}, "k": 1}', '{1,2,3}', '{red,green}', 'abcde',
  100, 0.1, '192.168.0.1', '1 day', '\x0a1b', '{"a": 1}', '18:30', '2026-11-29 18:30:00', '{happy}', 'r'),
 (2, 'banana', 20, 9007199254740992, 10.00, false, 'ok', '2026-11-30 00:00:00+00', '2026-11-30',
  'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{"k": null, "n": 5}', '{4}', '{yellow}', 'abc',
  NULL, 1e300, '10.0.0.5', '02:00:00', '\x', '[1, 2]', '09:00', NULL, '{sad,ok}', 'r'),
 (3, '100%', 30, -5, 0.50, NULL, 'sad', '2025-01-01 00:00:00+00', '2025-01-01',
  NULL, '"scalar"', '{}', '{}', NULL,
  NULL, NULL, '::1', '3 hours', NULL, '"s"', NULL, NULL, '{}', 'r'),
 (4, 'a_b', NULL, NULL, NULL, true, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'r'),
 (5, 'back\slash', -1, 0, -0.01, false, 'happy', '2026-11-29 18:30:00.5+00', '2026-11-29',
  'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '[1, 2]', '{2,NULL}', '{"with,comma",NULL}', NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'r'),
 (6, 'O''Brien', 5, 1, 10.5, true, 'ok', '2026-11-29 20:30:00+02', '2026-11-28',
  NULL, '{"a": {"b": "y"}}', '{3}', '{"O''Brien"}', NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'r'),
 (7, NULL, 0, 2, 0, false, 'sad', '2024-06-01 12:00:00+00', '2024-06-01',
  NULL, '{"a": [10, {"b": "z"}]}', '{10}', '{Red}', NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'r');
)");

/// The spec Studio's catalog would make of the table above (what models/studiospec gives).
TableSpec spec(const QString &table)
{
    TableSpec s;
    s.table = table;
    s.idColumn = QStringLiteral("id");
    s.clientKeys = false;
    s.columns << column("id", Type::Integer, "integer", false) << column("name", Type::Text, "text")
              << column("qty", Type::Integer, "integer") << column("big", Type::Integer, "bigint")
              << column("price", Type::Decimal, "numeric(12,2)") << column("flag", Type::Boolean, "boolean");
    ColumnSpec mood = column("mood", Type::Enum, "mood");
    mood.values = QStringList{"sad", "ok", "happy"};
    s.columns << mood << column("at", Type::ZonedTimestamp, "timestamp with time zone")
              << column("day", Type::Date, "date") << column("uid", Type::Uuid, "uuid")
              << column("data", Type::Json, "jsonb");
    ColumnSpec nums = column("nums", Type::Array, "integer[]");
    nums.elementType = "integer";
    s.columns << nums << column("tags", Type::TextArray, "text[]")
              << column("code", Type::Text, "character varying(5)");
    ColumnSpec small = column("small", Type::Integer, "smallint");
    small.minimum = -32768;
    small.maximum = 32767;
    s.columns << small << column("dbl", Type::Decimal, "double precision") << column("ip", Type::Inet, "inet")
              << column("iv", Type::Interval, "interval") << column("bin", Type::Bytea, "bytea")
              << column("js", Type::Json, "json") << column("tm", Type::Time, "time without time zone")
              << column("ts", Type::LocalTimestamp, "timestamp without time zone");
    ColumnSpec moods = column("moods", Type::Array, "mood[]");
    moods.elementType = "mood";
    moods.values = mood.values;
    s.columns << moods << column("req", Type::Text, "text", false);
    return s;
}

StudioFilter pill(const QString &columnName, Op op, const QString &value = {}, const QStringList &values = {},
                  const QStringList &path = {})
{
    return StudioFilter{columnName, op, value, values, path};
}

} // namespace

class TestStudioFilter : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void opsFollowTheType();
    void filtersReturnTheRows_data();
    void filtersReturnTheRows();
    void quickSearchAndFiltersCombine();
    void manyFiltersBindTheirOwnValues();
    void refusedBeforeSql_data();
    void refusedBeforeSql();
    void valuesAreNormalised();
    void injectionHasNoEffect();
    void describeReadsLikeThePill_data();
    void describeReadsLikeThePill();
    void splitListAndPath();
    void typedLines_data();
    void typedLines();
    void typedLinesRefused_data();
    void typedLinesRefused();
    void everyColumnOfTheStudioSchema();

private:
    /// The ids of the rows `pills` select from `table` (sorted by id), or the error.
    QString run(const QString &table, const QList<StudioFilter> &pills, bool matchAny = false,
                const QString &quick = {}) const;
    std::unique_ptr<TestDatabase> m_db;
};

void TestStudioFilter::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("studiofilter");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    for (const QString &table : {QStringLiteral("things"), QStringLiteral("nasty")}) {
        QString sql = kSchema.arg(table);
        if (table == QLatin1String("nasty"))
            sql.remove(QStringLiteral("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"));
        for (const QString &statement : sql.split(QStringLiteral(";\n"), Qt::SkipEmptyParts)) {
            if (!statement.trimmed().isEmpty())
                QVERIFY2(q.exec(statement), qPrintable(q.lastError().text() + " in " + statement));
        }
    }
}

void TestStudioFilter::cleanupTestCase()
{
    m_db.reset();
}

QString TestStudioFilter::run(const QString &table, const QList<StudioFilter> &pills, bool matchAny,
                              const QString &quick) const
{
    const TableSpec s = spec(table);
    const Result<QList<KeysetQuery::Filter>> filters = sf::buildFilters(s, pills);
    if (!filters)
        return QStringLiteral("refused: ") + filters.error().message;
    KeysetQuery query(s.source(), {{s.expression(0), true, false}}, *filters, quick,
                      sf::quickSearchColumns(s));
    query.setMatchAny(matchAny);
    const KeysetQuery::Sql sql = query.page(KeysetQuery::Direction::Forward, std::nullopt, 10000);
    QSqlQuery q(m_db->connection());
    q.setForwardOnly(true);
    if (Status status = sql::execPrepared(q, sql.text, sql.bindings, "filter"); !status)
        return QStringLiteral("error: ") + status.error().toString() + " in " + sql.text;
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids.join(',');
}

void TestStudioFilter::opsFollowTheType()
{
    const TableSpec s = spec("things");
    auto opsOf = [&](const QString &name) { return sf::ops(s.columns.at(s.columnOf(name))); };
    QCOMPARE(opsOf("flag"), (QList<Op>{Op::Equals, Op::NotEquals, Op::IsNull, Op::IsNotNull}));
    QCOMPARE(opsOf("nums"), (QList<Op>{Op::ArrayContains, Op::IsNull, Op::IsNotNull}));
    QCOMPARE(opsOf("tags"), (QList<Op>{Op::ArrayContains, Op::IsNull, Op::IsNotNull}));
    QVERIFY(opsOf("data").contains(Op::JsonHasKey));
    QVERIFY(opsOf("data").contains(Op::JsonPathEquals));
    QVERIFY(!opsOf("qty").contains(Op::JsonHasKey));
    for (const char *name : {"name", "qty", "big", "price", "mood", "at", "day", "uid", "ip", "iv", "tm"}) {
        const QList<Op> ops = opsOf(name);
        for (Op op : {Op::Equals, Op::NotEquals, Op::Below, Op::AtMost, Op::Above, Op::AtLeast, Op::Contains,
                      Op::StartsWith, Op::InSet, Op::IsNull})
            QVERIFY2(ops.contains(op), qPrintable(name));
    }
    // Not nullable: no null tests are offered, and a typed one is refused.
    QVERIFY(!opsOf("req").contains(Op::IsNull));
    QVERIFY(!opsOf("id").contains(Op::IsNotNull));
    QVERIFY(!sf::buildFilter(s, pill("req", Op::IsNull)).ok());
}

void TestStudioFilter::filtersReturnTheRows_data()
{
    QTest::addColumn<QList<StudioFilter>>("pills");
    QTest::addColumn<bool>("matchAny");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, QList<StudioFilter> pills, const char *expected, bool any = false) {
        QTest::newRow(name) << pills << any << QString::fromUtf8(expected);
    };
    // text
    row("name = Apple", {pill("name", Op::Equals, "Apple")}, "1");
    row("name = apple (case matters)", {pill("name", Op::Equals, "apple")}, "");
    row("name ≠ Apple (NULL too)", {pill("name", Op::NotEquals, "Apple")}, "2,3,4,5,6,7");
    row("name contains A (any case)", {pill("name", Op::Contains, "A")}, "1,2,4,5");
    row("name contains %", {pill("name", Op::Contains, "%")}, "3");
    row("name contains _", {pill("name", Op::Contains, "_")}, "4");
    row("name contains \\", {pill("name", Op::Contains, "\\")}, "5");
    row("name starts with b", {pill("name", Op::StartsWith, "b")}, "2,5");
    row("name starts with o'b", {pill("name", Op::StartsWith, "o'b")}, "6");
    row("name in list", {pill("name", Op::InSet, {}, {"Apple", "a_b", "zzz"})}, "1,4");
    row("name is null", {pill("name", Op::IsNull)}, "7");
    row("name is not null", {pill("name", Op::IsNotNull)}, "1,2,3,4,5,6");
    row("varchar(5) = a longer value (no truncation)", {pill("code", Op::Equals, "abcdefgh")}, "");
    row("varchar(5) = abc", {pill("code", Op::Equals, "abc")}, "2");
    // integer
    row("qty = 10", {pill("qty", Op::Equals, "10")}, "1");
    row("qty ≠ 10 (NULL too)", {pill("qty", Op::NotEquals, " 10 ")}, "2,3,4,5,6,7");
    row("qty < 10", {pill("qty", Op::Below, "10")}, "5,6,7");
    row("qty ≤ 10", {pill("qty", Op::AtMost, "10")}, "1,5,6,7");
    row("qty > 10", {pill("qty", Op::Above, "10")}, "2,3");
    row("qty ≥ 10", {pill("qty", Op::AtLeast, "10")}, "1,2,3");
    row("qty in (10, 30, +5)", {pill("qty", Op::InSet, {}, {"10", "30", "+5"})}, "1,3,6");
    row("qty contains 0 (as text)", {pill("qty", Op::Contains, "0")}, "1,2,3,7");
    row("qty starts with -", {pill("qty", Op::StartsWith, "-")}, "5");
    row("qty is null", {pill("qty", Op::IsNull)}, "4");
    // bigint beyond 2^53, exactly
    row("big = 2^53+1", {pill("big", Op::Equals, "9007199254740993")}, "1");
    row("big ≥ 2^53+1", {pill("big", Op::AtLeast, "9007199254740993")}, "1");
    row("big = 2^53", {pill("big", Op::Equals, "9007199254740992")}, "2");
    row("big < 0", {pill("big", Op::Below, "0")}, "3");
    // numeric(12,2): compared as numeric, never rounded to the column's scale
    row("price = 83261.85", {pill("price", Op::Equals, "83261.85")}, "1");
    row("price = 10", {pill("price", Op::Equals, "10")}, "2");
    row("price = 10.001 (not rounded to 10.00)", {pill("price", Op::Equals, "10.001")}, "");
    row("price > 10", {pill("price", Op::Above, "10")}, "1,6");
    row("price < -0", {pill("price", Op::Below, "-0")}, "5");
    row("price in (10.0, .5)", {pill("price", Op::InSet, {}, {"10.0", ".5"})}, "2,3");
    row("double = 0.1", {pill("dbl", Op::Equals, "0.1")}, "1");
    row("double > 1e299", {pill("dbl", Op::Above, "1e299")}, "2");
    // boolean
    row("flag = true", {pill("flag", Op::Equals, "true")}, "1,4,6");
    row("flag = no", {pill("flag", Op::Equals, "no")}, "2,5,7");
    row("flag ≠ true", {pill("flag", Op::NotEquals, "t")}, "2,3,5,7");
    row("flag is null", {pill("flag", Op::IsNull)}, "3");
    // enum, in its declared order
    row("mood = happy", {pill("mood", Op::Equals, "happy")}, "1,5");
    row("mood > ok", {pill("mood", Op::Above, "ok")}, "1,5");
    row("mood ≤ ok", {pill("mood", Op::AtMost, "ok")}, "2,3,6,7");
    row("mood in (sad, HAPPY)", {pill("mood", Op::InSet, {}, {"sad", "HAPPY"})}, "1,3,5,7");
    row("mood contains a", {pill("mood", Op::Contains, "a")}, "1,3,5,7");
    row("mood is null", {pill("mood", Op::IsNull)}, "4");
    // timestamptz: the instant, in any zone's spelling
    row("at = 18:30Z", {pill("at", Op::Equals, "2026-11-29 18:30:00+00")}, "1,6");
    row("at = 20:30+02:00", {pill("at", Op::Equals, "2026-11-29T20:30:00+02:00")}, "1,6");
    row("at ≥ 18:30:00.1Z", {pill("at", Op::AtLeast, "2026-11-29 18:30:00.1Z")}, "2,5");
    row("at < 2026", {pill("at", Op::Below, "2026-01-01 00:00+00")}, "3,7");
    row("at in two spellings",
        {pill("at", Op::InSet, {}, {"2026-11-29 19:30:00+01", "2025-01-01 00:00:00Z"})}, "1,3,6");
    row("at starts with 2026-11-29", {pill("at", Op::StartsWith, "2026-11-29")}, "1,5,6");
    // date, time, timestamp, interval
    row("day = 2026-11-29", {pill("day", Op::Equals, "2026-11-29")}, "1,5");
    row("day < 2026-11-29", {pill("day", Op::Below, "2026-11-29")}, "3,6,7");
    row("day > 2026-11-29", {pill("day", Op::Above, "2026-11-29")}, "2");
    row("time < 10:00", {pill("tm", Op::Below, "10:00")}, "2");
    row("timestamp = 2026-11-29 18:30", {pill("ts", Op::Equals, "2026-11-29 18:30")}, "1");
    row("interval > 2 hours", {pill("iv", Op::Above, "2 hours")}, "1,3");
    row("interval = 24 hours", {pill("iv", Op::Equals, "24 hours")}, "1");
    // uuid: any case
    row("uid = upper case", {pill("uid", Op::Equals, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")}, "1");
    row("uid in upper case",
        {pill("uid", Op::InSet, {},
              {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "C0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A13"})},
        "1,5");
    row("uid < b0…", {pill("uid", Op::Below, "b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12")}, "1");
    row("uid contains bb6d", {pill("uid", Op::Contains, "bb6d")}, "1,2,5");
    row("uid is null", {pill("uid", Op::IsNull)}, "3,4,6,7");
    // inet, bytea
    row("ip = 192.168.0.1", {pill("ip", Op::Equals, "192.168.0.1")}, "1");
    row("ip < 11.0.0.0", {pill("ip", Op::Below, "11.0.0.0")}, "2");
    row("ip in (::1, 10.0.0.5)", {pill("ip", Op::InSet, {}, {"::1", "10.0.0.5"})}, "2,3");
    row("bin = \\x0a1b", {pill("bin", Op::Equals, "\\x0A1B")}, "1");
    row("bin = \\x (empty)", {pill("bin", Op::Equals, "\\x")}, "2");
    // jsonb and json
    row("data has key k", {pill("data", Op::JsonHasKey, "k")}, "1,2");
    row("data has key a", {pill("data", Op::JsonHasKey, "a")}, "1,6,7");
    row("data has key scalar (a string scalar)", {pill("data", Op::JsonHasKey, "scalar")}, "3");
    row("data a.b = x", {pill("data", Op::JsonPathEquals, "x", {}, {"a", "b"})}, "1");
    row("data a.b = y", {pill("data", Op::JsonPathEquals, "y", {}, {"a", "b"})}, "6");
    row("data a.1.b = z", {pill("data", Op::JsonPathEquals, "z", {}, {"a", "1", "b"})}, "7");
    row("data n = 5", {pill("data", Op::JsonPathEquals, "5", {}, {"n"})}, "2");
    row("data = object in another order", {pill("data", Op::Equals, R"({"k":1,  "a": {"b":"x"}})")}, "1");
    row("data = \"scalar\"", {pill("data", Op::Equals, R"("scalar")")}, "3");
    row("data ≠ \"scalar\"", {pill("data", Op::NotEquals, R"("scalar")")}, "1,2,4,5,6,7");
    row("data contains scalar", {pill("data", Op::Contains, "scalar")}, "3");
    row("data is null", {pill("data", Op::IsNull)}, "4");
    row("json = {\"a\":1}", {pill("js", Op::Equals, R"({"a":1})")}, "1");
    row("json has key a", {pill("js", Op::JsonHasKey, "a")}, "1");
    row("json a = 1", {pill("js", Op::JsonPathEquals, "1", {}, {"a"})}, "1");
    // arrays
    row("nums contains 2", {pill("nums", Op::ArrayContains, "2")}, "1,5");
    row("nums contains 3", {pill("nums", Op::ArrayContains, "3")}, "1,6");
    row("nums is null", {pill("nums", Op::IsNull)}, "4");
    row("tags contains red", {pill("tags", Op::ArrayContains, "red")}, "1");
    row("tags contains with,comma", {pill("tags", Op::ArrayContains, "with,comma")}, "5");
    row("tags contains O'Brien", {pill("tags", Op::ArrayContains, "O'Brien")}, "6");
    row("moods contains ok", {pill("moods", Op::ArrayContains, "ok")}, "2");
    // AND and OR
    const QList<StudioFilter> two{pill("qty", Op::AtLeast, "10"), pill("mood", Op::Equals, "happy")};
    row("qty ≥ 10 AND mood = happy", two, "1");
    row("qty ≥ 10 OR mood = happy", two, "1,2,3,5", true);
    const QList<StudioFilter> three{pill("name", Op::IsNull), pill("tags", Op::ArrayContains, "yellow"),
                                    pill("data", Op::JsonPathEquals, "y", {}, {"a", "b"})};
    row("three pills OR", three, "2,6,7", true);
    row("three pills AND", three, "");
    row("no pills", {}, "1,2,3,4,5,6,7");
}

void TestStudioFilter::filtersReturnTheRows()
{
    QFETCH(QList<StudioFilter>, pills);
    QFETCH(bool, matchAny);
    QFETCH(QString, expected);
    QCOMPARE(run("things", pills, matchAny), expected);
}

void TestStudioFilter::quickSearchAndFiltersCombine()
{
    // The quick search looks in text columns (name, code, req) and narrows OR'ed pills.
    QCOMPARE(run("things", {}, false, "AN"), QStringLiteral("2"));
    QCOMPARE(run("things", {}, false, "abc"), QStringLiteral("1,2"));
    const QList<StudioFilter> either{pill("qty", Op::Equals, "10"), pill("qty", Op::Equals, "20")};
    QCOMPARE(run("things", either, true), QStringLiteral("1,2"));
    QCOMPARE(run("things", either, true, "an"), QStringLiteral("2"));
    QCOMPARE(run("things", {}, false, "%"), QStringLiteral("3"));
}

void TestStudioFilter::manyFiltersBindTheirOwnValues()
{
    // :f1 and :f10 … :f12 are different placeholders: twelve pills, each with its own value.
    QList<StudioFilter> pills;
    for (int i = 0; i < 12; ++i)
        pills << pill("qty", Op::NotEquals, QString::number(100 + i));
    pills << pill("qty", Op::AtLeast, "20");
    QCOMPARE(run("things", pills), QStringLiteral("2,3"));
    pills << pill("qty", Op::InSet, {}, {"30"});
    QCOMPARE(run("things", pills), QStringLiteral("3"));
}

void TestStudioFilter::refusedBeforeSql_data()
{
    QTest::addColumn<StudioFilter>("filter");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, StudioFilter f, const char *message) {
        QTest::newRow(name) << f << QString::fromUtf8(message);
    };
    row("letters for a number", pill("price", Op::Equals, "abc"), "price: 'abc' is not a number.");
    row("letters for an integer", pill("qty", Op::AtLeast, "ten"), "qty: 'ten' is not a whole number.");
    row("a fraction for an integer", pill("qty", Op::Equals, "1.5"), "qty: '1.5' is not a whole number.");
    row("beyond smallint", pill("small", Op::Equals, "40000"),
        "small: 40000 is out of range (-32768 to 32767).");
    row("beyond integer", pill("qty", Op::Equals, "2147483648"),
        "qty: 2147483648 is out of range (-2147483648 to 2147483647).");
    row("beyond bigint", pill("big", Op::Equals, "9223372036854775808"),
        "big: 9223372036854775808 is out of range (-9223372036854775808 to 9223372036854775807).");
    row("beyond double", pill("dbl", Op::Equals, "1e400"),
        "dbl: 1e400 is out of range for double precision.");
    row("SQL for a number", pill("qty", Op::Equals, "1; DROP TABLE things"),
        "qty: '1; DROP TABLE things' is not a whole number.");
    row("a bad list element", pill("qty", Op::InSet, {}, {"1", "x"}), "qty: 'x' is not a whole number.");
    row("an empty list", pill("qty", Op::InSet, {}, {}), "qty: type at least one value for the list.");
    row("not a boolean", pill("flag", Op::Equals, "maybe"), "flag: 'maybe' is not true or false.");
    row("not an enum value", pill("mood", Op::Equals, "angry"),
        "mood: 'angry' is not one of sad, ok, happy.");
    row("not a timestamp", pill("at", Op::AtLeast, "yesterday"),
        "at: 'yesterday' is not a date and time such as 2026-11-29 18:30:00.");
    row("February 30th", pill("day", Op::Equals, "2026-02-30"),
        "day: '2026-02-30' is not a date such as 2026-11-29.");
    row("25 o'clock", pill("tm", Op::Equals, "25:00"),
        "tm: '25:00' is not a time such as 18:30 or 18:30:00.");
    row("not a uuid", pill("uid", Op::Equals, "1234"),
        "uid: '1234' is not a UUID such as 123e4567-e89b-12d3-a456-426614174000.");
    row("not an address", pill("ip", Op::Equals, "999.1.1.1"),
        "ip: '999.1.1.1' is not an IP address such as 192.168.0.1 or 10.0.0.0/8.");
    row("not an interval", pill("iv", Op::Equals, "soon"),
        "iv: 'soon' is not an interval such as 1 day 02:00:00 or 3 hours.");
    row("not hex bytes", pill("bin", Op::Equals, "zz"), "bin: 'zz' is not bytes in hex such as \\x0a1b.");
    row("not JSON", pill("data", Op::Equals, "{a:1}"),
        "data: '{a:1}' is not JSON (a string needs double quotes: \"text\").");
    row("not an element", pill("nums", Op::ArrayContains, "x"), "nums: 'x' is not a whole number.");
    row("not an enum element", pill("moods", Op::ArrayContains, "x"),
        "moods: 'x' is not one of sad, ok, happy.");
    row("an op the type lacks", pill("qty", Op::JsonHasKey, "a"),
        "qty: 'has key' does not apply to this column.");
    row("no path", pill("data", Op::JsonPathEquals, "x"),
        "data: type a path such as address.city or items.0.name.");
    row("nothing to look for", pill("name", Op::Contains, ""), "name: type the text to look for.");
    row("a NUL character", pill("name", Op::Equals, QStringLiteral("a") + QChar(0) + "b"),
        "name: a value cannot hold the character NUL.");
    row("an unknown column", pill("nope", Op::Equals, "1"), "There is no column 'nope' in things.");
    row("a column built to inject", pill("name\" = name; DROP TABLE things; --", Op::IsNull),
        "There is no column 'name\" = name; DROP TABLE things; --' in things.");
    row("a quoted column", pill("\"name\"", Op::IsNull), "There is no column '\"name\"' in things.");
    row("a qualified column", pill("t.name", Op::IsNull), "There is no column 't.name' in things.");
    row("a long value is elided", pill("qty", Op::Equals, QString(10240, QLatin1Char('9')) + "x"),
        "qty: '9999999999999999999999999999999999999…' is not a whole number.");
}

void TestStudioFilter::refusedBeforeSql()
{
    QFETCH(StudioFilter, filter);
    QFETCH(QString, message);
    const Result<KeysetQuery::Filter> built = sf::buildFilter(spec("things"), filter);
    QVERIFY(!built.ok());
    QCOMPARE(built.error().kind, Error::Kind::Invalid);
    QCOMPARE(built.error().message, message);
    // A list with one refused pill is refused as a whole, with that pill's sentence.
    const Result<QList<KeysetQuery::Filter>> all =
        sf::buildFilters(spec("things"), {pill("qty", Op::Equals, "1"), filter});
    QVERIFY(!all.ok());
    QCOMPARE(all.error().message, message);
}

void TestStudioFilter::valuesAreNormalised()
{
    const TableSpec s = spec("things");
    // Built from the spec: the column expression and the cast are code, not the pill's text.
    const Result<KeysetQuery::Filter> price = sf::buildFilter(s, pill("price", Op::AtLeast, " 10 "));
    CCPM_VERIFY_OK(price);
    QCOMPARE(price->expression, s.expression(s.columnOf("price")));
    QCOMPARE(price->cast, QStringLiteral("numeric"));
    QCOMPARE(price->value.toString(), QStringLiteral("10"));
    const Result<KeysetQuery::Filter> code = sf::buildFilter(s, pill("code", Op::Equals, "x"));
    CCPM_VERIFY_OK(code);
    QCOMPARE(code->cast, QStringLiteral("text"));
    const Result<KeysetQuery::Filter> flag = sf::buildFilter(s, pill("flag", Op::Equals, "Yes"));
    CCPM_VERIFY_OK(flag);
    QCOMPARE(flag->value.toString(), QStringLiteral("true"));
    const Result<KeysetQuery::Filter> nums = sf::buildFilter(s, pill("nums", Op::ArrayContains, "7"));
    CCPM_VERIFY_OK(nums);
    QCOMPARE(nums->cast, QStringLiteral("integer"));
    // A zoned timestamp typed without a zone is the local time the grid shows, sent as UTC.
    const Result<KeysetQuery::Filter> at =
        sf::buildFilter(s, pill("at", Op::Equals, "2026-11-29 18:30:00.25"));
    CCPM_VERIFY_OK(at);
    const QDateTime local(QDate(2026, 11, 29), QTime(18, 30), Qt::LocalTime);
    QCOMPARE(at->value.toString(), local.toUTC().toString("yyyy-MM-dd HH:mm:ss") + ".25+00");
    QCOMPARE(run("things", {pill("at", Op::Equals, local.toString("yyyy-MM-dd HH:mm:ss"))}),
             QStringLiteral("1,6"));
}

void TestStudioFilter::injectionHasNoEffect()
{
    QStringList nasty{"'; DROP TABLE nasty; --",
                      "%",
                      "_",
                      "\\",
                      "'",
                      "\"",
                      "''",
                      "$1",
                      "?",
                      ":f0",
                      ":f1 OR 1=1",
                      "); DELETE FROM nasty; --",
                      "' OR '1'='1",
                      "a%b_c\\d",
                      "\\'; SELECT pg_sleep(10); --",
                      "Ünïcødé 日本 🙂",
                      "E'\\x41'",
                      "scalar"};
    nasty << QString(10240, QLatin1Char('x')) + "'; DROP TABLE nasty; --";
    // Edges of the types' own syntax: each is either refused with a sentence or valid SQL.
    nasty << "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
          << "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"
          << "1e-46"
          << "1e-400"
          << "1e39"
          << "1e308"
          << "NaN"
          << "-Infinity"
          << "1e9999"
          << "-0"
          << "99999999 millennia"
          << "999999999 centuries 999999999 centuries"
          << "P999999999Y"
          << "999999999 days"
          << "1 day ago"
          << "24:00:00+16"
          << "24:00:00+15:59"
          << "2026-11-29 24:00:00"
          << "2026-11-29T18:30:00+14"
          << "0001-01-01"
          << "9999-12-31 23:59:59.999999"
          << "1:2"
          << "010.0.0.1"
          << "::ffff:1.2.3.4/129"
          << "::ffff:1.2.3.4/128"
          << "1::2::3"
          << "\\x0"
          << "\\xZZ"
          << "9223372036854775807"
          << "-9223372036854775808"
          << "32768"
          << "true"
          << "t"
          << "{}"
          << "[]"
          << "null"
          << "\"\\u0000\""
          << "{\"a\":1}";
    // Given a row holding each value literally: in its name, as its only tag and as a JSON key
    QSqlQuery q(m_db->connection());
    for (int k = 0; k < nasty.size(); ++k) {
        const Status inserted = sql::execPrepared(
            q,
            "INSERT INTO nasty (id, name, tags, data, req) VALUES (:id, :v, ARRAY[CAST(:v AS text)], "
            "jsonb_build_object(CAST(:v AS text), CAST(:v AS text)), :v)",
            {{":id", 100 + k}, {":v", nasty.at(k)}}, "insert");
        CCPM_VERIFY_OK(inserted);
    }
    const int rowsBefore = m_db->scalar("SELECT count(*) FROM nasty").toInt();
    QCOMPARE(rowsBefore, 7 + int(nasty.size()));
    QMap<int, QString> names;
    QVERIFY(q.exec("SELECT id, name FROM nasty"));
    while (q.next())
        names.insert(q.value(0).toInt(), q.value(1).isNull() ? QString() : q.value(1).toString());

    auto ids = [&](auto match) {
        QStringList out;
        for (auto it = names.cbegin(); it != names.cend(); ++it) {
            if (match(it.value()))
                out << QString::number(it.key());
        }
        return out.join(',');
    };

    const TableSpec s = spec("nasty");
    int ran = 0;
    int refused = 0;
    for (int k = 0; k < nasty.size(); ++k) {
        const QString v = nasty.at(k);
        const QString own = QString::number(100 + k);
        // When each value goes through every operator of every column
        for (const ColumnSpec &c : s.columns) {
            for (Op op : sf::ops(c)) {
                const StudioFilter f = pill(c.name, op, v, {v, "x"}, {v});
                const QString got = run("nasty", {f});
                QVERIFY2(!got.startsWith("error: "), qPrintable(c.name + " " + sf::symbol(op) + ": " + got));
                if (got.startsWith("refused: ")) {
                    ++refused;
                    continue;
                }
                ++ran;
                // Then the rows are those that literally match
                QString expected;
                if (c.name == "name" || c.name == "req") {
                    auto literal = [&](const QString &n) {
                        switch (op) {
                        case Op::Equals:
                            return !n.isNull() && n == v;
                        case Op::NotEquals:
                            return n.isNull() || n != v;
                        case Op::Contains:
                            return !n.isNull() && n.contains(v, Qt::CaseInsensitive);
                        case Op::StartsWith:
                            return !n.isNull() && n.startsWith(v, Qt::CaseInsensitive);
                        case Op::InSet:
                            return !n.isNull() && (n == v || n == "x");
                        default:
                            return false;
                        }
                    };
                    if (c.name == "name" && op != Op::IsNull && op != Op::IsNotNull && op != Op::Below &&
                        op != Op::AtMost && op != Op::Above && op != Op::AtLeast)
                        expected = ids(literal);
                    else
                        continue;
                } else if (c.name == "tags" && op == Op::ArrayContains) {
                    expected = own;
                } else if (c.name == "data" && op == Op::JsonHasKey) {
                    expected = v == "scalar" ? "3," + own : own;
                } else if (c.name == "data" && op == Op::JsonPathEquals) {
                    expected = own;
                } else {
                    continue;
                }
                QVERIFY2(got == expected, qPrintable(c.name + " " + sf::symbol(op) + " '" + v.left(60) +
                                                     "': got " + got + ", expected " + expected));
            }
        }
    }
    qInfo("%d filters ran, %d were refused before SQL", ran, refused);
    QVERIFY(ran > 300);
    QVERIFY(refused > 100);
    // And the table is still there, with every row
    QCOMPARE(m_db->scalar("SELECT count(*) FROM nasty").toInt(), rowsBefore);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM things").toInt(), 7);
}

void TestStudioFilter::describeReadsLikeThePill_data()
{
    QTest::addColumn<StudioFilter>("filter");
    QTest::addColumn<QString>("text");
    QTest::newRow("number") << pill("price", Op::AtLeast, "10") << QString::fromUtf8("price ≥ 10");
    QTest::newRow("not equal") << pill("qty", Op::NotEquals, "3") << QString::fromUtf8("qty ≠ 3");
    QTest::newRow("text") << pill("name", Op::Equals, "Apple") << QString::fromUtf8("name = 'Apple'");
    QTest::newRow("array") << pill("tags", Op::ArrayContains, "x") << QString::fromUtf8("tags contains 'x'");
    QTest::newRow("int array") << pill("nums", Op::ArrayContains, "3")
                               << QString::fromUtf8("nums contains 3");
    QTest::newRow("contains") << pill("name", Op::Contains, "ab") << QString::fromUtf8("name contains 'ab'");
    QTest::newRow("starts") << pill("name", Op::StartsWith, "ab")
                            << QString::fromUtf8("name starts with 'ab'");
    QTest::newRow("list") << pill("mood", Op::InSet, {}, {"sad", "ok"})
                          << QString::fromUtf8("mood in (sad, ok)");
    QTest::newRow("null") << pill("name", Op::IsNull) << QString::fromUtf8("name is null");
    QTest::newRow("not null") << pill("name", Op::IsNotNull) << QString::fromUtf8("name is not null");
    QTest::newRow("key") << pill("data", Op::JsonHasKey, "k") << QString::fromUtf8("data has key 'k'");
    QTest::newRow("path") << pill("data", Op::JsonPathEquals, "x", {}, {"a", "b"})
                          << QString::fromUtf8("data → a.b = 'x'");
    QTest::newRow("long") << pill("name", Op::Equals, QString(100, QLatin1Char('y')))
                          << QString::fromUtf8("name = '") + QString(37, QLatin1Char('y')) +
                                 QString::fromUtf8("…'");
}

void TestStudioFilter::describeReadsLikeThePill()
{
    QFETCH(StudioFilter, filter);
    QFETCH(QString, text);
    QCOMPARE(sf::describe(spec("things"), filter), text);
}

void TestStudioFilter::splitListAndPath()
{
    QCOMPARE(sf::splitList("A, B ,C"), (QStringList{"A", "B", "C"}));
    QCOMPARE(sf::splitList("\"a, b\", c"), (QStringList{"a, b", "c"}));
    QCOMPARE(sf::splitList("\" x \",\"say \"\"hi\"\"\""), (QStringList{" x ", "say \"hi\""}));
    QCOMPARE(sf::splitList("one, two\nthree"), (QStringList{"one, two", "three"}));
    QCOMPARE(sf::splitList("a,,b,"), (QStringList{"a", "b"}));
    QCOMPARE(sf::splitList(""), QStringList());
    QCOMPARE(sf::splitPath("a.b.0"), (QStringList{"a", "b", "0"}));
    QCOMPARE(sf::splitPath(R"(["a.b", "c", 2])"), (QStringList{"a.b", "c", "2"}));
    QCOMPARE(sf::splitPath(""), QStringList());
}

void TestStudioFilter::typedLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("pills"); // describe() of each, joined by " | "
    QTest::addColumn<bool>("matchAny");
    QTest::addColumn<QString>("rows");
    auto row = [](const char *line, const char *pills, bool any, const char *rows) {
        QTest::newRow(line) << QString::fromUtf8(line) << QString::fromUtf8(pills) << any
                            << QString::fromUtf8(rows);
    };
    row("price >= 10 and mood in (happy,ok)", "price ≥ 10 | mood in (happy, ok)", false, "1,2,6");
    row("qty<10 OR qty>=30", "qty < 10 | qty ≥ 30", true, "3,5,6,7");
    row("name contains 'O''Brien' or name is null", "name contains 'O'Brien' | name is null", true, "6,7");
    row("name starts with b", "name starts with 'b'", false, "2,5");
    row("NAME is not null and flag = yes", "name is not null | flag = yes", false, "1,4,6");
    row("tags contains red", "tags contains 'red'", false, "1");
    row("nums contains 3", "nums contains 3", false, "1,6");
    row("data->a.b = x", "data → a.b = 'x'", false, "1");
    row("data → a.1.b = z", "data → a.1.b = 'z'", false, "7");
    row("data has key k", "data has key 'k'", false, "1,2");
    row("at >= '2026-11-29 18:30:00.1Z'", "at ≥ 2026-11-29 18:30:00.1Z", false, "2,5");
    row("name in ('Apple', \"a_b\", 'x, y')", "name in ('Apple', 'a_b', 'x, y')", false, "1,4");
    row("mood ≠ sad and mood != ok", "mood ≠ sad | mood ≠ ok", false, "1,4,5");
    row("\"name\" = Apple", "name = 'Apple'", false, "1");
}

void TestStudioFilter::typedLines()
{
    QFETCH(QString, line);
    QFETCH(QString, pills);
    QFETCH(bool, matchAny);
    QFETCH(QString, rows);
    const TableSpec s = spec("things");
    const Result<sf::ParsedFilterLine> parsed = sf::parseLine(s, line);
    CCPM_VERIFY_OK(parsed);
    QStringList described;
    for (const StudioFilter &f : parsed->pills)
        described << sf::describe(s, f);
    QCOMPARE(described.join(" | "), pills);
    QCOMPARE(parsed->matchAny, matchAny);
    QCOMPARE(run("things", parsed->pills, parsed->matchAny), rows);
}

void TestStudioFilter::typedLinesRefused_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("message");
    auto row = [](const char *line, const char *message) {
        QTest::newRow(line) << QString::fromUtf8(line) << QString::fromUtf8(message);
    };
    row("", "Type a filter such as price >= 10 and status in (A, B).");
    row("price >= abc", "price: 'abc' is not a number.");
    row("nope = 1", "There is no column 'nope' in things.");
    row("qty = 1; DROP TABLE things", "qty: '1;' is not a whole number.");
    row("qty = 1 and qty = 2 or qty = 3", "Use either and or or between filters, not both.");
    row("qty = 1 qty = 2", "Expected and or or before 'qty = 2'.");
    row("qty like 3", "Expected an operator after qty (=, ≠, <, ≤, >, ≥, contains, starts with, in, is null, "
                      "has key) at 'like 3'.");
    row("qty =", "Expected a value at ''.");
    row("name = 'open", "A quoted value is not closed.");
    row("\"name = 1", "A column name in double quotes is not closed.");
    row("mood in happy", "Expected ( after in, as in status in (A, B).");
    row("mood in (happy ok", "Expected , or ) in the list of mood.");
    row("mood in (happy, angry)", "mood: 'angry' is not one of sad, ok, happy.");
    row("qty has key a", "qty: 'has key' does not apply to this column.");
    row("data->a.b > 3", "Expected = after the path of data.");
    row("= 3", "Expected a column name at '= 3'.");
}

void TestStudioFilter::typedLinesRefused()
{
    QFETCH(QString, line);
    QFETCH(QString, message);
    const Result<sf::ParsedFilterLine> parsed = sf::parseLine(spec("things"), line);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, message);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM things").toInt(), 7);
}

void TestStudioFilter::everyColumnOfTheStudioSchema()
{
    // Given Studio's schema of every type, read through the catalog as Studio reads it
    TestDatabase db("studiofilter_schema");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadSqlFile(TestDatabase::fixture("studio-schema.sql"));
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase connection = db.connection();
    const Result<SchemaCatalog> catalog = Catalog::load(connection);
    CCPM_VERIFY_OK(catalog);
    const QStringList values{"1",
                             "-2.5",
                             "a",
                             "2026-11-29 08:00:00+00",
                             "2026-11-29",
                             "08:00",
                             "1 day",
                             "t",
                             "ok",
                             "north",
                             "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                             "10.0.0.1",
                             "\\x00",
                             "{\"a\": 1}",
                             "x'; DROP TABLE x; --",
                             "%_\\",
                             ""};
    int ran = 0;
    int tables = 0;
    // When every operator of every column of every table gets every value
    for (const CatalogTable &table : catalog->tables) {
        const TableSpec spec = studioSpec(table);
        if (spec.keyColumns.isEmpty())
            continue; // a view: no key to page on (the grid's concern, not the filters')
        ++tables;
        for (const ColumnSpec &c : spec.columns) {
            for (Op op : sf::ops(c)) {
                for (const QString &v : values) {
                    const Result<KeysetQuery::Filter> built =
                        sf::buildFilter(spec, pill(c.name, op, v, {v, "1"}, {v}));
                    if (!built) {
                        QVERIFY(!built.error().message.isEmpty());
                        continue;
                    }
                    KeysetQuery query(spec.source(), {}, {*built});
                    const KeysetQuery::Sql sql =
                        query.page(KeysetQuery::Direction::Forward, std::nullopt, 50);
                    QSqlQuery q(connection);
                    const Status status = sql::execPrepared(q, sql.text, sql.bindings, "filter");
                    // Then the server accepts every filter that was built
                    QVERIFY2(status.ok(),
                             qPrintable(table.name + "." + c.name + " " + sf::symbol(op) + " '" + v +
                                        "': " + (status ? QString() : status.error().toString()) + " in " +
                                        sql.text));
                    ++ran;
                }
            }
        }
    }
    qInfo("%d filters ran on %d tables of the Studio schema", ran, tables);
    QVERIFY(tables >= 8);
    QVERIFY(ran > 1000);
    // And the table named to inject still holds its rows, and so does the one it names
    QCOMPARE(db.scalar("SELECT count(*) FROM public.x").toInt(), 1);
    const CatalogTable *weird = catalog->find("public", "we\"ird; drop table x; --");
    QVERIFY(weird);
    const TableSpec spec = studioSpec(*weird);
    const Result<sf::ParsedFilterLine> line =
        sf::parseLine(spec, "\"it's \"\"quoted\"\"\" = one or \"a.b\" is null");
    CCPM_VERIFY_OK(line);
    const Result<QList<KeysetQuery::Filter>> filters = sf::buildFilters(spec, line->pills);
    CCPM_VERIFY_OK(filters);
    KeysetQuery query(spec.source(), {}, *filters);
    query.setMatchAny(line->matchAny);
    const KeysetQuery::Sql sql = query.page(KeysetQuery::Direction::Forward, std::nullopt, 50);
    QSqlQuery q(connection);
    CCPM_VERIFY_OK(sql::execPrepared(q, sql.text, sql.bindings, "weird"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    QCOMPARE(ids, (QStringList{"1", "2"}));
}

QTEST_GUILESS_MAIN(TestStudioFilter)
#include "tst_studiofilter.moc"
