// The SQL console page, driven as a user would, on the real PostgreSQL: a statement typed and
// run with Ctrl+Enter shows its rows; an error's position is marked in the editor; read-only
// refuses an UPDATE with its message; Esc cancels a pg_sleep(60) within a second; EXPLAIN ANALYZE
// shows a plan tree; an ADMIN's write mode waits for Roll back; a USER gets no write switch;
// history and completion. Inside Studio, Ctrl+Shift+E opens it.
#include "explainplanmodel.h"
#include "exportdialog.h"
#include "queryhistory.h"
#include "sqlconsoleview.h"
#include "sqleditor.h"
#include "sqlresultmodel.h"
#include "studioview.h"
#include "testdatabase.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <QCoro/QCoroTask>

#include <memory>

using namespace ccpm;

namespace {
constexpr auto kAdmin = "cmx1zcg4000008e7dzffn89tr";
}

class TestSqlConsoleView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    void ctrlEnterShowsRows();
    void runsTheStatementUnderTheCursor();
    void errorPositionIsMarked();
    void readOnlyRefusesUpdate();
    void escapeCancelsPgSleep();
    void explainShowsPlanTree();
    void adminWritesAndRollsBack();
    void userHasNoWriteMode();
    void historyKeepsRuns();
    void completesFromTheCatalog();
    void exportsTheResult();
    void studioOpensTheConsole();

private:
    void type(const QString &text);
    bool runAndWait(int timeoutMs = 15000);
    QString userIdOf(const QString &username) const;

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<QTemporaryDir> m_historyDir;
    std::unique_ptr<SqlConsoleView> m_view;
};

void TestSqlConsoleView::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("sqlconsoleview");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QCOMPARE(userIdOf("admin"), QString(kAdmin));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
}

void TestSqlConsoleView::init()
{
    m_historyDir = std::make_unique<QTemporaryDir>();
    m_view = std::make_unique<SqlConsoleView>(*m_executor);
    m_view->setHistoryDirectory(m_historyDir->path());
    m_view->setActor(Actor{kAdmin}, Role::Admin);
    m_view->resize(1100, 650);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->editor()->setFocus();
}

void TestSqlConsoleView::cleanup()
{
    if (m_view && m_view->console() && m_view->console()->transactionOpen()) {
        m_view->rollback();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->console()->transactionOpen(), 10000);
    }
    m_view.reset();
    m_historyDir.reset();
}

void TestSqlConsoleView::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

QString TestSqlConsoleView::userIdOf(const QString &username) const
{
    return m_db->scalar(QString("select id from users where username = '%1'").arg(username)).toString();
}

void TestSqlConsoleView::type(const QString &text)
{
    m_view->editor()->clear();
    m_view->editor()->setPlainText(text);
    QTextCursor cursor = m_view->editor()->textCursor();
    cursor.movePosition(QTextCursor::End);
    m_view->editor()->setTextCursor(cursor);
}

bool TestSqlConsoleView::runAndWait(int timeoutMs)
{
    QSignalSpy finished(m_view.get(), &SqlConsoleView::runFinished);
    QTest::keyClick(m_view->editor(), Qt::Key_Return, Qt::ControlModifier);
    return finished.count() > 0 || finished.wait(timeoutMs);
}

void TestSqlConsoleView::ctrlEnterShowsRows()
{
    // Given a statement of 100,000 rows typed in the editor
    type("select g as n, 'row ' || g as label from generate_series(1, 100000) g");

    // When Ctrl+Enter runs it
    QVERIFY(runAndWait());

    // Then the grid shows its first rows, not the whole result, and the status says so
    QCOMPARE(m_view->currentResultWidget(), m_view->resultView());
    SqlResultModel *model = m_view->resultModel();
    QCOMPARE(model->columnCount(), 2);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QString("label"));
    QCOMPARE(model->index(0, 0).data().toString(), QString("1"));
    QCOMPARE(model->index(1, 1).data().toString(), QString("row 2"));
    QVERIFY(model->rowCount() >= 200);
    QVERIFY(model->rowCount() < 100000);
    QVERIFY2(m_view->statusText().contains("first"), qPrintable(m_view->statusText()));
    QVERIFY(m_view->runAction()->isEnabled());
    QVERIFY(!m_view->cancelAction()->isEnabled());
}

void TestSqlConsoleView::runsTheStatementUnderTheCursor()
{
    type("select 'first' as which;\nselect 'second' as which;\nselect 'third' as which;");
    QTextCursor cursor = m_view->editor()->textCursor();
    cursor.setPosition(int(m_view->editor()->toPlainText().indexOf("second")));
    m_view->editor()->setTextCursor(cursor);
    QVERIFY(runAndWait());
    QCOMPARE(m_view->resultModel()->index(0, 0).data().toString(), QString("second"));

    // A selection runs instead of the statement at the cursor
    const QString text = m_view->editor()->toPlainText();
    cursor.setPosition(int(text.indexOf("select 'third'")));
    cursor.setPosition(int(text.indexOf(" as which;", text.indexOf("'third'"))), QTextCursor::KeepAnchor);
    m_view->editor()->setTextCursor(cursor);
    QVERIFY(runAndWait());
    QCOMPARE(m_view->resultModel()->headerData(0, Qt::Horizontal).toString(), QString("?column?"));
    QCOMPARE(m_view->resultModel()->index(0, 0).data().toString(), QString("third"));
}

