#include "taskcarddelegate.h"

#include "entityspecs.h"
#include "itemroles.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace ccpm {

namespace {

QColor priorityColour(const QString &priority)
{
    if (priority == QLatin1String("HIGH"))
        return QColor(0xd3, 0x2f, 0x2f);
    if (priority == QLatin1String("MEDIUM"))
        return QColor(0xf9, 0xa8, 0x25);
    return QColor(0x9e, 0x9e, 0x9e);
}

} // namespace

QSize TaskCardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int line = option.fontMetrics.height();
    return QSize(200, 3 * line + 26);
}

void TaskCardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    using C = specs::TaskColumns;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF card = QRectF(option.rect).adjusted(4, 3, -4, -3);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;
    QPainterPath path;
    path.addRoundedRect(card, 5, 5);
    painter->fillPath(path,
                      selected ? pal.color(QPalette::Highlight).lighter(170) : pal.color(QPalette::Base));
    painter->setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), 1));
    painter->drawPath(path);

    const QString title = index.siblingAtColumn(C::Title).data(Qt::DisplayRole).toString();
    const QString priority = index.siblingAtColumn(C::Priority).data(roles::RawValue).toString();
    const QString priorityText = index.siblingAtColumn(C::Priority).data(Qt::DisplayRole).toString();
    const QString assignee = index.siblingAtColumn(C::Assignee).data(Qt::DisplayRole).toString();
    const QVariant progressRaw = index.siblingAtColumn(C::Progress).data(roles::RawValue);
    const int progress = qBound(0, progressRaw.toInt(), 100);

    // Priority stripe on the left, readable without colour through the text below.
    const QRectF stripe(card.left(), card.top(), 5, card.height());
    QPainterPath stripePath;
    stripePath.addRoundedRect(stripe, 2, 2);
    painter->fillPath(stripePath, priorityColour(priority));

    const int line = option.fontMetrics.height();
    const QRectF text = card.adjusted(12, 5, -8, -5);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::Text));
    painter->drawText(QRectF(text.left(), text.top(), text.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(title, Qt::ElideRight, int(text.width())));
    painter->setFont(option.font);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    const QString who = assignee.isEmpty() ? tr("unassigned") : assignee;
    painter->drawText(QRectF(text.left(), text.top() + line + 2, text.width(), line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      option.fontMetrics.elidedText(tr("%1 · %2").arg(priorityText, who), Qt::ElideRight,
                                                    int(text.width())));
    if (progressRaw.isValid()) {
        const QRectF bar(text.left(), text.top() + 2 * line + 8, text.width() - 40, 6);
        painter->setPen(Qt::NoPen);
        painter->setBrush(pal.color(QPalette::Midlight));
        painter->drawRoundedRect(bar, 3, 3);
        painter->setBrush(QColor(0x43, 0xa0, 0x47));
        painter->drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * progress / 100.0, bar.height()),
                                 3, 3);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(QRectF(bar.right() + 4, bar.center().y() - line / 2.0, 36, line),
                          Qt::AlignRight | Qt::AlignVCenter, tr("%1%").arg(progress));
    }
    painter->restore();
}

} // namespace ccpm
