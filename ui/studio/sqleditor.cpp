#include "sqleditor.h"

#include "sqlhighlighter.h"
#include "sqltokenizer.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSet>
#include <QStandardItemModel>
#include <QTextBlock>

namespace ccpm {

namespace {

constexpr int InsertRole = Qt::UserRole + 1; ///< the text completion inserts (quoted if needed)

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$') || c == QLatin1Char('"');
}

/// `name` as SQL needs it: bare when it is lower case and no keyword, else in double quotes.
QString quoted(const QString &name)
{
    bool plain = !name.isEmpty() && (name.at(0).isLower() || name.at(0) == QLatin1Char('_'));
    for (const QChar c : name)
        plain = plain && (c.isLower() || c.isDigit() || c == QLatin1Char('_'));
    if (plain && !SqlTokenizer::isKeyword(name))
        return name;
    QString escaped = name;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString unquoted(QString name)
{
    if (name.size() >= 2 && name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')))
        return name.mid(1, name.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return name.startsWith(QLatin1Char('"')) ? name.mid(1) : name;
}

class LineNumberArea : public QWidget {
public:
    explicit LineNumberArea(SqlEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {
    }
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }

private:
    SqlEditor *m_editor;
};

} // namespace

SqlEditor::SqlEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new SqlHighlighter(document()))
    , m_completer(new QCompleter(this))
    , m_completions(new QStandardItemModel(this))
    , m_lineNumbers(new LineNumberArea(this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
    setPlaceholderText(tr("Type SQL here; Ctrl+Enter runs the statement under the cursor or the selection."));

    m_completer->setModel(m_completions);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
            &SqlEditor::insertCompletion);

    connect(this, &QPlainTextEdit::blockCountChanged, this,
            [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy != 0)
            m_lineNumbers->scroll(0, dy);
        else
            m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
    });
    connect(document(), &QTextDocument::contentsChange, this, [this](int, int removed, int added) {
        if ((removed > 0 || added > 0) && hasErrorMark())
            clearErrorMark();
    });
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
    fillCompletions({});
}

void SqlEditor::setCatalog(const SchemaCatalog &catalog)
{
    m_catalog = catalog;
    m_filledFor = QStringLiteral("\x01");
    fillCompletions({});
}

void SqlEditor::fillCompletions(const QString &qualifier)
{
    if (qualifier == m_filledFor)
        return;
    m_filledFor = qualifier;
    m_completions->clear();
    QSet<QString> seen;
    auto add = [this, &seen](const QString &name, const QString &kind, bool quote = true) {
        const QString key = kind + name;
        if (seen.contains(key))
            return;
        seen.insert(key);
        auto *item = new QStandardItem(name);
        item->setData(quote ? quoted(name) : name, InsertRole);
        item->setToolTip(kind);
        m_completions->appendRow(item);
    };
    const QString wanted = unquoted(qualifier);
    if (!qualifier.isEmpty()) {
        if (m_catalog.schemas().contains(wanted)) {
            for (const CatalogTable &table : m_catalog.tables)
                if (table.schema == wanted)
                    add(table.name, tr("table"));
        }
        // A table's name (or, as we cannot resolve aliases, any table's) gives columns.
        bool isTable = false;
        for (const CatalogTable &table : m_catalog.tables) {
            if (table.name == wanted) {
                isTable = true;
                for (const CatalogColumn &column : table.columns)
                    add(column.name, tr("column of %1").arg(table.displayName()));
            }
        }
        if (!isTable && !m_catalog.schemas().contains(wanted))
            for (const CatalogTable &table : m_catalog.tables)
                for (const CatalogColumn &column : table.columns)
                    add(column.name, tr("column"));
        return;
    }
    for (const CatalogTable &table : m_catalog.tables)
        add(table.name, tr("table in %1").arg(table.schema));
    for (const CatalogTable &table : m_catalog.tables)
        for (const CatalogColumn &column : table.columns)
            add(column.name, tr("column"));
    for (const QString &schema : m_catalog.schemas())
        add(schema, tr("schema"));
    for (const QString &keyword : SqlTokenizer::keywords())
        add(keyword, tr("keyword"), false);
}

QString SqlEditor::wordBeforeCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text();
    int start = cursor.positionInBlock();
    while (start > 0 && (isWordChar(line.at(start - 1)) || line.at(start - 1) == QLatin1Char('.')))
        --start;
    return line.mid(start, cursor.positionInBlock() - start);
}

QStringList SqlEditor::completionsFor(const QString &prefix)
{
    const qsizetype dot = prefix.lastIndexOf(QLatin1Char('.'));
    fillCompletions(dot < 0 ? QString() : prefix.left(dot).section(QLatin1Char('.'), -1));
    m_completer->setCompletionPrefix(unquoted(dot < 0 ? prefix : prefix.mid(dot + 1)));
    QStringList names;
    for (int row = 0; m_completer->setCurrentRow(row); ++row)
        names << m_completer->currentIndex().data(InsertRole).toString();
    return names;
}

