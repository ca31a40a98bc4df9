// ColumnSpec's conversions between stored text, views and editors (validation: columnspecproblem.cpp).
#include "columnspecdetail.h"
#include "displayformat.h"
#include "sqlvalues.h"
#include "tablespec.h"
#include "valuetext.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace ccpm {

namespace columnspec::detail {

namespace vt = valuetext;

QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm::ColumnSpec", text);
}

std::optional<qint64> integer(const QVariant &text)
{
    bool ok = false;
    const qint64 value = text.toString().trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::optional<bool> boolean(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("t") || t == QLatin1String("yes") ||
        t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("f") || t == QLatin1String("no") ||
        t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

QString elided(const QString &text, int maxChars)
{
    return text.size() <= maxChars ? text : text.left(maxChars - 1) + QChar(0x2026);
}

std::optional<Instant> storedInstant(const QString &text)
{
    const std::optional<vt::DateTimeText> t = vt::parseDateTime(text);
    if (!t)
        return std::nullopt;
    const QDateTime utc = QDateTime(t->date, t->time, Qt::UTC).addSecs(-qint64(t->offsetSeconds.value_or(0)));
    if (!utc.isValid())
        return std::nullopt;
    return Instant{utc, t->fraction};
}

std::optional<Instant> typedInstant(const QString &text, bool *gap)
{
    const std::optional<vt::DateTimeText> t = vt::parseDateTime(text);
    if (!t)
        return std::nullopt;
    QDateTime utc;
    if (t->offsetSeconds) {
        utc = QDateTime(t->date, t->time, Qt::UTC).addSecs(-qint64(*t->offsetSeconds));
    } else {
        const QDateTime local(t->date, t->time, Qt::LocalTime);
        // Qt moves a time in a gap to the other side of it: such a time was never shown.
        if (!local.isValid() || local.date() != t->date || local.time() != t->time) {
            if (gap)
                *gap = true;
            return std::nullopt;
        }
        utc = local.toUTC();
    }
    return Instant{utc, t->fraction};
}

bool isZonedTime(const QString &sqlType)
{
    return sqlType.contains(QLatin1String("with time zone")) || sqlType.startsWith(QLatin1String("timetz"));
}

} // namespace columnspec::detail

namespace {

using Type = ColumnSpec::Type;
namespace vt = valuetext;
using namespace columnspec::detail;

QString storedText(const Instant &i)
{
    return vt::dateTimeText(i.utc.date(), i.utc.time(), i.fraction) + QStringLiteral("+00");
}

QString msFraction(const QTime &time)
{
    QString f = QStringLiteral("%1").arg(time.msec(), 3, 10, QLatin1Char('0'));
    while (f.endsWith(QLatin1Char('0')))
        f.chop(1);
    return f;
}

QDateTime withMs(const Instant &i)
{
    return i.utc.addMSecs(i.fraction.left(3).leftJustified(3, QLatin1Char('0')).toInt());
}

// The numbers of a JSON text, in a form equal for equal values, sorted: QJsonValue compares
// numbers as doubles, which cannot tell 9007199254740993 from 9007199254740992.
QStringList jsonNumberKeys(const QString &text)
{
    QStringList keys;
    const QString c = vt::compactJson(text);
    bool inString = false;
    for (qsizetype i = 0; i < c.size(); ++i) {
        const QChar ch = c.at(i);
        if (inString) {
            if (ch == QLatin1Char('\\'))
                ++i;
            else if (ch == QLatin1Char('"'))
                inString = false;
        } else if (ch == QLatin1Char('"')) {
            inString = true;
        } else if (ch == QLatin1Char('-') || ch.isDigit()) {
            qsizetype end = i;
            while (end < c.size() && QStringLiteral("+-.eE0123456789").contains(c.at(end)))
                ++end;
            keys << vt::decimalKey(c.mid(i, end - i));
            i = end - 1;
        }
    }
    keys.sort();
    return keys;
}

// Array elements from stored or typed text: a JSON array, or a PostgreSQL array literal.
std::optional<QStringList> arrayElements(const QVariant &value)
{
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList();
    if (value.typeId() == QMetaType::QVariantList) {
        QStringList out;
        for (const QVariant &v : value.toList())
            out << (v.isNull() ? QString() : v.toString().isNull() ? QStringLiteral("") : v.toString());
        return out;
    }
    const QString s = value.toString().trimmed();
    if (s.startsWith(QLatin1Char('{')))
        return vt::pgArrayElements(s);
    return vt::jsonArrayElements(s);
}

// How a list shows an element: NULL, or the text, quoted when it would read as something else.
QString shownElement(const QString &e)
{
    if (e.isNull())
        return QStringLiteral("NULL");
    if (e.isEmpty() || e.contains(QLatin1Char(',')) || e.contains(QLatin1Char('"')) || e != e.trimmed() ||
        e.compare(QLatin1String("NULL"), Qt::CaseInsensitive) == 0)
        return vt::jsonStringArray({e}).mid(1).chopped(1);
    return e;
}

QString bytesLabel(qsizetype n)
{
    // Outside ColumnSpec's members: lupdate files these under "ccpm", not "ccpm::ColumnSpec".
    return n == 1 ? QCoreApplication::translate("ccpm", "1 byte")
                  : QCoreApplication::translate("ccpm", "%1 bytes").arg(QLocale().toString(qint64(n)));
}

} // namespace

ColumnSpec ColumnSpec::elementSpec() const
{
    ColumnSpec e;
    e.name = name;
    e.header = header;
    e.nullable = true;
    e.sqlType = elementType;
    const QString t = elementType.trimmed().toLower();
    static const QRegularExpression varchar(
        QStringLiteral(R"(^(character varying|varchar|character|char)\((\d+)\)$)"));
    if (!values.isEmpty()) {
        e.type = Type::Enum;
        e.values = values;
        e.label = label;
    } else if (t == QLatin1String("smallint") || t == QLatin1String("int2")) {
        e.type = Type::Integer;
        e.minimum = -32768;
        e.maximum = 32767;
    } else if (t == QLatin1String("integer") || t == QLatin1String("int") || t == QLatin1String("int4")) {
        e.type = Type::Integer;
        e.minimum = INT_MIN;
        e.maximum = INT_MAX;
    } else if (t == QLatin1String("bigint") || t == QLatin1String("int8")) {
        e.type = Type::Integer;
    } else if (t.startsWith(QLatin1String("numeric")) || t.startsWith(QLatin1String("decimal")) ||
               t == QLatin1String("real") || t.startsWith(QLatin1String("double")) ||
               t.startsWith(QLatin1String("float"))) {
        e.type = Type::Decimal;
    } else if (t == QLatin1String("boolean") || t == QLatin1String("bool")) {
        e.type = Type::Boolean;
    } else if (t == QLatin1String("uuid")) {
        e.type = Type::Uuid;
    } else if (t == QLatin1String("date")) {
        e.type = Type::Date;
    } else if (t.startsWith(QLatin1String("timestamp")) || t.startsWith(QLatin1String("timestamptz"))) {
        e.type = isZonedTime(t) || t.startsWith(QLatin1String("timestamptz")) ? Type::ZonedTimestamp
                                                                              : Type::LocalTimestamp;
    } else if (t.startsWith(QLatin1String("time"))) {
        e.type = Type::Time;
    } else if (t.startsWith(QLatin1String("interval"))) {
        e.type = Type::Interval;
    } else if (t == QLatin1String("inet") || t == QLatin1String("cidr")) {
        e.type = Type::Inet;
    } else if (t == QLatin1String("json") || t == QLatin1String("jsonb")) {
        e.type = Type::Json;
    } else if (t == QLatin1String("bytea")) {
        e.type = Type::Bytea;
    } else if (const QRegularExpressionMatch m = varchar.match(t); m.hasMatch()) {
        e.type = Type::Text;
        e.maxLength = m.captured(2).toInt();
    } else if (t == QLatin1String("text") || t.startsWith(QLatin1String("character")) ||
               t.startsWith(QLatin1String("varchar")) || t == QLatin1String("name") ||
               t == QLatin1String("citext")) {
        e.type = Type::Text;
    } else {
        e.type = Type::Other;
    }
    return e;
}

// A cell shows at most this many characters of a value: painting lays out the whole display
// text, and a 10 MB text would keep the GUI busy for seconds on every repaint. The editor, the
// tooltip (2,000) and copy still have the value.
constexpr int kDisplayChars = 2000;

QVariant ColumnSpec::display(const QVariant &text, const QVariant &refName) const
{
    if (sql::isColumnDefault(text))
        return tr("DEFAULT");
    if (text.isNull())
        return {};
    const QString s = text.toString();
    switch (type) {
    case Type::Text:
        return elided(s, kDisplayChars).replace(QLatin1Char('\n'), QChar(0x23CE)); // one line per row
    case Type::Integer:
        return s;
    case Type::Boolean:
        return boolean(s).value_or(false) ? tr("Yes") : tr("No");
    case Type::Enum:
        return label ? label(s) : s;
    case Type::Timestamp: {
        const QDateTime utc = sql::timestampFromText(text);
        return utc.isValid() ? display::localTime(utc) : s;
    }
    case Type::Json:
        // The server's text without its spaces: numbers exactly as stored, never re-rounded.
        // Only the start is looked at: a cell shows 80 characters of a document of any size.
        return elided(s.size() > 4000 || vt::isJson(s) ? vt::compactJson(s.left(4000)) : s, 80);
    case Type::TextArray:
        return display::list(sql::textArrayFromJson(text));
    case Type::Reference:
        return refName.isNull() ? s : refName.toString();
    case Type::ZonedTimestamp: {
        const std::optional<Instant> i = storedInstant(s);
        if (!i)
            return s; // infinity, BC dates: as stored
        const QDateTime local = i->utc.toLocalTime();
        return QString(vt::dateTimeText(local.date(), local.time(), i->fraction) + QLatin1Char(' ') +
                       vt::offsetDisplay(local.offsetFromUtc()));
    }
    case Type::Bytea: {
        const std::optional<QByteArray> bytes = vt::byteaBytes(s);
        if (!bytes)
            return s;
        constexpr int kShown = 16;
        QString hex = QString::fromLatin1(bytes->left(kShown).toHex());
        if (bytes->size() > kShown)
            hex += QChar(0x2026);
        return bytes->isEmpty() ? bytesLabel(0) : bytesLabel(bytes->size()) + QStringLiteral(" · ") + hex;
    }
    case Type::Array: {
        const std::optional<QStringList> elements = vt::jsonArrayElements(s);
        if (!elements)
            return s;
        if (elements->isEmpty())
            return tr("(empty list)");
        QStringList shown;
        for (const QString &e : *elements)
            shown << shownElement(e);
        return elided(shown.join(QStringLiteral(", ")), 200);
    }
    case Type::Decimal:
    case Type::Uuid:
    case Type::LocalTimestamp: // as stored: the "no zone" mark is the delegate's and the tooltip's
    case Type::Date:
    case Type::Time:
    case Type::Interval:
    case Type::Inet:
    case Type::Other:
        return elided(s, kDisplayChars);
    }
    return s;
}

QVariant ColumnSpec::raw(const QVariant &text) const
{
    if (sql::isColumnDefault(text))
        return text; // the marker itself: views can tell DEFAULT from any value
    if (text.isNull())
        return {};
    const QString s = text.toString();
    switch (type) {
    case Type::Integer:
        if (const std::optional<qint64> n = integer(text))
            return *n;
        break;
    case Type::Boolean:
        if (const std::optional<bool> b = boolean(s))
            return *b;
        break;
    case Type::Timestamp:
        if (const QDateTime utc = sql::timestampFromText(text); utc.isValid())
            return utc;
        break;
    case Type::TextArray:
        if (const std::optional<QStringList> list = sql::textArrayFromJson(text))
            return *list;
        break;
    case Type::ZonedTimestamp:
        if (const std::optional<Instant> i = storedInstant(s))
            return withMs(*i);
        break;
    case Type::Date:
        if (const std::optional<QString> d = vt::normalDate(s))
            return QDate::fromString(*d, Qt::ISODate);
        break;
    case Type::Bytea:
        if (const std::optional<QByteArray> bytes = vt::byteaBytes(s))
            return *bytes;
        break;
    case Type::Array:
        if (const std::optional<QStringList> elements = vt::jsonArrayElements(s))
            return *elements;
        break;
    default:
        break; // Decimal stays text: a double would round it
    }
    return s;
}

QVariant ColumnSpec::editValue(const QVariant &text) const
{
    if (sql::isColumnDefault(text))
        return text; // an editor starts empty, and gives DEFAULT back when left so
    // Every editor value goes back through fromEdit() unchanged to the same stored value.
    switch (type) {
    case Type::Integer: {
        if (text.isNull())
            return {};
        const std::optional<qint64> n = integer(text);
        // An int for a spin box; text beyond int (bigint), which an int would cut.
        if (n && *n >= INT_MIN && *n <= INT_MAX)
            return int(*n);
        return text.toString();
    }
    case Type::Boolean:
        if (text.isNull())
            return {}; // NULL, not false: a nullable boolean has three states
        return boolean(text.toString()).value_or(false);
    case Type::Timestamp: {
        // Text, not a QDateTime: a date editor cannot show NULL, and would invent 2000-01-01.
        const QDateTime local = sql::timestampFromText(text).toLocalTime();
        if (!local.isValid())
            return text.isNull() ? QString() : text.toString();
        return local.toString(local.time().msec() ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                                  : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case Type::TextArray: {
        const std::optional<QStringList> list = sql::textArrayFromJson(text);
        if (!list)
            return QString();
        // "a, b" when that reads back the same; the JSON array otherwise (commas, NULLs, spaces).
        // An empty list is "[]": an emptied editor means NULL.
        const bool plain =
            !list->isEmpty() && std::all_of(list->cbegin(), list->cend(), [](const QString &e) {
                return !e.isNull() && !e.isEmpty() && !e.contains(QLatin1Char(',')) && e == e.trimmed() &&
                       !e.startsWith(QLatin1Char('['));
            });
        return plain ? list->join(QStringLiteral(", ")) : sql::textArrayJson(list).toString();
    }
    case Type::ZonedTimestamp: {
        if (text.isNull())
            return {};
        const std::optional<Instant> i = storedInstant(text.toString());
        if (!i)
            return text.toString();
        const QDateTime local = i->utc.toLocalTime();
        QString typed = vt::dateTimeText(local.date(), local.time(), i->fraction);
        // The hour repeated when clocks go back reads two ways: the offset says which.
        if (QDateTime(local.date(), local.time(), Qt::LocalTime).toUTC() != i->utc)
            typed += QLatin1Char(' ') + vt::offsetDisplay(local.offsetFromUtc());
        return typed;
    }
    case Type::Bytea:
        // Always hex, whichever format the server printed.
        if (const std::optional<QString> hex = vt::normalBytea(text.toString()); hex && !text.isNull())
            return *hex;
        return text.isNull() ? QVariant() : QVariant(text.toString());
    default:
        return text.isNull() ? QVariant() : QVariant(text.toString());
    }
}

bool ColumnSpec::sameValue(const QVariant &a, const QVariant &b) const
{
    if (sql::isColumnDefault(a) || sql::isColumnDefault(b))
        return sql::isColumnDefault(a) == sql::isColumnDefault(b);
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull();
    const QString x = a.toString();
    const QString y = b.toString();
    switch (type) {
    case Type::Timestamp: {
        const QDateTime tx = sql::timestampFromText(a);
        const QDateTime ty = sql::timestampFromText(b);
        return tx.isValid() && ty.isValid() ? tx == ty : x == y;
    }
    case Type::Json: {
        const Result<QJsonValue> jx = sql::jsonFromText(a);
        const Result<QJsonValue> jy = sql::jsonFromText(b);
        return jx && jy ? *jx == *jy && jsonNumberKeys(x) == jsonNumberKeys(y) : x == y;
    }
    case Type::TextArray:
        return sql::textArrayFromJson(a) == sql::textArrayFromJson(b);
    case Type::Integer:
        return integer(a) && integer(b) ? *integer(a) == *integer(b) : x == y;
    case Type::Boolean:
        return boolean(x) == boolean(y);
    case Type::Decimal:
        return vt::decimalKey(x) == vt::decimalKey(y);
    case Type::Uuid:
        return vt::uuidKey(x) == vt::uuidKey(y);
    case Type::Bytea:
        return vt::normalBytea(x).value_or(x) == vt::normalBytea(y).value_or(y);
    case Type::ZonedTimestamp: {
        const std::optional<Instant> ix = storedInstant(x);
        const std::optional<Instant> iy = storedInstant(y);
        return ix && iy ? ix->utc == iy->utc && ix->fraction == iy->fraction : x == y;
    }
    case Type::LocalTimestamp: {
        const std::optional<vt::DateTimeText> tx = vt::parseDateTime(x);
        const std::optional<vt::DateTimeText> ty = vt::parseDateTime(y);
        return tx && ty && !tx->offsetSeconds && !ty->offsetSeconds
                   ? tx->date == ty->date && tx->time == ty->time && tx->fraction == ty->fraction
                   : x == y;
    }
    case Type::Date:
        return vt::normalDate(x).value_or(x) == vt::normalDate(y).value_or(y);
    case Type::Time:
        return vt::normalTime(x, true).value_or(x) == vt::normalTime(y, true).value_or(y);
    case Type::Inet:
        return x.trimmed().compare(y.trimmed(), Qt::CaseInsensitive) == 0;
    case Type::Array: {
        const std::optional<QStringList> ex = arrayElements(a);
        const std::optional<QStringList> ey = arrayElements(b);
        if (!ex || !ey)
            return x == y;
        if (ex->size() != ey->size())
            return false;
        const ColumnSpec element = elementSpec(); // 2026-11-29T18:30:00+00:00 is 2026-11-29 18:30:00+00
        for (qsizetype i = 0; i < ex->size(); ++i) {
            if (!element.sameValue(ex->at(i).isNull() ? QVariant() : QVariant(ex->at(i)),
                                   ey->at(i).isNull() ? QVariant() : QVariant(ey->at(i))))
                return false;
        }
        return true;
    }
    default:
        return x == y;
    }
}

QVariant ColumnSpec::fromEdit(const QVariant &value) const
{
    if (sql::isColumnDefault(value))
        return value; // a staged DEFAULT stays the marker
    if (value.isNull() || !value.isValid())
        return {};
    // An emptied editor is NULL, except for text, where '' is a value of its own.
    if ((type != Type::Text && type != Type::Other) && value.typeId() == QMetaType::QString &&
        value.toString().trimmed().isEmpty())
        return {};
    switch (type) {
    case Type::Integer:
    case Type::Decimal:
    case Type::Uuid:
    case Type::Interval:
    case Type::Inet:
        return value.toString().trimmed();
    case Type::Boolean:
        if (value.typeId() == QMetaType::Bool)
            return sql::boolText(value.toBool());
        if (const std::optional<bool> b = boolean(value.toString()))
            return sql::boolText(*b);
        return value.toString();
    case Type::Timestamp: {
        if (value.typeId() != QMetaType::QDateTime && value.typeId() != QMetaType::QString)
            return value.toString(); // not a time: kept, so that problem() names it
        QDateTime when = value.toDateTime();
        if (value.typeId() == QMetaType::QString) {
            // Typed text is local time, as shown.
            const QString s = value.toString().trimmed();
            when = QDateTime::fromString(s, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            if (!when.isValid())
                when = QDateTime::fromString(s, Qt::ISODateWithMs);
            if (!when.isValid())
                return s;
        }
        if (!when.isValid())
            return value.toString();
        if (when.date().year() < 1 || when.date().year() > 9999)
            return when.toString(Qt::ISODate); // out of range: kept, so that problem() names it
        return sql::timestampText(when.toUTC());
    }
    case Type::TextArray: {
        QStringList list = value.toStringList();
        if (value.typeId() == QMetaType::QString && value.toString().trimmed().startsWith(QLatin1Char('['))) {
            // The JSON form editValue() gives for lists that commas cannot express.
            const std::optional<QStringList> json = sql::textArrayFromJson(value.toString().trimmed());
            return json ? sql::textArrayJson(json) : QVariant(value.toString());
        }
        if (value.typeId() == QMetaType::QString) {
            list.clear();
            for (const QString &part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                list << part.trimmed();
        }
        return sql::textArrayJson(list);
    }
    case Type::Enum: {
        const QString s = value.toString().trimmed();
        for (const QString &v : values) {
            if (s == v || (label && s == label(v)))
                return v;
        }
        return s;
    }
    case Type::Json:
        return value.toString().trimmed();
    case Type::ZonedTimestamp: {
        if (value.typeId() == QMetaType::QDateTime) {
            const QDateTime utc = value.toDateTime().toUTC();
            if (!utc.isValid())
                return value.toString();
            const QTime seconds(utc.time().hour(), utc.time().minute(), utc.time().second());
            return storedText(Instant{QDateTime(utc.date(), seconds, Qt::UTC), msFraction(utc.time())});
        }
        const QString s = value.toString().trimmed();
        const std::optional<Instant> i = typedInstant(s);
        return i ? storedText(*i) : s; // infinity, or malformed: as typed
    }
    case Type::LocalTimestamp: {
        if (value.typeId() == QMetaType::QDateTime) {
            const QDateTime when = value.toDateTime(); // its wall-clock time, in whatever zone
            const QTime seconds(when.time().hour(), when.time().minute(), when.time().second());
            return vt::dateTimeText(when.date(), seconds, msFraction(when.time()));
        }
        const QString s = value.toString().trimmed();
        const std::optional<vt::DateTimeText> t = vt::parseDateTime(s);
        if (!t || t->offsetSeconds)
            return s; // an offset would be dropped by the server: kept, so that problem() names it
        return vt::dateTimeText(t->date, t->time, t->fraction);
    }
    case Type::Date: {
        if (value.typeId() == QMetaType::QDate || value.typeId() == QMetaType::QDateTime)
            return vt::normalDate(value.toDate().toString(Qt::ISODate)).value_or(value.toString());
        const QString s = value.toString().trimmed();
        return vt::normalDate(s).value_or(s);
    }
    case Type::Time: {
        if (value.typeId() == QMetaType::QTime) {
            const QTime t = value.toTime();
            const QString f = msFraction(t);
            return QString(t.toString(QStringLiteral("HH:mm:ss")) +
                           (f.isEmpty() ? QString() : QString(QLatin1Char('.') + f)));
        }
        const QString s = value.toString().trimmed();
        return vt::normalTime(s, isZonedTime(sqlType)).value_or(s);
    }
    case Type::Bytea: {
        if (value.typeId() == QMetaType::QByteArray && !value.toByteArray().startsWith("\\x"))
            return QString(QStringLiteral("\\x") + QString::fromLatin1(value.toByteArray().toHex()));
        const QString s = value.toString(); // untrimmed: in the escape format, spaces are bytes
        return vt::normalBytea(s).value_or(s);
    }
    case Type::Array: {
        const std::optional<QStringList> elements = arrayElements(value);
        if (!elements)
            return value.toString().trimmed(); // kept, so that problem() names it
        // Every element as a JSON string (the writer casts each to elementType) or null; each in
        // its element type's normal form.
        const ColumnSpec element = elementSpec();
        QStringList normal;
        for (const QString &e : *elements) {
            if (e.isNull()) {
                normal << QString();
                continue;
            }
            const QVariant n = element.fromEdit(e);
            normal << (n.isNull() ? e : n.toString());
        }
        return vt::jsonStringArray(normal);
    }
    case Type::Text:
    case Type::Reference:
    case Type::Other:
        return value.toString();
    }
    return value.toString();
}

QString ColumnSpec::toolTip(const QVariant &text) const
{
    if (sql::isColumnDefault(text))
        return defaultExpression.isEmpty() ? tr("Set to the column's default.")
                                           : tr("Set to the column's default: %1").arg(defaultExpression);
    if (text.isNull())
        return {};
    const QString s = text.toString();
    switch (type) {
    case Type::Timestamp:
        return display::utcTooltip(sql::timestampFromText(text));
    case Type::ZonedTimestamp:
        if (const std::optional<Instant> i = storedInstant(s))
            return vt::dateTimeText(i->utc.date(), i->utc.time(), i->fraction) + QStringLiteral(" UTC");
        return {};
    case Type::LocalTimestamp:
        return tr("%1 has no time zone: shown as stored, never converted to local time.").arg(s);
    case Type::Reference:
        return s;
    case Type::Bytea:
        if (const std::optional<QString> hex = vt::normalBytea(s))
            return bytesLabel((hex->size() - 2) / 2) + QLatin1Char('\n') + elided(*hex, 2000);
        return {};
    case Type::Array:
    case Type::TextArray: {
        const QString shown = display(text).toString();
        return shown.size() > 40 || shown.endsWith(QChar(0x2026)) ? elided(s, 2000) : QString();
    }
    case Type::Text:
    case Type::Json:
    case Type::Other:
        return s.size() > 40 ? s.left(2000) : QString();
    default:
        return {};
    }
}

} // namespace ccpm
