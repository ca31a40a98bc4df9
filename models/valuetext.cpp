// Checks and normal forms of PostgreSQL value text, without passing through doubles.
#include "valuetext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>

namespace ccpm::valuetext {

namespace {

bool isHex(QChar c)
{
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
           (c >= QLatin1Char('a') && c <= QLatin1Char('f')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

const QRegularExpression &decimalPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$)"));
    return re;
}

// "nan", "inf", "-inf" for the special values, or empty.
QString specialDecimal(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("nan"))
        return QStringLiteral("nan");
    static const QRegularExpression inf(QStringLiteral(R"(^([+-]?)inf(inity)?$)"));
    if (const QRegularExpressionMatch m = inf.match(t); m.hasMatch())
        return m.captured(1) == QLatin1String("-") ? QStringLiteral("-inf") : QStringLiteral("inf");
    return {};
}

struct DecimalParts {
    bool negative = false;
    QString digits;   // significant digits, no leading or trailing zeros; empty for zero
    qint64 point = 0; // the value is 0.digits × 10^point
};

std::optional<DecimalParts> decimalParts(const QString &text)
{
    const QRegularExpressionMatch m = decimalPattern().match(text);
    if (!m.hasMatch() || (m.captured(2).isEmpty() && m.captured(3).isEmpty()))
        return std::nullopt;
    const QString exponent = m.captured(4);
    if (exponent.size() > 12)
        return std::nullopt; // beyond any type's range: PostgreSQL refuses it as well
    DecimalParts parts;
    parts.negative = m.captured(1) == QLatin1String("-");
    const QString whole = m.captured(2);
    QString all = whole + m.captured(3);
    qint64 point = whole.size() + (exponent.isEmpty() ? 0 : exponent.toLongLong());
    qsizetype lead = 0;
    while (lead < all.size() && all.at(lead) == QLatin1Char('0'))
        ++lead;
    all.remove(0, lead);
    point -= lead;
    while (all.endsWith(QLatin1Char('0')))
        all.chop(1);
    parts.digits = all;
    parts.point = all.isEmpty() ? 0 : point;
    if (all.isEmpty())
        parts.negative = false; // -0 is 0
    return parts;
}

// The JSON grammar, read without converting anything. `pos` moves past the value.
class JsonScanner {
public:
    explicit JsonScanner(const QString &text)
        : m_text(text)
    {
    }

    bool document()
    {
        skipSpace();
        if (!value())
            return false;
        skipSpace();
        return m_pos == m_text.size();
    }

    bool arrayElements(QStringList *out)
    {
        skipSpace();
        if (!peek(QLatin1Char('[')))
            return false;
        ++m_pos;
        skipSpace();
        if (peek(QLatin1Char(']'))) {
            ++m_pos;
            skipSpace();
            return m_pos == m_text.size();
        }
        for (;;) {
            skipSpace();
            const qsizetype start = m_pos;
            if (!value())
                return false;
            const QString token = m_text.mid(start, m_pos - start);
            out->append(elementText(token));
            skipSpace();
            if (peek(QLatin1Char(','))) {
                ++m_pos;
                continue;
            }
            if (!peek(QLatin1Char(']')))
                return false;
            ++m_pos;
            skipSpace();
            return m_pos == m_text.size();
        }
    }

private:
    static QString elementText(const QString &token)
    {
        if (token == QLatin1String("null"))
            return {};
        if (token.startsWith(QLatin1Char('"'))) {
            // A string alone is safe to hand to Qt's parser: nothing numeric to round.
            const QJsonDocument doc =
                QJsonDocument::fromJson(QByteArray("[") + token.toUtf8() + QByteArray("]"));
            QString s = doc.array().first().toString();
            return s.isNull() ? QStringLiteral("") : s;
        }
        return compactJson(token);
    }

    bool peek(QChar c) const { return m_pos < m_text.size() && m_text.at(m_pos) == c; }

    void skipSpace()
    {
        while (m_pos < m_text.size() &&
               (m_text.at(m_pos) == QLatin1Char(' ') || m_text.at(m_pos) == QLatin1Char('\t') ||
                m_text.at(m_pos) == QLatin1Char('\n') || m_text.at(m_pos) == QLatin1Char('\r')))
            ++m_pos;
    }

