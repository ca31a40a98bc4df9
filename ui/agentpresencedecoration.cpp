#include "agentpresencedecoration.h"

#include "agentpresence.h"
#include "itemroles.h"
#include "pagedtablemodel.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPixmap>
#include <QPointer>

namespace ccpm {

namespace {

// lupdate files tr() calls made in namespace ccpm under the context "ccpm".
QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm", text);
}

QPixmap drawMark(bool connected, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    // A 10 px mark in a 16 px icon; the ring's stroke is wide enough to read as a ring, not a dot
    const qreal diameter = size * 0.625;
    const qreal stroke = connected ? qMax(1.0, size / 16.0) : qMax(1.5, size / 7.0);
    const qreal inset = (size - diameter + stroke) / 2;
    const QRectF circle(inset, inset, size - 2 * inset, size - 2 * inset);
    if (connected) {
        painter.setPen(QPen(QColor(0x1b, 0x6e, 0x2f), stroke)); // a darker rim keeps it apart from a
        painter.setBrush(QColor(0x2e, 0xa0, 0x43));             // green or blue selection
    } else {
        painter.setPen(QPen(QColor(0x80, 0x80, 0x80), stroke));
        painter.setBrush(Qt::NoBrush);
    }
    painter.drawEllipse(circle);
    return pixmap;
}

struct Marks {
    QIcon connected;
    QIcon disconnected;
};

Marks *g_marks = nullptr;

QIcon drawIcon(bool connected)
{
    QIcon icon;
    for (int size : {16, 20, 24, 32, 40, 48, 64}) {
        const QPixmap pixmap = drawMark(connected, size);
        icon.addPixmap(pixmap, QIcon::Normal);
        icon.addPixmap(pixmap, QIcon::Selected); // not tinted by the style: the colour is the meaning
    }
    return icon;
}

} // namespace

QIcon presenceIcon(bool connected)
{
    if (!g_marks) {
        g_marks = new Marks{drawIcon(true), drawIcon(false)};
        // Pixmaps go before the application object does, not at static destruction.
        qAddPostRoutine([] {
            delete g_marks;
            g_marks = nullptr;
        });
    }
    return connected ? g_marks->connected : g_marks->disconnected;
}

QString presenceToolTip(const AgentPresence &presence, const QString &agentId)
{
    if (!presence.isConnected(agentId))
        return tr("Not connected to the agent hub");
    const QDateTime since = presence.since(agentId).toLocalTime();
    const QString when = since.date() == QDate::currentDate()
                             ? since.toString(QStringLiteral("HH:mm"))
                             : since.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return tr("Connected to the agent hub since %1").arg(when);
}

void wireAgentPresence(PagedTableModel &model, AgentPresence &presence, int column)
{
    model.setRowDecorator(
        column, [presence = QPointer<AgentPresence>(&presence)](const QString &id, int role) -> QVariant {
            if (!presence || id.isEmpty())
                return {};
            switch (role) {
            case Qt::DecorationRole:
                return presenceIcon(presence->isConnected(id));
            case Qt::ToolTipRole:
                return presenceToolTip(*presence, id);
            case roles::Connected:
                return presence->isConnected(id);
            default:
                return {};
            }
        });
    QObject::connect(&presence, &AgentPresence::changed, &model, &PagedTableModel::rowAnnotationChanged);
}

} // namespace ccpm
