#pragma once

#include "dbexecutor.h"
#include "rows.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ccpm {

/// Asks for a username (or e-mail) and password and checks them with AuthService on a db
/// worker; the dialog stays responsive meanwhile. A failure shows "Invalid username or
/// password" and nothing more; a database failure shows its own message.
/// Thread: GUI.
class LoginDialog : public QDialog {
    Q_OBJECT
public:
    LoginDialog(DbExecutor &executor, const QString &databaseName, QWidget *parent = nullptr);

    /// The logged-in user, valid after accepted().
    const UserRow &user() const { return m_user; }

    /// Fills the fields and submits, as a user would (tests, --login).
    void submit(const QString &login, const QString &password);
    /// Logging in again (the session ended): says why, fills the username, focuses the password.
    void askAgain(const QString &reason, const QString &login);

signals:
    /// A login attempt finished; `ok` false carries the message shown.
    void attemptFinished(bool ok, const QString &message);

private:
    void tryLogin();
    void setBusy(bool busy);

    DbExecutor *m_executor;
    QLineEdit *m_login;
    QLineEdit *m_password;
    QLabel *m_message;
    QPushButton *m_submit;
    UserRow m_user;
};

} // namespace ccpm
