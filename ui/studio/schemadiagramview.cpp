#include "schemadiagramview.h"

#include "schemadiagramitems.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QResizeEvent>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace ccpm {

namespace {

constexpr qreal minZoom = 0.05;
constexpr qreal maxZoom = 4.0;
constexpr qreal margin = 12;

// Ctrl+wheel zooms under the pointer; the wheel alone scrolls; dragging the background pans.
class DiagramCanvas : public QGraphicsView {
public:
    DiagramCanvas(QGraphicsScene *scene, QWidget *parent, std::function<void(qreal)> zoomBy,
                  std::function<void()> resized)
        : QGraphicsView(scene, parent)
        , m_zoomBy(std::move(zoomBy))
        , m_resized(std::move(resized))
    {
        setDragMode(QGraphicsView::ScrollHandDrag);
        setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
        setResizeAnchor(QGraphicsView::AnchorViewCenter);
        setBackgroundBrush(QColor(0xf1, 0xf3, 0xf5));
        setMouseTracking(true);
    }

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        if (!event->modifiers().testFlag(Qt::ControlModifier)) {
            QGraphicsView::wheelEvent(event);
            return;
        }
        const int steps = event->angleDelta().y();
        if (steps != 0)
            m_zoomBy(std::pow(1.0015, steps));
        event->accept();
    }

    void resizeEvent(QResizeEvent *event) override
    {
        QGraphicsView::resizeEvent(event);
        m_resized();
    }

private:
    std::function<void(qreal)> m_zoomBy;
    std::function<void()> m_resized;
};

QRectF drawingRect(const QGraphicsScene *scene)
{
    return scene->itemsBoundingRect().adjusted(-margin, -margin, margin, margin);
}

} // namespace

