// Secrets never leak (issue 8, security pass). Every log category is captured at debug level
// (qInstallMessageHandler, "*.debug=true") while the app core runs on a database URL with a
// password, users log in with the right and a wrong password, an administrator issues a token,
// an agent connects with it (and another with a wrong one), and the database is unreachable.
// The captured text, every error message, the window title's database label, what the
// ccpm-desk binary prints when it cannot reach the database (its fatal error) and the settings
// file `ccpm-desk db connect` writes are searched for the passwords and the token.
#include "agent/agentclient.h"
#include "agentadmin.h"
#include "appcore.h"
#include "authservice.h"
#include "databaseurl.h"
#include "hub/hubhost.h"
#include "serverinfo.h"
#include "testdatabase.h"

#include <QDir>
#include <QDirIterator>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <QCoro/QCoroTask>

#include <csignal>

using namespace ccpm;

namespace {

const QString kAdmin = QStringLiteral("cmx1zcg4000008e7dzffn89tr");
const QString kBuildBot = QStringLiteral("cmx1zcg8u00058e7dt2kazxzd");

QMutex g_mutex;
QStringList g_lines;
QSet<QString> g_categories;

void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker lock(&g_mutex);
    const QString category = QString::fromLatin1(context.category ? context.category : "default");
    g_categories.insert(category);
    g_lines << category + QStringLiteral(": ") + message;
}

QString randomSecret(const char *prefix)
{
    return QString::fromLatin1(prefix) + QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

class TestSecrets : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void secretsStayOutOfLogsMessagesAndFiles();
    void hubListensOnLoopbackByDefault();

private:
    QtMessageHandler m_previous = nullptr;
    QString m_summary; ///< printed once the capture is over
};

void TestSecrets::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
    m_previous = qInstallMessageHandler(capture);
}

void TestSecrets::cleanupTestCase()
{
    qInstallMessageHandler(m_previous);
    if (!m_summary.isEmpty())
        qInfo("%s", qPrintable(m_summary));
}

