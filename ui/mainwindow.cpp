#include "mainwindow.h"

#include "adminactions.h"
#include "agentpresencedecoration.h"
#include "conflictdialog.h"
#include "entityspecs.h"
#include "pagedtablemodel.h"
#include "statusbar.h"
#include "tablepage.h"

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
    createAdminActions(executor, feed, user);
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

// Users, agents, tokens and sessions (issue #5): only an ADMIN sees the menu and the context
// menu entries; for a USER they do not exist on screen.
void MainWindow::createAdminActions(DbExecutor &executor, ChangeFeed &feed, const UserRow &user)
{
    m_admin = new AdminActions(
        executor, feed, user, {m_pages.value(UsersTab), m_pages.value(AgentsTab), m_pages.value(SessionsTab)},
        this);
    connect(m_admin, &AdminActions::finished, this, [this](bool ok, const QString &message) {
        m_statusBar->showMessage(message, ok ? 5000 : 10000);
    });
    if (m_admin->available())
        menuBar()->addMenu(m_admin->menu());
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
}

void MainWindow::reloadAll()
{
    for (TablePage *page : std::as_const(m_pages))
        page->model()->reload();
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
