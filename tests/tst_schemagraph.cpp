// The schema diagram's graph and layout (issue 9) over the real PostgreSQL of scripts/test: the
// graph of the ccpm schema (the backend's, migrated by the app) and of a generated schema of 100 tables (a
// composite foreign key, self references, a key into another schema, an enum), each foreign key checked
// column by column against pg_constraint read independently; then Graphviz's layout of both: every box placed
// at the size asked, no two boxes overlapping, every arrow a Bézier spline from its column's row to the
// referenced column's row. Prints the layout times (docs/performance.md).
#include "catalog.h"
#include "dbexecutor.h"
#include "schemagraph.h"
#include "schemalayout.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace ccpm;

namespace {

// t000 … t097, then order_lines and shipments: 100 tables.
const char *const generatedSchema = R"sql(
CREATE SCHEMA gen;
CREATE TYPE gen.mood AS ENUM ('calm', 'busy', 'away');
DO $$
DECLARE i int;
BEGIN
    FOR i IN 0..97 LOOP
        EXECUTE format('CREATE TABLE gen.%I (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, '
                       'parent_id bigint, ref_a bigint, ref_b bigint, note text)', 't' || lpad(i::text, 3, '0'));
    END LOOP;
    FOR i IN 1..97 LOOP
        EXECUTE format('ALTER TABLE gen.%I ADD CONSTRAINT %I FOREIGN KEY (ref_a) REFERENCES gen.%I (id)',
                       't' || lpad(i::text, 3, '0'), 'a_' || i, 't' || lpad((i / 2)::text, 3, '0'));
        IF i % 3 = 0 THEN
            EXECUTE format('ALTER TABLE gen.%I ADD CONSTRAINT %I FOREIGN KEY (ref_b) REFERENCES gen.%I (id)',
                           't' || lpad(i::text, 3, '0'), 'b_' || i, 't' || lpad(((i * 37) % i + i % 7)::text, 3, '0'));
        END IF;
        IF i % 10 = 0 THEN
            EXECUTE format('ALTER TABLE gen.%I ADD CONSTRAINT %I FOREIGN KEY (parent_id) REFERENCES gen.%I (id)',
                           't' || lpad(i::text, 3, '0'), 'self_' || i, 't' || lpad(i::text, 3, '0'));
        END IF;
    END LOOP;
END $$;
CREATE TABLE gen.order_lines (order_no int, line_no int, product bigint REFERENCES gen.t010 (id),
                              PRIMARY KEY (order_no, line_no));
CREATE TABLE gen.shipments (id serial PRIMARY KEY, order_no int NOT NULL, line_no int NOT NULL,
                            CONSTRAINT shipments_line FOREIGN KEY (line_no, order_no)
                                REFERENCES gen.order_lines (line_no, order_no));
ALTER TABLE gen.t001 ADD COLUMN owner_id text REFERENCES public.users (id);
ALTER TABLE gen.t002 ADD COLUMN mood gen.mood NOT NULL DEFAULT 'calm';
)sql";

// Every foreign key's column pairs as `constraint: schema.table.column -> schema.table.column`,
// from pg_constraint's conkey and confkey unnested side by side.
const char *const foreignKeyPairs = R"sql(
SELECT format('%s: %s.%s.%s -> %s.%s.%s', c.conname, n.nspname, r.relname, a.attname,
              fn.nspname, fr.relname, fa.attname)
FROM pg_constraint c
JOIN pg_class r ON r.oid = c.conrelid
JOIN pg_namespace n ON n.oid = r.relnamespace
JOIN pg_class fr ON fr.oid = c.confrelid
JOIN pg_namespace fn ON fn.oid = fr.relnamespace
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum)
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum
WHERE c.contype = 'f' AND n.nspname = :schema
)sql";

QStringList graphPairs(const SchemaGraph &graph)
{
    QStringList pairs;
    for (const SchemaGraph::Edge &edge : graph.edges) {
        const SchemaGraph::Node &from = graph.nodes.at(edge.fromNode);
        const SchemaGraph::Node &to = graph.nodes.at(edge.toNode);
        for (int i = 0; i < edge.fromColumns.size(); ++i)
            pairs << QStringLiteral("%1: %2.%3.%4 -> %5.%6.%7")
                         .arg(edge.name, from.schema, from.name, from.columns.at(edge.fromColumns.at(i)).name,
                              to.schema, to.name, to.columns.at(edge.toColumns.at(i)).name);
    }
    pairs.sort();
    return pairs;
}

