#include "agent/agentoptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSslCertificate>

#include <cmath>

namespace ccpm::agent {

namespace {

/// A number from the option `name`, or an error message.
template <typename T>
std::optional<T> number(const QCommandLineParser &parser, const QString &name, T min, T max, QString *error)
{
    bool ok = false;
    const QString text = parser.value(name);
    const double value = text.toDouble(&ok);
    const bool whole = std::is_integral_v<T> ? value == std::floor(value) : true;
    if (!ok || !std::isfinite(value) || !whole || value < double(min) || value > double(max)) {
        *error = QStringLiteral("--%1 must be %2 from %3 to %4, not \"%5\".")
                     .arg(name, std::is_integral_v<T> ? QStringLiteral("a whole number")
                                                      : QStringLiteral("a number"))
                     .arg(min)
                     .arg(max)
                     .arg(text);
        return std::nullopt;
    }
    return T(value);
}

} // namespace

ParsedAgentOptions parseAgentOptions(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The reference agent of the CCPM hub (docs/agent-protocol.md): connects with a token, "
                       "reports its status, and with --auto-accept works on the tasks assigned to it. "
                       "--simulate runs many agents in one process for load tests. On exit it prints "
                       "figures as name=value lines."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("The hub's URL (ws:// or wss://)."),
                                 QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:8765"));
    const QCommandLineOption token(QStringLiteral("token"),
                                   QStringLiteral("The agent's token (else $CCPM_AGENT_TOKEN)."),
                                   QStringLiteral("token"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"),
                                       QStringLiteral("A file of tokens, one per line: agent i uses line i."),
                                       QStringLiteral("file"));
    const QCommandLineOption autoAccept(
        QStringLiteral("auto-accept"),
        QStringLiteral("Accept assigned tasks, report progress, complete them."));
    const QCommandLineOption workSeconds(
        QStringLiteral("work-seconds"),
        QStringLiteral("How long one task takes with --auto-accept (default 10)."), QStringLiteral("seconds"),
        QStringLiteral("10"));
    const QCommandLineOption simulate(
        QStringLiteral("simulate"),
        QStringLiteral("Run N agents in this process (tokens from --token-file)."), QStringLiteral("N"));
    const QCommandLineOption chatter(
        QStringLiteral("chatter-ms"),
        QStringLiteral("Load mode: each agent sends one update every M ms (±20 %)."), QStringLiteral("M"),
        QStringLiteral("0"));
    const QCommandLineOption duration(
        QStringLiteral("duration"), QStringLiteral("Exit after S seconds (0: run until SIGINT or SIGTERM)."),
        QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption caCert(QStringLiteral("ca-cert"),
                                    QStringLiteral("Trust this certificate (PEM or DER) for wss:// URLs."),
                                    QStringLiteral("file"));
    const QCommandLineOption connectBatch(
        QStringLiteral("connect-batch"),
        QStringLiteral("Open at most this many connections at a time (200)."), QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption connectFirst(
        QStringLiteral("connect-first"),
        QStringLiteral("Load mode: connect every agent before any update; --duration and the figures "
                       "then count from the first update."));
    parser.addOptions({url, token, tokenFile, autoAccept, workSeconds, simulate, chatter, duration, caCert,
                       connectBatch, connectFirst});

    ParsedAgentOptions parsed;
    if (!parser.parse(arguments)) {
        parsed.error = parser.errorText();
        return parsed;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        parsed.output = parser.helpText();
        return parsed;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        parsed.output = QStringLiteral("ccpm-agent %1\n").arg(QStringLiteral(CCPM_VERSION));
        return parsed;
    }
    if (!parser.positionalArguments().isEmpty()) {
        parsed.error =
            QStringLiteral("unexpected argument \"%1\".").arg(parser.positionalArguments().first());
        return parsed;
    }

    AgentOptions options;
    AgentClient::Settings &agent = options.fleet.agent;
    QString &error = parsed.error;

    agent.url = QUrl(parser.value(url), QUrl::StrictMode);
    if (!agent.url.isValid() || agent.url.host().isEmpty() ||
        (agent.url.scheme() != QLatin1String("ws") && agent.url.scheme() != QLatin1String("wss"))) {
        error = QStringLiteral("--url must be a ws:// or wss:// URL with a host, not \"%1\".")
                    .arg(parser.value(url));
        return parsed;
    }

    const auto work = number<double>(parser, workSeconds.names().first(), 0.01, 86400, &error);
    const auto simulated = parser.isSet(simulate)
                               ? number<int>(parser, simulate.names().first(), 1, 100000, &error)
                               : std::optional<int>(1);
    const auto chatterMs = number<int>(parser, chatter.names().first(), 0, 3600000, &error);
    const auto seconds = number<double>(parser, duration.names().first(), 0, 31536000, &error);
    const auto batch = number<int>(parser, connectBatch.names().first(), 1, 100000, &error);
    if (!work || !simulated || !chatterMs || !seconds || !batch)
        return parsed;
    agent.autoAccept = parser.isSet(autoAccept);
    agent.workMs = int(std::lround(*work * 1000));
    options.fleet.chatterMs = *chatterMs;
    options.fleet.connectBatch = *batch;
    options.fleet.connectFirst = parser.isSet(connectFirst);
    options.durationSeconds = *seconds;

    if (parser.isSet(token) && parser.isSet(tokenFile)) {
        error = QStringLiteral("give --token or --token-file, not both.");
        return parsed;
    }
    if (parser.isSet(simulate) && !parser.isSet(tokenFile)) {
        error = QStringLiteral("--simulate needs --token-file (one token per agent, one per line).");
        return parsed;
    }
    if (parser.isSet(tokenFile)) {
        QFile file(parser.value(tokenFile));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            error =
                QStringLiteral("cannot read --token-file %1: %2").arg(file.fileName(), file.errorString());
            return parsed;
        }
        QStringList lines;
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QString t = QString::fromUtf8(line).trimmed();
            if (!t.isEmpty())
                lines << t;
        }
        if (lines.size() < *simulated) {
            error = QStringLiteral("--simulate %1 needs %1 tokens, but %2 has %3.")
                        .arg(*simulated)
                        .arg(file.fileName())
                        .arg(lines.size());
            return parsed;
        }
        options.tokens = lines.mid(0, *simulated);
    } else {
        const QString t =
            parser.isSet(token) ? parser.value(token) : environment.value(QStringLiteral("CCPM_AGENT_TOKEN"));
        if (t.trimmed().isEmpty()) {
            error = QStringLiteral("no token: give --token, set CCPM_AGENT_TOKEN, or give --token-file.");
            return parsed;
        }
        options.tokens = QStringList{t.trimmed()};
    }

    if (parser.isSet(caCert)) {
        QFile file(parser.value(caCert));
        if (!file.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read --ca-cert %1: %2").arg(file.fileName(), file.errorString());
            return parsed;
        }
        const QByteArray data = file.readAll();
        QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
        if (certificates.isEmpty())
            certificates = QSslCertificate::fromData(data, QSsl::Der);
        if (certificates.isEmpty()) {
            error = QStringLiteral("--ca-cert %1 holds no certificate (PEM or DER).").arg(file.fileName());
            return parsed;
        }
        agent.caCertificates = certificates;
    }
    parsed.options = std::move(options);
    return parsed;
}

} // namespace ccpm::agent
