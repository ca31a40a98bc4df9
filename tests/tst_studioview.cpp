// Studio as a user drives it, assembled (StudioView: sidebar, pills, grid, relations,
// breadcrumb) over the real PostgreSQL of scripts/test with tests/fixtures/studio-schema.sql:
// opening tables from the sidebar, filtering with pills, multi-column sort, a composite-key edit
// saved after its preview, a foreign key followed and back, a back-relation opened filtered, the
// read-only cases (no primary key, a view, a USER), a table named to inject SQL, and a
// 1,000,000-row table scrolled to its end. QAbstractItemModelTester watches every model.
#include "breadcrumbbar.h"
#include "catalog.h"
#include "dbexecutor.h"
#include "filterpillbar.h"
#include "pagedtablemodel.h"
#include "savepreviewdialog.h"
#include "sqlvalues.h"
#include "studiofilter.h"
#include "studiosidebar.h"
#include "studioview.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace ccpm;

class TestStudioView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    void sidebarOpensATableAndPillsFilterIt();
    void sortsByTwoColumns();
    void editsACompositeKeyRowAfterThePreview();
    void followsAForeignKeyAndComesBack();
    void readOnlyTablesSayWhy_data();
    void readOnlyTablesSayWhy();
    void userGetsStudioReadOnly();
    void tableNamedToInjectIsJustATable();
    void millionRowTableOpensAndScrollsToTheEnd();

private:
    bool openAndWait(const QString &schema, const QString &name, int rows);
    QString scalar(const QString &sql) const { return m_db->scalar(sql).toString(); }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<StudioView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestStudioView::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("studioview");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadStudioFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    QVERIFY2(q.exec("CREATE TABLE public.big (id bigint PRIMARY KEY, amount numeric(12,2), label text)"),
             qPrintable(q.lastError().text()));
    QVERIFY2(q.exec("INSERT INTO public.big SELECT g, (g::bigint * 7919 % 1000000) / 100.0, 'label ' || g "
                    "FROM generate_series(1, 1000000) g"),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec("ANALYZE"));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 3);
}

void TestStudioView::init()
{
    m_view = std::make_unique<StudioView>(*m_executor);
    m_view->resize(1300, 700);
    m_view->show();
    QSignalSpy loaded(m_view.get(), &StudioView::catalogLoaded);
    m_view->reloadCatalog();
    QVERIFY(loaded.wait(10000));
}

void TestStudioView::cleanup()
{
    m_tester.reset();
    if (m_view && m_view->model())
        m_view->model()->discard();
    m_view.reset();
}

void TestStudioView::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

bool TestStudioView::openAndWait(const QString &schema, const QString &name, int rows)
{
    if (!m_view->open(schema, name))
        return false;
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 1000; ++i) {
        PagedTableModel *model = m_view->model();
        if (model->rowCount() == rows && model->countIsExact() && (rows == 0 || model->isLoaded(rows - 1)))
            return true;
        if (rows > 0)
            model->index(qMax(0, model->rowCount() - 1), 0).data();
        QTest::qWait(10);
    }
    return false;
}

void TestStudioView::sidebarOpensATableAndPillsFilterIt()
{
    // When the sidebar activates "Sales"."Customers"
    emit m_view->sidebar()->tableActivated("Sales", "Customers");
    QTRY_VERIFY(m_view->model() && m_view->model()->countIsExact());
    QCOMPARE(m_view->model()->rowCount(), 3);
    QCOMPARE(m_view->breadcrumb()->labels(), QStringList{"Customers"});

    // And a pill narrows it in SQL: region = north OR fullName contains 'hopper'
    FilterPillBar *pills = m_view->filterBar();
    StudioFilter north;
    north.column = "region";
    north.op = KeysetQuery::Filter::Op::Equals;
    north.value = "north";
    StudioFilter hopper;
    hopper.column = "fullName";
    hopper.op = KeysetQuery::Filter::Op::Contains;
    hopper.value = "hopper";
    QVERIFY(pills->setPills({north, hopper}, true));
    QTRY_COMPARE(m_view->model()->rowCount(), 2);
    QTRY_VERIFY(m_view->model()->isLoaded(1));
    QStringList names;
    const int fullName = m_view->model()->spec().columnOf("fullName");
    for (int r = 0; r < 2; ++r)
        names << m_view->model()->index(r, fullName).data(roles::StoredText).toString();
    QCOMPARE(names, (QStringList{"Ada Lovelace", "Grace Hopper"}));

    // With AND instead, nobody matches both
    pills->setMatchAny(false);
    QTRY_COMPARE(m_view->model()->rowCount(), 0);
}

