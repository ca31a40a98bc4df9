#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ccpm {

/// One statement of a script: `text` is what to send (no surrounding whitespace, no closing
/// semicolon); `start` and `end` are its UTF-16 offsets in the script, so that a server's error
/// position (1-based, in characters of `text`) maps back to the editor: start + position - 1.
struct SqlStatement {
    QString text;
    int start = -1; ///< -1: no statement
    int end = -1;
    bool isNull() const { return start < 0; }
};

/// Splits a SQL script into statements at the semicolons that are not inside a string,
/// "identifier", dollar quote or comment (SqlTokenizer's rules), and finds the statement the
/// editor's cursor is in. Pieces made only of comments and whitespace are not statements.
/// Pure functions; any thread.
class SqlStatementSplitter {
public:
    static QList<SqlStatement> split(const QString &script);

    /// The statement under `position` (a cursor offset). A cursor just after a statement's
    /// semicolon, or on a blank line after it, still picks it; a cursor before the first
    /// statement picks that one. Null when the script holds none.
    static SqlStatement statementAt(const QString &script, int position);

    /// The selection [selectionStart, selectionEnd) as one statement (trimmed, a trailing
    /// semicolon dropped); null when it holds nothing but whitespace and comments.
    static SqlStatement selection(const QString &script, int selectionStart, int selectionEnd);

    /// The first `count` words of a statement, upper case, skipping comments and opening
    /// parentheses: {"EXPLAIN", "ANALYZE"}, {"WITH", "X"}. For deciding how to run it.
    static QStringList leadingWords(const QString &statement, int count = 2);

    /// A text EXPLAIN as `EXPLAIN (FORMAT JSON, …)` with the same options and statement, for the
    /// plan tree; empty when `statement` is not an EXPLAIN or asks for another format than text
    /// or JSON. `EXPLAIN ANALYZE VERBOSE x` → `EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) x`.
    static QString explainAsJson(const QString &statement);
};

} // namespace ccpm
