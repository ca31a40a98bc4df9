// Studio's schema diagram as a user drives it (offscreen) over the backend's ccpm schema on the
// real PostgreSQL of scripts/test: a box per table and enum where Graphviz put it, an arrow per
// foreign key; a click on a table emits it (and Studio opens it); hovering an arrow highlights it
// and the columns at both ends; zoom and fit by keyboard; SVG and PNG exports that read back.
#include "catalog.h"
#include "dbexecutor.h"
#include "schemadiagramitems.h"
#include "schemadiagramview.h"
#include "studioview.h"
#include "testdatabase.h"

#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ccpm;

class TestSchemaDiagramView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyTableEnumAndKeyHasItsItem();
    void clickingATableEmitsIt();
    void hoveringAnArrowHighlightsItAndBothColumns();
    void zoomsAndFitsFromTheKeyboard();
    void exportsSvgAndPng();
    void studioOpensTheTableClickedInItsDiagram();

private:
    int node(const QString &name) const { return m_view->graph().nodeIndex("public", name); }
    int edgeNamed(const QString &name) const;
    QPoint viewportPoint(const QPointF &scenePoint) const { return m_view->view()->mapFromScene(scenePoint); }

    std::unique_ptr<TestDatabase> m_db;
    SchemaCatalog m_catalog;
    std::unique_ptr<SchemaDiagramView> m_view;
};

void TestSchemaDiagramView::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("schemadiagramview");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase db = m_db->connection();
    Result<SchemaCatalog> catalog = Catalog::load(db);
    CCPM_VERIFY_OK(catalog);
    m_catalog = std::move(catalog).value();
}

void TestSchemaDiagramView::init()
{
    m_view = std::make_unique<SchemaDiagramView>();
    m_view->resize(1200, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QSignalSpy laidOut(m_view.get(), &SchemaDiagramView::layoutFinished);
    m_view->setCatalog(m_catalog, "public");
    QVERIFY(laidOut.wait(10000));
    QVERIFY2(laidOut.first().at(0).toBool(), qPrintable(laidOut.first().at(1).toString()));
}

void TestSchemaDiagramView::cleanup()
{
    m_view.reset();
}

int TestSchemaDiagramView::edgeNamed(const QString &name) const
{
    for (int e = 0; e < m_view->graph().edges.size(); ++e) {
        if (m_view->graph().edges.at(e).name == name)
            return e;
    }
    return -1;
}

void TestSchemaDiagramView::everyTableEnumAndKeyHasItsItem()
{
    const SchemaGraph &graph = m_view->graph();
    QVERIFY(graph.nodes.size() >= 10); // five tables and seven enums at least
    for (int n = 0; n < graph.nodes.size(); ++n) {
        DiagramNodeItem *item = m_view->nodeItem(n);
        QVERIFY(item);
        QCOMPARE(item->scene(), m_view->scene());
        QCOMPARE(item->node().name, graph.nodes.at(n).name);
        QCOMPARE(item->pos(), m_view->layout().nodes.at(n).topLeft());
    }
    QVERIFY(!graph.edges.isEmpty());
    for (int e = 0; e < graph.edges.size(); ++e) {
        QVERIFY(m_view->edgeItem(e));
        QVERIFY(!m_view->edgeItem(e)->path().isEmpty());
        // The arrow ends at the referenced table's box
        const QPointF tip = m_view->edgeItem(e)->path().pointAtPercent(1.0);
        const QRectF to = m_view->layout().nodes.at(graph.edges.at(e).toNode).adjusted(-3, -3, 3, 3);
        QVERIFY2(to.contains(tip), qPrintable(graph.edges.at(e).name));
    }
    QVERIFY(!m_view->layout().enumLinks.isEmpty());
}

void TestSchemaDiagramView::clickingATableEmitsIt()
{
    QSignalSpy activated(m_view.get(), &SchemaDiagramView::tableActivated);
    DiagramNodeItem *tasks = m_view->nodeItem(node("tasks"));
    QVERIFY(tasks);
    m_view->view()->centerOn(tasks);

    // When the user clicks the tasks box
    QTest::mouseClick(m_view->view()->viewport(), Qt::LeftButton, {},
                      viewportPoint(tasks->sceneBoundingRect().center()));

    // Then it is emitted once, by schema and name
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().at(0).toString(), QString("public"));
    QCOMPARE(activated.first().at(1).toString(), QString("tasks"));

    // And a click on an enum opens nothing
    DiagramNodeItem *status = m_view->nodeItem(node("TaskStatus"));
    QVERIFY(status);
    m_view->view()->centerOn(status);
    QTest::mouseClick(m_view->view()->viewport(), Qt::LeftButton, {},
                      viewportPoint(status->sceneBoundingRect().center()));
    QCOMPARE(activated.size(), 1);
}

