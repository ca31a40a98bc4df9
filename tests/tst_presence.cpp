// "Connected to the agent hub", shown apart from the status an agent reported: the real hub
// thread, real QWebSocket agents over loopback, a real PostgreSQL database loaded from the
// backend's fixture, and the agents model wired the way the main window wires it.
#include "agentpresence.h"
#include "agentpresencedecoration.h"
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "entityspecs.h"
#include "hub/hubhost.h"
#include "hubclient.h"
#include "itemroles.h"
#include "mainwindow.h"
#include "pagedtablemodel.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <QCoro/QCoroTask>

using namespace ccpm;
using specs::AgentColumns;

namespace {

const QString kBuildBotId = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");
const QString kAssistantId = QStringLiteral("cmx1zcg8i00038e7d4rutgnst");

QIcon iconOf(const QModelIndex &index)
{
    return index.data(Qt::DecorationRole).value<QIcon>();
}

/// Pixels of `image` that are clearly green / a neutral grey (the two marks' colours).
int countPixels(const QImage &image, bool green)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (green ? c.green() > c.red() + 50 && c.green() > c.blue() + 50
                      : qAbs(c.red() - 0x80) < 24 && qAbs(c.green() - c.red()) < 8 &&
                            qAbs(c.blue() - c.red()) < 8)
                ++n;
        }
    }
    return n;
}

} // namespace

class TestPresence : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void presenceKeepsTheFirstTimeAndSignalsOnlyChanges();
    void marksDifferInShapeNotOnlyInColour();
    void connectingMarksThatCellOnly();
    void busyAgentThatLeavesShowsNotConnected();
    void busyInTheDatabaseWithoutAConnectionShowsBoth();
    void connectedAgentCanBeInactive();
    void agentsTabPaintsTheMarks();

private:
    QString statusInDb(const QString &agentId) const
    {
        return m_db->scalar(QStringLiteral("SELECT status::text FROM agents WHERE id = '%1'").arg(agentId))
            .toString();
    }
    QString createToken(const QString &agentId)
    {
        auto created = QCoro::waitFor(AgentTokenRepository(*m_executor).create(agentId, "test"));
        return created ? created->token : QString();
    }
    QModelIndex cell(const QString &agentId, int column) const
    {
        return m_model->index(m_model->rowOf(agentId), column);
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<AgentPresence> m_presence;
    std::unique_ptr<hub::HubHost> m_hub;
    std::unique_ptr<PagedTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QString m_botToken;
};

void TestPresence::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("presence");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
    m_botToken = createToken(kBuildBotId);
    QVERIFY(m_botToken.startsWith("ccpm_"));

    // Wired as DesktopApp wires it: the hub's presence signal feeds the presence object
    m_feed = std::make_unique<ChangeFeed>();
    m_presence = std::make_unique<AgentPresence>();
    m_hub = std::make_unique<hub::HubHost>(m_db->settings(), *m_feed);
    connect(m_hub.get(), &hub::HubHost::agentPresenceChanged, m_presence.get(), &AgentPresence::setConnected);
    CCPM_VERIFY_OK(m_hub->start(QHostAddress::LocalHost, 0));

    // And the agents model as MainWindow wires it
    m_model = std::make_unique<PagedTableModel>(*m_executor, specs::agents());
    m_model->followChanges(*m_feed);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    wireAgentPresence(*m_model, *m_presence);
    m_model->reload();
    QTRY_COMPARE(m_model->rowCount(), 3);
    QTRY_VERIFY(m_model->isLoaded(2));
}

void TestPresence::init()
{
    // The previous test's agents have gone, and their last writes (INACTIVE) are done.
    QTRY_COMPARE(m_hub->connectedAgents(), 0);
    QTRY_COMPARE(m_presence->connectedCount(), 0);
}

void TestPresence::cleanupTestCase()
{
    m_hub.reset();
    m_tester.reset();
    m_model.reset();
    m_presence.reset();
    m_executor.reset();
    m_db.reset();
}

void TestPresence::presenceKeepsTheFirstTimeAndSignalsOnlyChanges()
{
    // Given an empty presence object
    AgentPresence presence;
    QSignalSpy changed(&presence, &AgentPresence::changed);
    QVERIFY(!presence.isConnected("a"));
    QVERIFY(!presence.since("a").isValid());

    // When "a" connects, and is told so again a little later
    const QDateTime before = QDateTime::currentDateTimeUtc();
    presence.setConnected("a", true);
    const QDateTime first = presence.since("a");
    QTest::qWait(5);
    presence.setConnected("a", true);

    // Then it is connected since the first time, in UTC, and changed() came once
    QVERIFY(presence.isConnected("a"));
    QCOMPARE(presence.since("a"), first);
    QCOMPARE(first.timeSpec(), Qt::UTC);
    QVERIFY(first >= before && first <= QDateTime::currentDateTimeUtc());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toString(), "a");

    // When it leaves (twice), and an agent it never saw leaves
    presence.setConnected("a", false);
    presence.setConnected("a", false);
    presence.setConnected("b", false);

    // Then it is not connected, and only the one real change was signalled
    QVERIFY(!presence.isConnected("a"));
    QVERIFY(!presence.since("a").isValid());
    QCOMPARE(presence.connectedCount(), 0);
    QCOMPARE(changed.size(), 2);
}

