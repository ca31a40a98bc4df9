#include "taskdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

QString priorityLabel(Priority p)
{
    switch (p) {
    case Priority::Low:
        return TaskDialog::tr("Low");
    case Priority::Medium:
        return TaskDialog::tr("Medium");
    case Priority::High:
        return TaskDialog::tr("High");
    }
    return {};
}

QString statusLabel(TaskStatus s)
{
    switch (s) {
    case TaskStatus::Pending:
        return TaskDialog::tr("Pending");
    case TaskStatus::Assigned:
        return TaskDialog::tr("Assigned");
    case TaskStatus::InProgress:
        return TaskDialog::tr("In progress");
    case TaskStatus::Completed:
        return TaskDialog::tr("Completed");
    case TaskStatus::Failed:
        return TaskDialog::tr("Failed");
    }
    return {};
}

} // namespace

TaskDialog::TaskDialog(TaskDesk &desk, const Actor &actor, const QString &taskId, QWidget *parent)
    : QDialog(parent)
    , m_desk(&desk)
    , m_actor(actor)
    , m_taskId(taskId)
    , m_title(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_priority(new QComboBox(this))
    , m_tags(new QLineEdit(this))
    , m_hours(new QLineEdit(this))
    , m_general(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(taskId.isEmpty() ? tr("New task") : tr("Edit task"));
    m_title->setMaxLength(200); // the rule is 100: longer text is kept to be shortened, not cut
    m_description->setTabChangesFocus(true);
    m_description->setMinimumHeight(70);
    m_description->setMaximumHeight(taskId.isEmpty() ? 200 : 110);
    for (Priority p : {Priority::Low, Priority::Medium, Priority::High})
        m_priority->addItem(priorityLabel(p), int(p));
    m_priority->setCurrentIndex(int(Priority::Medium));
    m_tags->setPlaceholderText(tr("Comma-separated, e.g. testing, deployment"));
    m_hours->setPlaceholderText(tr("Hours, e.g. 4 or 2.5 (optional)"));

    auto *form = new QFormLayout;
    auto addField = [&](const QString &label, QWidget *field, const QString &name) {
        auto *box = new QVBoxLayout;
        box->setSpacing(1);
        box->addWidget(field);
        box->addWidget(addErrorLabel(name));
        auto *caption = new QLabel(label, this);
        caption->setBuddy(field);
        form->addRow(caption, box);
    };
    addField(tr("&Title:"), m_title, QStringLiteral("title"));
    addField(tr("&Description:"), m_description, QStringLiteral("description"));
    form->addRow(tr("&Priority:"), m_priority);
    addField(tr("T&ags:"), m_tags, QStringLiteral("tags"));
    addField(tr("&Estimated hours:"), m_hours, QStringLiteral("estimatedHours"));

    m_general->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_general->setWordWrap(true);
    m_general->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);

    if (!taskId.isEmpty()) {
        m_progress = new QProgressBar(this);
        m_progress->setRange(0, 100);
        m_state = new QLabel(this);
        form->addRow(tr("Progress:"), m_progress);
        form->addRow(tr("State:"), m_state);

        auto *talk = new QGroupBox(tr("Conversation"), this);
        m_conversation = new QListWidget(talk);
        m_conversation->setWordWrap(true);
        m_conversation->setMinimumHeight(120);
        m_message = new QPlainTextEdit(talk);
        m_message->setPlaceholderText(tr("Message to the task's agent (Ctrl+Enter sends)"));
        m_message->setMaximumHeight(70);
        m_message->setTabChangesFocus(true);
        m_send = new QPushButton(tr("Se&nd"), talk);
        auto *compose = new QHBoxLayout;
        compose->addWidget(m_message);
        compose->addWidget(m_send, 0, Qt::AlignBottom);
        auto *talkLayout = new QVBoxLayout(talk);
        talkLayout->addWidget(m_conversation);
        talkLayout->addLayout(compose);
        talkLayout->addWidget(addErrorLabel(QStringLiteral("content")));
        layout->addWidget(talk, 1);
        connect(m_send, &QPushButton::clicked, this, &TaskDialog::sendMessage);
        for (const QKeySequence &keys :
             {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
            auto *shortcut = new QShortcut(keys, m_message, nullptr, nullptr, Qt::WidgetShortcut);
            connect(shortcut, &QShortcut::activated, this, &TaskDialog::sendMessage);
        }
    }
    layout->addWidget(m_general);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TaskDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(560, taskId.isEmpty() ? 380 : 640);

    if (taskId.isEmpty()) {
        m_loaded = true;
    } else {
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
        load();
    }
}

QLabel *TaskDialog::addErrorLabel(const QString &field)
{
    auto *label = new QLabel(this);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->setWordWrap(true);
    label->hide();
    m_errors.insert(field, label);
    return label;
}

QString TaskDialog::fieldError(const QString &field) const
{
    if (field.isEmpty())
        return m_general->isHidden() ? QString() : m_general->text();
    const QLabel *label = m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QStringList TaskDialog::conversationLines() const
{
    QStringList lines;
    for (int i = 0; m_conversation && i < m_conversation->count(); ++i)
        lines << m_conversation->item(i)->data(Qt::UserRole).toString();
    return lines;
}

void TaskDialog::setFieldError(const QString &field, const QString &message)
{
    QLabel *label = m_errors.value(field, m_general);
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

void TaskDialog::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors))
        label->hide();
    m_general->hide();
}

