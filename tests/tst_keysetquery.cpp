// Keyset pagination on 100,000 rows with many ties and NULLs: paging forwards and backwards
// visits every row exactly once, in the order of the full sorted query, for every sort and filter.
#include "keysetquery.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace ccpm;
using Sort = KeysetQuery::SortColumn;
using Filter = KeysetQuery::Filter;

Q_DECLARE_METATYPE(QList<KeysetQuery::SortColumn>)
Q_DECLARE_METATYPE(QList<KeysetQuery::Filter>)

namespace {

constexpr int kRows = 100000;
constexpr int kPage = 4999; // not a divisor of the row count: the last page is partial

struct PageResult {
    QStringList ids;
    std::optional<QVariantList> firstCursor;
    std::optional<QVariantList> lastCursor;
    QString error;
};

PageResult runPage(QSqlDatabase db, const KeysetQuery &query, KeysetQuery::Direction direction,
                   const std::optional<QVariantList> &cursor, int limit)
{
    const KeysetQuery::Sql sql = query.page(direction, cursor, limit);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    PageResult result;
    if (Status s = sql::execPrepared(q, sql.text, sql.bindings, "page"); !s) {
        result.error = s.error().toString() + " in " + sql.text;
        return result;
    }
    const int first = query.columnCount();
    while (q.next()) {
        result.ids << q.value(0).toString();
        QVariantList keys;
        for (int i = 0; i < query.cursorColumnCount(); ++i)
            keys << q.value(first + i);
        if (!result.firstCursor)
            result.firstCursor = keys;
        result.lastCursor = keys;
    }
    return result;
}

} // namespace

class TestKeysetQuery : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void pagesVisitEveryRowOnce_data();
    void pagesVisitEveryRowOnce();
    void likeEscapingMatchesLiterally();
    void countAndEstimate();

private:
    KeysetQuery query(QList<Sort> sort, QList<Filter> filters = {}, QString quick = {}) const
    {
        return KeysetQuery({"items", {"id", "grp", "name"}, "id", "items", {}, {}}, std::move(sort),
                           std::move(filters), quick, {"name"});
    }
    std::unique_ptr<TestDatabase> m_db;
};

void TestKeysetQuery::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("keyset");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString created = m_db->createItemsTable(kRows);
    QVERIFY2(created.isEmpty(), qPrintable(created));
}

void TestKeysetQuery::cleanupTestCase()
{
    m_db.reset();
}

void TestKeysetQuery::pagesVisitEveryRowOnce_data()
{
    QTest::addColumn<QList<Sort>>("sort");
    QTest::addColumn<QList<Filter>>("filters");
    QTest::addColumn<QString>("quick");
    QTest::newRow("id only") << QList<Sort>{} << QList<Filter>{} << QString();
    QTest::newRow("grp asc (ties, NULLs)")
        << QList<Sort>{{"grp", true, true}} << QList<Filter>{} << QString();
    QTest::newRow("grp desc") << QList<Sort>{{"grp", false, true}} << QList<Filter>{} << QString();
    QTest::newRow("name asc, created desc")
        << QList<Sort>{{"name", true, true}, {"created", false, true}} << QList<Filter>{} << QString();
    QTest::newRow("created asc (ms ties)")
        << QList<Sort>{{"created", true, true}} << QList<Filter>{} << QString();
    QTest::newRow("enum desc, grp asc")
        << QList<Sort>{{"prio", false, true}, {"grp", true, true}} << QList<Filter>{} << QString();
    QTest::newRow("filtered: contains, in set")
        << QList<Sort>{{"name", false, true}}
        << QList<Filter>{{"name", Filter::Op::Contains, "5"},
                         {"prio", Filter::Op::InSet, QStringList{"LOW", "HIGH"}}}
        << QString();
    QTest::newRow("filtered: range, not null, quick search")
        << QList<Sort>{{"created", true, true}}
        << QList<Filter>{{"created", Filter::Op::AtLeast, "2026-01-01 00:00:00.100"},
                         {"created", Filter::Op::Below, "2026-01-01 00:00:00.900"},
                         {"grp", Filter::Op::IsNotNull, {}}}
        << QString("name 4");
}

