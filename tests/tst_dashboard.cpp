// The dashboard's figures on the backend's fixture, checked against plain SQL counts, and the
// Dashboard tab's live refresh.
#include "barchart.h"
#include "changefeed.h"
#include "dashboardqueries.h"
#include "dashboardview.h"
#include "donutchart.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QTreeWidget>

using namespace ccpm;

namespace {

constexpr auto kBuildBot = "cmx1zcg8u00058e7dt2kazxzd";
constexpr auto kAdmin = "cmx1zcg4000008e7dzffn89tr";

qint64 countOf(const QList<DashboardStats::Count> &counts, const QString &label)
{
    for (const auto &c : counts) {
        if (c.label == label)
            return c.count;
    }
    return -1;
}

} // namespace

class TestDashboard : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void countsMatchSql();
    void fourteenUtcDaysZeroFilled();
    void aTaskCompletedTodayShowsUp();
    void longestOpenTasksOldestFirst();
    void viewShowsAndFollowsTheFeed();

private:
    DashboardStats load(const QStringList &connected = {});
    void exec(const QString &sql);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestDashboard::initTestCase()
{
    m_db = std::make_unique<TestDatabase>(QStringLiteral("dashboard"));
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestDashboard::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

DashboardStats TestDashboard::load(const QStringList &connected)
{
    Result<DashboardStats> stats = QCoro::waitFor(DashboardQueries::load(*m_executor, connected));
    if (!stats)
        qWarning() << stats.error().toString();
    return stats ? *stats : DashboardStats{};
}

void TestDashboard::exec(const QString &sql)
{
    QSqlQuery q(m_db->connection());
    QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
}

void TestDashboard::countsMatchSql()
{
    // Given the fixture with one more task in each of the statuses it lacks
    exec(QStringLiteral(
             "INSERT INTO tasks (id, title, description, status, priority, \"createdBy\", \"updatedAt\", "
             "metadata) SELECT 'cdash' || s, 'Dash ' || s, 'A task for the dashboard test', "
             "CAST(s AS \"TaskStatus\"), 'HIGH', '%1', now(), '{}' "
             "FROM unnest(ARRAY['PENDING', 'FAILED']) AS s")
             .arg(kAdmin));

    // When the dashboard reads, with the Build Bot and an unknown id connected
    const DashboardStats stats = load({kBuildBot, "no-such-agent"});

    // Then every status, priority and agent status is there, equal to SQL's count
    QCOMPARE(stats.tasksByStatus.size(), 5);
    QCOMPARE(stats.tasksByPriority.size(), 3);
    QCOMPARE(stats.agentsByStatus.size(), 3);
    for (const auto &c : stats.tasksByStatus) {
        QCOMPARE(c.count,
                 m_db->scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE status = '%1'").arg(c.label))
                     .toLongLong());
    }
    for (const auto &c : stats.tasksByPriority) {
        QCOMPARE(c.count,
                 m_db->scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE priority = '%1'").arg(c.label))
                     .toLongLong());
    }
    for (const auto &c : stats.agentsByStatus) {
        QCOMPARE(c.count,
                 m_db->scalar(QStringLiteral("SELECT count(*) FROM agents WHERE status = '%1'").arg(c.label))
                     .toLongLong());
    }
    QCOMPARE(countOf(stats.tasksByStatus, "PENDING"), 1);
    QCOMPARE(countOf(stats.tasksByStatus, "COMPLETED"), 0); // zero, and still listed
    QCOMPARE(stats.tasks(), m_db->scalar("SELECT count(*) FROM tasks").toLongLong());
    QCOMPARE(stats.agents, m_db->scalar("SELECT count(*) FROM agents").toLongLong());
    // Connected: only ids of agents that exist count
    QCOMPARE(stats.agentsConnected, 1);
    QCOMPARE(stats.agentsOffline(), stats.agents - 1);
    QCOMPARE(load().agentsConnected, 0);
}

void TestDashboard::fourteenUtcDaysZeroFilled()
{
    const DashboardStats stats = load();
    QCOMPARE(stats.days.size(), DashboardQueries::kDays);
    QCOMPARE(stats.completedPerDay.size(), DashboardQueries::kDays);
    // Today is the server's UTC day, last; the days are consecutive
    const QDate today = QDate::fromString(
        m_db->scalar("SELECT CAST(CAST(now() AT TIME ZONE 'UTC' AS date) AS text)").toString(), Qt::ISODate);
    QCOMPARE(stats.days.last(), today);
    for (int i = 1; i < stats.days.size(); ++i)
        QCOMPARE(stats.days.at(i - 1).addDays(1), stats.days.at(i));
    // Every day is there even without a completed task (the fixture has none)
    for (qint64 n : stats.completedPerDay)
        QCOMPARE(n, 0);
}

void TestDashboard::aTaskCompletedTodayShowsUp()
{
    // Given tasks completed today, 3 days ago, and 20 days ago (outside the window)
    exec(QStringLiteral("UPDATE tasks SET status = 'COMPLETED', \"completedAt\" = now() AT TIME ZONE 'UTC' "
                        "WHERE id = 'cmx1zcg9g00088e7dw2r6u28j'"));
    exec(QStringLiteral("INSERT INTO tasks (id, title, description, status, \"createdBy\", \"updatedAt\", "
                        "\"completedAt\", metadata) VALUES "
                        "('cdone3', 'Done 3', 'Completed three days ago', 'COMPLETED', '%1', now(), "
                        "CAST(now() AT TIME ZONE 'UTC' AS date) - 3 + time '12:00', '{}'), "
                        "('cdone20', 'Done 20', 'Completed twenty days ago', 'COMPLETED', '%1', now(), "
                        "CAST(now() AT TIME ZONE 'UTC' AS date) - 20 + time '12:00', '{}')")
             .arg(kAdmin));

    const DashboardStats stats = load();
    QCOMPARE(stats.completedPerDay.size(), DashboardQueries::kDays);
    QCOMPARE(stats.completedPerDay.last(), 1);
    QCOMPARE(stats.completedPerDay.at(DashboardQueries::kDays - 1 - 3), 1);
    qint64 total = 0;
    for (qint64 n : stats.completedPerDay)
        total += n;
    QCOMPARE(total, 2); // not the one 20 days ago
    QCOMPARE(countOf(stats.tasksByStatus, "COMPLETED"), 3);
    for (const auto &task : stats.longestOpen)
        QVERIFY(task.id != "cmx1zcg9g00088e7dw2r6u28j");
}

void TestDashboard::longestOpenTasksOldestFirst()
{
    // Given 15 more open tasks, made older than the fixture's, and an even older finished one
    exec(
        QStringLiteral("INSERT INTO tasks (id, title, description, status, \"createdBy\", \"assignedTo\", "
                       "\"createdAt\", \"updatedAt\", metadata) "
                       "SELECT 'cold' || lpad(g::text, 2, '0'), 'Old ' || g, 'An old open task', 'ASSIGNED', "
                       "'%1', '%2', timestamp '2020-01-01' + g * interval '1 day', now(), '{}' "
                       "FROM generate_series(1, 15) g")
            .arg(kAdmin, kBuildBot));
    exec(QStringLiteral("INSERT INTO tasks (id, title, description, status, \"createdBy\", \"createdAt\", "
                        "\"updatedAt\", \"completedAt\", metadata) VALUES ('cfailed', 'Failed long ago', "
                        "'An old failed task', 'FAILED', '%1', timestamp '2019-01-01', now(), NULL, '{}')")
             .arg(kAdmin));

    const DashboardStats stats = load();
    QCOMPARE(stats.longestOpen.size(), DashboardQueries::kLongestOpen);
    QVERIFY(!stats.longestOpen.isEmpty());
    for (int i = 0; i < stats.longestOpen.size(); ++i) {
        const auto &task = stats.longestOpen.at(i);
        QCOMPARE(task.id, QStringLiteral("cold%1").arg(i + 1, 2, 10, QLatin1Char('0')));
        QCOMPARE(task.assignee, QStringLiteral("Build Bot"));
        QCOMPARE(task.status, QStringLiteral("ASSIGNED"));
        QCOMPARE(task.createdAt, QDateTime(QDate(2020, 1, 1).addDays(i + 1), QTime(0, 0), Qt::UTC));
    }
    // The same as SQL's answer, including an unassigned task's empty assignee
    const QVariant sqlFirst = m_db->scalar("SELECT id FROM tasks WHERE status NOT IN ('COMPLETED', 'FAILED') "
                                           "ORDER BY \"createdAt\", id LIMIT 1");
    QCOMPARE(stats.longestOpen.first().id, sqlFirst.toString());
}

void TestDashboard::viewShowsAndFollowsTheFeed()
{
    // Given the view, shown, refreshing at most every 200 ms
    ChangeFeed feed;
    DashboardView view(*m_executor, feed);
    view.setRefreshInterval(200);
    QSignalSpy refreshed(&view, &DashboardView::refreshed);
    view.resize(1000, 600);
    view.show();
    QTRY_VERIFY(view.hasStats());
    QCOMPARE(refreshed.size(), 1);

    // Then the charts show the figures
    QCOMPARE(view.statusChart()->bars().size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(view.statusChart()->bars().at(i).value, view.stats().tasksByStatus.at(i).count);
    QCOMPARE(view.priorityChart()->bars().size(), 3);
    QCOMPARE(view.completedChart()->bars().size(), DashboardQueries::kDays);
    QCOMPARE(view.connectionChart()->slices().size(), 2);
    QCOMPARE(view.connectionChart()->slices().at(1).value, view.stats().agents);
    QCOMPARE(view.longestOpenList()->topLevelItemCount(), DashboardQueries::kLongestOpen);
    QCOMPARE(view.longestOpenList()->topLevelItem(0)->text(3), QStringLiteral("Build Bot"));
    const qint64 todayBefore = view.completedChart()->bars().last().value;
    QVERIFY(!view.grab().isNull());

    // When a task is completed now and a burst of changes is announced
    exec("UPDATE tasks SET status = 'COMPLETED', \"completedAt\" = now() AT TIME ZONE 'UTC' WHERE id = "
         "'cold01'");
    for (int i = 0; i < 20; ++i)
        feed.publish("tasks", "cold01", ChangeFeed::Op::Update, "test");

    // Then one refresh follows the burst, and today's bar has one more
    QTRY_COMPARE(refreshed.size(), 2);
    QCOMPARE(view.completedChart()->bars().last().value, todayBefore + 1);
    QVERIFY(view.longestOpenList()->topLevelItem(0)->text(0) != QStringLiteral("Old 1"));
    QTest::qWait(3 * view.refreshInterval()); // nothing else was announced
    QCOMPARE(refreshed.size(), 2);

    // Changes to other tables do not refresh; a hidden view refreshes when shown again
    feed.publish("messages", "x", ChangeFeed::Op::Insert);
    view.hide();
    feed.publish("agents", kBuildBot, ChangeFeed::Op::Update);
    QTest::qWait(3 * view.refreshInterval());
    QCOMPARE(refreshed.size(), 2);
    view.show();
    QTRY_COMPARE(refreshed.size(), 3);
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
