#pragma once

#include "changefeed.h"
#include "dashboardqueries.h"
#include "dbexecutor.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace ccpm {

class AgentPresence;
class BarChart;
class DonutChart;

/// The Dashboard tab: tasks by status and by priority, agents by status, connected to the hub
/// against offline, tasks completed per UTC day over the last 14 days, and the ten longest-open
/// tasks, read in one DashboardQueries job.
///
/// Live: a change on the ChangeFeed to tasks or agents (and a hub connection coming or going)
/// schedules a refresh, at most one per refreshInterval() (2 s); while the tab is hidden it only
/// remembers that it is out of date and refreshes when shown. refresh() reloads at once (F5).
/// Errors show in the header line; the last figures stay. Thread: GUI.
class DashboardView : public QWidget {
    Q_OBJECT
public:
    DashboardView(DbExecutor &executor, ChangeFeed &feed, QWidget *parent = nullptr);

    /// Counts the agents connected to the hub. Not owned; it must outlive this view.
    void setAgentPresence(AgentPresence *presence);
    void setRefreshInterval(int ms) { m_debounce.setInterval(ms); }
    int refreshInterval() const { return m_debounce.interval(); }

    const DashboardStats &stats() const { return m_stats; }
    bool hasStats() const { return m_loaded; }
    BarChart *statusChart() const { return m_byStatus; }
    BarChart *priorityChart() const { return m_byPriority; }
    BarChart *agentChart() const { return m_agents; }
    DonutChart *connectionChart() const { return m_connected; }
    BarChart *completedChart() const { return m_completed; }
    QTreeWidget *longestOpenList() const { return m_longestOpen; }

public slots:
    void refresh();

signals:
    void refreshed();
    void failed(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void changed();
    void display(const DashboardStats &stats);

    DbExecutor *m_executor;
    QPointer<AgentPresence> m_presence;
    DashboardStats m_stats;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_again = false; ///< asked again while loading
    bool m_stale = false; ///< changed while hidden
    QTimer m_debounce;
    QLabel *m_header;
    BarChart *m_byStatus;
    BarChart *m_byPriority;
    BarChart *m_agents;
    DonutChart *m_connected;
    BarChart *m_completed;
    QTreeWidget *m_longestOpen;
};

} // namespace ccpm
