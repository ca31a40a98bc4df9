#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "taskdesk.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QAction;
class QStackedWidget;
class QToolButton;

namespace ccpm {

class AgentPresence;
class TablePage;
class TaskBoardView;
class TaskFilterBar;

/// The Tasks tab: the shared filter bar over a board (default) and the table, with a Board/Table
/// switch, and the task actions (New task, Edit task…, Assign…) that open TaskDialog and
/// AssignDialog without blocking. The table page is the main window's (it keeps its editing);
/// this page only adds the board, the filters and the dialogs. Thread: GUI. Executor and feed
/// are not owned; the desk is.
class TasksPage : public QWidget {
    Q_OBJECT
public:
    TasksPage(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, TablePage *table,
              QWidget *parent = nullptr);
    ~TasksPage() override;

    TaskDesk &desk() { return *m_desk; }
    TaskBoardView *board() const { return m_board; }
    TablePage *table() const { return m_table; }
    TaskFilterBar *filterBar() const { return m_filters; }
    bool showsBoard() const;
    /// The agents connected to the hub, for the assign dialog's ranking (may be null).
    void setAgentPresence(AgentPresence *presence);
    /// The selected task of the visible view, or empty.
    QString currentTaskId() const;

    QAction *newTaskAction() const { return m_newTask; }
    QAction *editTaskAction() const { return m_editTask; }
    QAction *assignAction() const { return m_assign; }

public slots:
    void showBoard(bool board);
    void newTask();
    void editTask(const QString &taskId);
    void assignTask(const QString &taskId);
    void focusFilter();

signals:
    void message(const QString &text);

private:
    void applyFilters();

    std::unique_ptr<TaskDesk> m_desk;
    Actor m_actor;
    QPointer<AgentPresence> m_presence;
    TaskFilterBar *m_filters;
    QToolButton *m_boardButton;
    QToolButton *m_tableButton;
    QStackedWidget *m_stack;
    TaskBoardView *m_board;
    TablePage *m_table;
    QAction *m_newTask;
    QAction *m_editTask;
    QAction *m_assign;
};

} // namespace ccpm