    bool literal(QLatin1String word)
    {
        if (m_text.mid(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    bool value()
    {
        if (++m_depth > 1000)
            return false;
        const bool ok = valueInner();
        --m_depth;
        return ok;
    }

    bool valueInner()
    {
        if (m_pos >= m_text.size())
            return false;
        const QChar c = m_text.at(m_pos);
        if (c == QLatin1Char('{'))
            return object();
        if (c == QLatin1Char('['))
            return array();
        if (c == QLatin1Char('"'))
            return string();
        if (c == QLatin1Char('t'))
            return literal(QLatin1String("true"));
        if (c == QLatin1Char('f'))
            return literal(QLatin1String("false"));
        if (c == QLatin1Char('n'))
            return literal(QLatin1String("null"));
        return number();
    }

    bool object()
    {
        ++m_pos;
        skipSpace();
        if (peek(QLatin1Char('}'))) {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!peek(QLatin1Char('"')) || !string())
                return false;
            skipSpace();
            if (!peek(QLatin1Char(':')))
                return false;
            ++m_pos;
            skipSpace();
            if (!value())
                return false;
            skipSpace();
            if (peek(QLatin1Char(','))) {
                ++m_pos;
                continue;
            }
            if (!peek(QLatin1Char('}')))
                return false;
            ++m_pos;
            return true;
        }
    }

    bool array()
    {
        ++m_pos;
        skipSpace();
        if (peek(QLatin1Char(']'))) {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!value())
                return false;
            skipSpace();
            if (peek(QLatin1Char(','))) {
                ++m_pos;
                continue;
            }
            if (!peek(QLatin1Char(']')))
                return false;
            ++m_pos;
            return true;
        }
    }

    bool string()
    {
        ++m_pos;
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c == QLatin1Char('"')) {
                ++m_pos;
                return true;
            }
            if (c.unicode() < 0x20)
                return false;
            if (c == QLatin1Char('\\')) {
                ++m_pos;
                if (m_pos >= m_text.size())
                    return false;
                const QChar e = m_text.at(m_pos);
                if (e == QLatin1Char('u')) {
                    for (int i = 1; i <= 4; ++i) {
                        if (m_pos + i >= m_text.size() || !isHex(m_text.at(m_pos + i)))
                            return false;
                    }
                    m_pos += 4;
                } else if (!QStringLiteral("\"\\/bfnrt").contains(e)) {
                    return false;
                }
            }
            ++m_pos;
        }
        return false;
    }

    bool number()
    {
        const qsizetype start = m_pos;
        if (peek(QLatin1Char('-')))
            ++m_pos;
        if (peek(QLatin1Char('0'))) {
            ++m_pos;
        } else {
            if (m_pos >= m_text.size() || !isDigit(m_text.at(m_pos)))
                return false;
            while (m_pos < m_text.size() && isDigit(m_text.at(m_pos)))
                ++m_pos;
        }
        if (peek(QLatin1Char('.'))) {
            ++m_pos;
            if (m_pos >= m_text.size() || !isDigit(m_text.at(m_pos)))
                return false;
            while (m_pos < m_text.size() && isDigit(m_text.at(m_pos)))
                ++m_pos;
        }
        if (peek(QLatin1Char('e')) || peek(QLatin1Char('E'))) {
            ++m_pos;
            if (peek(QLatin1Char('+')) || peek(QLatin1Char('-')))
                ++m_pos;
            if (m_pos >= m_text.size() || !isDigit(m_text.at(m_pos)))
                return false;
            while (m_pos < m_text.size() && isDigit(m_text.at(m_pos)))
                ++m_pos;
        }
        return m_pos > start;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_depth = 0;
};

bool isIpv4(const QString &text, int minParts)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() < minParts || parts.size() > 4)
        return false;
    for (const QString &p : parts) {
        if (p.isEmpty() || p.size() > 3 || !std::all_of(p.cbegin(), p.cend(), isDigit) || p.toInt() > 255)
            return false;
    }
    return true;
}

