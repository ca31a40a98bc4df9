// Studio's navigation (issue 6): the sidebar's tree model on a hand-built catalog, its search,
// exact counts and Ctrl+P; relation counts against plain SQL on real tables (single-column,
// composite and self-referencing keys, quoted mixed-case names, a table named `we"ird; drop`),
// values built to inject SQL; the relations panel and the breadcrumb. Screenshots of the sidebar
// and the relations panel go to docs/screenshots/.
#include "breadcrumbbar.h"
#include "catalogtreemodel.h"
#include "quickswitcher.h"
#include "relationqueries.h"
#include "relationspanel.h"
#include "sqlvalues.h"
#include "studiosidebar.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace ccpm;

namespace {

CatalogColumn column(const QString &name, const QString &type, bool nullable = true)
{
    CatalogColumn c;
    c.name = name;
    c.type = type;
    c.nullable = nullable;
    return c;
}

CatalogTable table(const QString &schema, const QString &name, QChar kind, qint64 rows,
                   const QList<CatalogColumn> &columns = {}, const QStringList &primaryKey = {})
{
    CatalogTable t;
    t.schema = schema;
    t.name = name;
    t.kind = kind;
    t.estimatedRows = rows;
    t.columns = columns;
    t.primaryKey = primaryKey;
    return t;
}

/// Adds the foreign key to both ends (its table's foreignKeys, the referenced table's referencedBy).
void addForeignKey(SchemaCatalog &catalog, const CatalogForeignKey &key)
{
    for (CatalogTable &t : catalog.tables) {
        if (t.schema == key.fromSchema && t.name == key.fromTable)
            t.foreignKeys.append(key);
    }
    for (CatalogTable &t : catalog.tables) {
        if (t.schema == key.toSchema && t.name == key.toTable)
            t.referencedBy.append(key);
    }
}

/// Two schemas; a view, a materialized view, a partitioned and a foreign table, a table
/// without a primary key.
SchemaCatalog handCatalog()
{
    SchemaCatalog c;
    const QList<CatalogColumn> idOnly{column("id", "text", false)};
    c.tables = {
        table("public", "agents", 'r', 1234567, idOnly, {"id"}),
        table("public", "active_agents", 'v', -1, idOnly),
        table("public", "log_lines", 'r', -1, {column("line", "text")}),
        table("public", "tasks", 'r', 950, idOnly, {"id"}),
        table("sales", "Orders", 'p', 12300, idOnly, {"id"}),
        table("sales", "rates", 'm', 40, idOnly),
        table("sales", "remote_stock", 'f', 0, idOnly),
    };
    return c;
}

QStringList visibleTables(const CatalogTreeModel &model)
{
    QStringList out;
    for (int s = 0; s < model.rowCount(); ++s) {
        const QModelIndex schema = model.index(s, 0);
        for (int t = 0; t < model.rowCount(schema); ++t)
            out << schema.data().toString() + "." + model.index(t, 0, schema).data().toString();
    }
    return out;
}

QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(CCPM_FIXTURES_DIR) + "/../../docs/screenshots";
    QDir().mkpath(dir);
    return QDir(dir).absoluteFilePath(name);
}

// The relation test tables: a single-column FK (twice from one table), a composite FK, a
// self-reference, and quoted mixed-case names with a table called `we"ird; drop`.
constexpr auto kRelationSchema = R"sql(
CREATE TABLE parent (id integer PRIMARY KEY, name text);
CREATE TABLE child (id serial PRIMARY KEY, parent_id integer REFERENCES parent(id),
                    backup_id integer REFERENCES parent(id), note text);
CREATE TABLE cparent (a integer, b text, label text, PRIMARY KEY (a, b));
CREATE TABLE cchild (id serial PRIMARY KEY, pa integer, pb text, FOREIGN KEY (pa, pb) REFERENCES cparent(a, b));
CREATE TABLE node (id bigint PRIMARY KEY, up bigint REFERENCES node(id));
CREATE SCHEMA "Mixed Schema";
CREATE TABLE "Mixed Schema"."ParentTable" ("Key" text PRIMARY KEY);
CREATE TABLE "Mixed Schema"."we""ird; drop" ("Id" serial PRIMARY KEY,
    "RefKey" text REFERENCES "Mixed Schema"."ParentTable"("Key"));
INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, 6) g;
INSERT INTO child (parent_id, backup_id, note)
    SELECT 1 + g % 4, CASE WHEN g % 3 = 0 THEN NULL ELSE 1 + g % 5 END, 'n' || g FROM generate_series(1, 40) g;
INSERT INTO cparent VALUES (1, 'x', 'one x'), (1, 'y', 'one y'), (2, 'x', 'two x'), (3, 'it''s', 'quote');
INSERT INTO cchild (pa, pb) VALUES (1, 'x'), (1, 'x'), (1, 'y'), (2, 'x'), (1, 'x'), (3, 'it''s'), (NULL, 'x');
INSERT INTO node VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 1), (6, 5);
INSERT INTO "Mixed Schema"."ParentTable" VALUES ('plain'), ('x'' OR ''1''=''1'), ('''; DROP TABLE parent; --'), ('unused');
INSERT INTO "Mixed Schema"."we""ird; drop" ("RefKey") VALUES ('plain'), ('plain'), ('plain'),
    ('x'' OR ''1''=''1'), ('x'' OR ''1''=''1'), ('''; DROP TABLE parent; --'), (NULL);
ANALYZE;
)sql";

