// A lost database: queries fail with a clear connection error while the server is down, nothing
// hangs, and the same executor works again once the server is back, without a restart.
#include "agentrepository.h"
#include "dbexecutor.h"
#include "embeddedpostgres.h"
#include "migrator.h"
#include "serverinfo.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <QCoro/QCoroTask>

#include <sys/stat.h>

using namespace ccpm;

class TestReconnect : public QObject {
    Q_OBJECT
private slots:
    void serverDownThenBack();
};

void TestReconnect::serverDownThenBack()
{
    // Given a server of our own (so stopping it disturbs no other test) and a working executor
    QTemporaryDir dir(QDir::tempPath() + "/ccpm-reconnect-XXXXXX");
    QVERIFY(dir.isValid());
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0); // reachable by the cluster user
    auto server = std::make_unique<EmbeddedPostgres>(dir.path());
    auto settings = server->start();
    CCPM_VERIFY_OK(settings);
    DbExecutor executor(*settings, 2);
    CCPM_VERIFY_OK(TestDatabase::migrate(executor));
    CCPM_VERIFY_OK(QCoro::waitFor(ServerInfo::ping(executor)));

    // When the server stops
    server->release();
    server.reset();

    // Then queries fail quickly with a connection error that says what happened
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 4; ++i) { // both workers, twice: no worker keeps a dead connection
        auto down = QCoro::waitFor(AgentRepository(executor).list());
        QVERIFY(!down.ok());
        QCOMPARE(down.error().kind, Error::Kind::Connection);
        QVERIFY2(!down.error().message.isEmpty(), qPrintable(down.error().toString()));
    }
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
    auto ping = QCoro::waitFor(ServerInfo::ping(executor));
    QVERIFY(!ping.ok());
    QVERIFY2(ping.error().message.contains("Cannot connect"), qPrintable(ping.error().message));

    // When it is back, the same executor works again
    server = std::make_unique<EmbeddedPostgres>(dir.path());
    CCPM_VERIFY_OK(server->start());
    for (int i = 0; i < 4; ++i)
        CCPM_VERIFY_OK(QCoro::waitFor(AgentRepository(executor).list()));
    server->release();
}

QTEST_GUILESS_MAIN(TestReconnect)
#include "tst_reconnect.moc"
