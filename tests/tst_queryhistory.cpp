// The SQL console's local history and saved queries: newest first, bounded, a repeat moves to the
// top, one file per user and database with private permissions, read back by a new instance.
#include "queryhistory.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ccpm;

class TestQueryHistory : public QObject {
    Q_OBJECT
private slots:
    void newestFirstAndRepeatsMoveUp();
    void bounded();
    void persistsPrivately();
    void perUserAndDatabase();
    void savedQueries();
    void damagedFile();
};

void TestQueryHistory::newestFirstAndRepeatsMoveUp()
{
    QTemporaryDir dir;
    QueryHistory history("alice", "ccpm", dir.path());
    QAbstractItemModelTester tester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(history.load().ok());
    QVERIFY(history.add("select 1", 3).ok());
    QVERIFY(history.add("select\n  2", 4, false).ok());
    QVERIFY(history.add("  select 1  ").ok()); // the same text again
    QCOMPARE(history.rowCount(), 2);
    QCOMPARE(history.index(0).data(QueryHistory::StatementRole).toString(), QString("select 1"));
    QCOMPARE(history.index(1).data().toString(), QString("select 2")); // one line in the list
    QCOMPARE(history.entries().at(1).ok, false);
    QVERIFY(history.add("   ").ok());
    QCOMPARE(history.rowCount(), 2);
}

void TestQueryHistory::bounded()
{
    QTemporaryDir dir;
    QueryHistory history("alice", "ccpm", dir.path());
    QAbstractItemModelTester tester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < QueryHistory::DefaultLimit + 20; ++i)
        QVERIFY(history.add(QString("select %1").arg(i)).ok());
    QCOMPARE(history.rowCount(), QueryHistory::DefaultLimit);
    QCOMPARE(history.entries().first().sql, QString("select %1").arg(QueryHistory::DefaultLimit + 19));
    QCOMPARE(history.entries().last().sql, QString("select 20"));
    history.setLimit(10);
    QCOMPARE(history.rowCount(), 10);
}

void TestQueryHistory::persistsPrivately()
{
    QTemporaryDir dir;
    const QString folder = dir.path() + "/nested/sql-console";
    {
        QueryHistory history("alice", "ccpm", folder);
        QVERIFY(history.add("select 'secret'", 12).ok());
    }
    QueryHistory again("alice", "ccpm", folder);
    QVERIFY(again.load().ok());
    QCOMPARE(again.rowCount(), 1);
    QCOMPARE(again.entries().first().sql, QString("select 'secret'"));
    QCOMPARE(again.entries().first().elapsedMs, 12);
    QVERIFY(again.entries().first().ranAt.isValid());

    const QFileInfo folderInfo(folder);
    const auto groupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                              QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QVERIFY(folderInfo.permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ExeOwner));
    QVERIFY(!(folderInfo.permissions() & groupOrOther)); // 0700
    const QFileInfo fileInfo(again.filePath());
    QVERIFY(fileInfo.exists());
    QVERIFY(!(fileInfo.permissions() & groupOrOther)); // 0600
    QVERIFY(!fileInfo.fileName().contains("alice"));   // neither user nor database in the name
}

void TestQueryHistory::perUserAndDatabase()
{
    QTemporaryDir dir;
    QueryHistory alice("alice", "ccpm", dir.path());
    QueryHistory bob("bob", "ccpm", dir.path());
    QueryHistory aliceElsewhere("alice", "other", dir.path());
    QVERIFY(alice.add("select 'alice'").ok());
    QVERIFY(bob.load().ok());
    QVERIFY(aliceElsewhere.load().ok());
    QCOMPARE(bob.rowCount(), 0);
    QCOMPARE(aliceElsewhere.rowCount(), 0);
    QVERIFY(alice.filePath() != bob.filePath());
    QVERIFY(alice.filePath() != aliceElsewhere.filePath());
}

void TestQueryHistory::savedQueries()
{
    QTemporaryDir dir;
    QueryHistory history("alice", "ccpm", dir.path());
    QCOMPARE(history.saveQuery("  ", "select 1").error().kind, Error::Kind::Invalid);
    QVERIFY(history.saveQuery("open tasks", "select * from tasks").ok());
    QVERIFY(history.saveQuery("users", "select * from users").ok());
    QVERIFY(history.saveQuery("open tasks", "select * from tasks where status <> 'DONE'").ok()); // replaces
    QueryHistory again("alice", "ccpm", dir.path());
    QVERIFY(again.load().ok());
    QCOMPARE(again.savedQueries().size(), 2);
    QCOMPARE(again.savedQueries().first().sql, QString("select * from tasks where status <> 'DONE'"));
    QVERIFY(again.removeQuery("users").ok());
    QCOMPARE(again.savedQueries().size(), 1);
}

void TestQueryHistory::damagedFile()
{
    QTemporaryDir dir;
    QueryHistory history("alice", "ccpm", dir.path());
    QVERIFY(history.add("select 1").ok());
    QFile file(history.filePath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{not json");
    file.close();
    QueryHistory again("alice", "ccpm", dir.path());
    const Status loaded = again.load();
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().kind, Error::Kind::Environment);
    QCOMPARE(again.rowCount(), 0);
    QVERIFY(again.add("select 2").ok()); // written anew
    QueryHistory third("alice", "ccpm", dir.path());
    QVERIFY(third.load().ok());
    QCOMPARE(third.rowCount(), 1);
}

QTEST_GUILESS_MAIN(TestQueryHistory)
#include "tst_queryhistory.moc"
