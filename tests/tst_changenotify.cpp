// Many desks, one truth (issue #7): two independent app cores on one database, each with its own
// executor, feed and LISTEN connection. A change saved in A's model, or made with plain SQL as the
// backend would, shows in B's model in place; A hears no echo of its own writes; bulk statements
// cost a bounded number of notifications and no payload nears 8,000 bytes; an assignment made
// in A reaches an agent connected to B's hub; after a server restart B catches up on what changed
// before its listener was back.
#include "appcore.h"
#include "changelistener.h"
#include "embeddedpostgres.h"
#include "entityspecs.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "hubfixtures.h"
#include "loadedmodel.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <QCoro/QCoroTask>

#include <sys/stat.h>

using namespace ccpm;

namespace {

const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");

/// What a feed announced, recorded in the test's thread.
struct FeedEvent {
    QString table;
    QString id;
    ChangeFeed::Op op;
    QString origin;
};

/// Records a core's feed and its listener's raw payloads (both queued to the test's thread).
struct Recorder {
    QList<FeedEvent> events;
    QList<QByteArray> payloads;
    int listening = 0;
    int reconnected = 0;
    int lost = 0;
    QObject context;

    void follow(AppCore &core)
    {
        QObject::connect(&core.feed(), &ChangeFeed::rowChanged, &context,
                         [this](const QString &t, const QString &id, ChangeFeed::Op op, const QString &o) {
                             events.append({t, id, op, o});
                         });
        QObject::connect(core.listener(), &ChangeListener::payloadReceived, &context,
                         [this](const QByteArray &p) { payloads << p; });
        QObject::connect(core.listener(), &ChangeListener::listening, &context, [this](bool again) {
            ++listening;
            reconnected += again ? 1 : 0;
        });
        QObject::connect(core.listener(), &ChangeListener::connectionLost, &context, [this] { ++lost; });
    }
    int count(const QString &table, const QString &id, ChangeFeed::Op op, const QString &origin) const
    {
        return int(std::count_if(events.cbegin(), events.cend(), [&](const FeedEvent &e) {
            return e.table == table && e.id == id && e.op == op && e.origin == origin;
        }));
    }
};

bool exec(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        qWarning().noquote() << sql.left(80) << q.lastError().text();
        return false;
    }
    return true;
}

Result<AppCore::OpenReport> openCore(AppCore &core, const ConnectionSettings &settings)
{
    DatabaseChoice choice;
    choice.source = DatabaseChoice::Source::CommandLine;
    choice.settings = settings;
    return QCoro::waitFor(core.open(choice, {}));
}

} // namespace

class TestChangeNotify : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void parsePayloads_data();
    void parsePayloads();
    void saveInAShowsInB();
    void plainSqlShowsInB();
    void stagedEditSurvivesRemoteChange();
    void bulkWritesAreCollapsed();
    void payloadsStaySmall();
    void assignmentInAReachesAgentOnB();
    void restartCatchesUp();

private:
    /// Touches a marker row with plain SQL and waits (at most 5 s) until `recorder`'s feed
    /// announces it: every notification committed before is in by then (NOTIFY keeps commit order).
    bool sync(Recorder &recorder)
    {
        for (int attempt = 0; attempt < 50; ++attempt) {
            const int before = recorder.count("users", kAdmin, ChangeFeed::Op::Update, "pg");
            if (!exec(m_db->connection(),
                      QStringLiteral("UPDATE users SET \"updatedAt\" = now() WHERE id = '%1'").arg(kAdmin)))
                return false;
            for (int i = 0; i < 20; ++i) {
                QTest::qWait(5);
                if (recorder.count("users", kAdmin, ChangeFeed::Op::Update, "pg") > before)
                    return true;
            }
        }
        return false;
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<AppCore> m_a;
    std::unique_ptr<AppCore> m_b;
    Recorder m_recA;
    Recorder m_recB;
};

void TestChangeNotify::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("changenotify");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_a = std::make_unique<AppCore>();
    m_b = std::make_unique<AppCore>();
    CCPM_VERIFY_OK(openCore(*m_a, m_db->settings()));
    CCPM_VERIFY_OK(openCore(*m_b, m_db->settings()));
    QVERIFY(m_a->settings().changeOrigin != m_b->settings().changeOrigin);
    m_recA.follow(*m_a);
    m_recB.follow(*m_b);
    // Both listen once a plain-SQL change reaches them
    QVERIFY(sync(m_recA));
    QVERIFY(sync(m_recB));
}

