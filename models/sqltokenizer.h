#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace ccpm {

/// One lexical token of PostgreSQL's SQL. `start` and `length` are UTF-16 offsets into the
/// text given to SqlTokenizer::tokenize. A token cut by the end of the text (a string or
/// comment that goes on) ends there; the state says how it goes on.
struct SqlToken {
    enum class Kind {
        Whitespace,
        Word,             ///< keyword or bare identifier (letters, digits, _, $)
        QuotedIdentifier, ///< "Name" ("" inside)
        String,           ///< 'text', E'te\'xt', U&'…', B'…', X'…', $$text$$, $tag$text$tag$
        Number,
        Comment,   ///< -- to the end of the line, or /* … */ (nested)
        Parameter, ///< $1
        Semicolon,
        Punctuation, ///< operators, parentheses, commas, dots
    };
    Kind kind = Kind::Whitespace;
    int start = 0;
    int length = 0;
    int end() const { return start + length; }
};

/// Where the tokenizer is between two pieces of text (the highlighter's lines): inside a string,
/// a quoted identifier, a dollar-quoted string (with its tag) or a nested comment (with its depth).
struct SqlLexState {
    enum class Mode { Normal, BlockComment, String, EscapeString, DollarString, QuotedIdentifier };
    Mode mode = Mode::Normal;
    int commentDepth = 0; ///< BlockComment: how many /* are open
    QString dollarTag;    ///< DollarString: the tag between the dollars (empty for $$)
    bool operator==(const SqlLexState &) const = default;
};

/// PostgreSQL's lexical rules, enough to split statements, highlight and complete: standard
/// strings ('' doubles a quote; backslashes are plain), E'' strings (backslash escapes),
/// dollar quoting, "identifiers", -- and nested /* */ comments, numbers and $n parameters.
/// Pure functions; any thread.
class SqlTokenizer {
public:
    /// Tokens of `text`, starting in `state` and leaving in it the state at the end.
    static QList<SqlToken> tokenize(QStringView text, SqlLexState &state);
    static QList<SqlToken> tokenize(QStringView text)
    {
        SqlLexState state;
        return tokenize(text, state);
    }
    /// PostgreSQL's reserved and common non-reserved keywords, upper case, sorted.
    static const QStringList &keywords();
    static bool isKeyword(QStringView word);
};

} // namespace ccpm