void TestSecrets::secretsStayOutOfLogsMessagesAndFiles()
{
    const QString dbPassword = randomSecret("DbPw-");
    const QString wrongPassword = randomSecret("WrongPw-");
    const QString wrongToken =
        QStringLiteral("ccpm_") + randomSecret("forgedtoken") + QStringLiteral("xxxxxxxxxxxxxxxx");
    const QString role = QStringLiteral("ccpm_secret_%1").arg(QCoreApplication::applicationPid());
    QStringList shown; // every message a user or an agent would see

    // Given the backend's database, reached as a role with a password, through a URL
    TestDatabase db("secrets");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlQuery q(db.connection());
    QVERIFY2(q.exec(QStringLiteral("CREATE ROLE %1 LOGIN SUPERUSER PASSWORD '%2'").arg(role, dbPassword)),
             qPrintable(q.lastError().text()));
    const QString url = QStringLiteral("postgresql://%1:%2@localhost:%3/%4?host=%5")
                            .arg(role, dbPassword)
                            .arg(db.settings().port)
                            .arg(db.name(), db.settings().host);
    const Result<ConnectionSettings> parsed = parseDatabaseUrl(url);
    CCPM_VERIFY_OK(parsed);
    QCOMPARE(parsed->password, dbPassword);
    QString tokenText;
    {
        AppCore core;
        const DatabaseChoice choice{DatabaseChoice::Source::CommandLine, *parsed};
        CCPM_VERIFY_OK(QCoro::waitFor(core.open(choice, {})));
        CCPM_VERIFY_OK(core.startHub(QHostAddress::LocalHost, 0));
        shown << core.databaseLabel(); // MainWindow's title: "CCPM Desk — user @ <label>"
        shown << parsed->displayName() << parsed->redactedUrl();

        // When users log in, with the right password and with a wrong one
        AuthService auth(core.executor());
        CCPM_VERIFY_OK(QCoro::waitFor(auth.login("admin", "admin123")));
        for (const QString &login :
             {QStringLiteral("admin"), QStringLiteral("testuser"), QStringLiteral("nobody")}) {
            const auto refused = QCoro::waitFor(auth.login(login, wrongPassword));
            QVERIFY(!refused);
            shown << refused.error().message << refused.error().detail;
        }

        // ... an administrator issues a token and the agent connects with it
        AgentAdmin agents(core.executor(), core.feed());
        const auto issued = QCoro::waitFor(agents.issueToken(Actor{kAdmin}, kBuildBot, "secrets test"));
        CCPM_VERIFY_OK(issued);
        tokenText = issued->token;
        agent::AgentClient::Settings settings;
        settings.url = core.hub()->url();
        settings.token = tokenText;
        agent::AgentClient client(settings);
        QSignalSpy connected(&client, &agent::AgentClient::connected);
        client.start();
        QVERIFY(connected.wait(10000));
        const auto listed = QCoro::waitFor(client.call("task.list", QJsonObject{}));
        QVERIFY(listed.ok());
        client.stop();
        QTRY_COMPARE(client.state(), agent::AgentClient::State::Stopped);

        // ... and another one tries a forged token
        settings.token = wrongToken;
        agent::AgentClient forger(settings);
        QSignalSpy stopped(&forger, &agent::AgentClient::stopped);
        forger.start();
        QVERIFY(stopped.wait(10000));
        QCOMPARE(stopped.first().first().toInt(), 4401);
    }

    // ... and the database cannot be reached (a socket directory that does not exist, a closed port)
    for (const QString &host :
         {QStringLiteral("/nonexistent-ccpm-socket-dir"), QStringLiteral("127.0.0.1")}) {
        ConnectionSettings lost = *parsed;
        lost.host = host;
        lost.port = 1;
        lost.connectTimeoutSeconds = 2;
        DbExecutor executor(lost, 1);
        const auto ping = QCoro::waitFor(ServerInfo::ping(executor));
        QVERIFY(!ping);
        QCOMPARE(ping.error().kind, Error::Kind::Connection);
        shown << ping.error().message << ping.error().detail << ping.error().toString();
        AppCore core;
        const auto opened = QCoro::waitFor(core.open({DatabaseChoice::Source::CommandLine, lost}, {}));
        QVERIFY(!opened);
        shown << opened.error().message << opened.error().detail;
    }

    // ... and the ccpm-desk binary prints its fatal error, and saves a URL with a password
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", home.path());
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    env.insert("XDG_DATA_HOME", home.filePath("data"));
    env.insert("QT_LOGGING_RULES", "*.debug=true");
    env.remove("DATABASE_URL");
    const auto runDesk = [&](const QStringList &arguments) {
        QProcess desk;
        desk.setProcessEnvironment(env);
        desk.setProcessChannelMode(QProcess::MergedChannels);
        desk.start(QStringLiteral(CCPM_DESK_BINARY), arguments);
        desk.waitForFinished(60000);
        return std::make_pair(desk.exitCode(), QString::fromLocal8Bit(desk.readAll()));
    };
    const QString unreachable =
        QStringLiteral("postgresql://%1:%2@127.0.0.1:1/ccpm?connect_timeout=2").arg(role, dbPassword);
    const auto [fatalCode, fatalOutput] = runDesk({"--database-url", unreachable, "db", "status"});
    QVERIFY2(fatalCode != 0, qPrintable(fatalOutput));
    QVERIFY2(fatalOutput.contains("127.0.0.1"), qPrintable(fatalOutput)); // it did say what failed
    shown << fatalOutput;
    const auto [savedCode, savedOutput] = runDesk({"db", "connect", url});
    QVERIFY2(savedCode == 0, qPrintable(savedOutput));
    QVERIFY2(savedOutput.contains("password was not saved"), qPrintable(savedOutput));
    shown << savedOutput;
    QStringList settingsFiles;
    QDirIterator files(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext())
        settingsFiles << files.next();
    QVERIFY2(!settingsFiles.isEmpty(), "db connect wrote no settings file");
    QString settingsText;
    for (const QString &path : std::as_const(settingsFiles)) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        settingsText += QString::fromUtf8(file.readAll());
    }
    QVERIFY2(settingsText.contains(role), qPrintable(settingsText)); // the URL is there, without its password
    const auto [statusCode, statusOutput] = runDesk({"db", "status"}); // the saved URL still works (trust)
    QVERIFY2(statusCode == 0, qPrintable(statusOutput));
    shown << statusOutput;

    // Then no password and no token appears in any of it
    QStringList logLines;
    QStringList categories;
    {
        QMutexLocker lock(&g_mutex);
        logLines = g_lines;
        categories = g_categories.values();
    }
    categories.sort();
    const QString logText = logLines.join('\n');
    const QString shownText = shown.join('\n');
    const QString tokenSecret = tokenText.mid(5); // without the "ccpm_" prefix
    const QList<std::pair<const char *, QString>> secrets{{"the right password", QStringLiteral("admin123")},
                                                          {"the wrong password", wrongPassword},
                                                          {"the database password", dbPassword},
                                                          {"the agent token", tokenSecret},
                                                          {"the forged token", wrongToken.mid(5)}};
    for (const auto &[what, secret] : secrets) {
        QVERIFY(secret.size() >= 8);
        const QList<std::pair<const char *, QString>> places{
            {"the log", logText},
            {"a message", shownText},
            {"ccpm-desk's output", fatalOutput + savedOutput + statusOutput},
            {"the settings file", settingsText}};
        for (const auto &[where, text] : places) {
            const qsizetype at = text.indexOf(secret);
            QVERIFY2(at < 0, qPrintable(QStringLiteral("%1 is in %2: …%3…")
                                            .arg(QLatin1String(what), QLatin1String(where),
                                                 text.mid(std::max<qsizetype>(0, at - 80), 160))));
        }
    }
    // ... and the capture did see the app at work, at debug level
    QVERIFY2(categories.contains("ccpm.hub") && categories.contains("ccpm.db") &&
                 categories.contains("ccpm.agent"),
             qPrintable(categories.join(", ")));
    QVERIFY(logText.contains(kBuildBot)); // "agent … connected from …"
    m_summary =
        QStringLiteral("searched %1 log lines (%2 characters) in %3 categories (%4), %5 messages, 3 runs of "
                       "ccpm-desk and its settings file for 5 secrets: none found")
            .arg(logLines.size())
            .arg(logText.size())
            .arg(categories.size())
            .arg(categories.join(", "))
            .arg(shown.size());

    QVERIFY2(q.exec(QStringLiteral("REASSIGN OWNED BY %1 TO CURRENT_USER").arg(role)),
             qPrintable(q.lastError().text()));
    QVERIFY2(q.exec(QStringLiteral("DROP ROLE %1").arg(role)), qPrintable(q.lastError().text()));
}

