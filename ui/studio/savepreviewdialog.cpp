#include "savepreviewdialog.h"

#include "sqlvalues.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QString parameterText(const QVariant &value)
{
    if (sql::isColumnDefault(value))
        return QStringLiteral("DEFAULT");
    if (value.isNull())
        return QStringLiteral("NULL");
    QString text = value.toString();
    if (text.size() > 200)
        text = text.left(200) + QChar(0x2026);
    return QLatin1Char('\'') + text.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

} // namespace

QString SavePreviewDialog::describe(const QList<TableWriter::Statement> &statements)
{
    static const QRegularExpression placeholder(QStringLiteral(":v(\\d+)"));
    QStringList out;
    out << QStringLiteral("BEGIN;");
    for (const TableWriter::Statement &st : statements) {
        out << st.text + QLatin1Char(';');
        // In placeholder order (:v0, :v1, …), not the map's alphabetical one (:v10 before :v2).
        QList<int> numbers;
        for (auto it = placeholder.globalMatch(st.text); it.hasNext();) {
            const int n = it.next().captured(1).toInt();
            if (!numbers.contains(n))
                numbers << n;
        }
        std::sort(numbers.begin(), numbers.end());
        QStringList values;
        for (const int n : std::as_const(numbers))
            values << QStringLiteral(":v%1 = %2")
                          .arg(n)
                          .arg(parameterText(st.bindings.value(QStringLiteral(":v%1").arg(n))));
        if (!values.isEmpty())
            out << QStringLiteral("  -- ") + values.join(QStringLiteral(", "));
    }
    out << QStringLiteral("COMMIT;");
    return out.join(QLatin1Char('\n'));
}

SavePreviewDialog::SavePreviewDialog(const QList<TableWriter::Statement> &statements, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Save changes"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        new QLabel(tr("These %n statement(s) run in one transaction: all of them are saved, or none.",
                      nullptr, int(statements.size())),
                   this));
    auto *text = new QPlainTextEdit(describe(statements), this);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 420);
}

} // namespace ccpm
