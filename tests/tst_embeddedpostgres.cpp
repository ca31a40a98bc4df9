// The embedded cluster's life cycle with a real initdb in a temporary directory. The slots run
// in order and share one cluster: start, connect, share with a second instance, stop.

#include "embeddedpostgres.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using ccpm::ConnectionSettings;
using ccpm::EmbeddedPostgres;

class tst_EmbeddedPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void findBinDir_returnsDirWithInitdb();
    void start_createsClusterAndReturnsSocketSettings();
    void connection_reachesCcpmDatabaseWithoutTcp();
    void secondInstance_reusesRunningCluster();
    void releaseFirst_keepsServerRunningForSecond();
    void releaseLast_stopsServer();
    void startAgain_reusesDataAndIgnoresStaleInstanceLock();

private:
    QString rootDir() const { return m_tempDir->path() + QStringLiteral("/pg"); }
    QString dataDir() const { return rootDir() + QStringLiteral("/data"); }
    qint64 postmasterPid() const;
    static bool isProcessAlive(qint64 pid);
    int pgCtlStatus() const;

    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_binDir;
    std::unique_ptr<EmbeddedPostgres> m_first;
    std::unique_ptr<EmbeddedPostgres> m_second;
    std::optional<ConnectionSettings> m_settings;
    qint64 m_firstPid = 0;
};

qint64 tst_EmbeddedPostgres::postmasterPid() const
{
    QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    return pidFile.readLine().trimmed().toLongLong();
}

// A postmaster that has exited may linger as a zombie until its new parent reaps it.
bool tst_EmbeddedPostgres::isProcessAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return ::kill(static_cast<pid_t>(pid), 0) == 0;
    const QByteArray fields = stat.readAll();
    const qsizetype afterName = fields.lastIndexOf(')');
    return afterName < 0 || fields.mid(afterName + 2, 1) != "Z";
}

// pg_ctl refuses to run as root: ask as the owner of the data directory then.
int tst_EmbeddedPostgres::pgCtlStatus() const
{
    const QString pgCtl = QDir(m_binDir).filePath(QStringLiteral("pg_ctl"));
    const QStringList arguments = {QStringLiteral("-D"), dataDir(), QStringLiteral("status")};
    QProcess process;
    process.setWorkingDirectory(m_tempDir->path());
    if (::geteuid() == 0) {
        const QString runuser = QStandardPaths::findExecutable(
            QStringLiteral("runuser"),
            {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"), QStringLiteral("/usr/bin")});
        process.start(runuser, QStringList{QStringLiteral("-u"), QFileInfo(dataDir()).owner(),
                                           QStringLiteral("--"), pgCtl} +
                                   arguments);
    } else {
        process.start(pgCtl, arguments);
    }
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return -1;
    return process.exitCode();
}

void tst_EmbeddedPostgres::initTestCase()
{
    // The cluster runs as an unprivileged user when we are root: it must reach the directory.
    const QString base = ::geteuid() == 0 ? QStringLiteral("/tmp") : QDir::tempPath();
    m_tempDir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/ccpm-embeddedpg-XXXXXX"));
    QVERIFY(m_tempDir->isValid());
    QVERIFY(::chmod(QFile::encodeName(m_tempDir->path()).constData(), 0755) == 0);

    const ccpm::Result<QString> binDir = EmbeddedPostgres::findBinDir();
    QVERIFY2(binDir.ok(), qPrintable(binDir.ok() ? QString() : binDir.error().toString()));
    m_binDir = binDir.value();
}

void tst_EmbeddedPostgres::cleanupTestCase()
{
    m_second.reset();
    m_first.reset();
    // A failed test may leave a server behind: never let it outlive the test.
    if (QFileInfo::exists(dataDir() + QStringLiteral("/postmaster.pid"))) {
        const qint64 pid = postmasterPid();
        if (pid > 0)
            ::kill(static_cast<pid_t>(pid), SIGQUIT);
        QTest::qWait(1000);
    }
}

void tst_EmbeddedPostgres::findBinDir_returnsDirWithInitdb()
{
    // Given PostgreSQL is installed (initTestCase found it)
    // When we look at the directory findBinDir() returned
    const QDir dir(m_binDir);

    // Then it holds the server programs
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("initdb"))).isExecutable());
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("pg_ctl"))).isExecutable());
}

