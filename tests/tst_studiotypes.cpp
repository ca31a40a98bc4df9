// Studio's type fidelity (issue 6): for every PostgreSQL type Studio maps, a tricky value is
// read as the server's text, shown, put into an editor and taken back (ColumnSpec), written with
// `CAST(:v AS type)` and read again: the text must come back exactly. Runs in New York's time
// zone (set before anything reads it), so that a timestamptz shown in local time is really
// shifted and a timestamp without zone must not be. Also every type's refusal of bad input.
#include "catalog.h"
#include "loadedmodel.h"
#include "sqlvalues.h"
#include "studiospec.h"
#include "tablespec.h"
#include "testdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <ctime>

using namespace ccpm;
using Type = ColumnSpec::Type;

Q_DECLARE_METATYPE(ccpm::ColumnSpec::Type)

namespace {

ColumnSpec column(Type type, const QString &sqlType, const QString &elementType = {},
                  const QStringList &values = {})
{
    ColumnSpec c;
    c.name = QStringLiteral("v");
    c.header = QStringLiteral("Value");
    c.type = type;
    c.sqlType = sqlType;
    c.elementType = elementType;
    c.values = values;
    c.nullable = true;
    if (type == Type::Integer) {
        const QString t = sqlType.toLower();
        c.minimum = t == "smallint" ? -32768 : t == "integer" ? INT_MIN : LLONG_MIN;
        c.maximum = t == "smallint" ? 32767 : t == "integer" ? INT_MAX : LLONG_MAX;
    }
    return c;
}

// What a page selects, and what the writer binds (text, cast back; arrays through jsonb).
QString readExpression(const ColumnSpec &c)
{
    return c.type == Type::Array ? QStringLiteral("CAST(array_to_json(v) AS text)")
                                 : QStringLiteral("CAST(v AS text)");
}

QString writeExpression(const ColumnSpec &c)
{
    if (c.type == Type::Array)
        return QStringLiteral("CASE WHEN CAST(:v AS jsonb) IS NULL THEN NULL ELSE CAST(ARRAY(SELECT e FROM "
                              "jsonb_array_elements_text(CAST(:v AS jsonb)) WITH ORDINALITY AS t(e, n) "
                              "ORDER BY n) AS %1[]) END")
            .arg(c.elementType);
    return QStringLiteral("CAST(:v AS %1)").arg(c.sqlType);
}

} // namespace

class TestStudioTypes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void roundTripIsExact_data();
    void roundTripIsExact();
    void typedValuesAreStoredAsMeant_data();
    void typedValuesAreStoredAsMeant();
    void sqlNullIsNotJsonNullNorEmpty();
    void defaultIsStagedAsIs();
    void problemsNameTheMistake_data();
    void problemsNameTheMistake();
    void integerRangesDoNotOverflow();
    void toolTips();
    void pagedModelStagesNullDefaultAndLocalTime();
    void everyColumnOfTheStudioSchemaRoundTrips();

private:
    // Creates a one-row table with `value` (SQL) in a column of the case's type; returns its text.
    QVariant createRow(const QString &table, const ColumnSpec &c, const QString &value);
    QVariant readBack(const QString &table, const ColumnSpec &c);
    bool writeBack(const QString &table, const ColumnSpec &c, const QVariant &text, QString *error);

    std::unique_ptr<TestDatabase> m_db;
    int m_tables = 0;
};

void TestStudioTypes::initTestCase()
{
    QCOMPARE(qgetenv("TZ"), QByteArray("America/New_York"));
    QCOMPARE(QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::LocalTime).offsetFromUtc(), -5 * 3600);
    m_db = std::make_unique<TestDatabase>("studiotypes");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    QVERIFY2(q.exec(R"(CREATE TYPE "mood" AS ENUM ('happy', 'sad', 'it''s, "odd"'))"),
             qPrintable(q.lastError().text()));
}

void TestStudioTypes::cleanupTestCase()
{
    m_db.reset();
}

QVariant TestStudioTypes::createRow(const QString &table, const ColumnSpec &c, const QString &value)
{
    QSqlQuery q(m_db->connection());
    const QString type = c.type == Type::Array ? c.elementType + QStringLiteral("[]") : c.sqlType;
    if (!q.exec(QStringLiteral("CREATE TABLE %1 (id integer PRIMARY KEY, v %2)").arg(table, type)) ||
        !q.exec(QStringLiteral("INSERT INTO %1 VALUES (1, %2)").arg(table, value)))
        return QString(QStringLiteral("ERROR: ") + q.lastError().text());
    return readBack(table, c);
}

QVariant TestStudioTypes::readBack(const QString &table, const ColumnSpec &c)
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(QStringLiteral("SELECT %1 FROM %2 WHERE id = 1").arg(readExpression(c), table)) || !q.next())
        return QString(QStringLiteral("ERROR: ") + q.lastError().text());
    return q.value(0);
}

bool TestStudioTypes::writeBack(const QString &table, const ColumnSpec &c, const QVariant &text,
                                QString *error)
{
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("UPDATE %1 SET v = %2 WHERE id = 1").arg(table, writeExpression(c)));
    q.bindValue(QStringLiteral(":v"), text.isNull() ? QVariant(QMetaType::fromType<QString>()) : text);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