void TestPresence::marksDifferInShapeNotOnlyInColour()
{
    // Given the two marks at 16 px and at 32 px (a 16 px icon at device pixel ratio 2)
    for (int size : {16, 32}) {
        const QImage on = presenceIcon(true).pixmap(size).toImage();
        const QImage off = presenceIcon(false).pixmap(size).toImage();
        QCOMPARE(on.size(), QSize(size, size));
        QCOMPARE(off.size(), QSize(size, size));
        const int c = size / 2;
        // Then "connected" is a filled dot: opaque green in the middle
        const QColor middle = on.pixelColor(c, c);
        QCOMPARE(middle.alpha(), 255);
        QVERIFY(middle.green() > middle.red() + 50);
        // And "not connected" is a ring: transparent in the middle, opaque grey on the ring
        QCOMPARE(off.pixelColor(c, c).alpha(), 0);
        const QColor ring = off.pixelColor(c, c - size * 5 / 16 + 1);
        QVERIFY2(ring.alpha() > 200, qPrintable(QString::number(ring.alpha())));
        QCOMPARE(ring.red(), ring.green());
        // And both leave the corners empty
        QCOMPARE(on.pixelColor(0, 0).alpha(), 0);
        QCOMPARE(off.pixelColor(0, 0).alpha(), 0);
    }
    // And they are drawn once
    QCOMPARE(presenceIcon(true).cacheKey(), presenceIcon(true).cacheKey());
    QVERIFY(presenceIcon(true).cacheKey() != presenceIcon(false).cacheKey());
}

void TestPresence::connectingMarksThatCellOnly()
{
    // Given Build Bot, not connected, in the loaded agents model
    const int row = m_model->rowOf(kBuildBotId);
    QVERIFY(row >= 0);
    const QModelIndex name = m_model->index(row, AgentColumns::Name);
    QCOMPARE(name.data(roles::Connected).toBool(), false);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), "Not connected to the agent hub");
    QCOMPARE(iconOf(name).cacheKey(), presenceIcon(false).cacheKey());
    QCOMPARE(name.data(Qt::DisplayRole).toString(), "Build Bot");
    const QString statusBefore = cell(kBuildBotId, AgentColumns::Status).data(Qt::EditRole).toString();
    QCOMPARE(statusBefore, statusInDb(kBuildBotId));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);

    // When it connects to the hub (and says nothing)
    HubClient client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(m_presence->isConnected(kBuildBotId));

    // Then its Name cell says connected, since when, with the filled dot
    QCOMPARE(name.data(roles::Connected).toBool(), true);
    const QString since = m_presence->since(kBuildBotId).toLocalTime().toString("HH:mm");
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), "Connected to the agent hub since " + since);
    QCOMPARE(iconOf(name).cacheKey(), presenceIcon(true).cacheKey());
    // And the model said so for that cell alone: dataChanged for (row, Name) only, no reset
    QVERIFY(!changed.isEmpty());
    const auto first = changed.first();
    QCOMPARE(first.at(0).toModelIndex(), name);
    QCOMPARE(first.at(1).toModelIndex(), name);
    for (const QList<QVariant> &args : std::as_const(changed)) {
        QCOMPARE(args.at(0).toModelIndex().row(), row);
        QCOMPARE(args.at(1).toModelIndex().row(), row);
    }
    QCOMPARE(reset.size(), 0);
    // And the text and the reported status are untouched; the other agents are not connected
    QCOMPARE(name.data(Qt::DisplayRole).toString(), "Build Bot");
    QCOMPARE(cell(kBuildBotId, AgentColumns::Status).data(Qt::EditRole).toString(), statusBefore);
    QCOMPARE(cell(kAssistantId, AgentColumns::Name).data(roles::Connected).toBool(), false);
    // And only the Name column carries the mark
    QVERIFY(!cell(kBuildBotId, AgentColumns::Status).data(Qt::DecorationRole).isValid());
    QVERIFY(!cell(kBuildBotId, AgentColumns::Status).data(roles::Connected).isValid());
}

