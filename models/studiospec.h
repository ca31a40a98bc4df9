#pragma once

#include "catalog.h"
#include "tablespec.h"

namespace ccpm {

/// Studio's TableSpec for any catalog table (docs: Studio's type mapping): each column's
/// ColumnSpec::Type from its pg_type (integers get their size's minimum and maximum, varchar(n)
/// and char(n) a maxLength, enums and enum arrays their labels, other arrays their element
/// type), sqlType = format_type() so that writes cast back exactly, the header = the column's
/// name, comment and default copied. Generated columns and identity ALWAYS are `generated` and
/// not editable; a default or an identity sets hasDefault.
///
/// Keys: keyColumns/keyTypes = the primary key in key order (also a single column), idColumn its
/// first column, clientKeys false, defaultSortColumn the key's first column. Without a primary
/// key (or for a view) the spec is read-only: readOnlyReason says why (translated), canInsert
/// and canDelete are false; a plain table or materialized view without a primary key is then
/// paged on its `ctid` (keyColumns {"ctid"}, keyTypes {"tid"}: not a column of the spec), a view
/// or partitioned table gets no key. writeRole is ADMIN (inside the app, USER reads only).
/// Pure function, any thread.
TableSpec studioSpec(const CatalogTable &table);

/// The ColumnSpec of one catalog column, as studioSpec() makes it.
ColumnSpec studioColumn(const CatalogColumn &column);

} // namespace ccpm
