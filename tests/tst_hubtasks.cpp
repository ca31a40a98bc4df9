// The agent protocol's task methods over real loopback WebSockets against a real server
// (docs/agent-protocol.md): the lifecycle accept → progress → complete, release and fail, every
// error, a race where exactly one writer wins, and the GUI's tasks model repainting the row.
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "entityspecs.h"
#include "hub/closecodes.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "tasklifecycle.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {

const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");

/// The value at a dotted path ("result.task.status") of a reply.
QJsonValue path(const QJsonValue &value, const QString &dotted)
{
    QJsonValue v = value;
    for (const QString &key : dotted.split('.'))
        v = v.toObject().value(key);
    return v;
}

} // namespace

class TestHubTasks : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void acceptProgressComplete();
    void releaseAndFail();
    void retriesAreIdempotent();
    void errors_data();
    void errors();
    void exactlyOneWriterWins();
    void progressReportsAreCoalesced();
    void pipelinedRequestsKeepTheirOrder();
    void anUnstorableReportFailsOnlyItself();
    void helloAuthenticatesWithoutAHeader();
    void helloRefusals_data();
    void helloRefusals();
    void browserOriginIsRefused();

private:
    QString field(const QString &task, const QString &expression) const
    {
        return m_db
            ->scalar(QStringLiteral("SELECT (%1)::text FROM tasks WHERE id = '%2'").arg(expression, task))
            .toString();
    }
    bool connect(HubClient &client, const QString &agent)
    {
        const QString token = newAgentToken(*m_executor, agent, "tasks test");
        if (token.isEmpty())
            return false;
        client.open(m_hub->url(), token);
        for (int i = 0; i < 1000 && client.socket->state() != QAbstractSocket::ConnectedState; ++i)
            QTest::qWait(5);
        // The token check runs after the handshake: a first answered call proves it is done.
        return !client.request("task.list", {}).isEmpty();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<hub::HubHost> m_hub;
    int m_nextId = 0;
};

void TestHubTasks::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("hubtasks");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    hub::HubSettings settings;
    settings.helloTimeoutMs = 500;
    settings.allowedOrigins = QStringList{"https://tools.example.com"};
    m_hub->setHubSettings(settings);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));
}

