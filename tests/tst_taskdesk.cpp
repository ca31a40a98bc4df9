// TaskDesk on the backend's seeded fixture, against a real server: validation at the field,
// create/update with the backend's metadata shape, optimistic concurrency, assign/unassign,
// the board's transitions (all valid ones, some invalid, races), candidate ranking, the
// conversation with resolved names, sending, roles, and live delivery through the agent hub.
#include "changefeed.h"
#include "cuid.h"
#include "dbexecutor.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "taskdesk.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

Q_DECLARE_METATYPE(ccpm::TaskDraft)
Q_DECLARE_METATYPE(ccpm::TaskStatus)

namespace {

const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");
const QString kTestUser = QStringLiteral("cmx1zcg6600018e7dfr0y0buw");
const QString kAssistant =
    QStringLiteral("cmx1zcg8i00038e7d4rutgnst"); // code-generation, text-analysis, problem-solving
const QString kExpert =
    QStringLiteral("cmx1zcg8p00048e7dw945wyv7"); // code-review, architecture-design, mentoring
const QString kBuildBot =
    QStringLiteral("cmx1zcg8u00058e7dt2kazxzd"); // build-automation, testing, deployment
const QString kAuthTask = QStringLiteral("cmx1zcg9100068e7d5n4xt2rz");
const QString kReviewTask = QStringLiteral("cmx1zcg9d00078e7d81lticnu");

TaskDraft draft(const QString &title = QStringLiteral("Write the release notes"))
{
    TaskDraft d;
    d.title = title;
    d.description = QStringLiteral("Collect every change since the last release.");
    d.priority = Priority::High;
    d.tags = {QStringLiteral("testing"), QStringLiteral("deployment")};
    d.estimatedHours = 4;
    return d;
}

} // namespace

class TestTaskDesk : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void validation_data();
    void validation();
    void createAndUpdate();
    void staleUpdateConflicts();
    void assignAndUnassign();
    void canMoveTable();
    void validMoves_data();
    void validMoves();
    void invalidMovesChangeNothing();
    void racesHaveOneWinner();
    void candidatesRanking();
    void conversationNames();
    void sendMessage();
    void forbidden();
    void messageReachesConnectedAgent();

private:
    Actor admin() const { return Actor{kAdmin}; }
    /// A task in `status`, assigned to `agent` (null: nobody).
    QString task(const QString &status, const QString &agent = {})
    {
        return insertTask(*m_db, agent, status);
    }
    QString statusOf(const QString &id) const
    {
        return m_db->scalar(QString("SELECT status::text FROM tasks WHERE id = '%1'").arg(id)).toString();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<TaskDesk> m_desk;
};

void TestTaskDesk::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("taskdesk");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 3);
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_desk = std::make_unique<TaskDesk>(*m_executor, *m_feed);
}

