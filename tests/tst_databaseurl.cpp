// Tests for parseDatabaseUrl() and the ConnectionSettings methods that show or use a URL.

#include "connectionsettings.h"
#include "databaseurl.h"

#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using ccpm::ConnectionSettings;
using ccpm::Error;
using ccpm::parseDatabaseUrl;

namespace {
// Distinctive enough that finding it anywhere in a message means it leaked.
const QString Secret = QStringLiteral("Sup3rSecretPw");
} // namespace

class TestDatabaseUrl : public QObject {
    Q_OBJECT

private slots:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void rejectsMalformedUrls_data();
    void rejectsMalformedUrls();
    void qurlBehaviourWeRelyOn();
    void displayAndRedactedUrlNeverShowThePassword_data();
    void displayAndRedactedUrlNeverShowThePassword();
    void redactedUrlRoundTrips();
    void connectOptionsAreConninfoSafe();
};

void TestDatabaseUrl::parsesValidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("sslMode");
    QTest::addColumn<int>("connectTimeout");

    const QString pub = QStringLiteral("public");
    QTest::newRow("prisma .env") << QStringLiteral("postgresql://ccpm:ccpm@localhost:5432/ccpm?schema=public")
                                 << QStringLiteral("localhost") << 5432 << QStringLiteral("ccpm")
                                 << QStringLiteral("ccpm") << QStringLiteral("ccpm") << pub << QString()
                                 << 10;
    QTest::newRow("postgres scheme, default port")
        << QStringLiteral("postgres://alice@db.example.com/app") << QStringLiteral("db.example.com") << 5432
        << QStringLiteral("app") << QStringLiteral("alice") << QString() << pub << QString() << 10;
    QTest::newRow("scheme in upper case")
        << QStringLiteral("POSTGRESQL://bob:pw@host:6543/db") << QStringLiteral("host") << 6543
        << QStringLiteral("db") << QStringLiteral("bob") << QStringLiteral("pw") << pub << QString() << 10;
    QTest::newRow("encoded user and password")
        << QStringLiteral("postgresql://us%40er:p%40ss@host:5432/db") << QStringLiteral("host") << 5432
        << QStringLiteral("db") << QStringLiteral("us@er") << QStringLiteral("p@ss") << pub << QString()
        << 10;
    QTest::newRow("password with @ : / % ? # space")
        << QStringLiteral("postgresql://u:a%40b%3Ac%2Fd%25e%3Ff%23g%20h@host/db") << QStringLiteral("host")
        << 5432 << QStringLiteral("db") << QStringLiteral("u") << QStringLiteral("a@b:c/d%e?f#g h") << pub
        << QString() << 10;
    QTest::newRow("literal colon in password")
        << QStringLiteral("postgresql://u:pa:ss@host/db") << QStringLiteral("host") << 5432
        << QStringLiteral("db") << QStringLiteral("u") << QStringLiteral("pa:ss") << pub << QString() << 10;
    QTest::newRow("non-ASCII password")
        << QStringLiteral("postgresql://u:p%C3%A4ss@host/db") << QStringLiteral("host") << 5432
        << QStringLiteral("db") << QStringLiteral("u") << QStringLiteral("p\u00e4ss") << pub << QString()
        << 10;
    QTest::newRow("IPv6 with port") << QStringLiteral("postgresql://u:pw@[::1]:5433/db")
                                    << QStringLiteral("::1") << 5433 << QStringLiteral("db")
                                    << QStringLiteral("u") << QStringLiteral("pw") << pub << QString() << 10;
    QTest::newRow("IPv6 without port")
        << QStringLiteral("postgresql://u@[2001:db8::7]/db") << QStringLiteral("2001:db8::7") << 5432
        << QStringLiteral("db") << QStringLiteral("u") << QString() << pub << QString() << 10;
    QTest::newRow("socket dir, empty authority host")
        << QStringLiteral("postgresql://user@/ccpm?host=/var/run/postgresql")
        << QStringLiteral("/var/run/postgresql") << 5432 << QStringLiteral("ccpm") << QStringLiteral("user")
        << QString() << pub << QString() << 10;
    QTest::newRow("socket dir with a port parameter (libpq)")
        << QStringLiteral("postgresql://user@/ccpm?host=/tmp/pg&port=54329") << QStringLiteral("/tmp/pg")
        << 54329 << QStringLiteral("ccpm") << QStringLiteral("user") << QString() << pub << QString() << 10;
    QTest::newRow("socket dir overrides localhost, encoded")
        << QStringLiteral("postgresql://user:pw@localhost:5499/ccpm?host=%2Ftmp%2Fccpm%20run")
        << QStringLiteral("/tmp/ccpm run") << 5499 << QStringLiteral("ccpm") << QStringLiteral("user")
        << QStringLiteral("pw") << pub << QString() << 10;
    QTest::newRow("schema") << QStringLiteral("postgresql://u@h/db?schema=ccpm_test") << QStringLiteral("h")
                            << 5432 << QStringLiteral("db") << QStringLiteral("u") << QString()
                            << QStringLiteral("ccpm_test") << QString() << 10;
    QTest::newRow("schema with + and %2B (form decoding)")
        << QStringLiteral("postgresql://u@h/db?schema=a+b%2Bc") << QStringLiteral("h") << 5432
        << QStringLiteral("db") << QStringLiteral("u") << QString() << QStringLiteral("a b+c") << QString()
        << 10;
    QTest::newRow("sslmode") << QStringLiteral("postgresql://u@h/db?sslmode=verify-full")
                             << QStringLiteral("h") << 5432 << QStringLiteral("db") << QStringLiteral("u")
                             << QString() << pub << QStringLiteral("verify-full") << 10;
    QTest::newRow("connect_timeout") << QStringLiteral("postgresql://u@h/db?connect_timeout=0")
                                     << QStringLiteral("h") << 5432 << QStringLiteral("db")
                                     << QStringLiteral("u") << QString() << pub << QString() << 0;
    QTest::newRow("prisma pool parameters are ignored")
        << QStringLiteral("postgresql://u:pw@h:5432/db?connection_limit=5&pool_timeout=10&pgbouncer=true"
                          "&schema=s&sslmode=require&connect_timeout=30")
        << QStringLiteral("h") << 5432 << QStringLiteral("db") << QStringLiteral("u") << QStringLiteral("pw")
        << QStringLiteral("s") << QStringLiteral("require") << 30;
    QTest::newRow("encoded database name")
        << QStringLiteral("postgresql://u@h/my%20db%2Fx") << QStringLiteral("h") << 5432
        << QStringLiteral("my db/x") << QStringLiteral("u") << QString() << pub << QString() << 10;
    QTest::newRow("no credentials, max port")
        << QStringLiteral("postgresql://h:65535/db") << QStringLiteral("h") << 65535 << QStringLiteral("db")
        << QString() << QString() << pub << QString() << 10;
    QTest::newRow("surrounding whitespace")
        << QStringLiteral("  postgresql://u@h/db\n") << QStringLiteral("h") << 5432 << QStringLiteral("db")
        << QStringLiteral("u") << QString() << pub << QString() << 10;
}