SchemaDiagramView::SchemaDiagramView(QWidget *parent)
    : QWidget(parent)
    , m_metrics(std::make_unique<DiagramMetrics>(font()))
    , m_toolbar(new QToolBar(this))
    , m_schemas(new QComboBox(this))
    , m_scene(new QGraphicsScene(this))
    , m_view(new DiagramCanvas(
          m_scene, this, [this](qreal factor) { zoomBy(factor); },
          [this] {
              if (m_fitted) // a fitted diagram stays fitted as the window changes size
                  fit();
          }))
    , m_status(new QLabel(this))
{
    m_status->setTextFormat(Qt::PlainText);
    m_status->setObjectName(QStringLiteral("diagramStatus"));
    m_toolbar->addWidget(new QLabel(tr("Schema "), m_toolbar));
    m_schemas->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_toolbar->addWidget(m_schemas);
    connect(m_schemas, &QComboBox::activated, this,
            [this](int index) { showSchema(m_schemas->itemText(index)); });
    m_toolbar->addSeparator();
    auto add = [this](const QString &text, const QList<QKeySequence> &keys, auto slot) {
        QAction *action = m_toolbar->addAction(text, this, slot);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        if (!keys.isEmpty())
            action->setToolTip(
                QStringLiteral("%1 (%2)").arg(text, keys.first().toString(QKeySequence::NativeText)));
        addAction(action);
        return action;
    };
    add(tr("Fit"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] { fit(); });
    add(tr("Zoom in"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
        [this] { zoomBy(1.25); });
    add(tr("Zoom out"), {QKeySequence::ZoomOut}, [this] { zoomBy(0.8); });
    m_toolbar->addSeparator();
    add(tr("Export SVG…"), {}, [this] { chooseExport(true); });
    add(tr("Export PNG…"), {}, [this] { chooseExport(false); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_toolbar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
}

SchemaDiagramView::~SchemaDiagramView() = default;

void SchemaDiagramView::setCatalog(const SchemaCatalog &catalog, const QString &schema)
{
    m_catalog = catalog;
    const QSignalBlocker quiet(m_schemas);
    m_schemas->clear();
    m_schemas->addItems(catalog.schemas());
    showSchema(schema);
}

void SchemaDiagramView::showSchema(const QString &schema)
{
    m_schemas->setCurrentText(schema);
    m_graph = SchemaGraph::build(m_catalog, schema);
    startLayout();
}

void SchemaDiagramView::startLayout()
{
    const quint64 generation = ++m_generation;
    m_laidOut = false;
    QList<qreal> widths;
    for (const SchemaGraph::Node &node : std::as_const(m_graph.nodes))
        widths << m_metrics->width(node);
    m_status->setText(tr("Laying out %n table(s)…", nullptr, int(m_graph.nodes.size())));
    if (m_watcher)
        m_watcher->deleteLater(); // a layout still running finishes on its thread, unheard
    m_watcher = new QFutureWatcher<Result<SchemaLayout>>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this, generation] {
        if (generation == m_generation)
            layoutDone();
    });
    m_watcher->setFuture(SchemaLayout::start(m_graph, widths, m_metrics->rowHeight));
}

void SchemaDiagramView::layoutDone()
{
    Result<SchemaLayout> result = m_watcher->result();
    if (!result) {
        const QString message = tr("The diagram could not be laid out: %1").arg(result.error().toString());
        m_status->setText(message);
        emit layoutFinished(false, message);
        return;
    }
    m_layout = std::move(result).value();
    m_laidOut = true;
    buildScene();
    fit();
    int tables = 0;
    int enums = 0;
    for (const SchemaGraph::Node &node : std::as_const(m_graph.nodes)) {
        tables += node.kind == SchemaGraph::NodeKind::Table && !node.external ? 1 : 0;
        enums += node.kind == SchemaGraph::NodeKind::Enum ? 1 : 0;
    }
    const QString message =
        m_graph.nodes.isEmpty()
            ? tr("%1 has no tables.").arg(m_graph.schema)
            : tr("%1: %n table(s)", nullptr, tables).arg(m_graph.schema) + QStringLiteral(" · ") +
                  tr("%n foreign key(s)", nullptr, int(m_graph.edges.size())) + QStringLiteral(" · ") +
                  tr("%n enum(s)", nullptr, enums) + QStringLiteral(" · ") +
                  tr("laid out by Graphviz in %1 ms").arg(m_layout.milliseconds);
    m_summary = message;
    m_status->setText(message);
    emit layoutFinished(true, message);
}

void SchemaDiagramView::buildScene()
{
    m_highlighted = -1;
    m_scene->clear();
    m_nodeItems.clear();
    m_edgeItems.clear();
    for (int n = 0; n < m_graph.nodes.size(); ++n) {
        const QRectF rect = m_layout.nodes.at(n);
        auto *item = new DiagramNodeItem(m_graph.nodes.at(n), *m_metrics, rect.size());
        item->setPos(rect.topLeft());
        item->setZValue(2);
        if (m_graph.nodes.at(n).kind == SchemaGraph::NodeKind::Table) {
            const QString schema = m_graph.nodes.at(n).schema;
            const QString name = m_graph.nodes.at(n).name;
            item->onClick = [this, schema, name] { emit tableActivated(schema, name); };
        }
        m_scene->addItem(item);
        m_nodeItems << item;
    }
    for (int e = 0; e < m_graph.edges.size(); ++e) {
        QList<QPointF> spline = m_layout.edges.at(e);
        // The arrowhead belongs at the referenced column: make sure the curve ends there.
        const QRectF to = m_layout.nodes.at(m_graph.edges.at(e).toNode);
        const QRectF from = m_layout.nodes.at(m_graph.edges.at(e).fromNode);
        auto distance = [](const QRectF &r, const QPointF &p) {
            return QLineF(p, QPointF(qBound(r.left(), p.x(), r.right()), qBound(r.top(), p.y(), r.bottom())))
                .length();
        };
        if (!spline.isEmpty() && from != to &&
            distance(to, spline.first()) + distance(from, spline.last()) <
                distance(to, spline.last()) + distance(from, spline.first()))
            std::reverse(spline.begin(), spline.end());
        auto *item = new DiagramEdgeItem(spline, DiagramEdgeItem::Kind::ForeignKey);
        item->setToolTip(describe(e));
        item->onHover = [this, e](bool on) {
            if (on)
                highlightEdge(e);
            else if (m_highlighted == e)
                highlightEdge(-1);
        };
        m_scene->addItem(item);
        m_edgeItems << item;
    }
    for (const SchemaLayout::EnumLink &link : std::as_const(m_layout.enumLinks))
        m_scene->addItem(new DiagramEdgeItem(link.path, DiagramEdgeItem::Kind::EnumUse));
    m_scene->setSceneRect(drawingRect(m_scene));
}

void SchemaDiagramView::highlightEdge(int edge)
{
    if (edge == m_highlighted)
        return;
    if (m_highlighted >= 0) {
        m_edgeItems.at(m_highlighted)->setHighlighted(false);
        const SchemaGraph::Edge &old = m_graph.edges.at(m_highlighted);
        m_nodeItems.at(old.fromNode)->setHighlightedRows({});
        m_nodeItems.at(old.toNode)->setHighlightedRows({});
    }
    m_highlighted = edge >= 0 && edge < m_edgeItems.size() ? edge : -1;
    m_status->setText(m_highlighted < 0 ? m_summary : describe(m_highlighted));
    if (m_highlighted < 0)
        return;
    const SchemaGraph::Edge &now = m_graph.edges.at(m_highlighted);
    m_edgeItems.at(m_highlighted)->setHighlighted(true);
    if (now.fromNode == now.toNode) {
        m_nodeItems.at(now.fromNode)
            ->setHighlightedRows(QSet<int>(now.fromColumns.cbegin(), now.fromColumns.cend()) +
                                 QSet<int>(now.toColumns.cbegin(), now.toColumns.cend()));
    } else {
        m_nodeItems.at(now.fromNode)
            ->setHighlightedRows(QSet<int>(now.fromColumns.cbegin(), now.fromColumns.cend()));
        m_nodeItems.at(now.toNode)
            ->setHighlightedRows(QSet<int>(now.toColumns.cbegin(), now.toColumns.cend()));
    }
}

QString SchemaDiagramView::describe(int edge) const
{
    const SchemaGraph::Edge &key = m_graph.edges.at(edge);
    const SchemaGraph::Node &from = m_graph.nodes.at(key.fromNode);
    const SchemaGraph::Node &to = m_graph.nodes.at(key.toNode);
    QStringList fromColumns;
    QStringList toColumns;
    for (int i = 0; i < key.fromColumns.size(); ++i) {
        fromColumns << from.columns.at(key.fromColumns.at(i)).name;
        toColumns << to.columns.at(key.toColumns.at(i)).name;
    }
    const QString separator = QStringLiteral(", ");
    return tr("%1 (%2) → %3 (%4) · foreign key %5")
        .arg(from.title(), fromColumns.join(separator), to.title(), toColumns.join(separator), key.name);
}

void SchemaDiagramView::fit()
{
    m_fitted = true;
    if (m_scene->items().isEmpty())
        return;
    m_view->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.0) // a small schema stays at its natural size
        m_view->setTransform(QTransform());
    else if (zoom() < minZoom)
        m_view->setTransform(QTransform::fromScale(minZoom, minZoom));
}

