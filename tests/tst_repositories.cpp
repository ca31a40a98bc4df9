// Repositories against a real PostgreSQL: exact round trips of every column type the schema
// uses, Prisma's row contract (cuid ids, updatedAt, metadata), and the demo seeder.
#include "agentrepository.h"
#include "authservice.h"
#include "cuid.h"
#include "demoseeder.h"
#include "messagerepository.h"
#include "migrator.h"
#include "password.h"
#include "taskrepository.h"
#include "testdatabase.h"
#include "userrepository.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <QCoro/QCoroTask>

using namespace ccpm;

class TestRepositories : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void textArraysRoundTrip_data();
    void textArraysRoundTrip();
    void jsonScalarsRoundTrip_data();
    void jsonScalarsRoundTrip();
    void insertsFollowPrismaContract();
    void timestampsKeepMillisecondsInUtc();
    void duplicateUsernameAndEmailAreNamed();
    void newPasswordHashesLogIn();
    void fiveFailuresLockTheLoginForAMinute();
    void sessionsAreOpenedAndClosed();
    void seederFillsEmptyAndRefusesNonEmpty();

private:
    template <typename F>
    auto run(F f)
    {
        return QCoro::waitFor(m_executor->exec(std::move(f)));
    }
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestRepositories::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("repos");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(run([](QSqlDatabase &db) { return Migrator::migrate(db, "public"); }));
}

void TestRepositories::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestRepositories::textArraysRoundTrip_data()
{
    QTest::addColumn<std::optional<QStringList>>("capabilities");
    QTest::addColumn<QString>("pgText");
    QTest::newRow("plain") << std::optional<QStringList>(QStringList{"code-review", "testing"})
                           << "{code-review,testing}";
    QTest::newRow("special characters")
        << std::optional<QStringList>(
               QStringList{"a,b", "say \"hi\"", "back\\slash", "{braces}", " spaced ", "ü"})
        << R"({"a,b","say \"hi\"","back\\slash","{braces}"," spaced ",ü})";
    QTest::newRow("NULL element and empty string")
        << std::optional<QStringList>(QStringList{"x", QString(), ""}) << R"({x,NULL,""})";
    QTest::newRow("the word NULL") << std::optional<QStringList>(QStringList{"NULL"}) << R"({"NULL"})";
    QTest::newRow("empty array") << std::optional<QStringList>(QStringList{}) << "{}";
    QTest::newRow("NULL array") << std::optional<QStringList>() << QString();
}

void TestRepositories::textArraysRoundTrip()
{
    QFETCH(std::optional<QStringList>, capabilities);
    QFETCH(QString, pgText);
    // Given an agent with these capabilities
    AgentRow agent;
    agent.name = QStringLiteral("array %1").arg(QTest::currentDataTag());
    agent.capabilities = capabilities;
    auto inserted = run([agent](QSqlDatabase &db) { return AgentRepository::insert(db, agent); });
    CCPM_VERIFY_OK(inserted);

    // Then PostgreSQL holds exactly that array, and it reads back equal, NULLs and empties kept apart
    const QVariant stored = m_db->scalar(
        QStringLiteral("SELECT capabilities::text FROM agents WHERE id = '%1'").arg(inserted->id));
    QCOMPARE(stored.isNull(), pgText.isNull());
    if (!pgText.isNull())
        QCOMPARE(stored.toString(), pgText);
    QCOMPARE(inserted->capabilities.has_value(), capabilities.has_value());
    if (capabilities) {
        QCOMPARE(*inserted->capabilities, *capabilities);
        for (int i = 0; i < capabilities->size(); ++i)
            QCOMPARE(inserted->capabilities->at(i).isNull(), capabilities->at(i).isNull());
    }
}

void TestRepositories::jsonScalarsRoundTrip_data()
{
    QTest::addColumn<QJsonValue>("metadata");
    QTest::newRow("object") << QJsonValue(
        QJsonObject{{"model", "gpt-4"}, {"nested", QJsonObject{{"n", 1.5}}}});
    QTest::newRow("array") << QJsonValue(QJsonArray{"a", 1, QJsonValue::Null});
    QTest::newRow("string") << QJsonValue("just text");
    QTest::newRow("number") << QJsonValue(42);
    QTest::newRow("boolean") << QJsonValue(true);
}

void TestRepositories::jsonScalarsRoundTrip()
{
    QFETCH(QJsonValue, metadata);
    AgentRow agent;
    agent.name = QStringLiteral("json %1").arg(QTest::currentDataTag());
    agent.metadata = metadata;
    auto inserted = run([agent](QSqlDatabase &db) { return AgentRepository::insert(db, agent); });
    CCPM_VERIFY_OK(inserted);
    QCOMPARE(inserted->metadata, metadata);
}

