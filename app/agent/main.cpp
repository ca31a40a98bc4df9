// ccpm-agent: the reference agent of the CCPM hub, and its load generator (--simulate).
// Exit codes: 0 stopped by --duration or a signal, 1 every agent was refused (4401, 4403, 4409),
// 2 usage error. Figures go to standard output as name=value lines, logs to standard error.
#include "agent/agentfleet.h"
#include "agent/agentoptions.h"
#include "eventloop/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace {

std::atomic<bool> s_stopRequested{false};

extern "C" void requestStop(int)
{
    s_stopRequested = true;
}

} // namespace

int main(int argc, char *argv[])
{
    // --simulate holds thousands of sockets in one thread: the epoll dispatcher costs per ready
    // socket, Qt's poll() per socket held (docs/performance.md). CCPM_EVENT_DISPATCHER=qt keeps
    // Qt's: then its poll() one rather than glib's, which costs more per event (CCPM_AGENT_GLIB=1
    // keeps glib's).
    if (QAbstractEventDispatcher *dispatcher = ccpm::makeSocketEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    else if (!qEnvironmentVariableIsSet("QT_NO_GLIB") && !qEnvironmentVariableIsSet("CCPM_AGENT_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ccpm-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CCPM_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const ccpm::agent::ParsedAgentOptions parsed = ccpm::agent::parseAgentOptions(
        QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (!parsed.options) {
        if (!parsed.error.isEmpty()) {
            err << "ccpm-agent: " << parsed.error << "\nTry 'ccpm-agent --help'." << Qt::endl;
            return 2;
        }
        out << parsed.output << Qt::flush;
        return 0;
    }
    const ccpm::agent::AgentOptions &options = *parsed.options;

    ccpm::agent::AgentFleet fleet(options.fleet, options.tokens);
    bool stopRequested = false;
    const auto stop = [&] {
        stopRequested = true;
        fleet.stop();
    };
    // The handler only sets a flag (async-signal-safe); a timer acts on it.
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, &fleet, [&] {
        if (s_stopRequested.exchange(false))
            stop();
    });
    signalPoll.start(100);
    const auto startClock = [&] {
        if (options.durationSeconds > 0) {
            const std::chrono::milliseconds duration(qint64(options.durationSeconds * 1000));
            QTimer::singleShot(duration, Qt::PreciseTimer, &fleet, stop);
        }
    };
    QElapsedTimer connecting;
    connecting.start();
    if (options.fleet.connectFirst) {
        // Announced at once (a load test starts its measurements on this line), then the updates
        // and the clock of --duration start.
        QObject::connect(&fleet, &ccpm::agent::AgentFleet::allConnected, &app, [&] {
            out << "connected_all_s=" << QString::number(double(connecting.elapsed()) / 1000.0, 'f', 1)
                << Qt::endl;
            startClock();
        });
    } else {
        startClock();
    }
    QObject::connect(&fleet, &ccpm::agent::AgentFleet::allStopped, &app, [&] {
        out << fleet.stats().figures() << Qt::flush;
        QCoreApplication::exit(stopRequested ? 0 : 1);
    });

    fleet.start();
    return QCoreApplication::exec();
}
