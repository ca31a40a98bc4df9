// The shipped translation reaches the strings it translates. A string is found at run time by
// its context and source text, and lupdate chooses the context from where a tr() call is
// written (the class, else the namespace), so a helper that translates under another context
// name ships English. Found: Studio's filter errors, the hub presence tooltip and three Studio
// labels were untranslated in zh_CN.
#include "studiofilter.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace ccpm;

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void everyExplicitContextIsInTheTranslation();
    void studioFilterErrorsAreTranslated();
};

namespace {

QSet<QString> contextsOf(const QString &tsFile)
{
    QFile file(tsFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QSet<QString> contexts;
    QXmlStreamReader xml(&file);
    while (xml.readNextStartElement() || !xml.atEnd()) {
        if (xml.isStartElement() && xml.name() == QLatin1String("context") && xml.readNextStartElement() &&
            xml.name() == QLatin1String("name"))
            contexts.insert(xml.readElementText());
        else if (!xml.isStartElement())
            xml.readNext();
    }
    return contexts;
}

} // namespace

void TestTranslations::everyExplicitContextIsInTheTranslation()
{
    const QSet<QString> contexts = contextsOf(QStringLiteral(CCPM_TS_FILE));
    QVERIFY2(contexts.size() > 50, qPrintable(QString::number(contexts.size())));
    // The sources lupdate reads (app/CMakeLists.txt): every context named in a
    // QCoreApplication::translate("context", …) call must be one the translation has.
    static const QRegularExpression call(QStringLiteral("QCoreApplication::translate\\(\\s*\"([^\"]+)\""));
    int calls = 0;
    QStringList missing;
    for (const char *dir : {"app", "ui", "models"}) {
        QDirIterator it(QStringLiteral(CCPM_SOURCE_DIR "/") + QLatin1String(dir), {QStringLiteral("*.cpp")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile source(path);
            QVERIFY(source.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(source.readAll());
            for (auto m = call.globalMatch(text); m.hasNext();) {
                const QString context = m.next().captured(1);
                ++calls;
                if (!contexts.contains(context))
                    missing << QStringLiteral("%1: %2").arg(QDir(CCPM_SOURCE_DIR).relativeFilePath(path),
                                                            context);
            }
        }
    }
    QVERIFY2(calls > 5, qPrintable(QString::number(calls)));
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1String("; "))));
}

void TestTranslations::studioFilterErrorsAreTranslated()
{
    QTranslator zh;
    QVERIFY2(zh.load(QStringLiteral(CCPM_QM_FILE)), CCPM_QM_FILE);
    QCoreApplication::installTranslator(&zh);
    TableSpec spec;
    spec.table = QStringLiteral("things");
    ColumnSpec qty;
    qty.name = QStringLiteral("qty");
    qty.type = ColumnSpec::Type::Integer;
    qty.sqlType = QStringLiteral("integer");
    spec.columns << qty;

    // A value the column's type refuses (studiofilter.cpp, context "ccpm::studiofilter")
    const auto value = studiofilter::parseLine(spec, QStringLiteral("qty = abc"));
    QVERIFY(!value);
    QVERIFY2(value.error().message.contains(QStringLiteral("不是整数")), qPrintable(value.error().message));
    // A line that names no column (studiofilterline.cpp, "ccpm::studiofilter::LineParser")
    const auto column = studiofilter::parseLine(spec, QStringLiteral("nope = 1"));
    QVERIFY(!column);
    QVERIFY2(column.error().message.contains(QStringLiteral("中没有列")), qPrintable(column.error().message));
    QCoreApplication::removeTranslator(&zh);
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