void TestKeysetQuery::pagesVisitEveryRowOnce()
{
    QFETCH(QList<Sort>, sort);
    QFETCH(QList<Filter>, filters);
    QFETCH(QString, quick);
    const KeysetQuery q = query(sort, filters, quick);
    QSqlDatabase db = m_db->connection();

    // Given the whole result in one sorted query
    const PageResult all = runPage(db, q, KeysetQuery::Direction::Forward, std::nullopt, kRows + 1);
    QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
    QVERIFY(all.ids.size() > kPage); // more than one page, or the test proves nothing
    QCOMPARE(QSet<QString>(all.ids.cbegin(), all.ids.cend()).size(), all.ids.size());

    // When paging forwards from the first page
    QStringList forward;
    std::optional<QVariantList> cursor;
    for (int guard = 0; guard < kRows; ++guard) {
        const PageResult page = runPage(db, q, KeysetQuery::Direction::Forward, cursor, kPage);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        forward += page.ids;
        if (page.ids.size() < kPage)
            break;
        cursor = page.lastCursor;
    }
    // Then every row comes exactly once, in the full query's order
    QCOMPARE(forward.size(), all.ids.size());
    QCOMPARE(forward, all.ids);

    // When paging backwards from the last page (jumping to the end without the middle)
    QStringList backward;
    cursor.reset();
    for (int guard = 0; guard < kRows; ++guard) {
        const PageResult page = runPage(db, q, KeysetQuery::Direction::Backward, cursor, kPage);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        backward += page.ids; // each backward page arrives in reverse order
        if (page.ids.size() < kPage)
            break;
        cursor = page.lastCursor;
    }
    std::reverse(backward.begin(), backward.end());
    QCOMPARE(backward, all.ids);

    // And all(), the export's query, holds the same rows in the same order
    const KeysetQuery::Sql everything = q.all();
    QSqlQuery rows(db);
    rows.setForwardOnly(true);
    CCPM_VERIFY_OK(sql::execPrepared(rows, everything.text, everything.bindings, "all"));
    QCOMPARE(rows.record().count(), q.columnCount());
    QStringList exported;
    while (rows.next())
        exported << rows.value(0).toString();
    QCOMPARE(exported, all.ids);
}

void TestKeysetQuery::likeEscapingMatchesLiterally()
{
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("CREATE TABLE words (id text PRIMARY KEY, w text)"));
    QVERIFY(q.exec(
        R"(INSERT INTO words VALUES ('1', '100%'), ('2', '1000'), ('3', 'a_b'), ('4', 'axb'), ('5', 'back\slash'), ('6', 'O''Brien'))"));
    auto matches = [&](Filter::Op op, const QString &text) {
        const KeysetQuery k({"words", {"id"}, "id", "words", {}, {}}, {}, {{"w", op, text}});
        const PageResult r =
            runPage(m_db->connection(), k, KeysetQuery::Direction::Forward, std::nullopt, 100);
        return r.error.isEmpty() ? r.ids.join(',') : r.error;
    };
    QCOMPARE(matches(Filter::Op::Contains, "0%"), QStringLiteral("1"));
    QCOMPARE(matches(Filter::Op::Contains, "_"), QStringLiteral("3"));
    QCOMPARE(matches(Filter::Op::Contains, "\\"), QStringLiteral("5"));
    QCOMPARE(matches(Filter::Op::StartsWith, "o'b"), QStringLiteral("6"));
    QCOMPARE(matches(Filter::Op::Equals, "O'Brien"), QStringLiteral("6"));
    QCOMPARE(matches(Filter::Op::Contains, "'; DROP TABLE words; --"), QString());
    QCOMPARE(m_db->scalar("SELECT count(*) FROM words").toInt(), 6);
}

void TestKeysetQuery::countAndEstimate()
{
    const KeysetQuery k = query({}, {{"grp", Filter::Op::IsNull, {}}});
    QSqlQuery q(m_db->connection());
    KeysetQuery::Sql count = k.count();
    QVERIFY(sql::execPrepared(q, count.text, count.bindings, "count").ok());
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), kRows / 11);
    QVERIFY(!k.estimate()); // filtered: only the exact count
    const std::optional<KeysetQuery::Sql> estimate = query({}).estimate();
    QVERIFY(estimate);
    QVERIFY(sql::execPrepared(q, estimate->text, estimate->bindings, "estimate").ok());
    QVERIFY(q.next());
    // ANALYZE ran after the insert: the estimate is close to the truth
    QVERIFY2(qAbs(q.value(0).toLongLong() - kRows) < kRows / 10, qPrintable(q.value(0).toString()));
}

QTEST_GUILESS_MAIN(TestKeysetQuery)
#include "tst_keysetquery.moc"
