#include "scaleseeder.h"

#include "cuid.h"
#include "sqlvalues.h"

#include <QSqlQuery>

namespace ccpm {

namespace {

constexpr qint64 kChunk = 100000;

// Ids: 'c' + this run's 8-character time prefix + one letter per table + 15 hex digits of the row
// number: 25 lower-case base36 characters, the form Prisma's cuid() has, unique per run.
constexpr auto kInsertUser = R"sql(
INSERT INTO "users" ("id", "username", "email", "password", "role", "createdAt", "updatedAt")
VALUES (:id, :name, :email, :hash, 'USER', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'))sql";

constexpr auto kInsertAgents = R"sql(
INSERT INTO "agents" ("id", "name", "type", "capabilities", "status", "metadata", "createdAt", "updatedAt")
SELECT CAST(:prefix AS text) || 'a' || lpad(to_hex(g), 15, '0'),
       'Scale agent ' || g,
       (ARRAY['AI', 'HUMAN', 'BOT'])[g % 3 + 1]::"AgentType",
       ARRAY[(ARRAY['code-review', 'testing', 'deployment', 'code-generation'])[g % 4 + 1], 'scale'],
       (ARRAY['ACTIVE', 'BUSY', 'INACTIVE'])[g % 3 + 1]::"AgentStatus",
       jsonb_build_object('generated', true, 'batch', CAST(:prefix AS text)),
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g)sql";

constexpr auto kInsertTasks = R"sql(
INSERT INTO "tasks" ("id", "title", "description", "status", "priority", "createdBy", "assignedTo",
                     "createdAt", "updatedAt", "completedAt", "metadata", "progress")
SELECT CAST(:prefix AS text) || 't' || lpad(to_hex(g), 15, '0'),
       'Task ' || g || ': ' || (ARRAY['fix login', 'review payments', 'deploy build', 'write docs', 'triage bugs'])[g % 5 + 1],
       'Synthetic task number ' || g || ' for load testing.',
       s.status::"TaskStatus",
       (ARRAY['LOW', 'MEDIUM', 'HIGH'])[g % 3 + 1]::"Priority",
       CAST(:user AS text),
       CASE WHEN s.status = 'PENDING' THEN NULL
            ELSE CAST(:prefix AS text) || 'a' || lpad(to_hex(g % CAST(:agents AS bigint) + 1), 15, '0') END,
       c.created, c.created,
       CASE WHEN s.status = 'COMPLETED' THEN c.created + interval '2 hours' END,
       jsonb_build_object('tags', jsonb_build_array((ARRAY['auth', 'review', 'ci', 'docs'])[g % 4 + 1]),
                          'estimatedHours', g % 40 + 1),
       CASE s.status WHEN 'COMPLETED' THEN 100 WHEN 'IN_PROGRESS' THEN g % 100 ELSE 0 END
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g,
     LATERAL (SELECT (ARRAY['PENDING', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'])[g % 5 + 1] AS status) s,
     LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (g % 31536000) * interval '1 second' AS created) c)sql";

constexpr auto kInsertMessages = R"sql(
INSERT INTO "messages" ("id", "content", "senderId", "senderType", "receiverId", "receiverType", "taskId",
                        "createdAt", "updatedAt", "metadata")
SELECT CAST(:prefix AS text) || 'm' || lpad(to_hex(g), 15, '0'),
       'Message ' || g || ' about task ' || ((g - 1) / 5 + 1),
       CASE WHEN g % 2 = 0 THEN CAST(:user AS text) ELSE CAST(:prefix AS text) || 'a' || lpad(to_hex(g % CAST(:agents AS bigint) + 1), 15, '0') END,
       CASE WHEN g % 2 = 0 THEN 'USER' ELSE 'AGENT' END::"SenderType",
       CASE WHEN g % 3 = 0 THEN NULL WHEN g % 2 = 0 THEN CAST(:prefix AS text) || 'a' || lpad(to_hex(g % CAST(:agents AS bigint) + 1), 15, '0')
            ELSE CAST(:user AS text) END,
       CASE WHEN g % 3 = 0 THEN NULL WHEN g % 2 = 0 THEN 'AGENT' ELSE 'USER' END::"ReceiverType",
       CAST(:prefix AS text) || 't' || lpad(to_hex((g - 1) / 5 + 1), 15, '0'),
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
       jsonb_build_object('messageType', (ARRAY['status-update', 'requirement', 'progress-update'])[g % 3 + 1])
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g)sql";

Status insertChunks(QSqlDatabase &db, const char *sqlText, const QString &table, qint64 total,
                    QVariantMap bindings, const ScaleSeeder::Progress &progress)
{
    QSqlQuery q(db);
    for (qint64 first = 1; first <= total; first += kChunk) {
        bindings.insert(QStringLiteral(":first"), first);
        bindings.insert(QStringLiteral(":last"), std::min(total, first + kChunk - 1));
        if (Status s = sql::execPrepared(q, QLatin1String(sqlText), bindings,
                                         QStringLiteral("Cannot generate %1").arg(table));
            !s)
            return s;
        if (progress)
            progress(table, std::min(total, first + kChunk - 1), total);
    }
    return Done{};
}

} // namespace

Result<ScaleSeeder::Report> ScaleSeeder::seed(QSqlDatabase &db, qint64 tasks, const Progress &progress)
{
    if (tasks < 1 || tasks > 100'000'000)
        return Error{Error::Kind::Invalid,
                     QStringLiteral("--scale takes a number of tasks from 1 to 100,000,000."),
                     {},
                     {}};
    Report report;
    report.users = 1;
    report.tasks = tasks;
    report.agents = std::max<qint64>(1, tasks / 1000);
    report.messages = 5 * tasks;
    const QString prefix = QStringLiteral("c") + newCuid().mid(1, 8);
    const QString user = prefix + QStringLiteral("u000000000000001");

    if (!db.transaction())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot start the seed transaction"));
    auto fail = [&db](const Error &e) -> Result<Report> {
        db.rollback();
        return e;
    };
    QSqlQuery q(db);
    // Someone who is no real person creates the synthetic tasks; the hash matches no password.
    if (Status s = sql::execPrepared(
            q, QLatin1String(kInsertUser),
            {{QStringLiteral(":id"), user},
             {QStringLiteral(":name"), QString(QStringLiteral("scale-") + prefix)},
             {QStringLiteral(":email"), QStringLiteral("scale-%1@example.invalid").arg(prefix)},
             {QStringLiteral(":hash"), QStringLiteral("!synthetic user: no login")}},
            QStringLiteral("Cannot create the synthetic user"));
        !s)
        return fail(s.error());
    const QVariantMap common{{QStringLiteral(":prefix"), prefix},
                             {QStringLiteral(":user"), user},
                             {QStringLiteral(":agents"), report.agents}};
    if (Status s = insertChunks(db, kInsertAgents, QStringLiteral("agents"), report.agents,
                                {{QStringLiteral(":prefix"), prefix}}, progress);
        !s)
        return fail(s.error());
    if (Status s = insertChunks(db, kInsertTasks, QStringLiteral("tasks"), report.tasks, common, progress);
        !s)
        return fail(s.error());
    if (Status s =
            insertChunks(db, kInsertMessages, QStringLiteral("messages"), report.messages, common, progress);
        !s)
        return fail(s.error());
    if (!db.commit())
        return fail(Error::fromSql(db.lastError(), QStringLiteral("Cannot commit the synthetic data")));
    // Fresh statistics, so the planner and the row-count estimates know the new size at once.
    q.exec(QStringLiteral("ANALYZE \"agents\", \"tasks\", \"messages\""));
    return report;
}

} // namespace ccpm
