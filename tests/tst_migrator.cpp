// Migrations against a real PostgreSQL: the backend's seeded database is baselined and left
// untouched, an empty one is created, and the guards (checksum, partial schema, concurrency) hold.
#include "authservice.h"
#include "dbexecutor.h"
#include "migrator.h"
#include "testdatabase.h"

#include <QCoro/QCoroTask>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;

namespace {

const QMap<QString, QStringList> kBackendColumns{
    {QStringLiteral("users"), {"id", "username", "email", "password", "role", "createdAt", "updatedAt"}},
    {QStringLiteral("agents"),
     {"id", "name", "type", "capabilities", "status", "metadata", "createdAt", "updatedAt"}},
    {QStringLiteral("tasks"),
     {"id", "title", "description", "status", "priority", "createdBy", "assignedTo", "createdAt", "updatedAt",
      "completedAt", "metadata"}},
    {QStringLiteral("messages"),
     {"id", "content", "senderId", "senderType", "receiverId", "receiverType", "taskId", "createdAt",
      "updatedAt", "metadata"}},
    {QStringLiteral("sessions"), {"id", "userId", "token", "expiresAt", "createdAt"}},
};

QMap<QString, QStringList> dumpBackendTables(const TestDatabase &db)
{
    QMap<QString, QStringList> dump;
    for (auto it = kBackendColumns.cbegin(); it != kBackendColumns.cend(); ++it)
        dump.insert(it.key(), db.dumpRows(it.key(), it.value()));
    return dump;
}

Result<Migrator::Report> migrate(DbExecutor &executor)
{
    const QString schema = executor.settings().schema;
    return QCoro::waitFor(
        executor.exec([schema](QSqlDatabase &db) { return Migrator::migrate(db, schema); }));
}

} // namespace

class TestMigrator : public QObject {
    Q_OBJECT
private slots:
    void seededBackendDatabaseIsBaselinedAndUnchanged();
    void emptyDatabaseGetsTheWholeSchema();
    void changedMigrationStopsStartup();
    void partialSchemaIsRefusedWithDifferences();
    void concurrentInstancesMigrateOnce();
    void splitStatementsRespectsQuotes_data();
    void splitStatementsRespectsQuotes();
};