void TestChangeNotify::cleanupTestCase()
{
    m_b.reset();
    m_a.reset();
    m_db.reset();
}

void TestChangeNotify::parsePayloads_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("ids");
    QTest::newRow("update") << QByteArray(R"({"t":"tasks","op":"U","ids":["a","b"],"o":"x"})") << true << 2;
    QTest::newRow("table changed") << QByteArray(R"({"t":"tasks","op":"*","o":""})") << true << 0;
    QTest::newRow("not json") << QByteArray("tasks changed") << false << 0;
    QTest::newRow("no table") << QByteArray(R"({"op":"U","ids":["a"]})") << false << 0;
    QTest::newRow("unknown op") << QByteArray(R"({"t":"tasks","op":"X","ids":["a"]})") << false << 0;
    QTest::newRow("ids missing") << QByteArray(R"({"t":"tasks","op":"I"})") << false << 0;
    QTest::newRow("id not text") << QByteArray(R"({"t":"tasks","op":"D","ids":[1]})") << false << 0;
}

void TestChangeNotify::parsePayloads()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    QFETCH(int, ids);
    const auto notice = ChangeListener::parse(payload);
    QCOMPARE(notice.has_value(), valid);
    if (notice)
        QCOMPARE(notice->ids.size(), ids);
}

void TestChangeNotify::saveInAShowsInB()
{
    // Given a task, and the tasks view open on both desks
    const QString task = insertTask(*m_db, QString(), "PENDING");
    QVERIFY(!task.isEmpty());
    QVERIFY(sync(m_recB));
    const int rows = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    LoadedModel a(m_a->executor(), specs::tasks(), rows);
    LoadedModel b(m_b->executor(), specs::tasks(), rows);
    a.model.followChanges(m_a->feed());
    b.model.followChanges(m_b->feed());
    QVERIFY(b.model.rowOf(task) >= 0);
    QSignalSpy resetB(&b.model, &QAbstractItemModel::modelAboutToBeReset);

    // When A renames it and saves
    QVERIFY(a.model.setData(a.cell(task, specs::TaskColumns::Title), "Renamed on desk A"));
    QCOMPARE(a.save().value(0).toBool(), true);

    // Then B shows it within a second, in place
    QTRY_COMPARE_WITH_TIMEOUT(b.cell(task, specs::TaskColumns::Title).data().toString(),
                              QString("Renamed on desk A"), 1000);
    QCOMPARE(resetB.size(), 0);
    // And A's own write never came back to A from PostgreSQL (B heard of it, so A's copy was
    // sent before the marker that A has now received)
    QCOMPARE(m_recB.count("tasks", task, ChangeFeed::Op::Update, "pg"), 1);
    QVERIFY(sync(m_recA));
    QCOMPARE(m_recA.count("tasks", task, ChangeFeed::Op::Update, "pg"), 0);
}

void TestChangeNotify::plainSqlShowsInB()
{
    // Given the tasks view on B
    const QString kept = insertTask(*m_db, QString(), "PENDING");
    QVERIFY(sync(m_recB));
    const int rows = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    LoadedModel b(m_b->executor(), specs::tasks(), rows);
    b.model.followChanges(m_b->feed());
    QSignalSpy resetB(&b.model, &QAbstractItemModel::modelAboutToBeReset);

    // When the backend updates a task, inserts one and deletes one, each with plain SQL
    QVERIFY(
        exec(m_db->connection(),
             QStringLiteral("UPDATE tasks SET title = 'Changed by the backend' WHERE id = '%1'").arg(kept)));
    QTRY_COMPARE_WITH_TIMEOUT(b.cell(kept, specs::TaskColumns::Title).data().toString(),
                              QString("Changed by the backend"), 1000);
    const QString added = insertTask(*m_db, QString(), "PENDING");
    QTRY_VERIFY_WITH_TIMEOUT(b.model.rowOf(added) >= 0, 1000);
    QCOMPARE(b.model.rowCount(), rows + 1);
    QVERIFY(exec(m_db->connection(), QStringLiteral("DELETE FROM tasks WHERE id = '%1'").arg(added)));
    QTRY_VERIFY_WITH_TIMEOUT(b.model.rowOf(added) < 0, 1000);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.rowCount(), rows, 1000);

    // Then none of it reset the view
    QCOMPARE(resetB.size(), 0);
}

