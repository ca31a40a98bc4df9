#include "taskboardview.h"

#include "entityspecs.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "taskcarddelegate.h"

#include <QApplication>
#include <QDrag>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QMouseEvent>
#include <QTimer>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

struct DraggedTask {
    QString id;
    TaskStatus status = TaskStatus::Pending;
    bool hasAssignee = false;
};

std::optional<DraggedTask> draggedTask(const QMimeData *mime)
{
    if (!mime || !mime->hasFormat(QLatin1String(TaskBoardView::kMimeType)))
        return std::nullopt;
    const QJsonObject o =
        QJsonDocument::fromJson(mime->data(QLatin1String(TaskBoardView::kMimeType))).object();
    const std::optional<TaskStatus> status = fromDb<TaskStatus>(o.value(QLatin1String("status")).toString());
    if (!status)
        return std::nullopt;
    return DraggedTask{o.value(QLatin1String("id")).toString(), *status,
                       o.value(QLatin1String("hasAssignee")).toBool()};
}

QString columnTitle(TaskStatus s)
{
    switch (s) {
    case TaskStatus::Pending:
        return TaskBoardView::tr("Pending");
    case TaskStatus::Assigned:
        return TaskBoardView::tr("Assigned");
    case TaskStatus::InProgress:
        return TaskBoardView::tr("In progress");
    case TaskStatus::Completed:
        return TaskBoardView::tr("Completed");
    case TaskStatus::Failed:
        return TaskBoardView::tr("Failed");
    }
    return {};
}

// One column's list: starts its own drags (the paged model has no drag flags) and accepts a
// card only along a valid transition.
class BoardColumnView : public QListView {
public:
    BoardColumnView(TaskBoardView *board, TaskStatus status, QWidget *parent)
        : QListView(parent)
        , m_board(board)
        , m_status(status)
    {
        setAcceptDrops(true);
        viewport()->setAcceptDrops(true);
        setDropIndicatorShown(false);
        setSelectionMode(QAbstractItemView::SingleSelection);
        setUniformItemSizes(true); // no per-row measuring: a million rows stay cheap
        setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        setEditTriggers(QAbstractItemView::NoEditTriggers);
        setContextMenuPolicy(Qt::CustomContextMenu);
    }

protected:
    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton) {
            m_pressPos = event->position().toPoint();
            m_pressed = indexAt(m_pressPos);
        }
        QListView::mousePressEvent(event);
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (!(event->buttons() & Qt::LeftButton) || !m_pressed.isValid() ||
            (event->position().toPoint() - m_pressPos).manhattanLength() <
                QApplication::startDragDistance()) {
            QListView::mouseMoveEvent(event);
            return;
        }
        const QModelIndex index = m_pressed;
        m_pressed = QPersistentModelIndex();
        const QString id = index.data(roles::RowId).toString();
        if (id.isEmpty())
            return;
        const bool hasAssignee =
            !index.siblingAtColumn(specs::TaskColumns::Assignee).data(roles::RawValue).toString().isEmpty();
        auto *drag = new QDrag(this);
        drag->setMimeData(TaskBoardView::mimeFor(id, m_status, hasAssignee));
        const QRect card = visualRect(index);
        drag->setPixmap(viewport()->grab(card));
        drag->setHotSpot(m_pressPos - card.topLeft());
        drag->exec(Qt::MoveAction);
    }
    void dragEnterEvent(QDragEnterEvent *event) override { judge(event, true); }
    void dragMoveEvent(QDragMoveEvent *event) override { judge(event, false); }
    void dragLeaveEvent(QDragLeaveEvent *event) override { event->accept(); }
    void dropEvent(QDropEvent *event) override
    {
        const std::optional<DraggedTask> task = draggedTask(event->mimeData());
        if (!task || !TaskDesk::canMove(task->status, m_status, task->hasAssignee)) {
            if (task && task->status != m_status)
                emit m_board->message(TaskDesk::whyNotMove(task->status, m_status, task->hasAssignee));
            event->ignore();
            return;
        }
        event->setDropAction(Qt::MoveAction);
        event->accept();
        m_board->moveTask(task->id, task->status, task->hasAssignee, m_status);
    }

private:
    void judge(QDragMoveEvent *event, bool entering)
    {
        const std::optional<DraggedTask> task = draggedTask(event->mimeData());
        if (task && TaskDesk::canMove(task->status, m_status, task->hasAssignee)) {
            event->setDropAction(Qt::MoveAction);
            event->accept();
            return;
        }
        if (entering && task && task->status != m_status)
            emit m_board->message(TaskDesk::whyNotMove(task->status, m_status, task->hasAssignee));
        event->ignore(); // the no-drop cursor
    }

    TaskBoardView *m_board;
    TaskStatus m_status;
    QPoint m_pressPos;
    QPersistentModelIndex m_pressed;
};

} // namespace

QList<TaskStatus> TaskBoardView::statuses()
{
    return {TaskStatus::Pending, TaskStatus::Assigned, TaskStatus::InProgress, TaskStatus::Completed,
            TaskStatus::Failed};
}