void TestTaskDesk::cleanupTestCase()
{
    m_desk.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestTaskDesk::validation_data()
{
    QTest::addColumn<TaskDraft>("input");
    QTest::addColumn<QString>("field");
    TaskDraft d = draft();
    d.title = "A";
    QTest::newRow("title too short") << d << "title";
    d.title = "  A  ";
    QTest::newRow("title short once trimmed") << d << "title";
    d.title = QString(101, 'x');
    QTest::newRow("title too long") << d << "title";
    d = draft();
    d.description = "Too short";
    QTest::newRow("description too short") << d << "description";
    d.description = QString(1001, 'x');
    QTest::newRow("description too long") << d << "description";
    d = draft();
    d.tags = {QString(51, 't')};
    QTest::newRow("tag too long") << d << "tags";
    d = draft();
    d.estimatedHours = -1;
    QTest::newRow("negative estimate") << d << "estimatedHours";
    d = draft();
    d.title = "Ok";
    d.description = QString(10, 'x');
    d.estimatedHours = 0;
    d.tags.clear();
    QTest::newRow("shortest valid") << d << "";
}

void TestTaskDesk::validation()
{
    QFETCH(TaskDraft, input);
    QFETCH(QString, field);
    const std::optional<Error> wrong = TaskDesk::validate(input);
    QCOMPARE(wrong ? wrong->detail : QString(), field);
    const int before = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    const Result<TaskRow> created = QCoro::waitFor(m_desk->create(admin(), input));
    QCOMPARE(created.ok(), field.isEmpty());
    if (!created) {
        // Then the server refuses it with the same field, and nothing was written
        QCOMPARE(created.error().kind, Error::Kind::Invalid);
        QCOMPARE(created.error().detail, field);
        QVERIFY(!created.error().message.isEmpty());
        QCOMPARE(m_db->scalar("SELECT count(*) FROM tasks").toInt(), before);
    }
}

void TestTaskDesk::createAndUpdate()
{
    // Given a draft with tags and an estimate
    QSignalSpy announced(m_feed.get(), &ChangeFeed::rowChanged);
    TaskDraft d = draft("  Release notes  ");
    d.tags << " testing "
           << "";
    const Result<TaskRow> created = QCoro::waitFor(m_desk->create(admin(), d));
    CCPM_VERIFY_OK(created);

    // Then the row is the backend's: PENDING, unassigned, created by the actor, metadata
    // {"tags": [...], "estimatedHours": n} (duplicates and blanks dropped, title trimmed)
    QCOMPARE(created->title, QString("Release notes"));
    QCOMPARE(created->status, TaskStatus::Pending);
    QVERIFY(created->assignedTo.isEmpty());
    QCOMPARE(created->createdBy, kAdmin);
    QCOMPARE(created->priority, Priority::High);
    QVERIFY(isCuid(created->id));
    QCOMPARE(
        m_db->scalar(QString("SELECT metadata::text FROM tasks WHERE id = '%1'").arg(created->id)).toString(),
        QString(R"({"tags": ["testing", "deployment"], "estimatedHours": 4})"));
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(0).toString(), QString("tasks"));
    QCOMPARE(announced.at(0).at(1).toString(), created->id);
    QCOMPARE(announced.at(0).at(2).value<ChangeFeed::Op>(), ChangeFeed::Op::Insert);
    QCOMPARE(announced.at(0).at(3).toString(), QString("desk"));
    const TaskDraft back = TaskDraft::fromRow(*created);
    QCOMPARE(back.tags, QStringList({"testing", "deployment"}));
    QCOMPARE(back.estimatedHours.value_or(-1), 4.0);

    // When an agent's key is in the metadata and the manager edits the task
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QString(R"(UPDATE tasks SET metadata = metadata || '{"result": "ok"}' WHERE id = '%1')")
                       .arg(created->id)));
    TaskDraft edit = back;
    edit.title = "Release notes for 2.0";
    edit.priority = Priority::Low;
    edit.tags = {"docs"};
    edit.estimatedHours = 2.5;
    const Result<TaskRow> updated =
        QCoro::waitFor(m_desk->update(admin(), created->id, edit, created->updatedAt));
    CCPM_VERIFY_OK(updated);

    // Then the dialog's keys are replaced and the agent's kept
    QCOMPARE(updated->title, QString("Release notes for 2.0"));
    QCOMPARE(updated->priority, Priority::Low);
    QVERIFY(updated->updatedAt >= created->updatedAt);
    QCOMPARE(
        m_db->scalar(QString("SELECT metadata::text FROM tasks WHERE id = '%1'").arg(created->id)).toString(),
        QString(R"({"tags": ["docs"], "result": "ok", "estimatedHours": 2.5})"));

    // And without tags or estimate the keys go
    edit.tags.clear();
    edit.estimatedHours.reset();
    const Result<TaskRow> cleared =
        QCoro::waitFor(m_desk->update(admin(), created->id, edit, updated->updatedAt));
    CCPM_VERIFY_OK(cleared);
    QCOMPARE(
        m_db->scalar(QString("SELECT metadata::text FROM tasks WHERE id = '%1'").arg(created->id)).toString(),
        QString(R"({"result": "ok"})"));
}

