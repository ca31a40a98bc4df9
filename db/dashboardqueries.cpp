#include "dashboardqueries.h"

#include "enums.h"
#include "sqlvalues.h"

#include <QHash>
#include <QSqlQuery>

namespace ccpm {

namespace {

// One (parallel, index-only) scan of tasks_status_priority_idx; the 15 cells add up to both
// charts. GROUPING SETS would be one scan too, but PostgreSQL 15 runs it without parallelism.
constexpr auto kTaskCounts = R"sql(
SELECT CAST("status" AS text), CAST("priority" AS text), count(*)
FROM "tasks"
GROUP BY "status", "priority")sql";

constexpr auto kAgentCounts = R"sql(
SELECT CAST("status" AS text), count(*),
       count(*) FILTER (WHERE "id" = ANY (ARRAY(SELECT jsonb_array_elements_text(CAST(:ids AS jsonb)))))
FROM "agents"
GROUP BY "status")sql";

constexpr auto kServerTime = R"sql(
SELECT CAST(CAST(now() AT TIME ZONE 'UTC' AS timestamp(3)) AS text))sql";

// A range on "completedAt" (index tasks_completedAt_idx), grouped by UTC day.
constexpr auto kCompletedPerDay = R"sql(
SELECT CAST(CAST("completedAt" AS date) AS text), count(*)
FROM "tasks"
WHERE "completedAt" >= CAST(:from AS date)
GROUP BY 1)sql";

// Walks tasks_open_createdAt_idx (a partial index of the open tasks) from the oldest.
constexpr auto kLongestOpen = R"sql(
SELECT t."id", t."title", CAST(t."status" AS text), CAST(t."priority" AS text),
       CAST(t."createdAt" AS text), a."name"
FROM "tasks" t
LEFT JOIN "agents" a ON a."id" = t."assignedTo"
WHERE t."status" NOT IN ('COMPLETED', 'FAILED')
ORDER BY t."createdAt", t."id"
LIMIT :limit)sql";

template <typename E>
QList<DashboardStats::Count> zeroCounts()
{
    QList<DashboardStats::Count> counts;
    for (const QString &label : enumLabels<E>())
        counts.append({label, 0});
    return counts;
}

void add(QList<DashboardStats::Count> &counts, const QString &label, qint64 count)
{
    for (DashboardStats::Count &c : counts) {
        if (c.label == label) {
            c.count += count;
            return;
        }
    }
    counts.append({label, count}); // a label this build does not know: shown, not dropped
}

Status readTaskCounts(QSqlDatabase &db, DashboardStats &stats)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s =
            sql::execPrepared(q, QLatin1String(kTaskCounts), {}, QStringLiteral("Cannot count the tasks"));
        !s)
        return s;
    while (q.next()) {
        add(stats.tasksByStatus, q.value(0).toString(), q.value(2).toLongLong());
        add(stats.tasksByPriority, q.value(1).toString(), q.value(2).toLongLong());
    }
    return Done{};
}

Status readAgentCounts(QSqlDatabase &db, const QStringList &connected, DashboardStats &stats)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, QLatin1String(kAgentCounts),
                                     {{QStringLiteral(":ids"), sql::textArrayJson(connected)}},
                                     QStringLiteral("Cannot count the agents"));
        !s)
        return s;
    while (q.next()) {
        add(stats.agentsByStatus, q.value(0).toString(), q.value(1).toLongLong());
        stats.agents += q.value(1).toLongLong();
        stats.agentsConnected += q.value(2).toLongLong();
    }
    return Done{};
}

Status readCompletedPerDay(QSqlDatabase &db, DashboardStats &stats)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s =
            sql::execPrepared(q, QLatin1String(kServerTime), {}, QStringLiteral("Cannot read the time"));
        !s)
        return s;
    if (!q.next())
        return Error{Error::Kind::Query, QStringLiteral("Cannot read the time."), {}, {}};
    stats.serverTime = sql::timestampFromText(q.value(0));
    const QDate today = stats.serverTime.date();
    for (int i = DashboardQueries::kDays - 1; i >= 0; --i)
        stats.days.append(today.addDays(-i));
    stats.completedPerDay = QList<qint64>(DashboardQueries::kDays, 0);

    if (Status s = sql::execPrepared(q, QLatin1String(kCompletedPerDay),
                                     {{QStringLiteral(":from"), stats.days.first().toString(Qt::ISODate)}},
                                     QStringLiteral("Cannot count the completed tasks"));
        !s)
        return s;
    while (q.next()) {
        const qsizetype i = stats.days.indexOf(QDate::fromString(q.value(0).toString(), Qt::ISODate));
        if (i >= 0) // a completedAt in the future (a skewed clock) is not one of the 14 days
            stats.completedPerDay[i] = q.value(1).toLongLong();
    }
    return Done{};
}

Status readLongestOpen(QSqlDatabase &db, DashboardStats &stats)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, QLatin1String(kLongestOpen),
                                     {{QStringLiteral(":limit"), DashboardQueries::kLongestOpen}},
                                     QStringLiteral("Cannot read the open tasks"));
        !s)
        return s;
    while (q.next()) {
        stats.longestOpen.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                  q.value(3).toString(), sql::timestampFromText(q.value(4)),
                                  q.value(5).toString()});
    }
    return Done{};
}

} // namespace

qint64 DashboardStats::tasks() const
{
    qint64 total = 0;
    for (const Count &c : tasksByStatus)
        total += c.count;
    return total;
}

Result<DashboardStats> DashboardQueries::read(QSqlDatabase &db, const QStringList &connectedAgentIds)
{
    DashboardStats stats;
    stats.tasksByStatus = zeroCounts<TaskStatus>();
    stats.tasksByPriority = zeroCounts<Priority>();
    stats.agentsByStatus = zeroCounts<AgentStatus>();

    // One snapshot, so that the charts add up (the totals of status and priority agree).
    if (!db.transaction())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot start a read transaction"));
    QSqlQuery q(db);
    Status s = Done{};
    // Not prepared: PostgreSQL cannot PREPARE a SET; nothing is bound.
    if (!q.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")))
        s = Error::fromSql(q.lastError(), QStringLiteral("Cannot start a read transaction"));
    if (s)
        s = readTaskCounts(db, stats);
    if (s)
        s = readAgentCounts(db, connectedAgentIds, stats);
    if (s)
        s = readCompletedPerDay(db, stats);
    if (s)
        s = readLongestOpen(db, stats);
    db.rollback(); // read only: nothing to keep
    if (!s)
        return s.error();
    return stats;
}

QCoro::Task<Result<DashboardStats>> DashboardQueries::load(DbExecutor &executor,
                                                           const QStringList &connectedAgentIds)
{
    return executor.exec([connectedAgentIds](QSqlDatabase &db) { return read(db, connectedAgentIds); });
}

} // namespace ccpm