void TestSecrets::hubListensOnLoopbackByDefault()
{
    // Given a database and a free port
    TestDatabase db("secretshub");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    QVERIFY2(db.loadBackendFixture().isEmpty(), "fixture");
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString url = QStringLiteral("postgresql://%1@localhost:%2/%3?host=%4")
                            .arg(db.settings().user)
                            .arg(db.settings().port)
                            .arg(db.name(), db.settings().host);

    // When `ccpm-desk hub` starts without --hub-address
    QProcess hub;
    hub.setProcessChannelMode(QProcess::MergedChannels);
    hub.start(QStringLiteral(CCPM_DESK_BINARY),
              {"--database-url", url, "--hub-port", QString::number(port), "hub"});
    QVERIFY(hub.waitForStarted());
    QString output;
    for (int i = 0; i < 600 && !output.contains("listening on"); ++i) {
        hub.waitForReadyRead(100);
        output += QString::fromLocal8Bit(hub.readAll());
    }

    // Then it listens on 127.0.0.1 only
    QVERIFY2(output.contains(QStringLiteral("listening on ws://127.0.0.1:%1").arg(port)), qPrintable(output));
    ::kill(pid_t(hub.processId()), SIGTERM);
    QVERIFY(hub.waitForFinished(10000));
}

int main(int argc, char *argv[])
{
    qunsetenv("QT_LOGGING_RULES"); // ctest's "ccpm.*.debug=false" would win over setFilterRules()
    QCoreApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("ccpm-test-secrets"));
    TestSecrets test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secrets.moc"