void TestHubTasks::cleanupTestCase()
{
    m_hub.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestHubTasks::acceptProgressComplete()
{
    // Given a task assigned to Build Bot, the GUI's tasks view, and Build Bot connected
    const QString task = insertTask(*m_db, kBuildBot, "ASSIGNED");
    QVERIFY(!task.isEmpty());
    PagedTableModel view(*m_executor, specs::tasks());
    QAbstractItemModelTester tester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.followChanges(*m_feed);
    view.reload();
    QTRY_VERIFY(view.rowOf(task) >= 0);
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));

    // task.list shows it among the agent's tasks, and only the agent's
    const QJsonArray listed =
        path(bot.request("task.list", {{"status", "ASSIGNED"}}), "result.tasks").toArray();
    QVERIFY(std::any_of(listed.begin(), listed.end(),
                        [&](const QJsonValue &t) { return path(t, "id").toString() == task; }));
    for (const QJsonValue &t : listed)
        QCOMPARE(path(t, "status").toString(), QStringLiteral("ASSIGNED"));

    // accept → IN_PROGRESS, in the database before the reply, and in the view
    QJsonObject reply = bot.request("task.accept", {{"taskId", task}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("IN_PROGRESS"));
    QCOMPARE(field(task, "status"), QStringLiteral("IN_PROGRESS"));
    QTRY_COMPARE(view.index(view.rowOf(task), specs::TaskColumns::Status).data(Qt::EditRole).toString(),
                 QStringLiteral("IN_PROGRESS"));

    // progress with a note
    reply =
        bot.request("task.progress", {{"taskId", task}, {"progress", 40}, {"note", "halfway, \"quoted\""}});
    QCOMPARE(path(reply, "result.task.progress").toInt(), 40);
    QCOMPARE(field(task, "progress"), QStringLiteral("40"));
    QCOMPARE(field(task, "metadata->>'progressNote'"), QStringLiteral("halfway, \"quoted\""));
    // (announced with its batch on the feed: the view follows)
    QTRY_COMPARE(
        view.index(view.rowOf(task), specs::TaskColumns::Progress).data(roles::RawValue).toLongLong(), 40);

    // complete with a result: COMPLETED, progress 100, completedAt, metadata.result
    reply = bot.request("task.complete",
                        {{"taskId", task}, {"result", QJsonObject{{"artifact", "build-42.tar.gz"}}}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("COMPLETED"));
    QVERIFY(!path(reply, "result.task.completedAt").toString().isEmpty());
    QCOMPARE(field(task, "status || ' ' || progress"), QStringLiteral("COMPLETED 100"));
    QVERIFY(!field(task, "\"completedAt\"").isEmpty());
    QCOMPARE(field(task, "metadata->'result'->>'artifact'"), QStringLiteral("build-42.tar.gz"));
    QTRY_COMPARE(
        view.index(view.rowOf(task), specs::TaskColumns::Progress).data(roles::RawValue).toLongLong(), 100);
}

void TestHubTasks::releaseAndFail()
{
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    const QString released = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    QJsonObject reply = bot.request("task.release", {{"taskId", released}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("PENDING"));
    QCOMPARE(field(released, "status || '/' || coalesce(\"assignedTo\", 'nobody')"),
             QStringLiteral("PENDING/nobody"));

    const QString failed = insertTask(*m_db, kBuildBot, "ASSIGNED");
    reply = bot.request("task.fail", {{"taskId", failed}, {"reason", "disk full"}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("FAILED"));
    QCOMPARE(field(failed, "metadata->>'failureReason'"), QStringLiteral("disk full"));
}

void TestHubTasks::retriesAreIdempotent()
{
    // An agent that lost the reply (connection or database gone after the commit) sends the same
    // call again: it succeeds with the task as it is, and the first call's values stay.
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    const QString task = insertTask(*m_db, kBuildBot, "ASSIGNED");
    QJsonObject reply = bot.request("task.accept", {{"taskId", task}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("IN_PROGRESS"));
    reply = bot.request("task.accept", {{"taskId", task}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("IN_PROGRESS"));
    reply = bot.request("task.complete", {{"taskId", task}, {"result", "first"}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("COMPLETED"));
    const QString completedAt = field(task, "\"completedAt\"::text");
    reply = bot.request("task.complete", {{"taskId", task}, {"result", "second"}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("COMPLETED"));
    QCOMPARE(field(task, "metadata->>'result'"), QStringLiteral("first"));
    QCOMPARE(field(task, "\"completedAt\"::text"), completedAt);

    const QString failed = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    reply = bot.request("task.fail", {{"taskId", failed}, {"reason", "disk full"}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("FAILED"));
    reply = bot.request("task.fail", {{"taskId", failed}, {"reason", "again"}});
    QCOMPARE(path(reply, "result.task.status").toString(), QStringLiteral("FAILED"));
    QCOMPARE(field(failed, "metadata->>'failureReason'"), QStringLiteral("disk full"));

    // Another agent's retry is still refused: idempotence is for the agent that holds the task
    const QString other = insertTask(*m_db, kAssistant, "COMPLETED");
    reply = bot.request("task.complete", {{"taskId", other}});
    QCOMPARE(path(reply, "error.code").toInt(), -32002);
}

void TestHubTasks::errors_data()
{
    QTest::addColumn<QString>("owner");  // who the task is assigned to
    QTest::addColumn<QString>("status"); // its state
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params"); // "taskId" is filled in
    QTest::addColumn<int>("code");
    QTest::newRow("accept someone else's task") << kAssistant << "ASSIGNED"
                                                << "task.accept" << QJsonObject{} << -32002;
    QTest::newRow("accept an unknown task") << ""
                                            << "ASSIGNED"
                                            << "task.accept" << QJsonObject{} << -32002;
    QTest::newRow("accept a failed task") << kBuildBot << "FAILED"
                                          << "task.accept" << QJsonObject{} << -32003;
    QTest::newRow("progress before accepting") << kBuildBot << "ASSIGNED"
                                               << "task.progress" << QJsonObject{{"progress", 10}} << -32003;
    QTest::newRow("progress 101") << kBuildBot << "IN_PROGRESS"
                                  << "task.progress" << QJsonObject{{"progress", 101}} << -32602;
    QTest::newRow("progress 2.5") << kBuildBot << "IN_PROGRESS"
                                  << "task.progress" << QJsonObject{{"progress", 2.5}} << -32602;
    QTest::newRow("progress as text") << kBuildBot << "IN_PROGRESS"
                                      << "task.progress" << QJsonObject{{"progress", "50"}} << -32602;
    QTest::newRow("note not a string")
        << kBuildBot << "IN_PROGRESS"
        << "task.progress" << QJsonObject{{"progress", 5}, {"note", 7}} << -32602;
    QTest::newRow("complete a failed task") << kBuildBot << "FAILED"
                                            << "task.complete" << QJsonObject{} << -32003;
    QTest::newRow("fail a completed task") << kBuildBot << "COMPLETED"
                                           << "task.fail" << QJsonObject{{"reason", "x"}} << -32003;
    QTest::newRow("fail without a reason") << kBuildBot << "IN_PROGRESS"
                                           << "task.fail" << QJsonObject{} << -32602;
    QTest::newRow("release a pending task") << kBuildBot << "PENDING"
                                            << "task.release" << QJsonObject{} << -32003;
    QTest::newRow("no taskId") << kBuildBot << "ASSIGNED"
                               << "task.accept" << QJsonObject{{"taskId", QJsonValue()}} << -32602;
    QTest::newRow("taskId a number") << kBuildBot << "ASSIGNED"
                                     << "task.accept" << QJsonObject{{"taskId", 12}} << -32602;
    QTest::newRow("list with a bad status") << kBuildBot << "ASSIGNED"
                                            << "task.list" << QJsonObject{{"status", "DONE"}} << -32602;
}

void TestHubTasks::errors()
{
    QFETCH(QString, owner);
    QFETCH(QString, status);
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    QFETCH(int, code);
    const QString task =
        owner.isEmpty() ? QStringLiteral("cnosuchtask00000000000000") : insertTask(*m_db, owner, status);
    if (!params.contains("taskId"))
        params.insert("taskId", task);
    else if (params.value("taskId").isNull())
        params.remove("taskId");
    const QString before = owner.isEmpty() ? QString() : field(task, "status || progress || metadata::text");

    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    const QJsonObject reply = bot.request(method, params);

    QCOMPARE(path(reply, "error.code").toInt(), code);
    QVERIFY(!path(reply, "error.message").toString().isEmpty());
    if (code == -32003)
        QCOMPARE(path(reply, "error.data.status").toString(), status);
    if (!owner.isEmpty())
        QCOMPARE(field(task, "status || progress || metadata::text"), before); // nothing changed
}

void TestHubTasks::exactlyOneWriterWins()
{
    // Given Build Bot and the Assistant connected
    HubClient bot;
    HubClient assistant;
    QVERIFY(connect(bot, kBuildBot));
    QVERIFY(connect(assistant, kAssistant));
    for (int round = 0; round < 20; ++round) {
        // When both accept the same unassigned PENDING task at once
        const QString task = insertTask(*m_db, QString(), "PENDING");
        QVERIFY(!task.isEmpty());
        const int a = ++m_nextId;
        const int b = ++m_nextId;
        bot.call(a, "task.accept", {{"taskId", task}});
        assistant.call(b, "task.accept", {{"taskId", task}});
        QTRY_VERIFY(!bot.reply(a).isEmpty() && !assistant.reply(b).isEmpty());

        // Then exactly one wins; the task is IN_PROGRESS and assigned to the winner
        const bool botWon = bot.reply(a).contains("result");
        const bool assistantWon = assistant.reply(b).contains("result");
        QVERIFY2(botWon != assistantWon,
                 qPrintable(QString("round %1: %2 / %3").arg(round).arg(botWon).arg(assistantWon)));
        const QJsonObject loser = botWon ? assistant.reply(b) : bot.reply(a);
        QCOMPARE(path(loser, "error.code").toInt(), -32002); // it is someone else's task now
        QCOMPARE(field(task, "status || '/' || \"assignedTo\""),
                 QStringLiteral("IN_PROGRESS/%1").arg(botWon ? kBuildBot : kAssistant));
    }
}

void TestHubTasks::progressReportsAreCoalesced()
{
    // Given two running tasks of Build Bot and one of the Assistant
    const QString mine1 = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    const QString mine2 = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    const QString theirs = insertTask(*m_db, kAssistant, "IN_PROGRESS");
    const QString done = insertTask(*m_db, kBuildBot, "COMPLETED");
    TaskLifecycle lifecycle(*m_executor);
    QList<QStringList> announced; // one entry per committed batch
    lifecycle.setProgressWritten([&announced](const QList<TaskRow> &rows) {
        QStringList batch;
        for (const TaskRow &row : rows)
            batch << QString("%1 %2").arg(row.id).arg(row.progress);
        announced << batch;
    });

    // When 60 reports arrive at once (they go into a few batches): 20 rising on each of Build
    // Bot's tasks, 10 on the Assistant's task by Build Bot, 10 on a completed task
    std::vector<QCoro::Task<Result<TaskRow>>> reports;
    QStringList expected;
    for (int i = 1; i <= 20; ++i) {
        reports.push_back(lifecycle.progress(kBuildBot, mine1, i * 5, QString()));
        expected << QString("ok %1").arg(i * 5);
        reports.push_back(lifecycle.progress(kBuildBot, mine2, i, QString("step %1").arg(i)));
        expected << QString("ok %1").arg(i);
        if (i <= 10) {
            reports.push_back(lifecycle.progress(kBuildBot, theirs, i, QString()));
            expected << "NotFound";
            reports.push_back(lifecycle.progress(kBuildBot, done, i, QString()));
            expected << "Conflict COMPLETED";
        }
    }
    QStringList outcomes;
    for (auto &report : reports) {
        const Result<TaskRow> row = QCoro::waitFor(std::move(report));
        outcomes << (row ? QString("ok %1").arg(row->progress)
                     : row.error().kind == Error::Kind::NotFound
                         ? QString("NotFound")
                         : QString("Conflict %1").arg(row.error().detail));
    }

    // Then each report gets its own answer, in its batch (a later report in the same batch wins
    // and both see that value, so a value is at least the one sent), and the last values stay
    QCOMPARE(outcomes.size(), expected.size());
    QVERIFY(outcomes.size() == 60);
    for (int i = 0; i < outcomes.size(); ++i) {
        if (expected.at(i).startsWith("ok")) {
            QVERIFY2(outcomes.at(i).startsWith("ok"), qPrintable(outcomes.at(i)));
            QVERIFY2(outcomes.at(i).mid(3).toInt() >= expected.at(i).mid(3).toInt(),
                     qPrintable(outcomes.at(i) + " < " + expected.at(i)));
        } else {
            QCOMPARE(outcomes.at(i), expected.at(i));
        }
    }
    QCOMPARE(field(mine1, "progress"), QString("100"));
    QCOMPARE(field(mine2, "progress || ' ' || (metadata->>'progressNote')"), QString("20 step 20"));
    // And each committed batch was announced once, with only the rows it changed: fewer
    // announcements than reports, none for the refused ones, the last values among them
    QVERIFY(!announced.isEmpty());
    QVERIFY2(announced.size() < 40, qPrintable(QString::number(announced.size())));
    const QStringList all = [&announced] {
        QStringList flat;
        for (const QStringList &batch : announced)
            flat << batch;
        return flat;
    }();
    for (const QString &row : all)
        QVERIFY2(row.startsWith(mine1 + " ") || row.startsWith(mine2 + " "), qPrintable(row));
    QVERIFY(all.contains(mine1 + " 100"));
    QVERIFY(all.contains(mine2 + " 20"));
    QCOMPARE(field(theirs, "progress"), QString("0"));
    QCOMPARE(field(done, "progress"), QString("0"));
}

void TestHubTasks::pipelinedRequestsKeepTheirOrder()
{
    // Given a task assigned to Build Bot, connected, and the hub's announcements counted
    const QString task = insertTask(*m_db, kBuildBot, "ASSIGNED");
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    int batches = 0;
    QObject scope;
    QObject::connect(m_feed.get(), &ChangeFeed::rowsChanged, &scope,
                     [&](const QString &table, const QStringList &ids, ChangeFeed::Op, const QString &) {
                         if (table == "tasks" && ids.contains(task))
                             ++batches;
                     });

    // When the agent sends without waiting for replies: a status, accept, 60 progress reports
    // (a note on the 30th only), a broken frame, a status, complete, one report too late
    const qsizetype before = bot.replies.size(); // connect()'s task.list
    int id = 0;
    bot.call(++id, "agent.setStatus", {{"status", "BUSY"}});
    bot.call(++id, "task.accept", {{"taskId", task}});
    for (int p = 1; p <= 60; ++p)
        bot.call(++id, "task.progress",
                 p == 30 ? QJsonObject{{"taskId", task}, {"progress", p}, {"note", "thirty"}}
                         : QJsonObject{{"taskId", task}, {"progress", p}});
    bot.send("{not json");
    bot.call(++id, "agent.setStatus", {{"status", "ACTIVE"}});
    bot.call(++id, "task.complete", {{"taskId", task}});
    bot.call(++id, "task.progress", {{"taskId", task}, {"progress", 5}});
    const int last = id;
    QTRY_COMPARE_WITH_TIMEOUT(bot.replies.size() - before, last + 1, 10000);

    // Then the replies come in the order sent, the broken frame's among them
    QList<int> order;
    for (const QJsonObject &reply : bot.replies.mid(before))
        order << (reply.value("id").isNull() ? 0 : reply.value("id").toInt());
    QList<int> sent;
    for (int i = 1; i <= 62; ++i)
        sent << i;
    sent << 0 << 63 << 64 << 65;
    QCOMPARE(order, sent);
    // And each took effect on the row the one before it left: accept before the reports,
    // the reports before complete, nothing after it
    QCOMPARE(path(bot.reply(2), "result.task.status").toString(), QStringLiteral("IN_PROGRESS"));
    for (int i = 3; i <= 62; ++i) {
        const QJsonObject reply = bot.reply(i);
        QVERIFY2(path(reply, "result.task.progress").toInt() >= i - 2,
                 qPrintable(QJsonDocument(reply).toJson(QJsonDocument::Compact)));
    }
    QCOMPARE(path(bot.reply(62), "result.task.progress").toInt(), 60);
    QCOMPARE(path(bot.reply(64), "result.task.status").toString(), QStringLiteral("COMPLETED"));
    QCOMPARE(path(bot.reply(65), "error.code").toInt(), -32003);
    QCOMPARE(path(bot.replies.at(before + 62), "error.code").toInt(), -32700);
    QCOMPARE(field(task, "status || ' ' || progress || ' ' || (metadata->>'progressNote')"),
             QStringLiteral("COMPLETED 100 thirty")); // later reports without a note keep it
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT status::text FROM agents WHERE id = '%1'").arg(kBuildBot))
                 .toString(),
             QStringLiteral("ACTIVE"));
    // And the reports sent together were written together: far fewer batches than reports
    QVERIFY2(batches >= 2 && batches < 30, qPrintable(QString::number(batches)));
}

void TestHubTasks::anUnstorableReportFailsOnlyItself()
{
    // Given running tasks of both agents, and a progress note PostgreSQL cannot store (U+0000;
    // the hub refuses it with -32602 before this, so this is the writer's own defence)
    const QString mine = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    const QString theirs = insertTask(*m_db, kAssistant, "IN_PROGRESS");
    TaskLifecycle lifecycle(*m_executor);

    // When the bad report shares a batch with good ones
    std::vector<QCoro::Task<Result<TaskRow>>> reports;
    reports.push_back(lifecycle.progress(kBuildBot, mine, 10, QString()));
    reports.push_back(lifecycle.progress(kBuildBot, mine, 20, QString(QString("bad") + QChar(0) + "note")));
    reports.push_back(lifecycle.progress(kAssistant, theirs, 30, QString("fine")));
    QList<bool> ok;
    for (auto &report : reports)
        ok << QCoro::waitFor(std::move(report)).ok();

    // Then only the bad one fails, and the others are written
    QCOMPARE(ok, (QList<bool>{true, false, true}));
    QCOMPARE(field(theirs, "progress || ' ' || (metadata->>'progressNote')"), QString("30 fine"));

    // And over the wire the hub refuses such strings as invalid params
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    const QJsonObject nul = bot.request(
        "task.progress", {{"taskId", mine}, {"progress", 5}, {"note", QString(QString("a") + QChar(0))}});
    QCOMPARE(path(nul, "error.code").toInt(), -32602);
    const QJsonObject surrogate =
        bot.request("task.progress", {{"taskId", QString(QChar(0xd800))}, {"progress", 5}});
    QCOMPARE(path(surrogate, "error.code").toInt(), -32602);
    QVERIFY2(!path(surrogate, "error.message").toString().contains("EXECUTE"),
             qPrintable(path(surrogate, "error.message").toString()));
}

void TestHubTasks::helloAuthenticatesWithoutAHeader()
{
    // Given a token and a client that cannot set headers (a browser-like WebSocket API)
    auto token = QCoro::waitFor(AgentTokenRepository(*m_executor).create(kBuildBot, "hello test"));
    QVERIFY(token.ok());
    HubClient bot;
    bot.open(m_hub->url(), QString());
    QTRY_COMPARE(bot.socket->state(), QAbstractSocket::ConnectedState);

    // When its first request is agent.hello with the token
    const QJsonObject hello =
        bot.request("agent.hello", {{"token", token->token}, {"name", "bot"}, {"version", "1.0"}});

    // Then it is that agent, speaking ccpm.agent.v1, and its requests are answered
    QCOMPARE(path(hello, "result.agentId").toString(), kBuildBot);
    QCOMPARE(path(hello, "result.protocol").toString(), QStringLiteral("ccpm.agent.v1"));
    QVERIFY(path(bot.request("task.list", {}), "result.tasks").isArray());
    QTest::qWait(700); // past the hello timeout: still connected
    QCOMPARE(bot.socket->state(), QAbstractSocket::ConnectedState);

    // And a second hello: the same token is fine, another agent's token does not switch agents
    QCOMPARE(path(bot.request("agent.hello", {{"token", token->token}}), "result.agentId").toString(),
             kBuildBot);
    auto other = QCoro::waitFor(AgentTokenRepository(*m_executor).create(kAssistant, "hello test"));
    QVERIFY(other.ok());
    QCOMPARE(path(bot.request("agent.hello", {{"token", other->token}}), "error.code").toInt(), -32001);
    QCOMPARE(path(bot.request("agent.hello", {{"token", "ccpm_nope"}}), "error.code").toInt(), -32001);
}

void TestHubTasks::helloRefusals_data()
{
    QTest::addColumn<QByteArray>("first"); // the first frame, or empty to send nothing
    QTest::newRow("wrong token") << QByteArray(
        R"({"jsonrpc":"2.0","id":1,"method":"agent.hello","params":{"token":"ccpm_nope"}})");
    QTest::newRow("no token") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"agent.hello","params":{}})");
    QTest::newRow("another method first") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"task.list"})");
    QTest::newRow("not JSON") << QByteArray("hello?");
    QTest::newRow("silence past the timeout") << QByteArray();
}

void TestHubTasks::helloRefusals()
{
    QFETCH(QByteArray, first);
    HubClient client;
    client.open(m_hub->url(), QString());
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    if (!first.isEmpty())
        client.send(first);
    QTRY_COMPARE(client.closeCode, int(hub::CloseCode::Unauthorized));
    QVERIFY(client.replies.isEmpty()); // nothing is answered before the agent is known
}

void TestHubTasks::browserOriginIsRefused()
{
    auto token = QCoro::waitFor(AgentTokenRepository(*m_executor).create(kBuildBot, "origin test"));
    QVERIFY(token.ok());
    const QStringList before = m_db->dumpRows("agents", {"id", "status", "updatedAt"});

    // A page of another site, even with a valid token, never completes the handshake
    QWebSocket evil("https://evil.example");
    QSignalSpy evilDisconnected(&evil, &QWebSocket::disconnected);
    QNetworkRequest request(m_hub->url());
    request.setRawHeader("Authorization", "Bearer " + token->token.toLatin1());
    evil.open(request);
    QTRY_VERIFY(evilDisconnected.size() > 0 || evil.state() == QAbstractSocket::UnconnectedState);
    QTest::qWait(200);
    QVERIFY(evil.state() != QAbstractSocket::ConnectedState);

    // An allowed origin connects
    QWebSocket tool("https://tools.example.com");
    QSignalSpy toolConnected(&tool, &QWebSocket::connected);
    tool.open(request);
    QTRY_COMPARE(toolConnected.size(), 1);
    tool.close();
    QCOMPARE(m_db->dumpRows("agents", {"id", "status", "updatedAt"}).size(), before.size());
}

QTEST_GUILESS_MAIN(TestHubTasks)
#include "tst_hubtasks.moc"
