// The agent protocol's messages and notifications over real loopback WebSockets against a real
// server (docs/agent-protocol.md): message.send and message.list with every error, task.open on
// connect, task.assigned / task.unassigned / task.updated when a manager edits tasks in the GUI's
// model, and message.received live and on the next connection, exactly once.
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "entityspecs.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "loadedmodel.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;

namespace {

const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistant = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");
const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");

QJsonValue path(const QJsonValue &value, const QString &dotted)
{
    QJsonValue v = value;
    for (const QString &key : dotted.split('.'))
        v = v.toObject().value(key);
    return v;
}

/// The notifications (frames with a method) the client got, in order.
QList<QJsonObject> notifications(const HubClient &client, const QString &method)
{
    QList<QJsonObject> out;
    for (const QJsonObject &frame : client.notifications) {
        if (frame.value("method").toString() == method)
            out << frame;
    }
    return out;
}

} // namespace

class TestHubNotify : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void sendAndList();
    void messageErrors_data();
    void messageErrors();
    void openTasksOnConnect();
    void managerAssignsInTheModel();
    void messagesLiveAndOnNextConnection();
    void agentToAgentMessage();

private:
    /// A manager's message to `agent`, written as the backend would, and announced like the GUI does.
    QString managerMessage(const QString &agent, const QString &content)
    {
        static int n = 0;
        const QString id = QStringLiteral("cnotifymsg%1").arg(++n, 15, 10, QLatin1Char('0'));
        QSqlQuery q(m_db->connection());
        q.prepare(
            "INSERT INTO messages (id, content, \"senderId\", \"senderType\", \"receiverId\", "
            "\"receiverType\", "
            "\"updatedAt\", metadata) VALUES (:id, :content, :admin, 'USER', :agent, 'AGENT', now(), '{}')");
        q.bindValue(":id", id);
        q.bindValue(":content", content);
        q.bindValue(":admin", kAdmin);
        q.bindValue(":agent", agent);
        if (!q.exec())
            return {};
        m_feed->publish("messages", id, ChangeFeed::Op::Insert, "desk");
        return id;
    }
    /// Connects and waits for task.open, the hub's first notification.
    bool connect(HubClient &client, const QString &agent)
    {
        const QString t = newAgentToken(*m_executor, agent);
        if (t.isEmpty())
            return false;
        client.open(m_hub->url(), t);
        for (int i = 0; i < 1000 && notifications(client, "task.open").isEmpty(); ++i)
            QTest::qWait(5);
        return !notifications(client, "task.open").isEmpty();
    }
    bool waitFor(const HubClient &client, const QString &method, int count = 1)
    {
        for (int i = 0; i < 1000 && notifications(client, method).size() < count; ++i)
            QTest::qWait(5);
        return notifications(client, method).size() >= count;
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<hub::HubHost> m_hub;
};

void TestHubNotify::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("hubnotify");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_feed = std::make_unique<ChangeFeed>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));
}

void TestHubNotify::cleanupTestCase()
{
    m_hub.reset();
    m_feed.reset();
    m_executor.reset();
    m_db.reset();
}

