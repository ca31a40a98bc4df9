#pragma once

#include "useradmin.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QMessageBox;
class QWidget;

namespace ccpm {

class TablePage;

/// The administrator's actions of the main window (issue #5), apart from MainWindow so that it
/// only assembles them: an "Admin" menu and the context menus of the Users, Agents and Sessions
/// tabs with New/Edit/Reset password/Delete user, New/Edit/Tokens/Delete agent, and Revoke
/// session. They open UserDialog, AgentDialog and AgentTokensDialog; deletions and revocations
/// ask first, a user's deletion saying how many tasks and sessions go with them.
///
/// For a USER none of this exists on screen: every action is hidden and disabled, the menu is not
/// shown and nothing is added to the context menus (the services refuse them anyway, and the
/// tables are read-only through PagedTableModel::setActor). Thread: GUI.
class AdminActions : public QObject {
    Q_OBJECT
public:
    struct Pages {
        TablePage *users = nullptr;
        TablePage *agents = nullptr;
        TablePage *sessions = nullptr;
    };

    AdminActions(DbExecutor &executor, ChangeFeed &feed, const UserRow &user, Pages pages, QWidget *window);

    /// Whether the signed-in user may use these actions (ADMIN).
    bool available() const { return m_available; }
    QMenu *menu() const { return m_menu; }
    QList<QAction *> actions() const { return m_actions; }

    /// "Delete user X? This also deletes N tasks and M sessions…": the confirmation's text.
    static QString deletionQuestion(const QString &username, const UserAdmin::Impact &impact);

    /// The actions' work, for the current row of their tab.
    void newUser();
    void editUser();
    void resetPassword();
    void deleteUser();
    void newAgent();
    void editAgent();
    void agentTokens();
    void deleteAgent();
    void revokeSession();

signals:
    /// A dialog or confirmation was opened (tests find and drive it through this).
    void dialogOpened(QWidget *dialog);
    /// An action's operation finished; `message` says what happened or what went wrong.
    void finished(bool ok, const QString &message);

private:
    QAction *addAction(const QString &text, void (AdminActions::*slot)(), TablePage *page,
                       const QString &name);
    QString currentId(TablePage *page) const;
    QString currentText(TablePage *page, int column) const;
    void showDialog(QWidget *dialog);
    void report(bool ok, const QString &message);
    void openUserDialog(const UserRow &user, int mode);
    /// Reads the Users tab's current row again and opens the dialog on it.
    void openSelectedUser(int mode);

    DbExecutor *m_executor;
    ChangeFeed *m_feed;
    Actor m_actor;
    Pages m_pages;
    QWidget *m_window;
    bool m_available;
    QMenu *m_menu;
    QList<QAction *> m_actions;
};

} // namespace ccpm