void TestMigrator::seededBackendDatabaseIsBaselinedAndUnchanged()
{
    // Given a database exactly as the Node/Prisma backend leaves it
    TestDatabase db(QStringLiteral("baseline"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loadError = db.loadBackendFixture();
    QVERIFY2(loadError.isEmpty(), qPrintable(loadError));
    const auto before = dumpBackendTables(db);
    QCOMPARE(before.value(QStringLiteral("users")).size(), 3);
    QCOMPARE(before.value(QStringLiteral("messages")).size(), 3);

    // When the app core migrates it
    DbExecutor executor(db.settings());
    auto report = migrate(executor);
    CCPM_VERIFY_OK(report);

    // Then migration 1 is baselined, 2 applied, and every backend row and column is unchanged
    QCOMPARE(report->baselined, QList<int>{1});
    QCOMPARE(report->applied, (QList<int>{2, 3, 4, 5, 6, 7}));
    QCOMPARE(dumpBackendTables(db), before);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM \"_ccpm_migrations\"")).toInt(), 7);
    QCOMPARE(db.scalar(QStringLiteral("SELECT \"baselined\" FROM \"_ccpm_migrations\" WHERE version = 1"))
                 .toBool(),
             true);
    QCOMPARE(
        db.scalar(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname IN ('tasks_createdBy_idx', "
                                 "'tasks_assignedTo_idx', 'messages_taskId_idx', 'sessions_userId_idx')"))
            .toInt(),
        4);
    QCOMPARE(db.scalar(QStringLiteral("SELECT min(\"progress\") FROM \"tasks\"")).toInt(), 0);
    // Messages already addressed to agents count as delivered (migration 4): history, not news
    QCOMPARE(
        db.scalar(QStringLiteral("SELECT count(*) FROM message_deliveries")).toInt(),
        db.scalar(QStringLiteral("SELECT count(*) FROM messages WHERE \"receiverType\" = 'AGENT'")).toInt());

    // And status reports both as done; a second run does nothing
    auto status = QCoro::waitFor(executor.exec([](QSqlDatabase &c) { return Migrator::status(c); }));
    CCPM_VERIFY_OK(status);
    QCOMPARE(status->size(), 7);
    QCOMPARE(status->at(0).state, Migrator::State::Baselined);
    QCOMPARE(status->at(1).state, Migrator::State::Applied);
    auto again = migrate(executor);
    CCPM_VERIFY_OK(again);
    QVERIFY(again->applied.isEmpty() && again->baselined.isEmpty());

    // And the backend's users log in with the backend's passwords; a wrong password does not
    AuthService auth(executor);
    auto admin = QCoro::waitFor(auth.login(QStringLiteral("admin"), QStringLiteral("admin123")));
    CCPM_VERIFY_OK(admin);
    QCOMPARE(admin->role, Role::Admin);
    auto testuser = QCoro::waitFor(auth.login(QStringLiteral("testuser"), QStringLiteral("user123")));
    CCPM_VERIFY_OK(testuser);
    QCOMPARE(testuser->username, QStringLiteral("testuser"));
    auto byEmail = QCoro::waitFor(auth.login(QStringLiteral("dev@example.com"), QStringLiteral("user123")));
    CCPM_VERIFY_OK(byEmail);
    QCOMPARE(byEmail->username, QStringLiteral("developer"));
    auto wrong = QCoro::waitFor(auth.login(QStringLiteral("admin"), QStringLiteral("admin124")));
    QVERIFY(!wrong.ok());
    QCOMPARE(wrong.error().message, QStringLiteral("Invalid username or password"));
    auto unknown = QCoro::waitFor(auth.login(QStringLiteral("nobody"), QStringLiteral("admin123")));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().message, wrong.error().message);
}

void TestMigrator::emptyDatabaseGetsTheWholeSchema()
{
    // Given an empty database
    TestDatabase db(QStringLiteral("empty"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));

    // When migrated
    DbExecutor executor(db.settings());
    auto report = migrate(executor);
    CCPM_VERIFY_OK(report);

    // Then every migration ran, and the backend's schema is there as the fixture's DDL makes it
    QCOMPARE(report->applied, (QList<int>{1, 2, 3, 4, 5, 6, 7}));
    QCOMPARE(
        db.scalar(QStringLiteral("SELECT count(*) FROM pg_type WHERE typname IN ('Role', 'AgentType', "
                                 "'AgentStatus', 'TaskStatus', 'Priority', 'SenderType', 'ReceiverType')"))
            .toInt(),
        7);
    QCOMPARE(
        db.scalar(QStringLiteral(
                      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                      "AND table_name IN ('users','agents','tasks','messages','sessions','agent_tokens')"))
            .toInt(),
        6);
    // The progress check constraint holds (one statement per exec: QPSQL reports only the first
    // statement's outcome of a multi-statement string)
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO \"users\" VALUES ('u1','a','a@x','h','USER',now(),now())")));
    const QString insertTask = QStringLiteral(
        "INSERT INTO \"tasks\" "
        "(\"id\",\"title\",\"description\",\"createdBy\",\"updatedAt\",\"metadata\",\"progress\") "
        "VALUES ('%1','tt','dddddddddd','u1',now(),'{}',%2)");
    QVERIFY(!q.exec(insertTask.arg("t1").arg(101)));
    QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("23514")); // check_violation
    QVERIFY2(q.exec(insertTask.arg("t2").arg(100)), qPrintable(q.lastError().text()));
    QCOMPARE(db.scalar("SELECT \"progress\" FROM \"tasks\" WHERE id = 't2'").toInt(), 100);
}

