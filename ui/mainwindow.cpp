#include "mainwindow.h"

#include "agentsmodel.h"
#include "messagesmodel.h"
#include "statusbar.h"
#include "tasksmodel.h"
#include "usersmodel.h"

#include <QApplication>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableView>

namespace ccpm {

MainWindow::MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
                       const QString &databaseLabel, const UserRow &user, QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_statusBar(new StatusBar(executor, settings, databaseLabel, this))
{
    setWindowTitle(tr("CCPM Desk — %1 @ %2").arg(user.username, databaseLabel));
    setCentralWidget(m_tabs);
    setStatusBar(m_statusBar);

    addTableTab(new UsersModel(executor, feed, this), tr("&Users"));
    addTableTab(new AgentsModel(executor, feed, this), tr("&Agents"));
    addTableTab(new TasksModel(executor, feed, this), tr("&Tasks"));
    addTableTab(new MessagesModel(executor, feed, this), tr("&Messages"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Users"), tr("Agents"), tr("Tasks"), tr("Messages")};
    for (int i = 0; i < names.size(); ++i) {
        viewMenu->addAction(names.at(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                            [this, i] { showTab(Tab(i)); });
    }
    viewMenu->addSeparator();
    viewMenu->addAction(tr("&Reload"), QKeySequence::Refresh, this, &MainWindow::reloadAll);

    resize(1100, 560);
    reloadAll();
}

QTableView *MainWindow::addTableTab(EntityTableModel *model, const QString &title)
{
    auto *view = new QTableView(m_tabs);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Columns are sized to the loaded rows; a later value (Busy → Inactive) must still fit.
    view->horizontalHeader()->setMinimumSectionSize(
        view->fontMetrics().horizontalAdvance(QStringLiteral("Inactive")) + 24);
    connect(model, &QAbstractItemModel::modelReset, view, [view] { view->resizeColumnsToContents(); });
    connect(model, &EntityTableModel::errorOccurred, this,
            [this](const QString &message) { m_statusBar->showMessage(message, 10000); });
    m_tabs->addTab(view, title);
    m_models.append(model);
    m_views.append(view);
    return view;
}

QTableView *MainWindow::view(Tab tab) const
{
    return m_views.value(tab);
}

EntityTableModel *MainWindow::model(Tab tab) const
{
    return m_models.value(tab);
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void MainWindow::reloadAll()
{
    for (EntityTableModel *model : std::as_const(m_models))
        model->reload();
}

} // namespace ccpm
