#include "taskspage.h"

#include "agentpresence.h"
#include "assigndialog.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "tablepage.h"
#include "taskboardview.h"
#include "taskdialog.h"
#include "taskfilterbar.h"

#include <QAction>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QMenu>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace ccpm {

TasksPage::TasksPage(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, TablePage *table,
                     QWidget *parent)
    : QWidget(parent)
    , m_desk(std::make_unique<TaskDesk>(executor, feed))
    , m_actor(actor)
    , m_filters(new TaskFilterBar(this))
    , m_boardButton(new QToolButton(this))
    , m_tableButton(new QToolButton(this))
    , m_stack(new QStackedWidget(this))
    , m_board(new TaskBoardView(executor, feed, *m_desk, actor, this))
    , m_table(table)
    , m_newTask(new QAction(tr("&New task…"), this))
    , m_editTask(new QAction(tr("&Edit task…"), this))
    , m_assign(new QAction(tr("&Assign…"), this))
{
    m_newTask->setShortcut(QKeySequence::New);
    m_editTask->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_assign->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    connect(m_newTask, &QAction::triggered, this, &TasksPage::newTask);
    connect(m_editTask, &QAction::triggered, this, [this] { editTask(currentTaskId()); });
    connect(m_assign, &QAction::triggered, this, [this] { assignTask(currentTaskId()); });

    m_boardButton->setText(tr("Board"));
    m_tableButton->setText(tr("Table"));
    auto *group = new QButtonGroup(this);
    for (QToolButton *b : {m_boardButton, m_tableButton}) {
        b->setCheckable(true);
        b->setAutoRaise(true);
        group->addButton(b);
    }
    connect(m_boardButton, &QToolButton::toggled, this, &TasksPage::showBoard);
    m_stack->addWidget(m_board);
    m_stack->addWidget(m_table);
    m_table->setParent(m_stack);
    m_table->setSearchVisible(false);
    m_table->addContextActions({m_editTask, m_assign});
    connect(m_table, &TablePage::searchRequested, this, &TasksPage::focusFilter);

    connect(m_filters, &TaskFilterBar::changed, this, &TasksPage::applyFilters);
    connect(m_board, &TaskBoardView::message, this, &TasksPage::message);
    connect(m_board, &TaskBoardView::editRequested, this, &TasksPage::editTask);
    connect(m_board, &TaskBoardView::contextMenuRequested, this, [this](const QString &id, const QPoint &at) {
        QMenu menu(this);
        menu.addAction(tr("&Edit task…"), this, [this, id] { editTask(id); });
        menu.addAction(tr("&Assign…"), this, [this, id] { assignTask(id); });
        menu.exec(at);
    });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_boardButton);
    bar->addWidget(m_tableButton);
    bar->addSpacing(12);
    bar->addWidget(m_filters, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    m_boardButton->setChecked(true);
    showBoard(true);
}

TasksPage::~TasksPage() = default;

void TasksPage::setAgentPresence(AgentPresence *presence)
{
    m_presence = presence;
}

bool TasksPage::showsBoard() const
{
    return m_stack->currentWidget() == m_board;
}

void TasksPage::showBoard(bool board)
{
    m_stack->setCurrentWidget(board ? static_cast<QWidget *>(m_board) : m_table);
    m_boardButton->setChecked(board);
    m_tableButton->setChecked(!board);
}

void TasksPage::focusFilter()
{
    m_filters->focusText();
}

void TasksPage::applyFilters()
{
    m_board->setFilters(m_filters->filters(false), m_filters->status(), m_filters->text());
    m_table->setBaseFilters(m_filters->filters(true));
    m_table->model()->setQuickSearch(m_filters->text());
}

QString TasksPage::currentTaskId() const
{
    if (showsBoard())
        return m_board->currentTaskId();
    const QModelIndex index = m_table->view()->currentIndex();
    return index.isValid() ? index.data(roles::RowId).toString() : QString();
}

void TasksPage::newTask()
{
    auto *dialog = new TaskDialog(*m_desk, m_actor, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TaskDialog::saved, this,
            [this](const TaskRow &task) { emit message(tr("Task “%1” created.").arg(task.title)); });
    dialog->open();
}

void TasksPage::editTask(const QString &taskId)
{
    if (taskId.isEmpty()) {
        emit message(tr("Select a task first."));
        return;
    }
    auto *dialog = new TaskDialog(*m_desk, m_actor, taskId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TaskDialog::saved, this,
            [this](const TaskRow &task) { emit message(tr("Task “%1” saved.").arg(task.title)); });
    dialog->open();
}

void TasksPage::assignTask(const QString &taskId)
{
    if (taskId.isEmpty()) {
        emit message(tr("Select a task first."));
        return;
    }
    QCoro::connect(m_desk->task(taskId), this, [this](const Result<TaskRow> &task) {
        if (!task) {
            emit message(task.error().message);
            return;
        }
        auto *dialog = new AssignDialog(*m_desk, m_actor, *task, m_presence.data(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &AssignDialog::changed, this, [this](const TaskRow &changed) {
            emit message(changed.assignedToName.isEmpty()
                             ? tr("“%1” is unassigned.").arg(changed.title)
                             : tr("“%1” is assigned to %2.").arg(changed.title, changed.assignedToName));
        });
        dialog->open();
    });
}

} // namespace ccpm