/// The hand-made catalog of kRelationSchema (Catalog::load is another unit's).
SchemaCatalog relationCatalog()
{
    SchemaCatalog c;
    c.tables = {
        table("Mixed Schema", "ParentTable", 'r', 4, {column("Key", "text", false)}, {"Key"}),
        table("Mixed Schema", "we\"ird; drop", 'r', 7,
              {column("Id", "integer", false), column("RefKey", "text")}, {"Id"}),
        table("public", "cchild", 'r', 7,
              {column("id", "integer", false), column("pa", "integer"), column("pb", "text")}, {"id"}),
        table("public", "child", 'r', 40,
              {column("id", "integer", false), column("parent_id", "integer"), column("backup_id", "integer"),
               column("note", "text")},
              {"id"}),
        table("public", "cparent", 'r', 4,
              {column("a", "integer", false), column("b", "text", false), column("label", "text")},
              {"a", "b"}),
        table("public", "node", 'r', 6, {column("id", "bigint", false), column("up", "bigint")}, {"id"}),
        table("public", "parent", 'r', 6, {column("id", "integer", false), column("name", "text")}, {"id"}),
    };
    addForeignKey(c, {"child_parent_id_fkey", "public", "child", {"parent_id"}, "public", "parent", {"id"}});
    addForeignKey(c, {"child_backup_id_fkey", "public", "child", {"backup_id"}, "public", "parent", {"id"}});
    addForeignKey(c,
                  {"cchild_pa_pb_fkey", "public", "cchild", {"pa", "pb"}, "public", "cparent", {"a", "b"}});
    addForeignKey(c, {"node_up_fkey", "public", "node", {"up"}, "public", "node", {"id"}});
    addForeignKey(
        c,
        {"we_ird_fkey", "Mixed Schema", "we\"ird; drop", {"RefKey"}, "Mixed Schema", "ParentTable", {"Key"}});
    return c;
}

} // namespace

class TestStudioNav : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void treeModelListsSchemasAndTables();
    void estimatesAreMarkedExactCountsAreNot();
    void searchFiltersTablesAndSchemas();
    void sidebarSearchEnterOpensFirstMatch();
    void sidebarClickAndJumpOpenTables();
    void sidebarCountsExactlyAndCancels();

    void forwardRelationsMapKeyValues();
    void backCountsEqualSqlCounts();
    void injectionLookingValuesHaveNoEffect();
    void countCapStopsEarly();
    void targetFiltersShowTheCountedRows();

    void relationsPanelShowsCountsAndOpens();
    void relationsPanelDropsStaleAnswers();
    void breadcrumbPushBackAndClick();
    void breadcrumbAltLeftGoesBack();

    void screenshots();

private:
    qint64 sqlCount(const QString &sql, const QVariantList &values = {});
    QList<qint64> counts(const CatalogTable &t, const QVariantMap &row, qint64 cap = 0);
    QVariantMap rowOf(const QString &sql, const QVariantList &values = {});

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    SchemaCatalog m_relations;
};

void TestStudioNav::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("studionav"));
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlQuery q(m_db->connection());
    QVERIFY2(q.exec(kRelationSchema), qPrintable(q.lastError().text()));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
    m_relations = relationCatalog();
}

void TestStudioNav::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

qint64 TestStudioNav::sqlCount(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(m_db->connection());
    if (!q.prepare(sql))
        return -100;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec() || !q.next()) {
        qWarning() << q.lastError().text();
        return -100;
    }
    return q.value(0).toLongLong();
}

QList<qint64> TestStudioNav::counts(const CatalogTable &t, const QVariantMap &row, qint64 cap)
{
    const Result<QList<qint64>> r =
        QCoro::waitFor(RelationQueries::count(*m_executor, RelationQueries::back(m_relations, t, row), cap));
    if (!r) {
        qWarning() << r.error().toString();
        return {};
    }
    return *r;
}

/// One row as the grid holds it: column name → text, NULL as a null QVariant.
QVariantMap TestStudioNav::rowOf(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(m_db->connection());
    QVariantMap out;
    if (!q.prepare(sql))
        return out;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec() || !q.next())
        return out;
    for (int i = 0; i < q.record().count(); ++i)
        out.insert(q.record().fieldName(i), q.isNull(i) ? QVariant() : QVariant(q.value(i).toString()));
    return out;
}

