#include "sqltokenizer.h"

#include <QSet>

#include <algorithm>

namespace ccpm {

namespace {

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() >= 0x80;
}

bool isIdentChar(QChar c)
{
    return isIdentStart(c) || c.isDigit() || c == QLatin1Char('$');
}

/// The end of a dollar-quote opener at `i` ("$tag$" or "$$"), or -1 when there is none.
int dollarOpenerEnd(QStringView text, int i)
{
    if (text.at(i) != QLatin1Char('$'))
        return -1;
    int j = i + 1;
    if (j < text.size() && text.at(j) == QLatin1Char('$'))
        return j + 1;
    if (j >= text.size() || !isIdentStart(text.at(j)))
        return -1;
    while (j < text.size() && (isIdentStart(text.at(j)) || text.at(j).isDigit()))
        ++j;
    return j < text.size() && text.at(j) == QLatin1Char('$') ? j + 1 : -1;
}

/// Reads on from `i` in a mode that is not Normal; returns where that mode ends (or the text
/// does), setting state back to Normal when it ended.
int continueMode(QStringView text, int i, SqlLexState &state)
{
    const int n = int(text.size());
    switch (state.mode) {
    case SqlLexState::Mode::BlockComment:
        while (i < n) {
            if (text.at(i) == QLatin1Char('/') && i + 1 < n && text.at(i + 1) == QLatin1Char('*')) {
                ++state.commentDepth;
                i += 2;
            } else if (text.at(i) == QLatin1Char('*') && i + 1 < n && text.at(i + 1) == QLatin1Char('/')) {
                i += 2;
                if (--state.commentDepth == 0) {
                    state.mode = SqlLexState::Mode::Normal;
                    return i;
                }
            } else {
                ++i;
            }
        }
        return n;
    case SqlLexState::Mode::String:
    case SqlLexState::Mode::QuotedIdentifier: {
        const QChar quote = state.mode == SqlLexState::Mode::String ? QLatin1Char('\'') : QLatin1Char('"');
        while (i < n) {
            if (text.at(i) == quote) {
                if (i + 1 < n && text.at(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                state.mode = SqlLexState::Mode::Normal;
                return i + 1;
            }
            ++i;
        }
        return n;
    }
    case SqlLexState::Mode::EscapeString:
        while (i < n) {
            if (text.at(i) == QLatin1Char('\\')) {
                i += 2;
                continue;
            }
            if (text.at(i) == QLatin1Char('\'')) {
                if (i + 1 < n && text.at(i + 1) == QLatin1Char('\'')) {
                    i += 2;
                    continue;
                }
                state.mode = SqlLexState::Mode::Normal;
                return i + 1;
            }
            ++i;
        }
        return n;
    case SqlLexState::Mode::DollarString: {
        const QString closer = QLatin1Char('$') + state.dollarTag + QLatin1Char('$');
        const qsizetype found = text.indexOf(closer, i);
        if (found < 0)
            return n;
        state.mode = SqlLexState::Mode::Normal;
        state.dollarTag.clear();
        return int(found + closer.size());
    }
    case SqlLexState::Mode::Normal:
        break;
    }
    return i;
}

} // namespace

QList<SqlToken> SqlTokenizer::tokenize(QStringView text, SqlLexState &state)
{
    QList<SqlToken> tokens;
    const int n = int(text.size());
    int i = 0;
    auto push = [&tokens](SqlToken::Kind kind, int start, int end) {
        tokens.append(SqlToken{kind, start, end - start});
    };
    auto kindOf = [](SqlLexState::Mode mode) {
        switch (mode) {
        case SqlLexState::Mode::BlockComment:
            return SqlToken::Kind::Comment;
        case SqlLexState::Mode::QuotedIdentifier:
            return SqlToken::Kind::QuotedIdentifier;
        default:
            return SqlToken::Kind::String;
        }
    };
    if (state.mode != SqlLexState::Mode::Normal) {
        const SqlToken::Kind kind = kindOf(state.mode);
        i = continueMode(text, 0, state);
        push(kind, 0, i);
    }
    while (i < n) {
        const int start = i;
        const QChar c = text.at(i);
        const QChar next = i + 1 < n ? text.at(i + 1) : QChar();
        if (c.isSpace()) {
            while (i < n && text.at(i).isSpace())
                ++i;
            push(SqlToken::Kind::Whitespace, start, i);
        } else if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            while (i < n && text.at(i) != QLatin1Char('\n'))
                ++i;
            push(SqlToken::Kind::Comment, start, i);
        } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            state.mode = SqlLexState::Mode::BlockComment;
            state.commentDepth = 1;
            i = continueMode(text, i + 2, state);
            push(SqlToken::Kind::Comment, start, i);
        } else if (c == QLatin1Char('\'')) {
            state.mode = SqlLexState::Mode::String;
            i = continueMode(text, i + 1, state);
            push(SqlToken::Kind::String, start, i);
        } else if ((c == QLatin1Char('E') || c == QLatin1Char('e')) && next == QLatin1Char('\'')) {
            state.mode = SqlLexState::Mode::EscapeString;
            i = continueMode(text, i + 2, state);
            push(SqlToken::Kind::String, start, i);
        } else if ((c == QLatin1Char('B') || c == QLatin1Char('b') || c == QLatin1Char('X') ||
                    c == QLatin1Char('x') || c == QLatin1Char('N') || c == QLatin1Char('n')) &&
                   next == QLatin1Char('\'')) {
            state.mode = SqlLexState::Mode::String;
            i = continueMode(text, i + 2, state);
            push(SqlToken::Kind::String, start, i);
        } else if ((c == QLatin1Char('U') || c == QLatin1Char('u')) && next == QLatin1Char('&') &&
                   i + 2 < n && (text.at(i + 2) == QLatin1Char('\'') || text.at(i + 2) == QLatin1Char('"'))) {
            const bool string = text.at(i + 2) == QLatin1Char('\'');
            state.mode = string ? SqlLexState::Mode::String : SqlLexState::Mode::QuotedIdentifier;
            i = continueMode(text, i + 3, state);
            push(string ? SqlToken::Kind::String : SqlToken::Kind::QuotedIdentifier, start, i);
        } else if (c == QLatin1Char('"')) {
            state.mode = SqlLexState::Mode::QuotedIdentifier;
            i = continueMode(text, i + 1, state);
            push(SqlToken::Kind::QuotedIdentifier, start, i);
        } else if (c == QLatin1Char('$') && next.isDigit()) {
            ++i;
            while (i < n && text.at(i).isDigit())
                ++i;
            push(SqlToken::Kind::Parameter, start, i);
        } else if (const int opener = dollarOpenerEnd(text, i); opener > 0) {
            state.mode = SqlLexState::Mode::DollarString;
            state.dollarTag = text.mid(i + 1, opener - i - 2).toString();
            i = continueMode(text, opener, state);
            push(SqlToken::Kind::String, start, i);
        } else if (isIdentStart(c)) {
            while (i < n && isIdentChar(text.at(i)))
                ++i;
            push(SqlToken::Kind::Word, start, i);
        } else if (c.isDigit() || (c == QLatin1Char('.') && next.isDigit())) {
            while (i < n &&
                   (text.at(i).isDigit() || text.at(i) == QLatin1Char('.') || text.at(i) == QLatin1Char('_')))
                ++i;
            if (i < n && (text.at(i) == QLatin1Char('e') || text.at(i) == QLatin1Char('E'))) {
                int j = i + 1;
                if (j < n && (text.at(j) == QLatin1Char('+') || text.at(j) == QLatin1Char('-')))
                    ++j;
                if (j < n && text.at(j).isDigit()) {
                    i = j;
                    while (i < n && text.at(i).isDigit())
                        ++i;
                }
            }
            push(SqlToken::Kind::Number, start, i);
        } else if (c == QLatin1Char(';')) {
            ++i;
            push(SqlToken::Kind::Semicolon, start, i);
        } else {
            ++i;
            push(SqlToken::Kind::Punctuation, start, i);
        }
    }
    return tokens;
}