void TestHubNotify::sendAndList()
{
    // Given Build Bot connected, holding a task
    const QString task = insertTask(*m_db, kBuildBot, "IN_PROGRESS");
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));

    // When it sends a message about the task to the admin
    const QJsonObject sent = bot.request("message.send", {{"content", "Halfway there"},
                                                          {"taskId", task},
                                                          {"receiverId", kAdmin},
                                                          {"receiverType", "USER"},
                                                          {"metadata", QJsonObject{{"kind", "status"}}}});

    // Then the reply holds the stored message, and the database has it as the agent's
    QCOMPARE(path(sent, "result.message.content").toString(), QString("Halfway there"));
    QCOMPARE(path(sent, "result.message.senderType").toString(), QString("AGENT"));
    const QString id = path(sent, "result.message.id").toString();
    QCOMPARE(
        m_db->scalar(
                QString("SELECT \"senderId\" || ' ' || \"senderType\" || ' ' || \"receiverId\" || ' ' || "
                        "(metadata->>'kind') FROM messages WHERE id = '%1'")
                    .arg(id))
            .toString(),
        QString("%1 AGENT %2 status").arg(kBuildBot, kAdmin));

    // And message.list on the task shows it, oldest first; "since" its time leaves it out
    const QJsonObject second = bot.request("message.send", {{"content", "Done soon"}, {"taskId", task}});
    QVERIFY(path(second, "result.message.receiverId").isNull());
    const QJsonArray listed =
        path(bot.request("message.list", {{"taskId", task}}), "result.messages").toArray();
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).toObject().value("id").toString(), id);
    const QString firstTime = listed.at(0).toObject().value("createdAt").toString();
    const QJsonArray after =
        path(bot.request("message.list", {{"taskId", task}, {"since", firstTime}}), "result.messages")
            .toArray();
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.at(0).toObject().value("content").toString(), QString("Done soon"));
    const QJsonArray limited =
        path(bot.request("message.list", {{"taskId", task}, {"limit", 1}}), "result.messages").toArray();
    QCOMPARE(limited.size(), 1);
}

void TestHubNotify::messageErrors_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<int>("code");
    const QString othersTask = insertTask(*m_db, kAssistant, "IN_PROGRESS");
    QTest::newRow("no content") << "message.send" << QJsonObject{} << -32602;
    QTest::newRow("blank content") << "message.send" << QJsonObject{{"content", "  "}} << -32602;
    QTest::newRow("content not a string") << "message.send" << QJsonObject{{"content", 5}} << -32602;
    QTest::newRow("content too long")
        << "message.send" << QJsonObject{{"content", QString(10001, 'x')}} << -32006;
    QTest::newRow("metadata not an object")
        << "message.send" << QJsonObject{{"content", "x"}, {"metadata", "text"}} << -32602;
    QTest::newRow("metadata too large")
        << "message.send"
        << QJsonObject{{"content", "x"}, {"metadata", QJsonObject{{"blob", QString(70000, 'y')}}}} << -32006;
    QTest::newRow("receiver without type")
        << "message.send" << QJsonObject{{"content", "x"}, {"receiverId", kAdmin}} << -32602;
    QTest::newRow("bad receiver type")
        << "message.send" << QJsonObject{{"content", "x"}, {"receiverId", kAdmin}, {"receiverType", "ROBOT"}}
        << -32602;
    QTest::newRow("no such receiver") << "message.send"
                                      << QJsonObject{{"content", "x"},
                                                     {"receiverId", "cnobody000000000000000000"},
                                                     {"receiverType", "AGENT"}}
                                      << -32002;
    QTest::newRow("someone else's task")
        << "message.send" << QJsonObject{{"content", "x"}, {"taskId", othersTask}} << -32002;
    QTest::newRow("list someone else's task")
        << "message.list" << QJsonObject{{"taskId", othersTask}} << -32002;
    QTest::newRow("list bad since") << "message.list" << QJsonObject{{"since", "yesterday"}} << -32602;
    QTest::newRow("list limit zero") << "message.list" << QJsonObject{{"limit", 0}} << -32602;
    QTest::newRow("list limit too big") << "message.list" << QJsonObject{{"limit", 1001}} << -32602;
    QTest::newRow("list task id a number") << "message.list" << QJsonObject{{"taskId", 7}} << -32602;
}

void TestHubNotify::messageErrors()
{
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    QFETCH(int, code);
    HubClient bot;
    QVERIFY(connect(bot, kBuildBot));
    const int before = m_db->scalar("SELECT count(*) FROM messages").toInt();

    const QJsonObject reply = bot.request(method, params);

    QCOMPARE(path(reply, "error.code").toInt(), code);
    QVERIFY(!path(reply, "error.message").toString().isEmpty());
    QCOMPARE(m_db->scalar("SELECT count(*) FROM messages").toInt(), before);
}