const SchemaGraph::Column *column(const SchemaGraph &graph, const QString &table, const QString &name)
{
    const int node = graph.nodeIndex(graph.schema, table);
    if (node < 0)
        return nullptr;
    for (const SchemaGraph::Column &c : graph.nodes.at(node).columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

// Widths as a diagram would measure them, without fonts: 7 pt per character.
QList<qreal> widthsFor(const SchemaGraph &graph)
{
    QList<qreal> widths;
    for (const SchemaGraph::Node &node : graph.nodes) {
        qsizetype widest = node.title().size();
        for (const SchemaGraph::Column &c : node.columns)
            widest = qMax(widest, c.name.size() + c.type.size() + 8);
        for (const QString &value : node.enumValues)
            widest = qMax(widest, value.size());
        widths << 7.0 * qreal(widest) + 16;
    }
    return widths;
}

qreal distance(const QRectF &rect, const QPointF &point)
{
    const QPointF nearest(qBound(rect.left(), point.x(), rect.right()),
                          qBound(rect.top(), point.y(), rect.bottom()));
    return QLineF(point, nearest).length();
}

} // namespace

class TestSchemaGraph : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void ccpmSchemaHasItsTablesMarkersAndEnums();
    void edgesMatchPgConstraint_data();
    void edgesMatchPgConstraint();
    void generatedSchemaHasCompositeSelfAndExternalKeys();
    void layoutPlacesEveryBoxApart_data();
    void layoutPlacesEveryBoxApart();
    void layoutRefusesSizesThatDoNotMatch();
    void emptySchemaLaysOutEmpty();

private:
    SchemaGraph graphOf(const QString &schema) const { return SchemaGraph::build(m_catalog, schema); }
    std::unique_ptr<TestDatabase> m_db;
    SchemaCatalog m_catalog;
};

void TestSchemaGraph::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("schemagraph");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    {
        // The schema as the app leaves it: the backend's plus the app's migrations (agent_tokens,
        // message_deliveries, … with their own foreign keys)
        DbExecutor executor(m_db->settings(), 1);
        CCPM_VERIFY_OK(TestDatabase::migrate(executor));
    }
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    QVERIFY2(q.exec(QString::fromUtf8(generatedSchema)), qPrintable(q.lastError().text()));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE n.nspname = 'gen' AND c.relkind = 'r'")
                 .toInt(),
             100);
    Result<SchemaCatalog> catalog = Catalog::load(db);
    CCPM_VERIFY_OK(catalog);
    m_catalog = std::move(catalog).value();
}

