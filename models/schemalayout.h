#pragma once

#include "result.h"
#include "schemagraph.h"

#include <QFuture>
#include <QList>
#include <QPointF>
#include <QRectF>

namespace ccpm {

/// Where the boxes and arrows of a SchemaGraph go, computed by Graphviz's `dot` (libgvc), left
/// to right: a referencing table left of the table it refers to. Each node is a box of the width
/// the caller measured and of `rowHeight` per row (the title, then each column or enum value);
/// a foreign key's curve leaves the row of its first column and ends at the row of the
/// referenced column. Units are points, which the diagram draws as scene units (1 pt = 1 px at
/// 100 %); y grows downwards, the drawing's top-left corner is (0, 0).
/// Errors: Error::Kind::Invalid when the sizes do not match the graph, Error::Kind::Environment
/// with Graphviz's message when the layout fails. Thread: libgvc is not thread-safe, so every
/// call into it in the program is in schemalayout.cpp, under one mutex; start() runs compute()
/// on the one layout thread and never blocks the caller.
struct SchemaLayout {
    /// A column of a table whose type is an enum of the diagram: a dashed line to that enum.
    struct EnumLink {
        int node = -1;
        int column = -1;
        int enumNode = -1;
        QList<QPointF> path;
    };

    /// Top-left placed boxes, parallel to SchemaGraph::nodes.
    QList<QRectF> nodes;
    /// Per foreign key (parallel to SchemaGraph::edges): a cubic Bézier spline, the first point
    /// then three points per segment, from the referencing column to the referenced one.
    QList<QList<QPointF>> edges;
    QList<EnumLink> enumLinks;
    QRectF bounds;
    qint64 milliseconds = 0; ///< time spent in Graphviz (layout and read-back)

    /// Lays out `graph`; `widths` are the boxes' widths (parallel to graph.nodes), `rowHeight` the
    /// height of one row, in points (rounded up to whole points, as Graphviz does).
    static Result<SchemaLayout> compute(const SchemaGraph &graph, const QList<qreal> &widths,
                                        qreal rowHeight);
    /// compute() on the layout thread.
    static QFuture<Result<SchemaLayout>> start(const SchemaGraph &graph, const QList<qreal> &widths,
                                               qreal rowHeight);
};

} // namespace ccpm
