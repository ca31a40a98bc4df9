#include "privatecluster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int kPort = 5432; // names the socket only: no TCP listener

bool asRoot()
{
    return ::geteuid() == 0;
}

} // namespace

PrivateCluster::PrivateCluster()
    : m_dir(QDir::tempPath() + QStringLiteral("/ccpm-private-pg-XXXXXX"))
{
    if (!m_dir.isValid())
        return;
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755); // traversable by the cluster user
    if (asRoot()) {
        if (const passwd *pw = ::getpwnam("postgres"))
            if (::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, pw->pw_gid) != 0)
                qWarning("cannot give %s to postgres", qPrintable(m_dir.path()));
    }
}

PrivateCluster::~PrivateCluster()
{
    if (m_running)
        stop(QStringLiteral("immediate"));
}

QString PrivateCluster::binDir()
{
    const QString fromEnv = qEnvironmentVariable("CCPM_TEST_PGBIN");
    if (!fromEnv.isEmpty() && QFileInfo(fromEnv + QStringLiteral("/pg_ctl")).isExecutable())
        return fromEnv;
    QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
    return versions.isEmpty() ? QString() : QStringLiteral("/usr/lib/postgresql/%1/bin").arg(versions.last());
}

QString PrivateCluster::run(const QStringList &arguments, int timeoutMs) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD"})
        env.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir.path());
    if (asRoot())
        process.start(QStringLiteral("runuser"),
                      QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--")} +
                          arguments);
    else
        process.start(arguments.first(), arguments.mid(1));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return QStringLiteral("%1 did not finish in time").arg(arguments.first());
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2")
            .arg(arguments.first(), QString::fromLocal8Bit(process.readAll()));
    return {};
}

QString PrivateCluster::logTail() const
{
    QFile log(m_dir.filePath(QStringLiteral("server.log")));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(log.readAll().right(2000));
}

QString PrivateCluster::start()
{
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary directory");
    const QString bin = binDir();
    if (bin.isEmpty())
        return QStringLiteral("PostgreSQL's server programs are not installed");
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!m_initialized) {
        if (const QString e = run({bin + QStringLiteral("/initdb"), QStringLiteral("-D"), data,
                                   QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
                                   QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                                   QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")},
                                  120000);
            !e.isEmpty())
            return e;
        m_initialized = true;
    }
    const QString options =
        QStringLiteral("-c listen_addresses='' -k %1 -p %2 -c fsync=off -c max_connections=150")
            .arg(m_dir.path())
            .arg(kPort);
    if (const QString e =
            run({bin + QStringLiteral("/pg_ctl"), QStringLiteral("-D"), data, QStringLiteral("-l"),
                 m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("-t"),
                 QStringLiteral("60"), QStringLiteral("-o"), options, QStringLiteral("start")},
                90000);
        !e.isEmpty())
        return e + QStringLiteral("\n") + logTail();
    m_running = true;
    return {};
}

QString PrivateCluster::stop(const QString &mode)
{
    if (!m_running)
        return {};
    const QString e = run({binDir() + QStringLiteral("/pg_ctl"), QStringLiteral("-D"),
                           m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"), mode,
                           QStringLiteral("-w"), QStringLiteral("stop")},
                          60000);
    if (e.isEmpty())
        m_running = false;
    return e;
}

ccpm::ConnectionSettings PrivateCluster::settings() const
{
    ccpm::ConnectionSettings s;
    s.host = m_dir.path();
    s.port = kPort;
    s.user = QStringLiteral("postgres");
    s.database = QStringLiteral("postgres");
    s.connectTimeoutSeconds = 5;
    return s;
}

void PrivateCluster::exportForTestDatabase() const
{
    qputenv("CCPM_TEST_PGHOST", QFile::encodeName(m_dir.path()));
    qputenv("CCPM_TEST_PGPORT", QByteArray::number(kPort));
    qputenv("CCPM_TEST_PGUSER", "postgres");
    qputenv("CCPM_TEST_PGBIN", QFile::encodeName(binDir()));
}
