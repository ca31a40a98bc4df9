#include "donutchart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace ccpm {

DonutChart::DonutChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DonutChart::setSlices(const QList<Slice> &slices)
{
    m_slices = slices;
    update();
}

QSize DonutChart::sizeHint() const
{
    return {320, 200};
}

QSize DonutChart::minimumSizeHint() const
{
    return {180, 120};
}

void DonutChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF fm(font());
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(8, 0, width() - 16, fm.height() * 1.5), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    p.setFont(font());

    qint64 total = 0;
    for (const Slice &s : std::as_const(m_slices))
        total += s.value;
    const qreal top = fm.height() * 1.8;
    const qreal side = std::max<qreal>(40, std::min<qreal>(height() - top - 8, width() * 0.5));
    const QRectF ring(12, top, side, side);
    const qreal thickness = side * 0.22;
    const QRectF inner = ring.adjusted(thickness, thickness, -thickness, -thickness);

    QPainterPath hole;
    hole.addEllipse(inner);
    QPainterPath outer;
    outer.addEllipse(ring);
    p.setPen(Qt::NoPen);
    p.setBrush(palette().color(QPalette::Midlight));
    p.drawPath(outer.subtracted(hole));
    qreal start = 90.0; // from twelve o'clock, clockwise
    for (const Slice &s : std::as_const(m_slices)) {
        if (total == 0 || s.value == 0)
            continue;
        const qreal span = -360.0 * qreal(s.value) / qreal(total);
        QPainterPath slice;
        slice.moveTo(ring.center());
        slice.arcTo(ring, start, span);
        slice.closeSubpath();
        p.setBrush(s.color);
        p.drawPath(slice.subtracted(hole));
        start += span;
    }
    const QLocale locale;
    p.setPen(palette().color(QPalette::WindowText));
    p.setFont(bold);
    p.drawText(inner, Qt::AlignCenter, locale.toString(total));
    p.setFont(font());

    qreal y = top + 4;
    const qreal x = ring.right() + 16;
    for (const Slice &s : std::as_const(m_slices)) {
        p.setPen(Qt::NoPen);
        p.setBrush(s.color);
        p.drawRoundedRect(QRectF(x, y + fm.height() * 0.2, fm.height() * 0.8, fm.height() * 0.8), 2, 2);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRectF(x + fm.height(), y, width() - x - fm.height(), fm.height() * 1.2),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1  %2").arg(s.label, locale.toString(s.value)));
        y += fm.height() * 1.5;
    }
}

} // namespace ccpm