void TestStudioTypes::roundTripIsExact_data()
{
    QTest::addColumn<Type>("type");
    QTest::addColumn<QString>("sqlType");
    QTest::addColumn<QString>("elementType");
    QTest::addColumn<QString>("value");   // SQL
    QTest::addColumn<QString>("stored");  // the server's text (empty: not checked)
    QTest::addColumn<QString>("display"); // DisplayRole (empty: not checked)

    // Numbers: exact text, never a double
    QTest::newRow("numeric 83261.85") << Type::Decimal << "numeric"
                                      << ""
                                      << "83261.85"
                                      << "83261.85"
                                      << "83261.85";
    QTest::newRow("numeric(10,2)") << Type::Decimal << "numeric(10,2)"
                                   << ""
                                   << "83261.85"
                                   << "83261.85"
                                   << "83261.85";
    QTest::newRow("numeric -0.000001") << Type::Decimal << "numeric"
                                       << ""
                                       << "-0.000001"
                                       << "-0.000001"
                                       << "-0.000001";
    QTest::newRow("numeric 1e-30") << Type::Decimal << "numeric"
                                   << ""
                                   << "1e-30"
                                   << "0.000000000000000000000000000001"
                                   << "0.000000000000000000000000000001";
    QTest::newRow("numeric 40 digits") << Type::Decimal << "numeric"
                                       << ""
                                       << "1234567890123456789012345678901234567890.0000000001"
                                       << "1234567890123456789012345678901234567890.0000000001"
                                       << "";
    QTest::newRow("numeric NaN") << Type::Decimal << "numeric"
                                 << ""
                                 << "'NaN'"
                                 << "NaN"
                                 << "NaN";
    QTest::newRow("numeric Infinity") << Type::Decimal << "numeric"
                                      << ""
                                      << "'-Infinity'"
                                      << "-Infinity"
                                      << "";
    QTest::newRow("double 1e-30") << Type::Decimal << "double precision"
                                  << ""
                                  << "1e-30"
                                  << "1e-30"
                                  << "1e-30";
    QTest::newRow("double NaN") << Type::Decimal << "double precision"
                                << ""
                                << "'NaN'"
                                << "NaN"
                                << "NaN";
    QTest::newRow("real") << Type::Decimal << "real"
                          << ""
                          << "3.14"
                          << "3.14"
                          << "3.14";
    QTest::newRow("bigint 2^53+1") << Type::Integer << "bigint"
                                   << ""
                                   << "9007199254740993"
                                   << "9007199254740993"
                                   << "9007199254740993";
    QTest::newRow("bigint min") << Type::Integer << "bigint"
                                << ""
                                << "-9223372036854775808"
                                << "-9223372036854775808"
                                << "";
    QTest::newRow("smallint") << Type::Integer << "smallint"
                              << ""
                              << "-32768"
                              << "-32768"
                              << "-32768";

    // Times: timestamptz in local time (New York), timestamp never shifted
    QTest::newRow("timestamptz winter µs") << Type::ZonedTimestamp << "timestamp with time zone"
                                           << ""
                                           << "'2026-11-29 18:30:00.123456+00'"
                                           << "2026-11-29 18:30:00.123456+00"
                                           << "2026-11-29 13:30:00.123456 -05:00";
    QTest::newRow("timestamptz summer") << Type::ZonedTimestamp << "timestamp with time zone"
                                        << ""
                                        << "'2026-07-01 12:00:00+00'"
                                        << "2026-07-01 12:00:00+00"
                                        << "2026-07-01 08:00:00 -04:00";
    // 01:30 happens twice on 2026-11-01 in New York: first in EDT, then in EST
    QTest::newRow("timestamptz repeated hour, first") << Type::ZonedTimestamp << "timestamptz"
                                                      << ""
                                                      << "'2026-11-01 05:30:00+00'"
                                                      << "2026-11-01 05:30:00+00"
                                                      << "2026-11-01 01:30:00 -04:00";
    QTest::newRow("timestamptz repeated hour, second") << Type::ZonedTimestamp << "timestamptz"
                                                       << ""
                                                       << "'2026-11-01 06:30:00+00'"
                                                       << "2026-11-01 06:30:00+00"
                                                       << "2026-11-01 01:30:00 -05:00";
    QTest::newRow("timestamptz infinity") << Type::ZonedTimestamp << "timestamptz"
                                          << ""
                                          << "'infinity'"
                                          << "infinity"
                                          << "infinity";
    QTest::newRow("timestamp no zone") << Type::LocalTimestamp << "timestamp without time zone"
                                       << ""
                                       << "'2026-11-29 18:30:00'"
                                       << "2026-11-29 18:30:00"
                                       << "2026-11-29 18:30:00";
    // 02:30 on 2026-03-08 does not exist in New York: a timestamp without zone keeps it anyway
    QTest::newRow("timestamp in a local gap") << Type::LocalTimestamp << "timestamp"
                                              << ""
                                              << "'2026-03-08 02:30:00.5'"
                                              << "2026-03-08 02:30:00.5"
                                              << "2026-03-08 02:30:00.5";
    QTest::newRow("timestamp(3)") << Type::LocalTimestamp << "timestamp(3) without time zone"
                                  << ""
                                  << "'2026-11-29 18:30:00.120'"
                                  << "2026-11-29 18:30:00.12"
                                  << "";
    QTest::newRow("date") << Type::Date << "date"
                          << ""
                          << "'2026-11-29'"
                          << "2026-11-29"
                          << "2026-11-29";
    QTest::newRow("time") << Type::Time << "time without time zone"
                          << ""
                          << "'18:30:00.25'"
                          << "18:30:00.25"
                          << "18:30:00.25";
    QTest::newRow("timetz") << Type::Time << "time with time zone"
                            << ""
                            << "'18:30:00+05:30'"
                            << "18:30:00+05:30"
                            << "18:30:00+05:30";
    QTest::newRow("interval") << Type::Interval << "interval"
                              << ""
                              << "'1 mon 2 days 03:04:05'"
                              << "1 mon 2 days 03:04:05"
                              << "1 mon 2 days 03:04:05";
    QTest::newRow("interval negative") << Type::Interval << "interval"
                                       << ""
                                       << "'-1 days +02:00:00'"
                                       << "-1 days +02:00:00"
                                       << "";

    // Identifiers, addresses, bytes
    QTest::newRow("uuid") << Type::Uuid << "uuid"
                          << ""
                          << "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'"
                          << "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
                          << "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    QTest::newRow("inet ::1/128") << Type::Inet << "inet"
                                  << ""
                                  << "'::1/128'"
                                  << "::1/128"
                                  << "::1/128";
    QTest::newRow("inet v4 net") << Type::Inet << "inet"
                                 << ""
                                 << "'192.168.0.7/24'"
                                 << "192.168.0.7/24"
                                 << "";
    QTest::newRow("cidr") << Type::Inet << "cidr"
                          << ""
                          << "'10.0.0.0/8'"
                          << "10.0.0.0/8"
                          << "";
    QTest::newRow("bytea with zeros") << Type::Bytea << "bytea"
                                      << ""
                                      << R"('\x00ff000a'::bytea)"
                                      << "" << QString::fromUtf8("4 bytes · 00ff000a");
    QTest::newRow("bytea empty") << Type::Bytea << "bytea"
                                 << ""
                                 << R"(''::bytea)"
                                 << ""
                                 << "0 bytes";
    QTest::newRow("bytea long") << Type::Bytea << "bytea"
                                << ""
                                << "decode(repeat('ab', 40), 'hex')"
                                << ""
                                << QString::fromUtf8("40 bytes · ") + QString("ab").repeated(16) +
                                       QChar(0x2026);

    // JSON: scalars are values
    QTest::newRow("jsonb 42") << Type::Json << "jsonb"
                              << ""
                              << "'42'"
                              << "42"
                              << "42";
    QTest::newRow("jsonb \"x\"") << Type::Json << "jsonb"
                                 << ""
                                 << R"('"x"')"
                                 << R"("x")"
                                 << R"("x")";
    QTest::newRow("jsonb null") << Type::Json << "jsonb"
                                << ""
                                << "'null'"
                                << "null"
                                << "null";
    QTest::newRow("jsonb true") << Type::Json << "jsonb"
                                << ""
                                << "'true'"
                                << "true"
                                << "true";
    QTest::newRow("jsonb big numbers") << Type::Json << "jsonb"
                                       << ""
                                       << R"('{"a": [1, 2.50, 9007199254740993, 83261.85]}')"
                                       << R"({"a": [1, 2.50, 9007199254740993, 83261.85]})"
                                       << R"({"a":[1,2.50,9007199254740993,83261.85]})";
    QTest::newRow("json keeps its text") << Type::Json << "json"
                                         << ""
                                         << R"('{"b":1,  "a" : 2}')"
                                         << R"({"b":1,  "a" : 2})"
                                         << R"({"b":1,"a":2})";

    // Arrays, with NULL elements, commas and quotes
    QTest::newRow("integer[]") << Type::Array << "integer[]"
                               << "integer"
                               << "'{1,NULL,-3}'"
                               << "[1,null,-3]"
                               << "1, NULL, -3";
    QTest::newRow("bigint[]") << Type::Array << "bigint[]"
                              << "bigint"
                              << "'{9007199254740993}'"
                              << "[9007199254740993]"
                              << "9007199254740993";
    QTest::newRow("numeric[]") << Type::Array << "numeric[]"
                               << "numeric"
                               << "'{83261.85,-0.000001,NaN,NULL}'"
                               << R"([83261.85,-0.000001,"NaN",null])"
                               << "83261.85, -0.000001, NaN, NULL";
    QTest::newRow("varchar[] tricky") << Type::Array << "character varying(20)[]"
                                      << "character varying(20)"
                                      << R"(ARRAY['a,b', 'q"uote', NULL, '', 'NULL', ' sp '])"
                                      << R"(["a,b","q\"uote",null,"","NULL"," sp "])"
                                      << R"("a,b", "q\"uote", NULL, "", "NULL", " sp ")";
    QTest::newRow("enum[]") << Type::Array << "mood[]"
                            << "mood"
                            << R"(ARRAY['sad', NULL, 'it''s, "odd"']::mood[])"
                            << R"(["sad",null,"it's, \"odd\""])"
                            << "";
    QTest::newRow("boolean[]") << Type::Array << "boolean[]"
                               << "boolean"
                               << "'{t,f,NULL}'"
                               << "[true,false,null]"
                               << "true, false, NULL";
    QTest::newRow("timestamptz[]") << Type::Array << "timestamp with time zone[]"
                                   << "timestamp with time zone"
                                   << "'{\"2026-11-29 18:30:00.5+00\"}'"
                                   << R"(["2026-11-29T18:30:00.5+00:00"])"
                                   << "";
    QTest::newRow("uuid[]") << Type::Array << "uuid[]"
                            << "uuid"
                            << "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'"
                            << R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"])"
                            << "";
    QTest::newRow("jsonb[]") << Type::Array << "jsonb[]"
                             << "jsonb"
                             << R"(ARRAY['{"a": 1}', '42', 'null']::jsonb[])"
                             << R"([{"a": 1},42,null])"
                             << "";
    QTest::newRow("empty integer[]") << Type::Array << "integer[]"
                                     << "integer"
                                     << "'{}'"
                                     << "[]"
                                     << "(empty list)";

    // Anything else: its text
    QTest::newRow("point") << Type::Other << "point"
                           << ""
                           << "'(1,2.5)'"
                           << "(1,2.5)"
                           << "(1,2.5)";
    QTest::newRow("text with newline") << Type::Text << "text"
                                       << ""
                                       << "E'a\\nb'"
                                       << "a\nb" << QString("a") + QChar(0x23CE) + "b";
}

