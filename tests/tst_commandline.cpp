// The ccpm-desk command line, run as a user would: the real binary in a QProcess, against a
// database on the throwaway server. Exit codes: 0 success, 1 failure, 2 usage error.
#include "agenttoken.h"
#include "testdatabase.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runDesk(const QStringList &arguments, const QStringList &extraEnv = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DATABASE_URL");
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.remove("QT_QPA_PLATFORM");
    env.insert("XDG_CONFIG_HOME", QDir::tempPath() + "/ccpm-cli-test-config"); // no saved setting
    for (const QString &kv : extraEnv)
        env.insert(kv.section('=', 0, 0), kv.section('=', 1));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CCPM_DESK_BINARY), arguments);
    Run run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString urlOf(const TestDatabase &db)
{
    return QStringLiteral("postgresql://%1@localhost:%2/%3?host=%4")
        .arg(db.settings().user)
        .arg(db.settings().port)
        .arg(db.name(), QString::fromLatin1(QUrl::toPercentEncoding(db.settings().host)));
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT
private slots:
    void usageErrorsExitWith2_data();
    void usageErrorsExitWith2();
    void malformedUrlNamesThePartAndHidesThePassword();
    void knownLanguageIsAccepted();
    void migrateSeedAndTokenOnAFreshDatabase();
};

void TestCommandLine::usageErrorsExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"db", "status", "--bogus"} << "Unknown option";
    QTest::newRow("missing value") << QStringList{"hub", "--hub-port"} << "Missing value";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command";
    QTest::newRow("port out of range") << QStringList{"hub", "--hub-port", "99999"} << "--hub-port";
    QTest::newRow("seed without --demo") << QStringList{"db", "seed"} << "--demo";
    QTest::newRow("non-loopback hub without TLS")
        << QStringList{"hub", "--hub-address", "0.0.0.0", "--hub-port", "18999"} << "--hub-insecure";
    QTest::newRow("certificate without key")
        << QStringList{"hub", "--hub-port", "18999", "--hub-tls-cert", "/tmp/x.pem"} << "--hub-tls-key";
    QTest::newRow("window without display") << QStringList{} << "xvfb-run";
    QTest::newRow("unknown language") << QStringList{"db", "status", "--lang", "xx_YY"} << "zh_CN";
    QTest::newRow("empty database url") << QStringList{"db", "status", "--database-url", ""} << "is empty";
}

void TestCommandLine::usageErrorsExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runDesk(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TestCommandLine::knownLanguageIsAccepted()
{
    // --lang zh_CN and en get past the option check (then: no display for the window)
    for (const char *code : {"zh_CN", "zh-CN", "en"}) {
        const Run run = runDesk({"--lang", code});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("xvfb-run") && !run.err.contains("--lang"), qPrintable(run.err));
    }
}

void TestCommandLine::malformedUrlNamesThePartAndHidesThePassword()
{
    // Given malformed URLs, from the option and from the environment
    const Run fromOption =
        runDesk({"db", "status", "--database-url", "postgresql://u:Pw-SECRET-123@host:99999/db"});
    const Run fromEnv = runDesk({"db", "status"}, {"DATABASE_URL=postgresql://u:Pw-SECRET-123/db"});
    // Then both are usage errors naming the port, and the password is never printed
    for (const Run &run : {fromOption, fromEnv}) {
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("invalid port"), qPrintable(run.err));
        QVERIFY(!run.err.contains("Pw-SECRET") && !run.out.contains("Pw-SECRET"));
    }
    QVERIFY(fromEnv.err.contains("DATABASE_URL"));
}

void TestCommandLine::migrateSeedAndTokenOnAFreshDatabase()
{
    TestDatabase db("cli");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString url = urlOf(db);

    // db status on an empty database: two pending migrations
    Run status = runDesk({"db", "status", "--database-url", url});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains("0001  pending"), qPrintable(status.out));
    QVERIFY(status.out.contains("7 pending"));

    // db migrate, then status says up to date
    QCOMPARE(runDesk({"db", "migrate", "--database-url", url}).exitCode, 0);
    status = runDesk({"db", "status", "--database-url", url});
    QVERIFY2(status.out.contains("0005  applied") && status.out.contains("up to date"),
             qPrintable(status.out));

    // db seed --demo writes the demo data once, then refuses with exit 1 and changes nothing
    const Run seeded = runDesk({"db", "seed", "--demo", "--database-url", url});
    QCOMPARE(seeded.exitCode, 0);
    QCOMPARE(db.scalar("SELECT count(*) FROM users").toInt(), 3);
    const Run again = runDesk({"db", "seed", "--demo", "--database-url", url});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("already holds data"), qPrintable(again.err));
    QCOMPARE(db.scalar("SELECT count(*) FROM users").toInt(), 3);

    // db seed --scale: synthetic rows that keep the backend's contract, with progress
    const Run scaled = runDesk({"db", "seed", "--scale", "2500", "--database-url", url});
    QCOMPARE(scaled.exitCode, 0);
    QVERIFY2(scaled.err.contains("messages 12500/12500"), qPrintable(scaled.err));
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks").toInt(), 3 + 2500);
    QCOMPARE(db.scalar("SELECT count(*) FROM agents").toInt(), 3 + 2);
    QCOMPARE(db.scalar("SELECT count(*) FROM messages").toInt(), 3 + 12500);
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks WHERE id !~ '^c[0-9a-z]{24}$'").toInt(), 0);
    QCOMPARE(db.scalar("SELECT count(*) FROM messages WHERE id !~ '^c[0-9a-z]{24}$'").toInt(), 0);
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks t LEFT JOIN agents a ON a.id = t.\"assignedTo\" "
                       "WHERE t.\"assignedTo\" IS NOT NULL AND a.id IS NULL")
                 .toInt(),
             0);
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks WHERE status = 'PENDING' AND \"assignedTo\" IS NOT NULL")
                 .toInt(),
             0);
    QCOMPARE(db.scalar("SELECT count(*) FROM tasks WHERE char_length(title) NOT BETWEEN 2 AND 100 "
                       "OR char_length(description) NOT BETWEEN 10 AND 1000")
                 .toInt(),
             0);
    QCOMPARE(runDesk({"db", "seed", "--scale", "0", "--database-url", url}).exitCode, 2);

    // agent token create: the token alone on the last line; only its SHA-256 is stored
    const Run token = runDesk({"agent", "token", "create", "Build Bot", "--database-url", url});
    QCOMPARE(token.exitCode, 0);
    const QString last = token.out.trimmed().split('\n').last();
    QVERIFY2(last.startsWith("ccpm_") && last.size() >= 40, qPrintable(token.out));
    QCOMPARE(db.scalar("SELECT count(*) FROM agent_tokens WHERE \"tokenHash\" = '" +
                       ccpm::AgentToken::hash(last) + "'")
                 .toInt(),
             1);
    QCOMPARE(db.scalar("SELECT count(*) FROM agent_tokens WHERE \"tokenHash\" = '" + last + "'").toInt(), 0);

    // an unknown agent is a failure (1) with a clear message
    const Run unknown = runDesk({"agent", "token", "create", "Nobody", "--database-url", url});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("No agent"), qPrintable(unknown.err));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