void TestTaskDesk::staleUpdateConflicts()
{
    // Given two managers who loaded the same task
    const Result<TaskRow> created = QCoro::waitFor(m_desk->create(admin(), draft("Shared task")));
    CCPM_VERIFY_OK(created);
    TaskDraft mine = TaskDraft::fromRow(*created);
    mine.title = "Mine";
    TaskDraft theirs = mine;
    theirs.title = "Theirs";
    // When one saves, then the other with the version it loaded
    CCPM_VERIFY_OK(QCoro::waitFor(m_desk->update(Actor{kTestUser}, created->id, theirs, created->updatedAt)));
    const Result<TaskRow> stale =
        QCoro::waitFor(m_desk->update(admin(), created->id, mine, created->updatedAt));
    // Then the second gets a conflict and the first's title stays
    QVERIFY(!stale);
    QCOMPARE(stale.error().kind, Error::Kind::Conflict);
    QCOMPARE(m_db->scalar(QString("SELECT title FROM tasks WHERE id = '%1'").arg(created->id)).toString(),
             QString("Theirs"));
    // And an unknown task is NotFound
    const Result<TaskRow> missing =
        QCoro::waitFor(m_desk->update(admin(), "cnosuchtask00000000000000", mine, created->updatedAt));
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
}

void TestTaskDesk::assignAndUnassign()
{
    const QString id = task("PENDING");
    QSignalSpy announced(m_feed.get(), &ChangeFeed::rowChanged);
    const Result<TaskRow> assigned = QCoro::waitFor(m_desk->assign(admin(), id, kBuildBot));
    CCPM_VERIFY_OK(assigned);
    QCOMPARE(assigned->status, TaskStatus::Assigned);
    QCOMPARE(assigned->assignedTo, kBuildBot);
    QCOMPARE(assigned->assignedToName, QString("Build Bot"));
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(1).toString(), id);

    // Reassigning an ASSIGNED task is allowed
    const Result<TaskRow> reassigned = QCoro::waitFor(m_desk->assign(admin(), id, kExpert));
    CCPM_VERIFY_OK(reassigned);
    QCOMPARE(reassigned->assignedTo, kExpert);

    // With the assignee the caller saw: a stale view loses
    const Result<TaskRow> stale = QCoro::waitFor(m_desk->assign(admin(), id, kAssistant, QString()));
    QCOMPARE(stale.error().kind, Error::Kind::Conflict);
    QCOMPARE(m_db->scalar(QString("SELECT \"assignedTo\" FROM tasks WHERE id = '%1'").arg(id)).toString(),
             kExpert);

    // An unknown agent is NotFound, an IN_PROGRESS task cannot be assigned
    QCOMPARE(QCoro::waitFor(m_desk->assign(admin(), id, "cnoagent00000000000000000")).error().kind,
             Error::Kind::NotFound);
    const QString running = task("IN_PROGRESS", kBuildBot);
    const Result<TaskRow> refused = QCoro::waitFor(m_desk->assign(admin(), running, kExpert));
    QCOMPARE(refused.error().kind, Error::Kind::Invalid);
    QCOMPARE(refused.error().detail, QString("IN_PROGRESS"));

    // Unassigning returns it to PENDING, without agent
    const Result<TaskRow> unassigned = QCoro::waitFor(m_desk->unassign(admin(), id));
    CCPM_VERIFY_OK(unassigned);
    QCOMPARE(unassigned->status, TaskStatus::Pending);
    QVERIFY(unassigned->assignedTo.isEmpty());
    QVERIFY(m_db->scalar(QString("SELECT \"assignedTo\" FROM tasks WHERE id = '%1'").arg(id)).isNull());
    const QString done = task("COMPLETED", kBuildBot);
    QCOMPARE(QCoro::waitFor(m_desk->unassign(admin(), done)).error().kind, Error::Kind::Invalid);
}

void TestTaskDesk::canMoveTable()
{
    using S = TaskStatus;
    const QList<S> all{S::Pending, S::Assigned, S::InProgress, S::Completed, S::Failed};
    QStringList allowed;
    for (S from : all) {
        for (S to : all) {
            for (bool agent : {false, true}) {
                const bool can = TaskDesk::canMove(from, to, agent);
                QCOMPARE(TaskDesk::whyNotMove(from, to, agent).isEmpty(), can);
                if (can)
                    allowed << toDb(from) + ">" + toDb(to) + (agent ? "+" : "");
            }
        }
    }
    QCOMPARE(allowed,
             QStringList({"PENDING>ASSIGNED+", "ASSIGNED>PENDING", "ASSIGNED>PENDING+",
                          "ASSIGNED>IN_PROGRESS+", "IN_PROGRESS>PENDING", "IN_PROGRESS>PENDING+",
                          "IN_PROGRESS>COMPLETED", "IN_PROGRESS>COMPLETED+", "IN_PROGRESS>FAILED",
                          "IN_PROGRESS>FAILED+", "FAILED>PENDING", "FAILED>PENDING+", "FAILED>ASSIGNED+"}));
}

