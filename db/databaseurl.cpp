#include "databaseurl.h"

#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

namespace ccpm {

namespace {

constexpr int DefaultPort = 5432;

Error invalid(const QString &message)
{
    return Error{Error::Kind::Invalid, message, {}, {}};
}

QString quoted(const QString &text)
{
    // Control characters (a decoded %00, a newline) would garble a terminal or a log line.
    QString shown;
    for (const QChar c : text)
        shown += c.category() == QChar::Other_Control ? QChar(0xFFFD) : c;
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

bool isAsciiDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    return true;
}

bool isHexDigit(QChar c)
{
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
           (c >= QLatin1Char('a') && c <= QLatin1Char('f')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

/// RFC 3986: every '%' starts a %XX escape, and only unreserved, sub-delims and `extra` appear
/// literally. Non-ASCII is let through: QUrl accepts it and encodes it itself.
bool isWellEncoded(QStringView text, QLatin1String extra)
{
    static const QLatin1String allowed("-._~!$&'()*+,;=");
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('%')) {
            if (i + 2 >= text.size() || !isHexDigit(text.at(i + 1)) || !isHexDigit(text.at(i + 2)))
                return false;
            i += 2;
            continue;
        }
        if (c.unicode() > 0x7f || c.isLetterOrNumber() || allowed.contains(c) || extra.contains(c))
            continue;
        return false;
    }
    return true;
}

std::optional<QString> checkScheme(const QString &url, qsizetype *restStart)
{
    const qsizetype separator = url.indexOf(QLatin1String("://"));
    if (separator <= 0)
        return QStringLiteral("The database URL must start with postgresql:// or postgres://.");
    const QString scheme = url.left(separator);
    bool plausible = scheme.at(0).isLetter() && scheme.at(0).unicode() < 0x80;
    for (const QChar c : scheme)
        plausible =
            plausible && c.unicode() < 0x80 &&
            (c.isLetterOrNumber() || c == QLatin1Char('+') || c == QLatin1Char('-') || c == QLatin1Char('.'));
    if (!plausible)
        return QStringLiteral("The database URL must start with postgresql:// or postgres://.");
    const QString lower = scheme.toLower();
    if (lower != QLatin1String("postgresql") && lower != QLatin1String("postgres"))
        return QStringLiteral(
                   "The database URL scheme %1 is not supported: use postgresql:// or postgres://.")
            .arg(quoted(scheme));
    *restStart = separator + 3;
    return std::nullopt;
}

/// QUrl's own error string quotes the whole URL, password included, so it is never shown. When QUrl
/// refuses the URL, split it by hand only to say which part is wrong.
QString diagnoseRejectedUrl(QStringView rest)
{
    const qsizetype authorityEnd = [&] {
        for (qsizetype i = 0; i < rest.size(); ++i)
            if (rest.at(i) == QLatin1Char('/') || rest.at(i) == QLatin1Char('?') ||
                rest.at(i) == QLatin1Char('#'))
                return i;
        return rest.size();
    }();
    const QStringView authority = rest.left(authorityEnd);
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    const QStringView userInfo = at >= 0 ? authority.left(at) : QStringView();
    const QStringView hostPort = at >= 0 ? authority.mid(at + 1) : authority;

    const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
    const QStringView user = colon >= 0 ? userInfo.left(colon) : userInfo;
    const QStringView password = colon >= 0 ? userInfo.mid(colon + 1) : QStringView();
    if (!isWellEncoded(user, QLatin1String()))
        return QStringLiteral("The database URL has a user name that is not correctly percent-encoded: write "
                              "special characters as %XX (for example @ as %40).");
    if (!isWellEncoded(password, QLatin1String(":")))
        return QStringLiteral("The database URL has a password that is not correctly percent-encoded: write "
                              "special characters as %XX (for example @ as %40, space as %20).");

    QStringView host = hostPort;
    QStringView port;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return QStringLiteral("The database URL has an IPv6 host without its closing ']'.");
        host = hostPort.mid(1, close - 1);
        const QStringView after = hostPort.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(QLatin1Char(':')))
            return QStringLiteral("The database URL has unexpected text after the IPv6 host %1.")
                .arg(quoted(host.toString()));
        port = after.mid(1);
    } else if (const qsizetype portColon = hostPort.lastIndexOf(QLatin1Char(':')); portColon >= 0) {
        host = hostPort.left(portColon);
        port = hostPort.mid(portColon + 1);
    }
    // Without an '@', "user:password/db" looks like "host:port/db": then neither part may be
    // quoted, because either may be the password.
    const bool mayHoldPassword = at < 0 && !port.isNull();
    if (!port.isEmpty()) {
        bool ok = false;
        const int number = isAsciiDigits(port) ? port.toInt(&ok) : 0;
        if (mayHoldPassword && (!ok || number < 1 || number > 65535))
            return QStringLiteral(
                "The database URL has an invalid port: expected a number from 1 to 65535. If "
                "the part after ':' is a password, write user:password@host.");
        if (!ok || number < 1 || number > 65535)
            return QStringLiteral(
                       "The database URL has an invalid port %1: expected a number from 1 to 65535.")
                .arg(quoted(port.toString()));
    }
    // The host is after the last '@', so it holds no part of the password: let QUrl judge it alone.
    const bool ipv6 = hostPort.startsWith(QLatin1Char('['));
    const QString hostOnly = ipv6 ? QLatin1Char('[') + host.toString() + QLatin1Char(']') : host.toString();
    if (!QUrl(QStringLiteral("postgresql://") + hostOnly + QLatin1Char('/'), QUrl::StrictMode).isValid()) {
        if (mayHoldPassword)
            return QStringLiteral(
                "The database URL has an invalid host name. If it holds user:password, write "
                "user:password@host.");
        return QStringLiteral("The database URL has an invalid %1 %2.")
            .arg(ipv6 ? QStringLiteral("IPv6 host") : QStringLiteral("host name"), quoted(host.toString()));
    }

