#include "mainwindow.h"

#include "agentpresencedecoration.h"
#include "conflictdialog.h"
#include "entityspecs.h"
#include "pagedtablemodel.h"
#include "statusbar.h"
#include "tablepage.h"
#include "taskboardview.h"
#include "taskspage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QItemSelectionModel>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableView>
#include <QUndoGroup>

namespace ccpm {

MainWindow::MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
                       const QString &databaseLabel, const UserRow &user, QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_statusBar(new StatusBar(executor, settings, databaseLabel, this))
    , m_undoGroup(new QUndoGroup(this))
{
    setWindowTitle(tr("CCPM Desk — %1 @ %2").arg(user.username, databaseLabel));
    setCentralWidget(m_tabs);
    setStatusBar(m_statusBar);

    const QList<std::pair<TableSpec, QString>> tables{{specs::users(), tr("&Users")},
                                                      {specs::agents(), tr("&Agents")},
                                                      {specs::tasks(), tr("&Tasks")},
                                                      {specs::messages(), tr("&Messages")},
                                                      {specs::sessions(), tr("&Sessions")}};
    for (const auto &[spec, title] : tables) {
        auto *model = new PagedTableModel(executor, spec, this);
        model->setActor(Actor{user.id}, user.role);
        model->followChanges(feed);
        addTablePage(model, title);
    }
    model(TasksTab)->setInsertDefaults({{QStringLiteral("createdBy"), user.id}});
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateUndoStack);
    updateUndoStack();
    createMenus();
    createTaskViews(executor, feed, user);
    resize(1100, 560);
}

void MainWindow::addTablePage(PagedTableModel *model, const QString &title)
{
    auto *page = new TablePage(model, m_tabs);
    m_undoGroup->addStack(model->undoStack());
    connect(model, &PagedTableModel::errorOccurred, this,
            [this](const QString &message) { m_statusBar->showMessage(message, 10000); });
    connect(model, &PagedTableModel::saveFinished, this,
            [this, page](bool ok, const QString &message, int row) {
                m_statusBar->showMessage(message, ok ? 5000 : 0);
                if (ok || row < 0)
                    return;
                page->view()->scrollTo(page->model()->index(row, 0));
                page->view()->selectRow(row);
                if (page->model()->hasConflict(row))
                    resolveConflict(row);
                else
                    QMessageBox::warning(this, tr("Nothing was saved"), message);
            });
    connect(page->view(), &QTableView::doubleClicked, this, [this, model](const QModelIndex &index) {
        if (model->hasConflict(index.row()))
            resolveConflict(index.row());
    });
    m_tabs->addTab(page, title);
    m_pages.append(page);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Save changes"), QKeySequence::Save, this, &MainWindow::saveCurrent);
    file->addAction(tr("&Discard changes"), this, [this] {
        if (TablePage *page = currentPage())
            page->model()->discard();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("&Add row"), QKeySequence(Qt::CTRL | Qt::Key_Insert), this, &MainWindow::addRow);
    QAction *remove = edit->addAction(tr("&Delete rows"), this, &MainWindow::deleteRows);
    remove->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::CTRL | Qt::Key_Delete)});
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (TablePage *page : std::as_const(m_pages))
        page->view()->addAction(remove); // Delete acts on the table, not on a field being typed in
    edit->addSeparator();
    edit->addAction(tr("Resolve &conflict…"), this, [this] {
        if (TablePage *page = currentPage())
            resolveConflict(page->view()->currentIndex().row());
    });
    edit->addAction(tr("&Find"), QKeySequence::Find, this, [this] {
        if (TablePage *page = currentPage())
            page->focusSearch();
    });

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Users"), tr("Agents"), tr("Tasks"), tr("Messages"), tr("Sessions")};
    for (int i = 0; i < names.size(); ++i) {
        viewMenu->addAction(names.at(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                            [this, i] { showTab(Tab(i)); });
    }
    viewMenu->addSeparator();
    viewMenu->addAction(tr("&Reload"), QKeySequence::Refresh, this, &MainWindow::reloadAll);
}

void MainWindow::updateUndoStack()
{
    // No undo while a save runs: the save writes what was staged when it started.
    TablePage *page = currentPage();
    m_undoGroup->setActiveStack(page && !page->model()->isSaving() ? page->model()->undoStack() : nullptr);
}

TablePage *MainWindow::currentPage() const
{
    return m_pages.value(m_tabs->currentIndex());
}

QTableView *MainWindow::view(Tab tab) const
{
    return m_pages.value(tab) ? m_pages.value(tab)->view() : nullptr;
}

