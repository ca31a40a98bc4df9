// The SQL console's engine and result grid (issue 9) on the real PostgreSQL: cursor paging of a
// 1,000,000-row result with bounded memory, read-only refusal, write mode with commit and
// rollback (ADMIN only), cancel, statement timeout, error position, direct results.
#include "sqlconsole.h"
#include "sqlconsolesession.h"
#include "sqlresultmodel.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ccpm;

namespace {

constexpr auto kAdmin = "cmx1zcg4000008e7dzffn89tr";
constexpr auto kTestUser = "cmx1zcg6600018e7dfr0y0buw";
constexpr int kBigRows = 1000000;

template <typename T>
T wait(QCoro::Task<T> task)
{
    return QCoro::waitFor(std::move(task));
}

} // namespace

class TestSqlConsole : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void firstKeyword_data();
    void firstKeyword();
    void firstPageArrivesBeforeTheWholeResult();
    void modelPagesAMillionRowsInBoundedMemory();
    void modelContract();
    void directResultsAndTypes();
    void readOnlyRefusesUpdate();
    void writeModeReportsAffectedRowsAndRollsBack();
    void writeModeCommits();
    void failedStatementKeepsTheWriteTransaction();
    void userCannotWrite();
    void cancelInWriteModeKeepsTheTransaction();
    void destroyingTheConsoleRollsBack();
    void idleReadOnlyResultIsClosed();
    void committedWritesReachTheDesksListener();
    void transactionControlIsRefused();
    void cancelStopsPgSleepWithinASecond();
    void statementTimeoutFires();
    void errorPositionIsReported_data();
    void errorPositionIsReported();
    void exportsTheResultAsCsv();

private:
    std::unique_ptr<SqlConsole> console(const char *user = kAdmin) const
    {
        return std::make_unique<SqlConsole>(m_db->settings(), Actor{QString::fromLatin1(user)});
    }
    std::unique_ptr<TestDatabase> m_db;
};

void TestSqlConsole::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("sqlconsole");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("CREATE TABLE big (id int NOT NULL, name text)"));
    // One statement: a million rows in about a second.
    QVERIFY(q.exec(
        QStringLiteral("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, %1) g").arg(kBigRows)));
    QVERIFY(q.exec("CREATE TABLE small (id int PRIMARY KEY, name text)"));
    QVERIFY(q.exec("INSERT INTO small SELECT g, 'name ' || g FROM generate_series(1, 10) g"));
}

void TestSqlConsole::cleanupTestCase()
{
    m_db.reset();
}

void TestSqlConsole::firstKeyword_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<QString>("keyword");
    QTest::newRow("select") << "  select 1"
                            << "SELECT";
    QTest::newRow("comments") << "-- hi\n/* a /* nested */ b */ WITH x AS (select 1) select * from x"
                              << "WITH";
    QTest::newRow("parenthesis") << "(select 1) union (select 2)"
                                 << "(";
    QTest::newRow("update") << "update t set a = 1"
                            << "UPDATE";
    QTest::newRow("empty") << " -- nothing\n ;"
                           << ";";
    QTest::newRow("blank") << "  \n"
                           << "";
}

void TestSqlConsole::firstKeyword()
{
    QFETCH(QString, statement);
    QFETCH(QString, keyword);
    QCOMPARE(SqlConsoleSession::firstKeyword(statement), keyword);
}

void TestSqlConsole::firstPageArrivesBeforeTheWholeResult()
{
    // Given a statement whose whole result would take 1,000 s (1 ms of sleep per row)
    auto c = console();
    c->setStatementTimeout(10000);
    QElapsedTimer clock;
    clock.start();
    // When it runs
    const Result<SqlConsole::Outcome> outcome = wait(c->run("select id, name, pg_sleep(0.001) from big"));
    // Then its first page comes through the cursor well within the 10 s timeout
    CCPM_VERIFY_OK(outcome);
    QVERIFY(outcome->cursor);
    QVERIFY(!outcome->atEnd);
    QCOMPARE(outcome->rows.size(), SqlConsole::kPageRows);
    QCOMPARE(outcome->rows.first().first().toString(), "1");
    QCOMPARE(outcome->rows.last().first().toString(), "200");
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(c->currentResultId(), outcome->resultId);
    QVERIFY(!c->transactionOpen()); // a read-only cursor is not a write transaction
}

