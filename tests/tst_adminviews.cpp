// The administrator's dialogs and actions on screen (issue #5), offscreen, on the backend's
// fixture in a real PostgreSQL: errors at the field, the deletion's counts, JSON metadata
// checked as typed, a token shown once, nothing for a USER, and the first administrator.
#include "adminactions.h"
#include "agentdialog.h"
#include "agenttokenrepository.h"
#include "agenttokensdialog.h"
#include "authservice.h"
#include "firstadmindialog.h"
#include "itemroles.h"
#include "mainwindow.h"
#include "pagedtablemodel.h"
#include "testdatabase.h"
#include "userdialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace ccpm;

namespace {

const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");
const QString kTestUser = QStringLiteral("cmx1zcg6600018e7dfr0y0buw");
const QString kAiAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");

UserRow signedIn(const QString &id, const QString &name, Role role)
{
    UserRow user;
    user.id = id;
    user.username = name;
    user.role = role;
    return user;
}

} // namespace

class TestAdminViews : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void userDialogShowsTheDuplicateAtTheField();
    void deleteConfirmationSaysWhatGoesWithTheUser();
    void agentDialogRefusesInvalidJsonVisibly();
    void issuedTokenIsShownOnceAndAuthenticates();
    void userSeesNoAdminActions();
    void firstAdminDialogCreatesTheAdministrator();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
};

void TestAdminViews::init()
{
    m_db = std::make_unique<TestDatabase>("adminviews");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
}

void TestAdminViews::cleanup()
{
    m_executor.reset();
    m_db.reset();
    m_feed.reset();
}

void TestAdminViews::userDialogShowsTheDuplicateAtTheField()
{
    UserDialog dialog(*m_executor, *m_feed, Actor{kAdmin}, UserDialog::Mode::Create);
    dialog.show();
    QSignalSpy submitted(&dialog, &UserDialog::submitted);

    // Passwords that differ are caught before any query, at the Confirm field
    dialog.fill("newbie", "newbie@example.com", Role::User, "password1", "password2");
    dialog.submit();
    QCOMPARE(submitted.size(), 1);
    QVERIFY(!dialog.fieldError("confirm").isEmpty());

    // A taken username is reported by the database, and shown under Username
    dialog.fill("testuser", "newbie@example.com", Role::User, "password1", "password1");
    dialog.submit();
    QTRY_COMPARE(submitted.size(), 2);
    QCOMPARE(submitted.last().at(0).toBool(), false);
    QVERIFY2(dialog.fieldError("username").contains("testuser"), qPrintable(dialog.fieldError("username")));
    QVERIFY(dialog.findChild<QLabel *>("usernameError")->isVisible());
    QVERIFY(dialog.fieldError("email").isEmpty());
    QVERIFY(dialog.fieldError("confirm").isEmpty());
    QVERIFY(dialog.isVisible());

    // ...a taken e-mail under E-mail
    dialog.fill("newbie", "dev@example.com", Role::User, "password1", "password1");
    dialog.submit();
    QTRY_COMPARE(submitted.size(), 3);
    QVERIFY(!dialog.fieldError("email").isEmpty());
    QVERIFY(dialog.fieldError("username").isEmpty());

    // ...and a correct one is saved
    dialog.fill("newbie", "newbie@example.com", Role::User, "password1", "password1");
    dialog.submit();
    QTRY_COMPARE(submitted.size(), 4);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users WHERE username = 'newbie'").toInt(), 1);
}

