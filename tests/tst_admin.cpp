// The administrator's operations (issue #5): users, agents and their tokens, sessions, and the
// first administrator, on the backend's fixture in a real PostgreSQL, with the role checked
// below the UI.
#include "agentadmin.h"
#include "agenttokenrepository.h"
#include "authservice.h"
#include "sessionadmin.h"
#include "sqlvalues.h"
#include "testdatabase.h"
#include "useradmin.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <functional>
#include <optional>

using namespace ccpm;

namespace {

const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");
const QString kTestUser = QStringLiteral("cmx1zcg6600018e7dfr0y0buw");
const QString kDeveloper = QStringLiteral("cmx1zcg8c00028e7dlnywlztj");
const QString kAiAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");
const QString kFixtureSession = QStringLiteral("cmx1zcgai000c8e7dgosth6pu");

template <typename T>
T wait(QCoro::Task<T> task)
{
    return QCoro::waitFor(std::move(task));
}

// The error of a result that should have failed; a success reads as an unexpected Query error.
template <typename T>
Error errorOf(const Result<T> &result)
{
    return result.ok() ? Error{Error::Kind::Query, "the operation succeeded", {}, {}} : result.error();
}

} // namespace

class TestAdmin : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void createsAUserWithABcryptCost12Hash();
    void duplicateUsernameOrEmailNamesTheField();
    void lastAdminCannotBeDemotedOrDeleted();
    void concurrentDemotionsCannotBothSucceed_data();
    void concurrentDemotionsCannotBothSucceed();
    void deletionImpactMatchesWhatTheCascadeDeletes();
    void resetPasswordEndsSessionsAndTheNewPasswordLogsIn();
    void firstAdminOnlyOnAnEmptyUsersTable();
    void agentsValidateMetadataAndCompleteCapabilities();
    void tokenIssueAuthenticateRevoke();
    void sessionsListAndRevoke();
    void userActorIsRefusedAndNothingChanges_data();
    void userActorIsRefusedAndNothingChanges();

private:
    QStringList snapshot() const;
    QDateTime updatedAt(const QString &userId) const;

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
};

void TestAdmin::init()
{
    m_db = std::make_unique<TestDatabase>("admin");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
}

void TestAdmin::cleanup()
{
    m_executor.reset();
    m_db.reset();
    m_feed.reset();
}

QStringList TestAdmin::snapshot() const
{
    QStringList rows;
    rows << m_db->dumpRows("users", {"id", "username", "email", "password", "role", "\"updatedAt\""});
    rows << m_db->dumpRows("agents", {"id", "name", "type", "capabilities", "status", "metadata"});
    rows << m_db->dumpRows("agent_tokens", {"id", "name", "\"revokedAt\""});
    rows << m_db->dumpRows("sessions", {"id", "\"userId\""});
    rows << m_db->dumpRows("tasks", {"id", "\"assignedTo\""});
    return rows;
}

QDateTime TestAdmin::updatedAt(const QString &userId) const
{
    return sql::timestampFromText(
        m_db->scalar(QStringLiteral("SELECT \"updatedAt\"::text FROM users WHERE id = '%1'").arg(userId)));
}

void TestAdmin::createsAUserWithABcryptCost12Hash()
{
    UserAdmin admin(*m_executor, *m_feed);
    QSignalSpy published(m_feed.get(), &ChangeFeed::rowChanged);
    const Result<UserRow> created =
        wait(admin.create(Actor{kAdmin}, "carol", "carol@example.com", Role::User, "correct horse"));
    CCPM_VERIFY_OK(created);
    QCOMPARE(created->role, Role::User);
    const QString hash =
        m_db->scalar(QStringLiteral("SELECT password FROM users WHERE id = '%1'").arg(created->id))
            .toString();
    QVERIFY2(hash.startsWith("$2b$12$"), qPrintable(hash));
    QCOMPARE(published.size(), 1);
    QCOMPARE(published.first().at(0).toString(), QStringLiteral("users"));
    QCOMPARE(published.first().at(3).toString(), QStringLiteral("desk"));
    CCPM_VERIFY_OK(wait(AuthService(*m_executor).login("carol", "correct horse")));

    const Result<UserRow> shortPassword =
        wait(admin.create(Actor{kAdmin}, "dave", "dave@example.com", Role::User, "1234567"));
    QVERIFY(!shortPassword.ok());
    QCOMPARE(shortPassword.error().kind, Error::Kind::Invalid);
    QCOMPARE(shortPassword.error().detail, QStringLiteral("password"));
    const Result<UserRow> badEmail =
        wait(admin.create(Actor{kAdmin}, "dave", "dave", Role::User, "12345678"));
    QVERIFY(!badEmail.ok());
    QCOMPARE(badEmail.error().detail, QStringLiteral("email"));
}

