// The Tasks tab's widgets on the backend's seeded fixture (offscreen, real server): the task
// dialog's errors at the field and its saving, the board's columns and drops (valid moves the
// task, invalid changes nothing), the assign dialog's ranking and assigning, and the
// conversation in the dialog.
#include "assigndialog.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "entityspecs.h"
#include "itemroles.h"
#include "mainwindow.h"
#include "pagedtablemodel.h"
#include "taskboardview.h"
#include "taskdialog.h"
#include "taskfilterbar.h"
#include "taskspage.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QTreeWidget>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {

const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");
const QString kExpert = QStringLiteral("cmx1zcg8p00048e7dw945wyv7");
const QString kAuthTask = QStringLiteral("cmx1zcg9100068e7d5n4xt2rz");   // ASSIGNED to AI Assistant
const QString kReviewTask = QStringLiteral("cmx1zcg9d00078e7d81lticnu"); // ASSIGNED to Human Expert
const QString kCiTask = QStringLiteral("cmx1zcg9g00088e7dw2r6u28j");     // IN_PROGRESS, Build Bot

} // namespace

class TestTaskViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void boardShowsFixtureColumns();
    void validDropMovesTheTask();
    void invalidDropChangesNothing();
    void dialogShowsErrorAtField();
    void dialogCreatesTask();
    void dialogShowsServerErrorAtField();
    void assignDialogRanksAndAssigns();
    void dialogSendsMessage();
    void mainWindowTasksTab();
    void boardFollowsOtherWriters();

private:
    QString scalar(const QString &sql) const { return m_db->scalar(sql).toString(); }
    QString statusOf(const QString &id) const
    {
        return scalar(QString("SELECT status::text FROM tasks WHERE id = '%1'").arg(id));
    }
    bool loaded(PagedTableModel *model, int rows) const
    {
        return model->countIsExact() && model->rowCount() == rows && (rows == 0 || model->isLoaded(rows - 1));
    }
    /// Drops a card on a board column's list, as a drag would end.
    bool drop(TaskBoardView &board, TaskStatus column, const QString &id, TaskStatus from, bool hasAssignee)
    {
        QListView *view = board.columnView(column);
        std::unique_ptr<QMimeData> mime(TaskBoardView::mimeFor(id, from, hasAssignee));
        QDragEnterEvent enter(QPoint(20, 20), Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &enter);
        QDropEvent dropped(QPointF(20, 20), Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &dropped);
        return enter.isAccepted() && dropped.isAccepted();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<TaskDesk> m_desk;
};

void TestTaskViews::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("taskviews");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_desk = std::make_unique<TaskDesk>(*m_executor, *m_feed);
}

void TestTaskViews::cleanupTestCase()
{
    m_desk.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestTaskViews::boardShowsFixtureColumns()
{
    TaskBoardView board(*m_executor, *m_feed, *m_desk, Actor{kAdmin});
    board.resize(1100, 500);
    QAbstractItemModelTester tester(board.columnModel(TaskStatus::Assigned),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The fixture: two ASSIGNED, one IN_PROGRESS, none elsewhere
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Assigned), 2));
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::InProgress), 1));
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Pending), 0));
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Completed), 0));
    QVERIFY(board.columnModel(TaskStatus::Assigned)->rowOf(kAuthTask) >= 0);
    QVERIFY(board.columnModel(TaskStatus::Assigned)->rowOf(kReviewTask) >= 0);
    QCOMPARE(board.columnModel(TaskStatus::InProgress)->rowOf(kCiTask), 0);
    QCOMPARE(board.columnView(TaskStatus::InProgress)
                 ->model()
                 ->index(0, specs::TaskColumns::Title)
                 .data()
                 .toString(),
             QString("Set up CI/CD pipeline"));

    // The filters: HIGH only leaves one ASSIGNED card (the auth task)
    board.setFilters({{specs::TaskColumns::Priority, KeysetQuery::Filter::Op::Equals, "HIGH"}}, std::nullopt,
                     {});
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Assigned), 1));
    QCOMPARE(board.columnModel(TaskStatus::Assigned)->rowOf(kAuthTask), 0);
    // Text search, and one status alone
    board.setFilters({}, TaskStatus::Assigned, "payment");
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Assigned), 1));
    QCOMPARE(board.columnModel(TaskStatus::Assigned)->rowOf(kReviewTask), 0);
    QVERIFY(board.columnView(TaskStatus::InProgress)->parentWidget()->isHidden());

    board.show();
    QVERIFY(QTest::qWaitForWindowExposed(&board));
    if (!qEnvironmentVariableIsEmpty("CCPM_SHOT_DIR"))
        board.grab().save(qEnvironmentVariable("CCPM_SHOT_DIR") + "/board-test.png");
}

