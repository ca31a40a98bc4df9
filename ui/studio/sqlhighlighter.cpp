#include "sqlhighlighter.h"

#include <QColor>
#include <QFont>

namespace ccpm {

namespace {

// A block state packs the mode (3 bits), the comment depth (8 bits) and the dollar tag's index.
constexpr int kModeBits = 3;
constexpr int kDepthBits = 8;

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    m_keyword.setForeground(QColor(0x1f, 0x4e, 0xb4));
    m_keyword.setFontWeight(QFont::Bold);
    m_string.setForeground(QColor(0x0a, 0x7d, 0x2c));
    m_number.setForeground(QColor(0xb3, 0x5c, 0x00));
    m_comment.setForeground(QColor(0x80, 0x80, 0x80));
    m_comment.setFontItalic(true);
    m_identifier.setForeground(QColor(0x8e, 0x24, 0xaa));
}

QTextCharFormat SqlHighlighter::format(SqlToken::Kind kind, bool keyword) const
{
    switch (kind) {
    case SqlToken::Kind::Word:
        return keyword ? m_keyword : QTextCharFormat();
    case SqlToken::Kind::String:
        return m_string;
    case SqlToken::Kind::Number:
    case SqlToken::Kind::Parameter:
        return m_number;
    case SqlToken::Kind::Comment:
        return m_comment;
    case SqlToken::Kind::QuotedIdentifier:
        return m_identifier;
    default:
        return {};
    }
}

int SqlHighlighter::encode(const SqlLexState &state)
{
    if (state.mode == SqlLexState::Mode::Normal)
        return -1; // QSyntaxHighlighter's default: nothing carried over
    int tag = 0;
    if (state.mode == SqlLexState::Mode::DollarString) {
        tag = int(m_dollarTags.indexOf(state.dollarTag));
        if (tag < 0) {
            tag = int(m_dollarTags.size());
            m_dollarTags << state.dollarTag;
        }
    }
    return int(state.mode) | (qMin(state.commentDepth, (1 << kDepthBits) - 1) << kModeBits) |
           (tag << (kModeBits + kDepthBits));
}

SqlLexState SqlHighlighter::decode(int value) const
{
    SqlLexState state;
    if (value < 0)
        return state;
    state.mode = SqlLexState::Mode(value & ((1 << kModeBits) - 1));
    state.commentDepth = (value >> kModeBits) & ((1 << kDepthBits) - 1);
    if (state.mode == SqlLexState::Mode::DollarString)
        state.dollarTag = m_dollarTags.value(value >> (kModeBits + kDepthBits));
    return state;
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    SqlLexState state = decode(previousBlockState());
    // The line break belongs to the text: a -- comment ends there, strings go on.
    const QList<SqlToken> tokens = SqlTokenizer::tokenize(text, state);
    for (const SqlToken &token : tokens) {
        const bool keyword = token.kind == SqlToken::Kind::Word &&
                             SqlTokenizer::isKeyword(QStringView(text).mid(token.start, token.length));
        const QTextCharFormat tokenFormat = format(token.kind, keyword);
        if (tokenFormat != QTextCharFormat())
            setFormat(token.start, token.length, tokenFormat);
    }
    setCurrentBlockState(encode(state));
}

} // namespace ccpm
