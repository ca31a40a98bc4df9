#pragma once

#include "connectionsettings.h"
#include "result.h"

#include <QString>

class QSettings;

namespace ccpm {

/// Decides which database the app opens. First match wins (issue #2):
/// `--database-url`, the DATABASE_URL environment variable, the saved setting
/// (`database/url`, written by `ccpm-desk db connect`), the embedded default cluster.
/// Errors: a malformed URL from any source is Error::Kind::Invalid naming the source and the
/// part that is wrong (never the password). Thread: any.
struct DatabaseChoice {
    enum class Source { CommandLine, Environment, SavedSetting, Embedded };
    Source source = Source::Embedded;
    ConnectionSettings settings; ///< empty for Embedded: the cluster provides them when started

    static QString sourceName(Source source);
};

Result<DatabaseChoice> chooseDatabase(const QString &commandLineUrl, const QSettings &settings);

/// The QSettings key of the saved database URL.
QString savedDatabaseUrlKey();

} // namespace ccpm
