#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "tablespec.h"
#include "taskdesk.h"

#include <QHash>
#include <QSet>
#include <QWidget>

class QLabel;
class QListView;
class QMimeData;
class QTimer;

namespace ccpm {

class PagedTableModel;

/// The task board: one column per status (PENDING, ASSIGNED, IN_PROGRESS, COMPLETED, FAILED),
/// each a list of cards over its own PagedTableModel (specs::tasks() filtered on that status), so
/// a million tasks stay instant: each column pages with keyset queries and never loads all.
///
/// Dragging a card to another column moves the task (TaskDesk::move) when TaskDesk::canMove()
/// allows it; otherwise the column refuses the drop (no-drop cursor) and message() says why.
/// Double-clicking a card asks for the edit dialog (editRequested()), the context menu for the
/// task's actions (contextMenuRequested()). The columns follow the ChangeFeed: the board's own
/// moves reload the two columns at once, other writers' changes after a short pause.
/// Thread: GUI. Executor, feed and desk are not owned and must outlive the board.
class TaskBoardView : public QWidget {
    Q_OBJECT
public:
    static constexpr auto kMimeType = "application/x-ccpm-task";

    TaskBoardView(DbExecutor &executor, ChangeFeed &feed, TaskDesk &desk, const Actor &actor,
                  QWidget *parent = nullptr);

    static QList<TaskStatus> statuses();
    PagedTableModel *columnModel(TaskStatus status) const { return m_models.value(int(status)); }
    QListView *columnView(TaskStatus status) const { return m_views.value(int(status)); }

    /// Filters besides status; `only` shows that status's column alone (the others query nothing).
    void setFilters(const QList<ColumnFilter> &filters, std::optional<TaskStatus> only, const QString &text);
    void reload();
    /// The task of the current card in the column that had focus last, or empty.
    QString currentTaskId() const;

    /// What a dragged card carries: id, status and whether it has an agent.
    static QMimeData *mimeFor(const QString &taskId, TaskStatus status, bool hasAssignee);
    /// Moves a task shown as `from` (with or without agent) to `to`: refused at once (false, and
    /// message()) when the board does not allow it, otherwise TaskDesk::move, then both columns reload.
    bool moveTask(const QString &taskId, TaskStatus from, bool hasAssignee, TaskStatus to);

signals:
    void message(const QString &text);
    void editRequested(const QString &taskId);
    void contextMenuRequested(const QString &taskId, const QPoint &globalPosition);
    /// A move by this board finished (ok or not).
    void moveFinished(bool ok);

private:
    void updateCount(TaskStatus status);

    TaskDesk *m_desk;
    Actor m_actor;
    QHash<int, PagedTableModel *> m_models;
    QHash<int, QListView *> m_views;
    QHash<int, QLabel *> m_counts;
    QHash<int, QWidget *> m_columns;
    QSet<int> m_hiddenColumns; ///< statuses whose column a status filter hides
    QTimer *m_followDelay;
    TaskStatus m_lastFocused = TaskStatus::Pending;
};

} // namespace ccpm