void TestStudioNav::treeModelListsSchemasAndTables()
{
    CatalogTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCatalog(handCatalog());

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), "public");
    QCOMPARE(model.index(1, 0).data().toString(), "sales");
    QCOMPARE(model.rowCount(model.index(0, 0)), 4);
    QCOMPARE(model.rowCount(model.index(1, 0)), 3);
    QCOMPARE(visibleTables(model),
             QStringList({"public.agents", "public.active_agents", "public.log_lines", "public.tasks",
                          "sales.Orders", "sales.rates", "sales.remote_stock"}));

    // Each table knows its kind, and a table without a primary key says so
    const QModelIndex view = model.tableIndex("public", "active_agents");
    QCOMPARE(view.data(CatalogTreeModel::KindRole).value<QChar>(), QChar('v'));
    QVERIFY(view.data(Qt::ToolTipRole).toString().contains("view"));
    QVERIFY(!view.data(Qt::ToolTipRole).toString().contains("primary key")); // a view is not marked
    const QModelIndex noKey = model.tableIndex("public", "log_lines");
    QCOMPARE(noKey.data(CatalogTreeModel::HasPrimaryKeyRole).toBool(), false);
    QVERIFY(noKey.data(Qt::ToolTipRole).toString().contains("No primary key"));
    QVERIFY(model.tableIndex("public", "agents").data(CatalogTreeModel::HasPrimaryKeyRole).toBool());
    // Its icon differs from a keyed table's (the badge)
    const QImage plain = qvariant_cast<QIcon>(model.tableIndex("public", "tasks").data(Qt::DecorationRole))
                             .pixmap(16, 16)
                             .toImage();
    const QImage badged = qvariant_cast<QIcon>(noKey.data(Qt::DecorationRole)).pixmap(16, 16).toImage();
    QVERIFY(!plain.isNull());
    QVERIFY(plain != badged);
    QCOMPARE(model.tableIndex("sales", "Orders").parent(), model.index(1, 0));
    QVERIFY(!model.tableIndex("sales", "agents").isValid());
}

void TestStudioNav::estimatesAreMarkedExactCountsAreNot()
{
    CatalogTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCatalog(handCatalog());
    const QLocale locale;

    QCOMPARE(CatalogTreeModel::estimateText(1000000), QString("~%1 M").arg(locale.toString(1.0, 'f', 1)));
    QCOMPARE(CatalogTreeModel::estimateText(950), QString("~950"));
    QCOMPARE(CatalogTreeModel::estimateText(12300), QString("~%1 k").arg(locale.toString(12.3, 'f', 1)));
    QCOMPARE(CatalogTreeModel::estimateText(-1), QString("?"));

    // Given agents estimated at 1,234,567 rows
    const QModelIndex rows = model.tableIndex("public", "agents", CatalogTreeModel::RowsColumn);
    QVERIFY(rows.data().toString().startsWith('~'));
    QVERIFY(rows.data().toString().endsWith(" M"));
    QVERIFY(rows.data(Qt::ToolTipRole).toString().contains("estimate"));
    QVERIFY(!rows.data(CatalogTreeModel::ExactRowsRole).isValid());
    // A view has no estimate at all
    QCOMPARE(model.tableIndex("public", "active_agents", CatalogTreeModel::RowsColumn).data().toString(),
             QString());

    // When counting, then counted
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setCounting("public", "agents", true);
    QCOMPARE(rows.data(CatalogTreeModel::CountingRole).toBool(), true);
    QVERIFY(rows.data().toString().contains("counting"));
    model.setExactCount("public", "agents", 1234999);
    QCOMPARE(changed.count(), 2);
    // Then the exact figure shows, unmarked
    QCOMPARE(rows.data().toString(), locale.toString(qint64(1234999)));
    QCOMPARE(rows.data(CatalogTreeModel::ExactRowsRole).toLongLong(), 1234999);
    QVERIFY(rows.data(Qt::ToolTipRole).toString().contains("counted exactly"));
    model.setCountError("public", "tasks", "permission denied for table tasks");
    QVERIFY(
        model.tableIndex("public", "tasks").data(Qt::ToolTipRole).toString().contains("permission denied"));
}

void TestStudioNav::searchFiltersTablesAndSchemas()
{
    CatalogTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCatalog(handCatalog());

    model.setFilter("AGENT");
    QCOMPARE(visibleTables(model), QStringList({"public.agents", "public.active_agents"}));
    QCOMPARE(model.rowCount(), 1); // sales has no match: not listed
    model.setFilter("sales");      // a schema's name lists its tables
    QCOMPARE(visibleTables(model), QStringList({"sales.Orders", "sales.rates", "sales.remote_stock"}));
    model.setFilter("es.or");
    QCOMPARE(visibleTables(model), QStringList({"sales.Orders"}));
    QCOMPARE(model.firstTable().data().toString(), "Orders");
    model.setFilter("no such table");
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.firstTable().isValid());
    model.setFilter({});
    QCOMPARE(model.visibleTableCount(), 7);
}

