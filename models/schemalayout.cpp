#include "schemalayout.h"

#include <QElapsedTimer>
#include <QLineF>
#include <QMutex>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cmath>

namespace ccpm {

namespace {

// libgvc keeps global state (the error handler, cgraph's dictionaries, plugin loading): one
// layout at a time in the whole program.
QMutex &graphvizMutex()
{
    static QMutex mutex;
    return mutex;
}

QString &graphvizErrors()
{
    static QString text;
    return text;
}

int collectError(char *message)
{
    graphvizErrors() += QString::fromUtf8(message).trimmed() + QLatin1Char(' ');
    return 0;
}

// One context for the program's life: gvContext() reads the plugin configuration and loads the
// plugins, which costs more than laying out a hundred tables. Called under the mutex.
GVC_t *context()
{
    static GVC_t *gvc = gvContext();
    return gvc;
}

QThreadPool &layoutThread()
{
    static QThreadPool *pool = [] {
        auto *threads = new QThreadPool; // lives as long as the program, like the context
        threads->setMaxThreadCount(1);
        return threads;
    }();
    return *pool;
}

// cgraph takes char*: names and values live in these buffers for the call.
void set(void *object, const char *name, const QByteArray &value)
{
    agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.constData()),
              const_cast<char *>(""));
}

QByteArray inches(qreal points)
{
    return QByteArray::number(points / 72.0, 'f', 6);
}

QByteArray port(int row)
{
    return "r" + QByteArray::number(row);
}

QList<QPointF> spline(Agedge_t *edge, qreal top)
{
    QList<QPointF> points;
    const splines *spl = ED_spl(edge);
    if (!spl)
        return points;
    for (int b = 0; b < spl->size; ++b) {
        const bezier &curve = spl->list[b];
        for (int i = 0; i < curve.size; ++i)
            points << QPointF(curve.list[i].x, top - curve.list[i].y);
    }
    return points;
}

qreal distance(const QRectF &rect, const QPointF &point)
{
    const QPointF nearest(qBound(rect.left(), point.x(), rect.right()),
                          qBound(rect.top(), point.y(), rect.bottom()));
    return QLineF(point, nearest).length();
}

// Graphviz clips an edge at a record's port a point or two outside the box (the records'
// rounding); the diagram's arrowheads must touch the box, so an end that close to a side of one
// of the edge's boxes moves onto it, with its control point.
void snapEnds(QList<QPointF> &spline, const QRectF &a, const QRectF &b)
{
    if (spline.size() < 2)
        return;
    auto snap = [&spline](int end, int control, const QRectF &box) {
        const QPointF p = spline.at(end);
        if (p.y() < box.top() - 2 || p.y() > box.bottom() + 2)
            return;
        const qreal side = qAbs(p.x() - box.left()) < qAbs(p.x() - box.right()) ? box.left() : box.right();
        const qreal dx = side - p.x();
        if (qAbs(dx) <= 4) {
            spline[end].rx() += dx;
            spline[control].rx() += dx;
        }
    };
    const int last = int(spline.size()) - 1;
    snap(0, 1, distance(a, spline.first()) <= distance(b, spline.first()) ? a : b);
    snap(last, last - 1, distance(b, spline.last()) <= distance(a, spline.last()) ? b : a);
}

// What Graphviz's `unflatten -l N` does: many tables that nothing refers to (the leaves) would all
// share the first rank, one tall column; their keys get a length of 1, 2, … N ranks in turn (N
// from 2 to 5, one per dozen leaves), so they spread over N columns and the drawing comes nearer
// the screen's shape (100 generated tables: 1992 × 6962 pt without, 2597 × 5103 pt over 4 columns).
QList<int> staggeredLengths(const SchemaGraph &graph)
{
    QList<int> referenced(graph.nodes.size(), 0);
    for (const SchemaGraph::Edge &edge : graph.edges) {
        if (edge.fromNode != edge.toNode)
            ++referenced[edge.toNode];
    }
    QList<int> lengths(graph.edges.size(), 1);
    QList<int> leafOf(graph.nodes.size(), -1);
    int leaves = 0;
    for (int n = 0; n < graph.nodes.size(); ++n) {
        if (referenced.at(n) == 0 && graph.nodes.at(n).kind == SchemaGraph::NodeKind::Table)
            leafOf[n] = leaves++;
    }
    if (leaves < 12)
        return lengths;
    const int spread = qBound(2, leaves / 12, 5); // columns to spread the leaves over
    for (int e = 0; e < graph.edges.size(); ++e) {
        const SchemaGraph::Edge &edge = graph.edges.at(e);
        if (edge.fromNode != edge.toNode && leafOf.at(edge.fromNode) >= 0)
            lengths[e] = 1 + leafOf.at(edge.fromNode) % spread;
    }
    return lengths;
}

} // namespace