void SqlEditor::showCompletions(bool explicitly)
{
    const QString word = wordBeforeCursor();
    const qsizetype dot = word.lastIndexOf(QLatin1Char('.'));
    const QString typed = unquoted(dot < 0 ? word : word.mid(dot + 1));
    if (!explicitly && typed.size() < 2 && dot < 0) {
        m_completer->popup()->hide();
        return;
    }
    completionsFor(word);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && !explicitly &&
         m_completer->currentCompletion().compare(typed, Qt::CaseInsensitive) == 0)) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                  m_completer->popup()->verticalScrollBar()->sizeHint().width() + 16);
    m_completer->complete(rect);
}

void SqlEditor::insertCompletion(const QModelIndex &index)
{
    const QString insert = index.data(InsertRole).toString();
    if (insert.isEmpty())
        return;
    const QString word = wordBeforeCursor();
    const qsizetype dot = word.lastIndexOf(QLatin1Char('.'));
    const int typedLength = int(dot < 0 ? word.size() : word.size() - dot - 1);
    QTextCursor cursor = textCursor();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, typedLength);
    cursor.insertText(insert);
    setTextCursor(cursor);
}

SqlStatement SqlEditor::currentStatement() const
{
    const QTextCursor cursor = textCursor();
    const QString script = toPlainText();
    if (cursor.hasSelection())
        return SqlStatementSplitter::selection(script, cursor.selectionStart(), cursor.selectionEnd());
    return SqlStatementSplitter::statementAt(script, cursor.position());
}

void SqlEditor::markError(int offset)
{
    const QString script = toPlainText();
    offset = qBound(0, offset, int(script.size()));
    // The token at the offset: a word, or one character (the end of the text marks the last one).
    int end = offset;
    while (end < script.size() && isWordChar(script.at(end)) && script.at(end) != QLatin1Char('"'))
        ++end;
    if (end == offset && offset < script.size())
        ++end;
    if (end == offset && offset > 0)
        --offset;
    m_errorOffset = offset;
    m_errorLength = end - offset;
    QTextCursor cursor(document());
    cursor.setPosition(offset);
    setTextCursor(cursor);
    updateExtraSelections();
    ensureCursorVisible();
}

void SqlEditor::clearErrorMark()
{
    m_errorOffset = -1;
    m_errorLength = 0;
    updateExtraSelections();
}

void SqlEditor::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (m_errorOffset >= 0) {
        QTextEdit::ExtraSelection error;
        error.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        error.format.setUnderlineColor(Qt::red);
        error.format.setBackground(QColor(255, 225, 225));
        error.format.setToolTip(tr("The server reported the error here."));
        error.cursor = QTextCursor(document());
        error.cursor.setPosition(m_errorOffset);
        error.cursor.setPosition(m_errorOffset + m_errorLength, QTextCursor::KeepAnchor);
        selections << error;
    }
    setExtraSelections(selections);
}

bool SqlEditor::event(QEvent *event)
{
    // Ctrl+Enter and Esc are the editor's own even where a window or Studio action uses them
    // (Studio's Ctrl+Return follows a foreign key in the grid).
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if ((enter && key->modifiers().testFlag(Qt::ControlModifier)) || key->key() == Qt::Key_Escape ||
            (key->key() == Qt::Key_Space && key->modifiers() == Qt::ControlModifier)) {
            event->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

void SqlEditor::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (m_completer->popup()->isVisible() && !event->modifiers().testFlag(Qt::ControlModifier)) {
        // The completer's popup takes these (Return and Enter insert the current completion).
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Escape:
            event->ignore();
            return;
        case Qt::Key_Tab:
            insertCompletion(m_completer->popup()->currentIndex());
            m_completer->popup()->hide();
            return;
        default:
            break;
        }
    }
    if (enter && event->modifiers().testFlag(Qt::ControlModifier)) {
        m_completer->popup()->hide();
        emit runRequested(currentStatement());
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        emit cancelRequested();
        return;
    }
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::ControlModifier) {
        showCompletions(true);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const QString text = event->text();
    if (!text.isEmpty() && (isWordChar(text.back()) || text.back() == QLatin1Char('.')))
        showCompletions(false);
    else if (m_completer->popup()->isVisible())
        m_completer->popup()->hide();
}

void SqlEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect rect = contentsRect();
    m_lineNumbers->setGeometry(QRect(rect.left(), rect.top(), lineNumberAreaWidth(), rect.height()));
}

int SqlEditor::lineNumberAreaWidth() const
{
    int digits = 2;
    for (int lines = blockCount(); lines >= 100; lines /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
}

void SqlEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_lineNumbers);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible())
            painter.drawText(0, top, m_lineNumbers->width() - 5, height, Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(block.blockNumber() + 1));
        top += height;
        block = block.next();
    }
}

} // namespace ccpm