void TestDatabaseUrl::parsesValidUrls()
{
    QFETCH(QString, url);

    // Given a well-formed URL; When it is parsed
    const auto result = parseDatabaseUrl(url);

    // Then every part lands in its field, decoded
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QTEST(result->host, "host");
    QTEST(result->port, "port");
    QTEST(result->database, "database");
    QTEST(result->user, "user");
    QTEST(result->password, "password");
    QTEST(result->schema, "schema");
    QTEST(result->sslMode, "sslMode");
    QTEST(result->connectTimeoutSeconds, "connectTimeout");
}

void TestDatabaseUrl::rejectsMalformedUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("namedPart"); // must appear in the message

    const QString pw = Secret;
    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("no scheme") << QStringLiteral("u:%1@host/db").arg(pw) << QStringLiteral("postgresql://");
    QTest::newRow("mysql scheme") << QStringLiteral("mysql://u:%1@host/db").arg(pw)
                                  << QStringLiteral("scheme \"mysql\" is not supported");
    QTest::newRow("port too large") << QStringLiteral("postgresql://u:%1@host:99999/db").arg(pw)
                                    << QStringLiteral("invalid port \"99999\"");
    QTest::newRow("port zero") << QStringLiteral("postgresql://u:%1@host:0/db").arg(pw)
                               << QStringLiteral("invalid port \"0\"");
    QTest::newRow("port parameter not a number")
        << QStringLiteral("postgresql://u:%1@/db?host=/tmp&port=5x").arg(pw)
        << QStringLiteral("invalid port parameter \"5x\"");
    QTest::newRow("port not a number")
        << QStringLiteral("postgresql://u:%1@host:abc/db").arg(pw) << QStringLiteral("invalid port \"abc\"");
    QTest::newRow("IPv6 port too large") << QStringLiteral("postgresql://u:%1@[::1]:70000/db").arg(pw)
                                         << QStringLiteral("invalid port \"70000\"");
    QTest::newRow("missing database") << QStringLiteral("postgresql://u:%1@host:5432").arg(pw)
                                      << QStringLiteral("missing the database name");
    QTest::newRow("missing database, slash")
        << QStringLiteral("postgresql://u:%1@host:5432/?schema=x").arg(pw)
        << QStringLiteral("missing the database name");
    QTest::newRow("two path segments") << QStringLiteral("postgresql://u:%1@host/a/b").arg(pw)
                                       << QStringLiteral("invalid database name \"a/b\"");
    QTest::newRow("missing host") << QStringLiteral("postgresql://u:%1@/db").arg(pw)
                                  << QStringLiteral("missing the host");
    QTest::newRow("missing host, no user")
        << QStringLiteral("postgresql:///db") << QStringLiteral("missing the host");
    QTest::newRow("bad escape in password")
        << QStringLiteral("postgresql://u:%1%zz@host/db").arg(pw)
        << QStringLiteral("password that is not correctly percent-encoded");
    QTest::newRow("space in password") << QStringLiteral("postgresql://u:%1 x@host/db").arg(pw)
                                       << QStringLiteral("password that is not correctly percent-encoded");
    QTest::newRow("bad escape in user") << QStringLiteral("postgresql://u%4:%1@host/db").arg(pw)
                                        << QStringLiteral("user name that is not correctly percent-encoded");
    QTest::newRow("raw @ in password") << QStringLiteral("postgresql://u:%1@x@host/db").arg(pw)
                                       << QStringLiteral("password that is not correctly percent-encoded");
    QTest::newRow("raw / in password")
        << QStringLiteral("postgresql://u:%1/x@host/db").arg(pw) << QStringLiteral("user name or password");
    QTest::newRow("raw / and digits in password") << QStringLiteral("postgresql://u:1234/%1@host/db").arg(pw)
                                                  << QStringLiteral("user name or password");
    QTest::newRow("raw ? in password")
        << QStringLiteral("postgresql://u:%1?x@host/db").arg(pw) << QStringLiteral("user name or password");
    QTest::newRow("raw # in password")
        << QStringLiteral("postgresql://u:%1#x@host/db").arg(pw) << QStringLiteral("user name or password");
    QTest::newRow("NUL in password") << QStringLiteral("postgresql://u:") + pw + QStringLiteral("%00@host/db")
                                     << QStringLiteral("password containing %00");
    QTest::newRow("bad escape in database")
        << QStringLiteral("postgresql://u:%1@host/db%zz").arg(pw)
        << QStringLiteral("database name that is not correctly percent-encoded");
    QTest::newRow("bad escape in query")
        << QStringLiteral("postgresql://u:%1@host/db?schema=%zz").arg(pw) << QStringLiteral("parameters");
    QTest::newRow("space in host") << QStringLiteral("postgresql://u:%1@ho st/db").arg(pw)
                                   << QStringLiteral("invalid host name \"ho st\"");
    QTest::newRow("unclosed IPv6") << QStringLiteral("postgresql://u:%1@[::1/db").arg(pw)
                                   << QStringLiteral("IPv6 host without its closing");
    QTest::newRow("bad IPv6 host") << QStringLiteral("postgresql://u:%1@[::zz]/db").arg(pw)
                                   << QStringLiteral("invalid IPv6 host \"::zz\"");
    QTest::newRow("IPv6 host, bad escape in database")
        << QStringLiteral("postgresql://u:%1@[::1]/d%zz").arg(pw)
        << QStringLiteral("database name that is not correctly");
    QTest::newRow("bad sslmode") << QStringLiteral("postgresql://u:%1@host/db?sslmode=maybe").arg(pw)
                                 << QStringLiteral("invalid sslmode \"maybe\"");
    QTest::newRow("bad connect_timeout")
        << QStringLiteral("postgresql://u:%1@host/db?connect_timeout=-1").arg(pw)
        << QStringLiteral("invalid connect_timeout \"-1\"");
    QTest::newRow("connect_timeout not a number")
        << QStringLiteral("postgresql://u:%1@host/db?connect_timeout=ten").arg(pw)
        << QStringLiteral("invalid connect_timeout \"ten\"");
    QTest::newRow("connect_timeout overflows")
        << QStringLiteral("postgresql://u:%1@host/db?connect_timeout=99999999999").arg(pw)
        << QStringLiteral("invalid connect_timeout");
    QTest::newRow("relative socket dir") << QStringLiteral("postgresql://u:%1@/db?host=run/pg").arg(pw)
                                         << QStringLiteral("invalid host parameter \"run/pg\"");
    QTest::newRow("empty schema") << QStringLiteral("postgresql://u:%1@host/db?schema=").arg(pw)
                                  << QStringLiteral("empty schema");
    QTest::newRow("fragment") << QStringLiteral("postgresql://u:%1@host/db#x").arg(pw)
                              << QStringLiteral("'#'");
    // Without '@' the password sits where host and port belong: found by an attack session.
    QTest::newRow("no @, password as port")
        << QStringLiteral("postgresql://u:%1/ccpm").arg(pw) << QStringLiteral("invalid port");
    QTest::newRow("no @, password in host")
        << QStringLiteral("postgresql://u:%1:5432/ccpm").arg(pw) << QStringLiteral("invalid host name");
    QTest::newRow("no @, numeric password")
        << QStringLiteral("postgresql://u:1234567/ccpm") << QStringLiteral("user:password@host");
}