void TestStudioTypes::roundTripIsExact()
{
    QFETCH(Type, type);
    QFETCH(QString, sqlType);
    QFETCH(QString, elementType);
    QFETCH(QString, value);
    QFETCH(QString, stored);
    QFETCH(QString, display);
    const ColumnSpec c =
        column(type, sqlType, elementType,
               elementType == "mood" ? QStringList{"happy", "sad", R"(it's, "odd")"} : QStringList());
    const QString table = QStringLiteral("t%1").arg(++m_tables);

    // Given a value the server holds
    const QVariant text = createRow(table, c, value);
    QVERIFY2(!text.toString().startsWith("ERROR"), qPrintable(text.toString()));
    if (!stored.isEmpty())
        QCOMPARE(text.toString(), stored);
    QVERIFY2(c.problem(text).isEmpty(), qPrintable(c.problem(text)));
    if (!display.isEmpty())
        QCOMPARE(c.display(text).toString(), display);

    // When an editor starts from it and gives it back unchanged, and the result is written
    const QVariant edited = c.fromEdit(c.editValue(text));
    QVERIFY2(c.sameValue(text, edited), qPrintable(edited.toString()));
    QVERIFY2(c.problem(edited).isEmpty(), qPrintable(c.problem(edited)));
    QString error;
    QVERIFY2(writeBack(table, c, edited, &error), qPrintable(error));

    // Then the server holds exactly the same text
    QCOMPARE(readBack(table, c).toString(), text.toString());
}

