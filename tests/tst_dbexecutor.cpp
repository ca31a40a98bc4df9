// DbExecutor's cancellation against a real server: a running statement carrying a cancelled
// token is cancelled by the server (SQLSTATE 57014), queued jobs with it never run, and work
// without the token is untouched.
#include "dbexecutor.h"
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

QTEST_GUILESS_MAIN(TestDbExecutor)
#include "tst_dbexecutor.moc"
