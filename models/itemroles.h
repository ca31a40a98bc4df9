#pragma once

#include <Qt>

namespace ccpm::roles {

/// Item data roles shared by every model of this project, so views and delegates never parse
/// display text.
constexpr int RowId = Qt::UserRole + 1;      ///< the row's primary key (QString)
constexpr int RawValue = Qt::UserRole + 2;   ///< the value as stored, typed (UTC QDateTime, id, enum value)
constexpr int EditState = Qt::UserRole + 3;  ///< a CellState: how the cell differs from the database
constexpr int Problem = Qt::UserRole + 4;    ///< why the staged value cannot be saved (QString), or null
constexpr int TheirValue = Qt::UserRole + 5; ///< after a conflict: the value another writer saved
/// The Agents view's Name column: whether the agent is connected to the agent hub now (bool),
/// apart from the status it reported (AgentPresence, answered by a row decorator).
constexpr int Connected = Qt::UserRole + 6;
/// The value as the server's text (what `CAST(col AS text)` gives; arrays as their JSON), staged
/// or loaded; a null QVariant for SQL NULL, sql::columnDefault() for a staged DEFAULT. Studio
/// follows foreign keys, copies and exports with it.
constexpr int StoredText = Qt::UserRole + 7;

/// The staged state of a cell, for views to style (roles::EditState).
enum class CellState {
    Clean,    ///< as loaded
    Edited,   ///< a staged value
    Inserted, ///< part of a staged new row
    Deleted,  ///< its row is staged for deletion
    Conflict, ///< its row was changed by someone else since it was loaded
};

} // namespace ccpm::roles
