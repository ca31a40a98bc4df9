#include "embeddedpostgres.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVersionNumber>

#include <algorithm>
#include <atomic>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEmbeddedPostgres, "ccpm.embeddedpostgres")

namespace ccpm {

namespace {

constexpr int kControlLockTimeoutMs = 120 * 1000;
constexpr int kInitdbTimeoutMs = 180 * 1000;
constexpr int kStartTimeoutMs = 60 * 1000; // pg_ctl itself gives up after 30 s
constexpr int kShortTimeoutMs = 30 * 1000;
constexpr qint64 kMaxLogBytes = 10 * 1024 * 1024;
constexpr int kMaxSocketPathBytes = 107; // sizeof(sockaddr_un::sun_path) - 1 on Linux

const QString kDatabase = QStringLiteral("ccpm");
const QString kRole = QStringLiteral("ccpm");

QString installHint()
{
    return QStringLiteral("Install them with: sudo apt-get install postgresql");
}

Error environmentError(const QString &message, const QString &detail = {})
{
    Error error;
    error.kind = Error::Kind::Environment;
    error.message = message;
    error.detail = detail;
    return error;
}

bool hasServerTools(const QString &binDir)
{
    const QDir dir(binDir);
    return QFileInfo(dir.filePath(QStringLiteral("initdb"))).isExecutable() &&
           QFileInfo(dir.filePath(QStringLiteral("pg_ctl"))).isExecutable();
}

bool isRoot()
{
    return ::geteuid() == 0;
}

// Quotes a value for postgresql.conf: single quotes, with ' and \ escaped.
QString confString(QString value)
{
    value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    value.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

QString lastLines(const QString &text, int count)
{
    QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char('\n'));
}

// Children get no libpq variables from our environment: they would redirect psql and pg_ctl.
QProcessEnvironment childEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("PG")))
            environment.remove(key);
    }
    environment.insert(QStringLiteral("LC_MESSAGES"), QStringLiteral("C"));
    return environment;
}