namespace {
QAtomicInt g_unableToFree;
QtMessageHandler g_previousHandler = nullptr;
void countUnableToFree(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("Unable to free statement")))
        g_unableToFree.ref();
    g_previousHandler(type, context, message);
}
} // namespace

void TestAdmin::duplicateUsernameOrEmailNamesTheField()
{
    // A clash is expected, not a failure of the connection: QPSQL must free the refused
    // statement cleanly (no "Unable to free statement" in the log)
    g_unableToFree = 0;
    g_previousHandler = qInstallMessageHandler(countUnableToFree);
    auto restore = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });
    UserAdmin admin(*m_executor, *m_feed);
    const Result<UserRow> sameName =
        wait(admin.create(Actor{kAdmin}, "testuser", "other@example.com", Role::User, "password1"));
    QVERIFY(!sameName.ok());
    QCOMPARE(sameName.error().kind, Error::Kind::Constraint);
    QCOMPARE(sameName.error().detail, QStringLiteral("username"));
    QVERIFY2(sameName.error().message.contains("testuser"), qPrintable(sameName.error().message));

    const Result<UserRow> sameEmail =
        wait(admin.create(Actor{kAdmin}, "someone", "test@example.com", Role::User, "password1"));
    QVERIFY(!sameEmail.ok());
    QCOMPARE(sameEmail.error().kind, Error::Kind::Constraint);
    QCOMPARE(sameEmail.error().detail, QStringLiteral("email"));

    // Editing into a clash says the same
    const Result<UserRow> edited = wait(admin.update(Actor{kAdmin}, kDeveloper, "developer",
                                                     "test@example.com", Role::User, updatedAt(kDeveloper)));
    QVERIFY(!edited.ok());
    QCOMPARE(edited.error().detail, QStringLiteral("email"));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT email FROM users WHERE id = '%1'").arg(kDeveloper)).toString(),
        QStringLiteral("dev@example.com"));
    QCOMPARE(g_unableToFree.loadRelaxed(), 0);
}

void TestAdmin::lastAdminCannotBeDemotedOrDeleted()
{
    UserAdmin admin(*m_executor, *m_feed);
    // Given the fixture's only ADMIN
    const Result<UserRow> demoted = wait(
        admin.update(Actor{kAdmin}, kAdmin, "admin", "admin@example.com", Role::User, updatedAt(kAdmin)));
    QVERIFY(!demoted.ok());
    QCOMPARE(demoted.error().kind, Error::Kind::Forbidden);
    QCOMPARE(demoted.error().detail, QStringLiteral("last-admin"));
    const Status deleted = wait(admin.remove(Actor{kAdmin}, kAdmin));
    QVERIFY(!deleted.ok());
    QCOMPARE(deleted.error().detail, QStringLiteral("last-admin"));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users WHERE role = 'ADMIN'").toInt(), 1);

    // With a second ADMIN, one may demote the other, but not delete themself
    CCPM_VERIFY_OK(wait(admin.update(Actor{kAdmin}, kTestUser, "testuser", "test@example.com", Role::Admin,
                                     updatedAt(kTestUser))));
    const Status self = wait(admin.remove(Actor{kAdmin}, kAdmin));
    QVERIFY(!self.ok());
    QCOMPARE(self.error().detail, QStringLiteral("self"));
    CCPM_VERIFY_OK(wait(
        admin.update(Actor{kTestUser}, kAdmin, "admin", "admin@example.com", Role::User, updatedAt(kAdmin))));
    // ...and then the remaining one is the last again
    const Result<UserRow> again = wait(admin.update(Actor{kTestUser}, kTestUser, "testuser",
                                                    "test@example.com", Role::User, updatedAt(kTestUser)));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().detail, QStringLiteral("last-admin"));

    // A stale updatedAt is a conflict, not a silent overwrite
    const Result<UserRow> stale = wait(admin.update(Actor{kTestUser}, kDeveloper, "dev2", "dev@example.com",
                                                    Role::User, QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)));
    QVERIFY(!stale.ok());
    QCOMPARE(stale.error().kind, Error::Kind::Conflict);
}