void TestSqlConsole::modelPagesAMillionRowsInBoundedMemory()
{
    auto c = console();
    const Result<SqlConsole::Outcome> outcome = wait(c->run("SELECT * FROM big;"));
    CCPM_VERIFY_OK(outcome);
    QVERIFY(outcome->cursor);
    QCOMPARE(outcome->columns.size(), 2);
    QCOMPARE(outcome->columns.at(0).typeName, "integer");
    QCOMPARE(outcome->columns.at(1).name, "name");

    SqlResultModel model;
    model.setResult(c.get(), *outcome);
    // The first page only: the row count grows as the view asks for more
    QCOMPARE(model.rowCount(), 200);
    QVERIFY(!model.rowCountExact());
    QVERIFY(model.canFetchMore({}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QTRY_COMPARE(model.rowCount(), 400);
    QCOMPARE(model.index(399, 0).data().toString(), "400");

    // Counting (MOVE FORWARD ALL) makes the whole result scrollable
    QSignalSpy known(&model, &SqlResultModel::rowCountKnown);
    model.countRows();
    QTRY_COMPARE(known.size(), 1);
    QCOMPARE(model.rowCount(), kBigRows);
    QVERIFY(model.rowCountExact());

    // Rows at 500,000 and at the end: a placeholder, then the row
    for (int row : {500000, kBigRows - 1, 0, 123456}) {
        const QModelIndex index = model.index(row, 0);
        if (model.data(index, SqlResultModel::RawValueRole).isValid())
            continue;
        QCOMPARE(index.data().toString(), QString(QChar(0x2026)));
        QTRY_COMPARE(index.data().toString(), QString::number(row + 1));
        QCOMPARE(model.index(row, 1).data().toString(), QStringLiteral("row %1").arg(row + 1));
    }
    // Scrolling through many more pages keeps at most kMaxPages of them
    const int cap = SqlResultModel::kPageRows * SqlResultModel::kMaxPages;
    for (int row = 0; row < kBigRows; row += kBigRows / 40) {
        const QModelIndex index = model.index(row, 0);
        index.data();
        QTRY_COMPARE(index.data().toString(), QString::number(row + 1));
        QVERIFY2(model.cachedRowCount() <= cap, qPrintable(QString::number(model.cachedRowCount())));
    }
    QVERIFY(model.cachedRowCount() > 0);
    QCOMPARE(model.index(kBigRows - 1, 1).data(SqlResultModel::NullRole), QVariant());
}

void TestSqlConsole::modelContract()
{
    auto c = console();
    const Result<SqlConsole::Outcome> outcome = wait(
        c->run("select g, case when g % 7 = 0 then null else g::text end from generate_series(1, 1000) g"));
    CCPM_VERIFY_OK(outcome);
    SqlResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResult(c.get(), *outcome);
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        QTRY_VERIFY(model.rowCount() > before || model.rowCountExact());
    }
    QCOMPARE(model.rowCount(), 1000);
    QTRY_COMPARE(model.index(6, 1).data(SqlResultModel::NullRole), QVariant(true));
    QCOMPARE(model.index(6, 1).data().toString(), "NULL");
    QVERIFY(!model.index(6, 1).data(SqlResultModel::RawValueRole).isValid());
    QCOMPARE(model.index(999, 0).data().toString(), "1000");
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestSqlConsole::directResultsAndTypes()
{
    auto c = console();
    // EXPLAIN is not a cursor's query: its rows come whole
    Result<SqlConsole::Outcome> explain = wait(c->run("explain select * from big where id = 1"));
    CCPM_VERIFY_OK(explain);
    QVERIFY(!explain->cursor);
    QVERIFY(explain->atEnd);
    QCOMPARE(explain->commandTag, "EXPLAIN");
    QStringList plan;
    for (const SqlConsole::Row &row : explain->rows)
        plan << row.first().toString();
    QVERIFY2(plan.join('\n').contains("Seq Scan on big"), qPrintable(plan.join('\n')));

    Result<SqlConsole::Outcome> show = wait(c->run("show statement_timeout"));
    CCPM_VERIFY_OK(show);
    QCOMPARE(show->rows.first().first().toString(), "30s");

    Result<SqlConsole::Outcome> typed =
        wait(c->run("select 1::int as a, 'x'::varchar(5) as b, null::text as c, '\\x01'::bytea as d"));
    CCPM_VERIFY_OK(typed);
    QCOMPARE(typed->columns.at(0).typeName, "integer");
    QCOMPARE(typed->columns.at(1).typeName, "character varying(5)");
    QCOMPARE(typed->columns.at(2).typeName, "text");
    QVERIFY(!typed->rows.first().at(2).isValid());
    QCOMPARE(typed->rows.first().at(3).toString(), "\\x01");
    QVERIFY(typed->atEnd);
}

void TestSqlConsole::readOnlyRefusesUpdate()
{
    auto c = console();
    QCOMPARE(c->mode(), SqlConsole::Mode::ReadOnly);
    const Result<SqlConsole::Outcome> r = wait(c->run("update small set name = 'x' where id = 1"));
    QVERIFY(!r);
    QCOMPARE(r.error().sqlState, "25006");
    QVERIFY2(r.error().message.contains("read-only") && r.error().message.contains("Write mode"),
             qPrintable(r.error().message));
    // A data-modifying WITH is not a cursor's query, and is refused the same way
    const Result<SqlConsole::Outcome> with =
        wait(c->run("with u as (update small set name = 'x' returning id) select * from u"));
    QVERIFY(!with);
    QCOMPARE(with.error().sqlState, "25006");
    QCOMPARE(m_db->scalar("select name from small where id = 1").toString(), "name 1");
    QVERIFY(!c->transactionOpen());
}

void TestSqlConsole::writeModeReportsAffectedRowsAndRollsBack()
{
    auto c = console();
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    QSignalSpy open(c.get(), &SqlConsole::transactionOpenChanged);
    const Result<SqlConsole::Outcome> r = wait(c->run("update small set name = 'changed' where id <= 3"));
    CCPM_VERIFY_OK(r);
    QCOMPARE(r->affectedRows, 3);
    QCOMPARE(r->commandTag, "UPDATE 3");
    QVERIFY(r->transactionOpen);
    QVERIFY(c->transactionOpen());
    QCOMPARE(open.size(), 1);
    // Uncommitted: another connection sees the old value, and the mode cannot change
    QCOMPARE(m_db->scalar("select name from small where id = 2").toString(), "name 2");
    QVERIFY(!c->setMode(SqlConsole::Mode::ReadOnly));
    // The console's own transaction sees its change
    const Result<SqlConsole::Outcome> seen = wait(c->run("select name from small where id = 2"));
    CCPM_VERIFY_OK(seen);
    QCOMPARE(seen->rows.first().first().toString(), "changed");

    CCPM_VERIFY_OK(wait(c->rollback()));
    QVERIFY(!c->transactionOpen());
    QCOMPARE(m_db->scalar("select count(*) from small where name = 'changed'").toInt(), 0);
    QVERIFY(c->setMode(SqlConsole::Mode::ReadOnly));
}

void TestSqlConsole::writeModeCommits()
{
    auto c = console();
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    // SELECT … INTO cannot be a cursor's query: it runs directly
    const Result<SqlConsole::Outcome> into = wait(c->run("select * into small_copy from small"));
    CCPM_VERIFY_OK(into);
    QCOMPARE(into->affectedRows, 10);
    const Result<SqlConsole::Outcome> r = wait(c->run("insert into small values (100, 'new') returning id"));
    CCPM_VERIFY_OK(r);
    QCOMPARE(r->affectedRows, 1);
    QCOMPARE(r->rows.first().first().toString(), "100");
    CCPM_VERIFY_OK(wait(c->commit()));
    QVERIFY(!c->transactionOpen());
    QCOMPARE(m_db->scalar("select name from small where id = 100").toString(), "new");
    QCOMPARE(m_db->scalar("select count(*) from small_copy").toInt(), 10);
    QVERIFY(!wait(c->commit()).ok()); // nothing left to commit
}

void TestSqlConsole::failedStatementKeepsTheWriteTransaction()
{
    auto c = console();
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    CCPM_VERIFY_OK(wait(c->run("update small set name = 'kept' where id = 5")));
    const Result<SqlConsole::Outcome> dup = wait(c->run("insert into small values (5, 'dup')"));
    QVERIFY(!dup);
    QCOMPARE(dup.error().kind, Error::Kind::Constraint);
    QVERIFY(c->transactionOpen());
    CCPM_VERIFY_OK(wait(c->commit()));
    QCOMPARE(m_db->scalar("select name from small where id = 5").toString(), "kept");
}

void TestSqlConsole::userCannotWrite()
{
    auto c = console(kTestUser);
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    const Result<SqlConsole::Outcome> r = wait(c->run("update small set name = 'user' where id = 1"));
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Forbidden);
    QVERIFY(!c->transactionOpen());
    QCOMPARE(m_db->scalar("select name from small where id = 1").toString(), "name 1");
    // Reading stays allowed
    QVERIFY(c->setMode(SqlConsole::Mode::ReadOnly));
    CCPM_VERIFY_OK(wait(c->run("select 1")));
}

void TestSqlConsole::cancelInWriteModeKeepsTheTransaction()
{
    auto c = console();
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    CCPM_VERIFY_OK(wait(c->run("update small set name = 'before cancel' where id = 6")));
    QTimer::singleShot(300, c.get(), [&] { c->cancel(); });
    const Result<SqlConsole::Outcome> r = wait(c->run("select pg_sleep(30)"));
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    // Only the cancelled statement is undone
    QVERIFY(c->transactionOpen());
    const Result<SqlConsole::Outcome> seen = wait(c->run("select name from small where id = 6"));
    CCPM_VERIFY_OK(seen);
    QCOMPARE(seen->rows.first().first().toString(), "before cancel");
    CCPM_VERIFY_OK(wait(c->rollback()));
    QCOMPARE(m_db->scalar("select name from small where id = 6").toString(), "name 6");
}

void TestSqlConsole::destroyingTheConsoleRollsBack()
{
    const QString openTransactions =
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and state like 'idle in transaction%'";
    // The consoles of earlier tests may still be closing their connections
    QTRY_COMPARE(m_db->scalar(openTransactions).toInt(), 0);
    auto c = console();
    QVERIFY(c->setMode(SqlConsole::Mode::Write));
    CCPM_VERIFY_OK(wait(c->run("delete from small where id = 7")));
    QCOMPARE(m_db->scalar(openTransactions).toInt(), 1);
    c.reset(); // its connection closes: the server rolls back
    QTRY_COMPARE(m_db->scalar(openTransactions).toInt(), 0);
    QCOMPARE(m_db->scalar("select count(*) from small where id = 7").toInt(), 1);
}

void TestSqlConsole::idleReadOnlyResultIsClosed()
{
    const QString openTransactions =
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and state like 'idle in transaction%'";
    QTRY_COMPARE(m_db->scalar(openTransactions).toInt(), 0); // earlier consoles, still closing
    auto c = console();
    c->setIdleClose(300);
    const Result<SqlConsole::Outcome> outcome = wait(c->run("select * from big"));
    CCPM_VERIFY_OK(outcome);
    QCOMPARE(m_db->scalar(openTransactions).toInt(), 1);
    QSignalSpy closed(c.get(), &SqlConsole::resultClosed);
    QTRY_COMPARE(closed.size(), 1);
    QTRY_COMPARE(m_db->scalar(openTransactions).toInt(), 0);
    const Result<SqlConsole::Page> page = wait(c->fetch(outcome->resultId, 200, 200));
    QVERIFY(!page);
    QCOMPARE(page.error().kind, Error::Kind::Invalid);
}

void TestSqlConsole::committedWritesReachTheDesksListener()
{
    // Given a migrated database (the change triggers) and a desk whose listener skips its own origin
    DbExecutor executor(m_db->settings(), 1);
    CCPM_VERIFY_OK(TestDatabase::migrate(executor));
    ConnectionSettings desk = m_db->settings();
    desk.changeOrigin = "desk-test";
    QSqlDatabase listener = m_db->connection();
    QVERIFY(listener.driver()->subscribeToNotification("ccpm_changes"));
    QStringList payloads;
    connect(listener.driver(), &QSqlDriver::notification, this,
            [&](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                payloads << payload.toString();
            });
    // When the desk's console updates a user and commits
    SqlConsole c(desk, Actor{kAdmin});
    QVERIFY(c.setMode(SqlConsole::Mode::Write));
    CCPM_VERIFY_OK(wait(c.run("update users set email = 'dev2@example.com' where username = 'developer'")));
    QTest::qWait(200);
    QVERIFY(payloads.isEmpty()); // nothing before the commit
    CCPM_VERIFY_OK(wait(c.commit()));
    // Then the change is announced with the console's origin, which is not the desk's
    QTRY_COMPARE(payloads.size(), 1);
    const QJsonObject notice = QJsonDocument::fromJson(payloads.first().toUtf8()).object();
    QCOMPARE(notice.value("t").toString(), "users");
    QCOMPARE(notice.value("o").toString(), "desk-test-console");
    listener.driver()->unsubscribeFromNotification("ccpm_changes");
}

void TestSqlConsole::transactionControlIsRefused()
{
    auto c = console();
    for (const char *statement : {"commit", "BEGIN", "  rollback;", "savepoint a"}) {
        const Result<SqlConsole::Outcome> r = wait(c->run(QString::fromLatin1(statement)));
        QVERIFY2(!r && r.error().kind == Error::Kind::Invalid, statement);
    }
    const Result<SqlConsole::Outcome> empty = wait(c->run("  -- nothing\n"));
    QVERIFY(!empty);
    QCOMPARE(empty.error().kind, Error::Kind::Invalid);
    // Two statements at once are refused by the server (one statement per run)
    const Result<SqlConsole::Outcome> two = wait(c->run("select 1; select 2"));
    QVERIFY(!two);
}

void TestSqlConsole::cancelStopsPgSleepWithinASecond()
{
    auto c = console();
    QElapsedTimer sinceCancel;
    QSignalSpy running(c.get(), &SqlConsole::runningChanged);
    // Cancel once the server runs the statement
    QTimer::singleShot(500, c.get(), [&] {
        sinceCancel.start();
        c->cancel();
    });
    QElapsedTimer clock;
    clock.start();
    const Result<SqlConsole::Outcome> r = wait(c->run("select pg_sleep(60)"));
    const qint64 afterCancel = sinceCancel.elapsed();
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QVERIFY2(afterCancel < 1000, qPrintable(QString::number(afterCancel)));
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(!c->isRunning());
    QCOMPARE(running.size(), 2);
    // The console is usable again
    const Result<SqlConsole::Outcome> next = wait(c->run("select 42"));
    CCPM_VERIFY_OK(next);
    QCOMPARE(next->rows.first().first().toString(), "42");
}

void TestSqlConsole::statementTimeoutFires()
{
    auto c = console();
    c->setStatementTimeout(300);
    QElapsedTimer clock;
    clock.start();
    const Result<SqlConsole::Outcome> r = wait(c->run("select pg_sleep(10)"));
    QVERIFY(!r);
    QCOMPARE(r.error().sqlState, "57014");
    QCOMPARE(r.error().kind, Error::Kind::Query);
    QVERIFY2(r.error().message.contains("statement timeout (0.3 s)"), qPrintable(r.error().message));
    QVERIFY(clock.elapsed() < 3000);
}

void TestSqlConsole::errorPositionIsReported_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<QString>("at");
    QTest::newRow("cursor") << "select * frm x"
                            << "frm";
    QTest::newRow("indented cursor") << "\n  select nope from small"
                                     << "nope";
    QTest::newRow("direct") << "update small set nope = 1"
                            << "nope";
    QTest::newRow("hint") << "select nme from small"
                          << "nme";
}