void TestStudioTypes::typedValuesAreStoredAsMeant_data()
{
    QTest::addColumn<Type>("type");
    QTest::addColumn<QString>("sqlType");
    QTest::addColumn<QString>("elementType");
    QTest::addColumn<QVariant>("typed");
    QTest::addColumn<QString>("stored");

    // Typed timestamptz is New York time, unless it names an offset
    QTest::newRow("timestamptz local") << Type::ZonedTimestamp << "timestamptz"
                                       << "" << QVariant("2026-11-29 13:30") << "2026-11-29 18:30:00+00";
    QTest::newRow("timestamptz local µs")
        << Type::ZonedTimestamp << "timestamptz"
        << "" << QVariant("2026-07-01 08:00:00.000250") << "2026-07-01 12:00:00.00025+00";
    QTest::newRow("timestamptz offset")
        << Type::ZonedTimestamp << "timestamptz"
        << "" << QVariant("2026-11-29T20:30:00+02:00") << "2026-11-29 18:30:00+00";
    QTest::newRow("timestamptz QDateTime")
        << Type::ZonedTimestamp << "timestamptz"
        << "" << QVariant(QDateTime(QDate(2026, 11, 29), QTime(18, 30, 0, 120), Qt::UTC))
        << "2026-11-29 18:30:00.12+00";
    QTest::newRow("timestamptz repeated hour with offset")
        << Type::ZonedTimestamp << "timestamptz"
        << "" << QVariant("2026-11-01 01:30:00 -05:00") << "2026-11-01 06:30:00+00";
    // Typed timestamp is stored as typed
    QTest::newRow("timestamp T") << Type::LocalTimestamp << "timestamp"
                                 << "" << QVariant("2026-11-29T18:30") << "2026-11-29 18:30:00";
    QTest::newRow("timestamp date only") << Type::LocalTimestamp << "timestamp"
                                         << "" << QVariant("2026-11-29") << "2026-11-29 00:00:00";
    QTest::newRow("date padded") << Type::Date << "date"
                                 << "" << QVariant(" 2026-1-5 ") << "2026-01-05";
    QTest::newRow("time short") << Type::Time << "time"
                                << "" << QVariant("7:05") << "07:05:00";
    QTest::newRow("numeric spaces") << Type::Decimal << "numeric"
                                    << "" << QVariant(" 1.50 ") << "1.50";
    // Typed bytea: hex after \x (spaces between pairs allowed), otherwise PostgreSQL's escape format
    QTest::newRow("bytea hex") << Type::Bytea << "bytea"
                               << "" << QVariant("\\x00 FF 10") << R"(\000\377\020)";
    QTest::newRow("bytea escape") << Type::Bytea << "bytea"
                                  << "" << QVariant(R"(a\\b\000 )") << R"(a\\b\000 )";
    QTest::newRow("uuid braces") << Type::Uuid << "uuid"
                                 << "" << QVariant("{A0EEBC999C0B4EF8BB6D6BB9BD380A11}")
                                 << "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    QTest::newRow("interval words") << Type::Interval << "interval"
                                    << "" << QVariant("90 minutes") << "01:30:00";
    QTest::newRow("array literal") << Type::Array << "integer[]"
                                   << "integer" << QVariant("{1, NULL, 3}") << "[1,null,3]";
    QTest::newRow("array list") << Type::Array << "text[]"
                                << "character varying" << QVariant(QStringList{"a,b", QString(), ""})
                                << R"(["a,b",null,""])";
    QTest::newRow("array JSON numbers")
        << Type::Array << "numeric[]"
        << "numeric" << QVariant("[83261.85, 9007199254740993, null]") << "[83261.85,9007199254740993,null]";
    QTest::newRow("jsonb scalar string") << Type::Json << "jsonb"
                                         << "" << QVariant(R"( "x" )") << R"("x")";
}

void TestStudioTypes::typedValuesAreStoredAsMeant()
{
    QFETCH(Type, type);
    QFETCH(QString, sqlType);
    QFETCH(QString, elementType);
    QFETCH(QVariant, typed);
    QFETCH(QString, stored);
    const ColumnSpec c = column(type, sqlType, elementType);
    const QString table = QStringLiteral("t%1").arg(++m_tables);
    QVERIFY(!createRow(table, c, "NULL").toString().startsWith("ERROR"));

    // When a user types it
    const QVariant text = c.fromEdit(typed);
    QVERIFY2(c.problem(text).isEmpty(), qPrintable(c.problem(text)));
    QString error;
    QVERIFY2(writeBack(table, c, text, &error), qPrintable(error));

    // Then the server holds what was meant, and the model's text already says so
    const QVariant back = readBack(table, c);
    QCOMPARE(back.toString(), stored);
    if (type != Type::Interval) // the server normalises intervals (90 minutes is 01:30:00)
        QVERIFY2(c.sameValue(text, back), qPrintable(text.toString() + " vs " + back.toString()));
}

