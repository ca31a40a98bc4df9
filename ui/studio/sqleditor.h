#pragma once

#include "catalog.h"
#include "sqlstatementsplitter.h"

#include <QPlainTextEdit>

class QCompleter;
class QStandardItemModel;

namespace ccpm {

class SqlHighlighter;

/// The SQL console's editor: highlighted SQL (SqlHighlighter) in a fixed-width font with line
/// numbers; Ctrl+Enter asks to run the selection, or else the statement under the cursor
/// (runRequested), Esc asks to cancel (cancelRequested). Completion (Ctrl+Space, or after two
/// letters) offers keywords and the catalog's schemas, tables and columns, quoted when they
/// need it; after `table.` or `alias.` the columns (of that table when it is one), after
/// `schema.` its tables. markError() underlines the token at a server's error position in red
/// and puts the cursor there; the next edit clears it. Thread: GUI.
class SqlEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit SqlEditor(QWidget *parent = nullptr);

    /// The names completion offers besides keywords.
    void setCatalog(const SchemaCatalog &catalog);
    /// What Ctrl+Enter runs: the selection when there is one, else the statement at the cursor.
    SqlStatement currentStatement() const;
    /// Marks the error at `offset` (0-based, in the editor's text): the word or token there.
    void markError(int offset);
    void clearErrorMark();
    bool hasErrorMark() const { return m_errorOffset >= 0; }
    int errorOffset() const { return m_errorOffset; }
    QCompleter *completer() const { return m_completer; }
    SqlHighlighter *highlighter() const { return m_highlighter; }
    /// The completions for `prefix` (a word, possibly `qualifier.word`) at the cursor: for tests.
    QStringList completionsFor(const QString &prefix);

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent *event);

signals:
    void runRequested(const ccpm::SqlStatement &statement);
    void cancelRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QString wordBeforeCursor() const;
    void fillCompletions(const QString &qualifier);
    void showCompletions(bool explicitly);
    void insertCompletion(const QModelIndex &index);
    void updateExtraSelections();

    SqlHighlighter *m_highlighter;
    QCompleter *m_completer;
    QStandardItemModel *m_completions;
    QWidget *m_lineNumbers;
    SchemaCatalog m_catalog;
    QString m_filledFor = QStringLiteral("\x01"); ///< the qualifier m_completions holds names for
    int m_errorOffset = -1;
    int m_errorLength = 0;
};

} // namespace ccpm