void TestSqlConsole::errorPositionIsReported()
{
    QFETCH(QString, statement);
    QFETCH(QString, at);
    auto c = console();
    const Result<SqlConsole::Outcome> r = wait(c->run(statement));
    QVERIFY(!r);
    QCOMPARE(r.error().position, statement.indexOf(at) + 1);
    QVERIFY(!r.error().sqlState.isEmpty());
    if (QTest::currentDataTag() == QByteArray("hint"))
        QVERIFY2(r.error().hint.contains("name"), qPrintable(r.error().hint));
}

void TestSqlConsole::exportsTheResultAsCsv()
{
    auto c = console();
    const Result<SqlConsole::Outcome> outcome =
        wait(c->run("select id, name from small where id <= 3 order by id;"));
    CCPM_VERIFY_OK(outcome);
    QTemporaryDir dir;
    const QString file = dir.filePath("result.csv");
    // On another executor: the console's connection holds its own transaction
    DbExecutor executor(m_db->settings(), 1);
    const Result<StreamExport::Summary> written =
        wait(StreamExport::run(executor, SqlConsole::exportRequest(*outcome, file), CancelToken()));
    CCPM_VERIFY_OK(written);
    QCOMPARE(written->rows, 3);
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), QByteArray("id,name\r\n1,name 1\r\n2,name 2\r\n3,name 3\r\n"));
}

QTEST_MAIN(TestSqlConsole)
#include "tst_sqlconsole.moc"