void TestPresence::busyAgentThatLeavesShowsNotConnected()
{
    // Given Build Bot connected and BUSY
    HubClient client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
    client.call(1, "agent.setStatus", {{"status", "BUSY"}});
    QTRY_COMPARE(client.replies.size(), 1);
    const QModelIndex name = cell(kBuildBotId, AgentColumns::Name);
    const QModelIndex status = cell(kBuildBotId, AgentColumns::Status);
    QTRY_COMPARE(status.data(Qt::EditRole).toString(), "BUSY");
    QCOMPARE(name.data(roles::Connected).toBool(), true);

    // When it closes the socket
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    client.socket->close();

    // Then its mark says not connected, with the ring
    QTRY_VERIFY(!m_presence->isConnected(kBuildBotId));
    QCOMPARE(name.data(roles::Connected).toBool(), false);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), "Not connected to the agent hub");
    QCOMPARE(iconOf(name).cacheKey(), presenceIcon(false).cacheKey());
    QVERIFY(std::any_of(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
        return args.at(0).toModelIndex() == name && args.at(1).toModelIndex() == name;
    }));
    // And the status column shows what the database says: INACTIVE, written by the hub on close
    QTRY_COMPARE(statusInDb(kBuildBotId), "INACTIVE");
    QTRY_COMPARE(status.data(Qt::EditRole).toString(), "INACTIVE");
    QCOMPARE(status.data(Qt::DisplayRole).toString(), "Inactive");
}

void TestPresence::busyInTheDatabaseWithoutAConnectionShowsBoth()
{
    // Given Build Bot not connected, and its row saying BUSY (a hub that died before writing
    // INACTIVE, or another writer), announced on the feed
    QCOMPARE(m_db->scalar(QStringLiteral("UPDATE agents SET status = 'BUSY' WHERE id = '%1' RETURNING id")
                              .arg(kBuildBotId))
                 .toString(),
             kBuildBotId);
    m_feed->publish("agents", kBuildBotId, ChangeFeed::Op::Update, "test");

    // Then the Status column says Busy, from the database, and the mark says not connected
    const QModelIndex status = cell(kBuildBotId, AgentColumns::Status);
    QTRY_COMPARE(status.data(Qt::DisplayRole).toString(), "Busy");
    const QModelIndex name = cell(kBuildBotId, AgentColumns::Name);
    QCOMPARE(name.data(roles::Connected).toBool(), false);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), "Not connected to the agent hub");
}

void TestPresence::connectedAgentCanBeInactive()
{
    // Given Build Bot connected
    HubClient client;
    client.open(m_hub->url(), m_botToken);
    QTRY_COMPARE(client.socket->state(), QAbstractSocket::ConnectedState);

    // When it reports INACTIVE and stays
    client.call(1, "agent.setStatus", {{"status", "INACTIVE"}});
    QTRY_COMPARE(client.replies.size(), 1);

    // Then the row says Inactive and connected at once
    QTRY_COMPARE(cell(kBuildBotId, AgentColumns::Status).data(Qt::DisplayRole).toString(), "Inactive");
    QCOMPARE(statusInDb(kBuildBotId), "INACTIVE");
    QTRY_VERIFY(cell(kBuildBotId, AgentColumns::Name).data(roles::Connected).toBool());
    QVERIFY(cell(kBuildBotId, AgentColumns::Name)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith("Connected to the agent hub since "));
}

void TestPresence::agentsTabPaintsTheMarks()
{
    // Given the main window with the presence object, on the Agents tab
    UserRow admin;
    admin.username = "admin";
    const ConnectionSettings settings = m_db->settings();
    MainWindow window(*m_executor, *m_feed, settings, settings.displayName(), admin);
    window.setAgentPresence(*m_presence);
    window.showTab(MainWindow::AgentsTab);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    PagedTableModel *model = window.model(MainWindow::AgentsTab);
    QTRY_VERIFY(model->rowCount() == 3 && model->isLoaded(2));

    // When Build Bot connects
    HubClient client;
    client.open(m_hub->url(), m_botToken);
    QTRY_VERIFY(model->index(model->rowOf(kBuildBotId), AgentColumns::Name).data(roles::Connected).toBool());

    // Then its Name cell shows green and no grey ring; another agent's shows the ring, no green
    QTableView *view = window.view(MainWindow::AgentsTab);
    const auto paintedCell = [&](const QString &id) {
        // The icon's end of the cell, left of the text (whose anti-aliased edges are grey too)
        QRect rect = view->visualRect(model->index(model->rowOf(id), AgentColumns::Name));
        rect.setWidth(22);
        return view->viewport()->grab(rect).toImage();
    };
    QTRY_VERIFY(countPixels(paintedCell(kBuildBotId), true) >= 20);
    QCOMPARE(countPixels(paintedCell(kBuildBotId), false), 0);
    QCOMPARE(countPixels(paintedCell(kAssistantId), true), 0);
    QVERIFY(countPixels(paintedCell(kAssistantId), false) >= 10);
}

QTEST_MAIN(TestPresence)
#include "tst_presence.moc"
