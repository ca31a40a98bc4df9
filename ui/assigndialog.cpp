#include "assigndialog.h"

#include "agentpresence.h"
#include "agentpresencedecoration.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

QString typeLabel(AgentType t)
{
    switch (t) {
    case AgentType::Ai:
        return AssignDialog::tr("AI");
    case AgentType::Human:
        return AssignDialog::tr("Human");
    case AgentType::Bot:
        return AssignDialog::tr("Bot");
    }
    return {};
}

QString statusLabel(AgentStatus s)
{
    switch (s) {
    case AgentStatus::Active:
        return AssignDialog::tr("Active");
    case AgentStatus::Inactive:
        return AssignDialog::tr("Inactive");
    case AgentStatus::Busy:
        return AssignDialog::tr("Busy");
    }
    return {};
}

} // namespace

AssignDialog::AssignDialog(TaskDesk &desk, const Actor &actor, const TaskRow &task, AgentPresence *presence,
                           QWidget *parent)
    : QDialog(parent)
    , m_desk(&desk)
    , m_actor(actor)
    , m_task(task)
    , m_presence(presence)
    , m_list(new QTreeWidget(this))
    , m_error(new QLabel(this))
    , m_assign(new QPushButton(tr("&Assign"), this))
    , m_unassign(new QPushButton(tr("&Unassign"), this))
{
    setWindowTitle(tr("Assign “%1”").arg(task.title));
    auto *intro = new QLabel(
        task.assignedToName.isEmpty()
            ? tr("Nobody holds this task. Agents are ranked by the task's tags they cover, then by "
                 "availability, then by open tasks.")
            : tr("Assigned to %1. Agents are ranked by the task's tags they cover, then by availability, "
                 "then by open tasks.")
                  .arg(task.assignedToName),
        this);
    intro->setWordWrap(true);
    m_list->setHeaderLabels({tr("Agent"), tr("Type"), tr("Status"), tr("Tags covered"), tr("Open tasks")});
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_assign, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_unassign, QDialogButtonBox::ActionRole);
    m_assign->setDefault(true);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_assign, &QPushButton::clicked, this, &AssignDialog::assignSelected);
    connect(m_unassign, &QPushButton::clicked, this, &AssignDialog::unassign);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &AssignDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &AssignDialog::assignSelected);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 360);
    updateButtons();
    reload();
}

QString AssignDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AssignDialog::reload()
{
    const QSet<QString> connected = m_presence ? m_presence->connectedIds() : QSet<QString>();
    QCoro::connect(m_desk->candidates(m_task.id, connected), this,
                   [this](const Result<QList<TaskCandidate>> &result) {
                       if (!result) {
                           m_error->setText(result.error().message);
                           m_error->show();
                           return;
                       }
                       showCandidates(*result);
                   });
}

void AssignDialog::showCandidates(const QList<TaskCandidate> &candidates)
{
    m_candidates = candidates;
    m_list->clear();
    for (const TaskCandidate &c : candidates) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, c.agent.name);
        item->setIcon(0, presenceIcon(c.connected));
        item->setToolTip(0, c.connected ? tr("Connected to the agent hub")
                                        : tr("Not connected to the agent hub"));
        item->setText(1, typeLabel(c.agent.type));
        item->setText(2, statusLabel(c.agent.status));
        item->setText(3, c.tagsTotal == 0 ? tr("no tags") : tr("%1/%2").arg(c.tagsCovered).arg(c.tagsTotal));
        item->setToolTip(3,
                         c.agent.capabilities ? c.agent.capabilities->join(QStringLiteral(", ")) : QString());
        item->setText(4, QString::number(c.openTasks));
        item->setTextAlignment(3, Qt::AlignCenter);
        item->setTextAlignment(4, Qt::AlignCenter);
        item->setData(0, Qt::UserRole, c.agent.id);
        if (c.agent.id == m_task.assignedTo) {
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
        }
    }
    for (int c = 1; c < m_list->columnCount(); ++c)
        m_list->resizeColumnToContents(c);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    m_loaded = true;
    updateButtons();
}

void AssignDialog::updateButtons()
{
    const bool open = m_task.status == TaskStatus::Pending || m_task.status == TaskStatus::Assigned;
    m_assign->setEnabled(!m_busy && open && m_list->currentItem());
    m_unassign->setEnabled(!m_busy && !m_task.assignedTo.isEmpty() &&
                           m_task.status != TaskStatus::Completed && m_task.status != TaskStatus::Failed);
}

void AssignDialog::assignSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item || m_busy)
        return;
    m_busy = true;
    updateButtons();
    const QString agent = item->data(0, Qt::UserRole).toString();
    // Guarded by the assignee this dialog showed: a manager who assigned meanwhile wins.
    QCoro::connect(m_desk->assign(m_actor, m_task.id, agent, m_task.assignedTo), this,
                   [this](const Result<TaskRow> &result) { finish(result); });
}

void AssignDialog::unassign()
{
    if (m_busy)
        return;
    m_busy = true;
    updateButtons();
    QCoro::connect(m_desk->unassign(m_actor, m_task.id), this,
                   [this](const Result<TaskRow> &result) { finish(result); });
}

void AssignDialog::finish(const Result<TaskRow> &result)
{
    m_busy = false;
    if (!result) {
        m_error->setText(result.error().message);
        m_error->show();
        updateButtons();
        if (result.error().kind == Error::Kind::Conflict) {
            QCoro::connect(m_desk->task(m_task.id), this, [this](const Result<TaskRow> &now) {
                if (now)
                    m_task = *now;
                reload();
            });
        }
        return;
    }
    m_task = *result;
    emit changed(*result);
    accept();
}

} // namespace ccpm
