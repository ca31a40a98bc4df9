#pragma once

#include "tablespec.h"

/// A ColumnSpec as a test writes one by hand (header = name), for the specs of tables a test
/// creates itself. Pure; any thread.
inline ccpm::ColumnSpec column(const QString &name, ccpm::ColumnSpec::Type type, const QString &sqlType,
                               bool nullable = true)
{
    ccpm::ColumnSpec c;
    c.name = name;
    c.header = name;
    c.type = type;
    c.sqlType = sqlType;
    c.nullable = nullable;
    return c;
}
