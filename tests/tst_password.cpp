// Tests for Password: bcrypt hashes shared with the ccpm web app (Node bcrypt/bcryptjs).

#include "password.h"

#include <QTest>

#include <crypt.h>

using ccpm::Password;

class TestPassword : public QObject {
    Q_OBJECT

private slots:
    void verifiesWebAppHashes_data();
    void verifiesWebAppHashes();
    void verifiesEveryBcryptPrefix_data();
    void verifiesEveryBcryptPrefix();
    void newHashesUse2bAndCost12();
    void hashRejectsBadInput_data();
    void hashRejectsBadInput();
    void malformedHashesNeverVerify_data();
    void malformedHashesNeverVerify();
};

void TestPassword::verifiesWebAppHashes_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("hash");

    // From the web app's seed (tests/fixtures/prisma-seeded-ccpm.sql), bcrypt cost 10.
    QTest::newRow("admin") << QStringLiteral("admin123")
                           << QStringLiteral("$2b$10$57RBtPP04vu0btNE9fcFguMyGBP6AMZmiMKoV1ldX3WJoKK6PVJMG");
    QTest::newRow("testuser") << QStringLiteral("user123")
                              << QStringLiteral(
                                     "$2b$10$0H4gi3XRYPMg.Nm1si1iOeACcPLgEieeMqXMS2J4wFFlD03th25I6");
    QTest::newRow("developer") << QStringLiteral("user123")
                               << QStringLiteral(
                                      "$2b$10$TnkORkz5r3xzm60NqbZ9BuoBjEQT7flEgS59UJmslmtSaLOmhgBcm");
}

void TestPassword::verifiesWebAppHashes()
{
    QFETCH(QString, password);
    QFETCH(QString, hash);

    // Given a hash written by the web app; When the right password is checked; Then it matches
    QVERIFY(Password::verify(password, hash));

    // And near misses do not
    QVERIFY(!Password::verify(password + QLatin1Char('x'), hash));
    QVERIFY(!Password::verify(password.toUpper(), hash));
    QVERIFY(!Password::verify(QString(), hash));
    QVERIFY(!Password::verify(password + QChar() + QLatin1Char('x'), hash));
}

void TestPassword::verifiesEveryBcryptPrefix_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("2a (bcryptjs, older Node bcrypt)") << QStringLiteral("$2a$");
    QTest::newRow("2b (Node bcrypt)") << QStringLiteral("$2b$");
    QTest::newRow("2y (PHP)") << QStringLiteral("$2y$");
}

void TestPassword::verifiesEveryBcryptPrefix()
{
    QFETCH(QString, prefix);

    // Given the admin fixture hash with its prefix swapped: for passwords shorter than 256 bytes
    // the three variants compute the same hash, so the body stays valid
    const QString body = QStringLiteral("10$57RBtPP04vu0btNE9fcFguMyGBP6AMZmiMKoV1ldX3WJoKK6PVJMG");

    // When admin123 is checked; Then it matches, and a wrong password does not
    QVERIFY(Password::verify(QStringLiteral("admin123"), prefix + body));
    QVERIFY(!Password::verify(QStringLiteral("admin124"), prefix + body));

    // And a hash libxcrypt itself writes with that prefix verifies too
    char setting[CRYPT_GENSALT_OUTPUT_SIZE] = {};
    QVERIFY(crypt_gensalt_rn(prefix.toLatin1().constData(), 4, nullptr, 0, setting, int(sizeof(setting))));
    crypt_data data{};
    const char *hashed = crypt_rn("s3cret", setting, &data, int(sizeof(data)));
    QVERIFY(hashed && hashed[0] != '*');
    QVERIFY(Password::verify(QStringLiteral("s3cret"), QString::fromLatin1(hashed)));
    QVERIFY(!Password::verify(QStringLiteral("s3creT"), QString::fromLatin1(hashed)));
}

void TestPassword::newHashesUse2bAndCost12()
{
    // Given a password with non-ASCII characters; When it is hashed with the default cost
    const QString password = QStringLiteral("p\u00e4ssw\u00f6rd \u2713");
    const auto hashed = Password::hash(password);

    // Then the hash is $2b$ cost 12, verifies, and a second hash differs (fresh salt)
    QVERIFY2(hashed.ok(), qPrintable(hashed.ok() ? QString() : hashed.error().toString()));
    QVERIFY(hashed->startsWith(QLatin1String("$2b$12$")));
    QCOMPARE(hashed->size(), 60);
    QVERIFY(Password::verify(password, *hashed));
    QVERIFY(!Password::verify(QStringLiteral("password"), *hashed));

    const auto again = Password::hash(password, 4);
    QVERIFY(again.ok());
    QVERIFY(again->startsWith(QLatin1String("$2b$04$")));
    QVERIFY(Password::verify(password, *again));
    QVERIFY(*again != *hashed);
}

void TestPassword::hashRejectsBadInput_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("cost");
    QTest::newRow("cost too low") << QStringLiteral("x") << 3;
    QTest::newRow("cost too high") << QStringLiteral("x") << 32;
    QTest::newRow("NUL in password") << QStringLiteral("a") + QChar() + QStringLiteral("b") << 4;
}

void TestPassword::hashRejectsBadInput()
{
    QFETCH(QString, password);
    QFETCH(int, cost);

    // Given input bcrypt cannot take; When it is hashed; Then the error says the input is invalid
    const auto hashed = Password::hash(password, cost);
    QVERIFY(!hashed.ok());
    QCOMPARE(hashed.error().kind, ccpm::Error::Kind::Invalid);
}

void TestPassword::malformedHashesNeverVerify_data()
{
    QTest::addColumn<QString>("hash");
    const QString good = QStringLiteral("$2b$10$57RBtPP04vu0btNE9fcFguMyGBP6AMZmiMKoV1ldX3WJoKK6PVJMG");
    QTest::newRow("empty") << QString();
    QTest::newRow("abc") << QStringLiteral("abc");
    QTest::newRow("short") << QStringLiteral("$2b$10$short");
    QTest::newRow("crypt failure marker") << QStringLiteral("*0");
    QTest::newRow("other failure marker") << QStringLiteral("*1");
    QTest::newRow("truncated") << good.left(59);
    QTest::newRow("too long") << good + QLatin1Char('x');
    QTest::newRow("2x prefix") << QString(good).replace(2, 1, QLatin1Char('x'));
    QTest::newRow("cost 03") << QString(good).replace(4, 2, QStringLiteral("03"));
    QTest::newRow("cost 99") << QString(good).replace(4, 2, QStringLiteral("99"));
    QTest::newRow("bad alphabet") << QString(good).replace(20, 1, QLatin1Char('!'));
    QTest::newRow("non-Latin-1") << QString(good).replace(20, 1, QChar(0x263a));
    QTest::newRow("DES setting") << QStringLiteral("ab");
    QTest::newRow("MD5 crypt") << QStringLiteral("$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0");
}

void TestPassword::malformedHashesNeverVerify()
{
    QFETCH(QString, hash);

    // Given a hash that is not bcrypt; When any password is checked; Then it is refused, no crash
    QVERIFY(!Password::verify(QStringLiteral("admin123"), hash));
    QVERIFY(!Password::verify(QString(), hash));
}

QTEST_APPLESS_MAIN(TestPassword)
#include "tst_password.moc"