PagedTableModel *MainWindow::model(Tab tab) const
{
    return m_pages.value(tab) ? m_pages.value(tab)->model() : nullptr;
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void MainWindow::setAgentPresence(AgentPresence &presence)
{
    wireAgentPresence(*model(AgentsTab), presence);
    if (m_tasksPage)
        m_tasksPage->setAgentPresence(&presence);
}

void MainWindow::reloadAll()
{
    for (TablePage *page : std::as_const(m_pages))
        page->model()->reload();
    if (m_tasksPage)
        m_tasksPage->board()->reload();
}

void MainWindow::addRow()
{
    TablePage *page = currentPage();
    if (!page)
        return;
    if (!page->model()->insertRows(0, 1)) {
        m_statusBar->showMessage(tr("Rows cannot be added here: use the dialog for this table."), 5000);
        return;
    }
    page->view()->scrollToTop();
    page->view()->setCurrentIndex(page->model()->index(0, 0));
    page->view()->edit(page->model()->index(0, 0));
}

void MainWindow::deleteRows()
{
    TablePage *page = currentPage();
    if (!page)
        return;
    QList<int> rows;
    for (const QModelIndex &index : page->view()->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && page->view()->currentIndex().isValid())
        rows << page->view()->currentIndex().row();
    std::sort(rows.begin(), rows.end(), std::greater<>()); // staged new rows go at once: last first
    page->model()->undoStack()->beginMacro(rows.size() == 1 ? tr("Delete a row")
                                                            : tr("Delete %1 rows").arg(rows.size()));
    bool refused = false;
    for (int row : std::as_const(rows))
        refused = !page->model()->removeRows(row, 1) || refused;
    page->model()->undoStack()->endMacro();
    if (refused)
        m_statusBar->showMessage(tr("Some rows cannot be deleted here."), 5000);
}

void MainWindow::saveCurrent()
{
    if (TablePage *page = currentPage()) {
        m_statusBar->showMessage(tr("Saving…"));
        page->model()->save();
        updateUndoStack();
    }
}

void MainWindow::resolveConflict(int row)
{
    TablePage *page = currentPage();
    if (!page || row < 0 || !page->model()->hasConflict(row))
        return;
    ConflictDialog dialog(*page->model(), row, this);
    dialog.exec();
    if (dialog.choice() == ConflictDialog::KeepMine)
        page->model()->keepMine(row);
    else if (dialog.choice() == ConflictDialog::TakeTheirs)
        page->model()->takeTheirs(row);
}

// The Tasks tab becomes a TasksPage: the board (default) and the tasks table behind one filter
// bar; the table keeps its place in m_pages, so saving, undo and closing work as for any table.
void MainWindow::createTaskViews(DbExecutor &executor, ChangeFeed &feed, const UserRow &user)
{
    TablePage *table = m_pages.at(TasksTab);
    const QString title = m_tabs->tabText(TasksTab);
    const bool current = m_tabs->currentIndex() == TasksTab;
    m_tabs->removeTab(TasksTab);
    m_tasksPage = new TasksPage(executor, feed, Actor{user.id}, table, m_tabs);
    m_tabs->insertTab(TasksTab, m_tasksPage, title);
    if (current)
        m_tabs->setCurrentIndex(TasksTab);
    connect(m_tasksPage, &TasksPage::message, this,
            [this](const QString &text) { m_statusBar->showMessage(text, 8000); });

    QMenu *tasks = menuBar()->addMenu(tr("Tas&k"));
    for (QAction *action :
         {m_tasksPage->newTaskAction(), m_tasksPage->editTaskAction(), m_tasksPage->assignAction()}) {
        tasks->addAction(action);
        addAction(action); // the shortcuts work from any tab
    }
    // Edit and Assign act on the Tasks tab's selection: show it first.
    connect(m_tasksPage->editTaskAction(), &QAction::triggered, this, [this] { showTab(TasksTab); });
    connect(m_tasksPage->assignAction(), &QAction::triggered, this, [this] { showTab(TasksTab); });
    tasks->addSeparator();
    tasks->addAction(tr("Show &board"), this, [this] {
        showTab(TasksTab);
        m_tasksPage->showBoard(true);
    });
    tasks->addAction(tr("Show &table"), this, [this] {
        showTab(TasksTab);
        m_tasksPage->showBoard(false);
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QStringList unsaved;
    for (int i = 0; i < m_pages.size(); ++i) {
        if (m_pages.at(i)->model()->hasStagedChanges())
            unsaved << m_tabs->tabText(i).remove(QLatin1Char('&'));
    }
    if (unsaved.isEmpty()) {
        event->accept();
        return;
    }
    const auto answer =
        QMessageBox::warning(this, tr("Unsaved changes"),
                             tr("These tables have changes that are not saved: %1.\nQuit and lose them?")
                                 .arg(unsaved.join(QStringLiteral(", "))),
                             QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        event->accept();
    else
        event->ignore();
}

} // namespace ccpm