bool isIpv6(const QString &text)
{
    if (text.isEmpty() || text.count(QStringLiteral("::")) > 1)
        return false;
    QString s = text;
    int groupsNeeded = 8;
    // An embedded IPv4 address at the end (::ffff:192.168.0.1) counts as two groups.
    if (const qsizetype lastColon = s.lastIndexOf(QLatin1Char(':'));
        s.indexOf(QLatin1Char('.')) > lastColon) {
        if (lastColon < 0 || !isIpv4(s.mid(lastColon + 1), 4))
            return false;
        s.truncate(lastColon + 1);
        s += QLatin1Char('0'); // a stand-in group, so the colon count stays right
        groupsNeeded = 7;
    }
    const bool compressed = s.contains(QStringLiteral("::"));
    QStringList groups;
    if (compressed) {
        const qsizetype at = s.indexOf(QStringLiteral("::"));
        const QString left = s.left(at);
        const QString right = s.mid(at + 2);
        if (!left.isEmpty())
            groups += left.split(QLatin1Char(':'));
        if (!right.isEmpty())
            groups += right.split(QLatin1Char(':'));
        if (groups.size() >= groupsNeeded)
            return false;
    } else {
        groups = s.split(QLatin1Char(':'));
        if (groups.size() != groupsNeeded)
            return false;
    }
    for (const QString &g : std::as_const(groups)) {
        if (g.isEmpty() || g.size() > 4 || !std::all_of(g.cbegin(), g.cend(), isHex))
            return false;
    }
    return true;
}

QString twoDigits(int n)
{
    return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0'));
}

} // namespace

bool isWholeNumber(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*[+-]?\d+\s*$)"));
    return re.match(text).hasMatch();
}

bool isDecimal(const QString &text)
{
    return !specialDecimal(text).isEmpty() || decimalParts(text).has_value();
}

QString decimalKey(const QString &text)
{
    if (const QString special = specialDecimal(text); !special.isEmpty())
        return special;
    const std::optional<DecimalParts> parts = decimalParts(text);
    if (!parts)
        return text;
    if (parts->digits.isEmpty())
        return QStringLiteral("0");
    return (parts->negative ? QStringLiteral("-0.") : QStringLiteral("0.")) + parts->digits +
           QLatin1Char('e') + QString::number(parts->point);
}

std::optional<int> integerDigits(const QString &text)
{
    const std::optional<DecimalParts> parts = decimalParts(text);
    if (!parts)
        return std::nullopt;
    return parts->point > 0 ? int(std::min<qint64>(parts->point, INT_MAX)) : 0;
}

bool isUuid(const QString &text)
{
    QString s = text.trimmed();
    if (s.startsWith(QLatin1Char('{'))) {
        if (!s.endsWith(QLatin1Char('}')))
            return false;
        s = s.mid(1, s.size() - 2);
    }
    // uuid_in: a hyphen may follow any group of four hex digits.
    int digits = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (isHex(s.at(i))) {
            ++digits;
        } else if (s.at(i) == QLatin1Char('-') && digits > 0 && digits % 4 == 0 && i + 1 < s.size() &&
                   s.at(i + 1) != QLatin1Char('-')) {
            continue;
        } else {
            return false;
        }
    }
    return digits == 32;
}

QString uuidKey(const QString &text)
{
    if (!isUuid(text))
        return text;
    QString key;
    for (const QChar c : text) {
        if (isHex(c))
            key += c.toLower();
    }
    return key;
}

std::optional<QByteArray> byteaBytes(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(QLatin1String("\\x"))) {
        QString hex = trimmed.mid(2);
        hex.remove(QRegularExpression(QStringLiteral(R"(\s)")));
        if (hex.size() % 2 != 0 || !std::all_of(hex.cbegin(), hex.cend(), isHex))
            return std::nullopt;
        return QByteArray::fromHex(hex.toLatin1());
    }
    // The escape format (what bytea_output = escape prints, and what byteain reads without \x):
    // `\\` is a backslash, `\nnn` an octal byte, any other character its UTF-8 bytes.
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c != QLatin1Char('\\')) {
            out += QString(c).toUtf8();
            continue;
        }
        if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\\')) {
            out += '\\';
            ++i;
            continue;
        }
        if (i + 3 >= text.size())
            return std::nullopt;
        const QChar a = text.at(i + 1), b = text.at(i + 2), d = text.at(i + 3);
        if (a < QLatin1Char('0') || a > QLatin1Char('3') || b < QLatin1Char('0') || b > QLatin1Char('7') ||
            d < QLatin1Char('0') || d > QLatin1Char('7'))
            return std::nullopt;
        out += char((a.unicode() - '0') * 64 + (b.unicode() - '0') * 8 + (d.unicode() - '0'));
        i += 3;
    }
    return out;
}

