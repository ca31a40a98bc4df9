#include "databaselocator.h"

#include "databaseurl.h"

#include <QSettings>

namespace ccpm {

QString DatabaseChoice::sourceName(Source source)
{
    switch (source) {
    case Source::CommandLine:
        return QStringLiteral("--database-url");
    case Source::Environment:
        return QStringLiteral("DATABASE_URL");
    case Source::SavedSetting:
        return QStringLiteral("the saved setting");
    case Source::Embedded:
        return QStringLiteral("the embedded database");
    }
    return {};
}

QString savedDatabaseUrlKey()
{
    return QStringLiteral("database/url");
}

Result<DatabaseChoice> chooseDatabase(const QString &commandLineUrl, const QSettings &settings)
{
    struct Candidate {
        DatabaseChoice::Source source;
        QString url;
    };
    const Candidate candidates[] = {
        {DatabaseChoice::Source::CommandLine, commandLineUrl},
        {DatabaseChoice::Source::Environment, qEnvironmentVariable("DATABASE_URL")},
        {DatabaseChoice::Source::SavedSetting, settings.value(savedDatabaseUrlKey()).toString()},
    };
    for (const Candidate &c : candidates) {
        if (c.url.trimmed().isEmpty())
            continue;
        Result<ConnectionSettings> parsed = parseDatabaseUrl(c.url.trimmed());
        if (!parsed) {
            Error e = parsed.error();
            e.message = QStringLiteral("%1: %2").arg(DatabaseChoice::sourceName(c.source), e.message);
            return e;
        }
        return DatabaseChoice{c.source, *parsed};
    }
    return DatabaseChoice{};
}

} // namespace ccpm
