// DbExecutor's cancellation against a real server: a running statement carrying a cancelled
// token is cancelled by the server (SQLSTATE 57014), queued jobs with it never run, and work
// without the token is untouched.
#include "dbexecutor.h"
#include "groupcommit.h"
#include "sqlvalues.h"
#include "statementcache.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {

Result<int> sleepFor(QSqlDatabase &db, double seconds)
{
    QSqlQuery q(db);
    if (Status s = sql::execPrepared(q, "SELECT 1 FROM pg_sleep(:s)", {{":s", seconds}}, "sleep"); !s)
        return s.error();
    return 1;
}

} // namespace

class TestDbExecutor : public QObject {
    Q_OBJECT
private slots:
    void cancelStopsRunningAndQueuedWorkOnly();
    void groupCommitReportsALostConnectionToEverySubmitter();
    void reusedStatementsArePreparedOnceAndSurviveAReconnect();
};

void TestDbExecutor::cancelStopsRunningAndQueuedWorkOnly()
{
    TestDatabase database("executor");
    QVERIFY2(database.error().isEmpty(), qPrintable(database.error()));
    DbExecutor executor(database.settings(), 1); // one worker: the second job queues
    CancelToken token;
    auto sleeper = [](QSqlDatabase &db) { return sleepFor(db, 30); };
    auto quick = [](QSqlDatabase &db) { return sleepFor(db, 0); };

    // Given a 30-second statement running with a token, and a job queued behind it with it
    QElapsedTimer clock;
    clock.start();
    auto running = executor.exec(sleeper, token);
    auto queued = executor.exec(quick, token);
    auto unrelated = executor.exec(quick);
    QTimer::singleShot(200, [&] { executor.cancel(token); });

    // Then the running one fails at once with the server's cancel, the queued one never runs,
    // and the job without the token still runs
    const Result<int> r1 = QCoro::waitFor(running);
    QVERIFY(!r1.ok());
    QCOMPARE(r1.error().sqlState, QStringLiteral("57014"));
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    const Result<int> r2 = QCoro::waitFor(queued);
    QVERIFY(!r2.ok());
    QCOMPARE(r2.error().kind, Error::Kind::Cancelled);
    const Result<int> r3 = QCoro::waitFor(unrelated);
    QVERIFY2(r3.ok(), qPrintable(r3 ? QString() : r3.error().toString()));

    // And cancelling a token no job carries touches nothing
    executor.cancel(CancelToken());
    const Result<int> r4 = QCoro::waitFor(executor.exec(quick));
    QVERIFY(r4.ok());
}

void TestDbExecutor::groupCommitReportsALostConnectionToEverySubmitter()
{
    // Given a group commit whose batches of two or more lose their connection (the server ends
    // it, as when PostgreSQL restarts or an administrator terminates the backend)
    TestDatabase database("groupcommit");
    QVERIFY2(database.error().isEmpty(), qPrintable(database.error()));
    DbExecutor executor(database.settings(), 1);
    using Outcome = QHash<QString, Result<int>>;
    GroupCommit<QString, int, int> commit(executor, [](QSqlDatabase &db, const QHash<QString, int> &batch) {
        QSqlQuery q(db);
        if (batch.size() >= 2)
            q.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        Outcome out;
        for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
            if (Status s = sql::execPrepared(q, "SELECT 1", {}, "write"); !s)
                return Result<Outcome>(s.error());
            out.insert(it.key(), it.value());
        }
        return Result<Outcome>(out);
    });

    // When three values are submitted at once: the first is written alone, the others together
    auto first = commit.submit("a", 1);
    auto second = commit.submit("b", 2);
    auto third = commit.submit("c", 3);

    // Then the first is written, and the two that lost the connection both hear that it was lost
    // (retryable), rather than each its own statement error after a one-by-one retry
    const Result<int> a = QCoro::waitFor(first);
    QVERIFY2(a.ok(), qPrintable(a ? QString() : a.error().toString()));
    for (auto *task : {&second, &third}) {
        const Result<int> lost = QCoro::waitFor(*task);
        QVERIFY(!lost.ok());
        QCOMPARE(lost.error().kind, Error::Kind::Connection);
    }
    // And the executor reconnects for what comes next
    const Result<int> after = QCoro::waitFor(commit.submit("d", 4));
    QVERIFY2(after.ok(), qPrintable(after ? QString() : after.error().toString()));
}

void TestDbExecutor::reusedStatementsArePreparedOnceAndSurviveAReconnect()
{
    TestDatabase database("reused");
    QVERIFY2(database.error().isEmpty(), qPrintable(database.error()));
    DbExecutor executor(database.settings(), 1);
    struct Seen {
        int value = -1;      // what the reused statement returned
        qsizetype kept = -1; // statements kept for the connection afterwards
        int prepared = -1;   // server-side prepared statements that are the probe
        int executions = -1; // how often the server ran the probe's one prepared statement
        QString error;
    };
    const auto probe = [](QSqlDatabase &db, const QString &value) -> Result<Seen> {
        Seen seen;
        const Result<QSqlQuery *> q =
            sql::execReused(db, "SELECT CAST(:v AS integer) + 1 /* reuse-probe */", {{":v", value}}, "probe");
        if (q && (*q)->next())
            seen.value = (*q)->value(0).toInt();
        if (!q)
            seen.error = q.error().sqlState;
        seen.kept = sql::reusedQueryCount(db.connectionName());
        QSqlQuery count(db);
        if (!count.exec(
                "SELECT count(*), coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
                "WHERE statement LIKE '%' || 'reuse' || '-probe%'") ||
            !count.next())
            return Error{Error::Kind::Query, "cannot count the prepared statements", {}, {}};
        seen.prepared = count.value(0).toInt();
        seen.executions = count.value(1).toInt();
        return seen;
    };
    const auto run = [&](const QString &value) {
        const auto job = [probe, value](QSqlDatabase &db) { return probe(db, value); };
        return QCoro::waitFor(executor.exec(job));
    };

    // When one statement text runs three times with different values on one connection
    for (int i = 1; i <= 3; ++i) {
        const Result<Seen> seen = run(QString::number(10 * i));
        QVERIFY2(seen, qPrintable(seen ? QString() : seen.error().toString()));
        // Then each run binds its own value, and one server-side statement ran them all
        QCOMPARE(seen->value, 10 * i + 1);
        QCOMPARE(seen->kept, 1);
        QCOMPARE(seen->prepared, 1);
        QCOMPARE(seen->executions, i);
    }

    // When the server refuses a value, the statement is forgotten, and the next run prepares it again
    const Result<Seen> refused = run("x");
    QVERIFY(refused);
    QCOMPARE(refused->error, QStringLiteral("22P02"));
    QCOMPARE(refused->kept, 0);
    const Result<Seen> again = run("5");
    QVERIFY(again);
    QCOMPARE(again->value, 6);
    QCOMPARE(again->executions, 1);

    // When the connection is lost (the server ends it), the next job reconnects and prepares anew
    const auto terminate = [](QSqlDatabase &db) -> Result<int> {
        QSqlQuery q(db);
        q.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        return 0;
    };
    const Result<int> terminated = QCoro::waitFor(executor.exec(terminate));
    QVERIFY(terminated);
    const Result<Seen> reconnected = run("41");
    QVERIFY2(reconnected, qPrintable(reconnected ? QString() : reconnected.error().toString()));
    QCOMPARE(reconnected->value, 42);
    QCOMPARE(reconnected->kept, 1);
    QCOMPARE(reconnected->executions, 1);
}

QTEST_GUILESS_MAIN(TestDbExecutor)
#include "tst_dbexecutor.moc"