std::optional<QString> normalBytea(const QString &text)
{
    const std::optional<QByteArray> bytes = byteaBytes(text);
    if (!bytes)
        return std::nullopt;
    return QString(QStringLiteral("\\x") + QString::fromLatin1(bytes->toHex()));
}

std::optional<DateTimeText> parseDateTime(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?\s*$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch() || m.captured(1).size() > 6)
        return std::nullopt;
    DateTimeText out;
    out.date = QDate(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    out.hasTime = m.capturedLength(4) > 0;
    out.time = QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    if (!out.date.isValid() || !out.time.isValid())
        return std::nullopt;
    out.fraction = m.captured(7);
    while (out.fraction.endsWith(QLatin1Char('0')))
        out.fraction.chop(1);
    const QString zone = m.captured(8);
    if (zone.compare(QLatin1String("Z"), Qt::CaseInsensitive) == 0) {
        out.offsetSeconds = 0;
    } else if (!zone.isEmpty()) {
        const QString digits = zone.mid(1).remove(QLatin1Char(':'));
        int hours = 0;
        QString rest;
        if (zone.contains(QLatin1Char(':')) || digits.size() <= 2) {
            const QStringList parts = zone.mid(1).split(QLatin1Char(':'));
            hours = parts.value(0).toInt();
            rest = parts.mid(1).join(QString());
        } else {
            hours = digits.left(2).toInt();
            rest = digits.mid(2);
        }
        const int minutes = rest.left(2).toInt();
        const int seconds = rest.mid(2, 2).toInt();
        if (hours > 15 || minutes > 59 || seconds > 59)
            return std::nullopt;
        const int total = hours * 3600 + minutes * 60 + seconds;
        out.offsetSeconds = zone.startsWith(QLatin1Char('-')) ? -total : total;
    }
    return out;
}

QString dateTimeText(const QDate &date, const QTime &time, const QString &fraction)
{
    return QStringLiteral("%1-%2-%3 %4:%5:%6%7")
        .arg(date.year(), 4, 10, QLatin1Char('0'))
        .arg(twoDigits(date.month()), twoDigits(date.day()), twoDigits(time.hour()), twoDigits(time.minute()),
             twoDigits(time.second()), fraction.isEmpty() ? QString() : QLatin1Char('.') + fraction);
}

QString offsetText(int seconds)
{
    const int a = std::abs(seconds);
    QString out = (seconds < 0 ? QStringLiteral("-") : QStringLiteral("+")) + twoDigits(a / 3600);
    if (a % 3600 != 0)
        out += QLatin1Char(':') + twoDigits(a % 3600 / 60);
    if (a % 60 != 0)
        out += QLatin1Char(':') + twoDigits(a % 60);
    return out;
}

QString offsetDisplay(int seconds)
{
    const int a = std::abs(seconds);
    QString out = (seconds < 0 ? QStringLiteral("-") : QStringLiteral("+")) + twoDigits(a / 3600) +
                  QLatin1Char(':') + twoDigits(a % 3600 / 60);
    if (a % 60 != 0)
        out += QLatin1Char(':') + twoDigits(a % 60);
    return out;
}

bool isSpecialDateTime(const QString &text)
{
    static const QStringList special{
        QStringLiteral("infinity"), QStringLiteral("+infinity"), QStringLiteral("-infinity"),
        QStringLiteral("epoch"),    QStringLiteral("now"),       QStringLiteral("today"),
        QStringLiteral("tomorrow"), QStringLiteral("yesterday"), QStringLiteral("allballs")};
    return special.contains(text.trimmed().toLower());
}

std::optional<QString> normalDate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d{4,6})-(\d{1,2})-(\d{1,2})\s*$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!date.isValid())
        return std::nullopt;
    return QStringLiteral("%1-%2-%3")
        .arg(date.year(), 4, 10, QLatin1Char('0'))
        .arg(twoDigits(date.month()), twoDigits(date.day()));
}