TaskBoardView::TaskBoardView(DbExecutor &executor, ChangeFeed &feed, TaskDesk &desk, const Actor &actor,
                             QWidget *parent)
    : QWidget(parent)
    , m_desk(&desk)
    , m_actor(actor)
    , m_followDelay(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto *delegate = new TaskCardDelegate(this);
    for (TaskStatus status : statuses()) {
        auto *model = new PagedTableModel(executor, specs::tasks(), this);
        model->setActor(actor, Role::User); // the board never writes through the model
        model->setFilters({{specs::TaskColumns::Status, KeysetQuery::Filter::Op::Equals, toDb(status)}});
        auto *column = new QWidget(this);
        auto *count = new QLabel(column);
        QFont bold = count->font();
        bold.setBold(true);
        count->setFont(bold);
        // Long counts ("about 1.0 M rows") must not widen a column: all five keep one width.
        count->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        auto *view = new BoardColumnView(this, status, column);
        view->setModel(model);
        view->setModelColumn(specs::TaskColumns::Title);
        view->setItemDelegate(delegate);
        auto *box = new QVBoxLayout(column);
        box->setContentsMargins(0, 0, 0, 0);
        box->addWidget(count);
        box->addWidget(view);
        layout->addWidget(column, 1);
        m_models.insert(int(status), model);
        m_views.insert(int(status), view);
        m_counts.insert(int(status), count);
        m_columns.insert(int(status), column);
        connect(model, &PagedTableModel::countChanged, this, [this, status] { updateCount(status); });
        connect(model, &PagedTableModel::errorOccurred, this, &TaskBoardView::message);
        connect(view, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
            if (const QString id = index.data(roles::RowId).toString(); !id.isEmpty())
                emit editRequested(id);
        });
        connect(view, &QWidget::customContextMenuRequested, this, [this, view, status](const QPoint &pos) {
            const QModelIndex index = view->indexAt(pos);
            if (!index.isValid())
                return;
            view->setCurrentIndex(index);
            m_lastFocused = status;
            emit contextMenuRequested(index.data(roles::RowId).toString(),
                                      view->viewport()->mapToGlobal(pos));
        });
        connect(view, &QListView::pressed, this, [this, status] { m_lastFocused = status; });
        updateCount(status);
    }
    // Other writers' changes (agents, other views): each model shows a changed card in place
    // and drops one that left its column by itself; a card that entered a column is found by
    // counting the columns again after a pause (in place: the scroll position stays), so a
    // burst of progress reports costs a few queries, not one per report.
    m_followDelay->setSingleShot(true);
    m_followDelay->setInterval(400);
    connect(m_followDelay, &QTimer::timeout, this, [this] {
        for (auto it = m_models.cbegin(); it != m_models.cend(); ++it) {
            if (!m_hiddenColumns.contains(it.key()))
                it.value()->refresh();
        }
    });
    connect(&feed, &ChangeFeed::rowChanged, this,
            [this](const QString &table, const QString &, ChangeFeed::Op, const QString &) {
                if (table == QLatin1String("tasks") && !m_followDelay->isActive())
                    m_followDelay->start();
            });
    for (PagedTableModel *model : std::as_const(m_models))
        model->followChanges(feed);
    reload();
}

void TaskBoardView::updateCount(TaskStatus status)
{
    const PagedTableModel *model = m_models.value(int(status));
    m_counts.value(int(status))->setText(tr("%1 · %2").arg(columnTitle(status), model->countText()));
}

void TaskBoardView::setFilters(const QList<ColumnFilter> &filters, std::optional<TaskStatus> only,
                               const QString &text)
{
    for (TaskStatus status : statuses()) {
        const bool shown = !only || *only == status;
        m_columns.value(int(status))->setVisible(shown);
        if (!shown) {
            // A hidden column stops its paging and counting, which would hold the few database
            // connections the shown column needs: "createdAt IS NULL" is empty at once (the column
            // is NOT NULL and indexed). The setFilters() that shows it again brings it up to date.
            if (!m_hiddenColumns.contains(int(status)))
                m_models.value(int(status))
                    ->setFilters({{specs::TaskColumns::Created, KeysetQuery::Filter::Op::IsNull, {}}});
            m_hiddenColumns.insert(int(status));
            continue;
        }
        m_hiddenColumns.remove(int(status));
        PagedTableModel *model = m_models.value(int(status));
        QList<ColumnFilter> mine{{specs::TaskColumns::Status, KeysetQuery::Filter::Op::Equals, toDb(status)}};
        model->setFilters(mine + filters);
        model->setQuickSearch(text);
    }
}

void TaskBoardView::reload()
{
    for (auto it = m_models.cbegin(); it != m_models.cend(); ++it) {
        if (!m_hiddenColumns.contains(it.key()))
            it.value()->reload();
    }
}

QString TaskBoardView::currentTaskId() const
{
    const QListView *view = m_views.value(int(m_lastFocused));
    return view && view->currentIndex().isValid() ? view->currentIndex().data(roles::RowId).toString()
                                                  : QString();
}

QMimeData *TaskBoardView::mimeFor(const QString &taskId, TaskStatus status, bool hasAssignee)
{
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(kMimeType),
                  QJsonDocument(QJsonObject{{QLatin1String("id"), taskId},
                                            {QLatin1String("status"), toDb(status)},
                                            {QLatin1String("hasAssignee"), hasAssignee}})
                      .toJson(QJsonDocument::Compact));
    return mime;
}

bool TaskBoardView::moveTask(const QString &taskId, TaskStatus from, bool hasAssignee, TaskStatus to)
{
    if (!TaskDesk::canMove(from, to, hasAssignee)) {
        emit message(TaskDesk::whyNotMove(from, to, hasAssignee));
        return false;
    }
    QCoro::connect(m_desk->move(m_actor, taskId, to), this, [this, from, to](const Result<TaskRow> &moved) {
        if (!moved) {
            emit message(moved.error().message);
            emit moveFinished(false);
            return;
        }
        emit message(tr("“%1” is now %2.").arg(moved->title, columnTitle(to).toLower()));
        m_models.value(int(from))->refresh();
        m_models.value(int(to))->refresh();
        emit moveFinished(true);
    });
    return true;
}

} // namespace ccpm