void TestAdmin::concurrentDemotionsCannotBothSucceed_data()
{
    QTest::addColumn<bool>("aDeletes");
    QTest::newRow("each demotes the other") << false;
    QTest::newRow("A deletes B, B demotes A") << true;
}

void TestAdmin::concurrentDemotionsCannotBothSucceed()
{
    QFETCH(bool, aDeletes);
    // Given two ADMINs, each about to remove the other's role from their own desk (own connection)
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE users SET role = 'ADMIN' WHERE id = '%1'").arg(kTestUser)));
    DbExecutor deskA(m_db->settings(), 1);
    DbExecutor deskB(m_db->settings(), 1);
    const QDateTime adminStamp = updatedAt(kAdmin);
    const QDateTime userStamp = updatedAt(kTestUser);

    // When both start while a third session holds the ADMIN rows, so that both are in flight
    QSqlDatabase holder = QSqlDatabase::cloneDatabase(m_db->connection(), "holder");
    QVERIFY(holder.open());
    QVERIFY(holder.transaction());
    auto release = qScopeGuard([&holder] { holder.rollback(); });
    QSqlQuery hold(holder);
    QVERIFY2(hold.exec("SELECT id FROM users WHERE role = 'ADMIN' FOR UPDATE"),
             qPrintable(hold.lastError().text()));
    std::optional<QCoro::Task<Result<UserRow>>> aDemotesB;
    std::optional<QCoro::Task<Status>> aDeletesB;
    if (aDeletes)
        aDeletesB.emplace(UserAdmin(deskA, *m_feed).remove(Actor{kAdmin}, kTestUser));
    else
        aDemotesB.emplace(
            UserAdmin(deskA, *m_feed)
                .update(Actor{kAdmin}, kTestUser, "testuser", "test@example.com", Role::User, userStamp));
    QCoro::Task<Result<UserRow>> bDemotesA =
        UserAdmin(deskB, *m_feed)
            .update(Actor{kTestUser}, kAdmin, "admin", "admin@example.com", Role::User, adminStamp);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_db->scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                     "current_database()")
            .toInt(),
        2, 10000);
    QVERIFY(holder.commit());
    release.dismiss();
    const Error a = aDeletes ? errorOf(wait(std::move(*aDeletesB))) : errorOf(wait(std::move(*aDemotesB)));
    const Error b = errorOf(wait(std::move(bDemotesA)));
    const bool aOk = a.message == "the operation succeeded";
    const bool bOk = b.message == "the operation succeeded";

    // Then exactly one wins; the other finds itself demoted (Forbidden) or deleted (Auth), and
    // one ADMIN is left
    QVERIFY2(aOk != bOk, qPrintable(QStringLiteral("a: %1, b: %2").arg(a.toString(), b.toString())));
    const Error &loser = aOk ? b : a;
    QVERIFY2(loser.kind == Error::Kind::Forbidden || loser.kind == Error::Kind::Auth,
             qPrintable(loser.toString()));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users WHERE role = 'ADMIN'").toInt(), 1);
}

