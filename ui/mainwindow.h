#pragma once

#include "changefeed.h"
#include "connectionsettings.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QMainWindow>

class QAction;
class QMenu;
class QTabWidget;
class QTableView;
class QToolBar;
class QUndoGroup;

namespace ccpm {

class AdminActions;
class AgentPresence;
class DashboardView;
class DatabaseBanner;
class DatabaseWatch;
class HubStatus;
class PagedTableModel;
class StatusBar;
class TablePage;
class StudioView;
class TasksPage;

/// The main window: the Dashboard tab first, then one tab per table (Users, Agents, Tasks,
/// Messages, Sessions) and Studio (every table of the database), each a TablePage over a PagedTableModel, the
/// Edit menu (undo, redo, add and delete rows, save, discard, resolve a conflict), the main toolbar, Ctrl+K
/// "Jump to…", Help ▸ Health…, the status bar, and the "Database unavailable" banner (a DatabaseWatch pings
/// the server; when it answers again, every view reloads, staged edits kept). It only assembles
/// widgets and connects them.
/// Closing with unsaved edits asks first. With an AgentPresence, the Agents tab marks who is
/// connected to the agent hub. Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { UsersTab, AgentsTab, TasksTab, MessagesTab, SessionsTab, DashboardTab, StudioTab };

    /// `databaseLabel` names the database for people ("embedded database (ccpm)",
    /// "db.example.com:5432/ccpm").
    MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
               const QString &databaseLabel, const UserRow &user, QWidget *parent = nullptr);

    StatusBar *statusBarWidget() const { return m_statusBar; }
    QTableView *view(Tab tab) const;
    TasksPage *tasksPage() const { return m_tasksPage; }
    PagedTableModel *model(Tab tab) const;
    void showTab(Tab tab);
    /// The widget of a tab (the Tasks tab's is the TasksPage around the tasks table).
    QWidget *tabWidget(Tab tab) const;
    /// Marks, in the Agents tab's Name column, the agents connected to the agent hub (apart from
    /// the status they reported). Not owned; call once, when the hub runs.
    void setAgentPresence(AgentPresence &presence);
    /// The administrator's actions (menu "Admin", context menus of Users, Agents, Sessions).
    AdminActions *adminActions() const { return m_admin; }
    /// The hub's address and connections for the status bar and the Health dialog. Not owned.
    void setHubStatus(HubStatus &hub);

    DashboardView *dashboard() const { return m_dashboard; }
    /// Studio over the same database (read-only for a USER); its catalog loads when first shown.
    StudioView *studio() const { return m_studio; }
    DatabaseWatch *databaseWatch() const { return m_watch; }
    DatabaseBanner *databaseBanner() const { return m_banner; }
    QToolBar *mainToolBar() const { return m_toolBar; }
    /// Opens Help ▸ Health… (non-modal; one at a time).
    void showHealth();
    /// Opens Ctrl+K "Jump to…".
    void showJump();

public slots:
    void reloadAll();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addTablePage(PagedTableModel *model, const QString &title);
    void createMenus();
    void createAdminActions(DbExecutor &executor, ChangeFeed &feed, const UserRow &user);
    void createDashboard(DbExecutor &executor, ChangeFeed &feed);
    void createStudio(DbExecutor &executor, const UserRow &user);
    void createHealth(DbExecutor &executor);
    void createToolbar();
    TablePage *currentPage() const;
    void showActiveSessionsOnly();
    void updateUndoStack();
    void addRow();
    void deleteRows();
    void saveCurrent();
    void resolveConflict(int row);
    /// The Tasks tab's board, filters, dialogs and Task menu (TasksPage around the tasks table).
    void createTaskViews(DbExecutor &executor, ChangeFeed &feed, const UserRow &user);

    QTabWidget *m_tabs;
    StatusBar *m_statusBar;
    QUndoGroup *m_undoGroup;
    QList<TablePage *> m_pages;
    AdminActions *m_admin = nullptr;
    TasksPage *m_tasksPage = nullptr; ///< the Tasks tab (its table is m_pages[TasksTab])
    DbExecutor *m_executor;
    ConnectionSettings m_settings;
    DashboardView *m_dashboard = nullptr;
    StudioView *m_studio = nullptr;
    DatabaseWatch *m_watch = nullptr;
    DatabaseBanner *m_banner = nullptr;
    HubStatus *m_hub = nullptr;
    QToolBar *m_toolBar = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_jumpAction = nullptr;
};

} // namespace ccpm