void TestRepositories::insertsFollowPrismaContract()
{
    // Given a row with no id, no metadata and no timestamps
    AgentRow agent;
    agent.name = "contract";
    agent.metadata = QJsonValue(QJsonValue::Null);
    auto inserted = run([agent](QSqlDatabase &db) { return AgentRepository::insert(db, agent); });
    CCPM_VERIFY_OK(inserted);

    // Then the id is a cuid, updatedAt is set, and metadata is {} (never NULL)
    QVERIFY2(isCuid(inserted->id), qPrintable(inserted->id));
    QVERIFY(inserted->updatedAt.isValid());
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT metadata::text FROM agents WHERE id = '%1'").arg(inserted->id))
            .toString(),
        "{}");

    // And a status update moves updatedAt and lastSeenAt forward
    QTest::qWait(5);
    auto updated =
        QCoro::waitFor(AgentRepository(*m_executor).setStatus(inserted->id, AgentStatus::Busy, true));
    CCPM_VERIFY_OK(updated);
    QCOMPARE(updated->status, AgentStatus::Busy);
    QVERIFY(updated->updatedAt > inserted->updatedAt);
    QVERIFY(updated->lastSeenAt.isValid());
    auto missing = QCoro::waitFor(
        AgentRepository(*m_executor).setStatus("cnotthere0000000000000000", AgentStatus::Busy, true));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
}

void TestRepositories::timestampsKeepMillisecondsInUtc()
{
    // Given a user, a task with completedAt, and a message, with millisecond times
    UserRow user;
    user.username = "times";
    user.email = "times@example.com";
    user.createdAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 670), QTimeZone::utc());
    auto u = run([user](QSqlDatabase &db) { return UserRepository::insert(db, user, "$2b$10$x"); });
    CCPM_VERIFY_OK(u);
    QCOMPARE(u->createdAt, user.createdAt);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT \"createdAt\"::text FROM users WHERE id = '%1'").arg(u->id))
                 .toString(),
             "2026-01-02 03:04:05.67");

    TaskRow task;
    task.title = "Timed";
    task.description = "A task with a completion time";
    task.status = TaskStatus::Completed;
    task.createdBy = u->id;
    task.completedAt = QDateTime(QDate(2026, 3, 29), QTime(1, 30, 0, 1), QTimeZone::utc());
    auto t = run([task](QSqlDatabase &db) { return TaskRepository::insert(db, task); });
    CCPM_VERIFY_OK(t);
    QCOMPARE(t->completedAt, task.completedAt);
    QCOMPARE(t->createdByName, QStringLiteral("times"));
    QVERIFY(t->assignedTo.isNull());

    MessageRow message;
    message.content = "hello";
    message.senderId = u->id;
    message.taskId = t->id;
    auto m = run([message](QSqlDatabase &db) { return MessageRepository::insert(db, message); });
    CCPM_VERIFY_OK(m);
    QVERIFY(!m->receiverType.has_value());
    QVERIFY(m->receiverId.isNull());
    QCOMPARE(m->taskId, t->id);
}

void TestRepositories::duplicateUsernameAndEmailAreNamed()
{
    UserRow user;
    user.username = "dupe";
    user.email = "dupe@example.com";
    CCPM_VERIFY_OK(run([user](QSqlDatabase &db) { return UserRepository::insert(db, user, "$2b$10$x"); }));

    UserRow sameName = user;
    sameName.email = "other@example.com";
    auto r1 = run([sameName](QSqlDatabase &db) { return UserRepository::insert(db, sameName, "$2b$10$x"); });
    QVERIFY(!r1.ok());
    QCOMPARE(r1.error().kind, Error::Kind::Constraint);
    QCOMPARE(r1.error().message, QStringLiteral("The username \"dupe\" is already taken."));

    UserRow sameEmail = user;
    sameEmail.username = "other";
    auto r2 =
        run([sameEmail](QSqlDatabase &db) { return UserRepository::insert(db, sameEmail, "$2b$10$x"); });
    QVERIFY(!r2.ok());
    QCOMPARE(r2.error().message, QStringLiteral("The e-mail address \"dupe@example.com\" is already taken."));
}

void TestRepositories::newPasswordHashesLogIn()
{
    // Given a user created with a new cost-12 $2b$ hash
    auto hash = Password::hash("correct horse battery", 12);
    CCPM_VERIFY_OK(hash);
    QVERIFY(hash->startsWith("$2b$12$"));
    UserRow user;
    user.username = "newhash";
    user.email = "newhash@example.com";
    const QString h = *hash;
    CCPM_VERIFY_OK(run([user, h](QSqlDatabase &db) { return UserRepository::insert(db, user, h); }));
    // Then the password logs in and a near miss does not
    CCPM_VERIFY_OK(QCoro::waitFor(AuthService(*m_executor).login("newhash", "correct horse battery")));
    QVERIFY(!QCoro::waitFor(AuthService(*m_executor).login("newhash", "correct horse batter")).ok());
}

