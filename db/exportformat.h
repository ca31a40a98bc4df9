#pragma once

#include <QByteArray>
#include <QString>

namespace ccpm::exportformat {

/// How the server's text of a value is written in the CSV and JSON of an export and of the
/// clipboard. Values are always the server's text (UTF-8 bytes), a NULL is its own case: nothing
/// here parses a value into a double, a date or a QJsonValue, so 83261.85 and 9007199254740993
/// come out exactly as the server printed them.
///
/// CSV (RFC 4180): fields separated by `,`, records ended by CRLF; a field holding `,`, `"`, CR
/// or LF is quoted with `"` and its quotes doubled. NULL is an empty unquoted field and the
/// empty string is `""`, as PostgreSQL's `COPY … CSV` writes and reads them; a field that is
/// exactly `\.` is quoted too (COPY reads it unquoted as the end of the data). UTF-8, no BOM.
///
/// JSON: per ValueKind, see appendJsonValue(). Strings escape `"`, `\` and the control
/// characters (`\n`, `\t`, … or `\u00XX`); everything else is written as UTF-8.
/// Pure functions, any thread.

/// What a column's values become in JSON.
enum class ValueKind {
    String,  ///< a JSON string
    Number,  ///< integer, numeric, real: the text as a JSON number; NaN and ±Infinity as strings
    Boolean, ///< true/false (`t`/`f`, `true`/`false`); anything else as a string
    Json,    ///< json/jsonb text embedded as JSON (whitespace outside strings removed)
};

/// Appends one CSV field (no separator). `isNull`: the SQL NULL (an empty unquoted field).
void appendCsvField(QByteArray &out, const char *utf8, qsizetype size, bool isNull);
/// A null QString is NULL.
QByteArray csvField(const QString &text);

/// Appends `utf8` as a JSON string, quotes included.
void appendJsonString(QByteArray &out, const char *utf8, qsizetype size);
/// Appends a value as its kind says; NULL is `null`.
void appendJsonValue(QByteArray &out, const char *utf8, qsizetype size, bool isNull, ValueKind kind);
/// A null QString is NULL.
QByteArray jsonValue(const QString &text, ValueKind kind);

/// Whether `text` is a number in JSON's grammar (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`).
bool isJsonNumber(const char *utf8, qsizetype size);

} // namespace ccpm::exportformat
