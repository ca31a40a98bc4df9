// The entity table models over a real database: structure checked by QAbstractItemModelTester,
// foreign keys shown by name, single-row refresh from the change feed (no reset), and stale
// loads dropped.
#include "agentsmodel.h"
#include "changefeed.h"
#include "messagesmodel.h"
#include "migrator.h"
#include "tasksmodel.h"
#include "testdatabase.h"
#include "usersmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyModelLoadsTheFixture();
    void usersNeverShowThePassword();
    void tasksShowNamesAndKeepIds();
    void feedUpdateRefreshesOneRow();
    void feedInsertAndDeleteAddAndRemoveRows();
    void staleReloadIsDropped();
    void burstOfChangesEndsWithTheLatestRow();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    ChangeFeed m_feed;
};

void TestModels::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("models");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestModels::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestModels::everyModelLoadsTheFixture()
{
    UsersModel users(*m_executor, m_feed);
    AgentsModel agents(*m_executor, m_feed);
    TasksModel tasks(*m_executor, m_feed);
    MessagesModel messages(*m_executor, m_feed);
    QList<EntityTableModel *> models{&users, &agents, &tasks, &messages};
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (EntityTableModel *model : models) {
        testers.push_back(std::make_unique<QAbstractItemModelTester>(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        model->reload();
    }
    for (EntityTableModel *model : models) {
        QTRY_COMPARE(model->rowCount(), 3);
        QVERIFY(!model->isLoading());
        QVERIFY(model->lastError().isEmpty());
        for (int column = 0; column < model->columnCount(); ++column)
            QVERIFY(!model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
        QVERIFY(model->index(0, 0).data(EntityTableModel::RowIdRole).toString().startsWith('c'));
    }
    // Timestamps: local time on screen, UTC in the tooltip, the exact UTC value in the raw role
    const int row = agents.rowOf("cmx1zcg8p00048e7dw945wyv7");
    const QModelIndex updated = agents.index(row, AgentsModel::Updated);
    QCOMPARE(updated.data(Qt::ToolTipRole).toString(), QStringLiteral("2026-11-29 15:14:20.857 UTC"));
    QCOMPARE(updated.data(EntityTableModel::RawValueRole).toDateTime(),
             QDateTime(QDate(2026, 11, 29), QTime(15, 14, 20, 857), Qt::UTC));
    QCOMPARE(agents.index(row, AgentsModel::Capabilities).data().toString(),
             QStringLiteral("code-review, architecture-design, mentoring"));
}

void TestModels::usersNeverShowThePassword()
{
    UsersModel users(*m_executor, m_feed);
    users.reload();
    QTRY_COMPARE(users.rowCount(), 3);
    for (int column = 0; column < users.columnCount(); ++column) {
        QVERIFY(!users.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().contains("assword"));
        for (int row = 0; row < users.rowCount(); ++row) {
            for (int role : {int(Qt::DisplayRole), int(Qt::EditRole), int(Qt::ToolTipRole),
                             int(EntityTableModel::RawValueRole)})
                QVERIFY(!users.index(row, column).data(role).toString().startsWith("$2"));
        }
    }
}

void TestModels::tasksShowNamesAndKeepIds()
{
    TasksModel tasks(*m_executor, m_feed);
    tasks.reload();
    QTRY_COMPARE(tasks.rowCount(), 3);
    const int row = tasks.rowOf("cmx1zcg9g00088e7dw2r6u28j");
    QVERIFY(row >= 0);
    // Assignee column (3) and creator column (4): the name on screen, the id in the edit role
    QCOMPARE(tasks.index(row, 3).data().toString(), QStringLiteral("Build Bot"));
    QCOMPARE(tasks.index(row, 3).data(Qt::EditRole).toString(), QStringLiteral("cmx1zcg8u00058e7dt2kazxzd"));
    QCOMPARE(tasks.index(row, 4).data().toString(), QStringLiteral("admin"));
    QCOMPARE(tasks.index(row, 1).data().toString(), QStringLiteral("In progress"));
    QCOMPARE(tasks.index(row, 1).data(Qt::EditRole).toString(), QStringLiteral("IN_PROGRESS"));
}

void TestModels::feedUpdateRefreshesOneRow()
{
    // Given the agents model loaded
    AgentsModel agents(*m_executor, m_feed);
    QAbstractItemModelTester tester(&agents, QAbstractItemModelTester::FailureReportingMode::QtTest);
    agents.reload();
    QTRY_COMPARE(agents.rowCount(), 3);
    const QString id = "cmx1zcg8i00038e7d4rutgnst";
    const int row = agents.rowOf(id);
    QSignalSpy changed(&agents, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&agents, &QAbstractItemModel::modelReset);

    // When someone changes the row with plain SQL and the feed announces it
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        "UPDATE agents SET status = 'BUSY', \"updatedAt\" = now() WHERE id = 'cmx1zcg8i00038e7d4rutgnst'"));
    m_feed.publish("agents", id, ChangeFeed::Op::Update);

    // Then only that row changes, with the new value, and the model is not reset
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), row);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), row);
    QCOMPARE(agents.index(row, AgentsModel::Status).data(Qt::EditRole).toString(), QStringLiteral("BUSY"));
    QCOMPARE(reset.size(), 0);
    // And a change to another table is ignored
    m_feed.publish("tasks", id, ChangeFeed::Op::Update);
    QTest::qWait(100);
    QCOMPARE(changed.size(), 1);
}

