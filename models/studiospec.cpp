#include "studiospec.h"

#include "sqlvalues.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <limits>

namespace ccpm {

namespace {

using Type = ColumnSpec::Type;

// lupdate files tr() calls made in namespace ccpm under the context "ccpm".
QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm", text);
}

/// The type of a non-array column, by pg_type.typname (or typtype for enums).
Type scalarType(const QString &typeName, QChar typeKind)
{
    static const QHash<QString, Type> types{
        {QStringLiteral("int2"), Type::Integer},
        {QStringLiteral("int4"), Type::Integer},
        {QStringLiteral("int8"), Type::Integer},
        {QStringLiteral("numeric"), Type::Decimal},
        {QStringLiteral("float4"), Type::Decimal},
        {QStringLiteral("float8"), Type::Decimal},
        {QStringLiteral("bool"), Type::Boolean},
        {QStringLiteral("text"), Type::Text},
        {QStringLiteral("varchar"), Type::Text},
        {QStringLiteral("bpchar"), Type::Text},
        {QStringLiteral("name"), Type::Text},
        {QStringLiteral("citext"), Type::Text},
        {QStringLiteral("timestamptz"), Type::ZonedTimestamp},
        {QStringLiteral("timestamp"), Type::LocalTimestamp},
        {QStringLiteral("date"), Type::Date},
        {QStringLiteral("time"), Type::Time},
        {QStringLiteral("timetz"), Type::Time},
        {QStringLiteral("interval"), Type::Interval},
        {QStringLiteral("json"), Type::Json},
        {QStringLiteral("jsonb"), Type::Json},
        {QStringLiteral("uuid"), Type::Uuid},
        {QStringLiteral("bytea"), Type::Bytea},
        {QStringLiteral("inet"), Type::Inet},
        {QStringLiteral("cidr"), Type::Inet},
    };
    if (typeKind == QLatin1Char('e'))
        return Type::Enum;
    // A domain or a type of an extension is named as its creator chose: not a built-in.
    if (typeKind != QLatin1Char('b') && typeName != QLatin1String("citext"))
        return Type::Other;
    return types.value(typeName, Type::Other);
}

/// `character varying(40)`, `character(3)` → 40, 3; 0 without a length.
int declaredLength(const QString &formatted)
{
    static const QRegularExpression length(QStringLiteral("^(character varying|character)\\((\\d+)\\)$"));
    const QRegularExpressionMatch m = length.match(formatted);
    return m.hasMatch() ? m.captured(2).toInt() : 0;
}

void setIntegerRange(ColumnSpec &c, const QString &typeName)
{
    if (typeName == QLatin1String("int2")) {
        c.minimum = std::numeric_limits<qint16>::min();
        c.maximum = std::numeric_limits<qint16>::max();
    } else if (typeName == QLatin1String("int4")) {
        c.minimum = std::numeric_limits<qint32>::min();
        c.maximum = std::numeric_limits<qint32>::max();
    } else {
        c.minimum = std::numeric_limits<qint64>::min();
        c.maximum = std::numeric_limits<qint64>::max();
    }
}

QString readOnlyReason(const CatalogTable &table)
{
    const QString name = table.displayName();
    if (table.kind == QLatin1Char('v'))
        return tr("%1 is a view: its rows are shown, but they cannot be changed here.").arg(name);
    if (table.kind == QLatin1Char('m'))
        return tr("%1 is a materialized view: its rows are shown, but they cannot be changed here.")
            .arg(name);
    if (table.primaryKey.isEmpty())
        return tr("%1 has no primary key, so its rows cannot be told apart to change them: it is shown "
                  "read-only.")
            .arg(name);
    return {};
}

} // namespace

ColumnSpec studioColumn(const CatalogColumn &column)
{
    ColumnSpec c;
    c.name = column.name;
    c.header = column.name;
    c.sqlType = column.type;
    c.nullable = column.nullable;
    c.comment = column.comment;
    c.defaultExpression = column.defaultExpression;
    c.generated = column.generated || column.identity == QLatin1Char('a');
    c.editable = !c.generated;
    c.hasDefault = !column.defaultExpression.isEmpty() || !column.identity.isNull() || column.generated;
    if (c.hasDefault)
        c.initial = sql::columnDefault(); // a new row shows DEFAULT until a value is typed
    if (column.typeCategory == QLatin1Char('A')) {
        if (column.dimensions > 1)
            c.type = Type::Other;
        else if (column.typeName == QLatin1String("_text"))
            c.type = Type::TextArray;
        else
            c.type = Type::Array;
        if (c.type == Type::Array) {
            c.elementType = column.elementType;
            if (column.elementKind == QLatin1Char('e'))
                c.values = column.enumValues;
        }
        return c;
    }
    c.type = scalarType(column.typeName, column.typeKind);
    if (c.type == Type::Integer)
        setIntegerRange(c, column.typeName);
    else if (c.type == Type::Enum)
        c.values = column.enumValues;
    else if (c.type == Type::Text)
        c.maxLength = declaredLength(column.type);
    return c;
}

TableSpec studioSpec(const CatalogTable &table)
{
    TableSpec spec;
    spec.schema = table.schema;
    spec.table = table.name;
    spec.clientKeys = false;
    spec.writeRole = Role::Admin;
    for (const CatalogColumn &column : table.columns)
        spec.columns << studioColumn(column);
    spec.readOnlyReason = readOnlyReason(table);
    if (!table.isView() && !table.primaryKey.isEmpty()) {
        spec.keyColumns = table.primaryKey;
        for (const QString &key : table.primaryKey) {
            const int index = table.columnIndex(key);
            spec.keyTypes << (index >= 0 ? table.columns.at(index).type : QStringLiteral("text"));
        }
        spec.idColumn = table.primaryKey.first();
        spec.defaultSortColumn = qMax(0, table.columnIndex(table.primaryKey.first()));
    } else if (table.kind == QLatin1Char('r') || table.kind == QLatin1Char('m')) {
        spec.keyColumns = {QStringLiteral("ctid")};
        spec.keyTypes = {QStringLiteral("tid")};
        spec.idColumn = QStringLiteral("ctid");
    } else {
        // A view (or a partitioned table without a key): the whole row's text tells rows apart.
        spec.idColumn.clear();
    }
    if (!spec.readOnlyReason.isEmpty()) {
        spec.canInsert = false;
        spec.canDelete = false;
    }
    return spec;
}

} // namespace ccpm