void TestDatabaseUrl::rejectsMalformedUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, namedPart);

    // Given a malformed URL with a distinctive password; When it is parsed
    const auto result = parseDatabaseUrl(url);

    // Then it is refused as Invalid, the message names the wrong part, and the password is nowhere
    QVERIFY(!result.ok());
    const Error &error = result.error();
    QCOMPARE(error.kind, Error::Kind::Invalid);
    QVERIFY2(error.message.contains(namedPart), qPrintable(error.message));
    QVERIFY2(!error.message.contains(Secret), qPrintable(error.message));
    QVERIFY2(!error.detail.contains(Secret), qPrintable(error.detail));
    QVERIFY(!error.toString().contains(Secret));
}

void TestDatabaseUrl::qurlBehaviourWeRelyOn()
{
    // Given QUrl in strict mode; Then it behaves as databaseurl.cpp assumes:
    // its error string quotes the whole input, password included, so it must never be shown,
    const QUrl badPort(QStringLiteral("postgresql://u:%1@host:99999/db").arg(Secret), QUrl::StrictMode);
    QVERIFY(!badPort.isValid());
    QVERIFY(badPort.errorString().contains(Secret));
    // it accepts port 0, which PostgreSQL cannot use,
    const QUrl zero(QStringLiteral("postgresql://h:0/db"), QUrl::StrictMode);
    QVERIFY(zero.isValid());
    QCOMPARE(zero.port(), 0);
    // it drops the brackets of IPv6 hosts and lower-cases host names,
    QCOMPARE(QUrl(QStringLiteral("postgresql://[::1]:1/db"), QUrl::StrictMode).host(), QStringLiteral("::1"));
    QCOMPARE(QUrl(QStringLiteral("postgresql://HoSt/db"), QUrl::StrictMode).host(), QStringLiteral("host"));
    // it fully decodes credentials, including an escaped ':' in the password,
    const QUrl creds(QStringLiteral("postgresql://a%3Ab:c%3Ad%40@h/db"), QUrl::StrictMode);
    QCOMPARE(creds.userName(QUrl::FullyDecoded), QStringLiteral("a:b"));
    QCOMPARE(creds.password(QUrl::FullyDecoded), QStringLiteral("c:d@"));
    // it splits at the first '@' (Node's URL uses the last one), so a raw '@' leaves an invalid host,
    QVERIFY(!QUrl(QStringLiteral("postgresql://u:a@b@h/db"), QUrl::StrictMode).isValid());
    // a raw '/' plus digits in the password parses as a valid URL with the wrong port and path,
    const QUrl slash(QStringLiteral("postgresql://u:1234/x@h/db"), QUrl::StrictMode);
    QVERIFY(slash.isValid());
    QCOMPARE(slash.port(), 1234);
    // an empty port means "none", and an empty host is valid,
    QCOMPARE(QUrl(QStringLiteral("postgresql://h:/db"), QUrl::StrictMode).port(), -1);
    QVERIFY(QUrl(QStringLiteral("postgresql://u@/db"), QUrl::StrictMode).isValid());
    // and QUrlQuery does not turn '+' into a space (form decoding is done by hand).
    QUrlQuery query(QUrl(QStringLiteral("postgresql://h/db?schema=a+b"), QUrl::StrictMode));
    QCOMPARE(query.queryItemValue(QStringLiteral("schema"), QUrl::FullyDecoded), QStringLiteral("a+b"));
}