void TestSchemaDiagramView::hoveringAnArrowHighlightsItAndBothColumns()
{
    const SchemaGraph &graph = m_view->graph();
    const int e = edgeNamed("tasks_assignedTo_fkey");
    QVERIFY2(e >= 0, "the fixture's tasks.assignedTo → agents.id key");
    DiagramEdgeItem *arrow = m_view->edgeItem(e);
    // A point of the curve that no box covers
    QPointF onCurve;
    for (qreal t = 0.5; t < 1.0 && onCurve.isNull(); t += 0.05) {
        for (const qreal at : {t, 1.0 - t}) {
            const QPointF p = arrow->path().pointAtPercent(at);
            const QList<QGraphicsItem *> under = m_view->scene()->items(p);
            if (!under.isEmpty() && under.first() == arrow) {
                onCurve = p;
                break;
            }
        }
    }
    QVERIFY(!onCurve.isNull());
    m_view->view()->centerOn(onCurve);

    // When the pointer rests on the arrow
    QTest::mouseMove(m_view->view()->viewport(), viewportPoint(onCurve));

    // Then the arrow and both columns are highlighted
    QTRY_COMPARE(m_view->highlightedEdge(), e);
    QVERIFY(arrow->isHighlighted());
    const SchemaGraph::Edge &edge = graph.edges.at(e);
    const SchemaGraph::Node &tasks = graph.nodes.at(edge.fromNode);
    const SchemaGraph::Node &agents = graph.nodes.at(edge.toNode);
    QCOMPARE(tasks.name, QString("tasks"));
    QCOMPARE(agents.name, QString("agents"));
    const QSet<int> from = m_view->nodeItem(edge.fromNode)->highlightedRows();
    const QSet<int> to = m_view->nodeItem(edge.toNode)->highlightedRows();
    QCOMPARE(from.size(), 1);
    QCOMPARE(tasks.columns.at(*from.cbegin()).name, QString("assignedTo"));
    QCOMPARE(to.size(), 1);
    QCOMPARE(agents.columns.at(*to.cbegin()).name, QString("id"));
    // And the status line names the key
    const QLabel *status = m_view->findChild<QLabel *>("diagramStatus");
    QVERIFY(status);
    QVERIFY2(status->text().contains("tasks (assignedTo) → agents (id)"), qPrintable(status->text()));

    // And moving away clears it
    const QRectF empty = m_view->scene()->sceneRect();
    QPointF away;
    for (qreal x = empty.left() + 2; x < empty.right() && away.isNull(); x += 10) {
        for (qreal y = empty.top() + 2; y < empty.bottom(); y += 10) {
            if (m_view->scene()->items(QRectF(x - 8, y - 8, 16, 16)).isEmpty()) {
                away = QPointF(x, y);
                break;
            }
        }
    }
    QVERIFY(!away.isNull());
    m_view->view()->centerOn(away);
    QTest::mouseMove(m_view->view()->viewport(), viewportPoint(away));
    QTRY_COMPARE(m_view->highlightedEdge(), -1);
    QVERIFY(!arrow->isHighlighted());
    QVERIFY(m_view->nodeItem(edge.fromNode)->highlightedRows().isEmpty());
    QVERIFY(m_view->nodeItem(edge.toNode)->highlightedRows().isEmpty());
}

