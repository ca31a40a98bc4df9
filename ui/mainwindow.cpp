#include "mainwindow.h"

#include "adminactions.h"
#include "agentpresencedecoration.h"
#include "conflictdialog.h"
#include "dashboardview.h"
#include "databasebanner.h"
#include "databasewatch.h"
#include "entityspecs.h"
#include "healthdialog.h"
#include "hubstatus.h"
#include "pagedtablemodel.h"
#include "quickswitcher.h"
#include "sqlvalues.h"
#include "statusbar.h"
#include "studioview.h"
#include "tablepage.h"
#include "taskboardview.h"
#include "taskspage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUndoGroup>
#include <QVBoxLayout>

namespace ccpm {

MainWindow::MainWindow(DbExecutor &executor, ChangeFeed &feed, const ConnectionSettings &settings,
                       const QString &databaseLabel, const UserRow &user, QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_statusBar(new StatusBar(executor, settings, databaseLabel, this))
    , m_undoGroup(new QUndoGroup(this))
    , m_executor(&executor)
    , m_settings(settings)
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
    showActiveSessionsOnly();
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateUndoStack);
    updateUndoStack();
    createMenus();
    createTaskViews(executor, feed, user);
    createDashboard(executor, feed);
    createStudio(executor, user);
    createHealth(executor);
    createToolbar();
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
    m_saveAction = file->addAction(tr("&Save changes"), QKeySequence::Save, this, &MainWindow::saveCurrent);
    file->addAction(tr("&Discard changes"), this, [this] {
        if (TablePage *page = currentPage())
            page->model()->discard();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undoAction = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_redoAction = m_undoGroup->createRedoAction(this, tr("&Redo"));
    // Ctrl+Y as well: on Linux QKeySequence::Redo is only Ctrl+Shift+Z
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Y)))
        redoKeys << QKeySequence(Qt::CTRL | Qt::Key_Y);
    redo->setShortcuts(redoKeys);
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
    m_findAction = edit->addAction(tr("&Find"), QKeySequence::Find, this, [this] {
        if (TablePage *page = currentPage())
            page->focusSearch();
    });

    QMenu *viewMenu = m_viewMenu = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Users"), tr("Agents"), tr("Tasks"), tr("Messages"), tr("Sessions")};
    for (int i = 0; i < names.size(); ++i) {
        viewMenu->addAction(names.at(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                            [this, i] { showTab(Tab(i)); });
    }
    viewMenu->addSeparator();
    m_reloadAction = viewMenu->addAction(tr("&Reload"), QKeySequence::Refresh, this, &MainWindow::reloadAll);
    m_jumpAction =
        viewMenu->addAction(tr("&Jump to…"), QKeySequence(Qt::CTRL | Qt::Key_K), this, &MainWindow::showJump);

    QMenu *help = m_helpMenu = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Health…"), this, &MainWindow::showHealth);
}

void MainWindow::createDashboard(DbExecutor &executor, ChangeFeed &feed)
{
    m_dashboard = new DashboardView(executor, feed, m_tabs);
    m_tabs->insertTab(0, m_dashboard, tr("&Dashboard"));
    m_tabs->setCurrentIndex(0);
    auto *show = new QAction(tr("Dashboard"), this);
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(show, &QAction::triggered, this, [this] { showTab(DashboardTab); });
    m_viewMenu->insertAction(m_viewMenu->actions().value(0), show);
}

void MainWindow::createStudio(DbExecutor &executor, const UserRow &user)
{
    m_studio = new StudioView(executor, m_tabs);
    m_studio->setActor(Actor{user.id}, user.role);
    m_tabs->addTab(m_studio, tr("S&tudio"));
    connect(m_studio, &StudioView::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    // The catalog is read when Studio is first shown, not at every start. While Studio shows,
    // its own Save, Find and Refresh (Ctrl+S, Ctrl+F, F5) act, not the window's: an enabled
    // window action with the same keys would make both ambiguous, and neither would fire.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        const bool studio = m_tabs->currentWidget() == m_studio;
        if (studio && m_studio->catalog().tables.isEmpty())
            m_studio->reloadCatalog();
        for (QAction *action : {m_saveAction, m_findAction, m_reloadAction})
            action->setEnabled(!studio);
    });
    auto *show = new QAction(tr("Studio"), this);
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    connect(show, &QAction::triggered, this, [this] { showTab(StudioTab); });
    m_viewMenu->addAction(show);
}

void MainWindow::createHealth(DbExecutor &executor)
{
    // The banner goes above the tabs, outside them, so every view shows it.
    m_watch = new DatabaseWatch(executor, this);
    m_banner = new DatabaseBanner(*m_watch, this);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(takeCentralWidget());
    setCentralWidget(central);
    m_statusBar->followWatch(*m_watch);

    // A query that failed may mean the server went away: ask now rather than at the next ping.
    for (TablePage *page : std::as_const(m_pages))
        connect(page->model(), &PagedTableModel::errorOccurred, m_watch, &DatabaseWatch::suspect);
    connect(m_dashboard, &DashboardView::failed, m_watch, &DatabaseWatch::suspect);
    connect(m_watch, &DatabaseWatch::restored, this, [this] {
        m_statusBar->showMessage(tr("The database is back."), 5000);
        reloadAll(); // staged edits are keyed by id and survive the reload
    });
    m_watch->start();
}

