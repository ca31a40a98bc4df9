// The paging engine on 100,000 rows, read the way a view reads it: scrolling forwards and
// backwards visits every row once in order, a far jump needs no middle pages, memory stays
// bounded, the count goes from estimate to exact, and results of an old sort are dropped.
#include "keysetquery.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;
using Sort = KeysetQuery::SortColumn;

namespace {

constexpr int kRows = 100000;
constexpr int kPageSize = PagedTableModel::kPageSize;

TableSpec itemsSpec()
{
    TableSpec spec;
    spec.table = "items";
    for (const char *name : {"id", "grp", "name", "created"}) {
        ColumnSpec column;
        column.name = column.header = name;
        spec.columns << column;
    }
    return spec;
}

KeysetQuery itemsQuery(QList<Sort> sort)
{
    return itemsSpec().query(std::move(sort));
}

QStringList allIds(QSqlDatabase db, const KeysetQuery &query)
{
    const KeysetQuery::Sql page = query.page(KeysetQuery::Direction::Forward, std::nullopt, kRows + 1);
    QSqlQuery q(db);
    QStringList ids;
    if (!sql::execPrepared(q, page.text, page.bindings, "all"))
        return ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

// What a view does for one row: ask, and let the event loop bring it.
QString idAt(PagedTableModel &model, int row)
{
    for (int i = 0; i < 2000 && model.rowCount() <= row; ++i)
        QTest::qWait(5); // the row exists once the first page or the count says so
    const QModelIndex index = model.index(row, 0);
    for (int i = 0; i < 2000 && !model.isLoaded(row); ++i) {
        model.data(index, Qt::DisplayRole);
        QTest::qWait(i == 0 ? 0 : 5);
    }
    return model.data(index, PagedTableModel::RowIdRole).toString();
}

} // namespace

class TestPagedTableModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void countStartsEstimatedThenExact();
    void scrollForwardsVisitsEveryRowOnce();
    void scrollBackwardsFromTheEnd();
    void farJumpLoadsWithoutTheMiddle();
    void endBeforeTheExactCount_data();
    void endBeforeTheExactCount();
    void staleSortIsDropped();
    void changedRowIsRefreshedInPlace();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestPagedTableModel::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("paged");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString created = m_db->createItemsTable(kRows);
    QVERIFY2(created.isEmpty(), qPrintable(created));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
}

void TestPagedTableModel::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestPagedTableModel::countStartsEstimatedThenExact()
{
    PagedTableModel model(*m_executor, itemsSpec());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setQuery(itemsQuery({{"grp", true, true}}));
    QCOMPARE(reset.size(), 1);
    QTRY_VERIFY(model.rowCount() > 0);
    QTRY_VERIFY(model.countIsExact());
    QCOMPARE(model.rowCount(), kRows);
    QCOMPARE(model.countText(), QLocale().toString(kRows) + " rows");
    QCOMPARE(reset.size(), 1); // the count settled by inserting rows, not by another reset
}

void TestPagedTableModel::scrollForwardsVisitsEveryRowOnce()
{
    const KeysetQuery query = itemsQuery({{"name", true, true}, {"created", false, true}});
    const QStringList expected = allIds(m_db->connection(), query);
    QCOMPARE(expected.size(), kRows);
    PagedTableModel model(*m_executor, itemsSpec());
    model.setMaxCachedPages(8);
    QSignalSpy errors(&model, &PagedTableModel::errorOccurred);
    model.setQuery(query);
    QTRY_VERIFY(model.countIsExact());

    QStringList seen;
    int maxCached = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        seen << idAt(model, row);
        maxCached = std::max(maxCached, model.cachedPages());
    }
    QCOMPARE(seen, expected);
    QCOMPARE(errors.size(), 0);
    QVERIFY2(maxCached <= 8, qPrintable(QString::number(maxCached))); // memory stays bounded
}

void TestPagedTableModel::scrollBackwardsFromTheEnd()
{
    const KeysetQuery query = itemsQuery({{"grp", false, true}});
    const QStringList expected = allIds(m_db->connection(), query);
    PagedTableModel model(*m_executor, itemsSpec());
    model.setMaxCachedPages(8);
    model.setQuery(query);
    QTRY_VERIFY(model.countIsExact());
    QStringList seen;
    for (int row = model.rowCount() - 1; row >= 0; --row)
        seen.prepend(idAt(model, row));
    QCOMPARE(seen, expected);
}