std::optional<QString> normalTime(const QString &text, bool withZone)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?\s*$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const int h = m.captured(1).toInt();
    const int min = m.captured(2).toInt();
    const int s = m.captured(3).toInt();
    QString fraction = m.captured(4);
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    const bool midnight = h == 24 && min == 0 && s == 0 && fraction.isEmpty(); // time accepts 24:00:00
    if (!midnight && (h > 23 || min > 59 || s > 60))
        return std::nullopt;
    QString out = twoDigits(h) + QLatin1Char(':') + twoDigits(min) + QLatin1Char(':') + twoDigits(s);
    if (!fraction.isEmpty())
        out += QLatin1Char('.') + fraction;
    const QString zone = m.captured(5);
    if (!zone.isEmpty()) {
        if (!withZone)
            return std::nullopt;
        const std::optional<DateTimeText> probe = parseDateTime(QStringLiteral("2000-01-01 00:00") + zone);
        if (!probe)
            return std::nullopt;
        out += offsetText(*probe->offsetSeconds);
    }
    return out;
}

bool isInterval(const QString &text)
{
    const QString s = text.trimmed();
    if (s.isEmpty())
        return false;
    static const QString isoPattern = QStringLiteral(
        R"(^-?P(?:(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?)?)$)");
    static const QRegularExpression iso(isoPattern, QRegularExpression::CaseInsensitiveOption);
    if (s.startsWith(QLatin1Char('P'), Qt::CaseInsensitive) ||
        s.startsWith(QLatin1String("-P"), Qt::CaseInsensitive))
        return s.size() > 1 && iso.match(s).hasMatch();
    static const QStringList units{QStringLiteral("microsecond"),
                                   QStringLiteral("microseconds"),
                                   QStringLiteral("us"),
                                   QStringLiteral("usec"),
                                   QStringLiteral("usecs"),
                                   QStringLiteral("millisecond"),
                                   QStringLiteral("milliseconds"),
                                   QStringLiteral("ms"),
                                   QStringLiteral("msec"),
                                   QStringLiteral("msecs"),
                                   QStringLiteral("second"),
                                   QStringLiteral("seconds"),
                                   QStringLiteral("s"),
                                   QStringLiteral("sec"),
                                   QStringLiteral("secs"),
                                   QStringLiteral("minute"),
                                   QStringLiteral("minutes"),
                                   QStringLiteral("m"),
                                   QStringLiteral("min"),
                                   QStringLiteral("mins"),
                                   QStringLiteral("hour"),
                                   QStringLiteral("hours"),
                                   QStringLiteral("h"),
                                   QStringLiteral("hr"),
                                   QStringLiteral("hrs"),
                                   QStringLiteral("day"),
                                   QStringLiteral("days"),
                                   QStringLiteral("d"),
                                   QStringLiteral("week"),
                                   QStringLiteral("weeks"),
                                   QStringLiteral("w"),
                                   QStringLiteral("month"),
                                   QStringLiteral("months"),
                                   QStringLiteral("mon"),
                                   QStringLiteral("mons"),
                                   QStringLiteral("year"),
                                   QStringLiteral("years"),
                                   QStringLiteral("y"),
                                   QStringLiteral("yr"),
                                   QStringLiteral("yrs"),
                                   QStringLiteral("decade"),
                                   QStringLiteral("decades"),
                                   QStringLiteral("dec"),
                                   QStringLiteral("decs"),
                                   QStringLiteral("century"),
                                   QStringLiteral("centuries"),
                                   QStringLiteral("c"),
                                   QStringLiteral("cent"),
                                   QStringLiteral("millennium"),
                                   QStringLiteral("millennia"),
                                   QStringLiteral("mil"),
                                   QStringLiteral("mils"),
                                   QStringLiteral("ago")};
    // Numbers (`1`, `-2.5`), clock times (`03:04:05`, `-1:30`) and unit words, possibly glued
    // (`3days`); `@` starts the verbose style.
    static const QRegularExpression token(
        QStringLiteral(R"(^([+-]?(?:\d+(?::\d+){0,2}(?:\.\d*)?|\.\d+))?([a-zA-Z]*)$)"));
    QString body = s;
    if (body.startsWith(QLatin1Char('@')))
        body = body.mid(1);
    const QStringList words = body.split(QRegularExpression(QStringLiteral(R"([\s,]+)")), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return false;
    bool anyNumber = false;
    for (const QString &w : words) {
        const QRegularExpressionMatch m = token.match(w);
        if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()))
            return false;
        if (!m.captured(2).isEmpty() && !units.contains(m.captured(2).toLower()))
            return false;
        anyNumber = anyNumber || !m.captured(1).isEmpty();
    }
    return anyNumber;
}

