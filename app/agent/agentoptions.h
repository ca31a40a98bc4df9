#pragma once

#include "agent/agentfleet.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace ccpm::agent {

/// The `ccpm-agent` command line, checked: everything main() needs to run, or why not.
struct AgentOptions {
    AgentFleet::Settings fleet;
    QStringList tokens;         ///< one per agent (--simulate N: the first N lines of --token-file)
    double durationSeconds = 0; ///< 0: until SIGINT or SIGTERM
};

struct ParsedAgentOptions {
    std::optional<AgentOptions> options; ///< empty on an error or for --help / --version
    QString error;                       ///< a usage error, for standard error (exit 2)
    QString output;                      ///< --help or --version text, for standard output (exit 0)
};

/// Parses `arguments` (with the program name first). The token comes from --token, else
/// CCPM_AGENT_TOKEN in `environment`, else --token-file. Reads --token-file and --ca-cert.
/// Thread: any; no Qt application needed.
ParsedAgentOptions parseAgentOptions(const QStringList &arguments, const QProcessEnvironment &environment);

} // namespace ccpm::agent
