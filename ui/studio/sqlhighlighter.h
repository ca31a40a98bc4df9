#pragma once

#include "sqltokenizer.h"

#include <QStringList>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace ccpm {

/// Colours SQL in a QTextDocument: keywords, strings (all kinds, dollar-quoted ones too),
/// numbers and $n parameters, comments, and "quoted identifiers", with PostgreSQL's lexical
/// rules (SqlTokenizer). Strings, identifiers and nested comments that span lines carry their
/// state from one block to the next. Thread: GUI.
class SqlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SqlHighlighter(QTextDocument *document);

    /// The format a token kind gets (keywords apart from other words); for tests.
    QTextCharFormat format(SqlToken::Kind kind, bool keyword = false) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    int encode(const SqlLexState &state);
    SqlLexState decode(int value) const;

    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_comment;
    QTextCharFormat m_identifier;
    QStringList m_dollarTags; ///< block states refer to dollar tags by their index here
};

} // namespace ccpm
