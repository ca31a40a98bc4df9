#include "adminactions.h"

#include "agentadmin.h"
#include "agentdialog.h"
#include "agenttokensdialog.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "sessionadmin.h"
#include "tablepage.h"
#include "userdialog.h"
#include "userrepository.h"

#include <QAbstractButton>
#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QTableView>

namespace ccpm {

AdminActions::AdminActions(DbExecutor &executor, ChangeFeed &feed, const UserRow &user, Pages pages,
                           QWidget *window)
    : QObject(window)
    , m_executor(&executor)
    , m_feed(&feed)
    , m_actor{user.id}
    , m_pages(pages)
    , m_window(window)
    , m_available(user.role == Role::Admin)
    , m_menu(new QMenu(tr("Adm&in"), window))
{
    m_menu->setObjectName(QStringLiteral("adminMenu"));
    addAction(tr("&New user…"), &AdminActions::newUser, pages.users, QStringLiteral("newUser"));
    addAction(tr("&Edit user…"), &AdminActions::editUser, pages.users, QStringLiteral("editUser"));
    addAction(tr("&Reset password…"), &AdminActions::resetPassword, pages.users,
              QStringLiteral("resetPassword"));
    addAction(tr("&Delete user…"), &AdminActions::deleteUser, pages.users, QStringLiteral("deleteUser"));
    m_menu->addSeparator();
    addAction(tr("New &agent…"), &AdminActions::newAgent, pages.agents, QStringLiteral("newAgent"));
    addAction(tr("Edit a&gent…"), &AdminActions::editAgent, pages.agents, QStringLiteral("editAgent"));
    addAction(tr("Agent &tokens…"), &AdminActions::agentTokens, pages.agents, QStringLiteral("agentTokens"));
    addAction(tr("De&lete agent…"), &AdminActions::deleteAgent, pages.agents, QStringLiteral("deleteAgent"));
    m_menu->addSeparator();
    addAction(tr("Re&voke session…"), &AdminActions::revokeSession, pages.sessions,
              QStringLiteral("revokeSession"));
    m_menu->menuAction()->setVisible(m_available);
    m_menu->menuAction()->setEnabled(m_available);
}

QAction *AdminActions::addAction(const QString &text, void (AdminActions::*slot)(), TablePage *page,
                                 const QString &name)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setVisible(m_available);
    action->setEnabled(m_available);
    connect(action, &QAction::triggered, this, slot);
    m_menu->addAction(action);
    m_actions << action;
    if (m_available && page)
        page->addContextActions({action});
    return action;
}

QString AdminActions::deletionQuestion(const QString &username, const UserAdmin::Impact &impact)
{
    const QString tasks = impact.tasks == 1 ? tr("1 task") : tr("%1 tasks").arg(impact.tasks);
    const QString sessions = impact.sessions == 1 ? tr("1 session") : tr("%1 sessions").arg(impact.sessions);
    QString text = tr("Delete the user %1? This also deletes %2 and %3.").arg(username, tasks, sessions);
    if (impact.messages > 0) {
        text +=
            QLatin1Char(' ') +
            (impact.messages == 1 ? tr("The message of those tasks goes with them.")
                                  : tr("The %1 messages of those tasks go with them.").arg(impact.messages));
    }
    return text;
}

QString AdminActions::currentId(TablePage *page) const
{
    if (!page)
        return {};
    const QModelIndex index = page->view()->currentIndex();
    return index.isValid() ? index.siblingAtColumn(0).data(roles::RowId).toString() : QString();
}

QString AdminActions::currentText(TablePage *page, int column) const
{
    const QModelIndex index = page->view()->currentIndex();
    return index.isValid() ? page->model()->index(index.row(), column).data().toString() : QString();
}

void AdminActions::showDialog(QWidget *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (auto *d = qobject_cast<QDialog *>(dialog))
        d->open();
    else
        dialog->show();
    emit dialogOpened(dialog);
}

void AdminActions::report(bool ok, const QString &message)
{
    emit finished(ok, message);
    if (!ok && m_window)
        QMessageBox::warning(m_window, tr("Not done"), message);
}

void AdminActions::openUserDialog(const UserRow &user, int mode)
{
    auto *dialog = new UserDialog(*m_executor, *m_feed, m_actor, UserDialog::Mode(mode), user, m_window);
    if (UserDialog::Mode(mode) == UserDialog::Mode::Edit) {
        connect(dialog, &UserDialog::resetPasswordRequested, this,
                [this, user] { openUserDialog(user, int(UserDialog::Mode::ResetPassword)); });
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        emit finished(true, dialog->mode() == UserDialog::Mode::ResetPassword
                                ? tr("Password set; the user's sessions have ended.")
                                : tr("User %1 saved.").arg(dialog->savedUser().username));
    });
    showDialog(dialog);
}

