#pragma once

#include "changefeed.h"
#include "connectionsettings.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QMainWindow>

class QTabWidget;
class QTableView;

namespace ccpm {

class AgentsModel;
class EntityTableModel;
class StatusBar;

/// The main window: one tab per table (Users, Agents, Tasks, Messages), each a QTableView over
/// its model, and the status bar. It only assembles widgets and connects them.
/// Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { UsersTab, AgentsTab, TasksTab, MessagesTab };

    /// `databaseLabel` names the database for people ("embedded database (ccpm)",
    /// "db.example.com:5432/ccpm").
    MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
               const QString &databaseLabel, const UserRow &user, QWidget *parent = nullptr);

    StatusBar *statusBarWidget() const { return m_statusBar; }
    QTableView *view(Tab tab) const;
    EntityTableModel *model(Tab tab) const;
    void showTab(Tab tab);

public slots:
    void reloadAll();

private:
    QTableView *addTableTab(EntityTableModel *model, const QString &title);

    QTabWidget *m_tabs;
    StatusBar *m_statusBar;
    QList<EntityTableModel *> m_models;
    QList<QTableView *> m_views;
};

} // namespace ccpm
