// Crash safety (issue 8): a child process (tests/crash_helper.cpp) is killed with SIGKILL
//  - in the middle of a large save (one TableWriter transaction of 20,000 new tasks), once the
//    server shows its transaction has written: the database holds none of the save; the same
//    save left alone (2,000 rows, to keep CI fast) holds all of it;
//  - in the middle of migrating, while a lock the test holds blocks migration 2 after it
//    created two of its indexes: nothing of migration 2 stays, the record of migrations is
//    consistent, and the next start finishes every migration cleanly.
#include "dbexecutor.h"
#include "migrator.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <QCoro/QCoroTask>

#include <csignal>

using namespace ccpm;

namespace {

constexpr int kRows = 20000;
constexpr int kControlRows = 2000; // the same save left alone; smaller, for CI's time

/// The helper's backend on `database`: its pid and what it is doing, or pid 0.
struct Backend {
    int pid = 0;
    bool wroteInTransaction = false; ///< backend_xid is set: its transaction has written
    QString waitEventType;
};

Backend helperBackend(const TestDatabase &db)
{
    QSqlQuery q(db.connection());
    q.prepare("SELECT pid, backend_xid IS NOT NULL, coalesce(wait_event_type, '') FROM pg_stat_activity "
              "WHERE datname = :db AND application_name = 'ccpm-desk' AND pid <> pg_backend_pid()");
    q.bindValue(":db", db.name());
    if (!q.exec() || !q.next())
        return {};
    return {q.value(0).toInt(), q.value(1).toBool(), q.value(2).toString()};
}

/// Waits until `pid` has left the server (it notices the dead client at its next read).
bool backendGone(const TestDatabase &db, int pid)
{
    for (int i = 0; i < 3000; ++i) {
        QSqlQuery q(db.connection());
        q.prepare("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid");
        q.bindValue(":pid", pid);
        if (q.exec() && q.next() && q.value(0).toInt() == 0)
            return true;
        QTest::qWait(10);
    }
    return false;
}

bool runToTheEnd(QProcess &helper, const QStringList &arguments, QString *output)
{
    helper.setProcessChannelMode(QProcess::MergedChannels);
    helper.start(QStringLiteral(CCPM_CRASH_HELPER), arguments);
    const bool done = helper.waitForFinished(120000);
    *output = QString::fromLocal8Bit(helper.readAll());
    return done && helper.exitStatus() == QProcess::NormalExit && helper.exitCode() == 0;
}

} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private slots:
    void killedDuringALargeSaveLeavesNothing();
    void killedWhileMigratingFinishesAtTheNextStart();
};

void TestCrashSafety::killedDuringALargeSaveLeavesNothing()
{
    // Given the backend's database, migrated
    TestDatabase db("crashsave");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    {
        DbExecutor executor(db.settings(), 1);
        CCPM_VERIFY_OK(TestDatabase::migrate(executor));
    }
    const int before = db.scalar("SELECT count(*) FROM tasks").toInt();

    // When a process saving 20,000 rows in one transaction is killed once that transaction has
    // written to the server
    QProcess helper;
    helper.start(QStringLiteral(CCPM_CRASH_HELPER), {"save", db.name(), QString::number(kRows)});
    QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
    QElapsedTimer clock;
    clock.start();
    Backend backend;
    while (clock.elapsed() < 60000 && helper.state() == QProcess::Running) {
        backend = helperBackend(db);
        if (backend.wroteInTransaction)
            break;
        QTest::qWait(5);
    }
    QVERIFY2(backend.wroteInTransaction, "the save was not caught in its transaction");
    const qint64 killedAfterMs = clock.elapsed();
    QVERIFY(::kill(pid_t(helper.processId()), SIGKILL) == 0);
    QVERIFY(helper.waitForFinished(10000));
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
    QVERIFY(!helper.readAllStandardOutput().contains("committed"));
    QVERIFY(backendGone(db, backend.pid));

    // Then none of the save is in the database
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks").toInt(), before);
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks WHERE title LIKE 'Crash save %'").toInt(), 0);

    // ... and the same save, left alone, writes all of it
    QProcess again;
    QString output;
    clock.restart();
    QVERIFY2(runToTheEnd(again, {"save", db.name(), QString::number(kControlRows)}, &output),
             qPrintable(output));
    const qint64 fullSaveMs = clock.elapsed();
    QVERIFY2(output.contains("committed"), qPrintable(output));
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks").toInt(), before + kControlRows);
    QCOMPARE(db.scalar("SELECT count(DISTINCT title) FROM tasks WHERE title LIKE 'Crash save %'").toInt(),
             kControlRows);
    qInfo("a save of %d rows killed after %lld ms (in its transaction): 0 rows stayed; the same save of %d "
          "rows left alone took %lld ms and wrote all %d",
          kRows, killedAfterMs, kControlRows, fullSaveMs, kControlRows);
}

