#include "jsoneditor.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QString kindOf(const QString &json)
{
    const QString t = json.trimmed();
    if (t.startsWith(QLatin1Char('{')))
        return JsonEditor::tr("an object");
    if (t.startsWith(QLatin1Char('[')))
        return JsonEditor::tr("an array");
    if (t.startsWith(QLatin1Char('"')))
        return JsonEditor::tr("a string");
    if (t == QLatin1String("true") || t == QLatin1String("false"))
        return JsonEditor::tr("a boolean");
    if (t == QLatin1String("null"))
        return JsonEditor::tr("JSON null (not SQL NULL)");
    return JsonEditor::tr("a number");
}

} // namespace

JsonEditor::JsonEditor(const ColumnSpec &column, QWidget *parent)
    : PopupEditor(parent)
    , m_column(column)
{
    m_edit = new QPlainTextEdit(this);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(false);
    m_edit->setPlaceholderText(tr("A JSON value: {\"key\": 1}, [1, 2], \"text\", 42, true or null"));
    body()->addWidget(m_edit);
    watchKeys(m_edit);
    setFocusProxy(m_edit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        setModified(true);
        check();
    });
    check();
}

void JsonEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
    setModified(false);
    check();
}

QString JsonEditor::text() const
{
    return m_edit->toPlainText();
}

void JsonEditor::check()
{
    const QVariant stored = m_column.fromEdit(text());
    if (stored.isNull()) {
        if (m_column.nullable)
            setStatus(true, tr("Empty: saves SQL NULL."));
        else
            setStatus(false, tr("Empty, and %1 cannot be NULL: write a JSON value such as {} or null.")
                                 .arg(m_column.header));
        return;
    }
    const QString problem = m_column.problem(stored);
    if (problem.isEmpty())
        setStatus(true, tr("Valid JSON: %1.").arg(kindOf(stored.toString())));
    else
        setStatus(false, tr("Invalid: %1").arg(problem));
}

} // namespace ccpm