void TestTaskViews::validDropMovesTheTask()
{
    // Given the board, with the CI task IN_PROGRESS
    TaskBoardView board(*m_executor, *m_feed, *m_desk, Actor{kAdmin});
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::InProgress), 1));
    QSignalSpy finished(&board, &TaskBoardView::moveFinished);
    // When its card is dropped on COMPLETED
    QVERIFY(drop(board, TaskStatus::Completed, kCiTask, TaskStatus::InProgress, true));
    // Then the task is COMPLETED with completedAt, and the columns show it there
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(statusOf(kCiTask), QString("COMPLETED"));
    QVERIFY(
        !m_db->scalar(QString("SELECT \"completedAt\" FROM tasks WHERE id = '%1'").arg(kCiTask)).isNull());
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Completed), 1));
    QCOMPARE(board.columnModel(TaskStatus::Completed)->rowOf(kCiTask), 0);
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::InProgress), 0));
}

void TestTaskViews::invalidDropChangesNothing()
{
    TaskBoardView board(*m_executor, *m_feed, *m_desk, Actor{kAdmin});
    QTRY_VERIFY(loaded(board.columnModel(TaskStatus::Completed), 1));
    QSignalSpy messages(&board, &TaskBoardView::message);
    QSignalSpy finished(&board, &TaskBoardView::moveFinished);
    const QStringList before = m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt"});
    // A completed task is final; an assigned one cannot jump to COMPLETED
    QVERIFY(!drop(board, TaskStatus::Pending, kCiTask, TaskStatus::Completed, true));
    QVERIFY(!messages.isEmpty());
    QVERIFY(messages.last().at(0).toString().contains("final"));
    QVERIFY(!drop(board, TaskStatus::Completed, kAuthTask, TaskStatus::Assigned, true));
    QVERIFY(!board.moveTask(kAuthTask, TaskStatus::Assigned, true, TaskStatus::Failed));
    QTest::qWait(200); // nothing may arrive: no move was started
    QVERIFY(finished.isEmpty());
    QCOMPARE(m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt"}), before);
}

void TestTaskViews::dialogShowsErrorAtField()
{
    const QString count = scalar("SELECT count(*) FROM tasks");
    TaskDialog dialog(*m_desk, Actor{kAdmin});
    dialog.titleEdit()->setText("A");
    dialog.descriptionEdit()->setPlainText("Long enough description");
    dialog.save();
    QVERIFY(dialog.fieldError("title").contains("2 to 100"));
    QVERIFY(dialog.fieldError("description").isEmpty());
    QVERIFY(!dialog.isSaving());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(dialog.titleEdit()->text(), QString("A")); // what was typed stays
    dialog.titleEdit()->setText("A good title");
    dialog.hoursEdit()->setText("soon");
    dialog.save();
    QVERIFY(dialog.fieldError("title").isEmpty());
    QVERIFY(!dialog.fieldError("estimatedHours").isEmpty());
    QCOMPARE(scalar("SELECT count(*) FROM tasks"), count);
}

void TestTaskViews::dialogCreatesTask()
{
    TaskDialog dialog(*m_desk, Actor{kAdmin});
    QSignalSpy saved(&dialog, &TaskDialog::saved);
    dialog.titleEdit()->setText("Write the installer");
    dialog.descriptionEdit()->setPlainText("An installer for every platform we ship.");
    dialog.priorityBox()->setCurrentIndex(2);
    dialog.tagsEdit()->setText("deployment, testing");
    dialog.hoursEdit()->setText("6");
    dialog.save();
    QVERIFY(dialog.isSaving());
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const QString id = saved.at(0).at(0).value<TaskRow>().id;
    QCOMPARE(
        scalar(QString("SELECT title || '|' || priority || '|' || status || '|' || metadata::text FROM tasks "
                       "WHERE id = '%1'")
                   .arg(id)),
        QString(
            R"(Write the installer|HIGH|PENDING|{"tags": ["deployment", "testing"], "estimatedHours": 6})"));
}

void TestTaskViews::dialogShowsServerErrorAtField()
{
    // Given an edit dialog, and someone else saving the task meanwhile
    TaskDialog dialog(*m_desk, Actor{kAdmin}, kReviewTask);
    QTRY_VERIFY(dialog.isLoaded());
    QCOMPARE(dialog.titleEdit()->text(), QString("Code review for payment module"));
    QSqlQuery q(m_db->connection());
    QVERIFY(
        q.exec(QString("UPDATE tasks SET \"updatedAt\" = \"updatedAt\" + interval '1 second' WHERE id = '%1'")
                   .arg(kReviewTask)));
    dialog.titleEdit()->setText("Review the payment module");
    dialog.save();
    // Then the conflict shows in the dialog, which stays open with what was typed
    QTRY_VERIFY(!dialog.fieldError("").isEmpty());
    QVERIFY(!dialog.isSaving());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(dialog.titleEdit()->text(), QString("Review the payment module"));
}

void TestTaskViews::assignDialogRanksAndAssigns()
{
    TaskDraft d;
    d.title = "Deploy the release";
    d.description = "Build, test and deploy version 2.0.";
    d.tags = {"deployment", "testing", "mentoring"};
    const Result<TaskRow> task = QCoro::waitFor(m_desk->create(Actor{kAdmin}, d));
    CCPM_VERIFY_OK(task);
    AssignDialog dialog(*m_desk, Actor{kAdmin}, *task, nullptr);
    QTRY_VERIFY(dialog.isLoaded());
    QTreeWidget *list = dialog.list();
    QCOMPARE(list->topLevelItemCount(), 3);
    QCOMPARE(list->topLevelItem(0)->text(0), QString("Build Bot"));
    QCOMPARE(list->topLevelItem(0)->text(3), QString("2/3"));
    QCOMPARE(list->topLevelItem(1)->text(0), QString("Human Expert"));
    QCOMPARE(list->topLevelItem(1)->text(3), QString("1/3"));
    QCOMPARE(list->topLevelItem(2)->text(3), QString("0/3"));
    QCOMPARE(
        list->topLevelItem(0)->text(4),
        scalar("SELECT count(*) FROM tasks WHERE \"assignedTo\" = 'cmx1zcg8u00058e7dt2kazxzd' AND status IN "
               "('PENDING','ASSIGNED','IN_PROGRESS')"));

    QSignalSpy changed(&dialog, &AssignDialog::changed);
    list->setCurrentItem(list->topLevelItem(1));
    dialog.assignSelected();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(
        scalar(QString("SELECT status || ' ' || \"assignedTo\" FROM tasks WHERE id = '%1'").arg(task->id)),
        "ASSIGNED " + kExpert);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestTaskViews::dialogSendsMessage()
{
    TaskDialog dialog(*m_desk, Actor{kAdmin}, kAuthTask);
    QTRY_COMPARE(dialog.conversationLines().size(), 1);
    QCOMPARE(dialog.conversationLines().at(0), QString("AI Assistant → admin: Started on the login flow."));
    QSignalSpy sent(&dialog, &TaskDialog::messageSent);
    dialog.messageEdit()->setPlainText("Please add two-factor login too.");
    dialog.sendMessage();
    QTRY_COMPARE(sent.size(), 1);
    QTRY_COMPARE(dialog.conversationLines().size(), 2);
    QCOMPARE(dialog.conversationLines().at(1),
             QString("admin → AI Assistant: Please add two-factor login too."));
    QVERIFY(dialog.messageEdit()->toPlainText().isEmpty());
    QCOMPARE(scalar("SELECT count(*) FROM messages WHERE content = 'Please add two-factor login too.' AND "
                    "\"senderType\" = 'USER' AND \"receiverType\" = 'AGENT'"),
             QString("1"));
}

void TestTaskViews::mainWindowTasksTab()
{
    UserRow admin;
    admin.id = kAdmin;
    admin.username = "admin";
    admin.role = Role::Admin;
    MainWindow window(*m_executor, *m_feed, m_db->settings(), "test", admin);
    window.showTab(MainWindow::TasksTab);
    TasksPage *page = window.tasksPage();
    QVERIFY(page);
    QVERIFY(page->showsBoard());
    QVERIFY(window.model(MainWindow::TasksTab)); // the table is still the window's tasks model
    QCOMPARE(page->newTaskAction()->shortcut(), QKeySequence(QKeySequence::New));
    page->showBoard(false);
    QVERIFY(!page->showsBoard());
    // The shared filter bar reaches the table's model
    page->filterBar()->priorityBox()->setCurrentIndex(3); // High
    QTRY_COMPARE(window.model(MainWindow::TasksTab)->rowCount(),
                 m_db->scalar("SELECT count(*) FROM tasks WHERE priority = 'HIGH'").toInt());
}

void TestTaskViews::boardFollowsOtherWriters()
{
    // Given the board and a new unassigned task in its PENDING column
    TaskDraft draft;
    draft.title = "Rotate the signing keys";
    draft.description = "Rotate the release signing keys before the audit.";
    const Result<TaskRow> created = QCoro::waitFor(m_desk->create(Actor{kAdmin}, draft));
    CCPM_VERIFY_OK(created);
    const QString id = created->id;
    TaskBoardView board(*m_executor, *m_feed, *m_desk, Actor{kAdmin});
    PagedTableModel *pending = board.columnModel(TaskStatus::Pending);
    PagedTableModel *inProgress = board.columnModel(TaskStatus::InProgress);
    QTRY_VERIFY(pending->countIsExact() && pending->rowOf(id) >= 0);
    QTRY_VERIFY(inProgress->countIsExact());
    QSignalSpy pendingReset(pending, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inProgressReset(inProgress, &QAbstractItemModel::modelAboutToBeReset);

    // When another writer (the hub, as an agent claims it) moves it to IN_PROGRESS
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        QString("UPDATE tasks SET status = 'IN_PROGRESS', \"updatedAt\" = now() WHERE id = '%1'").arg(id)));
    m_feed->publish("tasks", id, ChangeFeed::Op::Update, "hub");

    // Then the card leaves one column and shows in the other, without a reset of either
    QTRY_COMPARE(pending->rowOf(id), -1);
    QTRY_VERIFY(inProgress->rowOf(id) >= 0);
    QCOMPARE(pendingReset.size(), 0);
    QCOMPARE(inProgressReset.size(), 0);
}

QTEST_MAIN(TestTaskViews)
#include "tst_taskviews.moc"