void TestStudioNav::sidebarSearchEnterOpensFirstMatch()
{
    StudioSidebar sidebar(*m_executor);
    sidebar.setCatalog(handCatalog());
    QSignalSpy opened(&sidebar, &StudioSidebar::tableActivated);

    // When typing "RAT" and Enter
    QTest::keyClicks(sidebar.searchBox(), "RAT");
    QCOMPARE(sidebar.model()->visibleTableCount(), 1);
    QTest::keyClick(sidebar.searchBox(), Qt::Key_Return);

    // Then the one match opens
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), "sales");
    QCOMPARE(opened.at(0).at(1).toString(), "rates");
    QCOMPARE(sidebar.currentTable(), "rates");
    // Enter again on the table already open does not open it twice
    QTest::keyClick(sidebar.searchBox(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    // No match: nothing opens
    sidebar.searchBox()->setText("zzz");
    QTest::keyClick(sidebar.searchBox(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
}

void TestStudioNav::sidebarClickAndJumpOpenTables()
{
    QWidget window;
    auto *sidebar = new StudioSidebar(*m_executor, &window);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(sidebar);
    sidebar->setCatalog(handCatalog());
    window.resize(320, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(sidebar, &StudioSidebar::tableActivated);

    // A click on a table opens it
    const QModelIndex tasks = sidebar->model()->tableIndex("public", "tasks");
    const QRect rect = sidebar->view()->visualRect(tasks);
    QVERIFY(rect.isValid());
    QTest::mouseClick(sidebar->view()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(1).toString(), "tasks");

    // Ctrl+P lists every table; typing narrows, Enter opens
    QCOMPARE(sidebar->jumpAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_P));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(sidebar->view(), Qt::Key_P, Qt::ControlModifier);
    QuickSwitcher *jump = nullptr;
    QTRY_VERIFY((jump = window.findChild<QuickSwitcher *>()));
    QCOMPARE(jump->visibleViews().size(), 7);
    QTest::keyClicks(jump->input(), "orde");
    QCOMPARE(jump->visibleViews(), QStringList({"sales.Orders"}));
    QTest::keyClick(jump->input(), Qt::Key_Return);
    QCOMPARE(opened.count(), 2);
    QCOMPARE(opened.at(1).at(0).toString(), "sales");
    QCOMPARE(opened.at(1).at(1).toString(), "Orders");
}

void TestStudioNav::sidebarCountsExactlyAndCancels()
{
    // Given a real table whose estimate is stale, and a view that takes 30 s to count
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("CREATE TABLE counted AS SELECT g AS id FROM generate_series(1, 5000) g"));
    QVERIFY(q.exec("ANALYZE counted"));
    QVERIFY(q.exec("INSERT INTO counted SELECT g FROM generate_series(1, 123) g"));
    QVERIFY(q.exec("CREATE VIEW slow AS SELECT 1 AS one FROM pg_sleep(30)"));
    SchemaCatalog catalog;
    catalog.tables = {table("public", "counted", 'r', 5000), table("public", "slow", 'v', -1)};
    StudioSidebar sidebar(*m_executor);
    sidebar.setCatalog(catalog);
    QSignalSpy counted(&sidebar, &StudioSidebar::rowsCounted);
    const QModelIndex rows = sidebar.model()->tableIndex("public", "counted", CatalogTreeModel::RowsColumn);
    QCOMPARE(rows.data().toString(), CatalogTreeModel::estimateText(5000));

    // When counting exactly
    sidebar.countExactly("public", "counted");
    QVERIFY(sidebar.isCounting("public", "counted"));
    QVERIFY(counted.wait(10000));

    // Then the count is SQL's, shown unmarked
    QCOMPARE(counted.at(0).at(2).toLongLong(), sqlCount("SELECT count(*) FROM counted"));
    QCOMPARE(counted.at(0).at(2).toLongLong(), 5123);
    QCOMPARE(rows.data().toString(), QLocale().toString(qint64(5123)));
    QVERIFY(!sidebar.isCounting("public", "counted"));

    // A count that takes long is cancelled on the server
    sidebar.countExactly("public", "slow");
    // (QPSQL runs it as EXECUTE of a prepared statement: it is found by what it waits on)
    const QString running = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                            "AND wait_event = 'PgSleep' AND datname = current_database()";
    QTRY_COMPARE_WITH_TIMEOUT(sqlCount(running), 1, 5000);
    sidebar.cancelCount("public", "slow");
    QVERIFY(!sidebar.isCounting("public", "slow"));
    QTRY_COMPARE_WITH_TIMEOUT(sqlCount(running), 0, 5000); // long before pg_sleep(30) ends
    QCOMPARE(sidebar.model()->tableIndex("public", "slow", 1).data(CatalogTreeModel::CountingRole).toBool(),
             false);
    QCOMPARE(counted.count(), 1);
}

void TestStudioNav::forwardRelationsMapKeyValues()
{
    // A child row pointing at parent 3, with a NULL backup
    const CatalogTable *child = m_relations.find("public", "child");
    QVERIFY(child);
    const QVariantMap row{{"id", "9"}, {"parent_id", "3"}, {"backup_id", QVariant()}, {"note", "n9"}};
    const QList<ForwardRelation> forward = RelationQueries::forward(m_relations, *child, row);
    QCOMPARE(forward.size(), 2);
    const RelationTarget expected{"public", "parent", {"id"}, {"integer"}, {"3"}};
    QCOMPARE(forward.at(0).target, expected);
    QVERIFY(!forward.at(0).isNull);
    QVERIFY(forward.at(1).isNull);

    // A composite key maps column by column, in key order
    const CatalogTable *cchild = m_relations.find("public", "cchild");
    const QList<ForwardRelation> composite =
        RelationQueries::forward(m_relations, *cchild, {{"id", "1"}, {"pa", "1"}, {"pb", "x"}});
    QCOMPARE(composite.size(), 1);
    QCOMPARE(composite.at(0).target.columns, QStringList({"a", "b"}));
    QCOMPARE(composite.at(0).target.types, QStringList({"integer", "text"}));
    QCOMPARE(composite.at(0).target.values, QVariantList({"1", "x"}));

    // The referenced row exists: the target's key finds exactly one row
    QCOMPARE(sqlCount("SELECT count(*) FROM cparent WHERE a = CAST(? AS integer) AND b = ?",
                      composite.at(0).target.values),
             1);

    // The referenced rows' names, read in one statement: a `name`, a `label`, none for NULL
    QCOMPARE(forward.at(0).labelColumn, "name");
    QCOMPARE(composite.at(0).labelColumn, "label");
    const Result<QStringList> names = QCoro::waitFor(
        m_executor->exec([forward](QSqlDatabase &db) { return RelationQueries::labels(db, forward); }));
    CCPM_VERIFY_OK(names);
    QCOMPARE(*names, QStringList({"parent 3", QString()}));
    QVERIFY(names->at(1).isNull());
    const Result<QStringList> compositeNames = QCoro::waitFor(
        m_executor->exec([composite](QSqlDatabase &db) { return RelationQueries::labels(db, composite); }));
    CCPM_VERIFY_OK(compositeNames);
    QCOMPARE(*compositeNames, QStringList({"one x"}));
    // A table with no naming column: no label, and no statement
    const QList<ForwardRelation> weird = RelationQueries::forward(
        m_relations, *m_relations.find("Mixed Schema", "we\"ird; drop"), {{"Id", "1"}, {"RefKey", "plain"}});
    QCOMPARE(weird.at(0).target,
             (RelationTarget{"Mixed Schema", "ParentTable", {"Key"}, {"text"}, {"plain"}}));
    QVERIFY(weird.at(0).labelColumn.isEmpty());
    QVERIFY(!RelationQueries::labelSql(weird));
}

void TestStudioNav::backCountsEqualSqlCounts()
{
    // Every parent: two relations from child (parent_id, backup_id), counted in one statement
    const CatalogTable *parent = m_relations.find("public", "parent");
    QCOMPARE(RelationQueries::back(m_relations, *parent, {{"id", "1"}}).size(), 2);
    const std::optional<KeysetQuery::Sql> sql =
        RelationQueries::countSql(RelationQueries::back(m_relations, *parent, {{"id", "1"}}));
    QVERIFY(sql);
    QCOMPARE(sql->text.count("UNION ALL"), 1);
    QVERIFY(!sql->text.contains("'1'"));
    for (int id = 1; id <= 6; ++id) {
        const QList<qint64> c = counts(*parent, {{"id", QString::number(id)}, {"name", "x"}});
        QCOMPARE(c.size(), 2);
        QCOMPARE(c.at(0), sqlCount("SELECT count(*) FROM child WHERE parent_id = ?", {id}));
        QCOMPARE(c.at(1), sqlCount("SELECT count(*) FROM child WHERE backup_id = ?", {id}));
    }
    QVERIFY(counts(*parent, {{"id", "2"}}).at(0) > 0);

    // A composite key
    const CatalogTable *cparent = m_relations.find("public", "cparent");
    for (const auto &[a, b] :
         QList<std::pair<QString, QString>>{{"1", "x"}, {"1", "y"}, {"2", "x"}, {"3", "it's"}}) {
        const QList<qint64> c = counts(*cparent, {{"a", a}, {"b", b}});
        QCOMPARE(c.size(), 1);
        QCOMPARE(c.at(0), sqlCount("SELECT count(*) FROM cchild WHERE pa = ? AND pb = ?", {a.toInt(), b}));
    }
    QCOMPARE(counts(*cparent, {{"a", "1"}, {"b", "x"}}).at(0), 3);

    // A self-reference: children of a node
    const CatalogTable *node = m_relations.find("public", "node");
    for (int id = 1; id <= 6; ++id)
        QCOMPARE(counts(*node, {{"id", QString::number(id)}, {"up", QVariant()}}).at(0),
                 sqlCount("SELECT count(*) FROM node WHERE up = ?", {id}));
    QCOMPARE(counts(*node, {{"id", "1"}}).at(0), 3);

    // Quoted mixed-case names, and a referencing table named `we"ird; drop`
    const CatalogTable *mixed = m_relations.find("Mixed Schema", "ParentTable");
    QCOMPARE(counts(*mixed, {{"Key", "plain"}}).at(0), 3);
    QCOMPARE(counts(*mixed, {{"Key", "unused"}}).at(0), 0);
    QCOMPARE(
        counts(*mixed, {{"Key", "plain"}}).at(0),
        sqlCount(R"(SELECT count(*) FROM "Mixed Schema"."we""ird; drop" WHERE "RefKey" = ?)", {"plain"}));

    // A NULL referenced value: nothing can point at it, and no statement is needed
    const QList<BackRelation> none =
        RelationQueries::back(m_relations, *cparent, {{"a", "1"}, {"b", QVariant()}});
    QVERIFY(none.at(0).isNull);
    QVERIFY(!RelationQueries::countSql(none));
    QCOMPARE(counts(*cparent, {{"a", "1"}, {"b", QVariant()}}), QList<qint64>({0}));
}

void TestStudioNav::injectionLookingValuesHaveNoEffect()
{
    const qint64 parents = sqlCount("SELECT count(*) FROM parent");
    const qint64 weird = sqlCount(R"(SELECT count(*) FROM "Mixed Schema"."we""ird; drop")");
    const CatalogTable *mixed = m_relations.find("Mixed Schema", "ParentTable");

    // Values that are SQL to a careless builder are plain values here: exact matches only
    QCOMPARE(counts(*mixed, {{"Key", "x' OR '1'='1"}}).at(0), 2);
    QCOMPARE(counts(*mixed, {{"Key", "'; DROP TABLE parent; --"}}).at(0), 1);
    QCOMPARE(counts(*mixed, {{"Key", "plain' OR 'a'='a"}}).at(0), 0);
    QCOMPARE(counts(*mixed, {{"Key", "plain\"; DELETE FROM parent; --"}}).at(0), 0);

    // A value that is no integer is refused by the server, not run
    const CatalogTable *parent = m_relations.find("public", "parent");
    const Result<QList<qint64>> refused = QCoro::waitFor(RelationQueries::count(
        *m_executor, RelationQueries::back(m_relations, *parent, {{"id", "1 OR 1=1; DROP TABLE child"}})));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::Query);

    // Nothing was dropped or deleted
    QCOMPARE(sqlCount("SELECT count(*) FROM parent"), parents);
    QCOMPARE(sqlCount(R"(SELECT count(*) FROM "Mixed Schema"."we""ird; drop")"), weird);
    QCOMPARE(sqlCount("SELECT count(*) FROM child"), 40);
}

void TestStudioNav::countCapStopsEarly()
{
    const CatalogTable *parent = m_relations.find("public", "parent");
    const qint64 exact = sqlCount("SELECT count(*) FROM child WHERE parent_id = 2");
    QVERIFY(exact > 4);
    QCOMPARE(counts(*parent, {{"id", "2"}}, 3).at(0), 4); // cap + 1: "more than 3"
    QCOMPARE(counts(*parent, {{"id", "2"}}, 1000).at(0), exact);
}

void TestStudioNav::targetFiltersShowTheCountedRows()
{
    // For every back-relation of a few rows: the grid's filters for the target (KeysetQuery)
    // select exactly the rows counted
    struct Case {
        QString schema, table;
        QVariantMap row;
    };
    const QList<Case> cases{{"public", "parent", {{"id", "2"}}},
                            {"public", "cparent", {{"a", "1"}, {"b", "x"}}},
                            {"public", "node", {{"id", "1"}}},
                            {"Mixed Schema", "ParentTable", {{"Key", "x' OR '1'='1"}}}};
    for (const Case &c : cases) {
        const CatalogTable *t = m_relations.find(c.schema, c.table);
        QVERIFY(t);
        const QList<BackRelation> back = RelationQueries::back(m_relations, *t, c.row);
        const QList<qint64> counted = counts(*t, c.row);
        QCOMPARE(counted.size(), back.size());
        for (int i = 0; i < back.size(); ++i) {
            const RelationTarget &target = back.at(i).target;
            KeysetQuery::Source source;
            source.from = sql::quoteQualified(target.schema, target.table);
            source.columns = {"1"};
            source.id =
                sql::quoteIdentifier(m_relations.find(target.schema, target.table)->primaryKey.first());
            const KeysetQuery query(source, {}, RelationQueries::filters(target));
            const KeysetQuery::Sql count = query.count();
            QSqlQuery q(m_db->connection());
            QVERIFY2(q.prepare(count.text), qPrintable(q.lastError().text()));
            for (auto it = count.bindings.cbegin(); it != count.bindings.cend(); ++it)
                q.bindValue(it.key(), it.value());
            QVERIFY2(q.exec() && q.next(), qPrintable(q.lastError().text() + " " + count.text));
            QCOMPARE(q.value(0).toLongLong(), counted.at(i));
        }
    }
    // A NULL value filters with IS NULL; an alias prefixes the column
    const QList<KeysetQuery::Filter> f = RelationQueries::filters(
        {"public", "cchild", {"pa", "pb"}, {"integer", "text"}, {"1", QVariant()}}, "t");
    QCOMPARE(f.size(), 2);
    QCOMPARE(f.at(0).expression, "t.\"pa\"");
    QCOMPARE(f.at(0).cast, "integer");
    QCOMPARE(f.at(1).op, KeysetQuery::Filter::Op::IsNull);

    // The foreign key of a grid cell
    const CatalogTable *cchild = m_relations.find("public", "cchild");
    const auto cell = RelationQueries::forwardFor(m_relations, *cchild, "pb", {{"pa", "2"}, {"pb", "x"}});
    QVERIFY(cell);
    QCOMPARE(cell->target.values, QVariantList({"2", "x"}));
    QVERIFY(!RelationQueries::forwardFor(m_relations, *cchild, "id", {{"id", "1"}}));
}

void TestStudioNav::relationsPanelShowsCountsAndOpens()
{
    RelationsPanel panel(*m_executor);
    panel.setDebounce(0);
    panel.setCatalog(m_relations);
    QSignalSpy shown(&panel, &RelationsPanel::countsShown);
    QSignalSpy filtered(&panel, &RelationsPanel::openFiltered);
    QSignalSpy referenced(&panel, &RelationsPanel::openReferenced);

    // Given parent 2 as the current row
    panel.setRow("public", "parent", {{"id", "2"}, {"name", "parent 2"}}, "parent 'parent 2'");
    QCOMPARE(panel.backRelations().size(), 2);
    QVERIFY(panel.backButton(0)->text().endsWith("…")); // counting
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.at(0).at(0).toString(), QString());

    // Then the counts are SQL's, shown on the buttons
    const qint64 byParent = sqlCount("SELECT count(*) FROM child WHERE parent_id = 2");
    const qint64 byBackup = sqlCount("SELECT count(*) FROM child WHERE backup_id = 2");
    QCOMPARE(panel.counts(), QList<qint64>({byParent, byBackup}));
    QCOMPARE(panel.backButton(0)->text(), QString("child.parent_id: %1").arg(byParent));
    QCOMPARE(panel.backButton(1)->text(), QString("child.backup_id: %1").arg(byBackup));

    // When the second is clicked, the child table opens filtered to backup_id = 2
    QTest::mouseClick(panel.backButton(1), Qt::LeftButton);
    QCOMPARE(filtered.count(), 1);
    const auto target = filtered.at(0).at(0).value<RelationTarget>();
    QCOMPARE(target, (RelationTarget{"public", "child", {"backup_id"}, {"integer"}, {"2"}}));

    // A child row: its foreign keys open the parent; a NULL one cannot
    panel.setRow("public", "child", {{"id", "3"}, {"parent_id", "4"}, {"backup_id", QVariant()}});
    QCOMPARE(panel.forwardRelations().size(), 2);
    QVERIFY(shown.wait(10000));
    QCOMPARE(panel.labels(), QStringList({"parent 4", QString()}));
    QVERIFY(panel.forwardLabel(0)->text().contains("parent_id → parent"));
    QVERIFY(panel.forwardLabel(0)->text().contains("'parent 4'"));
    QVERIFY(panel.forwardLabel(1)->text().contains("NULL"));
    QVERIFY(panel.forwardButton(0)->isEnabled());
    QVERIFY(!panel.forwardButton(1)->isEnabled());
    QTest::mouseClick(panel.forwardButton(0), Qt::LeftButton);
    QCOMPARE(referenced.count(), 1);
    QCOMPARE(referenced.at(0).at(0).value<RelationTarget>(),
             (RelationTarget{"public", "parent", {"id"}, {"integer"}, {"4"}}));
    QVERIFY(!panel.backButton(0)); // child has no back-relations
}

