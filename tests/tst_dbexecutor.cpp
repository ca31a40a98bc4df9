// DbExecutor's cancellation against a real server: a running statement carrying a cancelled
// token is cancelled by the server (SQLSTATE 57014), queued jobs with it never run, and work
// without the token is untouched.
#include "dbexecutor.h"
#include "groupcommit.h"
#include "sqlvalues.h"
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

QTEST_GUILESS_MAIN(TestDbExecutor)
#include "tst_dbexecutor.moc"