void TestTaskDesk::validMoves_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<bool>("withAgent");
    QTest::addColumn<TaskStatus>("to");
    QTest::addColumn<bool>("agentAfter");
    QTest::newRow("pending>assigned") << "PENDING" << true << TaskStatus::Assigned << true;
    QTest::newRow("assigned>in progress") << "ASSIGNED" << true << TaskStatus::InProgress << true;
    QTest::newRow("assigned>pending") << "ASSIGNED" << true << TaskStatus::Pending << false;
    QTest::newRow("in progress>completed") << "IN_PROGRESS" << true << TaskStatus::Completed << true;
    QTest::newRow("in progress>failed") << "IN_PROGRESS" << true << TaskStatus::Failed << true;
    QTest::newRow("in progress>pending") << "IN_PROGRESS" << true << TaskStatus::Pending << false;
    QTest::newRow("failed>pending") << "FAILED" << true << TaskStatus::Pending << false;
    QTest::newRow("failed>assigned") << "FAILED" << true << TaskStatus::Assigned << true;
}

void TestTaskDesk::validMoves()
{
    QFETCH(QString, from);
    QFETCH(bool, withAgent);
    QFETCH(TaskStatus, to);
    QFETCH(bool, agentAfter);
    const QString id = task(from, withAgent ? kBuildBot : QString());
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QString("UPDATE tasks SET progress = 40 WHERE id = '%1'").arg(id)));
    const Result<TaskRow> moved = QCoro::waitFor(m_desk->move(admin(), id, to));
    CCPM_VERIFY_OK(moved);
    QCOMPARE(moved->status, to);
    QCOMPARE(statusOf(id), toDb(to));
    QCOMPARE(!moved->assignedTo.isEmpty(), agentAfter);
    if (to == TaskStatus::Completed) {
        // COMPLETED: completedAt now (UTC), progress 100
        QCOMPARE(moved->progress, 100);
        QVERIFY(moved->completedAt.isValid());
        QVERIFY(qAbs(moved->completedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    } else {
        QVERIFY(!moved->completedAt.isValid());
        QCOMPARE(moved->progress, from == "FAILED" ? 0 : 40);
    }
}

void TestTaskDesk::invalidMovesChangeNothing()
{
    struct Case {
        QString from;
        QString agent;
        TaskStatus to;
    };
    const QList<Case> cases{
        {"PENDING", {}, TaskStatus::Assigned},         {"PENDING", {}, TaskStatus::InProgress},
        {"PENDING", kBuildBot, TaskStatus::Completed}, {"ASSIGNED", kBuildBot, TaskStatus::Completed},
        {"COMPLETED", kBuildBot, TaskStatus::Pending}, {"COMPLETED", kBuildBot, TaskStatus::Failed},
        {"FAILED", kBuildBot, TaskStatus::Completed},  {"ASSIGNED", kBuildBot, TaskStatus::Assigned}};
    for (const Case &c : cases) {
        const QString id = task(c.from, c.agent);
        const QString before =
            m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt", "completedAt"})
                .filter(id)
                .join('\n');
        const Result<TaskRow> moved = QCoro::waitFor(m_desk->move(admin(), id, c.to));
        QVERIFY2(!moved, qPrintable(c.from + " > " + toDb(c.to)));
        QCOMPARE(moved.error().kind, Error::Kind::Invalid);
        QCOMPARE(moved.error().detail, c.from);
        QVERIFY(moved.error().message.endsWith('.'));
        QCOMPARE(m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt", "completedAt"})
                     .filter(id)
                     .join('\n'),
                 before);
    }
    QCOMPARE(
        QCoro::waitFor(m_desk->move(admin(), "cnosuchtask00000000000000", TaskStatus::Pending)).error().kind,
        Error::Kind::NotFound);
}

void TestTaskDesk::racesHaveOneWinner()
{
    for (int round = 0; round < 5; ++round) {
        // Given a task in progress, and two managers who finish it differently at the same time
        const QString id = task("IN_PROGRESS", kBuildBot);
        QCoro::Task<Result<TaskRow>> complete = m_desk->move(admin(), id, TaskStatus::Completed);
        QCoro::Task<Result<TaskRow>> fail = m_desk->move(Actor{kTestUser}, id, TaskStatus::Failed);
        const Result<TaskRow> a = QCoro::waitFor(std::move(complete));
        const Result<TaskRow> b = QCoro::waitFor(std::move(fail));
        // Then exactly one wins, and the database holds the winner's state
        QVERIFY2(a.ok() != b.ok(), qPrintable(QString("round %1").arg(round)));
        const Result<TaskRow> &lost = a ? b : a;
        QVERIFY(lost.error().kind == Error::Kind::Conflict || lost.error().kind == Error::Kind::Invalid);
        QCOMPARE(statusOf(id), a ? QString("COMPLETED") : QString("FAILED"));
    }
    for (int round = 0; round < 5; ++round) {
        // Two managers assign the unassigned task they both see to different agents
        const QString id = task("PENDING");
        QCoro::Task<Result<TaskRow>> first = m_desk->assign(admin(), id, kBuildBot, QString());
        QCoro::Task<Result<TaskRow>> second = m_desk->assign(Actor{kTestUser}, id, kExpert, QString());
        const Result<TaskRow> a = QCoro::waitFor(std::move(first));
        const Result<TaskRow> b = QCoro::waitFor(std::move(second));
        QVERIFY(a.ok() != b.ok());
        QCOMPARE((a ? b : a).error().kind, Error::Kind::Conflict);
        QCOMPARE(m_db->scalar(QString("SELECT \"assignedTo\" FROM tasks WHERE id = '%1'").arg(id)).toString(),
                 a ? kBuildBot : kExpert);
    }
}

void TestTaskDesk::candidatesRanking()
{
    // Given a task tagged with two of Build Bot's capabilities and one of the Expert's
    TaskDraft d = draft("Ship the installer");
    d.tags = {"testing", "deployment", "code-review"};
    const Result<TaskRow> created = QCoro::waitFor(m_desk->create(admin(), d));
    CCPM_VERIFY_OK(created);
    const int botOpen =
        m_db->scalar(QString("SELECT count(*) FROM tasks WHERE \"assignedTo\" = '%1' AND status IN "
                             "('PENDING','ASSIGNED','IN_PROGRESS')")
                         .arg(kBuildBot))
            .toInt();

    // When ranking with nobody connected
    Result<QList<TaskCandidate>> ranked = QCoro::waitFor(m_desk->candidates(created->id, {}));
    CCPM_VERIFY_OK(ranked);
    QCOMPARE(ranked->size(), 3);
    // Then tags covered decide first: Build Bot 2/3, Human Expert 1/3, AI Assistant 0/3
    QCOMPARE(ranked->at(0).agent.name, QString("Build Bot"));
    QCOMPARE(ranked->at(0).tagsCovered, 2);
    QCOMPARE(ranked->at(0).tagsTotal, 3);
    QCOMPARE(ranked->at(0).openTasks, botOpen);
    QCOMPARE(ranked->at(1).agent.name, QString("Human Expert"));
    QCOMPARE(ranked->at(1).tagsCovered, 1);
    QCOMPARE(ranked->at(2).agent.name, QString("AI Assistant"));
    QCOMPARE(ranked->at(2).tagsCovered, 0);
    QCOMPARE(ranked->at(2).availability, 2);

    // Given a task with no matching tag: availability, then open tasks decide
    d.tags = {"nothing-matches"};
    const Result<TaskRow> plain = QCoro::waitFor(m_desk->create(admin(), d));
    CCPM_VERIFY_OK(plain);
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QString("UPDATE agents SET status = 'BUSY' WHERE id = '%1'").arg(kExpert)));
    // Expert connected but BUSY; Assistant connected and ACTIVE; Build Bot offline
    ranked = QCoro::waitFor(m_desk->candidates(plain->id, {kExpert, kAssistant}));
    CCPM_VERIFY_OK(ranked);
    QCOMPARE(ranked->at(0).agent.id, kAssistant);
    QCOMPARE(ranked->at(0).availability, 0);
    QVERIFY(ranked->at(0).connected);
    QCOMPARE(ranked->at(1).agent.id, kExpert);
    QCOMPARE(ranked->at(1).availability, 1);
    QCOMPARE(ranked->at(2).agent.id, kBuildBot);
    QVERIFY(!ranked->at(2).connected);
    // A connected but INACTIVE agent counts as unavailable; then fewer open tasks come first
    QVERIFY(q.exec(
        QString("UPDATE agents SET status = 'INACTIVE' WHERE id IN ('%1', '%2')").arg(kExpert, kAssistant)));
    QVERIFY(
        q.exec(QString("UPDATE tasks SET status = 'COMPLETED' WHERE \"assignedTo\" = '%1'").arg(kAssistant)));
    ranked = QCoro::waitFor(m_desk->candidates(plain->id, {kExpert, kAssistant}));
    CCPM_VERIFY_OK(ranked);
    QCOMPARE(ranked->at(0).agent.id, kAssistant); // 0 open tasks
    QCOMPARE(ranked->at(0).openTasks, 0);
    QCOMPARE(ranked->at(0).availability, 2);
    QVERIFY(ranked->at(1).openTasks <= ranked->at(2).openTasks);
    QVERIFY(q.exec("UPDATE agents SET status = 'ACTIVE'"));
    QCOMPARE(QCoro::waitFor(m_desk->candidates("cnosuchtask00000000000000", {})).error().kind,
             Error::Kind::NotFound);
}

