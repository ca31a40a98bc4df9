// The filter bar's typed line (`price >= 10 and status in (draft, active)`) and the list and
// path fields, read into Studio filter pills (studiofilter.h: parseLine, splitList, splitPath).
#include "studiofilter.h"
#include "studiofilterdetail.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace ccpm::studiofilter {

using namespace detail;

namespace {

/// Reads one typed filter line (parseLine()) left to right; no backtracking beyond a keyword.
class LineParser {
public:
    /// lupdate files tr() calls in this class under "ccpm::studiofilter::LineParser".
    static QString tr(const char *text)
    {
        return QCoreApplication::translate("ccpm::studiofilter::LineParser", text);
    }

    LineParser(const TableSpec &spec, const QString &text)
        : m_spec(spec)
        , m_s(text)
    {
    }

    Result<ParsedFilterLine> parse()
    {
        ParsedFilterLine out;
        std::optional<bool> any;
        skipSpace();
        if (atEnd())
            return fail(tr("Type a filter such as price >= 10 and status in (A, B)."));
        for (;;) {
            Result<StudioFilter> pill = clause();
            if (!pill)
                return pill.error();
            if (Result<KeysetQuery::Filter> built = buildFilter(m_spec, *pill); !built)
                return built.error();
            out.pills << *pill;
            skipSpace();
            if (atEnd())
                break;
            const qsizetype at = m_i;
            bool orHere = false;
            if (keyword(QStringLiteral("or")))
                orHere = true;
            else if (!keyword(QStringLiteral("and")))
                return fail(tr("Expected and or or before '%1'.").arg(shown(m_s.mid(at))));
            if (any && *any != orHere)
                return fail(tr("Use either and or or between filters, not both."));
            any = orHere;
        }
        out.matchAny = any.value_or(false);
        return out;
    }

private:
    static bool isWordChar(QChar c)
    {
        return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
    }

    bool atEnd() const { return m_i >= m_s.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_s.at(m_i); }
    void skipSpace()
    {
        while (!atEnd() && m_s.at(m_i).isSpace())
            ++m_i;
    }
    Error fail(const QString &sentence) const { return Error{Error::Kind::Invalid, sentence, {}, {}}; }

    /// Consumes `word` (any case) when it stands alone here.
    bool keyword(const QString &word)
    {
        skipSpace();
        if (m_s.mid(m_i, word.size()).compare(word, Qt::CaseInsensitive) != 0)
            return false;
        const qsizetype end = m_i + word.size();
        if (end < m_s.size() && isWordChar(m_s.at(end)))
            return false;
        m_i = end;
        return true;
    }
    /// Consumes the words of `phrase` separated by any space.
    bool phrase(const QStringList &words)
    {
        const qsizetype start = m_i;
        for (const QString &w : words) {
            if (!keyword(w)) {
                m_i = start;
                return false;
            }
        }
        return true;
    }

    /// 'text' or "text", a doubled quote standing for itself; nullopt when unclosed.
    std::optional<QString> quoted()
    {
        const QChar quote = m_s.at(m_i++);
        QString out;
        while (!atEnd()) {
            const QChar c = m_s.at(m_i++);
            if (c != quote) {
                out += c;
            } else if (peek() == quote) {
                out += c;
                ++m_i;
            } else {
                return out;
            }
        }
        return std::nullopt;
    }

    Result<QString> columnName()
    {
        skipSpace();
        if (peek() == QLatin1Char('"')) {
            if (std::optional<QString> name = quoted())
                return *name;
            return fail(tr("A column name in double quotes is not closed."));
        }
        const qsizetype start = m_i;
        while (!atEnd() && isWordChar(m_s.at(m_i)))
            ++m_i;
        if (m_i == start)
            return fail(tr("Expected a column name at '%1'.").arg(shown(m_s.mid(start))));
        const QString name = m_s.mid(start, m_i - start);
        if (m_spec.columnOf(name) >= 0)
            return name;
        QStringList alike; // a bare name in another case, when only one column matches
        for (const ColumnSpec &c : m_spec.columns) {
            if (c.name.compare(name, Qt::CaseInsensitive) == 0)
                alike << c.name;
        }
        return alike.size() == 1 ? alike.first() : name;
    }

    /// A value: quoted, or a bare word ending at a space (in a list: at `,` or `)`).
    Result<QString> value(bool inList)
    {
        skipSpace();
        if (peek() == QLatin1Char('\'') || peek() == QLatin1Char('"')) {
            if (std::optional<QString> v = quoted())
                return *v;
            return fail(tr("A quoted value is not closed."));
        }
        const qsizetype start = m_i;
        while (!atEnd()) {
            const QChar c = m_s.at(m_i);
            if (inList ? (c == QLatin1Char(',') || c == QLatin1Char(')')) : c.isSpace())
                break;
            ++m_i;
        }
        const QString v = m_s.mid(start, m_i - start).trimmed();
        if (v.isEmpty())
            return fail(tr("Expected a value at '%1'.").arg(shown(m_s.mid(start))));
        return v;
    }