QString runuserPath()
{
    const QString found = QStandardPaths::findExecutable(QStringLiteral("runuser"));
    if (!found.isEmpty())
        return found;
    return QStandardPaths::findExecutable(QStringLiteral("runuser"),
                                          {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                           QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
}

std::atomic<int> s_instanceCounter{0};

} // namespace

struct EmbeddedPostgres::ProcessResult {
    bool finished = false; ///< started and exited normally within the timeout
    int exitCode = -1;
    QString output; ///< stdout and stderr merged

    bool ok() const { return finished && exitCode == 0; }
};

EmbeddedPostgres::EmbeddedPostgres(QString rootDir)
    : m_rootDir(QDir::cleanPath(QDir(rootDir).absolutePath()))
{
}

EmbeddedPostgres::~EmbeddedPostgres()
{
    release();
}

QString EmbeddedPostgres::defaultRootDir()
{
    if (isRoot())
        return QStringLiteral("/var/lib/ccpm-desk/postgres");
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/postgres");
}

QString EmbeddedPostgres::dataDir() const
{
    return m_rootDir + QStringLiteral("/data");
}

QString EmbeddedPostgres::logFile() const
{
    return m_rootDir + QStringLiteral("/postgres.log");
}

QString EmbeddedPostgres::socketDir() const
{
    return m_rootDir + QStringLiteral("/run");
}

Result<QString> EmbeddedPostgres::findBinDir()
{
    const QString pgConfig = QStandardPaths::findExecutable(QStringLiteral("pg_config"));
    if (!pgConfig.isEmpty()) {
        // Debian's pg_config comes with libpq-dev and may name a server that is not installed.
        QProcess process;
        process.start(pgConfig, {QStringLiteral("--bindir")});
        if (process.waitForFinished(kShortTimeoutMs) && process.exitStatus() == QProcess::NormalExit &&
            process.exitCode() == 0) {
            const QString binDir = QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
            if (!binDir.isEmpty() && hasServerTools(binDir))
                return binDir;
        }
    }

    const QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QList<QVersionNumber> candidates;
    for (const QString &name : versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber version = QVersionNumber::fromString(name);
        if (!version.isNull())
            candidates.append(version);
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    for (const QVersionNumber &version : std::as_const(candidates)) {
        const QString binDir = versions.filePath(version.toString() + QStringLiteral("/bin"));
        if (hasServerTools(binDir))
            return binDir;
    }

    return environmentError(QStringLiteral("PostgreSQL server programs (initdb, pg_ctl) were not found. ") +
                            installHint());
}

Result<ConnectionSettings> EmbeddedPostgres::start()
{
    if (!QDir().mkpath(m_rootDir))
        return environmentError(QStringLiteral("Could not create the database directory %1.").arg(m_rootDir));
    // Only the owner may list or write the cluster's directory. As root, the cluster user must
    // still traverse it (0711): it reaches data/, run/ and the log by name, and those are its own,
    // mode 0700 and 0600.
    ::chmod(QFile::encodeName(m_rootDir).constData(), isRoot() ? 0711 : 0700);

    QLockFile control(m_rootDir + QStringLiteral("/control.lock"));
    control.setStaleLockTime(0); // held for as long as a start takes; only a dead holder is stale
    if (!control.tryLock(kControlLockTimeoutMs))
        return environmentError(
            QStringLiteral("Another CCPM Desk is still starting or stopping the embedded database in %1; "
                           "try again.")
                .arg(m_rootDir));

    if (!m_instanceLock) {
        const QString instances = m_rootDir + QStringLiteral("/instances");
        QDir().mkpath(instances);
        const QString name = QStringLiteral("%1/%2-%3.lock")
                                 .arg(instances)
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(s_instanceCounter.fetch_add(1));
        auto lock = std::make_unique<QLockFile>(name);
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            return environmentError(QStringLiteral("Could not create the lock file %1.").arg(name));
        m_instanceLock = std::move(lock);
    }

    Result<ConnectionSettings> result = startLocked();
    if (!result)
        releaseLocked();
    return result;
}

void EmbeddedPostgres::release()
{
    if (!m_instanceLock)
        return;
    QLockFile control(m_rootDir + QStringLiteral("/control.lock"));
    control.setStaleLockTime(0);
    if (!control.tryLock(kControlLockTimeoutMs)) {
        // Someone else is starting or stopping: leave the server to them rather than racing.
        qCWarning(lcEmbeddedPostgres) << "Could not lock" << control.error() << "- not stopping the server";
        m_instanceLock.reset();
        return;
    }
    releaseLocked();
}

void EmbeddedPostgres::releaseLocked()
{
    m_instanceLock.reset(); // unlocks and removes the file
    if (m_binDir.isEmpty() || !QFileInfo::exists(dataDir()) || otherInstanceHoldsCluster())
        return;
    if (isServerRunning())
        stopServer();
}

bool EmbeddedPostgres::otherInstanceHoldsCluster() const
{
    QDirIterator it(m_rootDir + QStringLiteral("/instances"), {QStringLiteral("*.lock")}, QDir::Files);
    while (it.hasNext()) {
        QLockFile other(it.next());
        other.setStaleLockTime(0);
        // Succeeds only for a lock whose process is gone; unlocking then removes it.
        if (other.tryLock(0)) {
            other.unlock();
            continue;
        }
        return true;
    }
    return false;
}

Result<ConnectionSettings> EmbeddedPostgres::startLocked()
{
    const QString socketFile = socketDir() + QStringLiteral("/.s.PGSQL.%1").arg(port);
    if (QFile::encodeName(socketFile).size() > kMaxSocketPathBytes)
        return environmentError(
            QStringLiteral(
                "The database directory %1 is too deep for a Unix socket path; choose a shorter one.")
                .arg(m_rootDir));

    if (Status status = prepareClusterUser(); !status)
        return status.error();
    if (Status status = ensureReachable(); !status)
        return status.error();

    Result<QString> binDir = binDirForCluster();
    if (!binDir)
        return binDir.error();
    m_binDir = binDir.value();

    if (!QFileInfo::exists(dataDir() + QStringLiteral("/PG_VERSION"))) {
        if (Status status = initCluster(); !status)
            return status.error();
    }

    if (!isServerRunning()) {
        if (Status status = startServer(); !status)
            return status.error();
    } else {
        qCInfo(lcEmbeddedPostgres) << "Joined the running PostgreSQL on" << socketDir()
                                   << "(shared with other CCPM Desk instances)";
        // Running, maybe still recovering after a crash: wait until it accepts connections.
        const ProcessResult ready =
            run(tool(QStringLiteral("pg_isready")),
                {QStringLiteral("-q"), QStringLiteral("-h"), socketDir(), QStringLiteral("-p"),
                 QString::number(port), QStringLiteral("-t"), QStringLiteral("30")},
                kStartTimeoutMs, false);
        if (!ready.ok())
            return environmentError(
                QStringLiteral("The embedded PostgreSQL server is running but does not accept connections "
                               "(see %1).")
                    .arg(logFile()),
                logTail());
    }

    if (Status status = ensureDatabase(); !status)
        return status.error();

    ConnectionSettings settings;
    settings.host = socketDir();
    settings.port = port;
    settings.database = kDatabase;
    settings.user = kRole;
    return settings;
}

Status EmbeddedPostgres::prepareClusterUser()
{
    if (!isRoot()) {
        m_clusterUser.clear();
        return Done{};
    }
    // The owner of an existing cluster must keep running it, whoever exists now.
    const QFileInfo data(dataDir());
    if (data.exists() && data.ownerId() != 0) {
        m_clusterUser = data.owner();
        if (m_clusterUser.isEmpty())
            m_clusterUser = QString::number(data.ownerId());
    } else if (::getpwnam("postgres")) {
        m_clusterUser = QStringLiteral("postgres");
    } else {
        m_clusterUser = QStringLiteral("nobody");
    }
    if (runuserPath().isEmpty())
        return environmentError(
            QStringLiteral("PostgreSQL cannot run as root and runuser was not found. Install it with: "
                           "sudo apt-get install util-linux"));
    return Done{};
}

Status EmbeddedPostgres::ensureReachable() const
{
    if (m_clusterUser.isEmpty())
        return Done{};
    // The root directory itself must be traversable by the cluster user (not listable).
    ::chmod(QFile::encodeName(m_rootDir).constData(), 0711);
    const ProcessResult check =
        run(QStringLiteral("test"), {QStringLiteral("-x"), m_rootDir}, kShortTimeoutMs, true);
    if (!check.ok())
        return environmentError(
            QStringLiteral("The database directory %1 is not reachable by the user %2, who runs PostgreSQL "
                           "because it refuses to run as root. Choose a directory such as %3, or run CCPM "
                           "Desk as a normal user.")
                .arg(m_rootDir, m_clusterUser, QStringLiteral("/var/lib/ccpm-desk/postgres")),
            check.output.trimmed());
    return Done{};
}

Result<QString> EmbeddedPostgres::binDirForCluster() const
{
    QFile versionFile(dataDir() + QStringLiteral("/PG_VERSION"));
    QString clusterVersion;
    if (versionFile.open(QIODevice::ReadOnly))
        clusterVersion = QString::fromLatin1(versionFile.readAll()).trimmed();

    if (!clusterVersion.isEmpty()) {
        const QString matching = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(clusterVersion);
        if (hasServerTools(matching))
            return matching;
    }

    Result<QString> found = findBinDir();
    if (!found || clusterVersion.isEmpty())
        return found;

    // A cluster only runs under the major version that created it.
    QProcess process;
    process.start(QDir(found.value()).filePath(QStringLiteral("pg_ctl")), {QStringLiteral("--version")});
    process.waitForFinished(kShortTimeoutMs);
    const QString version = QString::fromLocal8Bit(process.readAllStandardOutput());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("(\\d+)[.\\d]*\\s*$")).match(version);
    if (match.hasMatch() && match.captured(1) != clusterVersion)
        return environmentError(
            QStringLiteral(
                "The embedded database in %1 was created by PostgreSQL %2, but PostgreSQL %3 is "
                "installed. Install it with: sudo apt-get install postgresql-%2, or move %1 away to "
                "start with an empty database.")
                .arg(dataDir(), clusterVersion, match.captured(1)));
    return found;
}

Status EmbeddedPostgres::initCluster()
{
    // initdb works in a scratch directory that is renamed at the end, so an interrupted run
    // leaves nothing that looks like a cluster.
    const QString scratch = m_rootDir + QStringLiteral("/data.init");
    QString output;
    for (const QString &locale : {QStringLiteral("C.UTF-8"), QStringLiteral("C")}) {
        QDir(scratch).removeRecursively();
        if (!QDir().mkpath(scratch))
            return environmentError(QStringLiteral("Could not create the directory %1.").arg(scratch));
        giveToClusterUser(scratch);
        ::chmod(QFile::encodeName(scratch).constData(), 0700);

        const ProcessResult initdb =
            run(tool(QStringLiteral("initdb")),
                {QStringLiteral("-D"), scratch, QStringLiteral("--auth=trust"),
                 QStringLiteral("--username=") + kRole, QStringLiteral("--encoding=UTF8"),
                 QStringLiteral("--locale=") + locale},
                kInitdbTimeoutMs, true);
        output = initdb.output;
        if (initdb.ok()) {
            qCInfo(lcEmbeddedPostgres)
                << "Created a PostgreSQL cluster in" << dataDir() << "with locale" << locale;
            QFile conf(scratch + QStringLiteral("/postgresql.conf"));
            if (!conf.open(QIODevice::WriteOnly | QIODevice::Append))
                return environmentError(QStringLiteral("Could not edit %1.").arg(conf.fileName()));
            conf.write("\n# Added by CCPM Desk: Unix socket only; ccpm.conf is rewritten on every start.\n"
                       "include 'ccpm.conf'\n");
            conf.close();
            if (Status status = writeSocketConfig(scratch); !status)
                return status;
            if (!QDir().rename(scratch, dataDir()))
                return environmentError(
                    QStringLiteral("Could not move the new cluster from %1 to %2.").arg(scratch, dataDir()));
            return Done{};
        }
    }
    QDir(scratch).removeRecursively();
    return environmentError(
        QStringLiteral("Could not create the embedded PostgreSQL database in %1.").arg(dataDir()),
        lastLines(output, 15));
}

Status EmbeddedPostgres::writeSocketConfig(const QString &dataDir) const
{
    // unix_socket_directories is a list: quote the directory so commas and spaces survive.
    QString socketList = socketDir();
    socketList.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    socketList = QLatin1Char('"') + socketList + QLatin1Char('"');

    QFile file(dataDir + QStringLiteral("/ccpm.conf"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return environmentError(QStringLiteral("Could not write %1.").arg(file.fileName()));
    const QString text = QStringLiteral("# Written by CCPM Desk on every start; put your own settings in "
                                        "postgresql.conf.\n"
                                        "listen_addresses = ''\n"
                                        "port = %1\n"
                                        "unix_socket_directories = %2\n"
                                        "unix_socket_permissions = 0700\n")
                             .arg(QString::number(port), confString(socketList));
    file.write(text.toUtf8());
    file.close();
    giveToClusterUser(file.fileName());
    return Done{};
}

Status EmbeddedPostgres::startServer()
{
    if (Status status = writeSocketConfig(dataDir()); !status)
        return status;

    if (!QDir().mkpath(socketDir()))
        return environmentError(QStringLiteral("Could not create the directory %1.").arg(socketDir()));
    giveToClusterUser(socketDir());
    ::chmod(QFile::encodeName(socketDir()).constData(), 0700);

    // pg_ctl appends to the log forever: keep one old generation.
    if (QFileInfo(logFile()).size() > kMaxLogBytes) {
        QFile::remove(logFile() + QStringLiteral(".1"));
        QFile::rename(logFile(), logFile() + QStringLiteral(".1"));
    }
    if (!QFileInfo::exists(logFile())) {
        QFile log(logFile());
        if (log.open(QIODevice::WriteOnly))
            log.close();
        ::chmod(QFile::encodeName(logFile()).constData(), 0600);
    }
    giveToClusterUser(logFile());
    const qint64 logStart = QFileInfo(logFile()).size(); // report only what this start logged

    // A new session keeps the server out of the terminal's process group: Ctrl+C on one
    // instance must not shut down a server that others share.
    const ProcessResult started =
        run(tool(QStringLiteral("pg_ctl")),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), logFile(), QStringLiteral("-w"),
             QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("start")},
            kStartTimeoutMs, true, true);
    if (!started.ok()) {
        QString detail = logTail(logStart);
        if (detail.isEmpty())
            detail = lastLines(started.output, 15);
        return environmentError(
            QStringLiteral("The embedded PostgreSQL server did not start (see %1).").arg(logFile()), detail);
    }
    qCInfo(lcEmbeddedPostgres) << "Started PostgreSQL on" << socketDir();
    return Done{};
}

Status EmbeddedPostgres::ensureDatabase()
{
    const QStringList connection = {QStringLiteral("-X"), QStringLiteral("-q"),
                                    QStringLiteral("-A"), QStringLiteral("-t"),
                                    QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                                    QStringLiteral("-h"), socketDir(),
                                    QStringLiteral("-p"), QString::number(port),
                                    QStringLiteral("-U"), kRole,
                                    QStringLiteral("-d"), QStringLiteral("postgres")};
    const ProcessResult exists =
        run(tool(QStringLiteral("psql")),
            connection + QStringList{QStringLiteral("-c"),
                                     QStringLiteral("SELECT 1 FROM pg_database WHERE datname = 'ccpm'")},
            kShortTimeoutMs, false);
    if (!exists.ok())
        return environmentError(QStringLiteral("Could not query the embedded PostgreSQL server."),
                                lastLines(exists.output, 10));
    if (exists.output.trimmed() == QLatin1String("1"))
        return Done{};

    const ProcessResult created =
        run(tool(QStringLiteral("psql")),
            connection + QStringList{QStringLiteral("-c"), QStringLiteral("CREATE DATABASE ccpm")},
            kShortTimeoutMs, false);
    if (!created.ok())
        return environmentError(QStringLiteral("Could not create the database ccpm in the embedded server."),
                                lastLines(created.output, 10));
    return Done{};
}

bool EmbeddedPostgres::isServerRunning() const
{
    // pg_ctl status: 0 running, 3 not running, 4 no data directory.
    const ProcessResult status =
        run(tool(QStringLiteral("pg_ctl")), {QStringLiteral("-D"), dataDir(), QStringLiteral("status")},
            kShortTimeoutMs, true);
    return status.ok();
}

void EmbeddedPostgres::stopServer()
{
    const ProcessResult stopped =
        run(tool(QStringLiteral("pg_ctl")),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
             QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("stop")},
            kStartTimeoutMs, true);
    if (stopped.ok())
        qCInfo(lcEmbeddedPostgres) << "Stopped PostgreSQL on" << socketDir();
    else
        qCWarning(lcEmbeddedPostgres) << "pg_ctl stop failed:" << stopped.output.trimmed();
}

