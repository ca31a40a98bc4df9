#pragma once

#include "useradmin.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ccpm {

/// Creates a user, edits one (username, e-mail, role), or resets a password, through UserAdmin.
/// Errors are shown under the field they concern (a duplicate username under Username, a short
/// password under Password); others above the buttons. The dialog stays open and responsive
/// while the operation runs on a database worker. Thread: GUI.
class UserDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Create, Edit, ResetPassword };

    /// `user` is the row to edit or whose password to reset (ignored for Create).
    UserDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, Mode mode,
               const UserRow &user = {}, QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    /// The user as saved, after accepted() (Create and Edit).
    const UserRow &savedUser() const { return m_saved; }
    /// The error shown at `field` ("username", "email", "password", "confirm"), or empty.
    QString fieldError(const QString &field) const;
    /// The error shown above the buttons, or empty.
    QString generalError() const;

    /// Fills the fields (tests).
    void fill(const QString &username, const QString &email, Role role, const QString &password = {},
              const QString &confirm = {});
    /// Checks and saves, as the Save button does.
    void submit();

signals:
    /// A save finished; `ok` false when an error is shown.
    void submitted(bool ok);
    /// Edit mode's "Reset password…" was pressed.
    void resetPasswordRequested();

private:
    QLineEdit *addField(QFormLayout *form, const QString &name, const QString &label);
    void showError(const Error &error);
    void clearErrors();
    void finish(bool ok);

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    Actor m_actor;
    Mode m_mode;
    UserRow m_user;
    UserRow m_saved;
    QHash<QString, QLineEdit *> m_fields;
    QHash<QString, QLabel *> m_errors;
    QComboBox *m_role = nullptr;
    QLabel *m_general;
    QDialogButtonBox *m_buttons;
    QPushButton *m_save;
};

} // namespace ccpm