void TestStudioView::sortsByTwoColumns()
{
    QVERIFY(openAndWait("Sales", "OrderLines", 3));
    PagedTableModel *model = m_view->model();
    const int sku = model->spec().columnOf("sku");
    const int price = model->spec().columnOf("unitPrice");
    // sku ascending, then unitPrice descending: SKU-1 83261.85, SKU-1 10.00, SKU-2 0.99
    m_view->setSortKeys({{sku, true}, {price, false}});
    QTRY_VERIFY(model->countIsExact() && model->isLoaded(2));
    QStringList prices;
    for (int r = 0; r < 3; ++r)
        prices << model->index(r, price).data(roles::StoredText).toString();
    QCOMPARE(prices, (QStringList{"83261.85", "10.00", "0.99"}));
    // Shift+click on the header adds a key; a plain click sorts by that column alone
    QTest::mouseClick(m_view->view()->horizontalHeader()->viewport(), Qt::LeftButton, Qt::NoModifier,
                      QPoint(m_view->view()->horizontalHeader()->sectionViewportPosition(price) + 10, 5));
    QCOMPARE(m_view->sortKeys(), (QList<QPair<int, bool>>{{price, true}}));
}

void TestStudioView::editsACompositeKeyRowAfterThePreview()
{
    QVERIFY(openAndWait("Sales", "OrderLines", 3));
    PagedTableModel *model = m_view->model();
    const int price = model->spec().columnOf("unitPrice");
    const int row = model->rowOf(R"(["1","2"])");
    QVERIFY(row >= 0);
    // An exact decimal, staged, then previewed: the statement names the key and binds the value
    QVERIFY(model->setData(model->index(row, price), "9007199254.99"));
    const QString preview = SavePreviewDialog::describe(model->savePreview());
    QVERIFY2(preview.contains(R"(UPDATE "Sales"."OrderLines" SET "unitPrice" = CAST(:v0 AS numeric(12,2)))"),
             qPrintable(preview));
    QVERIFY2(preview.contains("'9007199254.99'"), qPrintable(preview));
    QSignalSpy saved(model, &PagedTableModel::saveFinished);
    m_view->save(false);
    QVERIFY(saved.wait(10000));
    QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
    QCOMPARE(
        scalar(R"(SELECT "unitPrice"::text FROM "Sales"."OrderLines" WHERE "orderId" = 1 AND "lineNo" = 2)"),
        QString("9007199254.99"));
    QCOMPARE(
        scalar(R"(SELECT "unitPrice"::text FROM "Sales"."OrderLines" WHERE "orderId" = 1 AND "lineNo" = 1)"),
        QString("83261.85"));
    // And a server refusal names its constraint; nothing is written
    const int sku = model->spec().columnOf("sku");
    QTRY_VERIFY(model->isLoaded(model->rowOf(R"(["1","2"])")));
    QVERIFY(model->setData(model->index(model->rowOf(R"(["1","2"])"), sku), "SKU-1"));
    saved.clear();
    m_view->save(false);
    QVERIFY(saved.wait(10000));
    QVERIFY(!saved.first().at(0).toBool());
    QVERIFY2(saved.first().at(1).toString().contains("OrderLines_order_sku_key"),
             qPrintable(saved.first().at(1).toString()));
    QVERIFY(model->hasStagedChanges());
}

void TestStudioView::followsAForeignKeyAndComesBack()
{
    QVERIFY(openAndWait("Sales", "Shipments", 2));
    PagedTableModel *model = m_view->model();
    // The composite foreign key (orderId, lineNo) of the first shipment: OrderLines (1, 1)
    QVERIFY(m_view->followForeignKey(model->index(0, model->spec().columnOf("lineNo"))));
    QTRY_VERIFY(m_view->model()->countIsExact());
    QCOMPARE(m_view->currentTable()->name, QString("OrderLines"));
    QCOMPARE(m_view->model()->rowCount(), 1);
    QTRY_VERIFY(m_view->model()->isLoaded(0));
    QCOMPARE(m_view->model()->index(0, 0).data(roles::RowId).toString(), QString(R"(["1","1"])"));
    QCOMPARE(m_view->breadcrumb()->count(), 2);

    // Back (Alt+Left) shows the shipments again
    QVERIFY(m_view->back());
    QTRY_VERIFY(m_view->model()->countIsExact());
    QCOMPARE(m_view->currentTable()->name, QString("Shipments"));
    QCOMPARE(m_view->model()->rowCount(), 2);

    // A NULL foreign key refers to nothing, and says so
    QVERIFY(openAndWait("public", "employees", 3));
    QSignalSpy status(m_view.get(), &StudioView::statusMessage);
    const int manager = m_view->model()->spec().columnOf("manager_id");
    const int boss = m_view->model()->rowOf(R"(["1"])");
    QVERIFY(!m_view->followForeignKey(m_view->model()->index(boss, manager)));
    QVERIFY(!status.isEmpty() && status.last().at(0).toString().contains("NULL"));

    // A back-relation opened filtered: the orders of customer 1, under the user's own pills
    const RelationTarget orders{"Sales", "Orders", {"customerId"}, {"bigint"}, {"1"}};
    QVERIFY(m_view->navigate(orders));
    QTRY_VERIFY(m_view->model()->countIsExact());
    QCOMPARE(m_view->model()->rowCount(), 2);
    StudioFilter any;
    any.column = "id";
    any.op = KeysetQuery::Filter::Op::AtLeast;
    any.value = "0";
    StudioFilter third = any;
    third.op = KeysetQuery::Filter::Op::Equals;
    third.value = "3";
    QVERIFY(m_view->filterBar()->setPills({any, third}, true)); // OR: every order… but only customer 1's
    QTRY_VERIFY(m_view->model()->countIsExact());
    QTest::qWait(50);
    QTRY_COMPARE(m_view->model()->rowCount(), 2);
}