void TestSchemaGraph::ccpmSchemaHasItsTablesMarkersAndEnums()
{
    // Given the backend's schema, when its graph is built
    const SchemaGraph graph = graphOf("public");

    // Then every table is a node, and every enum with its values
    for (const char *table :
         {"users", "agents", "tasks", "messages", "sessions", "agent_tokens", "message_deliveries"})
        QVERIFY2(graph.nodeIndex("public", table) >= 0, table);
    const int status = graph.nodeIndex("public", "TaskStatus");
    QVERIFY(status >= 0);
    QCOMPARE(graph.nodes.at(status).kind, SchemaGraph::NodeKind::Enum);
    QCOMPARE(graph.nodes.at(status).enumValues,
             m_db->scalar("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                          "WHERE enumtypid = '\"TaskStatus\"'::regtype")
                 .toString()
                 .split(','));

    // And the columns carry their markers
    const SchemaGraph::Column *id = column(graph, "tasks", "id");
    QVERIFY(id && id->primaryKey && id->notNull && !id->foreignKey && !id->unique);
    const SchemaGraph::Column *assignee = column(graph, "tasks", "assignedTo");
    QVERIFY(assignee && assignee->foreignKey && !assignee->notNull && !assignee->primaryKey);
    const SchemaGraph::Column *email = column(graph, "users", "email");
    QVERIFY(email && email->unique && email->notNull);
    const SchemaGraph::Column *taskStatus = column(graph, "tasks", "status");
    QVERIFY(taskStatus);
    QCOMPARE(taskStatus->enumNode, status);
    const SchemaGraph::Column *delivered = column(graph, "message_deliveries", "messageId");
    QVERIFY(delivered && delivered->primaryKey && delivered->foreignKey);
    QVERIFY(graph.edges.size() >= 7);
}

void TestSchemaGraph::edgesMatchPgConstraint_data()
{
    QTest::addColumn<QString>("schema");
    QTest::newRow("ccpm") << "public";
    QTest::newRow("100 tables") << "gen";
}

void TestSchemaGraph::edgesMatchPgConstraint()
{
    QFETCH(QString, schema);
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    QVERIFY(q.prepare(QString::fromUtf8(foreignKeyPairs)));
    q.bindValue(":schema", schema);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QStringList expected;
    while (q.next())
        expected << q.value(0).toString();
    expected.sort();
    QVERIFY(expected.size() >= 7);

    QCOMPARE(graphPairs(graphOf(schema)), expected);
}

void TestSchemaGraph::generatedSchemaHasCompositeSelfAndExternalKeys()
{
    const SchemaGraph graph = graphOf("gen");
    int tables = 0;
    for (const SchemaGraph::Node &node : graph.nodes)
        tables += node.kind == SchemaGraph::NodeKind::Table && !node.external ? 1 : 0;
    QCOMPARE(tables, 100);

    // The composite key is one edge with its two column pairs, in key order
    const auto composite =
        std::find_if(graph.edges.cbegin(), graph.edges.cend(),
                     [](const SchemaGraph::Edge &e) { return e.name == "shipments_line"; });
    QVERIFY(composite != graph.edges.cend());
    QCOMPARE(composite->fromColumns.size(), 2);
    const SchemaGraph::Node &lines = graph.nodes.at(composite->toNode);
    QCOMPARE(lines.name, QString("order_lines"));
    QCOMPARE(lines.columns.at(composite->toColumns.at(0)).name, QString("line_no"));
    QCOMPARE(lines.columns.at(composite->toColumns.at(1)).name, QString("order_no"));
    QVERIFY(lines.columns.at(0).primaryKey && lines.columns.at(1).primaryKey);

    // Self references point back at their own node
    int selfEdges = 0;
    for (const SchemaGraph::Edge &edge : graph.edges)
        selfEdges += edge.fromNode == edge.toNode ? 1 : 0;
    QCOMPARE(selfEdges, m_db->scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                                     "AND conrelid = confrelid AND connamespace = 'gen'::regnamespace")
                            .toInt());
    QVERIFY(selfEdges >= 9);

    // A key into public brings users in as an external node with the referenced column only
    const int users = graph.nodeIndex("public", "users");
    QVERIFY(users >= 0);
    QVERIFY(graph.nodes.at(users).external);
    QCOMPARE(graph.nodes.at(users).columns.size(), 1);
    QCOMPARE(graph.nodes.at(users).title(), QString("public.users"));

    // The enum column points at its enum
    const SchemaGraph::Column *mood = column(graph, "t002", "mood");
    QVERIFY(mood && mood->enumNode >= 0);
    QCOMPARE(graph.nodes.at(mood->enumNode).enumValues, QStringList({"calm", "busy", "away"}));
}

void TestSchemaGraph::layoutPlacesEveryBoxApart_data()
{
    edgesMatchPgConstraint_data();
}