void TestRepositories::fiveFailuresLockTheLoginForAMinute()
{
    // Given a user with a known password
    auto hash = Password::hash("right password", 4);
    CCPM_VERIFY_OK(hash);
    UserRow user;
    user.username = "locky";
    user.email = "locky@example.com";
    const QString h = *hash;
    CCPM_VERIFY_OK(run([user, h](QSqlDatabase &db) { return UserRepository::insert(db, user, h); }));
    AuthService auth(*m_executor);

    // When 5 wrong passwords are tried, each is just invalid
    for (int i = 0; i < 5; ++i) {
        const auto wrong = QCoro::waitFor(auth.login("locky", "wrong"));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().detail, QString());
    }

    // Then even the right password is refused for now, with the time left, in any letter case
    const auto locked = QCoro::waitFor(auth.login("LOCKY", "right password"));
    QVERIFY(!locked.ok());
    QCOMPARE(locked.error().detail, QString("locked"));
    QVERIFY2(locked.error().message.contains("try again in"), qPrintable(locked.error().message));
    // And other users are not affected
    CCPM_VERIFY_OK(QCoro::waitFor(auth.login("newhash", "correct horse battery")));

    // And once the failures are over a minute old, the right password works and clears them
    QVERIFY(m_db->connection()
                .exec("UPDATE login_failures SET \"failedAt\" = \"failedAt\" - interval '61 seconds' "
                      "WHERE login = 'locky'")
                .lastError()
                .type() == QSqlError::NoError);
    CCPM_VERIFY_OK(QCoro::waitFor(auth.login("locky", "right password")));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM login_failures WHERE login = 'locky'").toInt(), 0);
}

void TestRepositories::sessionsAreOpenedAndClosed()
{
    const QString userId = m_db->scalar("SELECT id FROM users WHERE username = 'newhash'").toString();
    QVERIFY(!userId.isEmpty());
    AuthService auth(*m_executor);

    // A session: a row with a SHA-256 token (never the token itself) expiring in 12 h
    auto session = QCoro::waitFor(auth.openSession(userId));
    CCPM_VERIFY_OK(session);
    QCOMPARE(
        m_db->scalar(QString("SELECT \"userId\" FROM sessions WHERE id = '%1'").arg(session->id)).toString(),
        userId);
    QVERIFY(m_db->scalar(
                    QString("SELECT token ~ '^[0-9a-f]{64}$' FROM sessions WHERE id = '%1'").arg(session->id))
                .toBool());
    const qint64 lifetime = QDateTime::currentDateTimeUtc().secsTo(session->expiresAt);
    QVERIFY2(lifetime > 12 * 3600 - 120 && lifetime <= 12 * 3600 + 120,
             qPrintable(QString::number(lifetime)));
    QCOMPARE(*QCoro::waitFor(auth.sessionValid(session->id)), true);

    // An expired one is not valid; a closed one is gone
    auto shortLived = QCoro::waitFor(auth.openSession(userId, std::chrono::seconds(-1)));
    CCPM_VERIFY_OK(shortLived);
    QCOMPARE(*QCoro::waitFor(auth.sessionValid(shortLived->id)), false);
    CCPM_VERIFY_OK(QCoro::waitFor(auth.closeSession(session->id)));
    QCOMPARE(*QCoro::waitFor(auth.sessionValid(session->id)), false);
    QCOMPARE(m_db->scalar(QString("SELECT count(*) FROM sessions WHERE id = '%1'").arg(session->id)).toInt(),
             0);
}

void TestRepositories::seederFillsEmptyAndRefusesNonEmpty()
{
    // Given an empty, migrated database
    TestDatabase empty("seed");
    QVERIFY2(empty.error().isEmpty(), qPrintable(empty.error()));
    DbExecutor executor(empty.settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(executor));

    // When seeded
    auto report = QCoro::waitFor(executor.exec([](QSqlDatabase &db) { return DemoSeeder::seed(db); }));
    CCPM_VERIFY_OK(report);

    // Then it holds the backend's sample data, and its passwords work
    QCOMPARE(report->users, 3);
    QCOMPARE(empty.scalar("SELECT string_agg(username, ',' ORDER BY username) FROM users").toString(),
             "admin,developer,testuser");
    QCOMPARE(empty.scalar("SELECT string_agg(name, ',' ORDER BY name) FROM agents").toString(),
             "AI Assistant,Build Bot,Human Expert");
    QCOMPARE(empty.scalar("SELECT count(*) FROM tasks WHERE priority = 'HIGH'").toInt(), 2);
    QCOMPARE(empty.scalar("SELECT count(*) FROM tasks WHERE status = 'IN_PROGRESS'").toInt(), 1);
    QCOMPARE(empty.scalar("SELECT count(*) FROM messages WHERE \"receiverId\" IS NULL").toInt(), 1);
    QCOMPARE(empty.scalar("SELECT count(*) FROM users WHERE id !~ '^c[0-9a-z]{24}$'").toInt(), 0);
    CCPM_VERIFY_OK(QCoro::waitFor(AuthService(executor).login("admin", "admin123")));
    CCPM_VERIFY_OK(QCoro::waitFor(AuthService(executor).login("developer", "user123")));

    // When seeded again, it refuses and changes nothing
    const QStringList before = empty.dumpRows("users", {"id", "updatedAt"});
    auto again = QCoro::waitFor(executor.exec([](QSqlDatabase &db) { return DemoSeeder::seed(db); }));
    QVERIFY(!again.ok());
    QVERIFY(again.error().message.contains("already holds data"));
    QCOMPARE(empty.dumpRows("users", {"id", "updatedAt"}), before);
}

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