void TestDatabaseUrl::displayAndRedactedUrlNeverShowThePassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<QString>("redactedUrl");

    QTest::newRow("tcp") << QStringLiteral("postgresql://ccpm:%1@localhost:5432/ccpm").arg(Secret)
                         << QStringLiteral("localhost:5432/ccpm")
                         << QStringLiteral("postgresql://ccpm:***@localhost:5432/ccpm");
    QTest::newRow("encoded user, options")
        << QStringLiteral("postgresql://us%40er:%1@db:6000/app?schema=s1&sslmode=require&connect_timeout=3")
               .arg(Secret)
        << QStringLiteral("db:6000/app")
        << QStringLiteral("postgresql://us%40er:***@db:6000/app?schema=s1&sslmode=require&connect_timeout=3");
    QTest::newRow("ipv6") << QStringLiteral("postgresql://u:%1@[::1]:5433/db").arg(Secret)
                          << QStringLiteral("[::1]:5433/db")
                          << QStringLiteral("postgresql://u:***@[::1]:5433/db");
    QTest::newRow("socket") << QStringLiteral("postgresql://u:%1@/ccpm?host=/tmp/x").arg(Secret)
                            << QStringLiteral("/tmp/x:5432 (socket)/ccpm")
                            << QStringLiteral("postgresql://u:***@localhost:5432/ccpm?host=/tmp/x");
    QTest::newRow("no password") << QStringLiteral("postgresql://u@h/db") << QStringLiteral("h:5432/db")
                                 << QStringLiteral("postgresql://u@h:5432/db");
}

