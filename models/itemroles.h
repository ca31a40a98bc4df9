#pragma once

#include <Qt>

namespace ccpm::roles {

/// Item data roles shared by every model of this project, so views and delegates never parse
/// display text.
constexpr int RowId = Qt::UserRole + 1;    ///< the row's primary key (QString)
constexpr int RawValue = Qt::UserRole + 2; ///< the value as stored (enum label, UTC QDateTime, id)

} // namespace ccpm::roles
