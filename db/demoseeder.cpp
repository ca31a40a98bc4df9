#include "demoseeder.h"

#include "agentrepository.h"
#include "messagerepository.h"
#include "taskrepository.h"
#include "userrepository.h"

#include <QJsonArray>
#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr auto kCountRows = R"sql(
SELECT (SELECT count(*) FROM "users") + (SELECT count(*) FROM "agents") +
       (SELECT count(*) FROM "tasks") + (SELECT count(*) FROM "messages"))sql";

// The backend seed script's bcrypt hashes (cost 10), so the demo passwords match its docs.
constexpr auto kAdminHash = "$2b$10$57RBtPP04vu0btNE9fcFguMyGBP6AMZmiMKoV1ldX3WJoKK6PVJMG";
constexpr auto kTestUserHash = "$2b$10$0H4gi3XRYPMg.Nm1si1iOeACcPLgEieeMqXMS2J4wFFlD03th25I6";
constexpr auto kDeveloperHash = "$2b$10$TnkORkz5r3xzm60NqbZ9BuoBjEQT7flEgS59UJmslmtSaLOmhgBcm";

QJsonObject object(std::initializer_list<QPair<QString, QJsonValue>> members)
{
    QJsonObject o;
    for (const auto &m : members)
        o.insert(m.first, m.second);
    return o;
}

Result<DemoSeeder::Report> seedAll(QSqlDatabase &db)
{
    DemoSeeder::Report report;
    auto user = [&](const char *name, const char *email, Role role, const char *hash) -> Result<UserRow> {
        UserRow row;
        row.username = QLatin1String(name);
        row.email = QLatin1String(email);
        row.role = role;
        ++report.users;
        return UserRepository::insert(db, row, QLatin1String(hash));
    };
    auto admin = user("admin", "admin@example.com", Role::Admin, kAdminHash);
    if (!admin)
        return admin.error();
    auto testuser = user("testuser", "test@example.com", Role::User, kTestUserHash);
    if (!testuser)
        return testuser.error();
    if (auto developer = user("developer", "dev@example.com", Role::User, kDeveloperHash); !developer)
        return developer.error();

    auto agent = [&](const char *name, AgentType type, QStringList caps,
                     QJsonObject metadata) -> Result<AgentRow> {
        AgentRow row;
        row.name = QLatin1String(name);
        row.type = type;
        row.capabilities = std::move(caps);
        row.metadata = std::move(metadata);
        ++report.agents;
        return AgentRepository::insert(db, row);
    };
    auto assistant =
        agent("AI Assistant", AgentType::Ai,
              {QStringLiteral("code-generation"), QStringLiteral("text-analysis"),
               QStringLiteral("problem-solving")},
              object({{QStringLiteral("model"), QStringLiteral("gpt-4")},
                      {QStringLiteral("version"), QStringLiteral("1.0.0")},
                      {QStringLiteral("description"), QStringLiteral("General purpose assistant")}}));
    if (!assistant)
        return assistant.error();
    auto expert = agent(
        "Human Expert", AgentType::Human,
        {QStringLiteral("code-review"), QStringLiteral("architecture-design"), QStringLiteral("mentoring")},
        object(
            {{QStringLiteral("expertise"), QJsonArray{QStringLiteral("backend"), QStringLiteral("security")}},
             {QStringLiteral("experience"), QStringLiteral("10+ years")},
             {QStringLiteral("description"), QStringLiteral("Senior reviewer")}}));
    if (!expert)
        return expert.error();
    auto bot = agent(
        "Build Bot", AgentType::Bot,
        {QStringLiteral("build-automation"), QStringLiteral("testing"), QStringLiteral("deployment")},
        object(
            {{QStringLiteral("version"), QStringLiteral("2.1.0")},
             {QStringLiteral("description"), QStringLiteral("CI helper")},
             {QStringLiteral("supportedPlatforms"),
              QJsonArray{QStringLiteral("github"), QStringLiteral("gitlab"), QStringLiteral("bitbucket")}}}));
    if (!bot)
        return bot.error();

    auto task = [&](const char *title, const char *description, TaskStatus status, Priority priority,
                    const UserRow &creator, const AgentRow &assignee,
                    QJsonObject metadata) -> Result<TaskRow> {
        TaskRow row;
        row.title = QLatin1String(title);
        row.description = QLatin1String(description);
        row.status = status;
        row.priority = priority;
        row.createdBy = creator.id;
        row.assignedTo = assignee.id;
        row.metadata = std::move(metadata);
        ++report.tasks;
        return TaskRepository::insert(db, row);
    };
    auto meta = [](QStringList tags, const char *complexity, int hours) {
        return object({{QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                       {QStringLiteral("complexity"), QLatin1String(complexity)},
                       {QStringLiteral("estimatedHours"), hours}});
    };
    auto auth = task("Implement user authentication", "Add login with hashed passwords and sessions",
                     TaskStatus::Assigned, Priority::High, *admin, *assistant,
                     meta({QStringLiteral("auth"), QStringLiteral("security")}, "medium", 8));
    if (!auth)
        return auth.error();
    auto review = task("Code review for payment module", "Review the payment module for correctness",
                       TaskStatus::Assigned, Priority::Medium, *testuser, *expert,
                       meta({QStringLiteral("review")}, "low", 3));
    if (!review)
        return review.error();
    auto pipeline =
        task("Set up CI/CD pipeline", "Build, test and deploy on every push", TaskStatus::InProgress,
             Priority::High, *admin, *bot, meta({QStringLiteral("ci")}, "high", 5));
    if (!pipeline)
        return pipeline.error();

    auto message = [&](const char *content, const QString &senderId, SenderType senderType,
                       const QString &receiverId, std::optional<ReceiverType> receiverType,
                       const TaskRow &task, const char *priority, const char *type) -> Status {
        MessageRow row;
        row.content = QLatin1String(content);
        row.senderId = senderId;
        row.senderType = senderType;
        row.receiverId = receiverId;
        row.receiverType = receiverType;
        row.taskId = task.id;
        row.metadata = object({{QStringLiteral("priority"), QLatin1String(priority)},
                               {QStringLiteral("messageType"), QLatin1String(type)}});
        ++report.messages;
        auto inserted = MessageRepository::insert(db, row);
        if (!inserted)
            return inserted.error();
        return Done{};
    };
    if (Status s = message("Started on the login flow.", assistant->id, SenderType::Agent, admin->id,
                           ReceiverType::User, *auth, "normal", "status-update");
        !s)
        return s.error();
    if (Status s = message("Please check refunds too.", testuser->id, SenderType::User, expert->id,
                           ReceiverType::Agent, *review, "high", "requirement");
        !s)
        return s.error();
    if (Status s = message("Pipeline 60% done.", bot->id, SenderType::Agent, QString(), std::nullopt,
                           *pipeline, "normal", "progress-update");
        !s)
        return s.error();
    return report;
}

} // namespace