void TestAdmin::deletionImpactMatchesWhatTheCascadeDeletes()
{
    UserAdmin admin(*m_executor, *m_feed);
    AuthService auth(*m_executor);
    CCPM_VERIFY_OK(wait(auth.openSession(kTestUser)));
    CCPM_VERIFY_OK(wait(auth.openSession(kTestUser)));
    QSqlQuery q(m_db->connection());
    // One more task by testuser (the fixture has one), with a message
    QVERIFY(q.exec(
        QStringLiteral(
            "INSERT INTO tasks (id, title, description, \"createdBy\", \"updatedAt\", metadata) VALUES "
            "('t-extra', 'Extra task', 'Another task by testuser', '%1', now(), '{}')")
            .arg(kTestUser)));
    QVERIFY(
        q.exec("INSERT INTO messages (id, content, \"senderId\", \"senderType\", \"taskId\", \"updatedAt\", "
               "metadata) VALUES ('m-extra', 'hi', 'x', 'USER', 't-extra', now(), '{}')"));

    const Result<UserAdmin::Impact> impact = wait(admin.deletionImpact(Actor{kAdmin}, kTestUser));
    CCPM_VERIFY_OK(impact);
    QCOMPARE(impact->tasks, 2);
    QCOMPARE(impact->sessions, 2);
    QCOMPARE(impact->messages, 2);

    const int tasksBefore = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    const int sessionsBefore = m_db->scalar("SELECT count(*) FROM sessions").toInt();
    const int messagesBefore = m_db->scalar("SELECT count(*) FROM messages").toInt();
    QSignalSpy published(m_feed.get(), &ChangeFeed::rowChanged);
    CCPM_VERIFY_OK(wait(admin.remove(Actor{kAdmin}, kTestUser)));
    QCOMPARE(tasksBefore - m_db->scalar("SELECT count(*) FROM tasks").toInt(), impact->tasks);
    QCOMPARE(sessionsBefore - m_db->scalar("SELECT count(*) FROM sessions").toInt(), impact->sessions);
    QCOMPARE(messagesBefore - m_db->scalar("SELECT count(*) FROM messages").toInt(), impact->messages);
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM users WHERE id = '%1'").arg(kTestUser)).toInt(), 0);
    QStringList tables;
    for (const QList<QVariant> &signal : std::as_const(published))
        tables << signal.at(0).toString();
    QVERIFY2(tables.contains("users") && tables.contains("tasks") && tables.contains("sessions"),
             qPrintable(tables.join(',')));

    const Status gone = wait(admin.remove(Actor{kAdmin}, kTestUser));
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().kind, Error::Kind::NotFound);
}

void TestAdmin::resetPasswordEndsSessionsAndTheNewPasswordLogsIn()
{
    UserAdmin admin(*m_executor, *m_feed);
    AuthService auth(*m_executor);
    const Result<AuthService::Session> session = wait(auth.openSession(kTestUser));
    CCPM_VERIFY_OK(session);
    CCPM_VERIFY_OK(wait(auth.openSession(kDeveloper)));

    const Status tooShort = wait(admin.resetPassword(Actor{kAdmin}, kTestUser, "short"));
    QVERIFY(!tooShort.ok());
    QCOMPARE(tooShort.error().detail, QStringLiteral("password"));
    QCOMPARE(*wait(auth.sessionValid(session->id)), true);

    CCPM_VERIFY_OK(wait(admin.resetPassword(Actor{kAdmin}, kTestUser, "a new password")));
    QCOMPARE(*wait(auth.sessionValid(session->id)), false);
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM sessions WHERE \"userId\" = '%1'").arg(kTestUser))
            .toInt(),
        0);
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT count(*) FROM sessions WHERE \"userId\" = '%1'").arg(kDeveloper))
            .toInt(),
        1); // other users' sessions stay
    const Result<UserRow> loggedIn = wait(auth.login("testuser", "a new password"));
    CCPM_VERIFY_OK(loggedIn);
    QCOMPARE(loggedIn->id, kTestUser);
    QVERIFY(!wait(auth.login("testuser", "user123")).ok());
}