EmbeddedPostgres::ProcessResult EmbeddedPostgres::run(const QString &program, const QStringList &arguments,
                                                      int timeoutMs, bool asClusterUser,
                                                      bool newSession) const
{
    QProcess process;
    process.setProcessEnvironment(childEnvironment());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_rootDir); // the cluster user may not reach our current directory
    if (newSession)
        process.setChildProcessModifier([] { ::setsid(); });

    if (asClusterUser && !m_clusterUser.isEmpty())
        process.start(runuserPath(),
                      QStringList{QStringLiteral("-u"), m_clusterUser, QStringLiteral("--"), program} +
                          arguments);
    else
        process.start(program, arguments);

    ProcessResult result;
    if (!process.waitForStarted(timeoutMs)) {
        result.output = QStringLiteral("%1: %2").arg(program, process.errorString());
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.output = QString::fromLocal8Bit(process.readAll()) +
                        QStringLiteral("\n%1 did not finish within %2 s.").arg(program).arg(timeoutMs / 1000);
        return result;
    }
    result.finished = process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.output = QString::fromLocal8Bit(process.readAll());
    return result;
}

QString EmbeddedPostgres::tool(const QString &name) const
{
    const QString inBinDir = QDir(m_binDir).filePath(name);
    if (QFileInfo(inBinDir).isExecutable())
        return inBinDir;
    const QString inPath = QStandardPaths::findExecutable(name);
    return inPath.isEmpty() ? inBinDir : inPath;
}

void EmbeddedPostgres::giveToClusterUser(const QString &path) const
{
    if (m_clusterUser.isEmpty())
        return;
    const QByteArray user = m_clusterUser.toLocal8Bit();
    const passwd *account = ::getpwnam(user.constData());
    if (!account)
        return;
    if (::chown(QFile::encodeName(path).constData(), account->pw_uid, account->pw_gid) != 0)
        qCWarning(lcEmbeddedPostgres) << "Could not give" << path << "to" << m_clusterUser;
}

QString EmbeddedPostgres::logTail(qint64 from) const
{
    QFile log(logFile());
    if (!log.open(QIODevice::ReadOnly))
        return {};
    constexpr qint64 tailBytes = 4096;
    log.seek(std::max(from, log.size() - tailBytes));
    return lastLines(QString::fromLocal8Bit(log.readAll()), 15);
}

} // namespace ccpm