void TestSqlConsoleView::errorPositionIsMarked()
{
    // Given a second statement with a typo, the cursor in it
    const QString script = "select 1;\n\n  select *\n  frm users;";
    type(script);
    QVERIFY(!m_view->editor()->hasErrorMark());

    // When it runs
    QVERIFY(runAndWait());

    // Then the server's message shows and "frm" is marked, with the cursor on it
    QVERIFY2(m_view->statusText().contains("syntax error"), qPrintable(m_view->statusText()));
    QVERIFY(m_view->editor()->hasErrorMark());
    const int frm = int(script.indexOf("frm"));
    QCOMPARE(m_view->editor()->errorOffset(), frm);
    QCOMPARE(m_view->editor()->textCursor().position(), frm);
    QVERIFY2(m_view->messageText().contains("line 4, column 3"), qPrintable(m_view->messageText()));
    const QList<QTextEdit::ExtraSelection> marks = m_view->editor()->extraSelections();
    QCOMPARE(marks.size(), 1);
    QCOMPARE(marks.first().format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(marks.first().cursor.selectedText(), QString("frm"));

    // And editing clears the mark
    QTest::keyClick(m_view->editor(), Qt::Key_X);
    QVERIFY(!m_view->editor()->hasErrorMark());
}

void TestSqlConsoleView::readOnlyRefusesUpdate()
{
    const QString before =
        m_db->scalar("select username from users where id = '" + QString(kAdmin) + "'").toString();
    type("update users set username = 'changed'");
    QVERIFY(runAndWait());
    QVERIFY2(m_view->messageText().contains("read-only"), qPrintable(m_view->messageText()));
    QVERIFY2(m_view->messageText().contains("Write mode"), qPrintable(m_view->messageText()));
    QCOMPARE(m_view->currentResultWidget()->metaObject()->className(), "QLabel");
    QCOMPARE(m_db->scalar("select username from users where id = '" + QString(kAdmin) + "'").toString(),
             before);
}

void TestSqlConsoleView::escapeCancelsPgSleep()
{
    type("select pg_sleep(60)");
    QSignalSpy finished(m_view.get(), &SqlConsoleView::runFinished);
    QTest::keyClick(m_view->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(m_view->isRunning());
    QVERIFY(m_view->cancelAction()->isEnabled());
    QTest::qWait(300); // let the statement reach the server
    QElapsedTimer clock;
    clock.start();
    QTest::keyClick(m_view->editor(), Qt::Key_Escape);
    QVERIFY(finished.wait(5000));
    const qint64 took = clock.elapsed();
    QVERIFY2(took < 1000, qPrintable(QString("cancel took %1 ms").arg(took)));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!m_view->isRunning());
    QVERIFY2(m_view->messageText().contains("ancel"), qPrintable(m_view->messageText()));

    // The console runs again afterwards
    type("select 42");
    QVERIFY(runAndWait());
    QCOMPARE(m_view->resultModel()->index(0, 0).data().toString(), QString("42"));
}

void TestSqlConsoleView::explainShowsPlanTree()
{
    type("explain analyze select t.title, u.username from tasks t join users u on u.id = t.\"assignedTo\"");
    QVERIFY(runAndWait());
    QCOMPARE(m_view->currentResultWidget(), m_view->planView());
    ExplainPlanModel *plan = m_view->planModel();
    QVERIFY(plan->analyzed());
    QVERIFY(plan->rowCount() >= 1);
    const QModelIndex expensive = plan->mostExpensive();
    QVERIFY(expensive.isValid());
    QVERIFY(expensive.data(ExplainPlanModel::ExpensiveRole).toBool());
    QVERIFY(m_view->planView()->isExpanded(plan->index(0, 0)) || plan->rowCount(plan->index(0, 0)) == 0);
    QVERIFY2(m_view->statusText().contains("executed"), qPrintable(m_view->statusText()));
}

void TestSqlConsoleView::adminWritesAndRollsBack()
{
    const QString before = m_db->scalar("select string_agg(title, ',' order by id) from tasks").toString();
    QVERIFY(m_view->writeModeAction()->isVisible());
    QVERIFY(m_view->setWriteMode(true, false));
    type("update tasks set title = title || ' (edited)'");
    QVERIFY(runAndWait());
    const qint64 tasks = m_db->scalar("select count(*) from tasks").toLongLong();
    QVERIFY2(m_view->messageText().contains(QString("UPDATE %1").arg(tasks)),
             qPrintable(m_view->messageText()));
    QVERIFY(m_view->messageText().contains("affected"));
    QVERIFY(m_view->console()->transactionOpen());
    // Not visible to others before commit
    QCOMPARE(m_db->scalar("select string_agg(title, ',' order by id) from tasks").toString(), before);
    // Going back to read-only is refused while the transaction is open
    QVERIFY(!m_view->setWriteMode(false));

    m_view->rollback();
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->console()->transactionOpen(), 10000);
    QCOMPARE(m_db->scalar("select string_agg(title, ',' order by id) from tasks").toString(), before);
    QVERIFY(m_view->setWriteMode(false));
}