void TestStudioTypes::sqlNullIsNotJsonNullNorEmpty()
{
    for (const ColumnSpec &c : {column(Type::Json, "jsonb"), column(Type::Text, "text"),
                                column(Type::Decimal, "numeric"), column(Type::Array, "integer[]", "integer"),
                                column(Type::Bytea, "bytea"), column(Type::ZonedTimestamp, "timestamptz")}) {
        const QString table = QStringLiteral("t%1").arg(++m_tables);
        const QVariant text = createRow(table, c, "NULL");
        QVERIFY(text.isNull());
        // NULL shows as nothing at all (the delegate paints "NULL"), apart from '' and JSON null
        QVERIFY(!c.display(text).isValid());
        QVERIFY(!c.raw(text).isValid());
        QVERIFY(c.fromEdit(c.editValue(text)).isNull());
        QString error;
        QVERIFY2(writeBack(table, c, c.fromEdit(c.editValue(text)), &error), qPrintable(error));
        QVERIFY(readBack(table, c).isNull());
    }
    const ColumnSpec json = column(Type::Json, "jsonb");
    QCOMPARE(json.display("null").toString(), QStringLiteral("null"));
    QVERIFY(json.display("null").isValid());
    QVERIFY(!json.sameValue("null", QVariant()));
    QCOMPARE(json.fromEdit("null").toString(), QStringLiteral("null"));
    const ColumnSpec text = column(Type::Text, "text");
    QVERIFY(text.display(QStringLiteral("")).isValid());
    QVERIFY(!text.sameValue(QStringLiteral(""), QVariant()));
    QCOMPARE(text.fromEdit(QStringLiteral("")).toString(), QStringLiteral(""));
    QVERIFY(!text.fromEdit(QStringLiteral("")).isNull());
}

void TestStudioTypes::defaultIsStagedAsIs()
{
    ColumnSpec c = column(Type::Integer, "integer");
    c.hasDefault = true;
    c.defaultExpression = "nextval('t_id_seq'::regclass)";
    const QVariant def = sql::columnDefault();
    QCOMPARE(c.display(def).toString(), QStringLiteral("DEFAULT"));
    QVERIFY(sql::isColumnDefault(c.fromEdit(def)));
    QVERIFY(sql::isColumnDefault(c.raw(def)));
    QVERIFY(sql::isColumnDefault(c.editValue(def)));
    QVERIFY(c.problem(def).isEmpty());
    QVERIFY(c.sameValue(def, sql::columnDefault()));
    QVERIFY(!c.sameValue(def, QVariant()));
    QVERIFY(!c.sameValue(def, QStringLiteral("")));
    QVERIFY(c.toolTip(def).contains("nextval"));
    // A column without a default that cannot be NULL: DEFAULT would be NULL, which it refuses
    c.hasDefault = false;
    c.nullable = false;
    QCOMPARE(c.problem(def), QStringLiteral("Value has no default value, and cannot be NULL."));
}

