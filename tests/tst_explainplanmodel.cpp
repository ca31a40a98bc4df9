// The SQL console's plan tree, from real EXPLAIN (FORMAT JSON) output of PostgreSQL: the tree
// has the plan's shape, costs and timings, self times add up, and the most expensive node is
// the one flagged.
#include "explainplanmodel.h"
#include "sqlstatementsplitter.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace ccpm;

class TestExplainPlanModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void planWithoutAnalyze();
    void planWithAnalyze();
    void refusesOtherText();

private:
    QByteArray explain(const QString &statement);
    /// Every index of the model, depth first.
    QList<QModelIndex> all(const QAbstractItemModel &model, const QModelIndex &parent = {}) const;
    std::unique_ptr<TestDatabase> m_db;
};

void TestExplainPlanModel::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("explain");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    QVERIFY2(q.exec("create table big(id int primary key, grp int, name text)"),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec("insert into big select g, g % 10, 'n' || g from generate_series(1, 50000) g"));
    QVERIFY(q.exec("create table small(grp int primary key, label text)"));
    QVERIFY(q.exec("insert into small select g, 'g' || g from generate_series(0, 9) g"));
    QVERIFY(q.exec("analyze big; "));
    QVERIFY(q.exec("analyze small"));
}

QByteArray TestExplainPlanModel::explain(const QString &statement)
{
    const QString json = SqlStatementSplitter::explainAsJson(statement);
    if (json.isEmpty())
        return {};
    QSqlQuery q(m_db->connection());
    if (!q.exec(json) || !q.next()) {
        qWarning() << q.lastError().text();
        return {};
    }
    return q.value(0).toString().toUtf8();
}

QList<QModelIndex> TestExplainPlanModel::all(const QAbstractItemModel &model, const QModelIndex &parent) const
{
    QList<QModelIndex> indexes;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        indexes << index << all(model, index);
    }
    return indexes;
}

void TestExplainPlanModel::planWithoutAnalyze()
{
    // Given the plan of a join with an aggregate, as text EXPLAIN would have shown it
    const QByteArray json =
        explain("explain select s.label, count(*) from big b join small s on s.grp = b.grp "
                "group by s.label order by 2 desc");
    QVERIFY(!json.isEmpty());
    ExplainPlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // When it is loaded
    const Status loaded = model.setPlan(json);
    CCPM_VERIFY_OK(loaded);

    // Then the tree has one root (Sort) and scans of both tables below it
    QVERIFY(!model.analyzed());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ExplainPlanModel::Node).data().toString(), QString("Sort"));
    QStringList relations;
    for (const QModelIndex &index : all(model))
        relations << index.siblingAtColumn(ExplainPlanModel::Relation).data().toString();
    QVERIFY2(relations.contains("big b") && relations.contains("small s"), qPrintable(relations.join(", ")));
    const double rootCost = QLocale().toDouble(model.index(0, ExplainPlanModel::TotalCost).data().toString());
    QVERIFY(rootCost > 0);
    QVERIFY(model.index(0, ExplainPlanModel::ActualTime).data().isNull());

    // And exactly one node is flagged: the scan of the 50,000 rows, whose own cost is the largest
    int flagged = 0;
    QModelIndex expensive;
    for (const QModelIndex &index : all(model)) {
        if (index.data(ExplainPlanModel::ExpensiveRole).toBool()) {
            ++flagged;
            expensive = index;
        }
    }
    QCOMPARE(flagged, 1);
    QCOMPARE(expensive, model.mostExpensive());
    QCOMPARE(expensive.siblingAtColumn(ExplainPlanModel::Relation).data().toString(), QString("big b"));
    QVERIFY(expensive.data(Qt::BackgroundRole).isValid());
}

void TestExplainPlanModel::planWithAnalyze()
{
    const QByteArray json = explain("EXPLAIN ANALYZE select count(*) from big where name like '%7%'");
    QVERIFY(!json.isEmpty());
    ExplainPlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CCPM_VERIFY_OK(model.setPlan(json));

    QVERIFY(model.analyzed());
    QVERIFY(model.executionTimeMs() > 0);
    QVERIFY(model.planningTimeMs() >= 0);
    const QList<QModelIndex> nodes = all(model);
    QVERIFY(nodes.size() >= 2);
    // Self times add up to the root's total time (all loops; rounding of the server's 3 decimals)
    double selfSum = 0;
    for (const QModelIndex &index : nodes) {
        const QJsonObject details = index.data(ExplainPlanModel::DetailsRole).toJsonObject();
        QVERIFY(details.contains("Actual Total Time"));
        selfSum += QLocale().toDouble(index.siblingAtColumn(ExplainPlanModel::SelfTime).data().toString());
    }
    const QJsonObject root = model.index(0, 0).data(ExplainPlanModel::DetailsRole).toJsonObject();
    const double rootTotal =
        root.value("Actual Total Time").toDouble() * root.value("Actual Loops").toDouble();
    QVERIFY2(qAbs(selfSum - rootTotal) < 0.01 * nodes.size() + 0.01,
             qPrintable(QString("%1 vs %2").arg(selfSum).arg(rootTotal)));
    // The flagged node has the largest self time
    const QModelIndex expensive = model.mostExpensive();
    QVERIFY(expensive.isValid());
    const double most =
        QLocale().toDouble(expensive.siblingAtColumn(ExplainPlanModel::SelfTime).data().toString());
    for (const QModelIndex &index : nodes)
        QVERIFY(QLocale().toDouble(index.siblingAtColumn(ExplainPlanModel::SelfTime).data().toString()) <=
                most);
    QVERIFY(!expensive.siblingAtColumn(ExplainPlanModel::Loops).data().toString().isEmpty());
}

void TestExplainPlanModel::refusesOtherText()
{
    ExplainPlanModel model;
    CCPM_VERIFY_OK(model.setPlan(explain("explain select * from small")));
    QCOMPARE(model.rowCount(), 1);
    const Status refused = model.setPlan("Seq Scan on small  (cost=0.00..1.10 rows=10 width=10)");
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, Error::Kind::Invalid);
    QCOMPARE(model.rowCount(), 1); // the old plan stays
    QVERIFY(!model.setPlan("[{\"x\": 1}]").ok());
}

QTEST_GUILESS_MAIN(TestExplainPlanModel)
#include "tst_explainplanmodel.moc"