void TestHubNotify::openTasksOnConnect()
{
    // Given the assistant holds an ASSIGNED and an IN_PROGRESS task, and has finished one
    QSqlQuery(m_db->connection())
        .exec(QString("UPDATE tasks SET \"assignedTo\" = NULL WHERE \"assignedTo\" = '%1'").arg(kAssistant));
    const QString assigned = insertTask(*m_db, kAssistant, "ASSIGNED");
    const QString running = insertTask(*m_db, kAssistant, "IN_PROGRESS");
    insertTask(*m_db, kAssistant, "COMPLETED");

    // When it connects
    HubClient assistant;
    QVERIFY(connect(assistant, kAssistant));

    // Then its first frame is task.open with exactly the two open tasks, oldest first
    QCOMPARE(assistant.frames.first().value("method").toString(), QString("task.open"));
    QVERIFY(!assistant.frames.first().contains("id"));
    const QJsonArray tasks = path(assistant.frames.first(), "params.tasks").toArray();
    QCOMPARE(tasks.size(), 2);
    QCOMPARE(tasks.at(0).toObject().value("id").toString(), assigned);
    QCOMPARE(tasks.at(1).toObject().value("id").toString(), running);
    QCOMPARE(tasks.at(1).toObject().value("status").toString(), QString("IN_PROGRESS"));
}

void TestHubNotify::managerAssignsInTheModel()
{
    // Given Build Bot and the assistant connected, a PENDING task nobody holds, and the tasks view
    const QString task = insertTask(*m_db, QString(), "PENDING");
    HubClient bot, assistant;
    QVERIFY(connect(bot, kBuildBot));
    QVERIFY(connect(assistant, kAssistant));
    const int rows = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    LoadedModel view(*m_executor, specs::tasks(), rows);
    view.model.followChanges(*m_feed);
    QVERIFY(view.model.rowOf(task) >= 0);

    // When the manager assigns it to Build Bot and saves
    QVERIFY(view.model.setData(view.cell(task, specs::TaskColumns::Assignee), kBuildBot));
    QVERIFY(view.model.setData(view.cell(task, specs::TaskColumns::Status), "ASSIGNED"));
    QCOMPARE(view.save().value(0).toBool(), true);

    // Then Build Bot gets task.assigned with the task as saved, and nobody else hears of it
    QVERIFY(waitFor(bot, "task.assigned"));
    const QJsonObject assigned = notifications(bot, "task.assigned").last();
    QCOMPARE(path(assigned, "params.task.id").toString(), task);
    QCOMPARE(path(assigned, "params.task.status").toString(), QString("ASSIGNED"));
    QVERIFY(notifications(assistant, "task.assigned").isEmpty());

    // When the manager changes its priority, Build Bot gets task.updated
    QVERIFY(view.model.setData(view.cell(task, specs::TaskColumns::Priority), "HIGH"));
    QCOMPARE(view.save().value(0).toBool(), true);
    QVERIFY(waitFor(bot, "task.updated"));
    QCOMPARE(path(notifications(bot, "task.updated").last(), "params.task.priority").toString(),
             QString("HIGH"));

    // When the agent accepts it itself, no echo comes back
    QCOMPARE(path(bot.request("task.accept", {{"taskId", task}}), "result.task.status").toString(),
             QString("IN_PROGRESS"));

    // When the manager, seeing it IN_PROGRESS, reassigns it to the assistant
    QTRY_COMPARE(view.cell(task, specs::TaskColumns::Status).data(roles::RawValue).toString(),
                 QString("IN_PROGRESS"));
    QVERIFY(view.model.setData(view.cell(task, specs::TaskColumns::Assignee), kAssistant));
    QCOMPARE(view.save().value(0).toBool(), true);

    // Then Build Bot is told it is gone, and the assistant that it is theirs
    QVERIFY(waitFor(bot, "task.unassigned"));
    QCOMPARE(path(notifications(bot, "task.unassigned").last(), "params.taskId").toString(), task);
    QCOMPARE(path(notifications(bot, "task.unassigned").last(), "params.reason").toString(),
             QString("reassigned"));
    QVERIFY(waitFor(assistant, "task.assigned"));
    QCOMPARE(path(notifications(assistant, "task.assigned").last(), "params.task.id").toString(), task);
    QCOMPARE(notifications(bot, "task.updated").size(), 1); // the accept was not echoed

    // When the manager deletes it, the assistant is told
    view.model.removeRows(view.model.rowOf(task), 1);
    const QVariantList deleted = view.save();
    QVERIFY2(deleted.value(0).toBool(), qPrintable(deleted.value(1).toString()));
    QVERIFY(waitFor(assistant, "task.unassigned"));
    QCOMPARE(path(notifications(assistant, "task.unassigned").last(), "params.reason").toString(),
             QString("deleted"));
}