void TestStudioTypes::problemsNameTheMistake_data()
{
    QTest::addColumn<Type>("type");
    QTest::addColumn<QString>("sqlType");
    QTest::addColumn<QString>("elementType");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("problem");

    QTest::newRow("numeric letters")
        << Type::Decimal << "numeric"
        << ""
        << "12,5"
        << QString::fromUtf8(
               "Value must be a number such as 83261.85, -0.000001 or 1e-30 (NaN and Infinity are "
               "allowed too); “12,5” is not one.");
    QTest::newRow("numeric two points")
        << Type::Decimal << "numeric"
        << ""
        << "1.2.3"
        << QString::fromUtf8("Value must be a number such as 83261.85, -0.000001 or "
                             "1e-30 (NaN and Infinity are allowed too); “1.2.3” is "
                             "not one.");
    QTest::newRow("numeric(5,2) too big")
        << Type::Decimal << "numeric(5,2)"
        << ""
        << "1234.5"
        << QString::fromUtf8(
               "Value allows at most 3 digits before the decimal point (numeric(5,2)); “1234.5” has 4.");
    QTest::newRow("integer fraction") << Type::Integer << "integer"
                                      << ""
                                      << "1.5"
                                      << "Value must be a whole number.";
    QTest::newRow("integer too big") << Type::Integer << "integer"
                                     << ""
                                     << "2147483648"
                                     << "Value must be between -2,147,483,648 and 2,147,483,647.";
    QTest::newRow("uuid short")
        << Type::Uuid << "uuid"
        << ""
        << "a0eebc99-9c0b"
        << "Value must be a UUID of 32 hex digits, such as a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.";
    QTest::newRow("bytea odd") << Type::Bytea << "bytea"
                               << ""
                               << R"(\x0a1)"
                               << "Value has an odd number of hex digits (3): each byte needs two.";
    QTest::newRow("bytea not hex") << Type::Bytea << "bytea"
                                   << ""
                                   << R"(\x0g)"
                                   << QString::fromUtf8(
                                          "Value must be bytes in hex after \\x: “g” is not a hex digit.");
    QTest::newRow("bytea bad escape")
        << Type::Bytea << "bytea"
        << ""
        << R"(ab\q)"
        << R"(Value: a backslash must be followed by another backslash or by three )"
           R"(octal digits (\000 to \377); or write the bytes in hex, such as \x0a1b2c.)";
    QTest::newRow("timestamptz words")
        << Type::ZonedTimestamp << "timestamptz"
        << ""
        << "next tuesday"
        << "Value must be a date and time such as 2026-11-29 18:30:00 (local time; add "
           "an offset such as +02:00 for another zone).";
    QTest::newRow("timestamptz in the gap") << Type::ZonedTimestamp << "timestamptz"
                                            << ""
                                            << "2026-03-08 02:30:00"
                                            << "Value: 2026-03-08 02:30:00 does not exist in local time (the "
                                               "clocks skip that hour); add an offset such "
                                               "as +02:00 or pick another time.";
    QTest::newRow("timestamp with offset")
        << Type::LocalTimestamp << "timestamp"
        << ""
        << "2026-11-29 18:30:00+02"
        << QString::fromUtf8("Value is a timestamp without time zone: remove the offset from “2026-11-29 "
                             "18:30:00+02” (PostgreSQL would drop it).");
    QTest::newRow("timestamp month 13")
        << Type::LocalTimestamp << "timestamp"
        << ""
        << "2026-13-01 00:00"
        << "Value must be a date and time such as 2026-11-29 18:30:00 (stored as "
           "typed, without a time zone).";
    QTest::newRow("date 30 Feb") << Type::Date << "date"
                                 << ""
                                 << "2026-02-30"
                                 << "Value must be a date such as 2026-11-29.";
    QTest::newRow("time 25h") << Type::Time << "time"
                              << ""
                              << "25:00"
                              << "Value must be a time such as 18:30:00 or 18:30:00.250.";
    QTest::newRow("time with offset")
        << Type::Time << "time"
        << ""
        << "18:30+02"
        << QString::fromUtf8("Value is a time without time zone: remove the offset "
                             "from “18:30+02”.");
    QTest::newRow("interval nonsense")
        << Type::Interval << "interval"
        << ""
        << "3 fortnights"
        << "Value must be an interval such as 1 mon 2 days 03:04:05, 90 minutes or P1DT2H.";
    QTest::newRow("inet 256") << Type::Inet << "inet"
                              << ""
                              << "192.168.0.256"
                              << "Value must be an IPv4 or IPv6 address with an optional /prefix, such as "
                                 "192.168.0.1, 10.0.0.0/8 or ::1/128.";
    QTest::newRow("inet v6 prefix")
        << Type::Inet << "inet"
        << ""
        << "::1/129"
        << "Value must be an IPv4 or IPv6 address with an optional /prefix, such as "
           "192.168.0.1, 10.0.0.0/8 or ::1/128.";
    QTest::newRow("inet two ::") << Type::Inet << "inet"
                                 << ""
                                 << "1::2::3"
                                 << "Value must be an IPv4 or IPv6 address with an optional /prefix, such as "
                                    "192.168.0.1, 10.0.0.0/8 or ::1/128.";
    QTest::newRow("json trailing comma") << Type::Json << "jsonb"
                                         << ""
                                         << "[1,]"
                                         << "Value is not valid JSON";
    QTest::newRow("array not a list")
        << Type::Array << "integer[]"
        << "integer"
        << "1, 2"
        << R"(Value must be a list, written as a JSON array such as ["a", "b", null].)";
    QTest::newRow("array bad integer")
        << Type::Array << "integer[]"
        << "integer"
        << R"([1, "x2", 3])" << QString::fromUtf8("Value, element 2 (“x2”), must be a whole number.");
    QTest::newRow("array smallint range")
        << Type::Array << "smallint[]"
        << "smallint"
        << "{1,40000}"
        << QString::fromUtf8("Value, element 2 (“40000”), must be between -32,768 and 32,767.");
    QTest::newRow("array bad numeric")
        << Type::Array << "numeric[]"
        << "numeric"
        << R"(["1.5", "1,5"])"
        << QString::fromUtf8(
               "Value, element 2 (“1,5”), must be a number such as 83261.85, -0.000001 or 1e-30 "
               "(NaN and Infinity are allowed too); “1,5” is not one.");
    QTest::newRow("array bad enum") << Type::Array << "mood[]"
                                    << "mood"
                                    << R"(["sad", "angry"])"
                                    << QString::fromUtf8(
                                           "Value, element 2 (“angry”), must be one of: happy, sad, "
                                           "it's, \"odd\".");
}

void TestStudioTypes::problemsNameTheMistake()
{
    QFETCH(Type, type);
    QFETCH(QString, sqlType);
    QFETCH(QString, elementType);
    QFETCH(QString, typed);
    QFETCH(QString, problem);
    const ColumnSpec c =
        column(type, sqlType, elementType,
               elementType == "mood" ? QStringList{"happy", "sad", R"(it's, "odd")"} : QStringList());
    const QVariant text = c.fromEdit(typed);
    QVERIFY2(c.problem(text).startsWith(problem), qPrintable(c.problem(text)));

    // And the server refuses it too (the sentence is not stricter than PostgreSQL); the local gap
    // is a mistake only in local time
    if (type == Type::ZonedTimestamp && typed.startsWith("2026-03-08"))
        return;
    const QString table = QStringLiteral("t%1").arg(++m_tables);
    QVERIFY(!createRow(table, c, "NULL").toString().startsWith("ERROR"));
    QString error;
    if (type == Type::LocalTimestamp && typed.contains('+'))
        return; // the server drops the offset silently: that is why it is refused here
    if (type == Type::Time && typed.contains('+'))
        return;
    QVERIFY2(!writeBack(table, c, text, &error), qPrintable(typed));
}

