// The entity tables (models/entityspecs) on PagedTableModel over the backend's fixture:
// structure checked by QAbstractItemModelTester, foreign keys shown by name with the id kept,
// enums translated, timestamps local with UTC in the tooltip, secrets never shown, single-row
// refresh from the change feed (no reset), bursts folded, inserts and deletes counted again.
#include "authservice.h"
#include "changefeed.h"
#include "entityspecs.h"
#include "loadedmodel.h"
#include "pagedtablemodel.h"
#include "sessionwatch.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;
using namespace ccpm::specs;

namespace {

using Loaded = LoadedModel;

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyTableLoadsTheFixture_data();
    void everyTableLoadsTheFixture();
    void secretsAreNeverShown();
    void tasksShowNamesAndKeepIds();
    void messagesShowSenderAndReceiverNames();
    void timestampsAreLocalWithUtcTooltip();
    void sortAndQuickSearchRunInSql();
    void feedUpdateRefreshesOneRow();
    void burstOfChangesEndsWithTheLatestRow();
    void feedInsertAndDeleteCountAgain();
    void revokedSessionEnds();

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

void TestModels::everyTableLoadsTheFixture_data()
{
    QTest::addColumn<TableSpec>("spec");
    QTest::addColumn<int>("rows");
    QTest::newRow("users") << users() << 3;
    QTest::newRow("agents") << agents() << 3;
    QTest::newRow("tasks") << tasks() << 3;
    QTest::newRow("messages") << messages() << 3;
    QTest::newRow("sessions") << sessions() << 1;
}

void TestModels::everyTableLoadsTheFixture()
{
    QFETCH(TableSpec, spec);
    QFETCH(int, rows);
    Loaded t(*m_executor, spec, rows);
    QCOMPARE(t.model.rowCount(), rows);
    QVERIFY(t.model.countIsExact());
    QCOMPARE(t.model.columnCount(), spec.columns.size());
    for (int column = 0; column < t.model.columnCount(); ++column)
        QVERIFY(!t.model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
    for (int row = 0; row < rows; ++row) {
        QVERIFY(t.model.index(row, 0).data(roles::RowId).toString().startsWith('c'));
        QCOMPARE(t.model.index(row, 0).data(roles::EditState).toInt(), int(roles::CellState::Clean));
    }
}

void TestModels::secretsAreNeverShown()
{
    for (const TableSpec &spec : {users(), sessions()}) {
        Loaded t(*m_executor, spec, spec.table == "users" ? 3 : 1);
        for (int row = 0; row < t.model.rowCount(); ++row) {
            for (int column = 0; column < t.model.columnCount(); ++column) {
                for (int role :
                     {int(Qt::DisplayRole), int(Qt::EditRole), int(Qt::ToolTipRole), roles::RawValue}) {
                    const QString value = t.model.index(row, column).data(role).toString();
                    QVERIFY2(!value.startsWith("$2"), qPrintable(value)); // bcrypt hash
                    QVERIFY2(!value.contains("session-token"), qPrintable(value));
                }
            }
        }
    }
}

void TestModels::tasksShowNamesAndKeepIds()
{
    Loaded t(*m_executor, tasks(), 3);
    const int row = t.model.rowOf("cmx1zcg9g00088e7dw2r6u28j");
    QVERIFY(row >= 0);
    const auto cell = [&](int column) { return t.model.index(row, column); };
    QCOMPARE(cell(TaskColumns::Assignee).data().toString(), QStringLiteral("Build Bot"));
    QCOMPARE(cell(TaskColumns::Assignee).data(Qt::EditRole).toString(),
             QStringLiteral("cmx1zcg8u00058e7dt2kazxzd"));
    QCOMPARE(cell(TaskColumns::Assignee).data(roles::RawValue).toString(),
             QStringLiteral("cmx1zcg8u00058e7dt2kazxzd"));
    QCOMPARE(cell(TaskColumns::CreatedBy).data().toString(), QStringLiteral("admin"));
    QCOMPARE(cell(TaskColumns::Status).data().toString(), QStringLiteral("In progress"));
    QCOMPARE(cell(TaskColumns::Status).data(Qt::EditRole).toString(), QStringLiteral("IN_PROGRESS"));
    QCOMPARE(cell(TaskColumns::Progress).data(roles::RawValue).toLongLong(), 0);
    QVERIFY(cell(TaskColumns::Metadata).data().toString().startsWith('{'));
    QVERIFY(!cell(TaskColumns::Completed).data(roles::RawValue).isValid()); // NULL
}

void TestModels::messagesShowSenderAndReceiverNames()
{
    // Sender and receiver ids are a user's or an agent's, as their type column says
    Loaded m(*m_executor, messages(), 3);
    const auto cell = [&](const char *id, int column) { return m.model.index(m.model.rowOf(id), column); };
    const char *fromAgent = "cmx1zcg9p00098e7dr6gsbbxv";  // AI Assistant → admin
    const char *fromUser = "cmx1zcga2000a8e7dcqbxk8ou";   // testuser → Human Expert
    const char *noReceiver = "cmx1zcgaa000b8e7d8yslmee3"; // Build Bot → nobody
    QCOMPARE(cell(fromAgent, MessageColumns::Sender).data().toString(), QStringLiteral("AI Assistant"));
    QCOMPARE(cell(fromAgent, MessageColumns::Receiver).data().toString(), QStringLiteral("admin"));
    QCOMPARE(cell(fromUser, MessageColumns::Sender).data().toString(), QStringLiteral("testuser"));
    QCOMPARE(cell(fromUser, MessageColumns::Receiver).data().toString(), QStringLiteral("Human Expert"));
    QCOMPARE(cell(fromUser, MessageColumns::Sender).data(Qt::EditRole).toString(),
             QStringLiteral("cmx1zcg6600018e7dfr0y0buw")); // the id stays what is edited
    QCOMPARE(cell(noReceiver, MessageColumns::Sender).data().toString(), QStringLiteral("Build Bot"));
    QVERIFY(!cell(noReceiver, MessageColumns::Receiver).data(roles::RawValue).isValid()); // NULL

    // Sorting and searching go by the names
    m.model.sort(MessageColumns::Sender, Qt::AscendingOrder);
    QTRY_VERIFY(m.model.isLoaded(2));
    QCOMPARE(m.model.index(0, MessageColumns::Sender).data().toString(), QStringLiteral("AI Assistant"));
    QCOMPARE(m.model.index(2, MessageColumns::Sender).data().toString(), QStringLiteral("testuser"));
    m.model.setQuickSearch(QStringLiteral("human exp"));
    QTRY_VERIFY(m.model.countIsExact() && m.model.rowCount() == 1 && m.model.isLoaded(0));
    QCOMPARE(m.model.index(0, MessageColumns::Receiver).data().toString(), QStringLiteral("Human Expert"));
}

void TestModels::timestampsAreLocalWithUtcTooltip()
{
    Loaded t(*m_executor, agents(), 3);
    const int row = t.model.rowOf("cmx1zcg8p00048e7dw945wyv7");
    const QModelIndex updated = t.model.index(row, AgentColumns::Updated);
    const QDateTime utc = updated.data(roles::RawValue).toDateTime();
    QCOMPARE(utc, QDateTime(QDate(2026, 11, 29), QTime(15, 14, 20, 857), Qt::UTC));
    QCOMPARE(updated.data(Qt::ToolTipRole).toString(), QStringLiteral("2026-11-29 15:14:20.857 UTC"));
    QCOMPARE(updated.data().toString(), utc.toLocalTime().toString("yyyy-MM-dd HH:mm:ss"));
    QCOMPARE(t.model.index(row, AgentColumns::Capabilities).data().toString(),
             QStringLiteral("code-review, architecture-design, mentoring"));
    QCOMPARE(t.model.index(row, AgentColumns::Capabilities).data(roles::RawValue).toStringList().size(), 3);
}

void TestModels::sortAndQuickSearchRunInSql()
{
    Loaded t(*m_executor, agents(), 3);
    t.model.sort(AgentColumns::Name, Qt::DescendingOrder);
    QTRY_VERIFY(t.model.rowCount() == 3 && t.model.isLoaded(2));
    QStringList names;
    for (int row = 0; row < 3; ++row)
        names << t.model.index(row, AgentColumns::Name).data().toString();
    QCOMPARE(names, (QStringList{"Human Expert", "Build Bot", "AI Assistant"}));

    // A quick search with LIKE's wildcards matches them literally
    t.model.setQuickSearch("bot");
    QTRY_VERIFY(t.model.countIsExact() && t.model.rowCount() == 1 && t.model.isLoaded(0));
    QCOMPARE(t.model.index(0, AgentColumns::Name).data().toString(), QStringLiteral("Build Bot"));
    t.model.setQuickSearch("%");
    QTRY_VERIFY(t.model.countIsExact());
    QCOMPARE(t.model.rowCount(), 0);
    t.model.setQuickSearch({});
    t.model.setFilters({{AgentColumns::Type, KeysetQuery::Filter::Op::InSet, QStringList{"AI", "BOT"}}});
    QTRY_VERIFY(t.model.countIsExact() && t.model.rowCount() == 2);
}

void TestModels::feedUpdateRefreshesOneRow()
{
    // Given the agents model loaded
    Loaded t(*m_executor, agents(), 3);
    t.model.followChanges(m_feed);
    const QString id = "cmx1zcg8i00038e7d4rutgnst";
    const int row = t.model.rowOf(id);
    QSignalSpy changed(&t.model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&t.model, &QAbstractItemModel::modelReset);

    // When someone changes the row with plain SQL and the feed announces it
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        "UPDATE agents SET status = 'BUSY', \"updatedAt\" = now() WHERE id = 'cmx1zcg8i00038e7d4rutgnst'"));
    m_feed.publish("agents", id, ChangeFeed::Op::Update);