void TestChangeNotify::stagedEditSurvivesRemoteChange()
{
    // Given a title staged (not saved) on desk B
    const QString task = insertTask(*m_db, QString(), "PENDING");
    QVERIFY(sync(m_recB));
    const int rows = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    LoadedModel b(m_b->executor(), specs::tasks(), rows);
    b.model.followChanges(m_b->feed());
    QVERIFY(b.model.setData(b.cell(task, specs::TaskColumns::Title), "Staged on desk B"));

    // When the backend changes the same row
    QVERIFY(exec(m_db->connection(),
                 QStringLiteral("UPDATE tasks SET description = 'Changed by the backend meanwhile', title = "
                                "'Their title', \"updatedAt\" = now() + interval '1 second' WHERE id = '%1'")
                     .arg(task)));

    // Then B shows their other values at once and keeps the staged title
    QTRY_COMPARE_WITH_TIMEOUT(b.cell(task, specs::TaskColumns::Description).data().toString(),
                              QString("Changed by the backend meanwhile"), 1000);
    QCOMPARE(b.cell(task, specs::TaskColumns::Title).data().toString(), QString("Staged on desk B"));
    QVERIFY(b.model.hasStagedChanges());
    // And flags the conflict at once, with their title
    QVERIFY(b.model.hasConflict(b.model.rowOf(task)));
    QCOMPARE(b.cell(task, specs::TaskColumns::Title).data(roles::TheirValue).toString(),
             QString("Their title"));
    // And saving does not overwrite theirs
    QCOMPARE(b.save().value(0).toBool(), false);
    QVERIFY(b.model.hasConflict(b.model.rowOf(task)));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT title FROM tasks WHERE id = '%1'").arg(task)).toString(),
             QString("Their title"));
    // When B keeps its title, the save goes through over their version
    b.model.keepMine(b.model.rowOf(task));
    QVERIFY(!b.model.hasConflict(b.model.rowOf(task)));
    QCOMPARE(b.save().value(0).toBool(), true);
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT title FROM tasks WHERE id = '%1'").arg(task)).toString(),
             QString("Staged on desk B"));
}

void TestChangeNotify::bulkWritesAreCollapsed()
{
    // Given B listening, and its messages view open
    QVERIFY(sync(m_recB));
    const qsizetype start = m_recB.payloads.size();
    const qsizetype eventsStart = m_recB.events.size();

    // When a bulk import COPYs a million messages in (the rows made by awk on the server)
    QVERIFY(
        exec(m_db->connection(),
             "COPY messages (id, content, \"senderId\", \"senderType\", \"receiverId\", \"receiverType\", "
             "\"updatedAt\", metadata) FROM PROGRAM 'awk ''BEGIN { for (i = 1; i <= 1000000; i++) printf "
             "\"bulk%d\\tbulk message\\tx\\tUSER\\ty\\tUSER\\t2026-11-30 00:00:00\\t{}\\n\", i }'''"));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM messages WHERE id LIKE 'bulk%'").toInt(), 1000000);
    QVERIFY(sync(m_recB));

    // Then B got a bounded number of notifications (the marker's one included), one of them
    // "messages changed", and its feed announced TableChanged instead of a million rows
    const qsizetype received = m_recB.payloads.size() - start;
    qInfo() << "notifications for a 1,000,000-row COPY (plus the marker):" << received;
    QVERIFY2(received >= 2 && received <= 5, qPrintable(QString::number(received)));
    int tableChanged = 0, rowEvents = 0;
    for (qsizetype i = eventsStart; i < m_recB.events.size(); ++i) {
        const FeedEvent &e = m_recB.events.at(i);
        if (e.table == "messages")
            (e.op == ChangeFeed::Op::TableChanged ? tableChanged : rowEvents) += 1;
    }
    QCOMPARE(tableChanged, 1);
    QCOMPARE(rowEvents, 0);

    QVERIFY(exec(m_db->connection(), "DELETE FROM messages WHERE id LIKE 'bulk%'"));
}