bool isInet(const QString &text, bool cidr)
{
    const QString s = text.trimmed();
    const qsizetype slash = s.indexOf(QLatin1Char('/'));
    const QString address = slash < 0 ? s : s.left(slash);
    const bool v6 = address.contains(QLatin1Char(':'));
    if (v6 ? !isIpv6(address) : !isIpv4(address, cidr ? 1 : 4))
        return false;
    if (slash < 0)
        return true;
    const QString prefix = s.mid(slash + 1);
    if (prefix.isEmpty() || prefix.size() > 3 || !std::all_of(prefix.cbegin(), prefix.cend(), isDigit))
        return false;
    return prefix.toInt() <= (v6 ? 128 : 32);
}

bool isJson(const QString &text)
{
    return JsonScanner(text).document();
}

QString compactJson(const QString &text)
{
    QString out;
    out.reserve(text.size());
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inString) {
            out += c;
            if (c == QLatin1Char('\\') && i + 1 < text.size())
                out += text.at(++i);
            else if (c == QLatin1Char('"'))
                inString = false;
        } else if (c == QLatin1Char('"')) {
            inString = true;
            out += c;
        } else if (c != QLatin1Char(' ') && c != QLatin1Char('\n') && c != QLatin1Char('\t') &&
                   c != QLatin1Char('\r')) {
            out += c;
        }
    }
    return out;
}

std::optional<QStringList> jsonArrayElements(const QString &text)
{
    QStringList out;
    if (!JsonScanner(text).arrayElements(&out))
        return std::nullopt;
    return out;
}

QString jsonStringArray(const QStringList &elements)
{
    QJsonArray array;
    for (const QString &e : elements)
        array.append(e.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(e));
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

std::optional<QStringList> pgArrayElements(const QString &text)
{
    const QString s = text.trimmed();
    if (!s.startsWith(QLatin1Char('{')) || !s.endsWith(QLatin1Char('}')))
        return std::nullopt;
    QStringList out;
    const QString body = s.mid(1, s.size() - 2);
    if (body.trimmed().isEmpty())
        return out;
    qsizetype i = 0;
    for (;;) {
        while (i < body.size() && body.at(i).isSpace())
            ++i;
        QString element;
        bool quoted = false;
        if (i < body.size() && body.at(i) == QLatin1Char('"')) {
            quoted = true;
            ++i;
            bool closed = false;
            while (i < body.size()) {
                const QChar c = body.at(i++);
                if (c == QLatin1Char('\\') && i < body.size()) {
                    element += body.at(i++);
                } else if (c == QLatin1Char('"')) {
                    closed = true;
                    break;
                } else {
                    element += c;
                }
            }
            if (!closed)
                return std::nullopt;
            while (i < body.size() && body.at(i).isSpace())
                ++i;
        } else {
            while (i < body.size() && body.at(i) != QLatin1Char(',')) {
                const QChar c = body.at(i++);
                if (c == QLatin1Char('{') || c == QLatin1Char('}') || c == QLatin1Char('"'))
                    return std::nullopt; // nested arrays or stray quotes
                if (c == QLatin1Char('\\') && i < body.size())
                    element += body.at(i++);
                else
                    element += c;
            }
            element = element.trimmed();
            if (element.isEmpty())
                return std::nullopt;
        }
        if (!quoted && element.compare(QLatin1String("NULL"), Qt::CaseInsensitive) == 0)
            out.append(QString());
        else
            out.append(element.isNull() ? QStringLiteral("") : element);
        if (i >= body.size())
            return out;
        if (body.at(i) != QLatin1Char(','))
            return std::nullopt;
        ++i;
    }
}

} // namespace ccpm::valuetext