    // Then only that row changes, with the new value, and the model is not reset
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), row);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), row);
    QCOMPARE(t.model.index(row, AgentColumns::Status).data(Qt::EditRole).toString(), QStringLiteral("BUSY"));
    QCOMPARE(t.model.index(row, AgentColumns::Status).data().toString(), QStringLiteral("Busy"));
    QCOMPARE(reset.size(), 0);
    // And a change to another table is ignored
    m_feed.publish("tasks", id, ChangeFeed::Op::Update);
    QTest::qWait(100);
    QCOMPARE(changed.size(), 1);
}

void TestModels::burstOfChangesEndsWithTheLatestRow()
{
    Loaded t(*m_executor, agents(), 3);
    t.model.followChanges(m_feed);
    const QString id = "cmx1zcg8p00048e7dw945wyv7";
    const int row = t.model.rowOf(id);
    QSignalSpy changed(&t.model, &QAbstractItemModel::dataChanged);

    // When one row changes 30 times in a row, each change announced, without waiting
    QSqlQuery q(m_db->connection());
    const QStringList statuses{"BUSY", "ACTIVE", "INACTIVE"};
    for (int i = 0; i < 30; ++i) {
        QVERIFY(q.exec(
            QStringLiteral("UPDATE agents SET status = '%1' WHERE id = '%2'").arg(statuses.at(i % 3), id)));
        m_feed.publish("agents", id, ChangeFeed::Op::Update);
    }

    // Then the row ends with the last value (i = 29: INACTIVE), fetched far fewer than 30 times
    QTRY_COMPARE(t.model.index(row, AgentColumns::Status).data(Qt::EditRole).toString(),
                 QStringLiteral("INACTIVE"));
    QTest::qWait(200);
    QCOMPARE(t.model.index(row, AgentColumns::Status).data(Qt::EditRole).toString(),
             QStringLiteral("INACTIVE"));
    QVERIFY2(changed.size() <= 3, qPrintable(QString::number(changed.size())));
}