void TestTaskDesk::conversationNames()
{
    // The fixture's auth task: the AI Assistant wrote to admin
    const Result<QList<ConversationEntry>> auth = QCoro::waitFor(m_desk->conversation(kAuthTask));
    CCPM_VERIFY_OK(auth);
    QCOMPARE(auth->size(), 1);
    QCOMPARE(auth->at(0).message.content, QString("Started on the login flow."));
    QCOMPARE(auth->at(0).senderName, QString("AI Assistant"));
    QCOMPARE(auth->at(0).receiverName, QString("admin"));
    // The review task: testuser wrote to the Human Expert
    const Result<QList<ConversationEntry>> review = QCoro::waitFor(m_desk->conversation(kReviewTask));
    CCPM_VERIFY_OK(review);
    QCOMPARE(review->size(), 1);
    QCOMPARE(review->at(0).senderName, QString("testuser"));
    QCOMPARE(review->at(0).message.senderType, SenderType::User);
    QCOMPARE(review->at(0).receiverName, QString("Human Expert"));
}

void TestTaskDesk::sendMessage()
{
    QSignalSpy announced(m_feed.get(), &ChangeFeed::rowChanged);
    const Result<MessageRow> sent = QCoro::waitFor(m_desk->sendMessage(admin(), kReviewTask, "Any news?"));
    CCPM_VERIFY_OK(sent);
    QCOMPARE(sent->senderId, kAdmin);
    QCOMPARE(sent->senderType, SenderType::User);
    QCOMPARE(sent->receiverId, kExpert);
    QVERIFY(sent->receiverType == ReceiverType::Agent);
    QCOMPARE(announced.size(), 1);
    QCOMPARE(announced.at(0).at(0).toString(), QString("messages"));
    QCOMPARE(announced.at(0).at(1).toString(), sent->id);
    QCOMPARE(announced.at(0).at(2).value<ChangeFeed::Op>(), ChangeFeed::Op::Insert);

    // It closes the conversation, in time order, with names
    const Result<QList<ConversationEntry>> review = QCoro::waitFor(m_desk->conversation(kReviewTask));
    CCPM_VERIFY_OK(review);
    QCOMPARE(review->size(), 2);
    QCOMPARE(review->last().message.content, QString("Any news?"));
    QCOMPARE(review->last().senderName, QString("admin"));
    QCOMPARE(review->last().receiverName, QString("Human Expert"));

    // Empty, too long, or to a task without agent: refused, nothing written
    const int before = m_db->scalar("SELECT count(*) FROM messages").toInt();
    QCOMPARE(QCoro::waitFor(m_desk->sendMessage(admin(), kReviewTask, "  ")).error().detail,
             QString("content"));
    QCOMPARE(QCoro::waitFor(m_desk->sendMessage(admin(), kReviewTask, QString(10001, 'x'))).error().kind,
             Error::Kind::Invalid);
    QVERIFY(QCoro::waitFor(m_desk->sendMessage(admin(), kReviewTask, QString(10000, 'x'))).ok());
    const Result<MessageRow> nobody = QCoro::waitFor(m_desk->sendMessage(admin(), task("PENDING"), "Hello?"));
    QCOMPARE(nobody.error().kind, Error::Kind::Invalid);
    QVERIFY(nobody.error().message.contains("no agent"));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM messages").toInt(), before + 1);
}

