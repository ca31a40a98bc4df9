// LoginThrottle on a fake clock: the rule itself, without sockets (tst_hublimits has those).
#include "hub/loginthrottle.h"

#include <QTest>

using ccpm::hub::LoginThrottle;

class TestLoginThrottle : public QObject {
    Q_OBJECT
private slots:
    void throttlesAfterTheLimitAndRecovers();
    void addressesAreIndependent();
    void loopbackIsOneAddress();
};

void TestLoginThrottle::throttlesAfterTheLimitAndRecovers()
{
    qint64 now = 0;
    LoginThrottle throttle(3, 60000, 1000, [&now] { return now; });
    const QHostAddress a("10.0.0.7");

    // Below the limit: every attempt is checked
    for (int i = 0; i < 2; ++i) {
        QVERIFY(throttle.admit(a));
        throttle.failed(a);
    }
    QVERIFY(throttle.admit(a));
    throttle.failed(a); // the third failure: throttled from now on

    // One check per second
    now = 10;
    QVERIFY(throttle.admit(a));
    QVERIFY(!throttle.admit(a));
    QCOMPARE(throttle.retryAfter(a), 1000);
    now = 900;
    QVERIFY(!throttle.admit(a));
    QCOMPARE(throttle.retryAfter(a), 110);
    now = 1010;
    QVERIFY(throttle.admit(a));

    // After the window, back to normal
    now = 60001;
    QVERIFY(throttle.admit(a));
    QVERIFY(throttle.admit(a));
    QCOMPARE(throttle.retryAfter(a), 0);
}

void TestLoginThrottle::addressesAreIndependent()
{
    qint64 now = 0;
    LoginThrottle throttle(1, 60000, 1000, [&now] { return now; });
    const QHostAddress bad("10.0.0.7");
    const QHostAddress good("10.0.0.8");
    throttle.failed(bad);
    QVERIFY(throttle.admit(bad));
    QVERIFY(!throttle.admit(bad));
    QVERIFY(throttle.admit(good));
    QVERIFY(throttle.admit(good));
}

void TestLoginThrottle::loopbackIsOneAddress()
{
    qint64 now = 0;
    LoginThrottle throttle(1, 60000, 1000, [&now] { return now; });
    throttle.failed(QHostAddress("127.0.0.1"));
    QVERIFY(throttle.admit(QHostAddress("127.0.0.2")));
    QVERIFY(!throttle.admit(QHostAddress("127.9.9.9")));
    QVERIFY(!throttle.admit(QHostAddress::LocalHostIPv6));
}

QTEST_APPLESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
