// Value conversions between Qt and PostgreSQL's text forms (no server needed).
#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace ccpm;

class TestSqlValues : public QObject {
    Q_OBJECT
private slots:
    void timestampFromText_data();
    void timestampFromText();
    void timestampFromTextRefusesWhatIsNotATimestamp();
    void timestampTextIsUtcWithMilliseconds();
    void isoUtcTextIsWhatQtWrites();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void invalidJsonIsAnError();
    void textArrayJsonKeepsNullsAndEmpties();
};

void TestSqlValues::timestampFromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("ms");
    // PostgreSQL drops trailing zeros of the fraction: ".85" is 850 ms, not 85.
    QTest::newRow("two digits") << "2026-11-29 15:14:20.85" << 850;
    QTest::newRow("three digits") << "2026-11-29 15:14:20.857" << 857;
    QTest::newRow("one digit") << "2026-11-29 15:14:20.9" << 900;
    QTest::newRow("none") << "2026-11-29 15:14:20" << 0;
    QTest::newRow("leading zero") << "2026-11-29 15:14:20.05" << 50;
    QTest::newRow("microseconds are cut, not rounded") << "2026-11-29 15:14:20.123999" << 123;
}

void TestSqlValues::timestampFromTextRefusesWhatIsNotATimestamp()
{
    for (const char *text :
         {"", "2026-11-29", "2026-11-29T15:14:20", "2026-11-29 15:14:20.", "2026-11-29 15:14:2x",
          "2026-13-01 00:00:00", "2026-02-30 00:00:00", "2026-11-29 24:00:00", "-026-11-29 15:14:20",
          "2026-11-29 15:14:20.1234567", "2026-11-29 15:14:20.12a", "2026-11-29 15:14:20+01"})
        QVERIFY2(!sql::timestampFromText(QString::fromLatin1(text)).isValid(), text);
}

void TestSqlValues::timestampFromText()
{
    QFETCH(QString, text);
    QFETCH(int, ms);
    const QDateTime dt = sql::timestampFromText(text);
    QVERIFY(dt.isValid());
    QCOMPARE(dt.timeSpec(), Qt::UTC);
    QCOMPARE(dt.time().msec(), ms);
    QCOMPARE(dt.time().hour(), 15); // wall-clock UTC, not shifted by the local zone
    QCOMPARE(dt.date(), QDate(2026, 11, 29));
}

void TestSqlValues::timestampTextIsUtcWithMilliseconds()
{
    // Given a time in a zone east of UTC
    const QDateTime berlin(QDate(2026, 6, 1), QTime(12, 0, 0, 7), QTimeZone("Europe/Berlin"));
    // Then its text is the UTC wall-clock time with three fraction digits, and it reads back equal
    QCOMPARE(sql::timestampText(berlin), QStringLiteral("2026-06-01 10:00:00.007"));
    QCOMPARE(sql::timestampFromText(sql::timestampText(berlin)), berlin);
    QVERIFY(sql::timestampText(QDateTime()).isNull());
    QVERIFY(!sql::timestampFromText(QVariant()).isValid());
}

void TestSqlValues::isoUtcTextIsWhatQtWrites()
{
    // Given instants in UTC, with an offset, at a year's edges, without milliseconds, far out
    const QList<QDateTime> instants{
        QDateTime(QDate(2026, 11, 29), QTime(15, 14, 20, 850), Qt::UTC),
        QDateTime(QDate(2026, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
        QDateTime(QDate(2027, 1, 1), QTime(0, 0, 0, 0), Qt::UTC),
        QDateTime(QDate(2026, 1, 1), QTime(1, 2, 3, 4), QTimeZone(5 * 3600 + 1800)),
        QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC),
        QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 7), Qt::UTC),
        QDateTime(QDate(12345, 6, 7), QTime(8, 9, 10, 11), Qt::UTC),
    };
    // Then each is written as Qt writes it, in UTC ("Z"), with three digits of milliseconds
    for (const QDateTime &when : instants)
        QCOMPARE(sql::isoUtcText(when), when.toUTC().toString(Qt::ISODateWithMs));
    QCOMPARE(sql::isoUtcText(instants.at(3)), QStringLiteral("2025-12-31T19:32:03.004Z"));
    QVERIFY(sql::isoUtcText(QDateTime()).isNull());
}

void TestSqlValues::jsonRoundTrip_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("object") << QJsonValue(QJsonObject{{"a", 1}, {"b", QJsonArray{"x", QJsonValue::Null}}});
    QTest::newRow("array") << QJsonValue(QJsonArray{1, "two", true});
    QTest::newRow("string") << QJsonValue("scalar \"quoted\" ü");
    QTest::newRow("number") << QJsonValue(83261.85);
    QTest::newRow("bool") << QJsonValue(false);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("empty object") << QJsonValue(QJsonObject());
}

void TestSqlValues::jsonRoundTrip()
{
    QFETCH(QJsonValue, value);
    const QString text = sql::jsonText(value);
    auto back = sql::jsonFromText(text);
    QVERIFY(back.ok());
    QCOMPARE(*back, value);
}

void TestSqlValues::invalidJsonIsAnError()
{
    auto r = sql::jsonFromText(QStringLiteral("{\"a\":"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Invalid);
    QVERIFY(!sql::jsonFromText(QStringLiteral("1] , [2")).ok()); // no escaping the wrapper
}

void TestSqlValues::textArrayJsonKeepsNullsAndEmpties()
{
    const QStringList list{"a,b", QString(), "", "{x}"};
    const QVariant bound = sql::textArrayJson(list);
    QCOMPARE(bound.toString(), QStringLiteral("[\"a,b\",null,\"\",\"{x}\"]"));
    const auto back = sql::textArrayFromJson(bound);
    QVERIFY(back.has_value());
    QCOMPARE(back->size(), 4);
    QVERIFY(back->at(1).isNull());
    QVERIFY(!back->at(2).isNull() && back->at(2).isEmpty());
    QVERIFY(!sql::textArrayFromJson(sql::textArrayJson(std::nullopt)).has_value());
    QVERIFY(sql::textArrayJson(std::nullopt).isNull());
}

QTEST_APPLESS_MAIN(TestSqlValues)
#include "tst_sqlvalues.moc"