void TestAdmin::firstAdminOnlyOnAnEmptyUsersTable()
{
    // On the fixture there are users: refused
    QCOMPARE(*wait(UserAdmin::hasUsers(*m_executor)), true);
    const Result<UserRow> refused =
        wait(UserAdmin::createFirstAdmin(*m_executor, *m_feed, "root", "root@example.com", "rootroot"));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, Error::Kind::Forbidden);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users").toInt(), 3);

    // On an empty table, two desks racing create exactly one administrator
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("DELETE FROM users"));
    QCOMPARE(*wait(UserAdmin::hasUsers(*m_executor)), false);
    DbExecutor other(m_db->settings(), 1);
    QCoro::Task<Result<UserRow>> first =
        UserAdmin::createFirstAdmin(*m_executor, *m_feed, "root", "root@example.com", "rootroot");
    QCoro::Task<Result<UserRow>> second =
        UserAdmin::createFirstAdmin(other, *m_feed, "boss", "boss@example.com", "bossboss");
    const Result<UserRow> a = wait(std::move(first));
    const Result<UserRow> b = wait(std::move(second));
    QVERIFY(a.ok() != b.ok());
    QCOMPARE((a.ok() ? b : a).error().kind, Error::Kind::Forbidden);
    const UserRow made = a.ok() ? *a : *b;
    QCOMPARE(made.role, Role::Admin);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM users").toInt(), 1);
    const Result<UserRow> login =
        wait(AuthService(*m_executor).login(made.username, a.ok() ? "rootroot" : "bossboss"));
    CCPM_VERIFY_OK(login);
    QCOMPARE(login->role, Role::Admin);
}

void TestAdmin::agentsValidateMetadataAndCompleteCapabilities()
{
    AgentAdmin agents(*m_executor, *m_feed);
    const Result<QStringList> inUse = wait(agents.capabilitiesInUse());
    CCPM_VERIFY_OK(inUse);
    QCOMPARE(inUse->size(), 9);
    QVERIFY(std::is_sorted(inUse->begin(), inUse->end()));
    QVERIFY(inUse->contains("code-review"));

    AgentAdmin::Draft draft{"Reviewer",
                            AgentType::Bot,
                            AgentStatus::Active,
                            {" lint ", "code-review", "lint", ""},
                            R"({"model": "x")"};
    const Result<AgentRow> invalid = wait(agents.create(Actor{kAdmin}, draft));
    QVERIFY(!invalid.ok());
    QCOMPARE(invalid.error().kind, Error::Kind::Invalid);
    QCOMPARE(invalid.error().detail, QStringLiteral("metadata"));
    QVERIFY2(invalid.error().message.contains("line 1"), qPrintable(invalid.error().message));
    draft.metadataJson = "[1, 2]";
    QCOMPARE(errorOf(wait(agents.create(Actor{kAdmin}, draft))).detail, QStringLiteral("metadata"));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM agents").toInt(), 3);

    draft.metadataJson = QString();
    const Result<AgentRow> created = wait(agents.create(Actor{kAdmin}, draft));
    CCPM_VERIFY_OK(created);
    QCOMPARE(created->capabilities.value(), (QStringList{"lint", "code-review"}));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT metadata::text FROM agents WHERE id = '%1'").arg(created->id))
            .toString(),
        QStringLiteral("{}"));

    draft.metadataJson = R"({"model": "gpt-5"})";
    draft.name = "Reviewer 2";
    const Result<AgentRow> updated =
        wait(agents.update(Actor{kAdmin}, created->id, draft, created->updatedAt));
    CCPM_VERIFY_OK(updated);
    QCOMPARE(updated->name, QStringLiteral("Reviewer 2"));
    QCOMPARE(updated->metadata.toObject().value("model").toString(), QStringLiteral("gpt-5"));
    const Result<AgentRow> stale = wait(agents.update(Actor{kAdmin}, created->id, draft, created->updatedAt));
    QCOMPARE(errorOf(stale).kind, Error::Kind::Conflict);
    QVERIFY(wait(agents.capabilitiesInUse())->contains("lint"));

    QSignalSpy published(m_feed.get(), &ChangeFeed::rowChanged);
    CCPM_VERIFY_OK(wait(agents.remove(Actor{kAdmin}, kAiAssistant)));
    QStringList announced;
    for (const QList<QVariant> &signal : std::as_const(published))
        announced << signal.at(0).toString() + ':' + signal.at(1).toString();
    QVERIFY2(announced.contains("agents:" + kAiAssistant) &&
                 announced.contains("tasks:cmx1zcg9100068e7d5n4xt2rz"),
             qPrintable(announced.join(',')));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM tasks WHERE \"assignedTo\" IS NULL").toInt(), 1);
}