void TestChangeNotify::payloadsStaySmall()
{
    // Given B listening
    QVERIFY(sync(m_recB));
    const qsizetype start = m_recB.payloads.size();
    const qsizetype eventsStart = m_recB.events.size();

    // When 5,000 users are written in one statement, then 150 of them updated in one
    QVERIFY(exec(m_db->connection(),
                 "INSERT INTO users (id, username, email, password, role, \"createdAt\", \"updatedAt\") "
                 "SELECT 'cbulkuser' || lpad(g::text, 16, '0'), 'bulk' || g, 'bulk' || g || '@x', 'h', "
                 "'USER', now(), now() FROM generate_series(1, 5000) g"));
    QVERIFY(exec(m_db->connection(),
                 "UPDATE users SET \"updatedAt\" = now() WHERE id IN (SELECT id FROM users WHERE id "
                 "LIKE 'cbulkuser%' ORDER BY id LIMIT 150)"));
    QVERIFY(sync(m_recB));

    // Then the insert was one "users changed", the update two payloads of row ids (100 + 50),
    // and no payload came near PostgreSQL's 8,000-byte limit
    qsizetype largest = 0;
    int tableChanged = 0, updated = 0;
    for (qsizetype i = start; i < m_recB.payloads.size(); ++i)
        largest = std::max(largest, m_recB.payloads.at(i).size());
    for (qsizetype i = eventsStart; i < m_recB.events.size(); ++i) {
        const FeedEvent &e = m_recB.events.at(i);
        if (e.table == "users" && e.op == ChangeFeed::Op::TableChanged)
            ++tableChanged;
        if (e.table == "users" && e.op == ChangeFeed::Op::Update && e.id.startsWith("cbulkuser"))
            ++updated;
    }
    qInfo() << "largest payload:" << largest << "bytes";
    QCOMPARE(tableChanged, 1);
    QCOMPARE(updated, 150);
    QCOMPARE(int(m_recB.payloads.size() - start), 4); // insert, 2 × update, marker
    QVERIFY2(largest < 8000 && largest > 2000, qPrintable(QString::number(largest)));
    qsizetype everLargest = 0;
    for (const QByteArray &p : std::as_const(m_recB.payloads))
        everLargest = std::max(everLargest, p.size());
    QVERIFY(everLargest < 8000);
}

void TestChangeNotify::assignmentInAReachesAgentOnB()
{
    // Given Build Bot connected to B's hub, a PENDING task, and A's tasks view
    CCPM_VERIFY_OK(m_b->startHub(QHostAddress::LocalHost, 0));
    HubClient bot;
    const QString token = newAgentToken(m_b->executor(), kBuildBot);
    QVERIFY(!token.isEmpty());
    bot.open(m_b->hub()->url(), token);
    const auto count = [&bot](const QString &method, const QString &taskId) {
        return int(
            std::count_if(bot.notifications.cbegin(), bot.notifications.cend(), [&](const QJsonObject &f) {
                return f.value("method").toString() == method &&
                       (taskId.isEmpty() ||
                        f.value("params").toObject().value("task").toObject().value("id").toString() ==
                            taskId);
            }));
    };
    QTRY_VERIFY_WITH_TIMEOUT(count("task.open", {}) == 1, 5000);
    const QString task = insertTask(*m_db, QString(), "PENDING");
    QVERIFY(sync(m_recA));
    const int rows = m_db->scalar("SELECT count(*) FROM tasks").toInt();
    LoadedModel a(m_a->executor(), specs::tasks(), rows);
    a.model.followChanges(m_a->feed());

    // When a manager on desk A assigns it to Build Bot
    QVERIFY(a.model.setData(a.cell(task, specs::TaskColumns::Assignee), kBuildBot));
    QVERIFY(a.model.setData(a.cell(task, specs::TaskColumns::Status), "ASSIGNED"));
    QCOMPARE(a.save().value(0).toBool(), true);

    // Then Build Bot, connected to B, gets task.assigned within a second
    QTRY_COMPARE_WITH_TIMEOUT(count("task.assigned", task), 1, 1000);

    // When the backend writes Build Bot a message, it arrives live through B's hub
    QVERIFY(exec(
        m_db->connection(),
        QStringLiteral("INSERT INTO messages (id, content, \"senderId\", \"senderType\", \"receiverId\", "
                       "\"receiverType\", \"updatedAt\", metadata) VALUES ('cnotifymsg000000000000001', "
                       "'From the backend', '%1', 'USER', '%2', 'AGENT', now(), '{}')")
            .arg(kAdmin, kBuildBot)));
    QTRY_COMPARE_WITH_TIMEOUT(count("message.received", {}), 1, 1000);
    m_b->stopHub();
}

