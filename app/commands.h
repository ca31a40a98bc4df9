#pragma once

#include "hub/hubsettings.h"

#include <QString>
#include <QStringList>

namespace ccpm {

/// The command-line subcommands of ccpm-desk (everything but the GUI):
///   db status | db migrate | db seed --demo | db seed --scale N | db connect <url> | db connect --embedded
///   agent token create <agent name or id> [--token-name <name>]
///   hub
///   studio --list-tables (studiocommand.h)
/// `--database-url` and `--hub-port` apply to every subcommand.
/// Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.
/// Thread: the main thread, with a QCoreApplication.
struct CommandOptions {
    QStringList positional; ///< e.g. {"db", "status"}
    QString databaseUrl;
    int hubPort = 8765;
    QString hubAddress = QStringLiteral("127.0.0.1");
    hub::HubSettings hubSettings; ///< [hub] settings, TLS from --hub-tls-cert / --hub-tls-key
    bool demo = false;
    qint64 scale = 0; ///< `db seed --scale N`: N synthetic tasks
    bool embedded = false;
    QString tokenName;
    bool listTables = false; ///< `studio --list-tables`
};

bool isCommand(const QString &word);
int runCommand(const CommandOptions &options);

} // namespace ccpm
