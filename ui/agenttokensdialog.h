#pragma once

#include "agentadmin.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QWidget;

namespace ccpm {

/// One agent's access tokens (AgentAdmin): the list (name, created, last used, revoked), issuing
/// a token, which is then shown once in a read-only field with a Copy button and a warning that
/// it cannot be shown again (only its hash is stored), and revoking one after a confirmation.
/// Thread: GUI.
class AgentTokensDialog : public QDialog {
    Q_OBJECT
public:
    AgentTokensDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, const AgentRow &agent,
                      QWidget *parent = nullptr);

    /// The token just issued, while it is shown; empty otherwise.
    QString shownToken() const;
    int tokenCount() const;
    QString errorText() const;

    void reload();
    /// Issues a token named `name` (tests; the button takes the name field).
    void issue(const QString &name);
    /// Revokes without asking (the Revoke button asks first).
    void revoke(const QString &tokenId);
    QString tokenIdAt(int row) const;

signals:
    void reloaded();
    void issued(bool ok);
    void revoked(bool ok);

private:
    void revokeSelected();
    void showError(const Error &error);

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    Actor m_actor;
    AgentRow m_agent;
    QTreeWidget *m_list;
    QLineEdit *m_name;
    QPushButton *m_issue;
    QPushButton *m_revoke;
    QWidget *m_issuedPanel;
    QLineEdit *m_token;
    QLabel *m_error;
};

} // namespace ccpm
