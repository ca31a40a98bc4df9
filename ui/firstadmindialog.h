#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

#include <QDialog>
#include <QHash>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ccpm {

/// Shown at start instead of the login when the database has no users: creates the first
/// administrator (UserAdmin::createFirstAdmin, which refuses once any user exists, so two desks
/// starting at once make one). After accepted(), the caller logs in with login() and password().
/// Errors appear under the field they concern. Thread: GUI.
class FirstAdminDialog : public QDialog {
    Q_OBJECT
public:
    FirstAdminDialog(DbExecutor &executor, ChangeFeed &feed, const QString &databaseName,
                     QWidget *parent = nullptr);

    const UserRow &user() const { return m_user; }
    QString login() const;
    QString password() const;
    /// The error shown at `field` ("username", "email", "password", "confirm", "general"), or empty.
    QString fieldError(const QString &field) const;

    /// Fills the fields and creates, as the button does (tests).
    void submit(const QString &username, const QString &email, const QString &password,
                const QString &confirm);

signals:
    void submitted(bool ok);

private:
    void create();
    void showError(const QString &field, const QString &message);

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    QHash<QString, QLineEdit *> m_fields;
    QHash<QString, QLabel *> m_errors;
    QPushButton *m_create;
    UserRow m_user;
};

} // namespace ccpm