    QStringView tail = rest.mid(authorityEnd);
    const qsizetype queryStart = tail.indexOf(QLatin1Char('?'));
    const QStringView path = queryStart >= 0 ? tail.left(queryStart) : tail;
    if (!isWellEncoded(path, QLatin1String(":@/")))
        return QStringLiteral(
                   "The database URL has a database name that is not correctly percent-encoded: %1.")
            .arg(quoted(path.mid(1).toString()));
    if (queryStart >= 0 && !isWellEncoded(tail.mid(queryStart + 1), QLatin1String(":@/?")))
        return QStringLiteral("The database URL has parameters (after '?') that are not correctly "
                              "percent-encoded.");
    return QStringLiteral("The database URL is not a valid URL.");
}

/// Decodes a query key or value the way Prisma (application/x-www-form-urlencoded) does.
QString formDecoded(QString encodedText)
{
    encodedText.replace(QLatin1Char('+'), QLatin1Char(' '));
    return QUrl::fromPercentEncoding(encodedText.toUtf8());
}

std::optional<QString> applyQuery(const QUrl &url, ConnectionSettings *settings)
{
    QStringList seen;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyEncoded);
    for (const auto &[encodedKey, encodedValue] : items) {
        const QString key = formDecoded(encodedKey);
        // The first occurrence wins, as URLSearchParams.get() does.
        if (seen.contains(key))
            continue;
        seen << key;
        const QString value = formDecoded(encodedValue);
        if (key == QLatin1String("schema")) {
            if (value.isEmpty())
                return QStringLiteral(
                    "The database URL has an empty schema parameter: name a schema or leave the "
                    "parameter out to use public.");
            settings->schema = value;
        } else if (key == QLatin1String("sslmode")) {
            static const QStringList modes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                           QStringLiteral("prefer"),    QStringLiteral("require"),
                                           QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
            if (!modes.contains(value))
                return QStringLiteral("The database URL has an invalid sslmode %1: expected one of %2.")
                    .arg(quoted(value), modes.join(QStringLiteral(", ")));
            settings->sslMode = value;
        } else if (key == QLatin1String("host")) {
            if (!value.startsWith(QLatin1Char('/')) || value.contains(QChar()))
                return QStringLiteral(
                           "The database URL has an invalid host parameter %1: expected an absolute "
                           "Unix-socket directory such as /var/run/postgresql.")
                    .arg(quoted(value));
            settings->host = value;
        } else if (key == QLatin1String("port")) {
            // libpq's parameter; with a Unix socket (host=) it names the socket file's port.
            bool ok = false;
            const int number = isAsciiDigits(value) ? value.toInt(&ok) : 0;
            if (!ok || number < 1 || number > 65535)
                return QStringLiteral("The database URL has an invalid port parameter %1: expected a number "
                                      "from 1 to 65535.")
                    .arg(quoted(value));
            settings->port = number;
        } else if (key == QLatin1String("connect_timeout")) {
            bool ok = false;
            const int seconds = isAsciiDigits(value) ? value.toInt(&ok) : -1;
            if (!ok || seconds < 0)
                return QStringLiteral("The database URL has an invalid connect_timeout %1: expected a whole "
                                      "number of seconds (0 or more).")
                    .arg(quoted(value));
            settings->connectTimeoutSeconds = seconds;
        }
    }
    return std::nullopt;
}

} // namespace