    Result<StudioFilter> clause()
    {
        StudioFilter f;
        Result<QString> name = columnName();
        if (!name)
            return name.error();
        f.column = *name;
        const int index = m_spec.columnOf(f.column);
        if (index < 0)
            return fail(tr("There is no column '%1' in %2.").arg(shown(f.column), m_spec.table));
        const ColumnSpec &c = m_spec.columns.at(index);
        skipSpace();
        if (m_s.mid(m_i, 2) == QLatin1String("->") || peek() == QChar(0x2192)) {
            m_i += peek() == QChar(0x2192) ? 1 : 2;
            skipSpace();
            const qsizetype start = m_i;
            while (!atEnd() && !m_s.at(m_i).isSpace() && m_s.at(m_i) != QLatin1Char('='))
                ++m_i;
            f.path = splitPath(m_s.mid(start, m_i - start));
            skipSpace();
            if (peek() != QLatin1Char('='))
                return fail(tr("Expected = after the path of %1.").arg(headerOf(c)));
            ++m_i;
            f.op = Op::JsonPathEquals;
            Result<QString> v = value(false);
            if (!v)
                return v.error();
            f.value = *v;
            return f;
        }
        const qsizetype opStart = m_i;
        static const QList<std::pair<QString, Op>> symbols{
            {QStringLiteral(">="), Op::AtLeast},   {QStringLiteral("<="), Op::AtMost},
            {QStringLiteral("<>"), Op::NotEquals}, {QStringLiteral("!="), Op::NotEquals},
            {QStringLiteral("≥"), Op::AtLeast},    {QStringLiteral("≤"), Op::AtMost},
            {QStringLiteral("≠"), Op::NotEquals},  {QStringLiteral("="), Op::Equals},
            {QStringLiteral("<"), Op::Below},      {QStringLiteral(">"), Op::Above}};
        bool found = false;
        for (const auto &[text, op] : symbols) {
            if (m_s.mid(m_i, text.size()) == text) {
                m_i += text.size();
                f.op = op;
                found = true;
                break;
            }
        }
        if (!found) {
            if (phrase({QStringLiteral("is"), QStringLiteral("not"), QStringLiteral("null")})) {
                f.op = Op::IsNotNull;
                return f;
            }
            if (phrase({QStringLiteral("is"), QStringLiteral("null")})) {
                f.op = Op::IsNull;
                return f;
            }
            if (phrase({QStringLiteral("starts"), QStringLiteral("with")}))
                f.op = Op::StartsWith;
            else if (phrase({QStringLiteral("has"), QStringLiteral("key")}))
                f.op = Op::JsonHasKey;
            else if (keyword(QStringLiteral("contains")))
                f.op = isArray(c) ? Op::ArrayContains : Op::Contains;
            else if (keyword(QStringLiteral("in")))
                f.op = Op::InSet;
            else
                return fail(
                    tr("Expected an operator after %1 (=, ≠, <, ≤, >, ≥, contains, starts with, in, is "
                       "null, has key) at '%2'.")
                        .arg(headerOf(c), shown(m_s.mid(opStart))));
        }
        if (f.op != Op::InSet) {
            Result<QString> v = value(false);
            if (!v)
                return v.error();
            f.value = *v;
            return f;
        }
        skipSpace();
        if (peek() != QLatin1Char('('))
            return fail(tr("Expected ( after in, as in status in (A, B)."));
        ++m_i;
        for (;;) {
            Result<QString> v = value(true);
            if (!v)
                return v.error();
            f.values << *v;
            skipSpace();
            if (peek() == QLatin1Char(',')) {
                ++m_i;
                continue;
            }
            if (peek() == QLatin1Char(')')) {
                ++m_i;
                return f;
            }
            return fail(tr("Expected , or ) in the list of %1.").arg(headerOf(c)));
        }
    }

    const TableSpec &m_spec;
    QString m_s;
    qsizetype m_i = 0;
};

} // namespace

Result<ParsedFilterLine> parseLine(const TableSpec &spec, const QString &line)
{
    return LineParser(spec, line).parse();
}

QStringList splitList(const QString &text)
{
    QStringList out;
    if (text.contains(QLatin1Char('\n'))) {
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            QString element = line;
            if (element.endsWith(QLatin1Char('\r')))
                element.chop(1);
            if (!element.trimmed().isEmpty())
                out << element.trimmed();
        }
        return out;
    }
    QString current;
    bool inQuotes = false;
    bool wasQuoted = false;
    auto finish = [&] {
        const QString element = wasQuoted ? current : current.trimmed();
        if (wasQuoted || !element.isEmpty())
            out << element;
        current.clear();
        wasQuoted = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (inQuotes) {
            if (ch == QLatin1Char('"') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                current += ch;
                ++i;
            } else if (ch == QLatin1Char('"')) {
                inQuotes = false;
            } else {
                current += ch;
            }
        } else if (ch == QLatin1Char('"') && current.trimmed().isEmpty()) {
            current.clear();
            inQuotes = true;
            wasQuoted = true;
        } else if (ch == QLatin1Char(',')) {
            finish();
        } else if (!wasQuoted) {
            current += ch;
        }
    }
    finish();
    return out;
}

QStringList splitPath(const QString &text)
{
    const QString s = text.trimmed();
    if (s.startsWith(QLatin1Char('['))) {
        const QJsonDocument doc = QJsonDocument::fromJson(s.toUtf8());
        if (doc.isArray()) {
            QStringList out;
            for (const QJsonValue &v : doc.array())
                out << (v.isDouble() ? QString::number(v.toInteger()) : v.toString());
            return out;
        }
    }
    if (s.isEmpty())
        return {};
    return s.split(QLatin1Char('.'));
}

} // namespace ccpm::studiofilter