void TestAdminViews::deleteConfirmationSaysWhatGoesWithTheUser()
{
    // Given testuser with one task (fixture) and one open session, selected in the Users tab
    CCPM_VERIFY_OK(QCoro::waitFor(AuthService(*m_executor).openSession(kTestUser)));
    const ConnectionSettings settings = m_db->settings();
    MainWindow window(*m_executor, *m_feed, settings, settings.displayName(),
                      signedIn(kAdmin, "admin", Role::Admin));
    window.showTab(MainWindow::UsersTab);
    window.show();
    PagedTableModel *users = window.model(MainWindow::UsersTab);
    QTRY_VERIFY(users->rowCount() == 3 && users->isLoaded(2));
    window.view(MainWindow::UsersTab)->setCurrentIndex(users->index(users->rowOf(kTestUser), 0));

    // When Delete user is chosen
    QPointer<QMessageBox> box;
    connect(window.adminActions(), &AdminActions::dialogOpened, this,
            [&box](QWidget *dialog) { box = qobject_cast<QMessageBox *>(dialog); });
    QSignalSpy finished(window.adminActions(), &AdminActions::finished);
    window.findChild<QAction *>("deleteUser")->trigger();

    // Then the confirmation counts the task and the session, and Delete deletes them
    QTRY_VERIFY(box);
    QVERIFY2(box->text().contains("This also deletes 1 task and 1 session."), qPrintable(box->text()));
    QVERIFY(box->text().contains("testuser"));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM users WHERE id = '%1'").arg(kTestUser)).toInt(), 0);
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE \"createdBy\" = '%1'").arg(kTestUser))
            .toInt(),
        0);
    QTRY_COMPARE(users->rowCount(), 2); // the model followed the change feed
}

void TestAdminViews::agentDialogRefusesInvalidJsonVisibly()
{
    AgentDialog dialog(*m_executor, *m_feed, Actor{kAdmin});
    dialog.show();
    QSignalSpy loaded(&dialog, &AgentDialog::completionsLoaded);
    QTRY_COMPARE(loaded.size(), 1);
    QVERIFY(dialog.completions().contains("code-review"));

    dialog.setName("Linter");
    dialog.addCapability("lint");
    dialog.setMetadataText(R"({"model": })");
    QVERIFY2(dialog.metadataError().contains("line 1"), qPrintable(dialog.metadataError()));
    QVERIFY(dialog.findChild<QLabel *>("metadataError")->isVisible());
    QVERIFY(!dialog.canSave());
    QSignalSpy submitted(&dialog, &AgentDialog::submitted);
    dialog.submit();
    QCOMPARE(submitted.size(), 1);
    QCOMPARE(submitted.first().at(0).toBool(), false);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM agents").toInt(), 3);

    dialog.setMetadataText("[]");
    QVERIFY(dialog.metadataError().contains("object"));
    dialog.setMetadataText(R"({"model": "x"})");
    QVERIFY(dialog.metadataError().isEmpty());
    QVERIFY(dialog.canSave());
    dialog.submit();
    QTRY_COMPARE(submitted.size(), 2);
    QVERIFY(submitted.last().at(0).toBool());
    QCOMPARE(m_db->scalar("SELECT metadata->>'model' FROM agents WHERE name = 'Linter'").toString(), "x");
    QCOMPARE(m_db->scalar("SELECT array_to_string(capabilities, ',') FROM agents WHERE name = 'Linter'")
                 .toString(),
             "lint");
}

void TestAdminViews::issuedTokenIsShownOnceAndAuthenticates()
{
    AgentRow agent;
    agent.id = kAiAssistant;
    agent.name = "AI Assistant";
    QString token;
    {
        AgentTokensDialog dialog(*m_executor, *m_feed, Actor{kAdmin}, agent);
        dialog.show();
        QSignalSpy issued(&dialog, &AgentTokensDialog::issued);
        dialog.issue("build-server");
        QTRY_COMPARE(issued.size(), 1);
        token = dialog.shownToken();
        QVERIFY(token.startsWith("ccpm_"));
        QVERIFY(dialog.findChild<QLineEdit *>("issuedToken")->isReadOnly());
        QVERIFY(dialog.findChild<QLabel *>("tokenWarning")->isVisible());
        QVERIFY(dialog.findChild<QLabel *>("tokenWarning")->text().contains("not be shown again"));
        QVERIFY(dialog.findChild<QPushButton *>("copyToken")->isVisible());
        QTRY_COMPARE(dialog.tokenCount(), 1);
    }
    const Result<AgentTokenRow> ok = QCoro::waitFor(AgentTokenRepository(*m_executor).authenticate(token));
    CCPM_VERIFY_OK(ok);
    QCOMPARE(ok->agentId, kAiAssistant);

    // Opened again, the dialog lists the token but cannot show it; revoking refuses it
    AgentTokensDialog again(*m_executor, *m_feed, Actor{kAdmin}, agent);
    QSignalSpy reloaded(&again, &AgentTokensDialog::reloaded);
    QTRY_VERIFY_WITH_TIMEOUT(reloaded.size() >= 1, 20000); // a loaded CI machine can take a while
    QCOMPARE(again.tokenCount(), 1);
    QVERIFY(again.shownToken().isEmpty());
    QSignalSpy revoked(&again, &AgentTokensDialog::revoked);
    again.revoke(again.tokenIdAt(0));
    QTRY_COMPARE(revoked.size(), 1);
    QVERIFY(revoked.first().at(0).toBool());
    QVERIFY(!QCoro::waitFor(AgentTokenRepository(*m_executor).authenticate(token)).ok());
}

