#include "studiocommand.h"

#include "databaselocator.h"
#include "dbexecutor.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QSettings>
#include <QSqlQuery>
#include <QTextStream>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

QString escaped(QString name)
{
    return name.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('\t'), QStringLiteral("\\t"))
        .replace(QLatin1Char('\n'), QStringLiteral("\\n"))
        .replace(QLatin1Char('\r'), QStringLiteral("\\r"));
}

QString keyText(const CatalogTable &table)
{
    if (table.kind == QLatin1Char('v'))
        return QStringLiteral("view");
    if (table.kind == QLatin1Char('m'))
        return QStringLiteral("materialized view");
    if (table.primaryKey.isEmpty())
        return QStringLiteral("no primary key");
    QStringList columns;
    for (const QString &column : table.primaryKey)
        columns << escaped(column);
    return columns.join(QStringLiteral(", "));
}

Result<SchemaCatalog> readCatalog(const ConnectionSettings &settings)
{
    DbExecutor executor(settings, 1);
    auto job = [](QSqlDatabase &db) -> Result<SchemaCatalog> {
        // Belt and braces: Catalog::load reads in a READ ONLY transaction already.
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")))
            return Error::fromSql(q.lastError(), QStringLiteral("Cannot prepare the session"));
        return Catalog::load(db);
    };
    return QCoro::waitFor(executor.exec(job));
}

} // namespace

int printError(const QString &message, int exitCode)
{
    // libpq's messages run over lines ("...\n\tIs the server running..."): one line for scripts.
    QTextStream(stderr) << "ccpm-desk: " << message.simplified() << Qt::endl;
    return exitCode;
}

std::optional<std::pair<QString, QString>> findTable(const SchemaCatalog &catalog, const QString &wanted)
{
    // `name` in public, or `schema.name` split at whichever dot names a table (both may hold
    // dots), as --list-tables prints them.
    if (catalog.find(QStringLiteral("public"), wanted))
        return std::make_pair(QStringLiteral("public"), wanted);
    for (qsizetype dot = wanted.indexOf(QLatin1Char('.')); dot > 0;
         dot = wanted.indexOf(QLatin1Char('.'), dot + 1)) {
        if (catalog.find(wanted.left(dot), wanted.mid(dot + 1)))
            return std::make_pair(wanted.left(dot), wanted.mid(dot + 1));
    }
    return std::nullopt;
}

QString estimatedRowsText(qint64 rows)
{
    if (rows < 0)
        return QStringLiteral("unknown");
    return QLatin1Char('~') + QLocale(QLocale::English, QLocale::UnitedStates).toString(rows);
}

QStringList tableListing(const SchemaCatalog &catalog)
{
    QStringList lines{QStringLiteral("table\tcolumns\tprimary key\testimated rows")};
    for (const CatalogTable &table : catalog.tables) {
        lines << QStringList{escaped(table.displayName()), QString::number(table.columns.size()),
                             keyText(table),
                             table.kind == QLatin1Char('v') ? QStringLiteral("unknown")
                                                            : estimatedRowsText(table.estimatedRows)}
                     .join(QLatin1Char('\t'));
    }
    return lines;
}

int runStudioCommand(const CommandOptions &options)
{
    if (options.positional.size() != 1)
        return printError(QStringLiteral("'studio' takes no arguments besides its options."), 2);
    QSettings settings;
    Result<DatabaseChoice> choice = chooseDatabase(options.databaseUrl, settings);
    if (!choice)
        return printError(choice.error().message, 2);
    if (choice->source == DatabaseChoice::Source::Embedded)
        return printError(QStringLiteral("'studio' needs a database: give --database-url URL (or set "
                                         "DATABASE_URL)."),
                          2);
    // The connection's own log line would repeat the error printed below (QT_LOGGING_RULES wins).
    QLoggingCategory::setFilterRules(QStringLiteral("ccpm.db.debug=false"));
    Result<SchemaCatalog> catalog = readCatalog(choice->settings);
    if (!catalog)
        return printError(catalog.error().message, 1);
    QTextStream out(stdout);
    for (const QString &line : tableListing(*catalog))
        out << line << '\n';
    out.flush();
    return 0;
}

} // namespace ccpm
