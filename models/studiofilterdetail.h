#pragma once

#include "tablespec.h"

#include <QString>

/// What studiofilter.cpp (the pills) and studiofilterline.cpp (the typed line) share: how a
/// column is named in a sentence and how a typed value is quoted in one. Internal to the
/// models library. Pure functions, any thread.
namespace ccpm::studiofilter::detail {

/// QCoreApplication::translate in the "ccpm::studiofilter" context, the one lupdate gives the
/// tr() calls of this namespace.
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1);
/// Whether the column is an array (its filters compare elements).
bool isArray(const ColumnSpec &c);
/// The column as sentences name it: its header, else its name.
QString headerOf(const ColumnSpec &c);
/// A typed value as an error message quotes it: one line, at most 40 characters.
QString shown(const QString &value);

} // namespace ccpm::studiofilter::detail