void TestModels::feedInsertAndDeleteAddAndRemoveRows()
{
    UsersModel users(*m_executor, m_feed);
    QAbstractItemModelTester tester(&users, QAbstractItemModelTester::FailureReportingMode::QtTest);
    users.reload();
    QTRY_COMPARE(users.rowCount(), 3);
    QSignalSpy inserted(&users, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&users, &QAbstractItemModel::rowsRemoved);

    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        "INSERT INTO users VALUES ('cnewuser00000000000000000','newbie','newbie@example.com','x','USER',"
        "now(),now())"));
    m_feed.publish("users", "cnewuser00000000000000000", ChangeFeed::Op::Insert);
    QTRY_COMPARE(users.rowCount(), 4);
    QCOMPARE(inserted.size(), 1);

    QVERIFY(q.exec("DELETE FROM users WHERE id = 'cnewuser00000000000000000'"));
    // An "update" for a row that no longer exists removes it too (the feed may be late)
    m_feed.publish("users", "cnewuser00000000000000000", ChangeFeed::Op::Update);
    QTRY_COMPARE(users.rowCount(), 3);
    QCOMPARE(removed.size(), 1);
}

void TestModels::staleReloadIsDropped()
{
    AgentsModel agents(*m_executor, m_feed);
    QSignalSpy reset(&agents, &QAbstractItemModel::modelReset);
    // Two reloads in a row: only the second one's result is applied
    agents.reload();
    agents.reload();
    QTRY_COMPARE(agents.rowCount(), 3);
    QTest::qWait(200);
    QCOMPARE(reset.size(), 1);
}

void TestModels::burstOfChangesEndsWithTheLatestRow()
{
    // Given the agents model loaded
    AgentsModel agents(*m_executor, m_feed);
    QAbstractItemModelTester tester(&agents, QAbstractItemModelTester::FailureReportingMode::QtTest);
    agents.reload();
    QTRY_COMPARE(agents.rowCount(), 3);
    const QString id = "cmx1zcg8p00048e7dw945wyv7";
    const int row = agents.rowOf(id);
    QSignalSpy changed(&agents, &QAbstractItemModel::dataChanged);

    // When one row changes 30 times in a row, each change announced, without waiting
    QSqlQuery q(m_db->connection());
    const QStringList statuses{"BUSY", "ACTIVE", "INACTIVE"};
    for (int i = 0; i < 30; ++i) {
        QVERIFY(q.exec(
            QStringLiteral("UPDATE agents SET status = '%1' WHERE id = '%2'").arg(statuses.at(i % 3), id)));
        m_feed.publish("agents", id, ChangeFeed::Op::Update);
    }
    // (the 30th status, i = 29, is statuses[2])

    // Then the row ends with the last value, fetched far fewer than 30 times
    QTRY_COMPARE(agents.index(row, AgentsModel::Status).data(Qt::EditRole).toString(),
                 QStringLiteral("INACTIVE"));
    QTest::qWait(200);
    QCOMPARE(agents.index(row, AgentsModel::Status).data(Qt::EditRole).toString(),
             QStringLiteral("INACTIVE"));
    QVERIFY2(changed.size() <= 3, qPrintable(QString::number(changed.size())));
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