void TestModels::feedInsertAndDeleteCountAgain()
{
    Loaded t(*m_executor, users(), 3);
    t.model.followChanges(m_feed);
    QSignalSpy reset(&t.model, &QAbstractItemModel::modelReset);

    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(
        "INSERT INTO users VALUES ('cnewuser00000000000000000','newbie','newbie@example.com','x','USER',"
        "now(),now())"));
    m_feed.publish("users", "cnewuser00000000000000000", ChangeFeed::Op::Insert);
    QTRY_COMPARE(t.model.rowCount(), 4);
    QTRY_VERIFY(t.model.rowOf("cnewuser00000000000000000") >= 0);

    QVERIFY(q.exec("DELETE FROM users WHERE id = 'cnewuser00000000000000000'"));
    // An "update" for a row that no longer exists removes it too (the feed may be late)
    m_feed.publish("users", "cnewuser00000000000000000", ChangeFeed::Op::Update);
    QTRY_COMPARE(t.model.rowCount(), 3);
    QTRY_COMPARE(t.model.rowOf("cnewuser00000000000000000"), -1);
    QCOMPARE(reset.size(), 0);
}

void TestModels::revokedSessionEnds()
{
    // Given the admin's open session, watched every 50 ms
    const QString admin = m_db->scalar("SELECT id FROM users WHERE username = 'admin'").toString();
    auto session = QCoro::waitFor(AuthService(*m_executor).openSession(admin));
    CCPM_VERIFY_OK(session);
    SessionWatch watch(*m_executor, 50);
    QSignalSpy ended(&watch, &SessionWatch::ended);
    watch.watch(session->id);

    // While the row is there, nothing happens
    QTest::qWait(300);
    QCOMPARE(ended.size(), 0);

    // When an administrator deletes it (Sessions tab), the watch says so, once
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QString("DELETE FROM sessions WHERE id = '%1'").arg(session->id)));
    QCOMPARE(q.numRowsAffected(), 1);
    QTRY_COMPARE(ended.size(), 1);
    QTest::qWait(200);
    QCOMPARE(ended.size(), 1);
    QVERIFY(watch.sessionId().isEmpty());
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