void TestStudioTypes::integerRangesDoNotOverflow()
{
    const ColumnSpec c = column(Type::Integer, "bigint");
    QVERIFY(c.problem("9223372036854775807").isEmpty());
    QVERIFY(c.problem("-9223372036854775808").isEmpty());
    QVERIFY(c.problem("9223372036854775808").contains("between"));
    QVERIFY(c.problem("-99999999999999999999999").contains("between"));
    QVERIFY(c.problem("12abc").contains("whole number"));
    // An editor never gets a cut value: beyond int, the text
    QCOMPARE(c.editValue("9007199254740993"), QVariant(QStringLiteral("9007199254740993")));
    QCOMPARE(c.editValue("42"), QVariant(42));
    QCOMPARE(c.raw("9007199254740993").toLongLong(), 9007199254740993LL);
    // Decimal compares exactly: equal values, however written; near values apart
    const ColumnSpec d = column(Type::Decimal, "numeric");
    QVERIFY(d.sameValue("20.85", "20.850"));
    QVERIFY(d.sameValue("2.085e1", "20.85"));
    QVERIFY(d.sameValue("-0", "0.000"));
    QVERIFY(!d.sameValue("9007199254740993", "9007199254740992"));
    QVERIFY(!d.sameValue("0.1", "0.10000000000000001"));
    QCOMPARE(d.raw("83261.85"), QVariant(QStringLiteral("83261.85")));
    // JSON numbers too
    const ColumnSpec j = column(Type::Json, "jsonb");
    QVERIFY(!j.sameValue("[9007199254740993]", "[9007199254740992]"));
    QVERIFY(j.sameValue(R"({"a": 1, "b": 2})", R"({"b":2,"a":1})"));
}

void TestStudioTypes::toolTips()
{
    const ColumnSpec zoned = column(Type::ZonedTimestamp, "timestamptz");
    QCOMPARE(zoned.toolTip("2026-11-29 18:30:00.123456+00"),
             QStringLiteral("2026-11-29 18:30:00.123456 UTC"));
    const ColumnSpec local = column(Type::LocalTimestamp, "timestamp");
    QCOMPARE(local.toolTip("2026-11-29 18:30:00"),
             QStringLiteral(
                 "2026-11-29 18:30:00 has no time zone: shown as stored, never converted to local time."));
    const ColumnSpec bytes = column(Type::Bytea, "bytea");
    QCOMPARE(bytes.toolTip(R"(\x00ff)"), QStringLiteral("2 bytes\n\\x00ff"));
    // The escape format (QPSQL's connections print bytea so) reads as the same bytes
    QCOMPARE(bytes.toolTip(R"(\000\377)"), QStringLiteral("2 bytes\n\\x00ff"));
    QCOMPARE(bytes.display(R"(\000\377)"), bytes.display(R"(\x00ff)"));
    QCOMPARE(bytes.editValue(R"(a\\)"), QVariant(QStringLiteral(R"(\x615c)")));
    QVERIFY(zoned.toolTip(QVariant()).isEmpty());
}

void TestStudioTypes::pagedModelStagesNullDefaultAndLocalTime()
{
    // Given a table with exact numbers, '' and a timestamptz, in the real model
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("CREATE TABLE readings (id text PRIMARY KEY, amount numeric DEFAULT 0, note text, "
                   "seen_at timestamptz, big bigint)"));
    QVERIFY(q.exec(
        "INSERT INTO readings VALUES ('r1', 83261.85, '', '2026-11-29 18:30:00+00', 9007199254740993)"));
    TableSpec spec;
    spec.table = "readings";
    ColumnSpec id = column(Type::Text, "text");
    id.name = id.header = "id";
    id.editable = false;
    ColumnSpec amount = column(Type::Decimal, "numeric");
    amount.name = amount.header = "amount";
    amount.hasDefault = true;
    amount.initial = sql::columnDefault(); // a new row leaves it to the database, and says so
    ColumnSpec note = column(Type::Text, "text");
    note.name = note.header = "note";
    ColumnSpec seen = column(Type::ZonedTimestamp, "timestamp with time zone");
    seen.name = seen.header = "seen_at";
    ColumnSpec big = column(Type::Integer, "bigint");
    big.name = big.header = "big";
    spec.columns = {id, amount, note, seen, big};
    DbExecutor executor(m_db->settings());
    LoadedModel t(executor, spec, 1);
    QCOMPARE(t.model.rowCount(), 1);
    auto cell = [&](int column) { return t.model.index(0, column); };
    QCOMPARE(cell(1).data().toString(), QStringLiteral("83261.85"));
    QCOMPARE(cell(3).data().toString(), QStringLiteral("2026-11-29 13:30:00 -05:00"));
    QCOMPARE(cell(3).data(Qt::EditRole).toString(), QStringLiteral("2026-11-29 13:30:00"));
    QCOMPARE(cell(4).data().toString(), QStringLiteral("9007199254740993"));
    QCOMPARE(cell(4).data(Qt::EditRole).toString(), QStringLiteral("9007199254740993"));
    QVERIFY(cell(2).data().isValid()); // '' is a value
    QCOMPARE(cell(2).data().toString(), QString());

    // When DEFAULT, NULL and a local time are set, as the delegate and its actions do
    QVERIFY(t.model.setData(cell(1), sql::columnDefault()));
    QVERIFY(t.model.setData(cell(2), QVariant()));
    QVERIFY(t.model.setData(cell(3), "2026-11-29 14:00"));
    QVERIFY(t.model.setData(cell(4), cell(4).data(Qt::EditRole))); // an editor closed unchanged

    // Then each is staged as meant, and shows so
    QCOMPARE(cell(1).data().toString(), QStringLiteral("DEFAULT"));
    QVERIFY(sql::isColumnDefault(cell(1).data(roles::RawValue)));
    QCOMPARE(t.state("r1", 1), roles::CellState::Edited);
    QVERIFY(!cell(2).data().isValid()); // NULL now, apart from ''
    QCOMPARE(t.state("r1", 2), roles::CellState::Edited);
    QCOMPARE(cell(3).data().toString(), QStringLiteral("2026-11-29 14:00:00 -05:00"));
    QCOMPARE(t.state("r1", 4), roles::CellState::Clean);
    QVERIFY(t.model.validate().isEmpty());
    // Setting DEFAULT again stages nothing new; undo takes it back
    const int steps = t.model.undoStack()->count();
    QVERIFY(t.model.setData(cell(1), sql::columnDefault()));
    QCOMPARE(t.model.undoStack()->count(), steps);
    t.model.undoStack()->undo();
    t.model.undoStack()->undo();
    t.model.undoStack()->undo();
    QCOMPARE(cell(1).data().toString(), QStringLiteral("83261.85"));
    QCOMPARE(t.state("r1", 1), roles::CellState::Clean);

    // And DEFAULT, NULL and the time are written exactly
    QVERIFY(t.model.setData(cell(1), sql::columnDefault()));
    QVERIFY(t.model.setData(cell(2), QVariant()));
    QVERIFY(t.model.setData(cell(3), "2026-11-29 14:00"));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));
    QCOMPARE(m_db->scalar("SELECT CAST(amount AS text) FROM readings").toString(), QStringLiteral("0"));
    QCOMPARE(m_db->scalar("SELECT note IS NULL FROM readings").toBool(), true);
    QCOMPARE(m_db->scalar("SELECT CAST(seen_at AS text) FROM readings").toString(),
             QStringLiteral("2026-11-29 19:00:00+00"));
    QCOMPARE(m_db->scalar("SELECT CAST(big AS text) FROM readings").toString(),
             QStringLiteral("9007199254740993"));

    // A new row shows DEFAULT where the database will fill in, NULL where it was set so
    QVERIFY(t.model.insertRows(0, 1));
    QCOMPARE(t.model.index(0, 1).data().toString(), QStringLiteral("DEFAULT"));
    QVERIFY(t.model.setData(t.model.index(0, 3), QVariant()));
    QVERIFY(!t.model.index(0, 3).data().isValid());
    QVERIFY(t.model.setData(t.model.index(0, 4), "-9223372036854775808"));
    const QVariantList inserted = t.save();
    QVERIFY2(inserted.value(0).toBool(), qPrintable(inserted.value(1).toString()));
    QCOMPARE(m_db->scalar("SELECT CAST(amount AS text) || ' ' || CAST(seen_at IS NULL AS text) FROM readings "
                          "WHERE big < 0")
                 .toString(),
             QStringLiteral("0 true"));
}