void TestMigrator::changedMigrationStopsStartup()
{
    // Given a migrated database whose recorded checksum no longer matches the file
    TestDatabase db(QStringLiteral("checksum"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    DbExecutor executor(db.settings());
    CCPM_VERIFY_OK(migrate(executor));
    QSqlQuery q(db.connection());
    QVERIFY(
        q.exec(QStringLiteral("UPDATE \"_ccpm_migrations\" SET checksum = 'deadbeef' WHERE version = 2")));

    // When migrating again
    auto report = migrate(executor);

    // Then start-up stops with a message that says which migration changed
    QVERIFY(!report.ok());
    QCOMPARE(report.error().kind, Error::Kind::Schema);
    QVERIFY2(report.error().message.contains(QLatin1String("Migration 2")),
             qPrintable(report.error().message));
    QVERIFY(report.error().message.contains(QLatin1String("changed after it was applied")));
}

void TestMigrator::partialSchemaIsRefusedWithDifferences()
{
    // Given the backend's schema with one table dropped and one enum value missing
    TestDatabase db(QStringLiteral("partial"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    QVERIFY(db.loadSqlFile(TestDatabase::fixture(QStringLiteral("prisma-db-push.sql"))).isEmpty());
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(QStringLiteral("DROP TABLE \"sessions\"")));
    QVERIFY(q.exec(QStringLiteral("ALTER TABLE \"tasks\" DROP COLUMN \"completedAt\"")));

    // When migrating
    DbExecutor executor(db.settings());
    auto report = migrate(executor);

    // Then nothing is baselined or created, and the message names each difference
    QVERIFY(!report.ok());
    QCOMPARE(report.error().kind, Error::Kind::Schema);
    const QString message = report.error().message;
    QVERIFY2(message.contains(QLatin1String("table \"sessions\" is missing")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("column \"tasks\".\"completedAt\" is missing")),
             qPrintable(message));
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM \"_ccpm_migrations\"")).toInt(), 0);
}

void TestMigrator::concurrentInstancesMigrateOnce()
{
    // Given two app cores on one empty database
    TestDatabase db(QStringLiteral("concurrent"));
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    DbExecutor a(db.settings(), 1);
    DbExecutor b(db.settings(), 1);

    // When both migrate at the same time
    const QString schema = a.settings().schema;
    auto job = [schema](QSqlDatabase &c) { return Migrator::migrate(c, schema); };
    auto ta = a.exec(job);
    auto tb = b.exec(job);
    auto ra = QCoro::waitFor(ta);
    auto rb = QCoro::waitFor(tb);

    // Then both succeed and each migration ran exactly once
    CCPM_VERIFY_OK(ra);
    CCPM_VERIFY_OK(rb);
    QCOMPARE(ra->applied.size() + rb->applied.size(), 7);
    QCOMPARE(db.scalar(QStringLiteral("SELECT count(*) FROM \"_ccpm_migrations\"")).toInt(), 7);
}

void TestMigrator::splitStatementsRespectsQuotes_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("plain") << QStringLiteral("SELECT 1; SELECT 2;") << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("comments") << QStringLiteral("-- a; b\nSELECT 1; /* ; */ SELECT 2")
                              << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("quotes") << QStringLiteral("SELECT ';'; SELECT \"a;b\"; SELECT 'it''s;'")
                            << QStringList{"SELECT ';'", "SELECT \"a;b\"", "SELECT 'it''s;'"};
    QTest::newRow("dollar")
        << QStringLiteral("CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql; SELECT $$;$$")
        << QStringList{"CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql", "SELECT $$;$$"};
    QTest::newRow("empty") << QStringLiteral(" ; -- nothing\n") << QStringList{};
}

void TestMigrator::splitStatementsRespectsQuotes()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QCOMPARE(Migrator::splitStatements(script), statements);
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