void SchemaDiagramView::zoomBy(qreal factor)
{
    m_fitted = false;
    const qreal target = qBound(minZoom, zoom() * factor, maxZoom);
    m_view->setTransform(QTransform::fromScale(target, target));
}

qreal SchemaDiagramView::zoom() const
{
    return m_view->transform().m11();
}

Status SchemaDiagramView::exportSvg(const QString &path) const
{
    const QRectF source = m_scene->sceneRect();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Error::Kind::Invalid, tr("Cannot write %1: %2").arg(path, file.errorString()), {}, {}};
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(source.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
        svg.setTitle(tr("Schema %1").arg(m_graph.schema));
        svg.setResolution(72); // one point per scene unit, as laid out
        QPainter painter(&svg);
        m_scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
    }
    if (!file.commit())
        return Error{Error::Kind::Invalid, tr("Cannot write %1: %2").arg(path, file.errorString()), {}, {}};
    return Done{};
}

Status SchemaDiagramView::exportPng(const QString &path) const
{
    const QRectF source = m_scene->sceneRect();
    // Twice the scene's resolution, within what QImage and image viewers take.
    const qreal scale = qMin(2.0, 16000.0 / qMax(source.width(), source.height()));
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return Error{Error::Kind::Invalid, tr("The diagram is too large for a PNG image."), {}, {}};
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        m_scene->render(&painter, QRectF(QPointF(0, 0), image.size()), source);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        return Error{Error::Kind::Invalid, tr("Cannot write %1: %2").arg(path, file.errorString()), {}, {}};
    return Done{};
}

void SchemaDiagramView::chooseExport(bool svg)
{
    if (!m_laidOut)
        return;
    const QString suggested = m_graph.schema + (svg ? QStringLiteral(".svg") : QStringLiteral(".png"));
    const QString path = QFileDialog::getSaveFileName(
        this, svg ? tr("Export the diagram as SVG") : tr("Export the diagram as PNG"), suggested,
        svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const Status written = svg ? exportSvg(path) : exportPng(path);
    m_status->setText(written ? tr("Saved %1.").arg(path) : written.error().message);
}

} // namespace ccpm