void TestStudioNav::relationsPanelDropsStaleAnswers()
{
    RelationsPanel panel(*m_executor);
    panel.setDebounce(0);
    panel.setCatalog(m_relations);
    QSignalSpy shown(&panel, &RelationsPanel::countsShown);

    // Given node 1 (3 children) as the current row, its count sent to a worker
    panel.setRow("public", "node", {{"id", "1"}});
    QCoreApplication::processEvents(); // the debounce (0 ms) fires: the statement leaves
    // When the current row moves to node 4 (no children), usually before node 1's answer is
    // shown (a fast worker may answer within the processEvents() above: then it is not stale)
    const qsizetype shownBefore = shown.count();
    panel.setRow("public", "node", {{"id", "4"}});
    QVERIFY(shown.wait(10000));
    // Then only node 4's answer is shown after the move, and node 1's never replaces it
    QCOMPARE(panel.counts(), QList<qint64>({0}));
    QCOMPARE(sqlCount("SELECT count(*) FROM node WHERE up = 4"), 0);
    QTest::qWait(300); // time for a late answer for node 1 to arrive (it must be dropped)
    QCOMPARE(shown.count(), shownBefore + 1);
    QCOMPARE(panel.counts(), QList<qint64>({0}));
    QVERIFY(panel.backButton(0)->text().endsWith(": 0"));
}