void TestAdminViews::userSeesNoAdminActions()
{
    const ConnectionSettings settings = m_db->settings();
    MainWindow asUser(*m_executor, *m_feed, settings, settings.displayName(),
                      signedIn(kTestUser, "testuser", Role::User));
    QVERIFY(!asUser.adminActions()->available());
    QCOMPARE(asUser.adminActions()->actions().size(), 9);
    for (QAction *action : asUser.adminActions()->actions()) {
        QVERIFY2(!action->isVisible() && !action->isEnabled(), qPrintable(action->objectName()));
    }
    QVERIFY(!asUser.menuBar()->actions().contains(asUser.adminActions()->menu()->menuAction()));
    for (MainWindow::Tab tab : {MainWindow::UsersTab, MainWindow::AgentsTab, MainWindow::SessionsTab})
        QVERIFY(!asUser.model(tab)->canWrite());

    MainWindow asAdmin(*m_executor, *m_feed, settings, settings.displayName(),
                       signedIn(kAdmin, "admin", Role::Admin));
    QVERIFY(asAdmin.adminActions()->available());
    QVERIFY(asAdmin.menuBar()->actions().contains(asAdmin.adminActions()->menu()->menuAction()));
    for (QAction *action : asAdmin.adminActions()->actions())
        QVERIFY(action->isEnabled());

    // The grid cannot go around UserAdmin's rules: no role edits, no deleting users there
    PagedTableModel *users = asAdmin.model(MainWindow::UsersTab);
    QTRY_VERIFY(users->rowCount() == 3 && users->isLoaded(2));
    QVERIFY(users->flags(users->index(0, 1)) & Qt::ItemIsEditable);    // e-mail
    QVERIFY(!(users->flags(users->index(0, 2)) & Qt::ItemIsEditable)); // role
    QVERIFY(!users->removeRows(0, 1));
    QVERIFY(!users->hasStagedChanges());
}

void TestAdminViews::firstAdminDialogCreatesTheAdministrator()
{
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("DELETE FROM users"));
    FirstAdminDialog dialog(*m_executor, *m_feed, "test");
    dialog.show();
    QSignalSpy submitted(&dialog, &FirstAdminDialog::submitted);
    dialog.submit("root", "root@example.com", "short", "short");
    QCOMPARE(submitted.size(), 1);
    QVERIFY(!dialog.fieldError("password").isEmpty());
    dialog.submit("root", "root", "rootroot1", "rootroot1");
    QTRY_COMPARE(submitted.size(), 2);
    QVERIFY2(!dialog.fieldError("email").isEmpty(), qPrintable(dialog.fieldError("general")));

    dialog.submit("root", "root@example.com", "rootroot1", "rootroot1");
    QTRY_COMPARE(submitted.size(), 3);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.user().role, Role::Admin);
    QCOMPARE(m_db->scalar("SELECT role::text FROM users WHERE username = 'root'").toString(), "ADMIN");
    const Result<UserRow> login =
        QCoro::waitFor(AuthService(*m_executor).login(dialog.login(), dialog.password()));
    CCPM_VERIFY_OK(login);

    // A second desk that still shows the dialog is refused now
    FirstAdminDialog late(*m_executor, *m_feed, "test");
    QSignalSpy lateSubmitted(&late, &FirstAdminDialog::submitted);
    late.submit("boss", "boss@example.com", "bossboss", "bossboss");
    QTRY_COMPARE(lateSubmitted.size(), 1);
    QVERIFY(!late.fieldError("general").isEmpty());
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users").toInt(), 1);
}

QTEST_MAIN(TestAdminViews)
#include "tst_adminviews.moc"