void tst_EmbeddedPostgres::start_createsClusterAndReturnsSocketSettings()
{
    // Given an empty root directory
    m_first = std::make_unique<EmbeddedPostgres>(rootDir());
    QCOMPARE(m_first->rootDir(), rootDir());
    QCOMPARE(m_first->dataDir(), dataDir());
    QVERIFY(!QFileInfo::exists(dataDir()));

    // When the first instance starts the cluster
    QElapsedTimer timer;
    timer.start();
    const ccpm::Result<ConnectionSettings> settings = m_first->start();
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(settings.ok(), qPrintable(settings.ok() ? QString() : settings.error().toString()));
    qInfo("initdb + first start: %lld ms", elapsed);

    // Then a cluster exists and the settings point at its Unix socket
    QVERIFY(QFileInfo::exists(dataDir() + QStringLiteral("/PG_VERSION")));
    QVERIFY(QFileInfo::exists(m_first->logFile()));
    QCOMPARE(settings->host, rootDir() + QStringLiteral("/run"));
    QVERIFY(settings->isUnixSocket());
    QVERIFY(QFileInfo::exists(settings->host + QStringLiteral("/.s.PGSQL.%1").arg(settings->port)));
    QCOMPARE(settings->user, QStringLiteral("ccpm"));
    QCOMPARE(settings->database, QStringLiteral("ccpm"));
    QVERIFY(settings->password.isEmpty());
    m_settings = settings.value();
    m_firstPid = postmasterPid();
    QVERIFY(m_firstPid > 0);
    QCOMPARE(pgCtlStatus(), 0);

    // ... and only its owner can read it (issue 8): the cluster, its socket directory and its log
    // are the cluster user's alone; the root may be traversed (as root, by the cluster user) but
    // neither listed nor written by anyone else
    const auto mode = [](const QString &path) {
        struct stat st {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    };
    QCOMPARE(mode(dataDir()) & 0077, 0);
    QCOMPARE(mode(settings->host) & 0077, 0);
    QCOMPARE(mode(m_first->logFile()) & 0077, 0);
    QCOMPARE(mode(rootDir()), ::geteuid() == 0 ? 0711 : 0700);
}

void tst_EmbeddedPostgres::connection_reachesCcpmDatabaseWithoutTcp()
{
    QVERIFY(m_settings);
    {
        // Given a QPSQL connection built from the returned settings
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("embedded"));
        db.setHostName(m_settings->host);
        db.setPort(m_settings->port);
        db.setDatabaseName(m_settings->database);
        db.setUserName(m_settings->user);
        db.setPassword(m_settings->password);

        // When it opens and asks the server about itself
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery query(db);
        QVERIFY2(query.exec(QStringLiteral("SELECT current_database()")),
                 qPrintable(query.lastError().text()));
        QVERIFY(query.next());
        const QString database = query.value(0).toString();
        QVERIFY2(query.exec(QStringLiteral("SHOW listen_addresses")), qPrintable(query.lastError().text()));
        QVERIFY(query.next());
        const QString listenAddresses = query.value(0).toString();

        // Then it is in database ccpm, on a server with no TCP listener
        QCOMPARE(database, QStringLiteral("ccpm"));
        QCOMPARE(listenAddresses, QString());
        query = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("embedded"));
}

void tst_EmbeddedPostgres::secondInstance_reusesRunningCluster()
{
    QVERIFY(m_first);
    // Given the first instance's server is running
    const QFileInfo versionBefore(dataDir() + QStringLiteral("/PG_VERSION"));
    const QDateTime createdAt = versionBefore.lastModified();

    // When a second instance starts on the same root
    m_second = std::make_unique<EmbeddedPostgres>(rootDir());
    QElapsedTimer timer;
    timer.start();
    const ccpm::Result<ConnectionSettings> settings = m_second->start();
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(settings.ok(), qPrintable(settings.ok() ? QString() : settings.error().toString()));
    qInfo("second start (reuse): %lld ms", elapsed);

    // Then it reuses the same server and cluster: no new postmaster, no second initdb
    QCOMPARE(postmasterPid(), m_firstPid);
    QCOMPARE(QFileInfo(dataDir() + QStringLiteral("/PG_VERSION")).lastModified(), createdAt);
    QCOMPARE(settings->host, m_settings->host);
    QCOMPARE(settings->port, m_settings->port);
    QVERIFY2(elapsed < 5000, "reusing a running cluster should take well under five seconds");
}

void tst_EmbeddedPostgres::releaseFirst_keepsServerRunningForSecond()
{
    QVERIFY(m_first && m_second);
    // Given two instances use the cluster
    // When the first one releases it
    m_first->release();

    // Then the server keeps running for the second
    QCOMPARE(pgCtlStatus(), 0);
    QCOMPARE(postmasterPid(), m_firstPid);
    QVERIFY(isProcessAlive(m_firstPid));
}

void tst_EmbeddedPostgres::releaseLast_stopsServer()
{
    QVERIFY(m_second);
    // Given only the second instance still uses the cluster
    // When it releases it
    m_second->release();

    // Then the server is stopped
    QCOMPARE(pgCtlStatus(), 3); // "no server running"
    QVERIFY(!QFileInfo::exists(dataDir() + QStringLiteral("/postmaster.pid")));
    QTRY_VERIFY_WITH_TIMEOUT(!isProcessAlive(m_firstPid), 10000);

    // And releasing again is harmless
    m_second->release();
    m_first.reset();
    m_second.reset();
}

void tst_EmbeddedPostgres::startAgain_reusesDataAndIgnoresStaleInstanceLock()
{
    // Given a stopped cluster and the lock of an instance that crashed (its process is gone)
    QVERIFY(!QFileInfo::exists(dataDir() + QStringLiteral("/postmaster.pid")));
    const QString staleLock = rootDir() + QStringLiteral("/instances/999999999-0.lock");
    {
        QFile file(staleLock);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("999999999\ncrashed-ccpm-desk\n\n");
    }
    const QDateTime createdAt = QFileInfo(dataDir() + QStringLiteral("/PG_VERSION")).lastModified();

    // When a new instance starts and later releases the cluster
    EmbeddedPostgres instance(rootDir());
    QElapsedTimer timer;
    timer.start();
    const ccpm::Result<ConnectionSettings> settings = instance.start();
    QVERIFY2(settings.ok(), qPrintable(settings.ok() ? QString() : settings.error().toString()));
    qInfo("restart of an existing cluster: %lld ms", timer.elapsed());
    QCOMPARE(QFileInfo(dataDir() + QStringLiteral("/PG_VERSION")).lastModified(), createdAt);
    QCOMPARE(pgCtlStatus(), 0);
    instance.release();

    // Then the crashed instance's lock did not keep the server alive, and is gone
    QCOMPARE(pgCtlStatus(), 3);
    QVERIFY(!QFileInfo::exists(staleLock));
}

QTEST_GUILESS_MAIN(tst_EmbeddedPostgres)
#include "tst_embeddedpostgres.moc"