void TestChangeNotify::restartCatchesUp()
{
    // Given a server of our own (stopping it disturbs no other test) and desk B following users
    QTemporaryDir dir(QDir::tempPath() + "/ccpm-changenotify-XXXXXX");
    QVERIFY(dir.isValid());
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0); // reachable by the cluster user
    auto server = std::make_unique<EmbeddedPostgres>(dir.path());
    auto settings = server->start();
    CCPM_VERIFY_OK(settings);
    AppCore b;
    // A quick ping to notice the loss, and a slow retry so that rows change before it is back
    b.setListenerTuning({200, 3000, 3000});
    CCPM_VERIFY_OK(openCore(b, *settings));
    Recorder rec;
    rec.follow(b);
    QTRY_VERIFY_WITH_TIMEOUT(b.listener()->isListening(), 5000);
    const QString sqlName = QStringLiteral("changenotify-restart");
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase("QPSQL", sqlName);
        sql.setHostName(settings->host);
        sql.setPort(settings->port);
        sql.setDatabaseName(settings->database);
        sql.setUserName(settings->user);
        sql.setPassword(settings->password);
        QVERIFY2(sql.open(), qPrintable(sql.lastError().text()));
        QVERIFY(exec(sql, "INSERT INTO users VALUES ('u1', 'before', 'u1@x', 'h', 'USER', now(), now())"));
    }
    QTRY_VERIFY_WITH_TIMEOUT(rec.count("users", "u1", ChangeFeed::Op::Insert, "pg") == 1, 5000);
    {
        LoadedModel view(b.executor(), specs::users(), 1);
        view.model.followChanges(b.feed());
        QCOMPARE(view.model.rowCount(), 1);
        QSignalSpy reset(&view.model, &QAbstractItemModel::modelAboutToBeReset);

        // When the server stops, B's listener notices
        server->release();
        server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(rec.lost >= 1, 5000);
        QVERIFY(!b.listener()->isListening());

        // And rows change as soon as it is back, before the listener has reconnected
        server = std::make_unique<EmbeddedPostgres>(dir.path());
        CCPM_VERIFY_OK(server->start());
        QSqlDatabase sql = QSqlDatabase::database(sqlName, false);
        sql.close();
        QVERIFY2(sql.open(), qPrintable(sql.lastError().text()));
        QVERIFY(exec(sql, "UPDATE users SET username = 'after' WHERE id = 'u1'"));
        QVERIFY(exec(sql, "INSERT INTO users VALUES ('u2', 'added', 'u2@x', 'h', 'USER', now(), now())"));
        const int reconnectedBefore = rec.reconnected;
        if (reconnectedBefore > 0)
            qWarning("the listener was back before the rows changed: catch-up not exercised this time");

        // Then B reconnects, and its view catches up through the table-changed refresh, in place
        QTRY_VERIFY_WITH_TIMEOUT(rec.reconnected >= 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(view.cell("u1", specs::UserColumns::Username).data().toString(),
                                  QString("after"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(view.model.rowOf("u2") >= 0, 5000);
        QCOMPARE(reset.size(), 0);
        if (reconnectedBefore == 0) {
            // the rows changed unheard: only TableChanged can have brought them
            QCOMPARE(rec.count("users", "u2", ChangeFeed::Op::Insert, "pg"), 0);
            QVERIFY(rec.count("users", QString(), ChangeFeed::Op::TableChanged, "pg") >= 1);
        }
        // And it listens again: a later change arrives as a notification
        QVERIFY(exec(sql, "UPDATE users SET username = 'later' WHERE id = 'u2'"));
        QTRY_COMPARE_WITH_TIMEOUT(view.cell("u2", specs::UserColumns::Username).data().toString(),
                                  QString("later"), 2000);
        QCOMPARE(rec.count("users", "u2", ChangeFeed::Op::Update, "pg"), 1);
        sql.close();
    }
    QSqlDatabase::removeDatabase(sqlName);
    // b stops its listener before server (declared first) releases the cluster
}

QTEST_MAIN(TestChangeNotify)
#include "tst_changenotify.moc"