void TestTaskDesk::forbidden()
{
    // An actor whose user does not exist (deleted meanwhile) is refused by every operation
    const Actor ghost{"cghost0000000000000000000"};
    const QString id = task("ASSIGNED", kBuildBot);
    const QString before = m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt"}).join('\n');
    QCOMPARE(QCoro::waitFor(m_desk->create(ghost, draft())).error().kind, Error::Kind::Auth);
    QCOMPARE(QCoro::waitFor(m_desk->assign(ghost, id, kExpert)).error().kind, Error::Kind::Auth);
    QCOMPARE(QCoro::waitFor(m_desk->unassign(ghost, id)).error().kind, Error::Kind::Auth);
    QCOMPARE(QCoro::waitFor(m_desk->move(ghost, id, TaskStatus::InProgress)).error().kind, Error::Kind::Auth);
    QCOMPARE(QCoro::waitFor(m_desk->update(ghost, id, draft(), QDateTime::currentDateTimeUtc())).error().kind,
             Error::Kind::Auth);
    QCOMPARE(QCoro::waitFor(m_desk->sendMessage(ghost, id, "Hi")).error().kind, Error::Kind::Auth);
    QCOMPARE(m_db->dumpRows("tasks", {"id", "status", "assignedTo", "updatedAt"}).join('\n'), before);
}