void TestDatabaseUrl::displayAndRedactedUrlNeverShowThePassword()
{
    QFETCH(QString, url);

    // Given settings parsed from a URL with a password
    const auto settings = parseDatabaseUrl(url);
    QVERIFY(settings.ok());

    // When they are shown; Then only the placeholder stands in for the password
    QTEST(settings->displayName(), "displayName");
    QTEST(settings->redactedUrl(), "redactedUrl");
    QVERIFY(!settings->displayName().contains(Secret));
    QVERIFY(!settings->redactedUrl().contains(Secret));
    QVERIFY(!settings->connectOptions(QStringLiteral("ccpm-desk")).contains(Secret));
}

void TestDatabaseUrl::redactedUrlRoundTrips()
{
    // Given settings with every field away from its default
    ConnectionSettings settings;
    settings.host = QStringLiteral("/run/ccpm pg");
    settings.port = 54329;
    settings.database = QStringLiteral("my db&x");
    settings.user = QStringLiteral("a@b:c");
    settings.password = Secret;
    settings.schema = QStringLiteral("s&t=u");
    settings.sslMode = QStringLiteral("disable");
    settings.connectTimeoutSeconds = 4;

    // When the redacted URL is parsed again
    const auto parsed = parseDatabaseUrl(settings.redactedUrl());

    // Then everything but the password comes back
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->host, settings.host);
    QCOMPARE(parsed->port, settings.port);
    QCOMPARE(parsed->database, settings.database);
    QCOMPARE(parsed->user, settings.user);
    QCOMPARE(parsed->password, QStringLiteral("***"));
    QCOMPARE(parsed->schema, settings.schema);
    QCOMPARE(parsed->sslMode, settings.sslMode);
    QCOMPARE(parsed->connectTimeoutSeconds, settings.connectTimeoutSeconds);
}

void TestDatabaseUrl::connectOptionsAreConninfoSafe()
{
    // Given settings with sslmode and a timeout
    ConnectionSettings settings;
    settings.sslMode = QStringLiteral("require");
    settings.connectTimeoutSeconds = 10;

    // When options are built; Then they are ;-separated key=value pairs in a fixed order
    QCOMPARE(settings.connectOptions(QStringLiteral("ccpm-desk")),
             QStringLiteral("connect_timeout=10;application_name=ccpm-desk;sslmode=require"));

    // And an application name with spaces, ';', '=' or quotes cannot inject conninfo keywords
    const QString options = settings.connectOptions(QStringLiteral("CCPM Desk; password='x' host=evil"));
    QCOMPARE(options.count(QLatin1Char(';')), 2);
    QVERIFY(!options.contains(QLatin1Char(' ')));
    QVERIFY(!options.contains(QLatin1Char('\'')));
    QCOMPARE(options.count(QLatin1Char('=')), 3);

    // And without sslmode or application name only the timeout remains
    settings.sslMode.clear();
    QCOMPARE(settings.connectOptions(QString()), QStringLiteral("connect_timeout=10"));
}

QTEST_APPLESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