Result<SchemaLayout> SchemaLayout::compute(const SchemaGraph &graph, const QList<qreal> &widths,
                                           qreal rowHeight)
{
    if (widths.size() != graph.nodes.size() || rowHeight <= 0)
        return Error{
            Error::Kind::Invalid, QStringLiteral("The diagram's box sizes do not match its tables."), {}, {}};
    const qreal row = std::ceil(rowHeight);

    const QMutexLocker lock(&graphvizMutex());
    QElapsedTimer timer;
    timer.start();
    graphvizErrors().clear();
    agseterr(AGERR); // warnings are not errors; errors are kept for the message
    agseterrf(collectError);

    GVC_t *gvc = context();
    Agraph_t *g = agopen(const_cast<char *>("schema"), Agdirected, nullptr);
    set(g, "rankdir", "LR");
    set(g, "nodesep", "0.35");
    set(g, "ranksep", "0.9 equally");
    set(g, "splines", "spline");
    set(g, "pad", "0.15");

    QList<Agnode_t *> nodes;
    QList<QSizeF> sizes;
    for (int n = 0; n < graph.nodes.size(); ++n) {
        const SchemaGraph::Node &node = graph.nodes.at(n);
        Agnode_t *gn = agnode(g, QByteArray("n" + QByteArray::number(n)).data(), 1);
        const int rows = 1 + node.rowCount();
        const QSizeF size(std::ceil(widths.at(n)), rows * row);
        // A record of one empty field per row: Graphviz sizes the fields equally, so field i is
        // exactly the i-th row the diagram paints, and an edge can leave from that row.
        QByteArray label;
        for (int r = 0; r < rows; ++r)
            label += (r ? "|<" : "<") + port(r) + "> ";
        set(gn, "shape", "record");
        set(gn, "fixedsize", "true");
        set(gn, "fontsize", "1");
        set(gn, "width", inches(size.width()));
        set(gn, "height", inches(size.height()));
        set(gn, "label", label);
        nodes << gn;
        sizes << size;
    }
    const QList<int> lengths = staggeredLengths(graph);
    QList<Agedge_t *> edges;
    for (int i = 0; i < graph.edges.size(); ++i) {
        const SchemaGraph::Edge &edge = graph.edges.at(i);
        Agedge_t *ge = agedge(g, nodes.at(edge.fromNode), nodes.at(edge.toNode),
                              QByteArray("e" + QByteArray::number(i)).data(), 1);
        set(ge, "dir", "none"); // the diagram draws its own arrowheads at the curve's end
        if (lengths.at(i) > 1)
            set(ge, "minlen", QByteArray::number(lengths.at(i)));
        set(ge, "tailport", port(1 + edge.fromColumns.value(0)));
        set(ge, "headport", port(1 + edge.toColumns.value(0)));
        edges << ge;
    }
    QList<EnumLink> links;
    QList<Agedge_t *> linkEdges;
    for (int n = 0; n < graph.nodes.size(); ++n) {
        const QList<SchemaGraph::Column> &columns = graph.nodes.at(n).columns;
        for (int c = 0; c < columns.size(); ++c) {
            const int target = columns.at(c).enumNode;
            if (target < 0)
                continue;
            Agedge_t *ge = agedge(g, nodes.at(n), nodes.at(target),
                                  QByteArray("u" + QByteArray::number(links.size())).data(), 1);
            set(ge, "dir", "none");
            set(ge, "weight", "0"); // the foreign keys decide the ranks first
            set(ge, "tailport", port(1 + c));
            set(ge, "headport", port(0));
            links << EnumLink{n, c, target, {}};
            linkEdges << ge;
        }
    }

    const int failed = gvLayout(gvc, g, "dot");
    SchemaLayout layout;
    if (!failed) {
        const boxf box = GD_bb(g);
        const qreal top = box.UR.y;
        layout.bounds = QRectF(QPointF(box.LL.x, 0), QPointF(box.UR.x, top - box.LL.y));
        for (int n = 0; n < nodes.size(); ++n) {
            const pointf centre = ND_coord(nodes.at(n));
            const QSizeF size = sizes.at(n);
            layout.nodes << QRectF(QPointF(centre.x - size.width() / 2, top - centre.y - size.height() / 2),
                                   size);
        }
        for (int e = 0; e < edges.size(); ++e) {
            QList<QPointF> points = spline(edges.at(e), top);
            snapEnds(points, layout.nodes.at(graph.edges.at(e).fromNode),
                     layout.nodes.at(graph.edges.at(e).toNode));
            layout.edges << points;
        }
        for (int i = 0; i < links.size(); ++i) {
            links[i].path = spline(linkEdges.at(i), top);
            layout.enumLinks << links.at(i);
        }
        gvFreeLayout(gvc, g);
    }
    agclose(g);
    agseterrf(nullptr);
    layout.milliseconds = timer.elapsed();
    if (failed)
        return Error{Error::Kind::Environment,
                     QStringLiteral("Graphviz could not lay out the diagram."),
                     graphvizErrors().trimmed(),
                     {}};
    return layout;
}

QFuture<Result<SchemaLayout>> SchemaLayout::start(const SchemaGraph &graph, const QList<qreal> &widths,
                                                  qreal rowHeight)
{
    return QtConcurrent::run(&layoutThread(),
                             [graph, widths, rowHeight] { return compute(graph, widths, rowHeight); });
}

} // namespace ccpm