void TestStudioTypes::everyColumnOfTheStudioSchemaRoundTrips()
{
    // Given the Studio test schema, its columns typed by the catalog as Studio types them
    TestDatabase db("studioschema");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadSqlFile(TestDatabase::fixture("studio-schema.sql"));
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase connection = db.connection();
    const Result<SchemaCatalog> catalog = Catalog::load(connection);
    CCPM_VERIFY_OK(catalog);
    const CatalogTable *table = catalog->find("public", "everything");
    QVERIFY(table);
    const TableSpec spec = studioSpec(*table);
    const QString name = sql::quoteQualified(spec.schema, spec.table);
    int checked = 0;
    for (const ColumnSpec &c : spec.columns) {
        if (!c.editable)
            continue;
        const QString col = sql::quoteIdentifier(c.name);
        const bool array = c.type == Type::Array || c.type == Type::TextArray;
        const QString read = QStringLiteral("SELECT CAST(ctid AS text), %1 FROM %2")
                                 .arg(array ? QStringLiteral("CAST(array_to_json(%1) AS text)").arg(col)
                                            : QStringLiteral("CAST(%1 AS text)").arg(col),
                                      name);
        QString write = QStringLiteral("CAST(:v AS %1)").arg(c.sqlType);
        if (c.type == Type::TextArray)
            write = sql::textArrayExpression(":v");
        else if (c.type == Type::Array)
            write =
                QStringLiteral("CASE WHEN CAST(:v AS jsonb) IS NULL THEN NULL ELSE CAST(ARRAY(SELECT e FROM "
                               "jsonb_array_elements_text(CAST(:v AS jsonb)) WITH ORDINALITY AS t(e, n) "
                               "ORDER BY n) AS %1[]) END")
                    .arg(c.elementType);
        auto texts = [&](QStringList *ctids) {
            QStringList out;
            QSqlQuery q(connection);
            if (!q.exec(read))
                return QStringList{"ERROR: " + q.lastError().text()};
            while (q.next()) {
                if (ctids)
                    *ctids << q.value(0).toString();
                out << (q.value(1).isNull() ? QStringLiteral("<NULL>") : q.value(1).toString());
            }
            return out;
        };
        QStringList ctids;
        QStringList before = texts(&ctids);
        // When every value goes through its editor unchanged and is written back
        for (int row = 0; row < ctids.size(); ++row) {
            const QVariant text = before.at(row) == "<NULL>" ? QVariant() : QVariant(before.at(row));
            const QVariant edited = c.fromEdit(c.editValue(text));
            const QString where = QStringLiteral("%1 (%2), row %3: %4 -> %5")
                                      .arg(c.name, c.sqlType)
                                      .arg(row)
                                      .arg(text.toString(), edited.toString());
            QVERIFY2(c.sameValue(text, edited), qPrintable(where));
            QVERIFY2(c.problem(edited).isEmpty(), qPrintable(where + ": " + c.problem(edited)));
            QSqlQuery q(connection);
            q.prepare(
                QStringLiteral("UPDATE %1 SET %2 = %3 WHERE ctid = CAST(:t AS tid)").arg(name, col, write));
            q.bindValue(":v", edited.isNull() ? QVariant(QMetaType::fromType<QString>()) : edited);
            q.bindValue(":t", ctids.at(row));
            QVERIFY2(q.exec(), qPrintable(where + ": " + q.lastError().text()));
            ++checked;
        }
        // Then the column holds exactly what it held
        QStringList after = texts(nullptr);
        before.sort();
        after.sort();
        QCOMPARE(after, before);
    }
    QVERIFY(checked >= 25 * 3);
}

int main(int argc, char **argv)
{
    // Before anything reads the zone: local time is New York's (UTC-5, UTC-4 in summer).
    qputenv("TZ", "America/New_York");
    tzset();
    QCoreApplication app(argc, argv);
    TestStudioTypes test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_studiotypes.moc"
