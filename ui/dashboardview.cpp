#include "dashboardview.h"

#include "agentpresence.h"
#include "barchart.h"
#include "displayformat.h"
#include "donutchart.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>

namespace ccpm {

namespace {

QColor statusColor(const QString &label)
{
    static const QHash<QString, QColor> colors{{QStringLiteral("PENDING"), QColor(0x9e, 0x9e, 0x9e)},
                                               {QStringLiteral("ASSIGNED"), QColor(0x42, 0x85, 0xf4)},
                                               {QStringLiteral("IN_PROGRESS"), QColor(0xf5, 0xa6, 0x23)},
                                               {QStringLiteral("COMPLETED"), QColor(0x34, 0xa8, 0x53)},
                                               {QStringLiteral("FAILED"), QColor(0xdb, 0x44, 0x37)},
                                               {QStringLiteral("LOW"), QColor(0x8a, 0xb4, 0xf8)},
                                               {QStringLiteral("MEDIUM"), QColor(0x42, 0x85, 0xf4)},
                                               {QStringLiteral("HIGH"), QColor(0xd9, 0x30, 0x25)},
                                               {QStringLiteral("ACTIVE"), QColor(0x34, 0xa8, 0x53)},
                                               {QStringLiteral("BUSY"), QColor(0xf5, 0xa6, 0x23)},
                                               {QStringLiteral("INACTIVE"), QColor(0x9e, 0x9e, 0x9e)}};
    return colors.value(label, QColor(0x42, 0x85, 0xf4));
}

template <typename E>
QList<BarChart::Bar> bars(const QList<DashboardStats::Count> &counts)
{
    QList<BarChart::Bar> out;
    for (const DashboardStats::Count &c : counts) {
        const std::optional<E> value = fromDb<E>(c.label);
        out.append({value ? display::label(*value) : c.label, c.count, statusColor(c.label), {}});
    }
    return out;
}

QString age(const QDateTime &since, const QDateTime &now)
{
    const qint64 seconds = std::max<qint64>(0, since.secsTo(now));
    // Abbreviated units: no plural forms to get wrong in any language
    if (seconds >= 2 * 86400)
        return DashboardView::tr("%1 d").arg(seconds / 86400);
    if (seconds >= 3600)
        return DashboardView::tr("%1 h").arg(seconds / 3600);
    return DashboardView::tr("%1 min").arg(seconds / 60);
}

} // namespace

DashboardView::DashboardView(DbExecutor &executor, ChangeFeed &feed, QWidget *parent)
    : QWidget(parent)
    , m_executor(&executor)
    , m_header(new QLabel(this))
    , m_byStatus(new BarChart(tr("Tasks by status"), this))
    , m_byPriority(new BarChart(tr("Tasks by priority"), this))
    , m_agents(new BarChart(tr("Agents by status"), this))
    , m_connected(new DonutChart(tr("Agents connected to the hub"), this))
    , m_completed(new BarChart(tr("Tasks completed per day (UTC, last 14 days)"), this))
    , m_longestOpen(new QTreeWidget(this))
{
    m_header->setText(tr("Loading…"));
    m_longestOpen->setRootIsDecorated(false);
    m_longestOpen->setHeaderLabels(
        {tr("Longest-open task"), tr("Status"), tr("Priority"), tr("Assignee"), tr("Open for")});
    m_longestOpen->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_longestOpen->header()->setStretchLastSection(false);

    auto *grid = new QGridLayout(this);
    grid->addWidget(m_header, 0, 0, 1, 4);
    grid->addWidget(m_byStatus, 1, 0);
    grid->addWidget(m_byPriority, 1, 1);
    grid->addWidget(m_agents, 1, 2);
    grid->addWidget(m_connected, 1, 3);
    grid->addWidget(m_completed, 2, 0, 1, 2);
    grid->addWidget(m_longestOpen, 2, 2, 1, 2);
    // Five status columns need more room than three priorities
    grid->setColumnStretch(0, 5);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(2, 3);
    grid->setColumnStretch(3, 4);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(2000);
    connect(&m_debounce, &QTimer::timeout, this, &DashboardView::refresh);
    connect(&feed, &ChangeFeed::rowChanged, this, [this](const QString &table) {
        if (table == QLatin1String("tasks") || table == QLatin1String("agents"))
            changed();
    });
}

void DashboardView::setAgentPresence(AgentPresence *presence)
{
    m_presence = presence;
    if (presence)
        connect(presence, &AgentPresence::changed, this, &DashboardView::changed);
    changed();
}

void DashboardView::changed()
{
    if (!isVisible()) {
        m_stale = true; // hidden tabs cost nothing: refreshed when shown
        return;
    }
    if (!m_debounce.isActive())
        m_debounce.start(); // a burst of changes is one refresh at the end of the interval
}

void DashboardView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale || !m_loaded)
        refresh();
}

void DashboardView::refresh()
{
    m_stale = false;
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    const QStringList connected =
        m_presence ? QStringList(m_presence->connectedIds().values()) : QStringList();
    QCoro::connect(DashboardQueries::load(*m_executor, connected), this, [this](Result<DashboardStats> r) {
        m_loading = false;
        if (r) {
            display(*r);
            emit refreshed();
        } else {
            m_header->setText(tr("The dashboard could not be refreshed: %1").arg(r.error().message));
            emit failed(r.error().message);
        }
        if (m_again) {
            m_again = false;
            changed();
        }
    });
}

void DashboardView::display(const DashboardStats &stats)
{
    m_stats = stats;
    m_loaded = true;
    const QLocale locale;
    m_header->setText(tr("%1 tasks, %2 agents · updated %3")
                          .arg(locale.toString(stats.tasks()), locale.toString(stats.agents),
                               locale.toString(QTime::currentTime(), QLocale::ShortFormat)));

    m_byStatus->setBars(bars<TaskStatus>(stats.tasksByStatus));
    m_byPriority->setBars(bars<Priority>(stats.tasksByPriority));
    m_agents->setBars(bars<AgentStatus>(stats.agentsByStatus));
    m_connected->setSlices({{tr("Connected"), stats.agentsConnected, QColor(0x34, 0xa8, 0x53)},
                            {tr("Offline"), stats.agentsOffline(), QColor(0xbd, 0xbd, 0xbd)}});

    QList<BarChart::Bar> days;
    for (int i = 0; i < stats.days.size(); ++i) {
        const QDate day = stats.days.at(i);
        days.append({day.toString(QStringLiteral("MM-dd")), stats.completedPerDay.value(i),
                     statusColor(QStringLiteral("COMPLETED")),
                     tr("%1: completed %2")
                         .arg(locale.toString(day, QLocale::LongFormat),
                              locale.toString(stats.completedPerDay.value(i)))});
    }
    m_completed->setBars(days);

    m_longestOpen->clear();
    for (const DashboardStats::OpenTask &task : stats.longestOpen) {
        const std::optional<TaskStatus> status = fromDb<TaskStatus>(task.status);
        const std::optional<Priority> priority = fromDb<Priority>(task.priority);
        auto *item =
            new QTreeWidgetItem(m_longestOpen, {task.title, status ? display::label(*status) : task.status,
                                                priority ? display::label(*priority) : task.priority,
                                                task.assignee.isEmpty() ? tr("unassigned") : task.assignee,
                                                age(task.createdAt, stats.serverTime)});
        item->setToolTip(4, display::utcTooltip(task.createdAt));
        item->setData(0, Qt::UserRole, task.id);
    }
    for (int c = 1; c < m_longestOpen->columnCount(); ++c)
        m_longestOpen->resizeColumnToContents(c);
}

} // namespace ccpm