void TestAdmin::tokenIssueAuthenticateRevoke()
{
    AgentAdmin agents(*m_executor, *m_feed);
    AgentTokenRepository repository(*m_executor);
    const Result<AgentTokenRepository::Created> issued =
        wait(agents.issueToken(Actor{kAdmin}, kAiAssistant, "laptop"));
    CCPM_VERIFY_OK(issued);
    QVERIFY(issued->token.startsWith("ccpm_"));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM agent_tokens WHERE \"tokenHash\" LIKE 'ccpm_%'").toInt(), 0);

    const Result<AgentTokenRow> ok = wait(repository.authenticate(issued->token));
    CCPM_VERIFY_OK(ok);
    QCOMPARE(ok->agentId, kAiAssistant);
    const Result<QList<AgentTokenRow>> listed = wait(agents.tokens(Actor{kAdmin}, kAiAssistant));
    CCPM_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().name, QStringLiteral("laptop"));
    QVERIFY(listed->first().lastUsedAt.isValid());
    QVERIFY(!listed->first().revokedAt.isValid());

    CCPM_VERIFY_OK(wait(agents.revokeToken(Actor{kAdmin}, issued->row.id)));
    const Result<AgentTokenRow> refused = wait(repository.authenticate(issued->token));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, Error::Kind::Auth);
    QCOMPARE(refused.error().detail, QStringLiteral("revoked"));
    QVERIFY(wait(agents.tokens(Actor{kAdmin}, kAiAssistant))->first().revokedAt.isValid());
    QCOMPARE(errorOf(wait(agents.revokeToken(Actor{kAdmin}, issued->row.id))).kind, Error::Kind::NotFound);
    QCOMPARE(errorOf(wait(agents.issueToken(Actor{kAdmin}, "no-such-agent", "x"))).kind,
             Error::Kind::NotFound);
}

void TestAdmin::sessionsListAndRevoke()
{
    SessionAdmin sessions(*m_executor, *m_feed);
    AuthService auth(*m_executor);
    const Result<AuthService::Session> opened = wait(auth.openSession(kTestUser));
    CCPM_VERIFY_OK(opened);
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("INSERT INTO sessions (id, \"userId\", token, \"expiresAt\") VALUES "
                   "('expired', 'cmx1zcg8c00028e7dlnywlztj', 'old', now() - interval '1 day')"));
    // The fixture's session expires a day after the backend seeded it (2026-11-30): keep it
    // active whatever today's date is.
    QVERIFY(q.prepare(
        "UPDATE sessions SET \"expiresAt\" = now() AT TIME ZONE 'UTC' + interval '1 day' WHERE id = :id"));
    q.bindValue(":id", kFixtureSession);
    QVERIFY(q.exec());

    const Result<QList<SessionAdmin::Session>> active = wait(sessions.active(Actor{kAdmin}));
    CCPM_VERIFY_OK(active);
    QStringList ids;
    for (const SessionAdmin::Session &s : *active)
        ids << s.id;
    QCOMPARE(ids, (QStringList{opened->id, kFixtureSession})); // newest first, expired left out
    QCOMPARE(active->first().username, QStringLiteral("testuser"));
    QVERIFY(active->first().expiresAt > active->first().createdAt);

    QSignalSpy published(m_feed.get(), &ChangeFeed::rowChanged);
    CCPM_VERIFY_OK(wait(sessions.revoke(Actor{kAdmin}, opened->id)));
    QCOMPARE(*wait(auth.sessionValid(opened->id)), false);
    QCOMPARE(published.size(), 1);
    QCOMPARE(published.first().at(1).toString(), opened->id);
    QCOMPARE(errorOf(wait(sessions.revoke(Actor{kAdmin}, opened->id))).kind, Error::Kind::NotFound);
}

