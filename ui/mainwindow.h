#pragma once

#include "changefeed.h"
#include "connectionsettings.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QMainWindow>

class QTabWidget;
class QTableView;
class QUndoGroup;

namespace ccpm {

class AgentPresence;
class PagedTableModel;
class StatusBar;
class TablePage;
class TasksPage;

/// The main window: one tab per table (Users, Agents, Tasks, Messages, Sessions), each a
/// TablePage over a PagedTableModel, the Edit menu (undo, redo, add and delete rows, save,
/// discard, resolve a conflict) and the status bar. It only assembles widgets and connects them.
/// Closing with unsaved edits asks first. With an AgentPresence, the Agents tab marks who is
/// connected to the agent hub. Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { UsersTab, AgentsTab, TasksTab, MessagesTab, SessionsTab };

    /// `databaseLabel` names the database for people ("embedded database (ccpm)",
    /// "db.example.com:5432/ccpm").
    MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
               const QString &databaseLabel, const UserRow &user, QWidget *parent = nullptr);

    StatusBar *statusBarWidget() const { return m_statusBar; }
    QTableView *view(Tab tab) const;
    TasksPage *tasksPage() const { return m_tasksPage; }
    PagedTableModel *model(Tab tab) const;
    void showTab(Tab tab);
    /// Marks, in the Agents tab's Name column, the agents connected to the agent hub (apart from
    /// the status they reported). Not owned; call once, when the hub runs.
    void setAgentPresence(AgentPresence &presence);

public slots:
    void reloadAll();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addTablePage(PagedTableModel *model, const QString &title);
    void createMenus();
    TablePage *currentPage() const;
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
    TasksPage *m_tasksPage = nullptr; ///< the Tasks tab (its table is m_pages[TasksTab])
};

} // namespace ccpm