void TestSchemaGraph::layoutPlacesEveryBoxApart()
{
    QFETCH(QString, schema);
    const SchemaGraph graph = graphOf(schema);
    const QList<qreal> widths = widthsFor(graph);
    const qreal row = 20;

    // When the layout runs on its thread
    QElapsedTimer timer;
    timer.start();
    QFuture<Result<SchemaLayout>> future = SchemaLayout::start(graph, widths, row);
    future.waitForFinished();
    const qint64 wall = timer.elapsed();
    Result<SchemaLayout> result = future.result();
    CCPM_VERIFY_OK(result);
    const SchemaLayout layout = std::move(result).value();
    // Later layouts (the context and its plugins are loaded once): the median of five
    QList<qint64> again;
    for (int i = 0; i < 5; ++i) {
        const Result<SchemaLayout> repeat = SchemaLayout::compute(graph, widths, row);
        CCPM_VERIFY_OK(repeat);
        QCOMPARE(repeat->nodes, layout.nodes); // dot is deterministic
        again << repeat->milliseconds;
    }
    std::sort(again.begin(), again.end());
    qInfo("layout of %s: %lld nodes, %lld edges: first %lld ms in Graphviz (%lld ms with the thread hop), "
          "then median %lld ms",
          qPrintable(schema), qlonglong(graph.nodes.size()), qlonglong(graph.edges.size()),
          layout.milliseconds, wall, again.at(2));

    // Then every box is where the layout says, of the size asked, inside the drawing
    QCOMPARE(layout.nodes.size(), graph.nodes.size());
    QCOMPARE(layout.edges.size(), graph.edges.size());
    qInfo("drawing %.0f x %.0f pt", layout.bounds.width(), layout.bounds.height());
    // Fifty tables nothing refers to are spread over several columns, not stacked in one
    QVERIFY2(layout.bounds.height() < 2.5 * layout.bounds.width(), "a drawing too tall for a screen");
    for (int n = 0; n < layout.nodes.size(); ++n) {
        const QRectF box = layout.nodes.at(n);
        QCOMPARE(box.width(), std::ceil(widths.at(n)));
        QCOMPARE(box.height(), row * (1 + graph.nodes.at(n).rowCount()));
        QVERIFY2(layout.bounds.adjusted(-0.5, -0.5, 0.5, 0.5).contains(box),
                 qPrintable(graph.nodes.at(n).name));
    }
    // And no two boxes overlap
    for (int a = 0; a < layout.nodes.size(); ++a) {
        for (int b = a + 1; b < layout.nodes.size(); ++b) {
            const QRectF overlap = layout.nodes.at(a).intersected(layout.nodes.at(b));
            QVERIFY2(overlap.width() < 0.5 || overlap.height() < 0.5,
                     qPrintable(graph.nodes.at(a).name + " overlaps " + graph.nodes.at(b).name));
        }
    }
    // And every arrow is a cubic spline joining the rows of its columns (either way round)
    for (int e = 0; e < graph.edges.size(); ++e) {
        const QList<QPointF> &spline = layout.edges.at(e);
        const SchemaGraph::Edge &edge = graph.edges.at(e);
        QVERIFY2(spline.size() >= 4 && (spline.size() - 1) % 3 == 0, qPrintable(edge.name));
        const QRectF from = layout.nodes.at(edge.fromNode);
        const QRectF to = layout.nodes.at(edge.toNode);
        const QRectF fromRow(from.left(), from.top() + row * (1 + edge.fromColumns.first()), from.width(),
                             row);
        const QRectF toRow(to.left(), to.top() + row * (1 + edge.toColumns.first()), to.width(), row);
        const qreal forwards = distance(fromRow, spline.first()) + distance(toRow, spline.last());
        const qreal backwards = distance(fromRow, spline.last()) + distance(toRow, spline.first());
        QVERIFY2(qMin(forwards, backwards) <= 1.0,
                 qPrintable(QStringLiteral("%1 ends %2 pt away from its rows (both ends together)")
                                .arg(edge.name)
                                .arg(qMin(forwards, backwards))));
    }
}

void TestSchemaGraph::layoutRefusesSizesThatDoNotMatch()
{
    const SchemaGraph graph = graphOf("public");
    const Result<SchemaLayout> layout = SchemaLayout::compute(graph, {100.0}, 20);
    QVERIFY(!layout);
    QCOMPARE(layout.error().kind, Error::Kind::Invalid);
}

void TestSchemaGraph::emptySchemaLaysOutEmpty()
{
    const SchemaGraph graph = graphOf("no_such_schema");
    QVERIFY(graph.nodes.isEmpty());
    const Result<SchemaLayout> layout = SchemaLayout::compute(graph, {}, 20);
    CCPM_VERIFY_OK(layout);
    QVERIFY(layout->nodes.isEmpty());
    QVERIFY(layout->edges.isEmpty());
}

QTEST_GUILESS_MAIN(TestSchemaGraph)
#include "tst_schemagraph.moc"
