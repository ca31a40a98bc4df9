#include "barchart.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace ccpm {

BarChart::BarChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void BarChart::setBars(const QList<Bar> &bars)
{
    m_bars = bars;
    update();
}

QSize BarChart::sizeHint() const
{
    return {320, 200};
}

QSize BarChart::minimumSizeHint() const
{
    return {160, 120};
}

QRectF BarChart::plotRect() const
{
    const QFontMetricsF fm(font());
    const qreal top = fm.height() * 1.6 + fm.height(); // title, then room for the values
    const qreal bottom = fm.height() * 1.4;            // labels
    return QRectF(8, top, width() - 16, height() - top - bottom);
}

QRectF BarChart::barRect(int index, const QRectF &plot) const
{
    const qint64 largest =
        std::max<qint64>(1, std::max_element(m_bars.cbegin(), m_bars.cend(), [](const Bar &a, const Bar &b) {
                                return a.value < b.value;
                            })->value);
    const qreal slot = plot.width() / m_bars.size();
    const qreal barWidth = std::min(slot * 0.7, 56.0);
    const qreal h = plot.height() * qreal(m_bars.at(index).value) / qreal(largest);
    return QRectF(plot.left() + slot * index + (slot - barWidth) / 2, plot.bottom() - h, barWidth, h);
}

void BarChart::paintEvent(QPaintEvent *)
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
    if (m_bars.isEmpty())
        return;

    const QRectF plot = plotRect();
    const qreal slot = plot.width() / m_bars.size();
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    const QLocale locale;
    // Labels in a smaller font when one does not fit its slot, and elided only if still too long
    QFont labelFont = font();
    for (const Bar &bar : std::as_const(m_bars)) {
        if (fm.horizontalAdvance(bar.label) > slot - 2) {
            labelFont.setPointSizeF(font().pointSizeF() * 0.85);
            break;
        }
    }
    const QFontMetricsF labelMetrics(labelFont);
    for (int i = 0; i < m_bars.size(); ++i) {
        const Bar &bar = m_bars.at(i);
        const QRectF r = barRect(i, plot);
        p.setPen(Qt::NoPen);
        p.setBrush(bar.color.isValid() ? bar.color : palette().color(QPalette::Highlight));
        p.drawRoundedRect(r.adjusted(0, 0, 0, 0.5), 2, 2);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRectF(plot.left() + slot * i, r.top() - fm.height(), slot, fm.height()),
                   Qt::AlignHCenter | Qt::AlignBottom, locale.toString(bar.value));
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.setFont(labelFont);
        const QString label = labelMetrics.elidedText(bar.label, Qt::ElideRight, slot - 2);
        p.drawText(QRectF(plot.left() + slot * i, plot.bottom() + 2, slot, fm.height() * 1.3),
                   Qt::AlignHCenter | Qt::AlignTop, label);
        p.setFont(font());
    }
}

bool BarChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && !m_bars.isEmpty()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QRectF plot = plotRect();
        const int i = int((help->pos().x() - plot.left()) / (plot.width() / m_bars.size()));
        if (i >= 0 && i < m_bars.size()) {
            const Bar &bar = m_bars.at(i);
            QToolTip::showText(help->globalPos(),
                               bar.toolTip.isEmpty() ? QStringLiteral("%1: %2").arg(bar.label).arg(bar.value)
                                                     : bar.toolTip,
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace ccpm