void TestStudioView::readOnlyTablesSayWhy_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("rows");
    QTest::newRow("no primary key") << "public"
                                    << "audit_log" << 2;
    QTest::newRow("view") << "Sales"
                          << "OrderTotals" << 2;
}

void TestStudioView::readOnlyTablesSayWhy()
{
    QFETCH(QString, schema);
    QFETCH(QString, table);
    QFETCH(int, rows);
    QVERIFY(openAndWait(schema, table, rows));
    PagedTableModel *model = m_view->model();
    QVERIFY(!model->spec().readOnlyReason.isEmpty());
    QVERIFY(!model->insertRows(0, 1));
    QVERIFY(!model->setData(model->index(0, 0), "x"));
    QVERIFY(!(model->flags(model->index(0, 0)) & Qt::ItemIsEditable));
    const QList<QLabel *> labels = m_view->findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [&](QLabel *l) {
        return l->isVisible() && l->text() == model->spec().readOnlyReason;
    }));
}

void TestStudioView::userGetsStudioReadOnly()
{
    m_view->setActor(Actor{"no-such-user"}, Role::User);
    QVERIFY(openAndWait("public", "employees", 3));
    PagedTableModel *model = m_view->model();
    QVERIFY(!model->canWrite());
    QVERIFY(!model->setData(model->index(0, 1), "Changed"));
    QVERIFY(!model->insertRows(0, 1));
    QCOMPARE(scalar("SELECT count(*) FROM public.employees"), QString("3"));
}

void TestStudioView::tableNamedToInjectIsJustATable()
{
    QVERIFY(openAndWait("public", R"(we"ird; drop table x; --)", 2));
    PagedTableModel *model = m_view->model();
    const int quoted = model->spec().columnOf(R"(it's "quoted")");
    QVERIFY(quoted >= 0);
    QVERIFY(model->setData(model->index(model->rowOf(R"(["2"])"), quoted), R"('); DROP TABLE x; --)"));
    QVERIFY(model->insertRows(0, 1));
    QVERIFY(model->setData(model->index(0, model->spec().columnOf("id")), "3"));
    QVERIFY(model->setData(model->index(0, model->spec().columnOf("a.b")), "42"));
    QSignalSpy saved(model, &PagedTableModel::saveFinished);
    m_view->save(false);
    QVERIFY(saved.wait(10000));
    QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
    QCOMPARE(scalar(R"(SELECT "it's ""quoted""" FROM public."we""ird; drop table x; --" WHERE id = 2)"),
             QString(R"('); DROP TABLE x; --)"));
    QCOMPARE(scalar(R"(SELECT "a.b"::text FROM public."we""ird; drop table x; --" WHERE id = 3)"),
             QString("42"));
    QCOMPARE(scalar("SELECT count(*) FROM public.x"), QString("1"));
}

void TestStudioView::millionRowTableOpensAndScrollsToTheEnd()
{
    QVERIFY(m_view->open("public", "big"));
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    PagedTableModel *model = m_view->model();
    // The first rows come with the estimate, before any exact count
    QTRY_VERIFY(model->rowCount() > 0 && model->isLoaded(0));
    QTRY_VERIFY_WITH_TIMEOUT(model->countIsExact(), 30000);
    QCOMPARE(model->rowCount(), 1000000);
    // Sorted by a column without an index, descending, then the very end
    const int amount = model->spec().columnOf("amount");
    m_view->setSortKeys({{amount, false}});
    QTRY_VERIFY_WITH_TIMEOUT(model->countIsExact() && model->rowCount() == 1000000, 30000);
    m_view->view()->scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT((model->index(999999, amount).data(), model->isLoaded(999999)), 30000);
    QCOMPARE(model->index(999999, amount).data(roles::StoredText).toString(),
             scalar("SELECT min(amount)::text FROM public.big"));
    QVERIFY(model->cachedPages() <= model->maxCachedPages());
}

QTEST_MAIN(TestStudioView)
#include "tst_studioview.moc"
