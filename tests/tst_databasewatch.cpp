// Losing the database under a running desk: DatabaseWatch notices (a ping fails with a
// connection error), counts down to retries with a growing delay, the banner says so, staged
// edits stay staged, and when the server is back the next retry finds it and the edit saves.
// Runs its own cluster, stopped and started again (as tst_reconnect does).
#include "databasebanner.h"
#include "databasewatch.h"
#include "embeddedpostgres.h"
#include "entityspecs.h"
#include "loadedmodel.h"
#include "statusbar.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace ccpm;
using namespace ccpm::specs;

namespace {

constexpr auto kAlice = "cwatch000000000000000001";

Status insertAlice(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("INSERT INTO users (id, username, email, password, role, \"createdAt\", "
                               "\"updatedAt\") VALUES ('%1', 'alice', 'alice@example.org', 'x', 'USER', "
                               "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')")
                    .arg(kAlice)))
        return Error::fromSql(q.lastError());
    return Done{};
}

Result<QString> aliceEmail(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT email FROM users WHERE id = '%1'").arg(kAlice)) || !q.next())
        return Error::fromSql(q.lastError());
    return q.value(0).toString();
}

} // namespace

class TestDatabaseWatch : public QObject {
    Q_OBJECT
private slots:
    void serverStopsAndComesBack();
    void queryErrorsDoNotMeanUnavailable();
};

void TestDatabaseWatch::serverStopsAndComesBack()
{
    // Given a server of our own, a watch pinging it, and a model with a staged edit
    QTemporaryDir dir(QDir::tempPath() + "/ccpm-watch-XXXXXX");
    QVERIFY(dir.isValid());
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0); // reachable by the cluster user
    auto server = std::make_unique<EmbeddedPostgres>(dir.path());
    auto settings = server->start();
    CCPM_VERIFY_OK(settings);
    DbExecutor executor(*settings, 2);
    CCPM_VERIFY_OK(TestDatabase::migrate(executor));
    CCPM_VERIFY_OK(QCoro::waitFor(executor.exec(&insertAlice)));

    DatabaseWatch watch(executor);
    watch.setPingInterval(200);
    DatabaseBanner banner(watch);
    StatusBar status(executor, *settings, QStringLiteral("own cluster"));
    status.followWatch(watch);
    QSignalSpy unavailable(&watch, &DatabaseWatch::unavailable);
    QSignalSpy countdown(&watch, &DatabaseWatch::countdown);
    QSignalSpy restored(&watch, &DatabaseWatch::restored);
    watch.start();
    QTRY_VERIFY(watch.isAvailable());
    QVERIFY(watch.roundTripMs() >= 0);
    QVERIFY(banner.isHidden());
    QTRY_VERIFY2(status.pingText().contains(" ms"), qPrintable(status.pingText()));

    LoadedModel users(executor, specs::users(), 1);
    QCOMPARE(users.model.rowCount(), 1);
    QVERIFY(users.model.setData(users.cell(kAlice, UserColumns::Email), "alice@new.example"));
    QVERIFY(users.model.hasStagedChanges());

    // When the server stops
    server->release();
    server.reset();

    // Then the next ping finds it gone: unavailable, a countdown from 1 s, the banner says so
    QTRY_VERIFY_WITH_TIMEOUT(watch.isUnavailable(), 10000);
    QCOMPARE(unavailable.size(), 1);
    QCOMPARE(unavailable.first().first().value<Error>().kind, Error::Kind::Connection);
    QVERIFY(!countdown.isEmpty());
    QCOMPARE(countdown.first().first().toInt(), 1);
    QVERIFY(!watch.isAvailable());
    QVERIFY(!banner.isHidden());
    QVERIFY2(banner.text().startsWith("Database unavailable, retrying"), qPrintable(banner.text()));
    QVERIFY2(status.pingText().startsWith("Database unavailable"), qPrintable(status.pingText()));
    // ... and the retries back off: 1 s, then 2 s (the cap), still one outage
    QCOMPARE(watch.maxRetryDelay(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(watch.retryDelay(), 2, 15000);
    QCOMPARE(unavailable.size(), 1);
    QVERIFY2(banner.text().contains("retrying in") || banner.text().contains("retrying now"),
             qPrintable(banner.text()));

    // The staged edit is still staged, and the loaded row still readable
    QVERIFY(users.model.hasStagedChanges());
    QCOMPARE(users.cell(kAlice, UserColumns::Email).data().toString(), QStringLiteral("alice@new.example"));
    QCOMPARE(users.cell(kAlice, UserColumns::Username).data().toString(), QStringLiteral("alice"));

    // When the server is back
    server = std::make_unique<EmbeddedPostgres>(dir.path());
    CCPM_VERIFY_OK(server->start());

    // Then the watch reports it available again by the next retry (at most retryDelay() away)
    const int budgetMs = (watch.maxRetryDelay() + 2) * 1000;
    QElapsedTimer timer;
    timer.start();
    const int waitAtMostMs = (watch.retryDelay() + 2) * 1000;
    QTRY_VERIFY_WITH_TIMEOUT(watch.isAvailable(), budgetMs);
    QVERIFY2(timer.elapsed() <= waitAtMostMs, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(restored.size(), 1);
    QVERIFY(!watch.isUnavailable());
    QVERIFY(banner.isHidden());
    QTRY_VERIFY2(status.pingText().contains(" ms"), qPrintable(status.pingText()));
    QTRY_VERIFY2(status.serverText().startsWith("PostgreSQL 1"), qPrintable(status.serverText()));

    // Every worker works at once, also one whose connection sat idle through the restart
    for (int i = 0; i < 4; ++i)
        CCPM_VERIFY_OK(QCoro::waitFor(executor.exec(&aliceEmail)));

    // And the staged edit saves
    QVERIFY(users.model.hasStagedChanges());
    const QVariantList result = users.save();
    QVERIFY2(result.value(0).toBool(), qPrintable(result.value(1).toString()));
    const Result<QString> email = QCoro::waitFor(executor.exec(&aliceEmail));
    CCPM_VERIFY_OK(email);
    QCOMPARE(*email, QStringLiteral("alice@new.example"));
    server->release();
}

void TestDatabaseWatch::queryErrorsDoNotMeanUnavailable()
{
    // Given a watch on a database that answers
    TestDatabase db(QStringLiteral("watch"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    DbExecutor executor(db.settings(), 1);
    DatabaseWatch watch(executor);
    QSignalSpy pinged(&watch, &DatabaseWatch::pinged);
    watch.start();
    QTRY_VERIFY(watch.isAvailable());

    // When a model reports an error (a refused query, the server fine): the watch pings at once
    const qsizetype before = pinged.size();
    watch.suspect();
    QTRY_VERIFY(pinged.size() > before);
    // Then it stays available and shows no countdown
    QVERIFY(watch.isAvailable());
    QVERIFY(!watch.isUnavailable());
    QCOMPARE(watch.secondsLeft(), 0);
}

QTEST_MAIN(TestDatabaseWatch)
#include "tst_databasewatch.moc"
