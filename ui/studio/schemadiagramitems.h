#pragma once

#include "schemagraph.h"

#include <QFont>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QSet>

#include <functional>

namespace ccpm {

/// How the diagram's boxes are measured and painted: fonts, row height and the badge column.
/// The layout gets its widths from here, so a box is exactly as wide as its text. Thread: GUI.
struct DiagramMetrics {
    QFont font;
    QFont titleFont; ///< bold
    QFont badgeFont; ///< small bold, for PK FK UQ NN
    qreal rowHeight = 20;
    qreal padding = 8;
    qreal badgeWidth = 18; ///< one badge slot; three slots (PK or UQ, FK, NN) before the name

    explicit DiagramMetrics(const QFont &base);
    /// The box width a node needs for its title and rows, in points.
    qreal width(const SchemaGraph::Node &node) const;
};

/// One table or enum of the diagram: a title row and a row per column (badges, name, type) or
/// per enum value. Rows can be highlighted (the columns of a hovered foreign key); a click on a
/// table calls `onClick`. Local coordinates: (0, 0) is the box's top-left corner.
class DiagramNodeItem : public QGraphicsItem {
public:
    DiagramNodeItem(const SchemaGraph::Node &node, const DiagramMetrics &metrics, const QSizeF &size);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const SchemaGraph::Node &node() const { return m_node; }
    void setHighlightedRows(const QSet<int> &rows);
    QSet<int> highlightedRows() const { return m_highlighted; }
    /// The scene rectangle of column/value `row` (0-based, under the title).
    QRectF rowRect(int row) const;
    std::function<void()> onClick;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    void paintRow(QPainter *painter, int row, const QRectF &rect) const;

    SchemaGraph::Node m_node;
    DiagramMetrics m_metrics; // a copy: the item may outlive the view that measured it
    QSizeF m_size;
    QSet<int> m_highlighted;
    bool m_hovered = false;
};

/// A foreign key's arrow (a Bézier path from Graphviz, an arrowhead at the referenced column), or
/// the dashed line from an enum column to its enum type. Hovering a foreign key calls `onHover`
/// (true on enter, false on leave); the view highlights the arrow and both ends' columns.
class DiagramEdgeItem : public QGraphicsPathItem {
public:
    enum class Kind { ForeignKey, EnumUse };
    DiagramEdgeItem(const QList<QPointF> &spline, Kind kind);

    void setHighlighted(bool on);
    bool isHighlighted() const { return m_highlighted; }
    QPainterPath shape() const override; ///< wider than the line, so that it is easy to point at
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    std::function<void(bool)> onHover;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    Kind m_kind;
    QPolygonF m_arrow;
    bool m_highlighted = false;
};

} // namespace ccpm