Result<bool> DemoSeeder::isEmpty(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QLatin1String(kCountRows)) || !q.next())
        return Error::fromSql(q.lastError(), QStringLiteral("Cannot count existing rows"));
    return q.value(0).toLongLong() == 0;
}

Result<DemoSeeder::Report> DemoSeeder::seed(QSqlDatabase &db)
{
    if (!db.transaction())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot start the seed transaction"));
    // Counted inside the transaction, so a concurrent seed cannot slip in between.
    QSqlQuery lock(db);
    if (!lock.exec(QStringLiteral(
            "LOCK TABLE \"users\", \"agents\", \"tasks\", \"messages\" IN SHARE ROW EXCLUSIVE MODE"))) {
        Error e = Error::fromSql(lock.lastError(), QStringLiteral("Cannot lock the tables for seeding"));
        db.rollback();
        return e;
    }
    auto empty = isEmpty(db);
    if (!empty || !*empty) {
        db.rollback();
        if (!empty)
            return empty.error();
        return Error{
            Error::Kind::Invalid,
            QStringLiteral("The database already holds data (users, agents, tasks or messages); the demo "
                           "data is only written into an empty database. Nothing was changed."),
            {},
            {}};
    }
    auto report = seedAll(db);
    if (!report) {
        db.rollback();
        return report.error();
    }
    if (!db.commit())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot commit the demo data"));
    return report;
}

} // namespace ccpm
