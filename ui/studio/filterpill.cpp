#include "filterpill.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace ccpm {

namespace {

constexpr int kMaxTextWidth = 280; // a long value is elided; the tooltip holds all of it
constexpr int kPadding = 10;
constexpr int kClose = 16;

QColor mix(const QColor &a, const QColor &b, qreal amountOfB)
{
    return QColor::fromRgbF(float(a.redF() * (1 - amountOfB) + b.redF() * amountOfB),
                            float(a.greenF() * (1 - amountOfB) + b.greenF() * amountOfB),
                            float(a.blueF() * (1 - amountOfB) + b.blueF() * amountOfB));
}

} // namespace

FilterPill::FilterPill(const QString &text, QWidget *parent)
    : QAbstractButton(parent)
{
    setText(text);
    setToolTip(tr("%1\nClick to edit, × or Delete to remove").arg(text));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(text);
}

QString FilterPill::elidedText() const
{
    return fontMetrics().elidedText(text(), Qt::ElideMiddle, kMaxTextWidth);
}

QSize FilterPill::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int height = std::max(fm.height() + 8, 24);
    return {kPadding + fm.horizontalAdvance(elidedText()) + 6 + kClose + 6, height};
}

QRect FilterPill::closeRect() const
{
    return {width() - kClose - 6, (height() - kClose) / 2, kClose, kClose};
}

void FilterPill::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor accent = pal.color(QPalette::Highlight);
    const QColor base = pal.color(QPalette::Base);
    const bool hovered = underMouse() && !m_closeHovered;
    const QRectF body = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath path;
    path.addRoundedRect(body, body.height() / 2, body.height() / 2);
    p.fillPath(path, mix(base, accent, hovered ? 0.28 : 0.16));
    p.setPen(QPen(mix(base, accent, hasFocus() ? 0.9 : 0.5), hasFocus() ? 1.5 : 1.0));
    p.drawPath(path);

    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(kPadding, 0, width() - kPadding - kClose - 12, height()),
               Qt::AlignVCenter | Qt::AlignLeft, elidedText());

    const QRectF close = QRectF(closeRect()).adjusted(1, 1, -1, -1);
    if (m_closeHovered) {
        p.setPen(Qt::NoPen);
        p.setBrush(mix(base, accent, 0.55));
        p.drawEllipse(close);
    }
    p.setPen(QPen(m_closeHovered ? pal.color(QPalette::HighlightedText)
                                 : mix(pal.color(QPalette::Text), base, 0.3),
                  1.4, Qt::SolidLine, Qt::RoundCap));
    const QRectF cross = close.adjusted(4.5, 4.5, -4.5, -4.5);
    p.drawLine(cross.topLeft(), cross.bottomRight());
    p.drawLine(cross.topRight(), cross.bottomLeft());
}

void FilterPill::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !rect().contains(event->position().toPoint())) {
        QAbstractButton::mouseReleaseEvent(event);
        return;
    }
    setDown(false);
    event->accept();
    if (closeRect().adjusted(-3, -3, 3, 3).contains(event->position().toPoint()))
        emit removeRequested();
    else
        emit editRequested();
}

void FilterPill::mouseMoveEvent(QMouseEvent *event)
{
    const bool over = closeRect().adjusted(-3, -3, 3, 3).contains(event->position().toPoint());
    if (over != m_closeHovered) {
        m_closeHovered = over;
        update();
    }
    QAbstractButton::mouseMoveEvent(event);
}

void FilterPill::leaveEvent(QEvent *event)
{
    m_closeHovered = false;
    update();
    QAbstractButton::leaveEvent(event);
}

void FilterPill::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        emit removeRequested();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        emit editRequested();
        return;
    default:
        QAbstractButton::keyPressEvent(event);
    }
}

} // namespace ccpm
