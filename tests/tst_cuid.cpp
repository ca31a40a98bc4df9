// Tests for newCuid()/isCuid() and AgentToken (generate, hash, constantTimeEquals).

#include "agenttoken.h"
#include "cuid.h"

#include <QSet>
#include <QTest>
#include <QThread>

#include <algorithm>

class TestCuid : public QObject {
    Q_OBJECT

private slots:
    void idsAreUniqueAndWellFormed();
    void idsSortByMillisecond();
    void idsAreUniqueAcrossThreads();
    void isCuidChecksTheShape_data();
    void isCuidChecksTheShape();
    void tokensAreLongRandomAndPrefixed();
    void tokenHashIsHexSha256();
    void constantTimeEqualsCompares_data();
    void constantTimeEqualsCompares();
};

void TestCuid::idsAreUniqueAndWellFormed()
{
    // Given 10000 ids made in a tight loop
    QSet<QString> ids;
    for (int i = 0; i < 10000; ++i) {
        const QString id = ccpm::newCuid();
        // Then each has the cuid form and none repeats
        QVERIFY2(ccpm::isCuid(id), qPrintable(id));
        ids.insert(id);
    }
    QCOMPARE(ids.size(), 10000);
}

void TestCuid::idsSortByMillisecond()
{
    // Given ids made at least a millisecond apart
    QStringList ids;
    for (int i = 0; i < 20; ++i) {
        ids << ccpm::newCuid();
        QThread::msleep(2);
    }

    // When sorted as strings; Then they are in the order they were made
    QStringList sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, ids);
}

void TestCuid::idsAreUniqueAcrossThreads()
{
    // Given four threads making ids at once
    constexpr int PerThread = 2500;
    QList<QStringList> made(4);
    QList<QThread *> threads;
    for (QStringList &out : made)
        threads << QThread::create([&out] {
            for (int i = 0; i < PerThread; ++i)
                out << ccpm::newCuid();
        });
    for (QThread *thread : threads)
        thread->start();
    for (QThread *thread : threads) {
        thread->wait();
        delete thread;
    }

    // Then no id repeats
    QSet<QString> all;
    for (const QStringList &ids : made)
        for (const QString &id : ids)
            all.insert(id);
    QCOMPARE(all.size(), 4 * PerThread);
}

void TestCuid::isCuidChecksTheShape_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("expected");
    QTest::newRow("prisma id") << QStringLiteral("clx1b2c3d0000abcd1234wxyz") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("24 chars") << QStringLiteral("clx1b2c3d0000abcd1234wxy") << false;
    QTest::newRow("26 chars") << QStringLiteral("clx1b2c3d0000abcd1234wxyz0") << false;
    QTest::newRow("no leading c") << QStringLiteral("dlx1b2c3d0000abcd1234wxyz") << false;
    QTest::newRow("upper case") << QStringLiteral("clx1b2c3d0000ABCD1234wxyz") << false;
    QTest::newRow("dash") << QStringLiteral("clx1b2c3d0000abcd-234wxyz") << false;
    QTest::newRow("uuid") << QStringLiteral("123e4567-e89b-12d3-a456-426614174000") << false;
}

void TestCuid::isCuidChecksTheShape()
{
    QFETCH(QString, id);
    QFETCH(bool, expected);
    // Given a candidate id; When checked; Then only the cuid shape passes
    QCOMPARE(ccpm::isCuid(id), expected);
}

void TestCuid::tokensAreLongRandomAndPrefixed()
{
    // Given 1000 new tokens
    QSet<QString> tokens;
    for (int i = 0; i < 1000; ++i) {
        const QString token = ccpm::AgentToken::generate();
        // Then each is "ccpm_" and 43 base64url characters (256 bits, no padding)
        QVERIFY2(token.startsWith(QLatin1String("ccpm_")), qPrintable(token));
        QCOMPARE(token.size(), 5 + 43);
        for (const QChar c : token.mid(5))
            QVERIFY2((c.isLetterOrNumber() && c.unicode() < 0x80) || c == QLatin1Char('-') ||
                         c == QLatin1Char('_'),
                     qPrintable(token));
        const QByteArray bytes =
            QByteArray::fromBase64(token.mid(5).toLatin1(), QByteArray::Base64UrlEncoding);
        QCOMPARE(bytes.size(), 32);
        tokens.insert(token);
    }
    // And none repeats
    QCOMPARE(tokens.size(), 1000);
}

void TestCuid::tokenHashIsHexSha256()
{
    // Given a token; When hashed twice; Then both are the same 64 lower-case hex characters
    const QString token = ccpm::AgentToken::generate();
    const QString hash = ccpm::AgentToken::hash(token);
    QCOMPARE(hash.size(), 64);
    for (const QChar c : hash)
        QVERIFY((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                (c >= QLatin1Char('a') && c <= QLatin1Char('f')));
    QCOMPARE(ccpm::AgentToken::hash(token), hash);
    QVERIFY(ccpm::AgentToken::hash(ccpm::AgentToken::generate()) != hash);

    // And it is SHA-256 of the UTF-8 text (known answer for "abc")
    QCOMPARE(ccpm::AgentToken::hash(QStringLiteral("abc")),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

void TestCuid::constantTimeEqualsCompares_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("expected");
    QTest::newRow("equal") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("last byte differs") << QByteArray("abcdef") << QByteArray("abcdeg") << false;
    QTest::newRow("first byte differs") << QByteArray("abcdef") << QByteArray("bbcdef") << false;
    QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcdef") << false;
}

void TestCuid::constantTimeEqualsCompares()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    // Given two byte strings; When compared; Then the answer matches operator==
    QTEST(ccpm::constantTimeEquals(a, b), "expected");
    QTEST(ccpm::constantTimeEquals(b, a), "expected");
}

QTEST_APPLESS_MAIN(TestCuid)
#include "tst_cuid.moc"