void TestCrashSafety::killedWhileMigratingFinishesAtTheNextStart()
{
    // Given the backend's database, never migrated by the app, and a session of the test that
    // holds a lock on "messages": migration 2 creates two indexes on "tasks", then waits for it
    TestDatabase db("crashmigrate");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase holder = QSqlDatabase::cloneDatabase(db.connection(), "crashmigrate-lock");
    QVERIFY2(holder.open(), qPrintable(holder.lastError().text()));
    QVERIFY(holder.transaction());
    QSqlQuery lock(holder);
    QVERIFY2(lock.exec("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"), qPrintable(lock.lastError().text()));

    // When the migrating process is killed while it waits inside migration 2
    QProcess helper;
    helper.start(QStringLiteral(CCPM_CRASH_HELPER), {"migrate", db.name()});
    QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
    QElapsedTimer clock;
    clock.start();
    Backend backend;
    while (clock.elapsed() < 60000 && helper.state() == QProcess::Running) {
        backend = helperBackend(db);
        if (backend.waitEventType == QLatin1String("Lock") && backend.wroteInTransaction)
            break;
        QTest::qWait(5);
    }
    QVERIFY2(backend.waitEventType == QLatin1String("Lock"), "the migration was not caught waiting");
    QVERIFY(::kill(pid_t(helper.processId()), SIGKILL) == 0);
    QVERIFY(helper.waitForFinished(10000));
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
    QVERIFY(holder.rollback()); // the orphaned backend gets its lock, then finds its client gone
    QVERIFY(backendGone(db, backend.pid));
    lock = QSqlQuery();
    holder.close();
    holder = QSqlDatabase();
    QSqlDatabase::removeDatabase("crashmigrate-lock");

    // Then migration 1 (the baseline) is recorded, migration 2 is neither recorded nor half there
    QCOMPARE(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM \"_ccpm_migrations\"")
                 .toString(),
             QStringLiteral("1"));
    QCOMPARE(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname IN ('tasks_createdBy_idx', "
                       "'tasks_assignedTo_idx')")
                 .toInt(),
             0);
    QCOMPARE(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'tasks' AND "
                       "column_name = 'progress'")
                 .toInt(),
             0);

    // ... and the next start finishes the migrations
    QProcess next;
    QString output;
    QVERIFY2(runToTheEnd(next, {"migrate", db.name()}, &output), qPrintable(output));
    QVERIFY2(output.contains("migrated"), qPrintable(output));
    DbExecutor executor(db.settings(), 1);
    const auto job = [](QSqlDatabase &connection) { return Migrator::status(connection); };
    const auto status = QCoro::waitFor(executor.exec(job));
    CCPM_VERIFY_OK(status);
    QCOMPARE(status->size(), Migrator::available().size());
    for (const Migrator::Entry &entry : *status)
        QVERIFY2(
            entry.state == Migrator::State::Applied || entry.state == Migrator::State::Baselined,
            qPrintable(QStringLiteral("%1 %2").arg(entry.version).arg(Migrator::stateName(entry.state))));
    QCOMPARE(db.scalar("SELECT count(*) - count(DISTINCT version) FROM \"_ccpm_migrations\"").toInt(), 0);
    QCOMPARE(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'tasks_createdBy_idx'").toInt(), 1);
    const auto again = TestDatabase::migrate(executor); // a start after that has nothing to do
    CCPM_VERIFY_OK(again);
    QVERIFY(again->applied.isEmpty());
    qInfo("migration killed after %lld ms while blocked inside migration 2; the next start applied %lld "
          "migrations cleanly",
          qint64(clock.elapsed()), qint64(status->size() - 1));
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
