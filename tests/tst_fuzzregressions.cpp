// The libFuzzer targets (tests/fuzz) replayed without clang: every input of their corpora and
// every input that once broke an invariant or crashed (tests/fuzz/regressions/<target>/, one
// file each, named after what it found) goes through the same check as in the fuzzer. A broken
// invariant fails the row; a crash or sanitizer report fails the test.
#include "fuzzcheck.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <functional>

namespace fuzz {
void fuzz_hubmessage(const uint8_t *data, size_t size);
void fuzz_databaseurl(const uint8_t *data, size_t size);
void fuzz_values(const uint8_t *data, size_t size);
void fuzz_studiofilter(const uint8_t *data, size_t size);
} // namespace fuzz

using Check = std::function<void(const uint8_t *, size_t)>;
Q_DECLARE_METATYPE(Check)

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void replay_data();
    void replay();
    void everyRegressionIsReplayed();
};

namespace {

const QList<QPair<QString, Check>> &targets()
{
    static const QList<QPair<QString, Check>> all{
        {"fuzz_hubmessage", fuzz::fuzz_hubmessage},
        {"fuzz_databaseurl", fuzz::fuzz_databaseurl},
        {"fuzz_values", fuzz::fuzz_values},
        {"fuzz_studiofilter", fuzz::fuzz_studiofilter},
    };
    return all;
}

QStringList inputs(const QString &kind, const QString &target)
{
    const QDir dir(QStringLiteral(CCPM_FUZZ_DIR "/") + kind + "/" + target);
    QStringList out;
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        out << dir.filePath(name);
    return out;
}

} // namespace

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<Check>("check");
    for (const auto &[target, check] : targets()) {
        for (const QString &kind : {QStringLiteral("regressions"), QStringLiteral("corpus")}) {
            for (const QString &file : inputs(kind, target))
                QTest::newRow(qPrintable(target + "/" + kind + "/" + QFileInfo(file).fileName()))
                    << file << check;
        }
    }
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, file);
    QFETCH(Check, check);
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
    const QByteArray data = f.readAll();
    try {
        check(reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()));
    } catch (const fuzz::Failure &failure) {
        QFAIL(failure.what());
    }
}

void TestFuzzRegressions::everyRegressionIsReplayed()
{
    // A regression input filed under a name no target has would silently never run.
    const QDir dir(QStringLiteral(CCPM_FUZZ_DIR "/regressions"));
    QStringList known;
    for (const auto &target : targets())
        known << target.first;
    for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QVERIFY2(known.contains(sub), qPrintable(sub));
    qsizetype total = 0;
    for (const QString &target : known)
        total += inputs(QStringLiteral("regressions"), target).size();
    QVERIFY(total > 0);
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