void TestSchemaDiagramView::zoomsAndFitsFromTheKeyboard()
{
    QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
    m_view->view()->setFocus();
    const qreal fitted = m_view->zoom();
    QTest::keyClick(m_view->view(), Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(m_view->zoom(), qMin(4.0, fitted * 1.25));
    QTest::keyClick(m_view->view(), Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(m_view->view(), Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(m_view->zoom() < fitted);
    m_view->zoomBy(3.0);
    QTest::keyClick(m_view->view(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(m_view->zoom(), fitted);
    // Fitted, the whole drawing is in sight
    const QRectF visible =
        m_view->view()->mapToScene(m_view->view()->viewport()->rect()).boundingRect().adjusted(-1, -1, 1, 1);
    QVERIFY(visible.contains(m_view->scene()->itemsBoundingRect()));
}

void TestSchemaDiagramView::exportsSvgAndPng()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString svgPath = dir.filePath("public.svg");
    CCPM_VERIFY_OK(m_view->exportSvg(svgPath));
    QFile svg(svgPath);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svg.readAll());
    QVERIFY(text.contains("<svg"));
    for (const char *name : {"users", "agents", "tasks", "messages", "sessions", "TaskStatus", "assignedTo"})
        QVERIFY2(text.contains(QStringLiteral(">%1<").arg(QLatin1String(name))), name);

    const QString pngPath = dir.filePath("public.png");
    CCPM_VERIFY_OK(m_view->exportPng(pngPath));
    QImage image;
    QVERIFY(image.load(pngPath, "PNG"));
    const QSizeF scene = m_view->scene()->sceneRect().size();
    QCOMPARE(image.size(), (scene * 2).toSize());
    // The boxes' title bars are painted, not just a white page
    bool title = false;
    for (int y = 0; y < image.height() && !title; y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            if (image.pixelColor(x, y) == QColor(0x2f, 0x4b, 0x7c)) {
                title = true;
                break;
            }
        }
    }
    QVERIFY(title);

    // A path that cannot be written is an error, not a crash
    QVERIFY(!m_view->exportPng(dir.filePath("missing/dir/x.png")));
}

void TestSchemaDiagramView::studioOpensTheTableClickedInItsDiagram()
{
    DbExecutor executor(m_db->settings(), 2);
    StudioView studio(executor);
    studio.resize(1200, 700);
    studio.show();
    QSignalSpy loaded(&studio, &StudioView::catalogLoaded);
    studio.reloadCatalog();
    QVERIFY(loaded.wait(10000));

    SchemaDiagramView *diagram = studio.showDiagram();
    QVERIFY(diagram);
    QSignalSpy laidOut(diagram, &SchemaDiagramView::layoutFinished);
    QVERIFY(laidOut.wait(10000));
    QCOMPARE(diagram->schema(), QString("public"));
    DiagramNodeItem *messages = diagram->nodeItem(diagram->graph().nodeIndex("public", "messages"));
    QVERIFY(messages);
    diagram->view()->centerOn(messages);
    QSignalSpy opened(&studio, &StudioView::tableOpened);
    QTest::mouseClick(diagram->view()->viewport(), Qt::LeftButton, {},
                      diagram->view()->mapFromScene(messages->sceneBoundingRect().center()));
    QCOMPARE(opened.size(), 1);
    QVERIFY(studio.currentTable());
    QCOMPARE(studio.currentTable()->name, QString("messages"));

    // When the catalog is read again (F5) with a new table, the open diagram shows it
    QVERIFY(m_db->connection()
                .exec("CREATE TABLE public.notes (id int PRIMARY KEY, "
                      "task text REFERENCES public.tasks (id))")
                .lastError()
                .type() == QSqlError::NoError);
    diagram->show();
    laidOut.clear();
    studio.reloadCatalog();
    QVERIFY(laidOut.wait(10000));
    QVERIFY(diagram->graph().nodeIndex("public", "notes") >= 0);
    QVERIFY(diagram->nodeItem(diagram->graph().nodeIndex("public", "notes")));
}

QTEST_MAIN(TestSchemaDiagramView)
#include "tst_schemadiagramview.moc"
