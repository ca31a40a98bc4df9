// The main window's tools (issue #5): the Dashboard tab first, Help > Health, Ctrl+K "Jump to…",
// the main toolbar and the keyboard shortcuts.
#include "dashboardview.h"
#include "databasebanner.h"
#include "databasewatch.h"
#include "healthdialog.h"
#include "hubstatus.h"
#include "mainwindow.h"
#include "pagedtablemodel.h"
#include "quickswitcher.h"
#include "statusbar.h"
#include "testdatabase.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolBar>

using namespace ccpm;

class TestMainWindowTools : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void dashboardIsTheFirstTab();
    void healthDialogShowsDatabaseMigrationsAndHub();
    void jumpToFiltersTheViews();
    void shortcutsAndToolbar();
    void sessionsTabListsActiveSessionsOnly();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    ChangeFeed m_feed;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindowTools::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("mainwindowtools"));
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestMainWindowTools::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestMainWindowTools::init()
{
    UserRow admin;
    admin.id = "cmx1zcg4000008e7dzffn89tr";
    admin.username = "admin";
    admin.role = Role::Admin;
    m_window = std::make_unique<MainWindow>(*m_executor, m_feed, m_db->settings(), m_db->name(), admin);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindowTools::cleanup()
{
    m_window.reset();
}

void TestMainWindowTools::dashboardIsTheFirstTab()
{
    auto *tabs = m_window->findChild<QTabWidget *>();
    QVERIFY(tabs);
    QCOMPARE(tabs->widget(0), m_window->dashboard());
    QCOMPARE(tabs->currentWidget(), m_window->dashboard());
    QTRY_VERIFY2(m_window->dashboard()->hasStats(),
                 qPrintable(m_window->dashboard()->findChild<QLabel *>()->text()));
    QCOMPARE(m_window->dashboard()->stats().tasks(), 3);

    // The tables keep their Tab numbers (Ctrl+1..5), the dashboard has Ctrl+0
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QVERIFY(m_window->tabWidget(MainWindow::TasksTab)->isVisible()); // the board, or the table
    QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
    QVERIFY(m_window->dashboard()->isVisible());
    m_window->showTab(MainWindow::SessionsTab);
    QVERIFY(m_window->view(MainWindow::SessionsTab)->isVisible());

    // The database answers: no banner, and the status bar shows the round trip
    QTRY_VERIFY(m_window->databaseWatch()->isAvailable());
    QVERIFY(m_window->databaseBanner()->isHidden());
    QTRY_VERIFY(m_window->statusBarWidget()->pingText().contains(" ms"));
}

void TestMainWindowTools::healthDialogShowsDatabaseMigrationsAndHub()
{
    // Given a hub status the app would feed
    HubStatus hub;
    m_window->setHubStatus(hub);
    QCOMPARE(m_window->statusBarWidget()->hubText(), QStringLiteral("Hub: off"));

    // When Help > Health is opened
    m_window->showHealth();
    auto *dialog = m_window->findChild<HealthDialog *>();
    QVERIFY(dialog);

    // Then it shows the database, the server and the migrations
    QTRY_COMPARE(dialog->value("reachable"), QStringLiteral("yes"));
    QVERIFY2(dialog->value("roundTrip").endsWith(" ms"), qPrintable(dialog->value("roundTrip")));
    QTRY_VERIFY2(dialog->value("server").startsWith("PostgreSQL 1"), qPrintable(dialog->value("server")));
    QTRY_COMPARE(dialog->value("applied"), QString::number(Migrator::available().size()));
    QCOMPARE(dialog->value("pending"), QStringLiteral("0"));
    QVERIFY(dialog->value("database").contains(m_db->name()));
    QCOMPARE(dialog->value("hub"), QStringLiteral("off"));

    // And it follows the hub
    hub.setRunning(QUrl("ws://127.0.0.1:8765"), 3);
    QCOMPARE(dialog->value("hub"), QStringLiteral("ws://127.0.0.1:8765"));
    QCOMPARE(dialog->value("connections"), QStringLiteral("3"));
    QVERIFY2(m_window->statusBarWidget()->hubText().contains("3 agents"),
             qPrintable(m_window->statusBarWidget()->hubText()));

    // Opening it again raises the same dialog
    m_window->showHealth();
    QCOMPARE(m_window->findChildren<HealthDialog *>().size(), 1);
    dialog->close();
}

namespace {

QuickSwitcher *openSwitcher(QWidget *window)
{
    for (QuickSwitcher *s : window->findChildren<QuickSwitcher *>()) {
        if (s->isVisible())
            return s; // a closed one may wait for its deleteLater()
    }
    return nullptr;
}

} // namespace

void TestMainWindowTools::jumpToFiltersTheViews()
{
    // When Ctrl+K is pressed
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QuickSwitcher *jump = nullptr;
    QTRY_VERIFY((jump = openSwitcher(m_window.get())));
    QCOMPARE(jump->visibleViews(),
             (QStringList{"Dashboard", "Users", "Agents", "Tasks", "Messages", "Sessions", "Studio"}));

    // Then typing filters, and Enter opens the one left
    QTest::keyClicks(jump->input(), "mes");
    QCOMPARE(jump->visibleViews(), QStringList{"Messages"});
    QTest::keyClick(jump->input(), Qt::Key_Return);
    QVERIFY(m_window->view(MainWindow::MessagesTab)->isVisible());

    // Down moves through what matches; nothing matching keeps it open
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY((jump = openSwitcher(m_window.get())));
    QTest::keyClicks(jump->input(), "E");
    QCOMPARE(jump->visibleViews(), (QStringList{"Users", "Agents", "Messages", "Sessions"}));
    QTest::keyClick(jump->input(), Qt::Key_Down);
    QTest::keyClick(jump->input(), Qt::Key_Return);
    QVERIFY(m_window->view(MainWindow::AgentsTab)->isVisible());
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY((jump = openSwitcher(m_window.get())));
    QTest::keyClicks(jump->input(), "zzz");
    QVERIFY(jump->visibleViews().isEmpty());
    QTest::keyClick(jump->input(), Qt::Key_Return);
    QVERIFY(jump->isVisible());
    QTest::keyClick(jump->input(), Qt::Key_Escape);
    QTRY_VERIFY(!openSwitcher(m_window.get()));
}

void TestMainWindowTools::shortcutsAndToolbar()
{
    QList<QKeySequence> keys;
    for (QAction *action : m_window->findChildren<QAction *>())
        keys << action->shortcuts();
    for (const QKeySequence &wanted :
         {QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_F), QKeySequence(Qt::CTRL | Qt::Key_S),
          QKeySequence(Qt::CTRL | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y),
          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_K)})
        QVERIFY2(keys.contains(wanted), qPrintable(wanted.toString()));

    // Ctrl+Y redoes
    m_window->showTab(MainWindow::TasksTab);
    PagedTableModel *tasks = m_window->model(MainWindow::TasksTab);
    QTRY_COMPARE(tasks->rowCount(), 3);
    QTRY_VERIFY(tasks->isLoaded(0) && tasks->countIsExact());
    const QModelIndex title = tasks->index(0, 0);
    const QString before = title.data().toString();
    QVERIFY(tasks->setData(title, "Renamed by the shortcut test"));
    QTest::keyClick(m_window->view(MainWindow::TasksTab), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(tasks->index(0, 0).data().toString(), before);
    QTest::keyClick(m_window->view(MainWindow::TasksTab), Qt::Key_Y, Qt::ControlModifier);
    QCOMPARE(tasks->index(0, 0).data().toString(), QStringLiteral("Renamed by the shortcut test"));
    tasks->discard();

    // The toolbar carries new task, save, undo, redo, refresh, filter and jump
    QToolBar *bar = m_window->mainToolBar();
    QVERIFY(bar);
    int actions = 0;
    for (QAction *action : bar->actions())
        actions += action->isSeparator() ? 0 : 1;
    QCOMPARE(actions, 7);
}

void TestMainWindowTools::sessionsTabListsActiveSessionsOnly()
{
    // Given a session that expired an hour ago and one that ends in an hour
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        "INSERT INTO sessions (id, \"userId\", token, \"expiresAt\") VALUES "
        "('s-expired', 'cmx1zcg6600018e7dfr0y0buw', 'h1', (now() AT TIME ZONE 'UTC') - interval '1 hour'), "
        "('s-live', 'cmx1zcg6600018e7dfr0y0buw', 'h2', (now() AT TIME ZONE 'UTC') + interval '1 hour')"));
    // When the Sessions tab loads again (F5)
    m_window->reloadAll();
    PagedTableModel *sessions = m_window->model(MainWindow::SessionsTab);
    // Then it lists the live one only
    QTRY_VERIFY(sessions->countIsExact() && sessions->rowOf("s-live") >= 0);
    QCOMPARE(sessions->rowOf("s-expired"), -1);
    QVERIFY(q.exec("DELETE FROM sessions WHERE id IN ('s-expired', 's-live')"));
}

QTEST_MAIN(TestMainWindowTools)
#include "tst_mainwindowtools.moc"
