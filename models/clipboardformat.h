#pragma once

#include "exportformat.h"
#include "streamexport.h"
#include "tablespec.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace ccpm::clipboard {

/// What Studio puts on the clipboard and reads back from it: a cell as text, a row as a JSON
/// object (typed as StreamExport's JSON), a selection as TSV, and a pasted TSV block.
///
/// Values are text, and a null QString is SQL NULL.
///
/// TSV, as Excel and LibreOffice copy and paste it: cells separated by a tab, rows by CRLF
/// (LF, CRLF and CR are all read). A cell holding a tab, CR, LF or `"`, or the empty string,
/// is written between `"` with its quotes doubled; anything else as is. NULL is an empty
/// unquoted cell and the empty string is `""`, so both survive a round trip through the
/// clipboard (a spreadsheet's empty cell pastes as NULL; for columns other than text the model
/// reads an empty value as NULL anyway). When parsing, a cell is quoted only when it starts
/// with `"`; a quote elsewhere is part of the value.
/// Pure functions, any thread.

/// A value as the clipboard holds it: a model's value (StudioClipboard passes the EditRole,
/// which the editors and setData() read back exactly) as text. NULL (an invalid or null QVariant,
/// or a staged DEFAULT) is a null QString; a bool `true`/`false`; a date and time ISO 8601 with
/// milliseconds and its offset (UTC as `Z`); a date ISO 8601; bytes `\x` and their hex; a list
/// the JSON array of its strings; anything else QVariant::toString() (numbers exactly).
QString cellText(const QVariant &raw);

/// The selection as TSV; rows may differ in length. Ends with CRLF after the last row.
QString toTsv(const QList<QStringList> &rows);
/// A pasted block. An empty text is no rows; the line break after the last row does not
/// start another row.
QList<QStringList> fromTsv(const QString &text);

/// How a column's values are typed in JSON (numbers, booleans, JSON columns and arrays).
exportformat::ValueKind valueKind(const ColumnSpec &column);
/// The spec's columns (names and kinds) for StreamExport and ExportDialog: with the query of
/// spec.query(…), each exported row is then the table's columns, without the joined names.
QList<StreamExport::Column> exportColumns(const TableSpec &spec);
/// One row as a compact JSON object: `names` as keys in order, each value as its kind says.
QByteArray rowJson(const QStringList &names, const QStringList &values,
                   const QList<exportformat::ValueKind> &kinds);

} // namespace ccpm::clipboard
