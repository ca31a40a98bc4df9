// The first GUI, offscreen: the login dialog against the backend's users, and the main window's
// tables and status bar (which must never show the password).
#include "changefeed.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "migrator.h"
#include "pagedtablemodel.h"
#include "statusbar.h"
#include "taskspage.h"
#include "testdatabase.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

class TestLoginWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void wrongPasswordSaysOnlyThat_data();
    void wrongPasswordSaysOnlyThat();
    void rightPasswordLogsIn();
    void fiveFailuresLockTheUsername();
    void mainWindowShowsTablesWithoutSecrets();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    ChangeFeed m_feed;
};

void TestLoginWindow::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("gui");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    // A password in the settings (the test server trusts the socket, so it is not checked):
    // it must never reach a window title, label or tooltip.
    ConnectionSettings settings = m_db->settings();
    settings.password = "S3cret-Pa55word";
    m_executor = std::make_unique<DbExecutor>(settings);
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestLoginWindow::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestLoginWindow::wrongPasswordSaysOnlyThat_data()
{
    QTest::addColumn<QString>("login");
    QTest::addColumn<QString>("password");
    QTest::newRow("wrong password") << "admin"
                                    << "admin12";
    QTest::newRow("unknown user") << "root"
                                  << "admin123";
    QTest::newRow("other user's password") << "testuser"
                                           << "admin123";
}

void TestLoginWindow::wrongPasswordSaysOnlyThat()
{
    QFETCH(QString, login);
    QFETCH(QString, password);
    LoginDialog dialog(*m_executor, m_db->settings().displayName());
    dialog.show();
    QSignalSpy finished(&dialog, &LoginDialog::attemptFinished);

    dialog.submit(login, password);
    // While the check runs off the GUI thread, the button is disabled and the event loop runs
    QVERIFY(!dialog.findChild<QLineEdit *>("login")->isEnabled());
    QTRY_COMPARE(finished.size(), 1);

    QCOMPARE(finished.first().at(0).toBool(), false);
    auto *message = dialog.findChild<QLabel *>("message");
    QCOMPARE(message->text(), QStringLiteral("Invalid username or password"));
    QVERIFY(message->isVisible());
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestLoginWindow::fiveFailuresLockTheUsername()
{
    LoginDialog dialog(*m_executor, m_db->settings().displayName());
    dialog.show();
    QSignalSpy finished(&dialog, &LoginDialog::attemptFinished);
    auto *message = dialog.findChild<QLabel *>("message");
    for (int i = 1; i <= 5; ++i) {
        dialog.submit("developer", "guess" + QString::number(i));
        QTRY_COMPARE(finished.size(), i);
        QCOMPARE(message->text(), QStringLiteral("Invalid username or password"));
    }
    // The sixth attempt, right password or not, says the username is locked for a minute
    dialog.submit("developer", "user123");
    QTRY_COMPARE(finished.size(), 6);
    QCOMPARE(finished.last().at(0).toBool(), false);
    QVERIFY2(message->text().contains("try again in a minute"), qPrintable(message->text()));
    QVERIFY(dialog.isVisible());
}

void TestLoginWindow::rightPasswordLogsIn()
{
    LoginDialog dialog(*m_executor, m_db->settings().displayName());
    dialog.show();
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    // Typing and pressing Enter, as a user would
    QTest::keyClicks(dialog.findChild<QLineEdit *>("login"), "admin@example.com");
    QTest::keyClicks(dialog.findChild<QLineEdit *>("password"), "admin123");
    QTest::keyClick(dialog.findChild<QLineEdit *>("password"), Qt::Key_Return);
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(dialog.user().username, QStringLiteral("admin"));
    QCOMPARE(dialog.user().role, Role::Admin);
}

void TestLoginWindow::mainWindowShowsTablesWithoutSecrets()
{
    UserRow admin;
    admin.username = "admin";
    ConnectionSettings settings = m_executor->settings();
    MainWindow window(*m_executor, m_feed, settings, settings.displayName(), admin);
    window.show();
    for (auto tab :
         {MainWindow::UsersTab, MainWindow::AgentsTab, MainWindow::TasksTab, MainWindow::MessagesTab})
        QTRY_COMPARE(window.view(tab)->model()->rowCount(), 3);

    // No password column, no hash in any cell
    QTableView *users = window.view(MainWindow::UsersTab);
    for (int c = 0; c < users->model()->columnCount(); ++c)
        QVERIFY(!users->model()->headerData(c, Qt::Horizontal).toString().contains("assword"));

    // The status bar names the database and the server, and a round trip arrives
    StatusBar *status = window.statusBarWidget();
    QVERIFY(status->databaseText().contains(m_db->name()));
    QTRY_VERIFY(status->serverText().startsWith("PostgreSQL 1"));
    QTRY_VERIFY(status->pingText().contains(" ms"));

    // The password is nowhere on screen
    QVERIFY(!window.windowTitle().contains("S3cret"));
    for (QLabel *label : window.findChildren<QLabel *>()) {
        QVERIFY2(!label->text().contains("S3cret"), qPrintable(label->text()));
        QVERIFY2(!label->toolTip().contains("S3cret"), qPrintable(label->toolTip()));
    }

    // Ctrl+3 shows the tasks, on the board first; the table is one switch away
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.tasksPage()->isVisible(), true);
    QVERIFY(window.tasksPage()->showsBoard());
    window.tasksPage()->showBoard(false);
    QCOMPARE(window.view(MainWindow::TasksTab)->isVisible(), true);
}

QTEST_MAIN(TestLoginWindow)
#include "tst_loginwindow.moc"
