#pragma once

#include "agentadmin.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace ccpm {

/// Creates or edits an agent through AgentAdmin: name, type, status, capabilities (a list with
/// an entry field that completes from the capabilities other agents already have), and the
/// metadata as JSON, checked as it is typed: a parse error is shown under the editor, with its
/// line and column, and Save stays disabled until the text is a JSON object. Thread: GUI.
class AgentDialog : public QDialog {
    Q_OBJECT
public:
    /// Without `agent` (empty id) the dialog creates one.
    AgentDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, const AgentRow &agent = {},
                QWidget *parent = nullptr);

    const AgentRow &savedAgent() const { return m_saved; }
    QString metadataError() const;
    QString nameError() const;
    QString generalError() const;
    bool canSave() const;
    QStringList capabilities() const;
    /// The completer's list, once loaded.
    QStringList completions() const;

    void setName(const QString &name);
    void setMetadataText(const QString &json);
    void addCapability(const QString &capability);
    void submit();

signals:
    void submitted(bool ok);
    void completionsLoaded();

private:
    void validateMetadata();
    void showError(const Error &error);

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    Actor m_actor;
    AgentRow m_agent;
    AgentRow m_saved;
    QLineEdit *m_name;
    QLabel *m_nameError;
    QComboBox *m_type;
    QComboBox *m_status;
    QListWidget *m_capabilities;
    QLineEdit *m_newCapability;
    QPlainTextEdit *m_metadata;
    QLabel *m_metadataError;
    QLabel *m_general;
    QPushButton *m_save;
    QStringList m_completions;
};

} // namespace ccpm