void TestStudioNav::breadcrumbPushBackAndClick()
{
    BreadcrumbBar bar;
    QSignalSpy navigated(&bar, &BreadcrumbBar::navigated);
    const RelationTarget agents{"public", "agents", {}, {}, {}};
    const RelationTarget agent{"public", "agents", {"id"}, {"text"}, {"c1"}};
    const RelationTarget tasks{"public", "tasks", {"assignedTo"}, {"text"}, {"c1"}};
    QVERIFY(!bar.backAction()->isEnabled());
    bar.reset("agents", agents);
    bar.push("agent 'Claude'", agent);
    bar.push(BreadcrumbBar::describe(tasks), tasks);
    QCOMPARE(bar.labels(), QStringList({"agents", "agent 'Claude'", "tasks (assignedTo = 'c1')"}));
    QVERIFY(bar.backAction()->isEnabled());

    // Back: the agent's view comes back
    QVERIFY(bar.back());
    QCOMPARE(navigated.count(), 1);
    QCOMPARE(navigated.at(0).at(0).value<RelationTarget>(), agent);
    QCOMPARE(bar.count(), 2);

    // A click on the first crumb: the whole table
    bar.push("tasks again", tasks);
    QTest::mouseClick(bar.crumbButton(0), Qt::LeftButton);
    QCOMPARE(navigated.count(), 2);
    QCOMPARE(navigated.at(1).at(0).value<RelationTarget>(), agents);
    QCOMPARE(bar.labels(), QStringList({"agents"}));
    // Nothing before the first
    QVERIFY(!bar.back());
    QCOMPARE(navigated.count(), 2);
    QVERIFY(!bar.backAction()->isEnabled());
    // The current crumb does nothing when clicked
    QTest::mouseClick(bar.crumbButton(0), Qt::LeftButton);
    QCOMPARE(navigated.count(), 2);
    // Composite and NULL values are described
    QCOMPARE(
        BreadcrumbBar::describe({"public", "cchild", {"pa", "pb"}, {"integer", "text"}, {"1", QVariant()}}),
        "cchild (pa = '1', pb = NULL)");
}

