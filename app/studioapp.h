#pragma once

#include <QString>

namespace ccpm {

struct StudioWindowOptions {
    QString databaseUrl;    ///< required: Studio opens any database, never the embedded one by default
    QString table;          ///< `name` or `schema.name` to open first; empty for none
    QString screenshotPath; ///< save the window as PNG once the table shows, then quit (docs, checks)
};
/// `ccpm-desk studio --database-url URL`: the StudioWindow on any PostgreSQL database, without
/// login, migrations, change listener or hub; it writes only when the user saves. Returns the
/// event loop's exit code; 2 with a message for a missing or malformed URL; with --screenshot, 1
/// when --table names no table.
/// Thread: the main thread, with a QApplication.
int runStudioWindow(const StudioWindowOptions &options);

} // namespace ccpm