void TestPagedTableModel::farJumpLoadsWithoutTheMiddle()
{
    const KeysetQuery query = itemsQuery({{"created", true, true}});
    const QStringList expected = allIds(m_db->connection(), query);
    PagedTableModel model(*m_executor, itemsSpec());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(query);
    QTRY_VERIFY(model.countIsExact());
    // Ctrl+End, then a drag of the scroll bar to the middle: only those pages are fetched
    QCOMPARE(idAt(model, kRows - 1), expected.last());
    QCOMPARE(idAt(model, 53210), expected.at(53210));
    QCOMPARE(idAt(model, 1000), expected.at(1000));
    QVERIFY2(model.cachedPages() <= 4, qPrintable(QString::number(model.cachedPages())));
}

void TestPagedTableModel::endBeforeTheExactCount_data()
{
    QTest::addColumn<int>("estimate");
    QTest::newRow("estimate right") << kRows;
    QTest::newRow("estimate too low") << kRows - 700;
    QTest::newRow("estimate too high") << kRows + 700;
}

void TestPagedTableModel::endBeforeTheExactCount()
{
    // Given PostgreSQL's estimate of the table's size (pg_class.reltuples), right or wrong
    QFETCH(int, estimate);
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        QStringLiteral("UPDATE pg_class SET reltuples = %1 WHERE oid = 'items'::regclass").arg(estimate)));
    const KeysetQuery query = itemsQuery({{"created", false, true}});
    const QStringList expected = allIds(m_db->connection(), query);
    PagedTableModel model(*m_executor, itemsSpec());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // When the view jumps to the end as soon as the estimate is there (Ctrl+End)
    model.setQuery(query);
    QTRY_VERIFY(model.rowCount() > kPageSize);
    for (int row = model.rowCount() - 1; row >= model.rowCount() - 300; --row)
        model.data(model.index(row, 0), Qt::DisplayRole);

    // Then, once counted, the last rows are the table's last rows, each in its place
    QTRY_VERIFY(model.countIsExact());
    QCOMPARE(model.rowCount(), kRows);
    for (int row = kRows - 1; row >= kRows - 300; --row)
        QCOMPARE(idAt(model, row), expected.at(row));
    QVERIFY(q.exec("ANALYZE items"));
}

void TestPagedTableModel::staleSortIsDropped()
{
    const KeysetQuery byGroup = itemsQuery({{"grp", true, true}});
    const KeysetQuery byNameDesc = itemsQuery({{"name", false, true}});
    const QStringList expected = allIds(m_db->connection(), byNameDesc);
    PagedTableModel model(*m_executor, itemsSpec());
    model.setQuery(byGroup);
    model.setQuery(byNameDesc); // before the first query's pages came back
    QCOMPARE(idAt(model, 0), expected.first());
    QCOMPARE(idAt(model, 400), expected.at(400));
    QTest::qWait(300); // anything of the first query still in flight arrives and is dropped
    QCOMPARE(model.data(model.index(0, 0), PagedTableModel::RowIdRole).toString(), expected.first());
}

void TestPagedTableModel::changedRowIsRefreshedInPlace()
{
    // Given a loaded first screen that follows the change feed
    ChangeFeed feed;
    PagedTableModel model(*m_executor, itemsSpec());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.followChanges(feed);
    model.setQuery(itemsQuery({}));
    const QString id = idAt(model, 7);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // When another writer renames that row and the feed announces it
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QString("UPDATE items SET name = 'renamed' WHERE id = '%1'").arg(id)));
    feed.publish("items", id, ChangeFeed::Op::Update);

    // Then exactly that row changes, in place, without a reset
    QTRY_COMPARE(model.data(model.index(7, 2), Qt::DisplayRole).toString(), QStringLiteral("renamed"));
    QCOMPARE(changed.last().at(0).toModelIndex().row(), 7);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.data(model.index(7, 0), PagedTableModel::RowIdRole).toString(), id);
    // And a change to another table or an uncached row costs nothing
    const int before = changed.size();
    feed.publish("other", id, ChangeFeed::Op::Update);
    feed.publish("items", "not-cached", ChangeFeed::Op::Update);
    QTest::qWait(100);
    QCOMPARE(changed.size(), before);
}

QTEST_GUILESS_MAIN(TestPagedTableModel)
#include "tst_pagedtablemodel.moc"