void TestTaskDesk::messageReachesConnectedAgent()
{
    // Given the agent hub on this feed and Build Bot connected to it, holding a task
    hub::HubHost hub(m_db->settings(), *m_feed);
    CCPM_VERIFY_OK(hub.start(QHostAddress::LocalHost, 0));
    const QString id = task("ASSIGNED", kBuildBot);
    HubClient bot;
    bot.open(hub.url(), newAgentToken(*m_executor, kBuildBot));
    auto count = [&bot](const QString &method) {
        return std::count_if(bot.notifications.cbegin(), bot.notifications.cend(),
                             [&](const QJsonObject &n) { return n.value("method").toString() == method; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(count("task.open") == 1, 5000);

    // When a manager writes to the task's agent through the desk
    const Result<MessageRow> sent =
        QCoro::waitFor(m_desk->sendMessage(admin(), id, "Please run the nightly build"));
    CCPM_VERIFY_OK(sent);

    // Then it arrives live as message.received
    QTRY_VERIFY_WITH_TIMEOUT(count("message.received") == 1, 5000);
    QJsonObject received;
    for (const QJsonObject &n : bot.notifications) {
        if (n.value("method").toString() == "message.received")
            received = n.value("params").toObject().value("message").toObject();
    }
    QCOMPARE(received.value("id").toString(), sent->id);
    QCOMPARE(received.value("content").toString(), QString("Please run the nightly build"));
    QCOMPARE(received.value("senderType").toString(), QString("USER"));

    // And a move by the desk reaches it as task.updated; unassigning as task.unassigned
    CCPM_VERIFY_OK(QCoro::waitFor(m_desk->move(admin(), id, TaskStatus::InProgress)));
    QTRY_VERIFY_WITH_TIMEOUT(count("task.updated") >= 1, 5000);
    CCPM_VERIFY_OK(QCoro::waitFor(m_desk->unassign(admin(), id)));
    QTRY_VERIFY_WITH_TIMEOUT(count("task.unassigned") == 1, 5000);
    bot.socket->close();
    QTRY_COMPARE(hub.connectedAgents(), 0);
}

QTEST_MAIN(TestTaskDesk)
#include "tst_taskdesk.moc"
