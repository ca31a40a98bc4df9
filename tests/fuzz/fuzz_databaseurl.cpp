// libFuzzer target: ccpm::parseDatabaseUrl (db/databaseurl.h), the DATABASE_URL a user types or
// an .env holds. Invariants: a parsed URL formats back (redactedUrl, with the password put back
// percent-encoded) to a URL that parses to the same settings; a refused URL's error never
// contains the password part of the input.
#include "databaseurl.h"
#include "fuzzcheck.h"

#include <QUrl>

#include <algorithm>

using namespace ccpm;

namespace {

bool sameSettings(const ConnectionSettings &a, const ConnectionSettings &b)
{
    return a.host == b.host && a.port == b.port && a.database == b.database && a.user == b.user &&
           a.password == b.password && a.schema == b.schema && a.sslMode == b.sslMode &&
           a.connectTimeoutSeconds == b.connectTimeoutSeconds;
}

QString encoded(const QString &part)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(part));
}

/// The settings as a URL that the parser must read back the same (the form redactedUrl() shows,
/// with every part percent-encoded and the password included).
QString format(const ConnectionSettings &s)
{
    QString url = QStringLiteral("postgresql://");
    if (!s.user.isEmpty() || !s.password.isEmpty()) {
        url += encoded(s.user);
        if (!s.password.isEmpty())
            url += QLatin1Char(':') + encoded(s.password);
        url += QLatin1Char('@');
    }
    QString query = QStringLiteral("?schema=") + encoded(s.schema) + QStringLiteral("&connect_timeout=") +
                    QString::number(s.connectTimeoutSeconds);
    if (!s.sslMode.isEmpty())
        query += QStringLiteral("&sslmode=") + encoded(s.sslMode);
    if (s.isUnixSocket()) {
        query += QStringLiteral("&host=") + encoded(s.host);
    } else if (s.host.contains(QLatin1Char(':'))) {
        url += QLatin1Char('[') + s.host + QLatin1Char(']');
    } else {
        url += s.host;
    }
    url += QLatin1Char(':') + QString::number(s.port) + QLatin1Char('/') + encoded(s.database) + query;
    return url;
}

} // namespace

CCPM_FUZZ_TARGET(fuzz_databaseurl)
{
    const QString input = fuzzText(data, size);
    const Result<ConnectionSettings> parsed = parseDatabaseUrl(input);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().kind == Error::Kind::Invalid, "a bad URL is Invalid");
        FUZZ_CHECK(!parsed.error().message.isEmpty(), "a refusal says why");
        // user:password@ in the authority: the password (as typed or decoded) is in no message,
        // when it is long enough to tell and appears nowhere else in the URL.
        const qsizetype start = input.indexOf(QLatin1String("://"));
        if (start > 0) {
            qsizetype end = input.size();
            for (const QChar c : {QLatin1Char('/'), QLatin1Char('?'), QLatin1Char('#')})
                if (const qsizetype i = input.indexOf(c, start + 3); i >= 0)
                    end = std::min(end, i);
            const QString authority = input.mid(start + 3, end - start - 3);
            const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
            const qsizetype colon = at > 0 ? authority.left(at).indexOf(QLatin1Char(':')) : -1;
            if (colon >= 0) {
                const QString password = authority.mid(colon + 1, at - colon - 1);
                for (const QString &form : {password, QUrl::fromPercentEncoding(password.toUtf8())}) {
                    if (form.size() >= 6 && input.count(form) == 1 && !form.contains(QChar(0xFFFD))) {
                        // What a message shows of the input is quoted ("…"); the fixed text
                        // around it may hold any word (`postgres:` in "postgres://").
                        const QStringList parts = parsed.error().message.split(QLatin1Char('"'));
                        for (qsizetype q = 1; q < parts.size(); q += 2)
                            FUZZ_CHECK(!parts.at(q).contains(form), "an error never shows the password");
                        FUZZ_CHECK(!parsed.error().detail.contains(form),
                                   "an error never shows the password");
                    }
                }
            }
        }
        return;
    }
    const ConnectionSettings &s = *parsed;
    FUZZ_CHECK(s.port > 0 && s.port <= 65535, "port in range");
    FUZZ_CHECK(s.connectTimeoutSeconds >= 0, "timeout not negative");
    FUZZ_CHECK(!s.database.isEmpty(), "a database is named");
    // What may be shown does not depend on the password (beyond whether there is one).
    ConnectionSettings other = s;
    other.password = s.password.isEmpty() ? QString() : QStringLiteral("another password");
    FUZZ_CHECK(s.displayName() == other.displayName(), "displayName hides the password");
    FUZZ_CHECK(s.redactedUrl() == other.redactedUrl(), "redactedUrl hides the password");
    const QString again = format(s);
    const Result<ConnectionSettings> reparsed = parseDatabaseUrl(again);
    if (!reparsed) {
        std::fprintf(stderr, "re-formatted: %s\nerror: %s\n", qPrintable(again),
                     qPrintable(reparsed.error().message));
    }
    FUZZ_CHECK(bool(reparsed), "the re-formatted URL parses");
    FUZZ_CHECK(sameSettings(s, *reparsed), "the re-formatted URL gives the same settings");
    return;
}
