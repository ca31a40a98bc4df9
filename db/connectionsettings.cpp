#include "connectionsettings.h"

#include <QByteArray>
#include <QStringList>
#include <QUrl>

namespace ccpm {

namespace {

/// IPv6 literals need brackets wherever a port follows them.
QString hostForAuthority(const QString &host)
{
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

/// QPSQL turns the connect options into a libpq conninfo by replacing every ';' with ' ', so a
/// value may contain neither; libpq would also read quotes and backslashes. Keep a safe subset.
QString conninfoSafe(const QString &value, int maxLength)
{
    QString out;
    out.reserve(qMin(value.size(), qsizetype(maxLength)));
    for (const QChar c : value) {
        if (out.size() >= maxLength)
            break;
        const bool safe = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                          (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                          (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') ||
                          c == QLatin1Char('_') || c == QLatin1Char('.');
        out.append(safe ? c : QLatin1Char('-'));
    }
    return out;
}

QString encoded(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, keep));
}

} // namespace

QString ConnectionSettings::displayName() const
{
    if (host.isEmpty())
        return QStringLiteral("(default socket):%1/%2").arg(port).arg(database);
    if (isUnixSocket())
        return QStringLiteral("%1:%2 (socket)/%3").arg(host).arg(port).arg(database);
    return QStringLiteral("%1:%2/%3").arg(hostForAuthority(host)).arg(port).arg(database);
}

QString ConnectionSettings::redactedUrl() const
{
    QString url = QStringLiteral("postgresql://");
    if (!user.isEmpty() || !password.isEmpty()) {
        url += encoded(user);
        if (!password.isEmpty())
            url += QStringLiteral(":***");
        url += QLatin1Char('@');
    }
    // Prisma's documented form for sockets puts localhost in the authority and the directory in ?host=.
    const bool socket = isUnixSocket();
    url += socket || host.isEmpty() ? QStringLiteral("localhost") : hostForAuthority(host);
    url += QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + encoded(database);

    QStringList query;
    if (socket)
        query << QStringLiteral("host=") + encoded(host, "/");
    if (schema != QLatin1String("public"))
        query << QStringLiteral("schema=") + encoded(schema);
    if (!sslMode.isEmpty())
        query << QStringLiteral("sslmode=") + encoded(sslMode);
    if (connectTimeoutSeconds != ConnectionSettings{}.connectTimeoutSeconds)
        query << QStringLiteral("connect_timeout=") + QString::number(connectTimeoutSeconds);
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return url;
}

QString ConnectionSettings::connectOptions(const QString &applicationName) const
{
    QStringList options;
    if (connectTimeoutSeconds >= 0)
        options << QStringLiteral("connect_timeout=%1").arg(connectTimeoutSeconds);
    // NAMEDATALEN - 1: the server truncates longer names anyway.
    const QString appName = conninfoSafe(applicationName, 63);
    if (!appName.isEmpty())
        options << QStringLiteral("application_name=") + appName;
    // A mangled sslmode still reaches libpq, which refuses it: failing closed beats dropping it.
    if (!sslMode.isEmpty())
        options << QStringLiteral("sslmode=") + conninfoSafe(sslMode, 32);
    return options.join(QLatin1Char(';'));
}

} // namespace ccpm
