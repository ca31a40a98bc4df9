#include "exportformat.h"

#include <cstring>

namespace ccpm::exportformat {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The server validated json and jsonb text, so removing the whitespace between tokens keeps it
// valid and puts every value on one line (a `json` column keeps its input's line breaks).
void appendCompactJson(QByteArray &out, const char *text, qsizetype size)
{
    bool inString = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (isJsonSpace(c)) {
            out.append(text + start, i - start);
            start = i + 1;
        }
    }
    out.append(text + start, size - start);
}

} // namespace

void appendCsvField(QByteArray &out, const char *utf8, qsizetype size, bool isNull)
{
    if (isNull)
        return;
    bool quote = size == 0 || (size == 2 && utf8[0] == '\\' && utf8[1] == '.');
    for (qsizetype i = 0; i < size && !quote; ++i) {
        const char c = utf8[i];
        quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
        out.append(utf8, size);
        return;
    }
    out.append('"');
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if (utf8[i] == '"') {
            out.append(utf8 + start, i + 1 - start);
            out.append('"');
            start = i + 1;
        }
    }
    out.append(utf8 + start, size - start);
    out.append('"');
}

QByteArray csvField(const QString &text)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    appendCsvField(out, utf8.constData(), utf8.size(), text.isNull());
    return out;
}

void appendJsonString(QByteArray &out, const char *utf8, qsizetype size)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8 + start, i - start);
        start = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, sizeof escaped);
        }
        }
    }
    out.append(utf8 + start, size - start);
    out.append('"');
}

bool isJsonNumber(const char *utf8, qsizetype size)
{
    qsizetype i = 0;
    if (i < size && utf8[i] == '-')
        ++i;
    if (i >= size || !isDigit(utf8[i]))
        return false;
    if (utf8[i] == '0') {
        ++i;
    } else {
        while (i < size && isDigit(utf8[i]))
            ++i;
    }
    if (i < size && utf8[i] == '.') {
        ++i;
        if (i >= size || !isDigit(utf8[i]))
            return false;
        while (i < size && isDigit(utf8[i]))
            ++i;
    }
    if (i < size && (utf8[i] == 'e' || utf8[i] == 'E')) {
        ++i;
        if (i < size && (utf8[i] == '+' || utf8[i] == '-'))
            ++i;
        if (i >= size || !isDigit(utf8[i]))
            return false;
        while (i < size && isDigit(utf8[i]))
            ++i;
    }
    return i == size;
}

void appendJsonValue(QByteArray &out, const char *utf8, qsizetype size, bool isNull, ValueKind kind)
{
    if (isNull) {
        out.append("null", 4);
        return;
    }
    const auto is = [&](const char *word) {
        return size == qsizetype(std::strlen(word)) && std::memcmp(utf8, word, size_t(size)) == 0;
    };
    switch (kind) {
    case ValueKind::Number:
        if (isJsonNumber(utf8, size)) {
            out.append(utf8, size);
            return;
        }
        break; // NaN, Infinity: strings
    case ValueKind::Boolean:
        if (is("t") || is("true")) {
            out.append("true", 4);
            return;
        }
        if (is("f") || is("false")) {
            out.append("false", 5);
            return;
        }
        break;
    case ValueKind::Json: {
        const qsizetype before = out.size();
        appendCompactJson(out, utf8, size);
        if (out.size() > before)
            return;
        break; // nothing but spaces: not JSON, written as a string
    }
    case ValueKind::String:
        break;
    }
    appendJsonString(out, utf8, size);
}

QByteArray jsonValue(const QString &text, ValueKind kind)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    appendJsonValue(out, utf8.constData(), utf8.size(), text.isNull(), kind);
    return out;
}

} // namespace ccpm::exportformat
