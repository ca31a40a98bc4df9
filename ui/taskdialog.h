#pragma once

#include "taskdesk.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ccpm {

/// Creates a task, or edits one (title, description, priority, tags, estimated hours), with each
/// error shown in red under its field: first by the same rules as TaskDesk::validate(), then by
/// the server's answer (Error::detail names the field). Nothing typed is lost on an error. In edit
/// mode it also shows the progress, when the task was completed, and the task's conversation, with
/// a box to message the task's agent (Send, or Ctrl+Enter).
///
/// Never blocks: loading, saving and sending run through TaskDesk; Save is disabled while saving.
/// Open it with open() (not exec()). It accepts itself after a successful save and emits saved().
/// Thread: GUI. The desk is not owned and must outlive the dialog.
class TaskDialog : public QDialog {
    Q_OBJECT
public:
    /// An empty `taskId` creates a new task.
    TaskDialog(TaskDesk &desk, const Actor &actor, const QString &taskId = {}, QWidget *parent = nullptr);

    QString taskId() const { return m_taskId; }
    bool isLoaded() const { return m_loaded; }
    bool isSaving() const { return m_saving; }
    /// The error under a field ("title", "description", "tags", "estimatedHours", "content"), or
    /// the dialog's general error for "".
    QString fieldError(const QString &field) const;
    /// The conversation as shown, one line per message ("sender → receiver: text").
    QStringList conversationLines() const;

    // The fields, for tests and shortcuts.
    QLineEdit *titleEdit() const { return m_title; }
    QPlainTextEdit *descriptionEdit() const { return m_description; }
    QLineEdit *tagsEdit() const { return m_tags; }
    QLineEdit *hoursEdit() const { return m_hours; }
    QComboBox *priorityBox() const { return m_priority; }
    QPlainTextEdit *messageEdit() const { return m_message; }

public slots:
    void save();
    void sendMessage();

signals:
    void saved(const ccpm::TaskRow &task);
    void messageSent(const ccpm::MessageRow &message);

private:
    QCoro::Task<> load();
    QCoro::Task<> loadConversation();
    void showTask(const TaskRow &task);
    void showError(const Error &error);
    void setFieldError(const QString &field, const QString &message);
    void clearErrors();
    /// The draft as typed; std::nullopt (with the error shown) when hours do not parse.
    std::optional<TaskDraft> draft();
    QLabel *addErrorLabel(const QString &field);

    TaskDesk *m_desk;
    Actor m_actor;
    QString m_taskId;
    QDateTime m_version; ///< updatedAt as loaded
    bool m_loaded = false;
    bool m_saving = false;
    bool m_sending = false;

    QLineEdit *m_title;
    QPlainTextEdit *m_description;
    QComboBox *m_priority;
    QLineEdit *m_tags;
    QLineEdit *m_hours;
    QProgressBar *m_progress = nullptr;
    QLabel *m_state = nullptr;
    QListWidget *m_conversation = nullptr;
    QPlainTextEdit *m_message = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_general;
    QDialogButtonBox *m_buttons;
    QHash<QString, QLabel *> m_errors;
};

} // namespace ccpm