void TestStudioNav::breadcrumbAltLeftGoesBack()
{
    QWidget window;
    auto *bar = new BreadcrumbBar(&window);
    auto *edit = new QLineEdit(&window);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(bar);
    layout->addWidget(edit);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    edit->setFocus();
    bar->reset("agents", {"public", "agents", {}, {}, {}});
    bar->push("tasks", {"public", "tasks", {}, {}, {}});
    QSignalSpy navigated(bar, &BreadcrumbBar::navigated);
    QTest::keyClick(edit, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(navigated.count(), 1);
    QCOMPARE(navigated.at(0).at(0).value<RelationTarget>().table, "agents");
}

void TestStudioNav::screenshots()
{
    // The sidebar over a catalog like the ccpm database's, plus a second schema of every kind
    SchemaCatalog catalog;
    const QList<CatalogColumn> id{column("id", "text", false)};
    catalog.tables = {
        table("analytics", "daily_tasks", 'm', 412, id),
        table("analytics", "events", 'p', 1048576, id, {"id"}),
        table("analytics", "import_log", 'r', 18250, {column("line", "text")}),
        table("analytics", "open_tasks", 'v', -1, id),
        table("analytics", "warehouse_stock", 'f', 0, id),
        table("public", "_ccpm_migrations", 'r', 7, id, {"version"}),
        table("public", "_prisma_migrations", 'r', 1, id, {"id"}),
        table("public", "agent_tokens", 'r', 0, id, {"id"}),
        table("public", "agents", 'r', 3, id, {"id"}),
        table("public", "message_deliveries", 'r', 0, id, {"id"}),
        table("public", "messages", 'r', 2, id, {"id"}),
        table("public", "sessions", 'r', 12, id, {"id"}),
        table("public", "tasks", 'r', 1002345, id, {"id"}),
        table("public", "users", 'r', 3, id, {"id"}),
    };
    StudioSidebar sidebar(*m_executor);
    sidebar.setCatalog(catalog);
    sidebar.model()->setExactCount("public", "agents", 3);
    sidebar.model()->setExactCount("public", "users", 3);
    sidebar.model()->setCounting("analytics", "events", true);
    sidebar.setCurrentTable("public", "tasks");
    sidebar.resize(340, 650);
    sidebar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&sidebar));
    QVERIFY(sidebar.grab().save(screenshotPath("studio-sidebar.png")));

    // The relations of a task of the backend's fixture, under the breadcrumb that led there
    SchemaCatalog ccpm;
    ccpm.tables = {
        table("public", "agents", 'r', 3, {column("id", "text", false), column("name", "text")}, {"id"}),
        table("public", "messages", 'r', 2, {column("id", "text", false), column("taskId", "text")}, {"id"}),
        table("public", "tasks", 'r', 3,
              {column("id", "text", false), column("title", "text"), column("createdBy", "text"),
               column("assignedTo", "text")},
              {"id"}),
        table("public", "users", 'r', 3, {column("id", "text", false), column("username", "text")}, {"id"}),
    };
    addForeignKey(ccpm,
                  {"messages_taskId_fkey", "public", "messages", {"taskId"}, "public", "tasks", {"id"}});
    addForeignKey(ccpm,
                  {"tasks_assignedTo_fkey", "public", "tasks", {"assignedTo"}, "public", "agents", {"id"}});
    addForeignKey(ccpm,
                  {"tasks_createdBy_fkey", "public", "tasks", {"createdBy"}, "public", "users", {"id"}});
    const QVariantMap task = rowOf("SELECT id, title, \"createdBy\", \"assignedTo\" FROM tasks "
                                   "WHERE id IN (SELECT \"taskId\" FROM messages) ORDER BY id LIMIT 1");
    QVERIFY(!task.isEmpty());
    const QVariantMap agent = rowOf("SELECT id, name FROM agents WHERE id = ?", {task.value("assignedTo")});

    QWidget frame;
    auto *bar = new BreadcrumbBar(&frame);
    auto *panel = new RelationsPanel(*m_executor, &frame);
    auto *layout = new QVBoxLayout(&frame);
    layout->addWidget(bar);
    layout->addWidget(panel, 1);
    bar->reset("agents", {"public", "agents", {}, {}, {}});
    bar->push(QString("agent '%1'").arg(agent.value("name").toString()),
              {"public", "agents", {"id"}, {"text"}, {agent.value("id")}});
    bar->push(BreadcrumbBar::describe({"public", "tasks", {"assignedTo"}, {"text"}, {agent.value("id")}}),
              {"public", "tasks", {"assignedTo"}, {"text"}, {agent.value("id")}});
    bar->push(QString("task '%1'").arg(task.value("title").toString()),
              {"public", "tasks", {"id"}, {"text"}, {task.value("id")}});
    panel->setDebounce(0);
    panel->setCatalog(ccpm);
    QSignalSpy shown(panel, &RelationsPanel::countsShown);
    panel->setRow("public", "tasks", task, QString("task '%1'").arg(task.value("title").toString()));
    QVERIFY(shown.wait(10000));
    QCOMPARE(panel->counts().at(0),
             sqlCount("SELECT count(*) FROM messages WHERE \"taskId\" = ?", {task.value("id")}));
    frame.resize(560, 420);
    frame.show();
    QVERIFY(QTest::qWaitForWindowExposed(&frame));
    QVERIFY(frame.grab().save(screenshotPath("studio-relations.png")));
}

QTEST_MAIN(TestStudioNav)
#include "tst_studionav.moc"
