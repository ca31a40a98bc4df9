#pragma once

#include "catalog.h"
#include "commands.h"

#include <QStringList>

#include <optional>
#include <utility>

namespace ccpm {

/// `ccpm-desk studio --list-tables`: the tables of any PostgreSQL database, for scripts.
///
/// tableListing() gives a header line, then one line per table, tab-separated: `schema.name`
/// (tabs and line breaks in names written as \t and \n), the column count, the primary key's
/// columns in key order (or `no primary key`, and `view` / `materialized view`), and the
/// estimated rows (`~1,000,000`: pg_class.reltuples, an estimate; `unknown` when never analyzed).
/// Pure function, any thread.
QStringList tableListing(const SchemaCatalog &catalog);
/// The (schema, name) `--table` names: `name` in public, or `schema.name` split at whichever dot
/// names a table of `catalog` (schema and name may both hold dots, as --list-tables prints them).
/// Pure; any thread.
std::optional<std::pair<QString, QString>> findTable(const SchemaCatalog &catalog, const QString &wanted);
/// Prints `ccpm-desk: <message>` as one line on stderr (libpq's line breaks folded) and returns
/// `exitCode`, for the `studio` command and window.
int printError(const QString &message, int exitCode);
/// `~1,000,000` (always with English digit grouping, for scripts), or `unknown` for -1.
QString estimatedRowsText(qint64 rows);

/// Runs `studio`: with --list-tables, connects without the app's start-up (no migrations, no
/// change listener, no embedded cluster: a URL is required), reads the catalog in a read-only
/// transaction, prints tableListing() and returns 0; a bad URL returns 2, a server that cannot
/// be reached or refuses the login 1, each with one line on stderr.
/// Thread: the main thread, with a QCoreApplication.
int runStudioCommand(const CommandOptions &options);

} // namespace ccpm
