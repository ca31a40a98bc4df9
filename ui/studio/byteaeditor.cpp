#include "byteaeditor.h"

#include "valuetext.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ccpm {

namespace {

constexpr qsizetype kDumpLimit = 64 * 1024;

QString hexDump(const QByteArray &bytes)
{
    QString out;
    const qsizetype shown = std::min(bytes.size(), kDumpLimit);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        const QByteArray line = bytes.mid(offset, std::min<qsizetype>(16, shown - offset));
        QString hex = QString::fromLatin1(line.toHex(' '));
        QString ascii;
        for (const char c : line)
            ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(c) : QLatin1Char('.');
        out += QStringLiteral("%1  %2  %3\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, -47).arg(ascii);
    }
    return out;
}

} // namespace

ByteaEditor::ByteaEditor(const ColumnSpec &column, QWidget *parent)
    : PopupEditor(parent)
    , m_column(column)
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_size = new QLabel(this);
    body()->addWidget(m_size);
    m_dump = new QPlainTextEdit(this);
    m_dump->setReadOnly(true);
    m_dump->setFont(fixed);
    m_dump->setLineWrapMode(QPlainTextEdit::NoWrap);
    body()->addWidget(m_dump, 3);
    body()->addWidget(new QLabel(tr("Hex (\\x followed by two hex digits per byte):"), this));
    m_hex = new QPlainTextEdit(this);
    m_hex->setFont(fixed);
    m_hex->setPlaceholderText(QStringLiteral("\\x0a1b2c"));
    body()->addWidget(m_hex, 1);
    watchKeys(m_hex);
    watchKeys(m_dump);
    setFocusProxy(m_hex);
    connect(m_hex, &QPlainTextEdit::textChanged, this, [this] {
        setModified(true);
        refresh();
    });
    refresh();
}

void ByteaEditor::setText(const QString &hex)
{
    m_hex->setPlainText(hex);
    setModified(false);
    refresh();
}

QString ByteaEditor::text() const
{
    return m_hex->toPlainText();
}

QString ByteaEditor::dump() const
{
    return m_dump->toPlainText();
}

void ByteaEditor::refresh()
{
    const QVariant stored = m_column.fromEdit(text());
    if (stored.isNull()) {
        m_size->setText(tr("NULL"));
        m_dump->clear();
        setStatus(m_column.nullable, m_column.nullable
                                         ? tr("Empty: saves SQL NULL (\\x is zero bytes).")
                                         : tr("%1 cannot be NULL: \\x is zero bytes.").arg(m_column.header));
        return;
    }
    const std::optional<QByteArray> bytes = valuetext::byteaBytes(stored.toString());
    if (!bytes) {
        setStatus(false, m_column.problem(stored));
        return;
    }
    const QLocale locale;
    m_size->setText(bytes->size() == 1 ? tr("1 byte")
                                       : tr("%1 bytes").arg(locale.toString(qint64(bytes->size()))));
    QString dump = hexDump(*bytes);
    if (bytes->size() > kDumpLimit)
        dump += tr("… %1 more bytes").arg(locale.toString(qint64(bytes->size() - kDumpLimit)));
    m_dump->setPlainText(dump);
    setStatus(true, tr("Valid: %1.").arg(m_size->text()));
}

} // namespace ccpm