Result<ConnectionSettings> parseDatabaseUrl(const QString &url)
{
    const QString text = url.trimmed();
    if (text.isEmpty())
        return invalid(QStringLiteral("The database URL is empty."));

    qsizetype restStart = 0;
    if (auto problem = checkScheme(text, &restStart))
        return invalid(*problem);

    // An '@' after the host means the user name or password holds a '/', '?', '#' or '@' that was
    // not percent-encoded; the parts after it cannot be trusted to be free of the password.
    const QStringView rest = QStringView(text).mid(restStart);
    const qsizetype lastAt = rest.lastIndexOf(QLatin1Char('@'));
    for (qsizetype i = 0; i < lastAt; ++i) {
        const QChar c = rest.at(i);
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#'))
            return invalid(
                QStringLiteral("The database URL has a user name or password that is not correctly "
                               "percent-encoded: write / as %2F, ? as %3F, # as %23 and @ as %40 "
                               "(also in parameters after the host)."));
    }

    const QUrl parsed(text, QUrl::StrictMode);
    if (!parsed.isValid())
        return invalid(diagnoseRejectedUrl(rest));
    if (parsed.hasFragment())
        return invalid(
            QStringLiteral("The database URL has a '#' part, which a database URL cannot have: write # "
                           "as %23."));

    ConnectionSettings settings;
    settings.user = parsed.userName(QUrl::FullyDecoded);
    settings.password = parsed.password(QUrl::FullyDecoded);
    if (settings.user.contains(QChar()))
        return invalid(
            QStringLiteral("The database URL has a user name containing %00, which PostgreSQL cannot "
                           "accept."));
    if (settings.password.contains(QChar()))
        return invalid(
            QStringLiteral("The database URL has a password containing %00, which PostgreSQL cannot "
                           "accept."));

    settings.host = parsed.host(QUrl::FullyDecoded);
    const int port = parsed.port(DefaultPort);
    if (port < 1 || port > 65535) // QUrl accepts 0
        return invalid(
            QStringLiteral("The database URL has an invalid port %1: expected a number from 1 to 65535.")
                .arg(quoted(QString::number(port))));
    settings.port = port;

    const QString encodedPath = parsed.path(QUrl::FullyEncoded);
    const QString encodedName = encodedPath.mid(1);
    if (encodedName.isEmpty())
        return invalid(
            QStringLiteral("The database URL is missing the database name: add it after the host, as in "
                           "postgresql://user@localhost:5432/ccpm."));
    if (encodedName.contains(QLatin1Char('/')))
        return invalid(
            QStringLiteral("The database URL has an invalid database name %1: it must be a single path "
                           "segment (write / as %2F).")
                .arg(quoted(encodedName)));
    settings.database = QUrl::fromPercentEncoding(encodedName.toUtf8());
    if (settings.database.contains(QChar()))
        return invalid(QStringLiteral("The database URL has a database name containing %00, which PostgreSQL "
                                      "cannot accept."));

    if (auto problem = applyQuery(parsed, &settings))
        return invalid(*problem);
    if (settings.host.isEmpty())
        return invalid(
            QStringLiteral("The database URL is missing the host: add one after '@' (for example "
                           "localhost) or give a socket directory with ?host=/var/run/postgresql."));
    return settings;
}

} // namespace ccpm
