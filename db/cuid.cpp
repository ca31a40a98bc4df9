#include "cuid.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSysInfo>

#include <atomic>

namespace ccpm {

namespace {

constexpr quint32 BlockRange = 36 * 36 * 36 * 36; // one 4-character base36 block

/// The last `width` base36 digits of `value`, zero-padded, as cuid's pad() does.
QString base36(quint64 value, int width)
{
    const QString digits = QString::number(value, 36); // lower case
    return digits.size() >= width ? digits.right(width)
                                  : QString(width - digits.size(), QLatin1Char('0')) + digits;
}

QString fingerprint()
{
    // cuid: two digits of the pid, then two of (sum of the host name's characters + length + 36).
    const QString host = QSysInfo::machineHostName();
    quint64 sum = quint64(host.size()) + 36;
    for (const QChar c : host)
        sum += c.unicode();
    return base36(quint64(QCoreApplication::applicationPid()), 2) + base36(sum, 2);
}

std::atomic<quint32> s_counter{0};

} // namespace

QString newCuid()
{
    static const QString hostPrint = fingerprint();
    const quint64 now = quint64(QDateTime::currentMSecsSinceEpoch());
    const quint32 count = s_counter.fetch_add(1, std::memory_order_relaxed) % BlockRange;
    QRandomGenerator *random = QRandomGenerator::system();
    return QLatin1Char('c') + base36(now, 8) + base36(count, 4) + hostPrint +
           base36(random->bounded(BlockRange), 4) + base36(random->bounded(BlockRange), 4);
}

bool isCuid(const QString &id)
{
    if (id.size() != 25 || id.at(0) != QLatin1Char('c'))
        return false;
    for (const QChar c : id)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
              (c >= QLatin1Char('a') && c <= QLatin1Char('z'))))
            return false;
    return true;
}

} // namespace ccpm
