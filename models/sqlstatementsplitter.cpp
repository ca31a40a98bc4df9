#include "sqlstatementsplitter.h"

#include "sqltokenizer.h"

namespace ccpm {

namespace {

using Kind = SqlToken::Kind;

bool meaningful(const SqlToken &token)
{
    return token.kind != Kind::Whitespace && token.kind != Kind::Comment && token.kind != Kind::Semicolon;
}

/// The statement made of tokens [first, last) of `script`, trimmed of whitespace, or null when
/// they hold nothing but whitespace and comments. Leading comments stay (they are harmless and
/// keep positions simple); trailing ones and the semicolon go.
SqlStatement make(const QString &script, const QList<SqlToken> &tokens, qsizetype first, qsizetype last)
{
    qsizetype from = first;
    while (from < last && tokens.at(from).kind == Kind::Whitespace)
        ++from;
    qsizetype to = last;
    while (to > from && !meaningful(tokens.at(to - 1)))
        --to;
    bool any = false;
    for (qsizetype i = from; i < to; ++i)
        any = any || meaningful(tokens.at(i));
    if (!any)
        return {};
    SqlStatement statement;
    statement.start = tokens.at(from).start;
    statement.end = tokens.at(to - 1).end();
    statement.text = script.mid(statement.start, statement.end - statement.start);
    return statement;
}

} // namespace

QList<SqlStatement> SqlStatementSplitter::split(const QString &script)
{
    const QList<SqlToken> tokens = SqlTokenizer::tokenize(script);
    QList<SqlStatement> statements;
    qsizetype first = 0;
    for (qsizetype i = 0; i <= tokens.size(); ++i) {
        if (i < tokens.size() && tokens.at(i).kind != Kind::Semicolon)
            continue;
        const SqlStatement statement = make(script, tokens, first, i);
        if (!statement.isNull())
            statements.append(statement);
        first = i + 1;
    }
    return statements;
}

SqlStatement SqlStatementSplitter::statementAt(const QString &script, int position)
{
    const QList<SqlStatement> statements = split(script);
    if (statements.isEmpty())
        return {};
    // The last statement that starts at or before the cursor; in the gap between two, the next
    // one only when the cursor is on its line (before it), else the one before.
    SqlStatement chosen = statements.first();
    for (const SqlStatement &statement : statements) {
        if (statement.start > position) {
            const QString gap = script.mid(position, statement.start - position);
            if (!gap.contains(QLatin1Char('\n')) && position > chosen.end)
                chosen = statement;
            break;
        }
        chosen = statement;
    }
    return chosen;
}

SqlStatement SqlStatementSplitter::selection(const QString &script, int selectionStart, int selectionEnd)
{
    const int from = qBound(0, qMin(selectionStart, selectionEnd), int(script.size()));
    const int to = qBound(0, qMax(selectionStart, selectionEnd), int(script.size()));
    const QString piece = script.mid(from, to - from);
    const QList<SqlToken> tokens = SqlTokenizer::tokenize(piece);
    SqlStatement statement = make(piece, tokens, 0, tokens.size());
    if (statement.isNull())
        return {};
    statement.start += from;
    statement.end += from;
    return statement;
}

QStringList SqlStatementSplitter::leadingWords(const QString &statement, int count)
{
    QStringList words;
    for (const SqlToken &token : SqlTokenizer::tokenize(statement)) {
        if (words.size() >= count)
            break;
        if (token.kind == Kind::Whitespace || token.kind == Kind::Comment)
            continue;
        if (token.kind == Kind::Punctuation && statement.at(token.start) == QLatin1Char('(') &&
            words.isEmpty())
            continue;
        if (token.kind != Kind::Word)
            break;
        words << statement.mid(token.start, token.length).toUpper();
    }
    return words;
}

QString SqlStatementSplitter::explainAsJson(const QString &statement)
{
    const QList<SqlToken> all = SqlTokenizer::tokenize(statement);
    QList<SqlToken> tokens;
    for (const SqlToken &token : all)
        if (token.kind != Kind::Whitespace && token.kind != Kind::Comment)
            tokens << token;
    auto text = [&statement](const SqlToken &token) { return statement.mid(token.start, token.length); };
    if (tokens.isEmpty() || tokens.first().kind != Kind::Word ||
        text(tokens.first()).compare(QLatin1String("EXPLAIN"), Qt::CaseInsensitive) != 0)
        return {};
    QStringList options;
    qsizetype i = 1;
    if (i < tokens.size() && text(tokens.at(i)) == QLatin1String("(")) {
        // EXPLAIN ( option [value] [, …] )
        QStringList current;
        for (++i; i < tokens.size(); ++i) {
            const QString word = text(tokens.at(i));
            if (word == QLatin1String(",") || word == QLatin1String(")")) {
                if (!current.isEmpty())
                    options << current.join(QLatin1Char(' '));
                current.clear();
                if (word == QLatin1String(")")) {
                    ++i;
                    break;
                }
            } else {
                current << word;
            }
        }
    } else {
        // EXPLAIN [ANALYZE] [VERBOSE] statement
        while (i < tokens.size() && tokens.at(i).kind == Kind::Word) {
            const QString word = text(tokens.at(i)).toUpper();
            if (word != QLatin1String("ANALYZE") && word != QLatin1String("ANALYSE") &&
                word != QLatin1String("VERBOSE"))
                break;
            options << word;
            ++i;
        }
    }
    if (i >= tokens.size())
        return {};
    QStringList kept;
    for (const QString &option : options) {
        const QStringList parts = option.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.value(0).compare(QLatin1String("FORMAT"), Qt::CaseInsensitive) == 0) {
            const QString format = parts.value(1).toUpper();
            if (format != QLatin1String("TEXT") && format != QLatin1String("JSON"))
                return {};
            continue;
        }
        kept << option;
    }
    kept << QStringLiteral("FORMAT JSON");
    return QStringLiteral("EXPLAIN (%1) %2")
        .arg(kept.join(QLatin1String(", ")), statement.mid(tokens.at(i).start));
}

} // namespace ccpm