void TestHubNotify::messagesLiveAndOnNextConnection()
{
    const QString agentToken = newAgentToken(*m_executor, kBuildBot);
    {
        // Given Build Bot connected, a manager's message reaches it live
        HubClient bot;
        bot.open(m_hub->url(), agentToken);
        QVERIFY(waitFor(bot, "task.open"));
        const QString live = managerMessage(kBuildBot, "Please also check the logs");
        QVERIFY(waitFor(bot, "message.received"));
        QCOMPARE(path(notifications(bot, "message.received").last(), "params.message.id").toString(), live);
        QCOMPARE(path(notifications(bot, "message.received").last(), "params.message.senderType").toString(),
                 QString("USER"));
        bot.socket->close();
        QTRY_COMPARE(m_hub->connectedAgents(), 0);
    }
    // When two messages are written while it is away
    const QString first = managerMessage(kBuildBot, "First while away");
    const QString second = managerMessage(kBuildBot, "Second while away");
    QTest::qWait(100);

    // Then its next connection brings both, in order, after task.open
    HubClient again;
    again.open(m_hub->url(), agentToken);
    QVERIFY(waitFor(again, "message.received", 2));
    const auto received = notifications(again, "message.received");
    QCOMPARE(received.size(), 2);
    QCOMPARE(path(received.at(0), "params.message.id").toString(), first);
    QCOMPARE(path(received.at(1), "params.message.id").toString(), second);
    QCOMPARE(again.frames.first().value("method").toString(), QString("task.open"));
    again.socket->close();
    QTRY_COMPARE(m_hub->connectedAgents(), 0);

    // And once only: the connection after that brings none of them again
    HubClient third;
    third.open(m_hub->url(), agentToken);
    QVERIFY(waitFor(third, "task.open"));
    QTest::qWait(200);
    QVERIFY(notifications(third, "message.received").isEmpty());
    QCOMPARE(
        m_db->scalar(QString("SELECT count(*) FROM message_deliveries WHERE \"messageId\" IN ('%1', '%2')")
                         .arg(first, second))
            .toInt(),
        2);
}

void TestHubNotify::agentToAgentMessage()
{
    HubClient bot, assistant;
    QVERIFY(connect(bot, kBuildBot));
    QVERIFY(connect(assistant, kAssistant));

    const QJsonObject sent =
        bot.request("message.send",
                    {{"content", "Can you review?"}, {"receiverId", kAssistant}, {"receiverType", "AGENT"}});
    QVERIFY2(sent.contains("result"), QJsonDocument(sent).toJson());

    QVERIFY(waitFor(assistant, "message.received"));
    QCOMPARE(path(notifications(assistant, "message.received").last(), "params.message.content").toString(),
             QString("Can you review?"));
    QCOMPARE(path(notifications(assistant, "message.received").last(), "params.message.senderId").toString(),
             kBuildBot);
    // The assistant's inbox lists it too
    const QJsonArray inbox = path(assistant.request("message.list", {}), "result.messages").toArray();
    QVERIFY(!inbox.isEmpty());
    QCOMPARE(inbox.last().toObject().value("content").toString(), QString("Can you review?"));
}

QTEST_MAIN(TestHubNotify)
#include "tst_hubnotify.moc"
