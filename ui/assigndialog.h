#pragma once

#include "taskdesk.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace ccpm {

class AgentPresence;

/// Chooses the agent for a task: every agent ranked by TaskDesk::candidates() (tags covered,
/// then availability, then fewest open tasks), each row showing its name with the hub mark
/// (filled dot: connected), type, status, tags covered ("2/3") and open tasks. Assign sets the
/// task ASSIGNED to the chosen agent, Unassign returns it to PENDING; either accepts the dialog
/// and emits changed(). A race with another manager is reported in the dialog, which then ranks
/// again. Never blocks; open it with open(). Thread: GUI. Desk and presence are not owned; the
/// presence may be null (no hub) or go away.
class AssignDialog : public QDialog {
    Q_OBJECT
public:
    AssignDialog(TaskDesk &desk, const Actor &actor, const TaskRow &task, AgentPresence *presence,
                 QWidget *parent = nullptr);

    /// The ranked candidates as shown (after loading).
    const QList<TaskCandidate> &candidates() const { return m_candidates; }
    bool isLoaded() const { return m_loaded; }
    QTreeWidget *list() const { return m_list; }
    QString errorText() const;

public slots:
    void reload();
    /// Assigns to the selected agent.
    void assignSelected();
    void unassign();

signals:
    void changed(const ccpm::TaskRow &task);

private:
    void showCandidates(const QList<TaskCandidate> &candidates);
    void finish(const Result<TaskRow> &result);
    void updateButtons();

    TaskDesk *m_desk;
    Actor m_actor;
    TaskRow m_task;
    QPointer<AgentPresence> m_presence;
    QList<TaskCandidate> m_candidates;
    bool m_loaded = false;
    bool m_busy = false;
    QTreeWidget *m_list;
    QLabel *m_error;
    QPushButton *m_assign;
    QPushButton *m_unassign;
};

} // namespace ccpm