void MainWindow::createToolbar()
{
    m_toolBar = addToolBar(tr("Main"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setIconSize(QSize(20, 20));
    if (m_tasksPage) {
        QAction *newTask = m_tasksPage->newTaskAction();
        newTask->setIcon(QIcon(QStringLiteral(":/icons/new-task.svg")));
        m_toolBar->addAction(newTask);
        m_toolBar->addSeparator();
    }
    const QList<std::pair<QAction *, QString>> icons{
        {m_saveAction, QStringLiteral("save")},   {m_undoAction, QStringLiteral("undo")},
        {m_redoAction, QStringLiteral("redo")},   {m_reloadAction, QStringLiteral("refresh")},
        {m_findAction, QStringLiteral("filter")}, {m_jumpAction, QStringLiteral("jump")}};
    for (const auto &[action, name] : icons) {
        action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
        m_toolBar->addAction(action);
        if (name == QLatin1String("redo") || name == QLatin1String("refresh"))
            m_toolBar->addSeparator();
    }
}

void MainWindow::showHealth()
{
    if (auto *open = findChild<HealthDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new HealthDialog(*m_executor, m_settings, m_watch, m_hub, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showJump()
{
    QStringList names;
    for (int i = 0; i < m_tabs->count(); ++i)
        names << m_tabs->tabText(i);
    auto *jump = new QuickSwitcher(names, this);
    jump->setAttribute(Qt::WA_DeleteOnClose);
    connect(jump, &QuickSwitcher::chosen, m_tabs, &QTabWidget::setCurrentIndex);
    jump->show();
    jump->input()->setFocus();
}

void MainWindow::setHubStatus(HubStatus &hub)
{
    m_hub = &hub;
    m_statusBar->followHub(hub);
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
    if (!m_admin->available())
        return;
    menuBar()->insertMenu(m_helpMenu->menuAction(), m_admin->menu()); // Help stays last
}

void MainWindow::updateUndoStack()
{
    // No undo while a save runs: the save writes what was staged when it started.
    TablePage *page = currentPage();
    m_undoGroup->setActiveStack(page && !page->model()->isSaving() ? page->model()->undoStack() : nullptr);
}

TablePage *MainWindow::currentPage() const
{
    QWidget *current = m_tabs->currentWidget();
    if (current && current == m_tasksPage)
        return m_pages.value(TasksTab); // the board and the tasks table share the tab
    return qobject_cast<TablePage *>(current);
}

QWidget *MainWindow::tabWidget(Tab tab) const
{
    if (tab == DashboardTab)
        return m_dashboard;
    if (tab == StudioTab)
        return m_studio;
    if (tab == TasksTab && m_tasksPage)
        return m_tasksPage;
    return m_pages.value(tab);
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
    if (QWidget *widget = tabWidget(tab))
        m_tabs->setCurrentWidget(widget);
}

void MainWindow::setAgentPresence(AgentPresence &presence)
{
    wireAgentPresence(*model(AgentsTab), presence);
    if (m_tasksPage)
        m_tasksPage->setAgentPresence(&presence);
    m_dashboard->setAgentPresence(&presence);
}

void MainWindow::showActiveSessionsOnly()
{
    // The Sessions tab lists the sessions that still work (issue #5): those not expired now.
    m_pages.at(SessionsTab)
        ->setBaseFilters({{specs::SessionColumns::Expires, KeysetQuery::Filter::Op::AtLeast,
                           sql::timestampText(QDateTime::currentDateTimeUtc())}});
}

void MainWindow::reloadAll()
{
    showActiveSessionsOnly(); // "now" moves on
    for (TablePage *page : std::as_const(m_pages))
        page->model()->reload();
    if (m_tasksPage)
        m_tasksPage->board()->reload();
    m_dashboard->refresh();
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
    const int at = m_tabs->indexOf(table);
    const QString title = m_tabs->tabText(at);
    const bool current = m_tabs->currentIndex() == at;
    m_tabs->removeTab(at);
    m_tasksPage = new TasksPage(executor, feed, Actor{user.id}, table, m_tabs);
    m_tabs->insertTab(at, m_tasksPage, title);
    if (current)
        m_tabs->setCurrentIndex(at);
    connect(m_tasksPage, &TasksPage::message, this,
            [this](const QString &text) { m_statusBar->showMessage(text, 8000); });

    auto *tasks = new QMenu(tr("Tas&k"), this);
    menuBar()->insertMenu(m_helpMenu->menuAction(), tasks); // Help stays last
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
            unsaved << m_tabs->tabText(m_tabs->indexOf(tabWidget(Tab(i)))).remove(QLatin1Char('&'));
    }
    if (m_studio && m_studio->model() && m_studio->model()->hasStagedChanges())
        unsaved << tr("Studio");
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