void TestAdmin::userActorIsRefusedAndNothingChanges_data()
{
    QTest::addColumn<QString>("operation");
    for (const char *name :
         {"user.create", "user.update", "user.promote-self", "user.resetPassword", "user.deletionImpact",
          "user.remove", "agent.create", "agent.update", "agent.remove", "agent.tokens", "agent.issueToken",
          "agent.revokeToken", "session.active", "session.revoke"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAdmin::userActorIsRefusedAndNothingChanges()
{
    QFETCH(QString, operation);
    // Given a live token (to revoke) and a USER actor
    const Result<AgentTokenRepository::Created> token =
        wait(AgentTokenRepository(*m_executor).create(kAiAssistant, "existing"));
    CCPM_VERIFY_OK(token);
    const Actor user{kTestUser};
    UserAdmin users(*m_executor, *m_feed);
    AgentAdmin agents(*m_executor, *m_feed);
    SessionAdmin sessions(*m_executor, *m_feed);
    const QDateTime agentStamp = sql::timestampFromText(m_db->scalar(
        QStringLiteral("SELECT \"updatedAt\"::text FROM agents WHERE id = '%1'").arg(kAiAssistant)));
    const AgentAdmin::Draft draft{"Renamed", AgentType::Ai, AgentStatus::Active, {"x"}, "{}"};

    const QHash<QString, std::function<Error()>> operations{
        {"user.create",
         [&] {
             return errorOf(wait(users.create(user, "eve", "eve@example.com", Role::Admin, "password1")));
         }},
        {"user.update",
         [&] {
             return errorOf(wait(users.update(user, kDeveloper, "dev", "dev@example.com", Role::User,
                                              updatedAt(kDeveloper))));
         }},
        {"user.promote-self",
         [&] {
             return errorOf(wait(users.update(user, kTestUser, "testuser", "test@example.com", Role::Admin,
                                              updatedAt(kTestUser))));
         }},
        {"user.resetPassword", [&] { return errorOf(wait(users.resetPassword(user, kAdmin, "password1"))); }},
        {"user.deletionImpact", [&] { return errorOf(wait(users.deletionImpact(user, kAdmin))); }},
        {"user.remove", [&] { return errorOf(wait(users.remove(user, kDeveloper))); }},
        {"agent.create", [&] { return errorOf(wait(agents.create(user, draft))); }},
        {"agent.update", [&] { return errorOf(wait(agents.update(user, kAiAssistant, draft, agentStamp))); }},
        {"agent.remove", [&] { return errorOf(wait(agents.remove(user, kAiAssistant))); }},
        {"agent.tokens", [&] { return errorOf(wait(agents.tokens(user, kAiAssistant))); }},
        {"agent.issueToken", [&] { return errorOf(wait(agents.issueToken(user, kAiAssistant, "stolen"))); }},
        {"agent.revokeToken", [&] { return errorOf(wait(agents.revokeToken(user, token->row.id))); }},
        {"session.active", [&] { return errorOf(wait(sessions.active(user))); }},
        {"session.revoke", [&] { return errorOf(wait(sessions.revoke(user, kFixtureSession))); }},
    };
    QVERIFY2(operations.contains(operation), qPrintable(operation));

    const QStringList before = snapshot();
    QSignalSpy published(m_feed.get(), &ChangeFeed::rowChanged);
    // When the USER calls it
    const Error refused = operations.value(operation)();
    // Then it is refused as Forbidden and nothing changed or was announced
    QCOMPARE(refused.kind, Error::Kind::Forbidden);
    QCOMPARE(refused.message, Access::refusal(Role::Admin));
    QCOMPARE(snapshot(), before);
    QCOMPARE(published.size(), 0);
}

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
