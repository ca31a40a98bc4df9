#include "schemadiagramitems.h"

#include <QCoreApplication>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>

#include <array>
#include <cmath>
#include <optional>

namespace ccpm {

namespace {

const QColor tableTitle(0x2f, 0x4b, 0x7c);
const QColor externalTitle(0x6c, 0x75, 0x7d);
const QColor enumTitle(0x6a, 0x4c, 0x93);
const QColor border(0xaa, 0xb2, 0xbd);
const QColor hoverBorder(0x1c, 0x7e, 0xd6);
const QColor stripe(0xf5, 0xf7, 0xfa);
const QColor rowHighlight(0xff, 0xe8, 0xcc);
const QColor typeText(0x6c, 0x75, 0x7d);
const QColor edgeColour(0x82, 0x91, 0xa8);
const QColor edgeHighlight(0xe8, 0x59, 0x0c);
const QColor enumEdgeColour(0xb9, 0xa7, 0xd6);

struct Badge {
    QString text;
    QColor foreground;
    QColor background;
};

// Slot 0: PK or UQ, slot 1: FK, slot 2: NN; an empty slot keeps the names aligned.
std::array<std::optional<Badge>, 3> badges(const SchemaGraph::Column &column)
{
    std::array<std::optional<Badge>, 3> marks;
    if (column.primaryKey)
        marks[0] = Badge{QStringLiteral("PK"), QColor(0x8a, 0x63, 0x00), QColor(0xff, 0xec, 0x99)};
    else if (column.unique)
        marks[0] = Badge{QStringLiteral("UQ"), QColor(0x5f, 0x3d, 0xc4), QColor(0xe5, 0xdb, 0xff)};
    if (column.foreignKey)
        marks[1] = Badge{QStringLiteral("FK"), QColor(0x18, 0x64, 0xab), QColor(0xd0, 0xeb, 0xff)};
    if (column.notNull)
        marks[2] = Badge{QStringLiteral("NN"), QColor(0x49, 0x50, 0x57), QColor(0xe9, 0xec, 0xef)};
    return marks;
}

// What a reader needs of format_type()'s long spellings.
QString shortType(QString type)
{
    type.replace(QLatin1String(" without time zone"), QString());
    type.replace(QLatin1String("timestamp with time zone"), QLatin1String("timestamptz"));
    type.replace(QLatin1String("character varying"), QLatin1String("varchar"));
    type.remove(QLatin1Char('"'));
    return type;
}

QString enumTag()
{
    return QCoreApplication::translate("ccpm::SchemaDiagramView", "enum");
}

} // namespace

DiagramMetrics::DiagramMetrics(const QFont &base)
    : font(base)
    , titleFont(base)
    , badgeFont(base)
{
    titleFont.setBold(true);
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.7 : 7);
    const QFontMetricsF metrics(font);
    rowHeight = std::ceil(metrics.height() + 6);
    badgeWidth = std::ceil(QFontMetricsF(badgeFont).horizontalAdvance(QStringLiteral("NN")) + 6);
}

qreal DiagramMetrics::width(const SchemaGraph::Node &node) const
{
    const QFontMetricsF text(font);
    const QFontMetricsF title(titleFont);
    qreal widest = title.horizontalAdvance(node.title());
    if (node.kind == SchemaGraph::NodeKind::Enum) {
        widest += 12 + QFontMetricsF(badgeFont).horizontalAdvance(enumTag());
        for (const QString &value : node.enumValues)
            widest = qMax(widest, text.horizontalAdvance(value));
    } else {
        for (const SchemaGraph::Column &column : node.columns)
            widest = qMax(widest, 3 * badgeWidth + 4 + text.horizontalAdvance(column.name) + 18 +
                                      text.horizontalAdvance(shortType(column.type)));
    }
    return std::ceil(widest + 2 * padding);
}

DiagramNodeItem::DiagramNodeItem(const SchemaGraph::Node &node, const DiagramMetrics &metrics,
                                 const QSizeF &size)
    : m_node(node)
    , m_metrics(metrics)
    , m_size(size)
{
    setAcceptHoverEvents(node.kind == SchemaGraph::NodeKind::Table);
    if (node.kind == SchemaGraph::NodeKind::Table)
        setCursor(Qt::PointingHandCursor);
    setToolTip(node.kind == SchemaGraph::NodeKind::Table
                   ? QCoreApplication::translate("ccpm::SchemaDiagramView", "%1 — click to open it in Studio")
                         .arg(node.schema + QLatin1Char('.') + node.name)
                   : QCoreApplication::translate("ccpm::SchemaDiagramView", "enum %1")
                         .arg(node.schema + QLatin1Char('.') + node.name));
}

QRectF DiagramNodeItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size).adjusted(-1, -1, 1, 1);
}

QRectF DiagramNodeItem::rowRect(int row) const
{
    return mapRectToScene(QRectF(0, (row + 1) * m_metrics.rowHeight, m_size.width(), m_metrics.rowHeight));
}

void DiagramNodeItem::setHighlightedRows(const QSet<int> &rows)
{
    if (rows == m_highlighted)
        return;
    m_highlighted = rows;
    update();
}

void DiagramNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF box(QPointF(0, 0), m_size);
    const qreal row = m_metrics.rowHeight;
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath outline;
    outline.addRoundedRect(box, 5, 5);
    painter->fillPath(outline, Qt::white);
    painter->save();
    painter->setClipPath(outline);
    const bool isEnum = m_node.kind == SchemaGraph::NodeKind::Enum;
    painter->fillRect(QRectF(0, 0, box.width(), row), isEnum            ? enumTitle
                                                      : m_node.external ? externalTitle
                                                                        : tableTitle);
    for (int r = 0; r < m_node.rowCount(); ++r) {
        const QRectF rect(0, (r + 1) * row, box.width(), row);
        if (m_highlighted.contains(r))
            painter->fillRect(rect, rowHighlight);
        else if (r % 2 == 1)
            painter->fillRect(rect, stripe);
        paintRow(painter, r, rect);
    }
    painter->restore();

    painter->setFont(m_metrics.titleFont);
    painter->setPen(Qt::white);
    const QRectF title(m_metrics.padding, 0, box.width() - 2 * m_metrics.padding, row);
    painter->drawText(title, Qt::AlignLeft | Qt::AlignVCenter, m_node.title());
    if (isEnum) {
        painter->setFont(m_metrics.badgeFont);
        painter->drawText(title, Qt::AlignRight | Qt::AlignVCenter, enumTag());
    }
    painter->setPen(QPen(m_hovered ? hoverBorder : border, m_hovered ? 2 : 1,
                         m_node.external ? Qt::DashLine : Qt::SolidLine));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(outline);
}

void DiagramNodeItem::paintRow(QPainter *painter, int row, const QRectF &rect) const
{
    const qreal pad = m_metrics.padding;
    painter->setPen(Qt::black);
    painter->setFont(m_metrics.font);
    if (m_node.kind == SchemaGraph::NodeKind::Enum) {
        painter->drawText(rect.adjusted(pad, 0, -pad, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          m_node.enumValues.at(row));
        return;
    }
    const SchemaGraph::Column &column = m_node.columns.at(row);
    const auto marks = badges(column);
    painter->setFont(m_metrics.badgeFont);
    for (int s = 0; s < 3; ++s) {
        if (!marks.at(s))
            continue;
        const QRectF badge(rect.left() + pad + s * m_metrics.badgeWidth, rect.top() + 4,
                           m_metrics.badgeWidth - 3, rect.height() - 8);
        painter->setPen(Qt::NoPen);
        painter->setBrush(marks.at(s)->background);
        painter->drawRoundedRect(badge, 2, 2);
        painter->setPen(marks.at(s)->foreground);
        painter->drawText(badge, Qt::AlignCenter, marks.at(s)->text);
    }
    const QRectF text = rect.adjusted(pad + 3 * m_metrics.badgeWidth + 4, 0, -pad, 0);
    QFont name = m_metrics.font;
    name.setBold(column.primaryKey);
    painter->setFont(name);
    painter->setPen(Qt::black);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, column.name);
    painter->setFont(m_metrics.font);
    painter->setPen(typeText);
    painter->drawText(text, Qt::AlignRight | Qt::AlignVCenter, shortType(column.type));
}

void DiagramNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_node.kind == SchemaGraph::NodeKind::Table && event->button() == Qt::LeftButton)
        event->accept(); // the release is a click; a drag on the background pans instead
    else
        event->ignore();
}

void DiagramNodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    const bool click =
        (event->screenPos() - event->buttonDownScreenPos(Qt::LeftButton)).manhattanLength() < 6;
    if (click && boundingRect().contains(event->pos()) && onClick)
        onClick();
}

void DiagramNodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *)
{
    m_hovered = true;
    update();
}

void DiagramNodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    m_hovered = false;
    update();
}

DiagramEdgeItem::DiagramEdgeItem(const QList<QPointF> &spline, Kind kind)
    : m_kind(kind)
{
    QPainterPath path;
    if (!spline.isEmpty()) {
        path.moveTo(spline.first());
        for (int i = 1; i + 2 < spline.size(); i += 3)
            path.cubicTo(spline.at(i), spline.at(i + 1), spline.at(i + 2));
    }
    setPath(path);
    if (kind == Kind::ForeignKey && spline.size() >= 2) {
        // The arrowhead points along the curve's last tangent, at the referenced column.
        const QPointF tip = spline.last();
        QPointF from = spline.at(spline.size() - 2);
        for (int i = int(spline.size()) - 2; i >= 0 && QLineF(spline.at(i), tip).length() < 0.5; --i)
            from = spline.at(i);
        QLineF axis(tip, from);
        if (axis.length() > 0) {
            axis.setLength(9);
            QLineF side = axis.normalVector();
            side.setLength(4);
            const QPointF offset = side.p2() - side.p1();
            m_arrow << tip << axis.p2() + offset << axis.p2() - offset;
        }
    }
    setAcceptHoverEvents(kind == Kind::ForeignKey);
    setZValue(kind == Kind::ForeignKey ? 1 : 0);
    setHighlighted(false);
}

void DiagramEdgeItem::setHighlighted(bool on)
{
    m_highlighted = on;
    QPen pen(m_kind == Kind::EnumUse ? enumEdgeColour : on ? edgeHighlight : edgeColour, on ? 2.6 : 1.4);
    if (m_kind == Kind::EnumUse)
        pen.setStyle(Qt::DashLine);
    setPen(pen);
    setZValue(on ? 3 : m_kind == Kind::ForeignKey ? 1 : 0);
    update();
}

QPainterPath DiagramEdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    QPainterPath wide = stroker.createStroke(path());
    wide.addPolygon(m_arrow);
    return wide;
}

QRectF DiagramEdgeItem::boundingRect() const
{
    return QGraphicsPathItem::boundingRect().united(m_arrow.boundingRect()).adjusted(-6, -6, 6, 6);
}

void DiagramEdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(pen());
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    if (!m_arrow.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pen().color());
        painter->drawPolygon(m_arrow);
    }
}

void DiagramEdgeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *)
{
    if (onHover)
        onHover(true);
}

void DiagramEdgeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    if (onHover)
        onHover(false);
}

} // namespace ccpm