void TestSqlConsoleView::userHasNoWriteMode()
{
    m_view->setActor(Actor{userIdOf("testuser")}, Role::User);
    QVERIFY(!m_view->writeModeAction()->isVisible());
    QVERIFY(!m_view->setWriteMode(true, false));
    QVERIFY2(m_view->statusText().contains("ADMIN"), qPrintable(m_view->statusText()));
    QCOMPARE(m_view->console() ? m_view->console()->mode() : SqlConsole::Mode::ReadOnly,
             SqlConsole::Mode::ReadOnly);
}

void TestSqlConsoleView::historyKeepsRuns()
{
    type("select 'one'");
    QVERIFY(runAndWait());
    type("select 'two' from nowhere");
    QVERIFY(runAndWait());
    QueryHistory *history = m_view->history();
    QVERIFY(history);
    QCOMPARE(history->rowCount(), 2);
    QCOMPARE(history->entries().first().sql, QString("select 'two' from nowhere"));
    QCOMPARE(history->entries().first().ok, false);
    QVERIFY(QFile::exists(history->filePath()));
    QVERIFY(history->filePath().startsWith(m_historyDir->path()));
}

void TestSqlConsoleView::completesFromTheCatalog()
{
    auto job = [](QSqlDatabase &db) { return Catalog::load(db); };
    Result<SchemaCatalog> catalog = QCoro::waitFor(m_executor->exec(job));
    CCPM_VERIFY_OK(catalog);
    m_view->setCatalog(*catalog);
    SqlEditor *editor = m_view->editor();
    QVERIFY(editor->completionsFor("tas").contains("tasks"));
    QVERIFY(editor->completionsFor("sel").contains("SELECT"));
    // Columns of a table after its name; camelCase columns quoted
    const QStringList columns = editor->completionsFor("tasks.");
    QVERIFY2(columns.contains("\"assignedTo\"") && columns.contains("title"), qPrintable(columns.join(",")));
    QVERIFY(!columns.contains("username"));
    QVERIFY(editor->completionsFor("public.us").contains("users"));

    // Typing shows the popup; Return inserts the completion
    type("select * from tas");
    QTest::keyClick(editor, Qt::Key_K); // "task"
    QTRY_VERIFY(editor->completer()->popup()->isVisible());
    QTest::keyClick(editor->completer()->popup(), Qt::Key_Return);
    QCOMPARE(editor->toPlainText(), QString("select * from tasks"));
}

void TestSqlConsoleView::exportsTheResult()
{
    type("select g as n, case when g % 2 = 0 then null else 'odd, ' || g end as label "
         "from generate_series(1, 5000) g order by g");
    QVERIFY(runAndWait());
    m_view->exportResult();
    auto *dialog = m_view->findChild<ExportDialog *>();
    QVERIFY(dialog);
    QTemporaryDir dir;
    const QString file = dir.filePath("result.csv");
    dialog->setFileName(file);
    QSignalSpy finished(dialog, &ExportDialog::exportFinished);
    dialog->start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.first().trimmed(), QByteArray("n,label"));
    QCOMPARE(lines.at(1).trimmed(), QByteArray("1,\"odd, 1\""));
    QCOMPARE(lines.at(2).trimmed(), QByteArray("2,"));
    QCOMPARE(lines.at(5000).trimmed(), QByteArray("5000,"));
    dialog->close();
}

void TestSqlConsoleView::studioOpensTheConsole()
{
    StudioView studio(*m_executor);
    studio.setActor(Actor{kAdmin}, Role::Admin);
    studio.resize(1200, 700);
    studio.show();
    QVERIFY(QTest::qWaitForWindowExposed(&studio));
    QVERIFY(!studio.consoleShown());
    QTest::keyClick(&studio, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(studio.consoleShown());
    QTRY_VERIFY(studio.console()->editor()->hasFocus());
    // Ctrl+Enter is the editor's, not Studio's "Open referenced row" (Ctrl+Return)
    studio.console()->editor()->setPlainText("select 7");
    QSignalSpy finished(studio.console(), &SqlConsoleView::runFinished);
    QTest::keyClick(studio.console()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(finished.count() > 0 || finished.wait(10000));
    QCOMPARE(studio.console()->resultModel()->index(0, 0).data().toString(), QString("7"));
}

QTEST_MAIN(TestSqlConsoleView)
#include "tst_sqlconsoleview.moc"
