#pragma once
// What the kernel says a process costs, read from /proc (Linux only): CPU seconds of a process,
// of each of its threads and of a process tree (PostgreSQL's postmaster and its backends), and
// resident memory. For benchmarks; every function returns zeros for a process that is gone.
// Thread: any.

#include <QDir>
#include <QFile>
#include <QHash>
#include <QString>

#include <sys/types.h>
#include <unistd.h>

namespace ccpm::bench {

/// One /proc/<pid>/stat (or task/<tid>/stat) line, the fields a benchmark needs.
struct ProcStat {
    QString comm;    ///< the thread's or process's name (at most 15 characters)
    pid_t ppid = 0;  ///< parent process
    double cpuS = 0; ///< user + system, seconds
    bool ok = false; ///< false: gone, or unreadable
};

inline ProcStat readStat(const QString &path)
{
    ProcStat stat;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return stat;
    const QByteArray line = file.readAll();
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
    if (open < 0 || close < open)
        return stat;
    stat.comm = QString::fromUtf8(line.mid(open + 1, close - open - 1));
    const QList<QByteArray> fields = line.mid(close + 2).split(' '); // fields[0] is field 3 (state)
    if (fields.size() < 13)
        return stat;
    static const double ticks = double(sysconf(_SC_CLK_TCK));
    stat.ppid = pid_t(fields.at(1).toLong());
    stat.cpuS = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / ticks; // utime, stime
    stat.ok = true;
    return stat;
}

inline double processCpuS(pid_t pid)
{
    return readStat(QStringLiteral("/proc/%1/stat").arg(pid)).cpuS;
}

/// CPU seconds of each thread of `pid`, by thread id (with its name).
inline QHash<pid_t, ProcStat> threadCpu(pid_t pid)
{
    QHash<pid_t, ProcStat> threads;
    const QString dir = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &tid : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const ProcStat stat = readStat(dir + QLatin1Char('/') + tid + QStringLiteral("/stat"));
        if (stat.ok)
            threads.insert(pid_t(tid.toLong()), stat);
    }
    return threads;
}

/// CPU seconds of `root` and its direct children (a postmaster and its backends and workers).
/// Children that exited are not counted.
inline double processTreeCpuS(pid_t root)
{
    double total = 0;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const pid_t pid = pid_t(entry.toLong(&numeric));
        if (!numeric)
            continue;
        const ProcStat stat = readStat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (stat.ok && (pid == root || stat.ppid == root))
            total += stat.cpuS;
    }
    return total;
}

/// A "VmRSS"/"VmHWM"-style line of /proc/<pid>/status, in MiB (0 when absent).
inline double statusMiB(pid_t pid, const char *field)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toDouble() / 1024.0; // kB
    }
    return 0;
}

} // namespace ccpm::bench
