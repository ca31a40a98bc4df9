#include "taskfilterbar.h"

#include "entityspecs.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>

namespace ccpm {

TaskFilterBar::TaskFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_status(new QComboBox(this))
    , m_priority(new QComboBox(this))
    , m_assignee(new QLineEdit(this))
    , m_creator(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_delay(new QTimer(this))
{
    m_status->addItem(tr("Any status"));
    const QStringList statusNames{tr("Pending"), tr("Assigned"), tr("In progress"), tr("Completed"),
                                  tr("Failed")};
    const QStringList statuses = enumLabels<TaskStatus>();
    for (int i = 0; i < statuses.size(); ++i)
        m_status->addItem(statusNames.value(i), statuses.at(i));
    m_priority->addItem(tr("Any priority"));
    const QStringList priorityNames{tr("Low"), tr("Medium"), tr("High")};
    const QStringList priorities = enumLabels<Priority>();
    for (int i = 0; i < priorities.size(); ++i)
        m_priority->addItem(priorityNames.value(i), priorities.at(i));
    m_assignee->setPlaceholderText(tr("Assignee"));
    m_creator->setPlaceholderText(tr("Creator"));
    m_text->setPlaceholderText(tr("Search title and description (Ctrl+F)"));
    for (QLineEdit *edit : {m_assignee, m_creator, m_text}) {
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::textChanged, m_delay, qOverload<>(&QTimer::start));
    }
    m_assignee->setMaximumWidth(140);
    m_creator->setMaximumWidth(140);
    m_delay->setSingleShot(true);
    m_delay->setInterval(250);
    connect(m_delay, &QTimer::timeout, this, &TaskFilterBar::changed);
    connect(m_status, &QComboBox::currentIndexChanged, this, &TaskFilterBar::changed);
    connect(m_priority, &QComboBox::currentIndexChanged, this, &TaskFilterBar::changed);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Filter:"), this));
    layout->addWidget(m_status);
    layout->addWidget(m_priority);
    layout->addWidget(m_assignee);
    layout->addWidget(m_creator);
    layout->addWidget(m_text, 1);
}

QList<ColumnFilter> TaskFilterBar::filters(bool withStatus) const
{
    using C = specs::TaskColumns;
    using Op = KeysetQuery::Filter::Op;
    QList<ColumnFilter> out;
    if (withStatus && m_status->currentIndex() > 0)
        out << ColumnFilter{C::Status, Op::Equals, m_status->currentData()};
    if (m_priority->currentIndex() > 0)
        out << ColumnFilter{C::Priority, Op::Equals, m_priority->currentData()};
    if (const QString who = m_assignee->text().trimmed(); !who.isEmpty())
        out << ColumnFilter{C::Assignee, Op::Contains, who};
    if (const QString who = m_creator->text().trimmed(); !who.isEmpty())
        out << ColumnFilter{C::CreatedBy, Op::Contains, who};
    return out;
}

std::optional<TaskStatus> TaskFilterBar::status() const
{
    if (m_status->currentIndex() <= 0)
        return std::nullopt;
    return fromDb<TaskStatus>(m_status->currentData().toString());
}

QString TaskFilterBar::text() const
{
    return m_text->text().trimmed();
}

void TaskFilterBar::focusText()
{
    m_text->setFocus();
    m_text->selectAll();
}

} // namespace ccpm