const QStringList &SqlTokenizer::keywords()
{
    static const QStringList words = [] {
        QStringList list =
            QStringLiteral(
                "ALL ALTER ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC AUTHORIZATION BEGIN BETWEEN BIGINT "
                "BOOLEAN BOTH BUFFERS BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONCURRENTLY "
                "CONSTRAINT COPY COSTS CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP "
                "CURRENT_USER CURSOR DATABASE DEFAULT DEFERRABLE DELETE DESC DISTINCT DO DROP ELSE END "
                "ENUM EXCEPT EXISTS EXPLAIN EXTENSION FALSE FETCH FILTER FIRST FOR FOREIGN FORMAT FROM "
                "FULL FUNCTION GRANT GROUP HAVING ILIKE IN INDEX INNER INSERT INTEGER INTERSECT "
                "INTERVAL INTO IS JOIN JSON JSONB KEY LATERAL LEADING LEFT LIKE LIMIT LOCAL "
                "LOCALTIMESTAMP MATERIALIZED NATURAL NOT NOTHING NULL NULLS NUMERIC OFFSET ON ONLY OR "
                "ORDER OUTER OVER PARTITION PRIMARY RECURSIVE REFERENCES RETURNING REVOKE RIGHT "
                "ROLLBACK ROW ROWS SCHEMA SELECT SEQUENCE SESSION_USER SET SHOW SIMILAR SOME "
                "SYMMETRIC TABLE TEXT THEN TIMESTAMP TIMESTAMPTZ TO TRAILING TRANSACTION TRIGGER TRUE "
                "TRUNCATE UNION UNIQUE UPDATE USING VACUUM VALUES VARCHAR VERBOSE VIEW WHEN WHERE "
                "WINDOW WITH")
                .split(QLatin1Char(' '), Qt::SkipEmptyParts);
        std::sort(list.begin(), list.end());
        return list;
    }();
    return words;
}

bool SqlTokenizer::isKeyword(QStringView word)
{
    static const QSet<QString> set(keywords().cbegin(), keywords().cend());
    return set.contains(word.toString().toUpper());
}

} // namespace ccpm
