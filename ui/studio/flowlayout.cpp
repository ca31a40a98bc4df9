#include "flowlayout.h"

#include <QWidget>

namespace ccpm {

FlowLayout::FlowLayout(QWidget *parent, int spacing)
    : QLayout(parent)
    , m_spacing(spacing)
{
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    return m_items.takeAt(index);
}

void FlowLayout::insertWidget(int index, QWidget *widget)
{
    addChildWidget(widget);
    m_items.insert(std::clamp(index, 0, int(m_items.size())), new QWidgetItem(widget));
    invalidate();
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items)
        size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // One line wide: the width every item wants side by side.
    int width = 0;
    int height = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        width += item->sizeHint().width() + (width > 0 ? m_spacing : 0);
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return {width + m.left() + m.right(), height + m.top() + m.bottom()};
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    // Lines first (which items share a line and its height), then the items centred on them.
    struct Line {
        qsizetype first = 0;
        qsizetype end = 0;
        int height = 0;
    };
    QList<Line> lines;
    Line line;
    int x = area.x();
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        const QLayoutItem *item = m_items.at(i);
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        if (x > area.x() && x + hint.width() > area.right() + 1) {
            line.end = i;
            lines << line;
            line = Line{i, i, 0};
            x = area.x();
        }
        x += hint.width() + m_spacing;
        line.height = std::max(line.height, hint.height());
    }
    line.end = m_items.size();
    lines << line;

    int y = area.y();
    for (const Line &l : std::as_const(lines)) {
        int lineX = area.x();
        for (qsizetype i = l.first; i < l.end; ++i) {
            QLayoutItem *item = m_items.at(i);
            if (item->isEmpty())
                continue;
            const QSize hint = item->sizeHint();
            if (apply)
                item->setGeometry(QRect(QPoint(lineX, y + (l.height - hint.height()) / 2), hint));
            lineX += hint.width() + m_spacing;
        }
        y += l.height + m_spacing;
    }
    const QMargins m = contentsMargins();
    return y - m_spacing - area.y() + m.top() + m.bottom();
}

} // namespace ccpm