void TaskDialog::showError(const Error &error)
{
    setFieldError(m_errors.contains(error.detail) ? error.detail : QString(), error.message);
    const QHash<QString, QWidget *> fields{{QStringLiteral("title"), m_title},
                                           {QStringLiteral("description"), m_description},
                                           {QStringLiteral("tags"), m_tags},
                                           {QStringLiteral("estimatedHours"), m_hours},
                                           {QStringLiteral("content"), m_message}};
    if (QWidget *field = fields.value(error.detail))
        field->setFocus();
}

std::optional<TaskDraft> TaskDialog::draft()
{
    TaskDraft d;
    d.title = m_title->text();
    d.description = m_description->toPlainText();
    d.priority = Priority(m_priority->currentData().toInt());
    d.tags = m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QString hours = m_hours->text().trimmed();
    if (!hours.isEmpty()) {
        bool ok = false;
        double value = QLocale().toDouble(hours, &ok);
        if (!ok)
            value = hours.toDouble(&ok);
        if (!ok) {
            setFieldError(QStringLiteral("estimatedHours"), tr("Enter a number of hours, such as 4 or 2.5."));
            return std::nullopt;
        }
        d.estimatedHours = value;
    }
    return d;
}

QCoro::Task<> TaskDialog::load()
{
    const QPointer<TaskDialog> self(this);
    const Result<TaskRow> task = co_await m_desk->task(m_taskId);
    if (!self)
        co_return;
    if (!task) {
        showError(task.error());
        co_return;
    }
    showTask(*task);
    m_loaded = true;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
    co_await loadConversation();
}

void TaskDialog::showTask(const TaskRow &task)
{
    const TaskDraft d = TaskDraft::fromRow(task);
    m_version = task.updatedAt;
    m_title->setText(d.title);
    m_description->setPlainText(d.description);
    m_priority->setCurrentIndex(m_priority->findData(int(d.priority)));
    m_tags->setText(d.tags.join(QStringLiteral(", ")));
    m_hours->setText(d.estimatedHours ? QLocale().toString(*d.estimatedHours) : QString());
    if (m_progress)
        m_progress->setValue(task.progress);
    if (m_state) {
        QString state = statusLabel(task.status);
        state += task.assignedToName.isEmpty() ? tr(", no agent") : tr(", agent %1").arg(task.assignedToName);
        if (task.completedAt.isValid())
            state += tr(", completed %1")
                         .arg(QLocale().toString(task.completedAt.toLocalTime(), QLocale::ShortFormat));
        m_state->setText(state);
    }
}

QCoro::Task<> TaskDialog::loadConversation()
{
    const QPointer<TaskDialog> self(this);
    const Result<QList<ConversationEntry>> entries = co_await m_desk->conversation(m_taskId);
    if (!self || !m_conversation)
        co_return;
    if (!entries) {
        setFieldError(QStringLiteral("content"), entries.error().message);
        co_return;
    }
    m_conversation->clear();
    for (const ConversationEntry &e : *entries) {
        const QString who =
            e.receiverName.isEmpty() ? e.senderName : tr("%1 → %2").arg(e.senderName, e.receiverName);
        const QString line = tr("%1: %2").arg(who, e.message.content);
        auto *item = new QListWidgetItem(
            tr("[%1] %2").arg(QLocale().toString(e.message.createdAt.toLocalTime(), QLocale::ShortFormat),
                              line),
            m_conversation);
        item->setData(Qt::UserRole, line);
        item->setToolTip(e.message.createdAt.toString(Qt::ISODateWithMs) + QStringLiteral(" UTC"));
    }
    m_conversation->scrollToBottom();
}

void TaskDialog::save()
{
    if (m_saving || !m_loaded)
        return;
    clearErrors();
    const std::optional<TaskDraft> d = draft();
    if (!d)
        return;
    if (const std::optional<Error> wrong = TaskDesk::validate(*d)) {
        showError(*wrong);
        return;
    }
    m_saving = true;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    auto task =
        m_taskId.isEmpty() ? m_desk->create(m_actor, *d) : m_desk->update(m_actor, m_taskId, *d, m_version);
    QCoro::connect(std::move(task), this, [this](const Result<TaskRow> &result) {
        m_saving = false;
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
        if (!result) {
            showError(result.error());
            return;
        }
        m_taskId = result->id;
        m_version = result->updatedAt;
        emit saved(*result);
        accept();
    });
}

void TaskDialog::sendMessage()
{
    if (!m_message || m_sending || m_taskId.isEmpty())
        return;
    setFieldError(QStringLiteral("content"), {});
    const QString content = m_message->toPlainText();
    if (const std::optional<Error> wrong = TaskDesk::validateMessage(content)) {
        showError(*wrong);
        return;
    }
    m_sending = true;
    m_send->setEnabled(false);
    QCoro::connect(m_desk->sendMessage(m_actor, m_taskId, content), this,
                   [this](const Result<MessageRow> &sent) {
                       m_sending = false;
                       m_send->setEnabled(true);
                       if (!sent) {
                           showError(sent.error());
                           return;
                       }
                       m_message->clear();
                       emit messageSent(*sent);
                       loadConversation();
                   });
}

} // namespace ccpm