void AdminActions::newUser()
{
    openUserDialog({}, int(UserDialog::Mode::Create));
}

void AdminActions::editUser()
{
    openSelectedUser(int(UserDialog::Mode::Edit));
}

void AdminActions::resetPassword()
{
    openSelectedUser(int(UserDialog::Mode::ResetPassword));
}

void AdminActions::openSelectedUser(int mode)
{
    const QString id = currentId(m_pages.users);
    if (id.isEmpty())
        return;
    QCoro::connect(UserRepository(*m_executor).get(id), this, [this, mode](Result<UserRow> user) {
        if (!user)
            return report(false, user.error().message);
        openUserDialog(*user, mode);
    });
}

void AdminActions::deleteUser()
{
    const QString id = currentId(m_pages.users);
    if (id.isEmpty())
        return;
    const QString username = currentText(m_pages.users, 0);
    QCoro::connect(UserAdmin(*m_executor, *m_feed).deletionImpact(m_actor, id), this,
                   [this, id, username](Result<UserAdmin::Impact> impact) {
                       if (!impact)
                           return report(false, impact.error().message);
                       auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete user"),
                                                   deletionQuestion(username, *impact),
                                                   QMessageBox::Yes | QMessageBox::Cancel, m_window);
                       box->setObjectName(QStringLiteral("confirmDeleteUser"));
                       box->setDefaultButton(QMessageBox::Cancel);
                       box->button(QMessageBox::Yes)->setText(tr("Delete"));
                       connect(box, &QMessageBox::finished, this, [this, box, id, username] {
                           if (box->clickedButton() != box->button(QMessageBox::Yes))
                               return;
                           QCoro::connect(UserAdmin(*m_executor, *m_feed).remove(m_actor, id), this,
                                          [this, username](Status s) {
                                              report(s.ok(), s ? tr("User %1 deleted.").arg(username)
                                                               : s.error().message);
                                          });
                       });
                       showDialog(box);
                   });
}

void AdminActions::newAgent()
{
    auto *dialog = new AgentDialog(*m_executor, *m_feed, m_actor, {}, m_window);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { emit finished(true, tr("Agent %1 created.").arg(dialog->savedAgent().name)); });
    showDialog(dialog);
}

void AdminActions::editAgent()
{
    const QString id = currentId(m_pages.agents);
    if (id.isEmpty())
        return;
    QCoro::connect(AgentAdmin(*m_executor, *m_feed).get(id), this, [this](Result<AgentRow> agent) {
        if (!agent)
            return report(false, agent.error().message);
        auto *dialog = new AgentDialog(*m_executor, *m_feed, m_actor, *agent, m_window);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            emit finished(true, tr("Agent %1 saved.").arg(dialog->savedAgent().name));
        });
        showDialog(dialog);
    });
}

void AdminActions::agentTokens()
{
    const QString id = currentId(m_pages.agents);
    if (id.isEmpty())
        return;
    QCoro::connect(AgentAdmin(*m_executor, *m_feed).get(id), this, [this](Result<AgentRow> agent) {
        if (!agent)
            return report(false, agent.error().message);
        showDialog(new AgentTokensDialog(*m_executor, *m_feed, m_actor, *agent, m_window));
    });
}

void AdminActions::deleteAgent()
{
    const QString id = currentId(m_pages.agents);
    if (id.isEmpty())
        return;
    const QString name = currentText(m_pages.agents, 0);
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Delete agent"),
        tr("Delete the agent %1? Its tokens are deleted and its tasks become unassigned.").arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, m_window);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, id, name] {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        QCoro::connect(AgentAdmin(*m_executor, *m_feed).remove(m_actor, id), this, [this, name](Status s) {
            report(s.ok(), s ? tr("Agent %1 deleted.").arg(name) : s.error().message);
        });
    });
    showDialog(box);
}

void AdminActions::revokeSession()
{
    const QString id = currentId(m_pages.sessions);
    if (id.isEmpty())
        return;
    const QString username = currentText(m_pages.sessions, 0);
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Revoke session"),
                        tr("End this session of %1? Their desk asks for the password again.").arg(username),
                        QMessageBox::Yes | QMessageBox::Cancel, m_window);
    connect(box, &QMessageBox::finished, this, [this, box, id] {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        QCoro::connect(SessionAdmin(*m_executor, *m_feed).revoke(m_actor, id), this,
                       [this](Status s) { report(s.ok(), s ? tr("Session revoked.") : s.error().message); });
    });
    showDialog(box);
}

} // namespace ccpm
